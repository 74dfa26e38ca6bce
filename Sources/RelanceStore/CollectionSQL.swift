import GRDB
import RelanceCore

/// Small reads shared by the collection operations and queries (disputes, cases, promises,
/// plans), each taking the connection so they work in a write transaction and a read alike.
enum CollectionSQL {
    /// An invoice as the collection operations need it.
    struct InvoiceRef {
        var id: Int64
        var number: String
        var customerId: String
        var isInvoice: Bool
        var currency: String
        var amount: Int64
        var issueDate: Day
        var dueDate: Day?
        var deliveryDate: Day?
        var collectionStatus: Int64
    }

    static func invoice(_ db: Database, number: String) throws -> InvoiceRef? {
        try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT id, number, customer_id, kind, currency, amount, issue_date, due_date, delivery_date, collection_status
            FROM documents WHERE number = ?
            """), arguments: [number]).map(ref)
    }

    static func invoice(_ db: Database, id: Int64) throws -> InvoiceRef? {
        try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT id, number, customer_id, kind, currency, amount, issue_date, due_date, delivery_date, collection_status
            FROM documents WHERE id = ?
            """), arguments: [id]).map(ref)
    }

    static func ref(_ r: Row) -> InvoiceRef {
        InvoiceRef(id: r["id"], number: r["number"], customerId: r["customer_id"], isInvoice: (r["kind"] as String) == "invoice",
                   currency: r["currency"], amount: r["amount"], issueDate: day(r["issue_date"]),
                   dueDate: (r["due_date"] as Int64?).map(day), deliveryDate: (r["delivery_date"] as Int64?).map(day),
                   collectionStatus: r["collection_status"])
    }

    static func day(_ v: Int64) -> Day { Day(ordinal: Int32(truncatingIfNeeded: v)) }
    static func ordinal(_ d: Day) -> Int64 { Int64(d.ordinal) }

    /// Amount − allocations (payments and credit notes) − write-offs: the shared contract.
    static func openAmount(_ db: Database, documentId: Int64) throws -> Int64 {
        try Int64.fetchOne(try db.cachedStatement(sql: """
            SELECT d.amount
                 - IFNULL((SELECT SUM(amount) FROM allocations WHERE invoice_id = d.id), 0)
                 - IFNULL((SELECT SUM(amount) FROM writeoffs WHERE invoice_id = d.id), 0)
            FROM documents d WHERE d.id = ?
            """), arguments: [documentId]) ?? 0
    }

    /// The open litigation case of a customer: (id, stage, partner).
    static func openCase(_ db: Database, customerId: String) throws -> (id: String, stage: String, partner: String)? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT id, stage, partner_id FROM litigation_cases WHERE customer_id = ? AND status = 'open'"),
                         arguments: [customerId]).map { ($0[0], $0[1], $0[2]) }
    }

    /// Whether the document is in an open litigation case.
    static func inOpenCase(_ db: Database, documentId: Int64) throws -> Bool {
        try Bool.fetchOne(try db.cachedStatement(sql: """
            SELECT EXISTS(SELECT 1 FROM litigation_invoices li JOIN litigation_cases c ON c.id = li.case_id
                          WHERE li.document_id = ? AND c.status = 'open')
            """), arguments: [documentId]) ?? false
    }

    static func hasOpenDispute(_ db: Database, documentId: Int64) throws -> Bool {
        try Bool.fetchOne(try db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM disputes WHERE document_id = ? AND status = 'open')"),
                          arguments: [documentId]) ?? false
    }

    /// Sets `documents.collection_status` from the open dispute and open case of the document,
    /// so the aged balance shows it in the disputed or litigation column (litigation wins).
    static func refreshStatus(_ db: Database, documentId: Int64) throws {
        let status: CollectionStatus = try inOpenCase(db, documentId: documentId) ? .litigation
            : (try hasOpenDispute(db, documentId: documentId) ? .disputed : .normal)
        try db.execute(sql: "UPDATE documents SET collection_status = ? WHERE id = ?", arguments: [Int64(status.rawValue), documentId])
    }

    /// The follow-ups of a dispute recorded as done (journal kind `dispute.task_done`, one
    /// event per task, detail = the task's text): kept in the append-only journal rather than
    /// a table of their own, so the history and the task list cannot disagree.
    static func doneTasks(_ db: Database, disputeId: Int64) throws -> [String] {
        try String.fetchAll(try db.cachedStatement(sql: """
            SELECT detail FROM events WHERE kind = 'dispute.task_done' AND subject_type = 'dispute' AND subject_id = ? AND detail IS NOT NULL ORDER BY id
            """), arguments: [String(disputeId)])
    }

    /// A readable money amount for messages (`1 234,56 EUR`).
    static func money(_ minor: Int64, _ currency: String) -> String {
        let places = Currency(currency)?.minorUnits ?? 2
        return "\(MinorUnits.formatFrench(minor, places: places)) \(currency)"
    }
}
