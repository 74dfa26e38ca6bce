import Foundation
import RelanceCore
import RelancePipeline
import RelanceStore

/// The one-screen summary a run prints on stderr: what came in, what was refused, what went out.
public struct Summary {
    public var asOf: Day
    public var home: RelanceHome
    public var ingest: IngestReport?
    public var reconcile: ReconcileSummary?
    /// Decisions given on the command line: applied (one line each) and refused.
    public var decisions: [String] = []
    public var refusedDecisions: [String] = []
    public var report: ReportSummary?
    /// Disputes, litigation, promises and plans: maintenance, tasks, dossiers, decisions.
    public var collection: CollectionSummary?
    public var remind: RemindSummary?
    /// A single command-line action that was refused (exit 65).
    public var commandRefusal: String?

    public init(asOf: Day, home: RelanceHome) {
        self.asOf = asOf; self.home = home
    }

    public var hasRejections: Bool {
        (ingest?.rejectedCount ?? 0) > 0 || (ingest?.refusedRowCount ?? 0) > 0 || !refusedDecisions.isEmpty
            || (collection?.hasRefusals ?? false) || !(remind?.refusals.isEmpty ?? true) || commandRefusal != nil
    }

    public static func printError(_ message: String) {
        FileHandle.standardError.write(Data("relance: error: \(message)\n".utf8))
    }

    public func render() -> String {
        var lines = ["Relance — as of \(asOf)"]
        if let ingest {
            let already = ingest.files.filter { $0.outcome == .alreadyIngested }.count
            lines.append("Inbox: \(ingest.files.count) file(s): \(ingest.ingestedCount) ingested, \(ingest.rejectedCount) rejected, \(already) already known")
            let width = min(40, ingest.files.map(\.name.count).max() ?? 0)
            for f in ingest.files {
                let name = f.name.padding(toLength: max(width, f.name.count), withPad: " ", startingAt: 0)
                switch f.outcome {
                case .ingested:
                    var s = "  ok  \(name)  \(f.format), \(f.records) record(s)"
                    if !f.refusedRows.isEmpty { s += ", \(f.refusedRows.count) row(s) REFUSED → inbox/rejected/" }
                    if let st = f.stats {
                        let updated = st.customers.updated + st.documents.updated + st.payments.updated
                        if updated > 0 { s += ", \(updated) updated (journaled)" }
                    }
                    lines.append(s)
                    for n in f.issues { lines.append("        note: \(n)") }
                    for r in f.refusedRows.prefix(3) { lines.append("        \(r)") }
                case .alreadyIngested:
                    lines.append("  ==  \(name)  same content as before: archived, nothing changed")
                case .rejected:
                    lines.append("  !!  \(name)  REJECTED (\(f.issues.count) problem(s)) → inbox/rejected/, see .errors.txt")
                    for i in f.issues.prefix(3) { lines.append("        \(i)") }
                }
            }
            if ingest.derivedDueDates > 0 {
                lines.append("Due dates derived from payment terms: \(ingest.derivedDueDates) document(s)")
            }
            if !ingest.pendingAttachments.isEmpty {
                let shown = ingest.pendingAttachments.prefix(5).map { "\($0.fileName) → \($0.documentNumber)" }.joined(separator: ", ")
                lines.append("Attachments waiting for their document: \(ingest.pendingAttachments.count) (\(shown)\(ingest.pendingAttachments.count > 5 ? ", …" : ""))")
            }
            if let a = ingest.allocation {
                lines.append("Allocations: \(a.fromPayments) from payments naming their invoice, \(a.fromCreditNotes) from credit notes"
                    + (a.paymentsIdentified > 0 ? ", \(a.paymentsIdentified) payer(s) identified by the invoice they named" : ""))
            }
        }
        for d in decisions { lines.append("Decision applied: \(d)") }
        for d in refusedDecisions { lines.append("Decision REFUSED: \(d)") }
        if let r = reconcile {
            let rec = r.record
            var s = "Reconciliation: \(rec.allocationsAdded) allocation(s) (\(rec.paymentsAllocated) payment(s), \(rec.creditNotesApplied) credit note(s))"
                + " of \(r.paymentsConsidered) payment(s) to match, \(r.unmatched) unmatched, \(r.proposedWriteOffs) write-off(s) proposed"
            if rec.paymentsIdentified > 0 { s += ", \(rec.paymentsIdentified) payer(s) identified" }
            if rec.reversalsApplied > 0 { s += ", \(rec.reversalsApplied) reversal(s) reopened \(rec.allocationsUndone) allocation(s)" }
            lines.append(s)
            lines.append("Reconciliation files: \(r.folder.path)")
        }
        if let collection { lines += collection.lines() }
        if let remind { lines += Self.render(remind) }
        if let commandRefusal { lines.append("REFUSED: \(commandRefusal)") }
        if let report {
            let totals = report.totals.keys.sorted().map { c in
                "\(MinorUnits.formatFrench(report.totals[c] ?? 0, places: c.minorUnits)) \(c)"
            }.joined(separator: ", ")
            let credit = report.unappliedCredit.keys.sorted().compactMap { c -> String? in
                let v = report.unappliedCredit[c] ?? 0
                return v == 0 ? nil : "\(MinorUnits.formatFrench(v, places: c.minorUnits)) \(c)"
            }.joined(separator: ", ")
            lines.append("Aged balance: \(report.customers) customer(s), open \(totals.isEmpty ? "0" : totals)"
                + (credit.isEmpty ? "" : ", unapplied credit \(credit)"))
            lines.append("Reports: \(report.folder.path)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func render(_ r: RemindSummary) -> [String] {
        var lines: [String] = []
        let counts = ReminderChannel.allCases.compactMap { c in r.messages[c].map { "\($0) \(c)" } }.joined(separator: ", ")
        if r.alreadyPublished {
            lines.append("Reminders: batch of \(r.asOf) already published (\(counts)); nothing new")
        } else {
            lines.append("Reminders: \(counts.isEmpty ? "none" : counts) for \(r.invoices) invoice(s), \(r.excluded) held back (see `relance plan`)"
                + (r.recovered ? "; batch recorded by an interrupted run, published now" : ""))
        }
        for n in r.notes { lines.append("  note: \(n)") }
        for x in r.refusals { lines.append("  REFUSED: \(x)") }
        if let f = r.folder { lines.append("Reminders folder: \(f.path)") }
        return lines
    }

    public func print() {
        FileHandle.standardError.write(Data(render().utf8))
    }
}
