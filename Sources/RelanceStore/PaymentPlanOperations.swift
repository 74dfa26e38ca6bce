import GRDB
import RelanceCore

/// Payment plans ("échéanciers") for a customer: dated instalments scheduling the whole open
/// amount of the invoices they cover. While `active` they hold those invoices' reminders; the
/// collection maintenance marks a plan `completed` when its invoices are settled and `broken`
/// when an instalment is late.
///
/// Why the instalments must add up to the open amount: what has been paid under the plan is
/// then simply (instalments − what is still open), with no second bookkeeping of payments.
extension StoreTransaction {
    /// Creates a plan. `invoiceNumbers` nil covers every invoice of the customer with something
    /// left to pay. Refused for an unknown customer, an active plan already there, no
    /// instalment, an instalment dated before `day` or twice on the same day, mixed
    /// currencies, or a total that differs from the open amount.
    @discardableResult
    public func createPaymentPlan(customerId: String, instalments: [(day: Day, amount: Int64)], invoiceNumbers: [String]?,
                                  comment: String?, on day: Day) throws -> Int64 {
        guard try customerExists(customerId) else { throw CollectionRefusal("unknown customer \(customerId)", field: "customer_id") }
        if let active = try Int64.fetchOne(db, sql: "SELECT id FROM payment_plans WHERE customer_id = ? AND status = 'active'", arguments: [customerId]) {
            throw CollectionRefusal("customer \(customerId) already has an active payment plan (\(active))", field: "customer_id")
        }
        guard !instalments.isEmpty else { throw CollectionRefusal("a plan needs at least one instalment (D:AMOUNT)", field: "instalments") }
        var seen = Set<Day>()
        for i in instalments {
            guard i.amount > 0 else { throw CollectionRefusal("instalment of \(i.day) must be a positive amount", field: "instalments") }
            guard i.day >= day else { throw CollectionRefusal("instalment date \(i.day) is before \(day)", field: "instalments") }
            guard seen.insert(i.day).inserted else { throw CollectionRefusal("two instalments on \(i.day)", field: "instalments") }
        }
        var docs: [(ref: CollectionSQL.InvoiceRef, open: Int64)] = []
        if let numbers = invoiceNumbers {
            for n in numbers {
                guard let inv = try CollectionSQL.invoice(db, number: n), inv.isInvoice else {
                    throw CollectionRefusal("unknown invoice \(n)", field: "invoice_number")
                }
                guard inv.customerId == customerId else {
                    throw CollectionRefusal("invoice \(n) belongs to customer \(inv.customerId), not \(customerId)", field: "invoice_number")
                }
                let open = try CollectionSQL.openAmount(db, documentId: inv.id)
                guard open > 0 else { throw CollectionRefusal("invoice \(n) has nothing left to pay", field: "invoice_number") }
                docs.append((inv, open))
            }
        } else {
            for r in try Row.fetchAll(db, sql: """
                SELECT id, number, customer_id, kind, currency, amount, issue_date, due_date, delivery_date, collection_status
                FROM documents WHERE customer_id = ? AND kind = 'invoice' ORDER BY IFNULL(due_date, issue_date), number
                """, arguments: [customerId]) {
                let inv = CollectionSQL.ref(r)
                let open = try CollectionSQL.openAmount(db, documentId: inv.id)
                if open > 0 { docs.append((inv, open)) }
            }
        }
        guard let currency = docs.first?.ref.currency else {
            throw CollectionRefusal("customer \(customerId) has no invoice left to pay", field: "customer_id")
        }
        guard docs.allSatisfy({ $0.ref.currency == currency }) else {
            throw CollectionRefusal("the invoices are in several currencies: make one plan per currency (name the invoices)", field: "invoice_number")
        }
        let total = docs.reduce(Int64(0)) { $0 + $1.open }
        let scheduled = instalments.reduce(Int64(0)) { $0 + $1.amount }
        guard total == scheduled else {
            throw CollectionRefusal("the instalments add up to \(CollectionSQL.money(scheduled, currency)) but the \(docs.count) invoice(s) have \(CollectionSQL.money(total, currency)) left to pay",
                                    field: "instalments")
        }
        try db.execute(sql: "INSERT INTO payment_plans (customer_id, status, currency, created_on, actor, comment) VALUES (?, 'active', ?, ?, ?, ?)",
                       arguments: [customerId, currency, CollectionSQL.ordinal(day), actor, comment])
        let id = db.lastInsertedRowID
        for i in instalments.sorted(by: { $0.day < $1.day }) {
            try db.execute(sql: "INSERT INTO plan_instalments (plan_id, due_on, amount) VALUES (?, ?, ?)",
                           arguments: [id, CollectionSQL.ordinal(i.day), i.amount])
        }
        for d in docs {
            try db.execute(sql: "INSERT INTO plan_invoices (plan_id, document_id) VALUES (?, ?)", arguments: [id, d.ref.id])
        }
        let schedule = instalments.sorted { $0.day < $1.day }.map { "\($0.day): \(MinorUnits.format($0.amount, places: 2))" }.joined(separator: ", ")
        try appendEvent(kind: "plan.created", subjectType: "customer", subjectId: customerId,
                        detail: "plan \(id) for \(docs.map(\.ref.number).joined(separator: ", ")): \(schedule) \(currency)" + (comment.map { ": \($0)" } ?? ""))
        return id
    }
}
