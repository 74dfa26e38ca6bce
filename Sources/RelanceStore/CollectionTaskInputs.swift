import GRDB
import RelanceCore

/// Everything the task list is derived from, read in one transaction.
public struct CollectionTaskInputs: Sendable, Equatable {
    public var disputes: [CollectionTaskDerivation.OpenDispute] = []
    public var cases: [CollectionTaskDerivation.OpenCase] = []
    public var watched: [CollectionTaskDerivation.WatchedInvoice] = []
    public var brokenPromises: [CollectionTaskDerivation.BrokenPromise] = []
    public var brokenPlans: [CollectionTaskDerivation.BrokenPlan] = []
}

extension Store {
    /// Open disputes with their done follow-ups, open cases with their stages, the invoices
    /// of both whose limitation is watched, promises broken and plans broken (the latest
    /// state, so a plan repaired by a new one drops out).
    public func collectionTaskInputs(asOf: Day) throws -> CollectionTaskInputs {
        try queue.read { db in
            var out = CollectionTaskInputs()
            var watchedDocs: [(docId: Int64, caseId: String?, stages: [LitigationStageRecord])] = []
            for r in try Row.fetchAll(db, sql: """
                SELECT s.id, s.document_id, d.number, d.customer_id, s.category, s.owner, s.opened_on
                FROM disputes s JOIN documents d ON d.id = s.document_id WHERE s.status = 'open' ORDER BY d.number
                """) {
                let done = try CollectionSQL.doneTasks(db, disputeId: r[0])
                out.disputes.append(.init(invoiceNumber: r[2], customerId: r[3], category: r[4], owner: r[5],
                                          openedOn: CollectionSQL.day(r[6]), doneTasks: Set(done)))
                watchedDocs.append((r[1], nil, []))
            }
            for r in try Row.fetchAll(db, sql: "SELECT id, customer_id, partner_id FROM litigation_cases WHERE status = 'open' ORDER BY id") {
                let caseId: String = r[0]
                let stages = try CollectionSQL.stages(db, caseId: caseId)
                let docs = try Int64.fetchAll(db, sql: "SELECT document_id FROM litigation_invoices WHERE case_id = ? ORDER BY document_id",
                                              arguments: [caseId])
                var settled = true
                for d in docs {
                    if try CollectionSQL.openAmount(db, documentId: d) > 0 { settled = false }
                    watchedDocs.removeAll { $0.docId == d }
                    watchedDocs.append((d, caseId, stages))
                }
                out.cases.append(.init(caseId: caseId, customerId: r[1], partnerId: r[2], stages: stages, allSettled: !docs.isEmpty && settled))
            }
            for w in watchedDocs {
                guard let facts = try CollectionSQL.facts(db, documentId: w.docId), facts.open > 0 else { continue }
                let kind = try CollectionSQL.customerKind(db, facts.customerId)
                out.watched.append(.init(invoiceNumber: facts.number, customerId: facts.customerId, caseId: w.caseId,
                                         limitation: CollectionSQL.limitationInput(facts, debtor: kind, stages: w.stages)))
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT d.number, d.customer_id, p.promised_on, d.id FROM promises p JOIN documents d ON d.id = p.document_id
                WHERE p.status = 'broken'
                  AND NOT EXISTS (SELECT 1 FROM promises q WHERE q.document_id = p.document_id AND q.id > p.id)
                ORDER BY d.number
                """) {
                guard try CollectionSQL.openAmount(db, documentId: r[3]) > 0 else { continue }
                out.brokenPromises.append(.init(invoiceNumber: r[0], customerId: r[1], promisedOn: CollectionSQL.day(r[2])))
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT p.id, p.customer_id FROM payment_plans p WHERE p.status = 'broken'
                  AND NOT EXISTS (SELECT 1 FROM payment_plans q WHERE q.customer_id = p.customer_id AND q.id > p.id)
                ORDER BY p.id
                """) {
                let state = try CollectionSQL.planState(db, planId: r[0], asOf: asOf)
                guard state.openTotal > 0, let missed = state.firstMissed else { continue }
                out.brokenPlans.append(.init(planId: r[0], customerId: r[1], missedInstalment: missed))
            }
            return out
        }
    }
}
