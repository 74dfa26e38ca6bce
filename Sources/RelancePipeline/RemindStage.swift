import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore

/// What the reminder stage did.
public struct RemindSummary: Sendable {
    public var asOf: Day
    /// The published folder, nil when nothing was published.
    public var folder: URL?
    /// Messages per channel in the batch.
    public var messages: [ReminderChannel: Int] = [:]
    public var invoices = 0
    public var excluded = 0
    /// Formal notices refused (rate missing), one line each.
    public var refusals: [String] = []
    public var notes: [String] = []
    /// A batch recorded by an interrupted run was published by this one.
    public var recovered = false
    /// The batch of this as-of date was already published: nothing new.
    public var alreadyPublished = false
}

/// What `relance plan` shows: the plan, and the formal notices that would be refused.
public struct ReminderPreview: Sendable {
    public var plan: ReminderPlan
    public var refusals: [String]
    /// Reminders already recorded for this as-of date (the plan is then not what would be sent).
    public var alreadyRecorded: Int
}

/// Stage "remind": the reminders due on the as-of date, rendered, recorded, then published as
/// `outbox/reminders/<as-of>/` (email/*.eml, letters/*.pdf, registered/*.pdf, sms.csv,
/// calls.csv, manifest.csv).
///
/// Never twice, never lost: the batch is rendered deterministically from facts that are
/// recorded with it (one transaction: reminders, items, facts, status `recorded`), then the
/// folder is published by rename and the reminders marked `published`. A run that finds a
/// recorded but unpublished batch for its as-of date re-renders it from the recorded facts —
/// the same bytes, checked against the recorded SHA-256 — and publishes it; it never plans a
/// second batch. A run for an as-of date already published adds nothing.
public enum RemindStage {
    public static func run(_ ctx: RunContext, store: Store) throws -> RemindSummary {
        let settings = ctx.config.reminders
        let templates = try settings.templates.compiled()
        let renderer = ReminderRenderer(settings: settings, company: ctx.config.company, templates: templates, timeZone: ctx.config.timeZone)
        var summary = RemindSummary(asOf: ctx.asOf)
        let folder = "reminders/\(ctx.asOf)"

        let existing = try store.reminders(asOf: ctx.asOf)
        if !existing.isEmpty {
            guard existing.contains(where: { $0.status == "recorded" }) else {
                summary.alreadyPublished = true
                count(existing, into: &summary)
                return summary
            }
            let facts = try store.reminderFacts(asOf: ctx.asOf)
            let ordered = try existing.map { r -> ReminderFacts in
                guard let text = facts[r.id] else { throw StageError("reminder \(r.id) has no recorded facts: cannot re-render it") }
                return try ReminderFacts.decode(text)
            }
            let (files, recorded) = try render(ordered, renderer: renderer, folder: folder)
            for (r, again) in zip(existing, recorded) where r.sha256 != again.sha256 {
                summary.notes.append("re-rendered \(r.id) differs from the recorded bytes (templates or configuration changed since)")
            }
            summary.folder = try OutboxPublisher(outbox: ctx.home.outbox).publish(folder: folder, files: files)
            try store.markRemindersPublished(asOf: ctx.asOf, actor: ctx.actor, at: ctx.timestamp)
            summary.recovered = true
            count(existing, into: &summary)
            return summary
        }

        let prepared = try prepare(ctx, store: store)
        summary.refusals = prepared.refusals
        summary.notes = prepared.plan.notes
        summary.excluded = prepared.plan.exclusions.count
        let (files, recorded) = try render(prepared.facts, renderer: renderer, folder: folder)
        var out = files
        if recorded.isEmpty {
            let notes = "Relance — reminders of \(ctx.asOf)\n\n" + (prepared.plan.notes.isEmpty ? "No reminder is due.\n" : prepared.plan.notes.joined(separator: "\n") + "\n")
            out.append(("NOTES.txt", Array(notes.utf8)))
        } else {
            try store.recordReminderBatch(recorded, facts: try prepared.facts.map { try $0.encoded() }, actor: ctx.actor, at: ctx.timestamp)
        }
        summary.folder = try OutboxPublisher(outbox: ctx.home.outbox).publish(folder: folder, files: out)
        if !recorded.isEmpty { try store.markRemindersPublished(asOf: ctx.asOf, actor: ctx.actor, at: ctx.timestamp) }
        count(recorded, into: &summary)
        return summary
    }

