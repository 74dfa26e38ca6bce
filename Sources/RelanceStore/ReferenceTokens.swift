/// The tokens of a payment's reference text, cut on UTF-8 bytes the way
/// `ExactReferenceAllocator.tokens(of:)` cuts Characters, when that gives the same answer.
///
/// Core splits on blanks, tabs, `,;:|()` and NBSP, comparing Characters: grapheme breaking
/// costs more than the rest of the allocation pass together. When every scalar of the text
/// is below U+0300 each Character is a single scalar (CR LF excepted, and neither is a
/// separator): nothing below that bound is a combining mark, a prepended mark or a joiner,
/// and the one non-ASCII scalar Swift compares equal to a separator (U+037E, the Greek
/// question mark, canonically `;`) is above it. So the bytes between separator bytes are
/// exactly Core's tokens. Texts with higher scalars are left to Core.
enum ReferenceTokens {
    /// Calls `body` with each non-empty token, in order, and whether it is all ASCII.
    /// Returns false, without calling `body`, when the text has a scalar at or above U+0300.
    static func forEach(in bytes: UnsafeBufferPointer<UInt8>,
                        _ body: (_ token: UnsafeBufferPointer<UInt8>, _ ascii: Bool) -> Void) -> Bool {
        // Lead bytes 0xCC and up start the scalars from U+0300; continuation bytes are 0x80–0xBF.
        for b in bytes where b >= 0xCC { return false }
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        var start = 0
        var ascii = true
        var i = 0
        func emit(_ end: Int) {
            if end > start { body(UnsafeBufferPointer(start: base + start, count: end - start), ascii) }
        }
        while i < n {
            let b = base[i]
            switch b {
            case 0x20, 0x09, 0x2C, 0x3B, 0x3A, 0x7C, 0x28, 0x29:  // blank tab , ; : | ( )
                emit(i)
                i += 1
                start = i
                ascii = true
            case 0xC2 where i + 1 < n && base[i + 1] == 0xA0:  // NBSP
                emit(i)
                i += 2
                start = i
                ascii = true
            default:
                if b >= 0x80 { ascii = false }
                i += 1
            }
        }
        emit(n)
        return true
    }
}

/// Which byte lengths the invoice numbers have, to skip dictionary look-ups of reference
/// words ("VIR", "SEPA"…) that cannot be one. Only answers "no" for an ASCII token when every
/// invoice number is known and ASCII: an ASCII text equals (as Swift compares Strings) no
/// other bytes than its own, while a non-ASCII number could equal a differently encoded token.
struct InvoiceNumberLengths {
    private var mask: UInt64 = 0
    private var active = false
    private var allASCII = true

    /// Notes one invoice number (every one, before `activate()`).
    mutating func note(_ number: UnsafeBufferPointer<UInt8>) {
        if number.count < 64 { mask |= 1 << UInt64(number.count) } else { mask |= 1 << 63 }
        if allASCII { for b in number where b >= 0x80 { allASCII = false; break } }
    }

    /// Called once every invoice number has been noted.
    mutating func activate() { active = allASCII }

    /// Whether an ASCII token of `count` bytes could be an invoice number.
    func mayHold(_ count: Int) -> Bool {
        guard active else { return true }
        return count >= 63 || mask & (1 << UInt64(count)) != 0
    }
}
