/// ISO 11649 structured creditor reference ("référence structurée du créancier", `RF18 5390 0754 7034`).
///
/// The check digits are verified before anything is looked up: a mistyped RF reference must
/// never find an invoice by accident.
public enum CreditorReference {
    /// Upper-case letters and digits only (blanks and dashes dropped); nil when other characters appear.
    public static func compact(_ text: String) -> String? {
        var out = ""
        for u in text.unicodeScalars {
            switch u.value {
            case 0x30...0x39, 0x41...0x5A: out.unicodeScalars.append(u)
            case 0x61...0x7A: out.unicodeScalars.append(Unicode.Scalar(u.value - 0x20)!)
            case 0x20, 0x2D, 0xA0: continue
            default: return nil
            }
        }
        return out
    }

    /// The compact reference when `text` is a valid RF reference (5 to 25 characters, `RF`,
    /// two check digits, mod 97 = 1), else nil.
    public static func validated(_ text: String) -> String? {
        guard let c = compact(text) else { return nil }
        let bytes = Array(c.utf8)
        guard bytes.count >= 5, bytes.count <= 25, bytes[0] == 0x52, bytes[1] == 0x46,
              (0x30...0x39).contains(bytes[2]), (0x30...0x39).contains(bytes[3]) else { return nil }
        var remainder = 0
        for b in bytes[4...] + bytes[0..<4] {
            if b >= 0x30 && b <= 0x39 {
                remainder = (remainder * 10 + Int(b - 0x30)) % 97
            } else {
                let v = Int(b - 0x41) + 10
                remainder = (remainder * 100 + v) % 97
            }
        }
        return remainder == 1 ? c : nil
    }

    /// Builds a valid reference for `body` (letters and digits), e.g. to test or to issue invoices.
    public static func make(body: String) -> String? {
        guard let b = compact(body), !b.isEmpty, b.utf8.count <= 21 else { return nil }
        var remainder = 0
        for ch in (b + "RF00").utf8 {
            if ch >= 0x30 && ch <= 0x39 { remainder = (remainder * 10 + Int(ch - 0x30)) % 97 }
            else { remainder = (remainder * 100 + Int(ch - 0x41) + 10) % 97 }
        }
        let check = 98 - remainder
        return "RF" + (check < 10 ? "0" : "") + String(check) + b
    }
}
