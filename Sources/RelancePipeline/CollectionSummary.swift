import Foundation
import RelanceCore
import RelanceStore

/// What the collection side of a run or command did, for the run summary and exit status.
public struct CollectionSummary: Sendable {
    public var maintenance: CollectionMaintenanceReport?
    public var tasks: TasksSummary?
    public var dossiers: [DossierOutput] = []
    public var exports: [URL] = []
    /// One line per decision applied by a command.
    public var applied: [String] = []
    /// One line per decision refused (exit status 65).
    public var refused: [String] = []

    public init() {}

    public var hasRefusals: Bool { !refused.isEmpty }

    public func lines() -> [String] {
        var out: [String] = []
        for a in applied { out.append("Applied: \(a)") }
        for r in refused { out.append("REFUSED: \(r)") }
        if let m = maintenance, m.changeCount > 0 {
            var parts: [String] = []
            if !m.disputesResolved.isEmpty { parts.append("\(m.disputesResolved.count) dispute(s) resolved by payment or credit") }
            if !m.promisesKept.isEmpty { parts.append("\(m.promisesKept.count) promise(s) kept") }
            if !m.promisesBroken.isEmpty { parts.append("\(m.promisesBroken.count) promise(s) broken") }
            if !m.plansCompleted.isEmpty { parts.append("\(m.plansCompleted.count) plan(s) completed") }
            if !m.plansBroken.isEmpty { parts.append("\(m.plansBroken.count) plan(s) broken") }
            out.append("Collection maintenance: " + parts.joined(separator: ", "))
        }
        if let t = tasks { out.append("Tasks: \(t.tasks.count) (\(t.dueCount) due) → \(t.file.path)") }
        for d in dossiers.prefix(10) {
            out.append("Dossier \(d.caseId) (\(d.customerId)): \(d.archive.path)\(d.encrypted ? " [AES-256]" : ""), "
                       + (d.attached ? "attached to" : "too large to attach, named in") + " \(d.transmittal.lastPathComponent)"
                       + (d.missing.isEmpty ? "" : "; \(d.missing.count) piece(s) missing, listed in its synthese.pdf"))
        }
        if dossiers.count > 10 { out.append("Dossiers: \(dossiers.count - 10) more in \(dossiers[0].archive.deletingLastPathComponent().path)") }
        return out
    }
}
