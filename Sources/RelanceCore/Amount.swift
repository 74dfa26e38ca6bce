/// Which character separates the decimals in a column of amounts.
public enum DecimalSeparator: String, Sendable, Codable {
    case comma = ","
    case point = "."
}

/// Why an amount text could not be read.
public enum AmountError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case invalidCharacter(String)
    case badGrouping
    case tooManyDecimals(allowed: Int)
    case overflow

    public var description: String {
        switch self {
        case .empty: return "empty amount"
        case let .invalidCharacter(c): return "unexpected character '\(c)' in amount"
        case .badGrouping: return "misplaced thousands separator in amount"
        case let .tooManyDecimals(n): return "more than \(n) decimal places in amount"
        case .overflow: return "amount too large"
        }
    }
}

/// What a single amount text says about the column's decimal separator.
///
/// `1.234,56` proves a decimal comma; `12.5` a decimal point; `1.234` alone proves nothing
/// (one thousand two hundred thirty-four, or one point two three four).
public enum AmountEvidence: Sendable, Equatable {
    case none            // integer, or empty
    case decimal(DecimalSeparator)
    case ambiguous(DecimalSeparator)  // a single separator followed by exactly three digits
    case invalid(AmountError)
}

/// Strict amount parsing into integer minor units. Never Double, never `Decimal(string:)`.
///
/// Accepted: leading `+`/`-`, trailing `-`, parentheses for negatives, a `€` sign or trailing
/// ISO code `EUR` around the number, thousands separators (space, NBSP, U+202F, U+2009,
/// apostrophe, and whichever of `.`/`,` is not the decimal separator) between groups of three.
public enum AmountParser {
    /// Classifies one text for the per-column decision (see `AmountColumnDecision`).
    /// Inlinable, as is `parse`: readers call both once per amount of a file, and an
    /// unspecialised generic call across modules costs more than the parsing itself.
    @inlinable
    public static func evidence<C: Collection>(_ text: C) -> AmountEvidence where C.Element == UInt8 {
        var commas = 0, points = 0
        var lastSep: UInt8 = 0
        var digitsAfterLast = 0
        var anyDigit = false
        for b in text {
            switch b {
            case 0x30...0x39:
                anyDigit = true
                digitsAfterLast += 1
            case 0x2C:
                commas += 1; lastSep = b; digitsAfterLast = 0
            case 0x2E:
                points += 1; lastSep = b; digitsAfterLast = 0
            default:
                continue  // other characters are judged by `parse`
            }
        }
        if !anyDigit { return .none }
        if commas > 0 && points > 0 {
            return .decimal(lastSep == 0x2C ? .comma : .point)
        }
        if commas == 0 && points == 0 { return .none }
        let sep: DecimalSeparator = commas > 0 ? .comma : .point
        let count = commas + points
        if count > 1 {
            // Several of the same separator: they are thousands groups, so the other one is decimal.
            return .decimal(sep == .comma ? .point : .comma)
        }
        return digitsAfterLast == 3 ? .ambiguous(sep) : .decimal(sep)
    }

    /// Parses `text` into minor units with `places` decimals (2 for EUR).
    @inlinable
    public static func parse<C: Collection>(_ text: C, decimal: DecimalSeparator, places: Int) -> Result<Int64, AmountError> where C.Element == UInt8 {
        if let r = text.withContiguousStorageIfAvailable({ parseBytes($0, decimal: decimal, places: places) }) { return r }
        return Array(text).withUnsafeBufferPointer { parseBytes($0, decimal: decimal, places: places) }
    }

