import RelanceCore

/// Strict reading of the plain decimal amounts of bank files (`1692.22`, `200000`, `6.3`):
/// ASCII digits, at most one point, no sign, no grouping — what the ISO 20022 schemas allow.
enum DecimalAmount {
    enum Failure: Error, Equatable {
        case empty, invalid, tooManyDecimals(Int), overflow

        var reason: String {
            switch self {
            case .empty: return "empty amount"
            case .invalid: return "not a plain decimal amount (digits and one '.')"
            case let .tooManyDecimals(n): return "more than \(n) decimal places for the currency"
            case .overflow: return "amount too large"
            }
        }
    }

    /// Minor units with `places` decimals; surplus decimals are accepted only when they are zeros.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, places: Int) -> Result<Int64, Failure> {
        var lo = 0, hi = bytes.count
        while lo < hi, isBlank(bytes[lo]) { lo += 1 }
        while hi > lo, isBlank(bytes[hi - 1]) { hi -= 1 }
        if lo == hi { return .failure(.empty) }
        var value: Int64 = 0
        var decimals = -1  // digits seen after the point; -1 before it
        var kept = 0       // decimal digits folded into `value`
        var digits = 0
        var i = lo
        while i < hi {
            let b = bytes[i]
            i += 1
            if b == 0x2E {
                if decimals >= 0 || digits == 0 { return .failure(.invalid) }
                decimals = 0
                continue
            }
            guard b >= 0x30 && b <= 0x39 else { return .failure(.invalid) }
            let d = Int64(b - 0x30)
            if decimals >= 0 {
                decimals += 1
                if decimals > places {
                    if d != 0 { return .failure(.tooManyDecimals(places)) }
                    continue
                }
                kept += 1
            }
            digits += 1
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return .failure(.overflow) }
            value = s
        }
        if decimals == 0 { return .failure(.invalid) }  // "12." has no digits after its point
        while kept < places {
            let (m, o) = value.multipliedReportingOverflow(by: 10)
            if o { return .failure(.overflow) }
            value = m
            kept += 1
        }
        return .success(value)
    }

    static func parse(_ text: String, places: Int) -> Result<Int64, Failure> {
        var t = text
        return t.withUTF8 { parse($0, places: places) }
    }

    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
}
