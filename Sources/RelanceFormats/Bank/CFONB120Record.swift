import RelanceCore

/// One 120-character record of a CFONB "relevé de compte" (the French banks' statement format,
/// Comité Français d'Organisation et de Normalisation Bancaires). Positions below are 1-based,
/// as in the CFONB brochure.
///
/// | zone | 01/07 balance | 04 movement | 05 complement |
/// |---|---|---|---|
/// | 1–2 | record code | record code | record code |
/// | 3–7 | bank code | bank code | bank code |
/// | 8–11 | — | internal operation code | internal operation code |
/// | 12–16 | branch (guichet) | branch | branch |
/// | 17–19 | currency | currency | currency |
/// | 20 | decimals | decimals | decimals |
/// | 22–32 | account number | account number | account number |
/// | 33–34 | — | interbank operation code | interbank operation code |
/// | 35–40 | balance date JJMMAA | booking date | booking date |
/// | 41–42 | — | reject reason code | — |
/// | 43–48 | — | value date | — (46–48: qualifier) |
/// | 49–79 | — | label (libellé) | 49–118: complementary text |
/// | 82–88 | — | entry number | |
/// | 91–104 | balance | amount | |
/// | 105–120 | — | reference | |
///
/// Amounts are 13 digits then an "overpunch" character carrying the last digit and the sign:
/// `{` `A`…`I` for +0…+9, `}` `J`…`R` for −0…−9.
struct CFONB120Record {
    let bytes: ArraySlice<UInt8>
    let line: Int

    var code: String { field(1, 2) }

    /// The text of zone `from…to` (1-based, inclusive), not trimmed. Records hold one byte
    /// per character (Latin-1; UTF-8 lines are folded to that by the reader).
    func field(_ from: Int, _ to: Int) -> String {
        let s = bytes.index(bytes.startIndex, offsetBy: from - 1)
        let e = bytes.index(bytes.startIndex, offsetBy: to)
        return CFONB120Record.decode(bytes[s..<e])
    }

    func trimmed(_ from: Int, _ to: Int) -> String { CFONB120Record.collapseBlanks(field(from, to)) }

    func byte(_ position: Int) -> UInt8 { bytes[bytes.startIndex + position - 1] }

    /// Number of decimals of the amounts (position 20); nil when blank or not a digit.
    var decimals: Int? {
        let b = byte(20)
        return (0x30...0x39).contains(b) ? Int(b - 0x30) : nil
    }

    /// Currency code at 17–19; nil when blank (old files).
    var currencyField: String { trimmed(17, 19) }

    /// Signed amount at 91–104 in units of 10^-decimals; nil when malformed.
    var amount: Int64? {
        var v: Int64 = 0
        for p in 91...103 {
            let b = byte(p)
            guard (0x30...0x39).contains(b) else { return nil }
            v = v * 10 + Int64(b - 0x30)
        }
        guard let (digit, negative) = CFONB120Record.overpunch(byte(104)) else { return nil }
        v = v * 10 + Int64(digit)
        return negative ? -v : v
    }

    /// The digit and sign an overpunch character stands for.
    static func overpunch(_ b: UInt8) -> (Int, Bool)? {
        switch b {
        case 0x7B: return (0, false)                 // {
        case 0x41...0x49: return (Int(b - 0x40), false)  // A…I = 1…9
        case 0x7D: return (0, true)                  // }
        case 0x4A...0x52: return (Int(b - 0x49), true)   // J…R = 1…9
        default: return nil
        }
    }

    /// JJMMAA at `from`; years 00–79 are 20yy, 80–99 are 19yy (the format dates from the 1980s).
    func date(at from: Int) -> Day? {
        var d = [Int]()
        for p in from..<(from + 6) {
            let b = byte(p)
            guard (0x30...0x39).contains(b) else { return nil }
            d.append(Int(b - 0x30))
        }
        let yy = d[4] * 10 + d[5]
        return Day(year: yy < 80 ? 2000 + yy : 1900 + yy, month: d[2] * 10 + d[3], day: d[0] * 10 + d[1])
    }

    static func decode(_ b: ArraySlice<UInt8>) -> String {
        if b.allSatisfy({ $0 < 0x80 }) { return String(decoding: b, as: UTF8.self) }
        return String(String.UnicodeScalarView(b.map { Unicode.Scalar($0) }))  // Latin-1
    }

    /// Trims and folds runs of blanks into one space (labels are padded to fixed widths).
    static func collapseBlanks(_ s: String) -> String {
        s.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
