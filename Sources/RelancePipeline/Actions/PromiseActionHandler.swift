import RelanceCore
import RelanceFormats
import RelanceStore

/// `promise`: `invoice_number`, `date` (the promised payment date, required), `amount`
/// (default: everything left to pay), `comment`.
public struct PromiseActionHandler: ActionHandler {
    public var actions: [String] { ["promise"] }

    public init() {}

    public func apply(_ row: ActionRow, context: ActionContext) throws -> String {
        let number = try row.required("invoice_number")
        guard let promised = try row.day("date") else { throw ActionRefusal("missing (the promised payment date)", field: "date") }
        let amount = try CollectionFields.amount(row)
        let tx = context.transaction
        let id = try CollectionFields.refusing {
            try tx.recordPromise(invoiceNumber: number, promisedOn: promised, amount: amount, comment: row["comment"], on: context.asOf)
        }
        return "promise \(id) on \(number) for \(promised)"
    }
}
