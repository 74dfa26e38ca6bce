import GRDB
import RelanceCore

/// Disputes ("litiges") on invoices: open, update (comment, owner, category, follow-up done),
/// resolve. Each change is journaled under the invoice number (`subject_type = 'document'`),
/// which is the history `relance show invoice` prints.
///
/// While a dispute is open the invoice is out of the reminder scenarios (remind reads
/// `disputes.status = 'open'`) and shows in the aged balance's disputed column; its amount stays
/// in the outstanding.
extension StoreTransaction {
    /// Opens a dispute on an invoice. Refused when the invoice is unknown, is a credit note,
    /// has nothing left to pay, or already has an open dispute.
    @discardableResult
    public func openDispute(invoiceNumber: String, category: String, comment: String?, owner: String?, on day: Day) throws -> Int64 {
        let inv = try disputableInvoice(invoiceNumber)
        if let open = try Row.fetchOne(db, sql: "SELECT category, opened_on FROM disputes WHERE document_id = ? AND status = 'open'",
                                       arguments: [inv.id]) {
            throw CollectionRefusal("invoice \(invoiceNumber) already has an open dispute (\(open[0] as String), opened \(CollectionSQL.day(open[1])))",
                                    field: "invoice_number")
        }
        let open = try CollectionSQL.openAmount(db, documentId: inv.id)
        guard open > 0 else {
            throw CollectionRefusal("invoice \(invoiceNumber) has nothing left to pay: there is nothing to dispute", field: "invoice_number")
        }
        try db.execute(sql: """
            INSERT INTO disputes (document_id, category, status, owner, comment, opened_on, opened_by)
            VALUES (?, ?, 'open', ?, ?, ?, ?)
            """, arguments: [inv.id, category, owner, comment, CollectionSQL.ordinal(day), actor])
        let id = db.lastInsertedRowID
        try CollectionSQL.refreshStatus(db, documentId: inv.id)
        try appendEvent(kind: "dispute.opened", subjectType: "document", subjectId: invoiceNumber,
                        detail: "dispute \(id), category \(category)" + (owner.map { ", owner \($0)" } ?? "")
                            + ", open \(CollectionSQL.money(open, inv.currency))" + (comment.map { ": \($0)" } ?? ""))
        return id
    }

    /// What a dispute update changes; at least one field must be given.
    public struct DisputeUpdate: Sendable, Equatable {
        public var comment: String?
        public var owner: String?
        public var category: String?
        /// The text of a follow-up action of the category now done.
        public var taskDone: String?
        public init(comment: String? = nil, owner: String? = nil, category: String? = nil, taskDone: String? = nil) {
            self.comment = comment; self.owner = owner; self.category = category; self.taskDone = taskDone
        }
        public var isEmpty: Bool { comment == nil && owner == nil && category == nil && taskDone == nil }
    }

    /// Adds a comment, changes owner or category, or records a follow-up as done, on the open
    /// dispute of an invoice. Refused when there is no open dispute or nothing to change.
    public func updateDispute(invoiceNumber: String, _ update: DisputeUpdate, on day: Day) throws {
        let (inv, disputeId) = try openDisputeOf(invoiceNumber)
        guard !update.isEmpty else {
            throw CollectionRefusal("nothing to update: give a comment, owner, category or task", field: "comment")
        }
        if let owner = update.owner {
            try db.execute(sql: "UPDATE disputes SET owner = ? WHERE id = ?", arguments: [owner, disputeId])
            try appendEvent(kind: "dispute.owner", subjectType: "document", subjectId: inv.number, detail: "dispute \(disputeId) owner: \(owner)")
        }
        if let category = update.category {
            try db.execute(sql: "UPDATE disputes SET category = ? WHERE id = ?", arguments: [category, disputeId])
            try appendEvent(kind: "dispute.category", subjectType: "document", subjectId: inv.number, detail: "dispute \(disputeId) category: \(category)")
        }
        if let task = update.taskDone {
            guard try !CollectionSQL.doneTasks(db, disputeId: disputeId).contains(task) else {
                throw CollectionRefusal("task already recorded as done: \(task)", field: "task")
            }
            // The follow-up's text is the journal detail, under the dispute: the task list reads it back.
            try appendEvent(kind: "dispute.task_done", subjectType: "dispute", subjectId: String(disputeId), detail: task)
        }
        if let comment = update.comment {
            try appendEvent(kind: "dispute.comment", subjectType: "document", subjectId: inv.number, detail: "dispute \(disputeId): \(comment)")
        }
    }

    /// Resolves the open dispute of an invoice by hand. The invoice goes back into its reminder
    /// scenario at the step its lateness calls for (the reminder stage's policy: no formal
    /// notice right away).
    public func resolveDispute(invoiceNumber: String, comment: String?, on day: Day) throws {
        let (inv, disputeId) = try openDisputeOf(invoiceNumber)
        try db.execute(sql: """
            UPDATE disputes SET status = 'resolved', resolved_on = ?, resolution = 'manual', resolution_comment = ? WHERE id = ?
            """, arguments: [CollectionSQL.ordinal(day), comment, disputeId])
        try CollectionSQL.refreshStatus(db, documentId: inv.id)
        try appendEvent(kind: "dispute.resolved", subjectType: "document", subjectId: inv.number,
                        detail: "dispute \(disputeId) resolved by hand on \(day)" + (comment.map { ": \($0)" } ?? ""))
    }

    private func disputableInvoice(_ number: String) throws -> CollectionSQL.InvoiceRef {
        guard let inv = try CollectionSQL.invoice(db, number: number) else {
            throw CollectionRefusal("unknown invoice \(number)", field: "invoice_number")
        }
        guard inv.isInvoice else { throw CollectionRefusal("\(number) is a credit note, not an invoice", field: "invoice_number") }
        return inv
    }

    private func openDisputeOf(_ number: String) throws -> (CollectionSQL.InvoiceRef, Int64) {
        let inv = try disputableInvoice(number)
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM disputes WHERE document_id = ? AND status = 'open'", arguments: [inv.id]) else {
            throw CollectionRefusal("invoice \(number) has no open dispute", field: "invoice_number")
        }
        return (inv, id)
    }
}
