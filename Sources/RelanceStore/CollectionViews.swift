import Foundation
import GRDB
import RelanceCore

/// One invoice's collection state for `relance show invoice`: amounts, disputes, case,
/// promises, reminders and the journal about it.
public struct InvoiceCollectionView: Sendable, Equatable {
    public var facts: CollectionInvoiceFacts
    public var customerName: String?
    public var disputes: [DisputeRecord]
    public var caseIds: [String]
    public var promises: [PromiseRecord]
    public var planIds: [Int64]
    public var reminders: [ReminderRecord]
    public var history: [JournalEvent]
}

/// One customer's collection state for `relance show customer`.
public struct CustomerCollectionView: Sendable, Equatable {
    public var customer: CollectionCustomer
    /// Invoices with something left to pay, with the open dispute and open case flags.
    public var openInvoices: [(facts: CollectionInvoiceFacts, disputed: Bool, inCase: Bool)]
    public var cases: [LitigationCaseRecord]
    public var plans: [PaymentPlanRecord]
    public var history: [JournalEvent]

    public static func == (l: CustomerCollectionView, r: CustomerCollectionView) -> Bool {
        l.customer == r.customer && l.openInvoices.map(\.facts) == r.openInvoices.map(\.facts) && l.cases == r.cases
            && l.plans == r.plans && l.history == r.history
    }
}

/// A reminder sent for some invoices, with its file and its delivery proofs.
public struct ReminderRecord: Sendable, Equatable {
    public struct Delivery: Sendable, Equatable {
        public var event: String
        public var day: Day
        public var providerRef: String?
        public var proofName: String?
        public var proofSHA256: String?
        public var proofContent: [UInt8]?
    }
    public var id: String
    public var asOf: Day
    public var step: String
    public var channel: String
    public var amount: Int64
    public var currency: String
    /// Path relative to the outbox (`reminders/<as-of>/email/<id>.eml`).
    public var file: String?
    public var sha256: String?
    public var status: String
    public var invoiceNumbers: [String]
    public var deliveries: [Delivery]
}

extension CollectionSQL {
    /// Reminders that covered any of the documents, oldest first, with their deliveries.
    static func reminders(_ db: Database, documentIds: [Int64]) throws -> [ReminderRecord] {
        guard !documentIds.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: documentIds.count).joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: """
            SELECT DISTINCT r.id, r.as_of, r.step, r.channel, r.amount, r.currency, r.file, r.sha256, r.status
            FROM reminders r JOIN reminder_items i ON i.reminder_id = r.id WHERE i.document_id IN (\(marks))
            ORDER BY r.as_of, r.id
            """, arguments: StatementArguments(documentIds))
        return try rows.map { r in
            let id: String = r["id"]
            let numbers = try String.fetchAll(db, sql: """
                SELECT d.number FROM reminder_items i JOIN documents d ON d.id = i.document_id WHERE i.reminder_id = ? ORDER BY d.number
                """, arguments: [id])
            let deliveries = try Row.fetchAll(db, sql: """
                SELECT event, date, provider_ref, proof_name, proof_sha256, proof_content FROM delivery_events WHERE reminder_id = ? ORDER BY date, id
                """, arguments: [id]).map { e in
                ReminderRecord.Delivery(event: e[0], day: day(e[1]), providerRef: e[2], proofName: e[3], proofSHA256: e[4],
                                        proofContent: (e[5] as Data?).map { [UInt8]($0) })
            }
            return ReminderRecord(id: id, asOf: day(r["as_of"]), step: r["step"], channel: r["channel"], amount: r["amount"],
                                  currency: r["currency"], file: r["file"], sha256: r["sha256"], status: r["status"],
                                  invoiceNumbers: numbers, deliveries: deliveries)
        }
    }
}

extension Store {
    /// The collection state of a document by number, nil when unknown.
    public func invoiceCollectionView(number: String) throws -> InvoiceCollectionView? {
        try queue.read { db in
            guard let inv = try CollectionSQL.invoice(db, number: number), let facts = try CollectionSQL.facts(db, documentId: inv.id) else { return nil }
            let caseIds = try String.fetchAll(db, sql: "SELECT case_id FROM litigation_invoices WHERE document_id = ? ORDER BY added_on, case_id",
                                              arguments: [inv.id])
            let planIds = try Int64.fetchAll(db, sql: "SELECT plan_id FROM plan_invoices WHERE document_id = ? ORDER BY plan_id", arguments: [inv.id])
            return InvoiceCollectionView(
                facts: facts, customerName: try String.fetchOne(db, sql: "SELECT name FROM customers WHERE id = ?", arguments: [inv.customerId]),
                disputes: try CollectionSQL.disputes(db, documentId: inv.id), caseIds: caseIds,
                promises: try CollectionSQL.promises(db, documentId: inv.id, number: number), planIds: planIds,
                reminders: try CollectionSQL.reminders(db, documentIds: [inv.id]),
                history: try CollectionSQL.history(db, subjects: [number]))
        }
    }

    /// The collection state of a customer, nil when unknown.
    public func customerCollectionView(id: String) throws -> CustomerCollectionView? {
        try queue.read { db in
            guard let customer = try CollectionSQL.customer(db, id: id) else { return nil }
            var open: [(facts: CollectionInvoiceFacts, disputed: Bool, inCase: Bool)] = []
            for doc in try Int64.fetchAll(db, sql: """
                SELECT id FROM documents WHERE customer_id = ? AND kind = 'invoice' ORDER BY IFNULL(due_date, issue_date), number
                """, arguments: [id]) {
                guard let f = try CollectionSQL.facts(db, documentId: doc), f.open > 0 else { continue }
                open.append((f, try CollectionSQL.hasOpenDispute(db, documentId: doc), try CollectionSQL.inOpenCase(db, documentId: doc)))
            }
            let caseIds = try String.fetchAll(db, sql: "SELECT id FROM litigation_cases WHERE customer_id = ? ORDER BY opened_on, id", arguments: [id])
            let cases = try caseIds.compactMap { try CollectionSQL.caseRecord(db, id: $0) }
            return CustomerCollectionView(customer: customer, openInvoices: open, cases: cases,
                                          plans: try CollectionSQL.plans(db, customerId: id),
                                          history: try CollectionSQL.history(db, subjects: [id] + caseIds))
        }
    }
}
