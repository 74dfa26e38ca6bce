/// ISO 11649 structured creditor references (`RF` + two check digits + up to 21 characters),
/// the "référence structurée" a customer copies from the invoice into its transfer.
///
/// Why validate: a reference with wrong check digits was mistyped by someone, so trusting it
/// as structured (exact-match material for the reconciler) would allocate money to the wrong
/// invoice; it is kept as plain remittance text instead.
enum CreditorReference {
    /// True when `text` starts with `RF` (any case), ignoring blanks.
    static func looksLikeRF(_ text: String) -> Bool {
        var it = text.utf8.lazy.filter { $0 != 0x20 }.makeIterator()
        guard let a = it.next(), let b = it.next() else { return false }
        return (a | 0x20) == 0x72 && (b | 0x20) == 0x66
    }

    /// The reference in electronic form (blanks removed, upper case) when its check digits
    /// are right (mod 97 = 1 after moving `RFcc` to the end, letters A=10…Z=35); else nil.
    static func validRF(_ text: String) -> String? {
        var chars: [UInt8] = []
        for b in text.utf8 where b != 0x20 {
            switch b {
            case 0x30...0x39, 0x41...0x5A: chars.append(b)
            case 0x61...0x7A: chars.append(b - 0x20)
            default: return nil
            }
        }
        guard chars.count >= 5, chars.count <= 25, chars[0] == 0x52, chars[1] == 0x46,
              (0x30...0x39).contains(chars[2]), (0x30...0x39).contains(chars[3]) else { return nil }
        var remainder = 0
        for b in chars[4...] + chars[0..<4] {
            if b <= 0x39 {
                remainder = (remainder * 10 + Int(b - 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(b - 0x41 + 10)) % 97
            }
        }
        return remainder == 1 ? String(decoding: chars, as: UTF8.self) : nil
    }
}