    /// The plan of the as-of date without writing anything (`relance plan`).
    public static func preview(_ ctx: RunContext, store: Store) throws -> ReminderPreview {
        let prepared = try prepare(ctx, store: store)
        return ReminderPreview(plan: prepared.plan, refusals: prepared.refusals,
                               alreadyRecorded: try store.reminders(asOf: ctx.asOf).count)
    }

    private static func count(_ reminders: [RecordedReminder], into summary: inout RemindSummary) {
        for r in reminders { summary.messages[r.channel, default: 0] += 1 }
        summary.invoices = Set(reminders.flatMap { $0.items.map(\.documentId) }).count
    }

    struct Prepared {
        var plan: ReminderPlan
        var facts: [ReminderFacts]
        var refusals: [String]
    }

    /// Plans the as-of date and gathers every rendering fact; formal notices whose penalties
    /// cannot be computed (a rate missing) are dropped with their reason.
    static func prepare(_ ctx: RunContext, store: Store) throws -> Prepared {
        let settings = ctx.config.reminders
        let inputs = try store.reminderInputs(asOf: ctx.asOf, blockedCustomers: settings.blockedCustomers, segments: settings.segments)
        var plan = settings.planner.plan(asOf: ctx.asOf, customers: inputs.customers, invoices: inputs.invoices)
        guard !plan.messages.isEmpty else { return Prepared(plan: plan, facts: [], refusals: []) }
        let contacts = try store.reminderContacts(Set(plan.messages.map(\.customerId)))
        let needed = Set(plan.messages.map(\.customerId))
        var statements: [String: [ReminderFacts.Line]] = [:]
        for inv in inputs.invoices where needed.contains(inv.customerId) {
            statements[inv.customerId, default: []].append(ReminderFacts.Line(
                number: inv.number, issued: inv.issueDate.ordinal, due: inv.dueDate.ordinal, amount: inv.amount.minor,
                open: inv.openAmount, daysLate: inv.dueDate.distance(to: ctx.asOf), step: "", documentId: nil,
                penalty: nil, indemnity: nil, rates: nil))
        }
        let notices = plan.messages.filter { $0.channel == .registeredLetter }
        var settlement: [Int64: InvoiceSettlementFacts] = [:]
        var rates: RateTables?
        if !notices.isEmpty {
            settlement = try store.invoiceSettlementFacts(Set(notices.flatMap { $0.items.map(\.documentId) }))
            rates = try ReminderRates.load(configPath: ctx.home.config.path)
        }
        var facts: [ReminderFacts] = []
        var refusals: [String] = []
        var kept: [PlannedReminder] = []
        for msg in plan.messages {
            let contact = contacts[msg.customerId]
            let kind = contact?.kind ?? .business
            let language = contact?.language.flatMap { l -> String? in
                let p = l.lowercased().prefix(2)
                return ReminderTemplates.languages.contains(String(p)) ? String(p) : nil
            } ?? settings.language
            var items = msg.items.map { it in
                ReminderFacts.Line(number: it.number, issued: it.issueDate.ordinal, due: it.dueDate.ordinal, amount: it.amount.minor,
                                   open: it.openAmount, daysLate: it.daysLate, step: it.step, documentId: it.documentId,
                                   penalty: nil, indemnity: nil, rates: nil)
            }
            if msg.channel == .registeredLetter, let rates {
                let claimInputs = msg.items.map { it -> FormalNoticeClaim.Invoice in
                    let s = settlement[it.documentId]
                    let principal = (s.map { $0.amount - $0.credited }) ?? it.openAmount
                    return FormalNoticeClaim.Invoice(
                        number: it.number, dueDate: it.dueDate, principal: Money(minor: principal, currency: msg.currency),
                        payments: (s?.payments ?? []).map { InvoiceSettlement(day: $0.day, amount: Money(minor: $0.amount, currency: msg.currency)) })
                }
                do {
                    let claim = try FormalNoticeClaim.compute(debtor: kind, asOf: ctx.asOf, invoices: claimInputs, rates: rates,
                                                              semesterMode: settings.semesterMode)
                    for (i, line) in claim.lines.enumerated() where i < items.count {
                        items[i].open = line.principal.minor
                        items[i].penalty = line.penalty.minor
                        items[i].indemnity = line.indemnity.minor
                        items[i].rates = line.ratePeriods.map { Self.rateText($0, language: language) }
                    }
                } catch {
                    let reason = "\(error) (an updated copy of the file can be put in legal/ next to relance.yaml)"
                    refusals.append("formal notice to \(msg.customerId) (\(msg.items.map(\.number).joined(separator: ", "))) refused: \(reason)")
                    for it in msg.items {
                        plan.exclusions.append(ReminderExclusionEntry(customerId: msg.customerId, documentNumber: it.number, step: it.step,
                                                                      reason: .rateUnavailable("\(error)")))
                    }
                    continue
                }
            }
            kept.append(msg)
            facts.append(ReminderFacts(
                id: msg.id, asOf: ctx.asOf.ordinal, customerId: msg.customerId, customerName: contact?.name ?? msg.customerId,
                kind: kind.rawValue, language: language, email: contact?.email, phone: contact?.phone,
                address: contact?.addressLines ?? [], step: msg.step.name, template: msg.step.template, channel: msg.channel.rawValue,
                currency: msg.currency.code, items: items,
                statement: statements[msg.customerId] ?? []))
        }
        plan.messages = kept
        plan.exclusions.sort { ($0.customerId, $0.documentNumber) < ($1.customerId, $1.documentNumber) }
        return Prepared(plan: plan, facts: facts, refusals: refusals)
    }

