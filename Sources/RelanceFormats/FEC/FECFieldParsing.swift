import RelanceCore

/// Byte-level readers for FEC fields.
///
/// The FEC scanner splits lines on raw bytes and only parses or decodes the fields it needs;
/// these helpers work on a pointer and a length into the file's buffer, so a line of a
/// million-line ledger costs no allocation unless a field is kept.
enum FECFieldParsing {
    /// Trims ASCII spaces (and tabs, for pipe-separated files) at both ends.
    @inline(__always)
    static func trim(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var s = start, e = end
        while s < e, base[s] == 0x20 || base[s] == 0x09 { s += 1 }
        while e > s, base[e - 1] == 0x20 || base[e - 1] == 0x09 { e -= 1 }
        return (s, e)
    }

    /// Reads an FEC amount into minor units with `places` decimals.
    ///
    /// The legal format (A47 A-1) writes amounts with a decimal comma and no thousands
    /// separator: `1234,56`, `252,5`, `0`, `+000000069,40`, `-708,91`. A decimal point is
    /// accepted too (some exports use it), which is safe only because FEC amounts never carry
    /// thousands separators; digits beyond `places` must be zeros. An empty field reads as 0
    /// (software leaves the unused side of Debit/Credit blank). Returns nil when the text is
    /// anything else; `amountProblem` then says why.
    @inline(__always)
    static func amount(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, places: Int) -> Int64? {
        // Half the amounts of a ledger are the empty side of Debit/Credit, written `0`.
        if end - start == 1 && base[start] == 0x30 { return 0 }
        if let value = plainAmount(base, start, end, places: places) { return value }
        var (i, e) = trim(base, start, end)
        if i == e { return 0 }
        var negative = false
        if base[i] == 0x2D { negative = true; i += 1 } else if base[i] == 0x2B { i += 1 }
        var value: Int64 = 0
        var digits = 0
        var fraction = -1  // -1: no separator seen; else digits read after it
        while i < e {
            let b = base[i]
            if b &- 0x30 < 10 {
                if fraction >= 0 {
                    if fraction >= places {
                        guard b == 0x30 else { return nil }
                        i += 1
                        continue
                    }
                    fraction += 1
                }
                digits += 1
                if digits > 18 { return nil }
                value = value &* 10 &+ Int64(b &- 0x30)
            } else if (b == 0x2C || b == 0x2E) && fraction < 0 {
                fraction = 0
            } else {
                return nil
            }
            i += 1
        }
        if digits == 0 { return nil }
        var scale = max(fraction, 0)
        while scale < places {
            let (m, o) = value.multipliedReportingOverflow(by: 10)
            if o { return nil }
            value = m
            scale += 1
        }
        // A cap far above any ledger (10^17 minor units) keeps every later sum and sign change
        // of a line's amounts clear of Int64 overflow.
        if value > 100_000_000_000_000_000 { return nil }
        return negative ? -value : value
    }

    /// The common form alone, in one pass: an optional sign, 1 to `18 - places` digits, then
    /// optionally a comma or point and 1 to `places` digits, nothing else (no spaces). Nil
    /// for anything else, which `amount` then reads (or refuses) the general way; for the
    /// texts it accepts, the value is the one `amount` gives.
    @inline(__always)
    static func plainAmount(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, places: Int) -> Int64? {
        var i = start
        guard i < end, places >= 0, places <= 6 else { return nil }
        let negative = base[i] == 0x2D
        if negative || base[i] == 0x2B { i &+= 1 }
        var value: Int64 = 0
        let digitsStart = i
        while i < end {
            let d = base[i] &- 0x30
            if d >= 10 { break }
            value = value &* 10 &+ Int64(d)
            i &+= 1
        }
        let digits = i &- digitsStart
        guard digits > 0, digits &+ places <= 18 else { return nil }
        var fraction = 0
        if i < end {
            guard base[i] == 0x2C || base[i] == 0x2E else { return nil }
            i &+= 1
            while i < end && fraction < places {
                let d = base[i] &- 0x30
                if d >= 10 { return nil }
                value = value &* 10 &+ Int64(d)
                fraction &+= 1
                i &+= 1
            }
            guard i == end, fraction > 0 else { return nil }
        }
        while fraction < places { value &*= 10; fraction &+= 1 }
        if value > 100_000_000_000_000_000 { return nil }
        return negative ? -value : value
    }

