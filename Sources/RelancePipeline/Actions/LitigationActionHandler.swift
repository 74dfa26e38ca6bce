import RelanceCore
import RelanceFormats
import RelanceStore

/// `litigation_open` (`customer_id`, `partner`, `invoices` or `invoice_number` — none means
/// every overdue invoice —, `comment`, `date`), `litigation_add` (`customer_id`, invoices as
/// for open), `litigation_stage` (`customer_id`, `stage`, `date`, `comment`, `reference`),
/// `litigation_close` (`customer_id`, `outcome`, `amount`, `comment`, `date`).
public struct LitigationActionHandler: ActionHandler {
    public var actions: [String] { ["litigation_open", "litigation_add", "litigation_stage", "litigation_close"] }

    public init() {}

    public func apply(_ row: ActionRow, context: ActionContext) throws -> String {
        let customer = try row.required("customer_id")
        let day = try row.day("date") ?? context.asOf
        let tx = context.transaction
        let which: StoreTransaction.CaseInvoices = CollectionFields.invoiceList(row).map { .numbers($0) } ?? .allOverdue(asOf: context.asOf)
        switch row.action {
        case "litigation_open":
            let partnerId = try row.required("partner")
            let directory = context.run.config.disputes.partners
            guard directory.contains(where: { $0.id == partnerId }) else {
                throw ActionRefusal("unknown partner \"\(partnerId)\" (partners in relance.yaml: "
                                    + (directory.isEmpty ? "none" : directory.map(\.id).joined(separator: ", ")) + ")", field: "partner")
            }
            let id = try CollectionFields.refusing {
                try tx.openCase(customerId: customer, invoices: which, partnerId: partnerId, comment: row["comment"], on: day)
            }
            return "case \(id) opened for \(customer), transmitted to \(partnerId)"
        case "litigation_add":
            let r = try CollectionFields.refusing { try tx.addToCase(customerId: customer, invoices: which, on: day) }
            return "\(r.added) invoice(s) added to case \(r.caseId)"
        case "litigation_stage":
            let text = try row.required("stage")
            guard let stage = LitigationStage.parse(text) else {
                throw ActionRefusal("unknown stage \"\(text)\" (known: \(LitigationStage.allCases.map(\.rawValue).joined(separator: ", ")))", field: "stage")
            }
            let id = try CollectionFields.refusing {
                try tx.recordStage(customerId: customer, stage: stage, on: day, comment: row["comment"], reference: row["reference"])
            }
            return "case \(id): \(stage.rawValue) on \(day)"
        default:
            let text = try row.required("outcome")
            guard let outcome = LitigationOutcome(rawValue: text.lowercased()) else {
                throw ActionRefusal("unknown outcome \"\(text)\" (known: \(LitigationOutcome.allCases.map(\.rawValue).joined(separator: ", ")))", field: "outcome")
            }
            let amount = try CollectionFields.amount(row)
            let id = try CollectionFields.refusing {
                try tx.closeCase(customerId: customer, outcome: outcome, recovered: amount, comment: row["comment"], on: day)
            }
            return "case \(id) closed (\(outcome.rawValue))"
        }
    }
}
