import RelanceCore

/// The enumerated values a CSV export may write, compared like header labels
/// (case, accents, spaces and punctuation ignored).
public enum CSVValueVocabulary {
    /// What the `type` column says about a document. nil: unknown value (a row error).
    public enum DocumentType: Sendable, Equatable {
        case invoice
        case creditNote
    }

    /// `invoice`, `facture`, `F`, `FA` or empty: an invoice (a negative amount still makes it a
    /// credit note). `credit-note`, `credit_note`, `avoir`, `AV`, `credit` (and `facture d'avoir`,
    /// `note de crédit`): a credit note.
    public static func documentType(_ text: String) -> DocumentType? {
        switch CSVHeaderTable.valueKey(text) {
        case "", "invoice", "facture", "f", "fa", "fac", "fact": return .invoice
        case "creditnote", "avoir", "av", "credit", "factureavoir", "facturedavoir", "notedecredit", "creditmemo": return .creditNote
        default: return nil
        }
    }

    /// The same from the field's bytes, with a fast path for the plain ASCII spellings that
    /// fill million-row exports (`invoice`, `credit_note`, `F`, `AV`…).
    public static func documentType(_ bytes: UnsafeBufferPointer<UInt8>) -> DocumentType? {
        if let key = packedKey(bytes) {
            if invoiceKeys.contains(key) { return .invoice }
            if creditKeys.contains(key) { return .creditNote }
        }
        return documentType(String(decoding: bytes, as: UTF8.self))
    }

    /// Up to 16 lower-cased ASCII letters and digits packed into two words (blanks, `-`, `_`
    /// and `.` skipped); nil for anything longer or not plain ASCII.
    static func packedKey<C: Collection>(_ bytes: C) -> SIMD2<UInt64>? where C.Element == UInt8 {
        var key = SIMD2<UInt64>(0, 0)
        var n = 0
        for b in bytes {
            let c: UInt8
            switch b {
            case 0x61...0x7A, 0x30...0x39: c = b
            case 0x41...0x5A: c = b | 0x20
            case 0x20, 0x2D, 0x5F, 0x2E: continue
            default: return nil
            }
            guard n < 16 else { return nil }
            key[n / 8] |= UInt64(c) << (8 * UInt64(n % 8))
            n += 1
        }
        return key
    }

    static let invoiceKeys: [SIMD2<UInt64>] = ["invoice", "facture", "f", "fa"].compactMap { packedKey(Array($0.utf8)) }
    static let creditKeys: [SIMD2<UInt64>] = ["creditnote", "avoir", "av", "credit"].compactMap { packedKey(Array($0.utf8)) }

    /// `business` (the default when empty) or `consumer`; French `particulier` is a consumer,
    /// `professionnel`, `entreprise`, `société` and `B2B` are businesses.
    public static func customerKind(_ text: String) -> CustomerKind? {
        switch CSVHeaderTable.valueKey(text) {
        case "", "business", "professionnel", "professionnelle", "pro", "entreprise", "societe", "b2b", "company": return .business
        case "consumer", "particulier", "particuliere", "b2c", "individual", "private", "consommateur": return .consumer
        default: return nil
        }
    }

    /// Country names French exports write instead of ISO 3166 codes.
    static let countryNames: [String: String] = [
        "france": "FR", "belgique": "BE", "belgium": "BE", "suisse": "CH", "switzerland": "CH", "luxembourg": "LU",
        "allemagne": "DE", "germany": "DE", "espagne": "ES", "spain": "ES", "italie": "IT", "italy": "IT",
        "royaumeuni": "GB", "unitedkingdom": "GB", "paysbas": "NL", "netherlands": "NL", "monaco": "MC",
        "portugal": "PT", "autriche": "AT", "austria": "AT", "irlande": "IE", "ireland": "IE",
    ]

    /// A two-letter code (upper-cased), or a common country name; nil otherwise.
    public static func country(_ text: String) -> String? {
        let key = CSVHeaderTable.valueKey(text)
        if key.utf8.count == 2 && key.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) { return key.uppercased() }
        return countryNames[key]
    }

    /// A two-letter language code (lower-cased), or French / English named in either language.
    public static func language(_ text: String) -> String? {
        let key = CSVHeaderTable.valueKey(text)
        switch key {
        case "francais", "french", "frfr": return "fr"
        case "anglais", "english", "engb", "enus": return "en"
        default:
            if key.utf8.count == 2 && key.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) { return key }
            return nil
        }
    }
}