    /// Why `amount` refused a text, for the error message.
    static func amountProblem(_ text: [UInt8], places: Int) -> String {
        let shown = String(decoding: text, as: UTF8.self)
        var separators = 0
        var fractionDigits = 0
        var seenSeparator = false
        for b in text {
            switch b {
            case 0x30...0x39:
                if seenSeparator { fractionDigits += 1 }
            case 0x2C, 0x2E:
                separators += 1
                seenSeparator = true
                fractionDigits = 0
            case 0x20, 0x09, 0x2B, 0x2D:
                continue
            default:
                var scalar = String(decoding: [b], as: UTF8.self)
                if b >= 0x80 { scalar = "non-ASCII byte" }
                return "'\(shown)' is not an amount: unexpected character '\(scalar)' (FEC amounts are digits with a decimal comma)"
            }
        }
        if separators > 1 {
            return "'\(shown)' is not an amount: FEC amounts have no thousands separator and one decimal comma"
        }
        if fractionDigits > places {
            return "'\(shown)' is not an amount: more than \(places) decimal places"
        }
        if text.allSatisfy({ $0 < 0x30 || $0 > 0x39 }) {
            return "'\(shown)' is not an amount: no digits"
        }
        return "'\(shown)' is not an amount: too large"
    }

    /// Reads an FEC date (`yyyymmdd`); other common forms (`yyyy-mm-dd`, `dd/mm/yyyy`, a
    /// trailing time) are read by Core's `Day.parse`. Returns nil for an empty field through
    /// `isEmpty` and for a bad date.
    @inline(__always)
    static func date(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Day? {
        let (s, e) = trim(base, start, end)
        if e - s == 8 {
            var v = 0
            var ok = true
            for k in s..<e {
                let d = base[k] &- 0x30
                if d > 9 { ok = false; break }
                v = v * 10 + Int(d)
            }
            if ok { return Day(year: v / 10000, month: v / 100 % 100, day: v % 100) }
        }
        return Day.parse(UnsafeBufferPointer(start: base + s, count: e - s))
    }

    @inline(__always)
    static func isBlank(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        // Most fields asked about start with their value: no need to trim the end.
        if start < end && base[start] != 0x20 && base[start] != 0x09 { return false }
        let (s, e) = trim(base, start, end)
        return s == e
    }

    /// True when the bytes, compared ASCII-case-insensitively, contain `needle` (upper-case ASCII).
    static func containsUppercased(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ needle: [UInt8]) -> Bool {
        let n = needle.count
        guard n > 0, end - start >= n else { return n == 0 }
        var i = start
        while i + n <= end {
            var k = 0
            while k < n {
                var b = base[i + k]
                if b >= 0x61 && b <= 0x7A { b -= 0x20 }
                if b != needle[k] { break }
                k += 1
            }
            if k == n { return true }
            i += 1
        }
        return false
    }
}

/// Remembers the last `yyyymmdd` read: an FEC line repeats one date in EcritureDate,
/// PieceDate and ValidDate, and consecutive lines share it, so most dates cost one
/// 8-byte comparison.
struct FECDateCache {
    private var key: UInt64 = 0
    private var day: Day?

    /// The hit, inlined where the scanner asks (three or four times a line); the rest out of
    /// line, so that the hit stays a load and a compare.
    @inline(__always)
    mutating func date(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Day? {
        if end &- start == 8, let day, UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self) == key { return day }
        return miss(base, start, end)
    }

    @inline(never)
    private mutating func miss(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Day? {
        if end - start == 8 {
            let k = UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self)
            let d = FECFieldParsing.date(base, start, end)
            if d != nil { key = k; day = d }
            return d
        }
        return FECFieldParsing.date(base, start, end)
    }
}
