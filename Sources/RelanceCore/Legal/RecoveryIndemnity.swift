/// The indemnité forfaitaire pour frais de recouvrement: €40 per invoice paid late between
/// professionals (art. L441-10 II and D441-5 Code de commerce, legal.md §1.5).
///
/// It is due de plein droit, without reminder, for any delay — even one day — and per late
/// invoice (CJEU C-78/22: per late payment, so each instalment invoice counts). Consumers never
/// owe it, and no other recovery cost may be charged to them without an enforceable title
/// (L111-8 CPCE). It is outside the scope of VAT and always in euros.
public enum RecoveryIndemnity {
    /// €40, in cents.
    public static let perInvoice = Money(minor: 4000, currency: .eur)

    /// The first due date the indemnity applies to: décret 2012-1115, payments whose term
    /// started on or after 1 January 2013.
    public static let firstApplicableDueDate = Day(year: 2013, month: 1, day: 1) ?? Day(ordinal: 15706)

    /// The indemnity owed for one invoice: €40 when the debtor is a business and the invoice
    /// was (or still is) unpaid after its due date, else zero.
    ///
    /// - Parameters:
    ///   - paidInFullOn: the day the last euro was made available to the creditor, nil if unpaid.
    ///   - asOf: the run's as-of date, used when the invoice is unpaid.
    public static func amount(debtor: CustomerKind, dueDate: Day, paidInFullOn: Day?, asOf: Day) -> Money {
        isOwed(debtor: debtor, dueDate: dueDate, paidInFullOn: paidInFullOn, asOf: asOf) ? perInvoice : .zero(.eur)
    }

    /// Whether the €40 is owed for one invoice (see `amount(debtor:dueDate:paidInFullOn:asOf:)`).
    public static func isOwed(debtor: CustomerKind, dueDate: Day, paidInFullOn: Day?, asOf: Day) -> Bool {
        guard debtor == .business, dueDate >= firstApplicableDueDate else { return false }
        return (paidInFullOn ?? asOf) > dueDate
    }

    /// €40 × the number of late invoices, as itemised in a mise en demeure (legal.md §7.2).
    public static func total(lateInvoices count: Int) throws(MoneyError) -> Money {
        let (v, o) = perInvoice.minor.multipliedReportingOverflow(by: Int64(max(0, count)))
        if o { throw .overflow }
        return Money(minor: v, currency: .eur)
    }
}