    @inlinable
    static func parseBytes(_ bytes: UnsafeBufferPointer<UInt8>, decimal: DecimalSeparator, places: Int) -> Result<Int64, AmountError> {
        var lo = 0, hi = bytes.count
        @inline(__always) func isBlank(_ i: Int) -> Int {
            // Returns the byte length of a blank at i (space, tab, NBSP, U+202F, U+2009), else 0.
            let b = bytes[i]
            if b == 0x20 || b == 0x09 { return 1 }
            if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 { return 2 }
            if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xAF || bytes[i + 2] == 0x89 { return 3 }
            return 0
        }
        func trim() {
            while lo < hi {
                let n = isBlank(lo); if n == 0 { break }; lo += n
            }
            while lo < hi {
                if bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1; continue }
                if hi - 2 >= lo, bytes[hi - 2] == 0xC2, bytes[hi - 1] == 0xA0 { hi -= 2; continue }
                if hi - 3 >= lo, bytes[hi - 3] == 0xE2, bytes[hi - 2] == 0x80, bytes[hi - 1] == 0xAF || bytes[hi - 1] == 0x89 { hi -= 3; continue }
                break
            }
        }
        func stripCurrency() {
            // € = E2 82 AC
            if hi - lo >= 3, bytes[lo] == 0xE2, bytes[lo + 1] == 0x82, bytes[lo + 2] == 0xAC { lo += 3; trim() }
            if hi - lo >= 3, bytes[hi - 3] == 0xE2, bytes[hi - 2] == 0x82, bytes[hi - 1] == 0xAC { hi -= 3; trim() }
            if hi - lo >= 3, bytes[hi - 3] == 0x45, bytes[hi - 2] == 0x55, bytes[hi - 1] == 0x52 { hi -= 3; trim() }
        }
        trim()
        if lo == hi { return .failure(.empty) }
        var negative = false
        if bytes[lo] == 0x28 {
            guard bytes[hi - 1] == 0x29 else { return .failure(.invalidCharacter("(")) }
            negative = true; lo += 1; hi -= 1; trim()
        }
        stripCurrency()
        if lo < hi, bytes[lo] == 0x2D || bytes[lo] == 0x2B {
            if negative && bytes[lo] == 0x2D { return .failure(.invalidCharacter("-")) }
            negative = negative || bytes[lo] == 0x2D; lo += 1; trim()
        } else if lo < hi, bytes[hi - 1] == 0x2D {
            if negative { return .failure(.invalidCharacter("-")) }
            negative = true; hi -= 1; trim()
        } else if hi - lo >= 3, bytes[lo] == 0xE2, bytes[lo + 1] == 0x88, bytes[lo + 2] == 0x92 {  // U+2212 minus
            negative = true; lo += 3; trim()
        }
        stripCurrency()
        if lo == hi { return .failure(.empty) }

        let decimalByte: UInt8 = decimal == .comma ? 0x2C : 0x2E
        let groupByte: UInt8 = decimal == .comma ? 0x2E : 0x2C
        var value: Int64 = 0
        var fracDigits = 0
        var inFraction = false
        var digitsInGroup = 0       // digits since the last thousands separator
        var sawGroupSep = false
        var leadingDigits = 0       // digits before the first thousands separator
        var i = lo
        func mulAdd(_ d: Int64) -> Bool {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(d)
            value = s
            return !(o1 || o2)
        }
        while i < hi {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                if inFraction {
                    fracDigits += 1
                    if fracDigits > places {
                        guard b == 0x30 else { return .failure(.tooManyDecimals(allowed: places)) }
                        i += 1; continue
                    }
                } else {
                    digitsInGroup += 1
                    if !sawGroupSep { leadingDigits += 1 }
                }
                guard mulAdd(Int64(b - 0x30)) else { return .failure(.overflow) }
                i += 1
                continue
            }
            if b == decimalByte {
                guard !inFraction else { return .failure(.invalidCharacter(String(UnicodeScalar(b)))) }
                if sawGroupSep && digitsInGroup != 3 { return .failure(.badGrouping) }
                if leadingDigits == 0 && !sawGroupSep { /* ".5" is accepted as 0.5 */ }
                inFraction = true
                i += 1
                continue
            }
            var sepLen = 0
            if b == groupByte || b == 0x27 { sepLen = 1 }
            else if b == 0xE2, i + 2 < hi, bytes[i + 1] == 0x80, bytes[i + 2] == 0x99 { sepLen = 3 }  // ’
            else { sepLen = isBlank(i) }
            if sepLen > 0 {
                guard !inFraction else { return .failure(.badGrouping) }
                if sawGroupSep {
                    guard digitsInGroup == 3 else { return .failure(.badGrouping) }
                } else {
                    guard leadingDigits >= 1 && leadingDigits <= 3 else { return .failure(.badGrouping) }
                }
                sawGroupSep = true
                digitsInGroup = 0
                i += sepLen
                continue
            }
            // An unexpected character: report it decoded when possible.
            var end = i + 1
            while end < hi && bytes[end] & 0xC0 == 0x80 { end += 1 }
            return .failure(.invalidCharacter(String(decoding: bytes[i..<end], as: UTF8.self)))
        }
        if sawGroupSep && !inFraction && digitsInGroup != 3 { return .failure(.badGrouping) }
        if leadingDigits == 0 && fracDigits == 0 && !sawGroupSep { return .failure(.empty) }
        var scaled = min(fracDigits, places)
        while scaled < places {
            guard mulAdd(0) else { return .failure(.overflow) }
            scaled += 1
        }
        return .success(negative ? -value : value)
    }
}

