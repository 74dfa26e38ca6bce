import RelanceCore

/// A seller or buyer as an e-invoice states it, syntax-independent (UBL `Party`, CII `TradeParty`).
///
/// Identifiers are kept raw with their scheme; the French legal ids are derived from them by
/// the rules below, because real files put the SIREN in four different places (legal entity
/// id with scheme 0002, the first nine digits of a SIRET with scheme 0009, the French VAT number
/// `FRkk` + SIREN, the SIREN-based electronic address scheme 0225) and sometimes label a SIRET
/// as scheme 0002.
struct EInvoiceParty: Sendable, Equatable {
    struct Identifier: Sendable, Equatable {
        enum Role: Sendable, Equatable {
            /// The legal registration id (UBL `PartyLegalEntity/CompanyID`, CII `SpecifiedLegalOrganization/ID`).
            case legal
            /// A party identifier with a scheme (UBL `PartyIdentification/ID@schemeID`, CII `GlobalID`).
            case global
            /// The electronic address (UBL `EndpointID`, CII `URIUniversalCommunication/URIID`).
            case endpoint
        }
        var role: Role
        var scheme: String?
        var value: String
    }

    /// Registration (legal) name, else the trading name.
    var name: String?
    var tradingName: String?
    var identifiers: [Identifier] = []
    /// Identifier without a scheme: the id the seller gives the buyer (EN 16931 BT-46), often the
    /// ERP's customer code.
    var ownId: String?
    /// VAT numbers as written (UBL `PartyTaxScheme` with scheme VAT, CII `SpecifiedTaxRegistration/ID@schemeID=VA`).
    var vatNumbers: [String] = []
    var email: String?
    var addressLines: [String] = []
    var postalCode: String?
    var city: String?
    var country: String?
    /// Element path, for messages.
    var path: String = ""

    // MARK: Derived legal identifiers

    /// The SIRET ("numéro d'établissement", 14 digits): scheme 0009, or a 14-digit value filed under 0002.
    var siret: String? {
        for id in identifiers where id.scheme == "0009" || id.scheme == "0002" {
            let d = Self.compact(id.value)
            if Self.isDigits(d, count: 14) { return d }
        }
        return nil
    }

    /// The SIREN ("numéro d'entreprise", 9 digits). Precedence: a 9-digit legal id (scheme 0002,
    /// or no scheme in a French party), the SIRET's first nine digits, the French VAT number's
    /// last nine digits, the 0225/0002/0009 electronic address's leading nine digits.
    var siren: String? {
        for id in identifiers where id.role == .legal {
            let d = Self.compact(id.value)
            if Self.isDigits(d, count: 9), id.scheme == "0002" || (id.scheme == nil && (country ?? "FR") == "FR") { return d }
        }
        for id in identifiers where id.role != .endpoint && id.scheme == "0002" {
            let d = Self.compact(id.value)
            if Self.isDigits(d, count: 9) { return d }
        }
        if let siret { return String(siret.prefix(9)) }
        for v in vatNumbers {
            if let s = Self.sirenFromFrenchVAT(v) { return s }
        }
        for id in identifiers where id.role == .endpoint && (id.scheme == "0225" || id.scheme == "0002" || id.scheme == "0009") {
            let digits = String(Self.compact(id.value).prefix { $0.isASCII && $0.isNumber })
            if digits.count == 9 || digits.count == 14 { return String(digits.prefix(9)) }
        }
        return nil
    }

    /// The first VAT number, compacted (`FR 05 987 654 321` → `FR05987654321`).
    var vat: String? { vatNumbers.lazy.map(Self.compactVAT).first { !$0.isEmpty } }

    /// Whether the party carries any legal identifier at all (SIREN, SIRET, VAT, registration id).
    var hasLegalIdentifier: Bool {
        siren != nil || vat != nil || identifiers.contains { $0.role == .legal || $0.role == .global }
    }

    /// `LE FOURNISSEUR (SIREN 123456782, SIRET 12345678200077, VAT FR11123456782)`, for messages.
    var summary: String {
        var ids: [String] = []
        if let siren { ids.append("SIREN \(siren)") }
        if let siret { ids.append("SIRET \(siret)") }
        if let vat { ids.append("VAT \(vat)") }
        if ids.isEmpty, let own = ownId { ids.append("id \(own)") }
        let n = name ?? tradingName ?? "(no name)"
        return ids.isEmpty ? n : "\(n) (\(ids.joined(separator: ", ")))"
    }

    // MARK: Helpers

    /// Removes blanks, dots and dashes, the separators people put in ids.
    static func compact(_ s: String) -> String {
        String(s.unicodeScalars.filter { c in
            !(c == " " || c == "." || c == "-" || c == "\u{A0}" || c == "\u{202F}" || c == "\t" || c == "\n" || c == "\r")
        }.map(Character.init))
    }

    static func compactVAT(_ s: String) -> String { compact(s).uppercased() }

    static func isDigits(_ s: String, count: Int) -> Bool {
        s.utf8.count == count && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `FRkk` + 9 digits → the 9 digits (the key `kk` may be letters for some companies).
    static func sirenFromFrenchVAT(_ vat: String) -> String? {
        let v = compactVAT(vat)
        guard v.hasPrefix("FR"), v.utf8.count == 13 else { return nil }
        let siren = String(v.suffix(9))
        return isDigits(siren, count: 9) ? siren : nil
    }
}
