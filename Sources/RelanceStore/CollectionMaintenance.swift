import GRDB
import RelanceCore

/// What the collection maintenance changed in one run.
public struct CollectionMaintenanceReport: Sendable, Equatable {
    public struct ResolvedDispute: Sendable, Equatable {
        public var invoiceNumber: String
        /// `paid`, `credited`, or `manual` for an invoice closed by a write-off.
        public var resolution: String
    }
    public var disputesResolved: [ResolvedDispute] = []
    public var promisesKept: [String] = []
    public var promisesBroken: [String] = []
    public var plansCompleted: [Int64] = []
    public var plansBroken: [Int64] = []

    public init() {}

    public var changeCount: Int {
        disputesResolved.count + promisesKept.count + promisesBroken.count + plansCompleted.count + plansBroken.count
    }
}

/// The collection maintenance, run after reconciliation and before reminders: the states that
/// follow from payments and from time passing, each change journaled.
///
/// - An open dispute whose invoice has nothing left to pay is resolved: `paid` when a payment
///   took part, `credited` when only credit notes did, `manual` (commented) for a write-off.
/// - An open promise is `kept` once the invoice is settled or the payments dated from the
///   promise on reach the promised amount; `broken` once its date is past (before as-of)
///   without that — the invoice goes back into its scenario and into the task list.
/// - An active plan is `completed` when its invoices are settled, `broken` when what has been
///   paid under it is less than the instalments due before as-of.
extension StoreTransaction {
    public func runCollectionMaintenance(asOf: Day) throws -> CollectionMaintenanceReport {
        var report = CollectionMaintenanceReport()
        let asOfOrdinal = CollectionSQL.ordinal(asOf)

        for r in try Row.fetchAll(db, sql: """
            SELECT s.id, s.document_id, d.number FROM disputes s JOIN documents d ON d.id = s.document_id
            WHERE s.status = 'open' ORDER BY s.id
            """) {
            let disputeId: Int64 = r[0], docId: Int64 = r[1], number: String = r[2]
            guard try CollectionSQL.openAmount(db, documentId: docId) <= 0 else { continue }
            let fromPayments = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM allocations WHERE invoice_id = ? AND payment_id IS NOT NULL)",
                                                 arguments: [docId]) ?? false
            let fromCredits = try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM allocations WHERE invoice_id = ? AND credit_note_id IS NOT NULL)",
                                                arguments: [docId]) ?? false
            let resolution = fromPayments ? "paid" : (fromCredits ? "credited" : "manual")
            let comment = fromPayments || fromCredits ? "resolved automatically: invoice settled" : "resolved automatically: invoice written off"
            try db.execute(sql: "UPDATE disputes SET status = 'resolved', resolved_on = ?, resolution = ?, resolution_comment = ? WHERE id = ?",
                           arguments: [asOfOrdinal, resolution, comment, disputeId])
            try CollectionSQL.refreshStatus(db, documentId: docId)
            try appendEvent(kind: "dispute.auto_resolved", subjectType: "document", subjectId: number,
                            detail: "dispute \(disputeId) resolved as \(resolution) on \(asOf): \(comment)")
            report.disputesResolved.append(.init(invoiceNumber: number, resolution: resolution))
        }

        for r in try Row.fetchAll(db, sql: """
            SELECT p.id, p.document_id, d.number, p.promised_on, p.amount, p.created_on FROM promises p
            JOIN documents d ON d.id = p.document_id WHERE p.status = 'open' ORDER BY p.id
            """) {
            let id: Int64 = r[0], docId: Int64 = r[1], number: String = r[2], promisedOn: Int64 = r[3]
            let amount: Int64? = r[4]
            let createdOn: Int64 = r[5]
            let open = try CollectionSQL.openAmount(db, documentId: docId)
            var kept = open <= 0
            if !kept, let amount {
                let paid = try Int64.fetchOne(db, sql: """
                    SELECT IFNULL(SUM(a.amount), 0) FROM allocations a JOIN payments p ON p.id = a.payment_id
                    WHERE a.invoice_id = ? AND p.date >= ? AND p.date <= ?
                    """, arguments: [docId, createdOn, asOfOrdinal]) ?? 0
                kept = paid >= amount
            }
            if kept {
                try db.execute(sql: "UPDATE promises SET status = 'kept' WHERE id = ?", arguments: [id])
                try appendEvent(kind: "promise.kept", subjectType: "document", subjectId: number, detail: "promise \(id) kept (checked on \(asOf))")
                report.promisesKept.append(number)
            } else if promisedOn < asOfOrdinal {
                try db.execute(sql: "UPDATE promises SET status = 'broken' WHERE id = ?", arguments: [id])
                try appendEvent(kind: "promise.broken", subjectType: "document", subjectId: number,
                                detail: "promise \(id) of \(CollectionSQL.day(promisedOn)) not kept (checked on \(asOf)): back into its reminder scenario")
                report.promisesBroken.append(number)
            }
        }

        for r in try Row.fetchAll(db, sql: "SELECT id, customer_id FROM payment_plans WHERE status = 'active' ORDER BY id") {
            let id: Int64 = r[0], customerId: String = r[1]
            let state = try CollectionSQL.planState(db, planId: id, asOf: asOf)
            if state.openTotal <= 0 {
                try db.execute(sql: "UPDATE payment_plans SET status = 'completed' WHERE id = ?", arguments: [id])
                try appendEvent(kind: "plan.completed", subjectType: "customer", subjectId: customerId, detail: "plan \(id) completed (checked on \(asOf))")
                report.plansCompleted.append(id)
            } else if let missed = state.firstMissed {
                try db.execute(sql: "UPDATE payment_plans SET status = 'broken' WHERE id = ?", arguments: [id])
                try appendEvent(kind: "plan.broken", subjectType: "customer", subjectId: customerId,
                                detail: "plan \(id) broken: instalment of \(missed) unpaid (paid \(MinorUnits.format(state.paid, places: 2)) under the plan, checked on \(asOf))")
                report.plansBroken.append(id)
            }
        }
        return report
    }
}

extension CollectionSQL {
    /// Where a plan stands: what its invoices still owe, what was paid under it, and the
    /// first instalment due before `asOf` that the payments do not cover.
    static func planState(_ db: Database, planId: Int64, asOf: Day) throws -> (openTotal: Int64, paid: Int64, firstMissed: Day?) {
        var openTotal: Int64 = 0
        for doc in try Int64.fetchAll(db, sql: "SELECT document_id FROM plan_invoices WHERE plan_id = ?", arguments: [planId]) {
            openTotal += max(0, try openAmount(db, documentId: doc))
        }
        let instalments = try Row.fetchAll(db, sql: "SELECT due_on, amount FROM plan_instalments WHERE plan_id = ? ORDER BY due_on",
                                           arguments: [planId]).map { (day(($0[0] as Int64)), $0[1] as Int64) }
        let scheduled = instalments.reduce(Int64(0)) { $0 + $1.1 }
        let paid = scheduled - openTotal
        var cumulative: Int64 = 0
        for (due, amount) in instalments where due < asOf {
            cumulative += amount
            if cumulative > paid { return (openTotal, paid, due) }
        }
        return (openTotal, paid, nil)
    }
}
