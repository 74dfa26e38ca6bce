import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore

/// What the tasks stage wrote.
public struct TasksSummary: Sendable {
    public var file: URL
    public var tasks: [CollectionTask]
    /// Tasks due on or before the as-of date.
    public var dueCount: Int
}

/// The dated task list `outbox/tasks/<as-of>/tasks.csv`: dispute follow-ups, procedural
/// deadlines, limitation alerts, missed promises and plans (`CollectionTaskDerivation`).
/// Published as a whole folder; the same store and as-of date give the same bytes.
public enum TasksStage {
    public static let header = ["due_date", "status", "kind", "customer_id", "invoice_number", "case_id", "owner", "task"]

    public static func run(_ ctx: RunContext, store: Store) throws -> TasksSummary {
        let inputs = try store.collectionTaskInputs(asOf: ctx.asOf)
        let tasks = CollectionTaskDerivation.derive(asOf: ctx.asOf, categories: ctx.config.disputes.categories,
                                                    disputes: inputs.disputes, cases: inputs.cases, watched: inputs.watched,
                                                    brokenPromises: inputs.brokenPromises, brokenPlans: inputs.brokenPlans)
        var csv = CSVTableWriter(dialect: ctx.config.reportDialect)
        csv.header(header)
        for t in tasks {
            let status = t.due < ctx.asOf ? "overdue" : (t.due == ctx.asOf ? "today" : "upcoming")
            csv.row([.text(t.due.description), .text(status), .text(t.kind.rawValue), .text(t.customerId), .text(t.invoiceNumber ?? ""),
                     .text(t.caseId ?? ""), .text(t.owner ?? ""), .text(t.description)])
        }
        let folder = try OutboxPublisher(outbox: ctx.home.outbox).publish(folder: "tasks/\(ctx.asOf)", files: [("tasks.csv", csv.bytes)])
        return TasksSummary(file: folder.appendingPathComponent("tasks.csv"), tasks: tasks, dueCount: tasks.filter { $0.due <= ctx.asOf }.count)
    }
}
