import RelanceCore

/// Every check made before libxlsxwriter is called, so a refused workbook is refused with a
/// reason naming the sheet and cell (`B12`), and the C side only sees valid input.
enum XLSXValidation {
    static let maxRows = 1_048_576
    static let maxColumns = 16_384
    static let maxText = 32_767
    /// 2^53: beyond this an integer of minor units has no exact binary double.
    static let maxExactMinor: Int64 = 1 << 53
    /// 1900-03-01, the first day Excel's serials count correctly.
    static let firstDay = Day(year: 1900, month: 3, day: 1)!

    static func check(_ workbook: XLSXWorkbook) throws(XLSXError) {
        guard !workbook.sheets.isEmpty else { throw .noSheet }
        var seen: Set<String> = []
        for sheet in workbook.sheets {
            try checkName(sheet.name)
            guard seen.insert(sheet.name.lowercased()).inserted else {
                throw .invalidSheetName(sheet.name, reason: "used twice in the workbook")
            }
            guard sheet.columns.count <= maxColumns else { throw .tooManyColumns(sheet: sheet.name, columns: sheet.columns.count) }
            guard sheet.rows.count + 1 <= maxRows else { throw .tooManyRows(sheet: sheet.name, rows: sheet.rows.count + 1) }
            for (c, column) in sheet.columns.enumerated() {
                if column.title.utf16.count > maxText { throw .textTooLong(sheet: sheet.name, cell: reference(row: 0, column: c)) }
                if column.title.utf8.contains(0) { throw .nulInText(sheet: sheet.name, cell: reference(row: 0, column: c)) }
            }
            for (r, row) in sheet.rows.enumerated() {
                guard row.count <= sheet.columns.count else {
                    throw .rowWiderThanHeader(sheet: sheet.name, row: r + 1, cells: row.count, columns: sheet.columns.count)
                }
                for (c, cell) in row.enumerated() {
                    switch cell {
                    case let .text(s) where s.utf16.count > maxText:
                        throw .textTooLong(sheet: sheet.name, cell: reference(row: r + 1, column: c))
                    case let .text(s) where s.utf8.contains(0):
                        throw .nulInText(sheet: sheet.name, cell: reference(row: r + 1, column: c))
                    case let .amount(money) where money.minor.magnitude > UInt64(maxExactMinor):
                        throw .amountTooLarge(sheet: sheet.name, cell: reference(row: r + 1, column: c))
                    case let .integer(v) where v.magnitude > UInt64(maxExactMinor):
                        throw .amountTooLarge(sheet: sheet.name, cell: reference(row: r + 1, column: c))
                    case let .date(day) where day < firstDay:
                        throw .dateOutOfRange(sheet: sheet.name, cell: reference(row: r + 1, column: c))
                    default:
                        continue
                    }
                }
            }
        }
    }

    static func checkName(_ name: String) throws(XLSXError) {
        guard !name.isEmpty else { throw .invalidSheetName(name, reason: "empty") }
        guard name.utf16.count <= 31 else { throw .invalidSheetName(name, reason: "longer than 31 characters") }
        if let bad = name.first(where: { "[]:*?/\\".contains($0) }) {
            throw .invalidSheetName(name, reason: "contains \(String(bad).debugDescription)")
        }
        if name.hasPrefix("'") || name.hasSuffix("'") { throw .invalidSheetName(name, reason: "starts or ends with an apostrophe") }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 }) { throw .invalidSheetName(name, reason: "contains a control character") }
    }

    /// `A1`-style reference, 0-based row and column.
    static func reference(row: Int, column: Int) -> String {
        var letters = ""
        var c = column + 1
        while c > 0 {
            let rem = (c - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + rem))) + letters
            c = (c - 1) / 26
        }
        return letters + String(row + 1)
    }

    /// Days since 1899-12-30 (Excel's 1900 system, valid from 1900-03-01 on).
    static func excelSerial(_ day: Day) -> Double { Double(Int(day.ordinal) + 25_569) }

    /// The amount as the nearest double to the decimal value: both operands are exact
    /// integers below 2^53 and IEEE division rounds correctly, so 1250 / 100 gives the same
    /// double as the literal 12.50 — one conversion per cell, no accumulated error.
    static func amountValue(_ money: Money) -> Double {
        var divisor = 1.0
        for _ in 0..<money.currency.minorUnits { divisor *= 10 }
        return Double(money.minor) / divisor
    }

    static func amountFormat(places: Int) -> String {
        places == 0 ? "#,##0" : "#,##0." + String(repeating: "0", count: places)
    }
}
