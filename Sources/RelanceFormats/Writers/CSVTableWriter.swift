import RelanceCore

/// Writes a CSV table for people and spreadsheets, safely.
///
/// Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
/// tab or CR) are neutralised with a leading apostrophe (OWASP CSV-injection advice);
/// amounts are written as numbers, never grouped, with the dialect's decimal separator.
public struct CSVTableWriter {
    public let dialect: CSVDialect
    private var out: [UInt8] = []

    /// A cell: text (neutralised if needed) or an amount in minor units.
    public enum Cell {
        case text(String)
        case amount(Int64, places: Int)
        case integer(Int)
        /// A telephone number: an E.164 number (`+` and 8 to 15 digits) is written as is, since
        /// gateways need the `+` and a spreadsheet can only read it as a number; anything else
        /// is text, neutralised like any other.
        case phone(String)
    }

    public init(dialect: CSVDialect) {
        self.dialect = dialect
        if dialect.writesBOM { out = [0xEF, 0xBB, 0xBF] }
    }

    public mutating func header(_ names: [String]) { row(names.map { .text($0) }) }

    public mutating func row(_ cells: [Cell]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { out.append(dialect.separator) }
            switch cell {
            case let .text(s): appendText(s)
            case let .amount(v, places): out.append(contentsOf: MinorUnits.format(v, places: places, decimalSeparator: dialect.decimalSeparator).utf8)
            case let .integer(v): out.append(contentsOf: String(v).utf8)
            case let .phone(s):
                if CSVTableWriter.isE164(s) { out.append(contentsOf: s.utf8) } else { appendText(s) }
            }
        }
        out.append(0x0D); out.append(0x0A)
    }

    /// True when a spreadsheet would interpret the text as a formula.
    public static func isFormulaLike(_ s: String) -> Bool {
        guard let f = s.utf8.first else { return false }
        return f == UInt8(ascii: "=") || f == UInt8(ascii: "+") || f == UInt8(ascii: "-") || f == UInt8(ascii: "@")
            || f == 0x09 || f == 0x0D
    }

    /// `+` followed by 8 to 15 digits, nothing else.
    public static func isE164(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count >= 9, b.count <= 16, b[0] == UInt8(ascii: "+") else { return false }
        return b.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private mutating func appendText(_ raw: String) {
        let s = CSVTableWriter.isFormulaLike(raw) ? "'" + raw : raw
        let needsQuotes = s.utf8.contains { $0 == dialect.separator || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
        if !needsQuotes { out.append(contentsOf: s.utf8); return }
        out.append(0x22)
        for b in s.utf8 {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }

    public var bytes: [UInt8] { out }
}