/// The per-column decision of the decimal separator over a whole file.
///
/// Feed every value of the column, then ask for the decision. A column whose values
/// prove both separators is inconsistent; one whose values all read either way
/// (`1.234`, `2.500`) is ambiguous. Both reject the file: guessing would be silently
/// wrong by a factor of a thousand.
public struct AmountColumnDecision: Sendable {
    public private(set) var commaVotes = 0
    public private(set) var pointVotes = 0
    public private(set) var ambiguousCount = 0
    public private(set) var firstCommaLine = 0
    public private(set) var firstPointLine = 0
    public private(set) var firstAmbiguousLine = 0
    public private(set) var firstAmbiguousText = ""

    public init() {}

    /// Inlinable so that the evidence scan is specialised for the caller's collection; the
    /// bookkeeping stays in `record`.
    @inlinable
    public mutating func observe<C: Collection>(_ text: C, line: Int) where C.Element == UInt8 {
        let evidence = AmountParser.evidence(text)
        if case .ambiguous = evidence, ambiguousCount == 0 {
            record(evidence, line: line, text: String(decoding: text, as: UTF8.self))
        } else {
            record(evidence, line: line, text: nil)
        }
    }

    @usableFromInline
    mutating func record(_ evidence: AmountEvidence, line: Int, text: String?) {
        switch evidence {
        case .decimal(.comma):
            if commaVotes == 0 { firstCommaLine = line }
            commaVotes += 1
        case .decimal(.point):
            if pointVotes == 0 { firstPointLine = line }
            pointVotes += 1
        case .ambiguous:
            if ambiguousCount == 0 { firstAmbiguousLine = line; firstAmbiguousText = text ?? "" }
            ambiguousCount += 1
        case .none, .invalid:
            break
        }
    }

    public enum Outcome: Equatable, Sendable {
        case decided(DecimalSeparator)
        case inconsistent(commaLine: Int, pointLine: Int)
        case ambiguous(line: Int, text: String)
    }

    /// `fallback` is used when nothing in the column needs a decimal separator at all
    /// (whole numbers only), or comes from the layout's configuration.
    public func outcome(fallback: DecimalSeparator, configured: DecimalSeparator? = nil) -> Outcome {
        if let configured { return .decided(configured) }
        if commaVotes > 0 && pointVotes > 0 { return .inconsistent(commaLine: firstCommaLine, pointLine: firstPointLine) }
        if commaVotes > 0 { return .decided(.comma) }
        if pointVotes > 0 { return .decided(.point) }
        if ambiguousCount > 0 { return .ambiguous(line: firstAmbiguousLine, text: firstAmbiguousText) }
        return .decided(fallback)
    }
}
