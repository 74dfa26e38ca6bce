import Foundation
import RelanceCore

/// Decides whether an e-invoice's seller is the configured company, i.e. whether the file is a
/// sale (a receivable to collect) or a purchase (someone else's invoice to us).
///
/// Rule, strongest evidence first, and the first rule both sides can answer decides:
/// 1. SIREN: the company's (configured, or from its French VAT number) against the seller's
///    (legal id, SIRET prefix, French VAT number, 0225 address; see `EInvoiceParty.siren`);
/// 2. VAT number, compacted and upper-cased;
/// 3. normalised name (accents and case folded, punctuation dropped, legal forms such as
///    SAS, SARL, GmbH, Ltd removed) against the seller's registration and trading names.
/// A SIREN mismatch is final: two companies of the same name are different companies.
struct CompanyMatcher: Sendable {
    let company: CompanyIdentity

    init(_ company: CompanyIdentity) { self.company = company }

    var companySIREN: String? {
        if let s = company.siren.map(EInvoiceParty.compact), EInvoiceParty.isDigits(s, count: 9) { return s }
        if let s = company.siren.map(EInvoiceParty.compact), EInvoiceParty.isDigits(s, count: 14) { return String(s.prefix(9)) }
        return company.vatNumber.flatMap(EInvoiceParty.sirenFromFrenchVAT)
    }

    func isCompany(_ seller: EInvoiceParty) -> Bool {
        if let mine = companySIREN, let theirs = seller.siren { return mine == theirs }
        if let mine = company.vatNumber.map(EInvoiceParty.compactVAT), !mine.isEmpty, !seller.vatNumbers.isEmpty {
            return seller.vatNumbers.contains { EInvoiceParty.compactVAT($0) == mine }
        }
        let mine = Self.normalisedName(company.name)
        guard !mine.isEmpty else { return false }
        return [seller.name, seller.tradingName].compactMap { $0 }.contains { Self.normalisedName($0) == mine }
    }

    /// `company (SIREN 999999998, VAT FR11999999998)`, for messages.
    var summary: String {
        var ids: [String] = []
        if let s = companySIREN { ids.append("SIREN \(s)") }
        if let v = company.vatNumber, !v.isEmpty { ids.append("VAT \(EInvoiceParty.compactVAT(v))") }
        return ids.isEmpty ? company.name : "\(company.name) (\(ids.joined(separator: ", ")))"
    }

    static let legalForms: Set<String> = [
        "SA", "SAS", "SASU", "SARL", "EURL", "SNC", "SCI", "SCOP", "SELARL", "SCP", "GIE", "EI", "EIRL",
        "GMBH", "AG", "KG", "UG", "LTD", "LIMITED", "INC", "INCORPORATED", "LLC", "PLC", "BV", "NV", "SPA", "SRL", "SL", "CO",
    ]

    /// `Société Générale S.A.` → `SOCIETE GENERALE`; `Au bon moulin SARL` → `AU BON MOULIN`.
    static func normalisedName(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil).uppercased()
        // Dotted abbreviations (S.A., S.A.R.L.) join up before splitting into words.
        let joined = folded.replacingOccurrences(of: ".", with: "")
        let words = joined.split { c in !(c.isLetter || c.isNumber) }.map(String.init)
        let kept = words.filter { !legalForms.contains($0) }
        return (kept.isEmpty ? words : kept).joined(separator: " ")
    }
}
