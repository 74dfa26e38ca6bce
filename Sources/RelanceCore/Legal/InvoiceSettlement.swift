/// A dated amount received against one invoice ("règlement", partial or full).
///
/// The day is when the funds were made available to the creditor — for bank statements the
/// credit's value date, else its booking date (legal.md §1.4) — because that day ends the
/// accrual on the amount paid: interest runs through the payment day inclusive. A credit note
/// imputed on the invoice after its due date is passed the same way, dated when it was issued.
public struct InvoiceSettlement: Sendable, Equatable {
    public var day: Day
    public var amount: Money

    public init(day: Day, amount: Money) {
        self.day = day
        self.amount = amount
    }
}