    /// "12,15 % (1er semestre 2026)" / "12.15 % (2026-H1)".
    static func rateText(_ p: FormalNoticeClaim.RatePeriod, language: String) -> String {
        let percent = RateTables.percentText(basisPoints: p.basisPoints)
        guard language == "fr" else { return "\(percent) (\(p.halfYear))" }
        return percent.replacingOccurrences(of: ".", with: ",").replacingOccurrences(of: " %", with: "\u{00A0}%")
            + " (\(p.halfYear.half == 1 ? "1er" : "2nd") semestre \(p.halfYear.year))"
    }

    /// Renders every message; returns the folder's files (paths relative to the folder) and
    /// the reminders to record (file relative to the outbox, SHA-256 of its bytes; for SMS and
    /// calls, the shared CSV and the SHA-256 of the message text).
    static func render(_ facts: [ReminderFacts], renderer: ReminderRenderer, folder: String) throws
        -> (files: [(name: String, bytes: [UInt8])], recorded: [RecordedReminder]) {
        let outputs = try renderAll(facts.sorted { $0.id < $1.id }, renderer: renderer, folder: folder)
        var files: [(name: String, bytes: [UInt8])] = []
        var recorded: [RecordedReminder] = []
        // sms.csv is read by an SMS gateway (and sometimes opened in a spreadsheet): E.164 numbers
        // stay "+33…" as gateways need them; every other text cell is neutralised.
        var sms = CSVTableWriter(dialect: .rfc4180)
        sms.header(["reminder_id", "customer_id", "phone", "text", "encoding", "units", "segments", "fits_one_sms"])
        var calls = CSVTableWriter(dialect: .rfc4180)
        calls.header(["reminder_id", "customer_id", "customer_name", "phone", "amount", "talking_points"])
        var manifest = CSVTableWriter(dialect: .rfc4180)
        manifest.header(["reminder_id", "customer_id", "step", "channel", "invoices", "amount", "file", "sha256"])
        var smsCount = 0, callCount = 0
        for (f, output) in outputs {
            let file: String, digest: String
            switch output {
            case let .file(path, bytes):
                files.append((String(path.dropFirst(folder.count + 1)), bytes))
                file = path; digest = FileOps.sha256Hex(bytes)
            case let .sms(row):
                sms.row([.text(row.reminderId), .text(row.customerId), .phone(row.phone), .text(row.text), .text(row.encoding),
                         .integer(row.units), .integer(row.segments), .text(row.segments == 1 ? "yes" : "NO")])
                smsCount += 1
                file = "\(folder)/sms.csv"; digest = FileOps.sha256Hex(Array(row.text.utf8))
            case let .call(row):
                calls.row([.text(row.reminderId), .text(row.customerId), .text(row.customerName), .phone(row.phone),
                           .text(row.amount), .text(row.talkingPoints)])
                callCount += 1
                file = "\(folder)/calls.csv"; digest = FileOps.sha256Hex(Array(row.talkingPoints.utf8))
            }
            let currency = f.money
            let total = f.items.reduce(Int64(0)) { $0 &+ $1.open }
            manifest.row([.text(f.id), .text(f.customerId), .text(f.step), .text(f.channel),
                          .text(f.items.map(\.number).joined(separator: "|")), .amount(total, places: currency.minorUnits),
                          .text(String(file.dropFirst(folder.count + 1))), .text(digest)])
            recorded.append(RecordedReminder(
                id: f.id, asOf: f.day, customerId: f.customerId, step: f.step, channel: ReminderChannel(rawValue: f.channel) ?? .email,
                amount: total, currency: currency, file: file, sha256: digest,
                items: f.items.map { RecordedReminder.Item(documentId: $0.documentId ?? 0, number: $0.number, step: $0.step,
                                                           openAmount: $0.open, daysLate: $0.daysLate) }))
        }
        if smsCount > 0 { files.append(("sms.csv", sms.bytes)) }
        if callCount > 0 { files.append(("calls.csv", calls.bytes)) }
        files.append(("manifest.csv", manifest.bytes))
        return (files, recorded)
    }
}

