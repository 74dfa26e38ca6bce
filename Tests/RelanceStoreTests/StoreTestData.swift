import GRDB
import RelanceCore
@testable import RelanceStore

/// Small builders for the store tests: a day from an ISO text, batches, file identities.
enum T {
    static func day(_ iso: String) -> Day { Day.parse(iso)! }

    static func file(_ name: String) -> IngestedFileInfo {
        // A stand-in digest: unique per name is all the store needs.
        let hex = Array(name.utf8).map { String($0, radix: 16) }.joined()
        return IngestedFileInfo(sha256: String((hex + String(repeating: "0", count: 64)).prefix(64)), name: name, size: 100, format: "test")
    }

    static func invoice(_ number: String, customer: String = "C1", name: String? = nil, amount: Int64, issue: String = "2025-01-01",
                        due: String? = "2025-01-31", currency: String = "EUR", reference: String? = nil) -> Document {
        Document(number: number, customerId: customer, customerName: name, kind: .invoice, issueDate: day(issue),
                 dueDate: due.map(day), currency: Currency(currency)!, amount: amount, paymentReference: reference)
    }

    static func creditNote(_ number: String, customer: String = "C1", amount: Int64, original: String?,
                           issue: String = "2025-01-15", currency: String = "EUR") -> Document {
        Document(number: number, customerId: customer, kind: .creditNote, issueDate: day(issue), dueDate: nil,
                 currency: Currency(currency)!, amount: amount, originalInvoice: original)
    }

    static func payment(_ id: String, customer: String? = "C1", amount: Int64, date: String = "2025-02-01",
                        currency: String = "EUR", invoice: String? = nil, reference: String? = nil) -> Payment {
        Payment(paymentId: id, customerId: customer, date: day(date), amount: amount, currency: Currency(currency)!,
                reference: reference, invoiceNumber: invoice)
    }

    static func batch(customers: [Customer] = [], documents: [Document] = [], payments: [Payment] = [],
                      allocations: [StatedAllocation] = []) -> IngestBatch {
        var b = IngestBatch(format: "test")
        b.customers = customers
        b.documents = documents
        b.payments = payments
        b.allocations = allocations
        return b
    }

    @discardableResult
    static func ingest(_ store: Store, _ batch: IngestBatch, file: String) throws -> IngestStats {
        try store.ingest(batch, file: T.file(file), at: "2025-03-01T10:00:00Z", actor: "test")
    }

    /// (invoice number, payment id or credit note number, amount, rule), sorted.
    static func allocations(_ store: Store) throws -> [String] {
        try store.queue.read { db in
            try String.fetchAll(db, sql: """
                SELECT i.number || ' <- ' || IFNULL(p.payment_ref, IFNULL(c.number, '-')) || ' ' || a.amount || ' ' || a.rule
                FROM allocations a JOIN documents i ON i.id = a.invoice_id
                LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN documents c ON c.id = a.credit_note_id
                ORDER BY 1
                """)
        }
    }

    static func events(_ store: Store, kind: String) throws -> [String] {
        try store.queue.read { db in
            try String.fetchAll(db, sql: "SELECT IFNULL(detail, '') FROM events WHERE kind = ? ORDER BY id", arguments: [kind])
        }
    }

    static func scalar(_ store: Store, _ sql: String) throws -> Int64? {
        try store.queue.read { db in try Int64.fetchOne(db, sql: sql) }
    }
}
