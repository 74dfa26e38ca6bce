/// Payer names reduced to what identifies a company: "Établissements Dupont S.A.R.L." and
/// "ETABLISSEMENTS DUPONT" are one name.
public enum PayerName {
    /// Legal forms dropped wherever they stand as a word.
    static let legalForms: Set<String> = [
        "SARL", "SAS", "SA", "EURL", "SASU", "GMBH", "LTD", "SCI", "SNC", "SCOP", "SELARL", "SCA", "SCS", "SE",
        "AG", "BV", "NV", "LLC", "INC", "PLC", "SRL", "SPA", "SL",
    ]

    /// The legal forms (2 to 6 letters) packed big-endian into one integer each, as `flush`
    /// packs a word: comparing one integer per form instead of bytes.
    static let legalFormWords: [UInt64] = legalForms.map { $0.utf8.reduce(0) { $0 << 8 | UInt64($1) } }.sorted()

    /// Upper-case ASCII, accents removed, dots deleted (`S.A.R.L.` → `SARL`), other punctuation
    /// as blanks, legal forms dropped, single blanks. Empty when nothing is left.
    public static func normalise(_ name: String) -> String {
        if let fast = normaliseBytes(name) { return fast }
        return normaliseCharacters(name)
    }

    /// The general path, through `Character` (any script; slow).
    static func normaliseCharacters(_ name: String) -> String {
        var buffer = ""
        buffer.reserveCapacity(name.utf8.count)
        for ch in name.uppercased() {
            if ch == "." || ch == "'" || ch == "’" { continue }
            if ch.isASCII {
                if ch.isLetter || ch.isNumber { buffer.append(ch) } else { buffer.append(" ") }
                continue
            }
            if let folded = fold(ch) { buffer.append(folded) } else { buffer.append(" ") }
        }
        var words: [Substring] = []
        for w in buffer.split(separator: " ") where !legalForms.contains(String(w)) { words.append(w) }
        return words.joined(separator: " ")
    }

    /// Latin-1 letters (UTF-8 `C3 xx`) folded to ASCII upper case, indexed by `xx - 0x80`;
    /// nil where the byte path defers to the general one.
    static let latin1: [String?] = {
        var t = [String?](repeating: nil, count: 64)
        func set(_ r: ClosedRange<Int>, _ v: String) { for i in r { t[i - 0xC0] = v } }
        set(0xC0...0xC5, "A"); set(0xC6...0xC6, "AE"); set(0xC7...0xC7, "C"); set(0xC8...0xCB, "E"); set(0xCC...0xCF, "I")
        set(0xD1...0xD1, "N"); set(0xD2...0xD6, "O"); set(0xD8...0xD8, "O"); set(0xD9...0xDC, "U"); set(0xDD...0xDD, "Y")
        set(0xDF...0xDF, "SS")
        set(0xE0...0xE5, "A"); set(0xE6...0xE6, "AE"); set(0xE7...0xE7, "C"); set(0xE8...0xEB, "E"); set(0xEC...0xEF, "I")
        set(0xF1...0xF1, "N"); set(0xF2...0xF6, "O"); set(0xF8...0xF8, "O"); set(0xF9...0xFC, "U"); set(0xFD...0xFD, "Y")
        set(0xFF...0xFF, "Y")
        return t
    }()

    /// The same rules on bytes for ASCII and French Latin-1 letters, Œ and ’ (several times
    /// faster than going through `Character`); nil for any other non-ASCII character.
    static func normaliseBytes(_ name: String) -> String? {
        var out: [UInt8] = [], word: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        guard normaliseBytes(name, into: &out, word: &word) else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// `normalise(name)`'s bytes written into `out` (emptied first), `word` being a buffer
    /// the caller reuses too: no String is built.
    static func normalise(_ name: String, into out: inout [UInt8], word: inout [UInt8]) {
        if !normaliseBytes(name, into: &out, word: &word) {
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: normaliseCharacters(name).utf8)
        }
    }

    /// The byte path of `normalise` into `out`; false (with `out` in any state) for a
    /// character it leaves to the general path.
    static func normaliseBytes(_ name: String, into out: inout [UInt8], word: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        word.removeAll(keepingCapacity: true)
        func flush() {
            guard !word.isEmpty else { return }
            var isLegalForm = false
            if word.count >= 2 && word.count <= 6 {
                var packed: UInt64 = 0
                for b in word { packed = packed << 8 | UInt64(b) }
                isLegalForm = legalFormWords.contains(packed)
            }
            if !isLegalForm {
                if !out.isEmpty { out.append(0x20) }
                out.append(contentsOf: word)
            }
            word.removeAll(keepingCapacity: true)
        }
        var it = name.utf8.makeIterator()
        while let b = it.next() {
            switch b {
            case 0x2E, 0x27: continue
            case 0x30...0x39, 0x41...0x5A: word.append(b)
            case 0x61...0x7A: word.append(b - 0x20)
            case 0xC3:
                guard let c = it.next(), c >= 0x80, c <= 0xBF, let folded = latin1[Int(c - 0x80)] else { return false }
                word.append(contentsOf: folded.utf8)
            case 0xC5:
                guard let c = it.next(), c == 0x92 || c == 0x93 else { return false }
                word.append(contentsOf: "OE".utf8)
            case 0xE2:
                guard it.next() == 0x80, it.next() == 0x99 else { return false }
                continue
            case 0x80...: return false
            default: flush()
            }
        }
        flush()
        return true
    }

    /// Latin letters with diacritics to their base letters (upper case).
    static func fold(_ ch: Character) -> String? {
        switch ch {
        case "À", "Á", "Â", "Ã", "Ä", "Å": return "A"
        case "Æ": return "AE"
        case "Ç": return "C"
        case "È", "É", "Ê", "Ë": return "E"
        case "Ì", "Í", "Î", "Ï": return "I"
        case "Ñ": return "N"
        case "Ò", "Ó", "Ô", "Õ", "Ö", "Ø": return "O"
        case "Œ": return "OE"
        case "Ù", "Ú", "Û", "Ü": return "U"
        case "Ý", "Ÿ": return "Y"
        case "ß": return "SS"
        default: return nil
        }
    }

    /// IBAN compared without blanks, upper case.
    public static func compactIBAN(_ iban: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(34)
        compactIBAN(iban, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `compactIBAN(iban)`'s bytes written into `out` (emptied first).
    static func compactIBAN(_ iban: String, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        for b in iban.utf8 {
            switch b {
            case 0x61...0x7A: out.append(b - 0x20)
            case 0x20, 0x2D, 0xC2, 0xA0: continue  // blank, dash, NBSP (UTF-8 C2 A0)
            default: out.append(b)
            }
        }
    }
}