extension RemindStage {
    /// Renders every message, on as many threads as there are cores (each with its own PDF
    /// writer: pango font maps are per writer), in the given order. Rendering is a pure
    /// function of each message's facts, so the threads cannot change the bytes.
    static func renderAll(_ facts: [ReminderFacts], renderer: ReminderRenderer, folder: String, workers wanted: Int? = nil) throws
        -> [(ReminderFacts, ReminderRenderer.Output)] {
        let workers = wanted ?? max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8, facts.count / 64))
        let slots = RenderSlots(count: facts.count)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let writer: PDFDocumentWriter
            do { writer = try PDFDocumentWriter() } catch {
                slots.set(w, .failure(error))
                return
            }
            var i = w
            while i < facts.count {
                let result = Result { try renderer.render(facts[i], folder: folder, writer: writer) }
                slots.set(i, result)
                if case .failure = result { return }
                i += workers
            }
        }
        var out: [(ReminderFacts, ReminderRenderer.Output)] = []
        out.reserveCapacity(facts.count)
        for (i, f) in facts.enumerated() {
            guard let r = slots.get(i) else { throw StageError("message \(f.id) was not rendered") }
            out.append((f, try r.get()))
        }
        return out
    }
}

/// Results of the rendering threads, one slot per message.
private final class RenderSlots: @unchecked Sendable {
    private var items: [Result<ReminderRenderer.Output, any Error>?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<ReminderRenderer.Output, any Error>) {
        lock.lock(); defer { lock.unlock() }
        if i < items.count { items[i] = r }
    }
    func get(_ i: Int) -> Result<ReminderRenderer.Output, any Error>? {
        lock.lock(); defer { lock.unlock() }
        return items[i]
    }
}

/// A stage failure that is not a data problem (inconsistent store).
struct StageError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
