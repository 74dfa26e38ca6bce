import RelanceCore
import RelanceFormats
import RelanceStore

/// `payment_plan`: `customer_id`, `instalments` (`DATE:AMOUNT|DATE:AMOUNT`, adding up to the
/// open amount), `invoices` (default: every invoice of the customer with something left to
/// pay), `comment`. `relance plan CUSTOMER --instalment D:AMOUNT …` sends the same row.
public struct PaymentPlanActionHandler: ActionHandler {
    public var actions: [String] { ["payment_plan"] }

    public init() {}

    public func apply(_ row: ActionRow, context: ActionContext) throws -> String {
        let customer = try row.required("customer_id")
        let instalments: [(day: Day, amount: Int64)]
        switch CollectionFields.instalments(try row.required("instalments")) {
        case let .success(list): instalments = list
        case let .failure(refusal): throw refusal
        }
        let tx = context.transaction
        let id = try CollectionFields.refusing {
            try tx.createPaymentPlan(customerId: customer, instalments: instalments, invoiceNumbers: CollectionFields.invoiceList(row),
                                     comment: row["comment"], on: context.asOf)
        }
        return "payment plan \(id) for \(customer): \(instalments.count) instalment(s)"
    }
}
