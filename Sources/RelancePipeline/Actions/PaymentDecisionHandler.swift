import RelanceCore
import RelanceFormats
import RelanceStore

/// The credit manager's answers to reconciliation (action file rows or `relance-reconcile`
/// options; field keys as `ActionFile.key` normalises them):
/// - `allocate`: `payment_id`, `invoice_number` [, `amount`] → an allocation confirmed by the
///   actor (rule `manual`), which no automatic rule ever reworks; without `amount`, as much as
///   both the payment and the invoice allow;
/// - `refund` / `ignore`: `payment_id` → the payment's remainder leaves reconciliation;
/// - `writeoff`: `payment_id` [, `invoice_number`, `amount`] → the invoice's difference is
///   written off (the pending proposal's amount, else the invoice's open amount).
/// Optional everywhere: `comment`, `date` (default: the as-of date). Amounts are written
/// `1234.56` or `1 234,56`, in the payment's currency.
public struct PaymentDecisionHandler: ActionHandler {
    public init() {}

    public var actions: [String] { ["allocate", "refund", "ignore", "writeoff"] }

    public func apply(_ row: ActionRow, context: ActionContext) throws -> String {
        let tx = context.transaction
        let paymentRef = try row.required("payment_id")
        let comment = row["comment"].flatMap { $0.isEmpty ? nil : $0 }
        let day = try row.day("date") ?? context.asOf
        do {
            switch row.action {
            case "allocate":
                let number = try row.required("invoice_number")
                let amount = try amountField(row, currencyOf: paymentRef, tx: tx)
                let done = try tx.allocateManually(paymentRef: paymentRef, invoiceNumber: number, amount: amount, comment: comment)
                return "payment \(paymentRef): \(Money(minor: done.amount, currency: done.currency)) allocated to \(number)"
                    + (done.undone > 0 ? " (replacing \(done.undone) automatic allocation(s))" : "")
            case "refund", "ignore":
                guard let disposal = PaymentDisposal(rawValue: row.action) else { throw ActionRefusal("unknown decision", field: "action") }
                let done = try tx.disposePayment(paymentRef: paymentRef, as: disposal, on: day, comment: comment)
                return "payment \(paymentRef): \(Money(minor: done.amount, currency: done.currency)) marked \(disposal.rawValue)"
            default:
                let number = row["invoice_number"].flatMap { $0.isEmpty ? nil : $0 }
                let amount = try amountField(row, currencyOf: paymentRef, tx: tx)
                let done = try tx.writeOff(paymentRef: paymentRef, invoiceNumber: number, amount: amount, on: day, comment: comment)
                return "invoice \(done.invoiceNumber): \(Money(minor: done.amount, currency: done.currency)) written off (payment \(paymentRef))"
            }
        } catch let e as PaymentDecisionError {
            throw ActionRefusal(e.reason, field: e.field)
        }
    }

    /// The optional `amount`, in minor units of the payment's currency (EUR when the payment is
    /// unknown: the decision is refused for that anyway).
    private func amountField(_ row: ActionRow, currencyOf paymentRef: String, tx: StoreTransaction) throws -> Int64? {
        guard let text = row["amount"], !text.isEmpty else { return nil }
        let places = try tx.paymentCurrency(paymentRef)?.minorUnits ?? 2
        let bytes = Array(text.utf8)
        let separator: DecimalSeparator
        switch AmountParser.evidence(bytes) {
        case .none: separator = .point
        case let .decimal(s): separator = s
        case .ambiguous:
            throw ActionRefusal("\"\(text)\" is ambiguous (thousands or decimals?): write 1234.00 or 1234,00", field: "amount")
        case let .invalid(e): throw ActionRefusal("unreadable amount \"\(text)\": \(e)", field: "amount")
        }
        switch AmountParser.parse(bytes, decimal: separator, places: places) {
        case let .success(v):
            guard v > 0 else { throw ActionRefusal("must be more than zero", field: "amount") }
            return v
        case let .failure(e): throw ActionRefusal("unreadable amount \"\(text)\": \(e)", field: "amount")
        }
    }
}
