import RelanceCore
import RelanceFormats
import RelanceStore

/// `dispute_open`, `dispute_update`, `dispute_resolve` (fields `invoice_number`, `category`,
/// `comment`, `owner`, `task`, `date`; the date defaults to the run's as-of date).
public struct DisputeActionHandler: ActionHandler {
    public var actions: [String] { ["dispute_open", "dispute_update", "dispute_resolve"] }

    public init() {}

    public func apply(_ row: ActionRow, context: ActionContext) throws -> String {
        let number = try row.required("invoice_number")
        let day = try row.day("date") ?? context.asOf
        let categories = context.run.config.disputes.categories
        func category(_ text: String) throws(ActionRefusal) -> String {
            guard let c = DisputeCategory.find(text, in: categories) else {
                throw ActionRefusal("unknown category \"\(text)\" (known: \(categories.map(\.name).joined(separator: ", ")))", field: "category")
            }
            return c.name
        }
        let tx = context.transaction
        switch row.action {
        case "dispute_open":
            let cat = try category(try row.required("category"))
            let id = try CollectionFields.refusing { try tx.openDispute(invoiceNumber: number, category: cat, comment: row["comment"], owner: row["owner"], on: day) }
            return "dispute \(id) opened on \(number) (\(cat))"
        case "dispute_update":
            var update = StoreTransaction.DisputeUpdate(comment: row["comment"], owner: row["owner"], taskDone: row["task"])
            if let c = row["category"] { update.category = try category(c) }
            try CollectionFields.refusing { try tx.updateDispute(invoiceNumber: number, update, on: day) }
            return "dispute on \(number) updated"
        default:
            try CollectionFields.refusing { try tx.resolveDispute(invoiceNumber: number, comment: row["comment"], on: day) }
            return "dispute on \(number) resolved; the invoice is back in its reminder scenario"
        }
    }
}
