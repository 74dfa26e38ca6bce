/// An ISO 4217 currency code, packed into 24 bits so that carrying it costs no allocation.
///
/// Only the code is stored; the number of minor units comes from a small table
/// (two decimals unless the code is known to use zero or three).
public struct Currency: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The three upper-case ASCII letters, first letter in the high byte.
    public let packed: UInt32

    public static let eur = Currency(unchecked: "EUR")

    init(unchecked code: StaticString) {
        let p = code.utf8Start
        packed = UInt32(p[0]) << 16 | UInt32(p[1]) << 8 | UInt32(p[2])
    }

    /// Parses three ASCII letters (any case). Returns nil for anything else.
    public init?(_ code: String) {
        var u = code.utf8.makeIterator()
        guard let a = u.next(), let b = u.next(), let c = u.next(), u.next() == nil else { return nil }
        self.init(bytes: a, b, c)
    }

    public init?(bytes a: UInt8, _ b: UInt8, _ c: UInt8) {
        func up(_ x: UInt8) -> UInt8? {
            switch x {
            case 0x41...0x5A: return x
            case 0x61...0x7A: return x - 0x20
            default: return nil
            }
        }
        guard let a = up(a), let b = up(b), let c = up(c) else { return nil }
        packed = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
    }

    public var code: String {
        String(decoding: [UInt8(packed >> 16 & 0xFF), UInt8(packed >> 8 & 0xFF), UInt8(packed & 0xFF)], as: UTF8.self)
    }

    public var description: String { code }

    /// Decimal places of the currency's minor unit (ISO 4217 table, the exceptions only).
    public var minorUnits: Int {
        switch code {
        case "JPY", "KRW", "ISK", "CLP", "VND", "XOF", "XAF", "XPF", "PYG", "UGX", "RWF", "KMF", "GNF", "DJF", "VUV", "BIF":
            return 0
        case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
            return 3
        default:
            return 2
        }
    }

    public static func < (l: Currency, r: Currency) -> Bool { l.packed < r.packed }
}

/// Errors of money arithmetic: never silently wrong, never a trap.
public enum MoneyError: Error, Equatable, Sendable, CustomStringConvertible {
    case overflow
    case currencyMismatch(Currency, Currency)

    public var description: String {
        switch self {
        case .overflow: return "amount overflows 64-bit minor units"
        case let .currencyMismatch(a, b): return "cannot combine \(a) and \(b)"
        }
    }
}

/// An amount of money: integer minor units (cents for EUR) and a currency. Never a Double.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public var minor: Int64
    public var currency: Currency

    public init(minor: Int64, currency: Currency) {
        self.minor = minor
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minor: 0, currency: currency) }

    public var isZero: Bool { minor == 0 }
    public var isNegative: Bool { minor < 0 }

    public func adding(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
        let (v, o) = minor.addingReportingOverflow(other.minor)
        if o { throw .overflow }
        return Money(minor: v, currency: currency)
    }

    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        guard currency == other.currency else { throw .currencyMismatch(currency, other.currency) }
        let (v, o) = minor.subtractingReportingOverflow(other.minor)
        if o { throw .overflow }
        return Money(minor: v, currency: currency)
    }

    public func negated() throws(MoneyError) -> Money {
        guard minor != .min else { throw .overflow }
        return Money(minor: -minor, currency: currency)
    }

    /// Plain machine form: `-1234.56 EUR` (no grouping), for logs and tests.
    public var description: String { "\(MinorUnits.format(minor, places: currency.minorUnits)) \(currency)" }
}

/// Formatting of minor units at the edge (reports, letters): never used for arithmetic.
public enum MinorUnits {
    /// `123456, 2, "."` → `1234.56`; `-5, 2` → `-0.05`. No digit grouping.
    public static func format(_ minor: Int64, places: Int, decimalSeparator: Character = ".") -> String {
        let negative = minor < 0
        let magnitude = minor.magnitude
        if places == 0 { return (negative ? "-" : "") + String(magnitude) }
        var divisor: UInt64 = 1
        for _ in 0..<places { divisor *= 10 }
        let whole = magnitude / divisor
        var frac = String(magnitude % divisor)
        while frac.count < places { frac = "0" + frac }
        return (negative ? "-" : "") + String(whole) + String(decimalSeparator) + frac
    }

    /// French display form with U+202F thousands groups and a decimal comma: `1 234,56`.
    ///
    /// Written digit by digit into a byte buffer: reconciliation writes an amount into the
    /// evidence of most of its allocations, half a million of them at a time.
    public static func formatFrench(_ minor: Int64, places: Int) -> String {
        // Right to left: fraction digits, the comma, then groups of three separated by U+202F
        // (E2 80 AF), then the sign. 20 digits, 6 separators of 3 bytes, sign, comma: < 64.
        var bytes = [UInt8](repeating: 0, count: 64 + max(0, places))
        var at = bytes.count
        var rest = minor.magnitude
        func put(_ b: UInt8) { at -= 1; bytes[at] = b }
        if places > 0 {
            for _ in 0..<places {
                put(0x30 + UInt8(rest % 10))
                rest /= 10
            }
            put(0x2C)
        }
        var digits = 0
        repeat {
            if digits > 0 && digits % 3 == 0 { put(0xAF); put(0x80); put(0xE2) }
            put(0x30 + UInt8(rest % 10))
            rest /= 10
            digits += 1
        } while rest > 0
        if minor < 0 { put(0x2D) }
        return String(decoding: bytes[at...], as: UTF8.self)
    }
}
