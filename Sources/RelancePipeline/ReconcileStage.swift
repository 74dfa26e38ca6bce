import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore

/// What the reconciliation stage did and wrote.
public struct ReconcileSummary: Sendable {
    public var folder: URL
    /// What this run changed in the store.
    public var record: ReconciliationRecord
    /// Payments the engine looked at (untouched payments dated on or before the as-of date).
    public var paymentsConsidered: Int
    /// Payments left for a person (including returns that could not be applied).
    public var unmatched: Int
    public var proposedWriteOffs: Int
    /// Rows of allocations.csv (every allocation up to the as-of date, not only this run's).
    public var allocationsListed: Int
}

/// Stage 2 (reconciliation, "lettrage"): after ingest and its exact rule, matches what is
/// left with `Reconciler` and publishes `outbox/reconciliation/<as-of>/`:
/// - `allocations.csv`: every allocation of payments and credit notes dated up to the as-of
///   date, with its rule, evidence and who confirmed it (empty for automatic ones);
/// - `unmatched-payments.csv`: payments left for a person, with the reason and the top three
///   candidates (score and why), and the returns that could not be applied;
/// - `proposed-writeoffs.csv`: short payments within tolerance, waiting for a `writeoff`.
/// The store work is one transaction (`Store.reconcile`); the folder appears whole or not at
/// all. Rerunning with the same store and date changes nothing and writes the same bytes.
public enum ReconcileStage {
    public static func run(_ ctx: RunContext, store: Store) throws -> ReconcileSummary {
        let configuration = ctx.config.reconciliation
        let done = try store.reconcile(asOf: ctx.asOf, at: ctx.timestamp, actor: ctx.actor) { snapshot in
            let engine = Reconciler(invoices: snapshot.invoices, creditNotes: snapshot.creditNotes, customers: snapshot.customers,
                                    knowledge: snapshot.knowledge, configuration: configuration)
            return engine.reconcile(snapshot.payments)
        }
        let dialect = ctx.config.reportDialect
        let allocations = try store.reconciliationAllocations(asOf: ctx.asOf)
        let proposals = try store.pendingWriteOffProposals()
        let unmatched = unmatchedRows(done.snapshot, done.result)
        let files: [(name: String, bytes: [UInt8])] = [
            ("allocations.csv", allocationsCSV(allocations, dialect: dialect)),
            ("unmatched-payments.csv", unmatchedCSV(unmatched, dialect: dialect)),
            ("proposed-writeoffs.csv", proposalsCSV(proposals, dialect: dialect)),
        ]
        let folder = try OutboxPublisher(outbox: ctx.home.outbox).publish(folder: "reconciliation/\(ctx.asOf)", files: files)
        return ReconcileSummary(folder: folder, record: done.record, paymentsConsidered: done.snapshot.payments.count,
                                unmatched: unmatched.count, proposedWriteOffs: proposals.count, allocationsListed: allocations.count)
    }

    /// One row of unmatched-payments.csv.
    struct UnmatchedRow {
        var paymentId: String
        var date: Day
        var payer: String
        var payerIban: String
        var amount: Int64
        var currency: Currency
        var text: String
        var customerId: String
        var reason: String
        var candidates: [ReconciliationCandidate]
    }

    static func unmatchedRows(_ snapshot: ReconciliationSnapshot, _ result: ReconciliationResult) -> [UnmatchedRow] {
        var byId: [String: UnmatchedPayment] = [:]
        byId.reserveCapacity(snapshot.payments.count)
        for p in snapshot.payments { byId[p.paymentId] = p }
        var rows: [UnmatchedRow] = []
        for u in result.unmatched {
            guard let p = byId[u.paymentId] else { continue }
            let text = [p.invoiceNumber, p.structuredReference, p.reference].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " | ")
            rows.append(UnmatchedRow(paymentId: p.paymentId, date: p.date, payer: p.payerName ?? "", payerIban: p.payerIban ?? "",
                                     amount: p.remainingAmount, currency: p.currency, text: text, customerId: u.customerId ?? p.customerId ?? "",
                                     reason: u.reason, candidates: u.candidates))
        }
        for r in snapshot.pendingReturns {
            rows.append(UnmatchedRow(paymentId: r.paymentId, date: r.date, payer: r.payerName ?? "", payerIban: "", amount: r.amount,
                                     currency: r.currency, text: r.reference ?? "", customerId: "", reason: r.reason, candidates: []))
        }
        return rows.sorted { ($0.date, $0.paymentId) < ($1.date, $1.paymentId) }
    }

    static func allocationsCSV(_ lines: [AllocationLine], dialect: CSVDialect) -> [UInt8] {
        var w = CSVTableWriter(dialect: dialect)
        w.header(["payment", "source_kind", "date", "document", "amount", "currency", "rule", "evidence", "confirmed_by"])
        for l in lines {
            w.row([.text(l.source), .text(l.sourceKind), .text(l.date.description), .text(l.invoiceNumber),
                   .amount(l.amount, places: l.currency.minorUnits), .text(l.currency.code), .text(l.rule), .text(l.evidence),
                   .text(l.confirmedBy ?? "")])
        }
        return w.bytes
    }

    static func unmatchedCSV(_ rows: [UnmatchedRow], dialect: CSVDialect) -> [UInt8] {
        var w = CSVTableWriter(dialect: dialect)
        var header = ["payment", "date", "payer", "payer_iban", "amount", "currency", "text", "customer", "reason"]
        for i in 1...3 { header += ["candidate_\(i)", "score_\(i)", "why_\(i)"] }
        w.header(header)
        for r in rows {
            var cells: [CSVTableWriter.Cell] = [.text(r.paymentId), .text(r.date.description), .text(r.payer), .text(r.payerIban),
                                                .amount(r.amount, places: r.currency.minorUnits), .text(r.currency.code), .text(r.text),
                                                .text(r.customerId), .text(r.reason)]
            for i in 0..<3 {
                if i < r.candidates.count {
                    let c = r.candidates[i]
                    cells += [.text(c.invoiceNumber), .integer(c.score), .text(c.why)]
                } else {
                    cells += [.text(""), .text(""), .text("")]
                }
            }
            w.row(cells)
        }
        return w.bytes
    }

    static func proposalsCSV(_ lines: [WriteOffProposalLine], dialect: CSVDialect) -> [UInt8] {
        var w = CSVTableWriter(dialect: dialect)
        w.header(["payment", "invoice", "customer", "amount", "currency", "reason"])
        for l in lines {
            w.row([.text(l.paymentId), .text(l.invoiceNumber), .text(l.customerId), .amount(l.amount, places: l.currency.minorUnits),
                   .text(l.currency.code), .text(l.reason)])
        }
        return w.bytes
    }
}
