/// Payer names reduced to what identifies a company: "Établissements Dupont S.A.R.L." and
/// "ETABLISSEMENTS DUPONT" are one name.
public enum PayerName {
    /// Legal forms dropped wherever they stand as a word.
    static let legalForms: Set<String> = [
        "SARL", "SAS", "SA", "EURL", "SASU", "GMBH", "LTD", "SCI", "SNC", "SCOP", "SELARL", "SCA", "SCS", "SE",
        "AG", "BV", "NV", "LLC", "INC", "PLC", "SRL", "SPA", "SL",
    ]

    static let legalFormBytes: [[UInt8]] = legalForms.sorted().map { Array($0.utf8) }

    /// Upper-case ASCII, accents removed, dots deleted (`S.A.R.L.` → `SARL`), other punctuation
    /// as blanks, legal forms dropped, single blanks. Empty when nothing is left.
    public static func normalise(_ name: String) -> String {
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return normaliseASCII(name) }
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

    /// The same rules on bytes, for the common all-ASCII name (several times faster than
    /// going through `Character`).
    static func normaliseASCII(_ name: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        var word: [UInt8] = []
        func flush() {
            guard !word.isEmpty else { return }
            if !(word.count >= 2 && word.count <= 6 && legalFormBytes.contains(where: { $0.count == word.count && $0.elementsEqual(word) })) {
                if !out.isEmpty { out.append(0x20) }
                out.append(contentsOf: word)
            }
            word.removeAll(keepingCapacity: true)
        }
        for b in name.utf8 {
            switch b {
            case 0x2E, 0x27: continue
            case 0x30...0x39, 0x41...0x5A: word.append(b)
            case 0x61...0x7A: word.append(b - 0x20)
            default: flush()
            }
        }
        flush()
        return String(decoding: out, as: UTF8.self)
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
        for b in iban.utf8 {
            switch b {
            case 0x61...0x7A: out.append(b - 0x20)
            case 0x20, 0x2D, 0xC2, 0xA0: continue  // blank, dash, NBSP (UTF-8 C2 A0)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
