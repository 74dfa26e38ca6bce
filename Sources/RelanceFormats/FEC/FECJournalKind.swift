import RelanceCore

/// What a journal holds, which decides what its customer lines mean.
///
/// An FEC does not say which journal is the sales journal: codes are free (`VE`, `70`, `2`).
/// The reader infers it from the accounts the journal's entries touch, and the company's
/// `fec.journalOverrides` wins over the inference.
enum FECJournalKind: String, Sendable, CaseIterable {
    /// Sales ("ventes"): customer debits are invoices, customer credits are credit notes.
    case sales
    /// Bank or cash ("banque", "caisse", "encaissements"): customer credits are payments,
    /// customer debits are refunds or returned payments.
    case bank
    /// Opening entries ("à-nouveaux"): customer lines are balances carried from last year.
    case opening
    /// Anything else ("opérations diverses"): customer lines are settlements by other means
    /// (offsets, write-offs, small differences), read as payments.
    case other

    /// Journal codes that name the opening journal in French software.
    static let openingCodes: Set<String> = ["AN", "RAN", "ANO", "ANX", "ANV"]

    /// The inference: an opening journal by its code or label; otherwise bank when most of its
    /// entries touch a bank or cash account (51x, 53x), sales when most touch revenue (70x) or
    /// collected VAT (4457x), other when neither. Majorities, not mere presence, so that an
    /// "opérations diverses" journal with one stray revenue line is not taken for sales, and a
    /// bank journal recording cash sales (istea's journal 21) stays a bank journal. Collected
    /// VAT (4457) rather than all of 445, because the purchases journal touches deductible VAT
    /// (4456) in every entry.
    static func infer(_ journal: FECLedger.Journal) -> FECJournalKind {
        if openingCodes.contains(journal.code.uppercased()) || journal.openingLabel { return .opening }
        if journal.treasuryEntries * 2 > journal.entries { return .bank }
        if journal.revenueEntries * 2 > journal.entries { return .sales }
        return .other
    }

    /// Reads an override value from `fec.journalOverrides` (`sales`, `bank`, `other`, `opening`).
    init?(override value: String) {
        let v = String(value.lowercased().drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        switch v {
        case "sales", "sale", "ventes": self = .sales
        case "bank", "cash", "banque", "caisse": self = .bank
        case "other", "od": self = .other
        case "opening", "an": self = .opening
        default: return nil
        }
    }
}
