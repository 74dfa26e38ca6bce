import ArgumentParser
import Foundation
import RelanceCore
import RelancePipeline
import RelanceStore

/// `relance show invoice|customer ID`: the collection state, amounts and history, on stdout.
public struct ShowCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an invoice's or a customer's collection state, amounts and history.",
        discussion: "Exit status: 0 shown, 65 unknown invoice or customer, 64 usage, 75 locked.",
        subcommands: [Invoice.self, Customer.self])

    public init() {}

    public struct Invoice: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Amounts, dispute, case, promises, reminders and history of an invoice.")
        @Argument(help: "Invoice number.") public var number: String
        @OptionGroup public var options: StageOptions
        public init() {}
        public func run() throws {
            try StageRunner.run(options, actor: "relance-show") { ctx, store, summary in
                guard let view = try store.invoiceCollectionView(number: number) else {
                    var c = CollectionSummary(); c.refused.append("unknown invoice \(number)"); summary.collection = c
                    return
                }
                FileHandle.standardOutput.write(Data(ShowText.invoice(view, asOf: ctx.asOf).utf8))
            }
        }
    }

    public struct Customer: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Open invoices, cases, plans and history of a customer.")
        @Argument(help: "Customer id.") public var id: String
        @OptionGroup public var options: StageOptions
        public init() {}
        public func run() throws {
            try StageRunner.run(options, actor: "relance-show") { ctx, store, summary in
                guard let view = try store.customerCollectionView(id: id) else {
                    var c = CollectionSummary(); c.refused.append("unknown customer \(id)"); summary.collection = c
                    return
                }
                FileHandle.standardOutput.write(Data(ShowText.customer(view, asOf: ctx.asOf).utf8))
            }
        }
    }
}

/// The text of `relance show`: plain lines, amounts with a decimal point, dates ISO.
public enum ShowText {
    static func money(_ v: Int64, _ c: Currency) -> String { "\(MinorUnits.format(v, places: c.minorUnits)) \(c)" }

    public static func invoice(_ v: InvoiceCollectionView, asOf: Day) -> String {
        let f = v.facts
        var out = ["Invoice \(f.number) — customer \(f.customerId)" + (v.customerName.map { " (\($0))" } ?? "")]
        out.append("  issued \(f.issueDate), due \(f.effectiveDueDate)" + (f.deliveryDate.map { ", delivered \($0)" } ?? "")
                   + (f.open > 0 && f.effectiveDueDate < asOf ? ", \(f.effectiveDueDate.distance(to: asOf)) day(s) late" : ""))
        out.append("  amount \(money(f.amount, f.currency)), paid \(money(f.paidByPayments, f.currency)), credited \(money(f.credited, f.currency)), written off \(money(f.writtenOff, f.currency)), open \(money(f.open, f.currency))")
        for s in f.settlements { out.append("    \(s.day) \(s.kind.rawValue) \(s.reference): \(money(s.amount, f.currency))") }
        let open = v.disputes.first { $0.status == "open" }
        var state = [String]()
        if let open { state.append("disputed (\(open.category))") }
        if !v.caseIds.isEmpty { state.append("litigation case \(v.caseIds.joined(separator: ", "))") }
        if let p = v.promises.last(where: { $0.status == "open" }) { state.append("promise to pay by \(p.promisedOn)") }
        out.append("  state: " + (state.isEmpty ? (f.open > 0 ? "in its reminder scenario" : "settled") : state.joined(separator: "; ")))
        for d in v.disputes {
            out.append("  dispute \(d.id) [\(d.status)] \(d.category), opened \(d.openedOn) by \(d.openedBy)" + (d.owner.map { ", owner \($0)" } ?? "")
                       + (d.resolvedOn.map { ", resolved \($0) (\(d.resolution ?? ""))" } ?? "") + (d.comment.map { ": \($0)" } ?? ""))
            for t in d.tasksDone { out.append("    done: \(t)") }
        }
        for p in v.promises {
            out.append("  promise \(p.id) [\(p.status)] by \(p.promisedOn)" + (p.amount.map { " for \(money($0, f.currency))" } ?? " (whole amount)"))
        }
        for r in v.reminders {
            out.append("  reminder \(r.id) \(r.asOf) \(r.step)/\(r.channel) [\(r.status)]" + (r.file.map { " \($0)" } ?? ""))
        }
        out.append("  history:")
        for e in v.history { out.append("    \(e.at) \(e.actor) \(e.kind)" + (e.detail.map { ": \($0)" } ?? "")) }
        return out.joined(separator: "\n") + "\n"
    }

    public static func customer(_ v: CustomerCollectionView, asOf: Day) -> String {
        let c = v.customer
        var out = ["Customer \(c.id)" + (c.name.map { " — \($0)" } ?? "") + " (\(c.kind.rawValue))"]
        var ids: [String] = []
        if let s = c.siren { ids.append("SIREN \(s)") }
        if let t = c.vatNumber { ids.append("VAT \(t)") }
        if let e = c.email { ids.append(e) }
        if !ids.isEmpty { out.append("  " + ids.joined(separator: ", ")) }
        var totals: [Currency: Int64] = [:]
        out.append("  open invoices: \(v.openInvoices.count)")
        for i in v.openInvoices {
            totals[i.facts.currency, default: 0] += i.facts.open
            let late = max(0, i.facts.effectiveDueDate.distance(to: asOf))
            out.append("    \(i.facts.number) due \(i.facts.effectiveDueDate) open \(money(i.facts.open, i.facts.currency))"
                       + (late > 0 ? ", \(late) day(s) late" : "") + (i.disputed ? " [disputed]" : "") + (i.inCase ? " [litigation]" : ""))
        }
        for (cur, t) in totals.sorted(by: { $0.key < $1.key }) { out.append("  total open \(money(t, cur))") }
        for k in v.cases {
            out.append("  case \(k.id) [\(k.status)] stage \(k.stage), partner \(k.partnerId), opened \(k.openedOn)"
                       + (k.closedOn.map { ", closed \($0) (\(k.outcome ?? ""))" } ?? "") + ", invoices \(k.invoiceNumbers.joined(separator: ", "))")
            for s in k.stages {
                out.append("    \(s.day) \(s.stage.rawValue)" + (s.reference.map { " ref \($0)" } ?? "") + (s.comment.map { ": \($0)" } ?? ""))
            }
        }
        for p in v.plans {
            out.append("  payment plan \(p.id) [\(p.status)] for \(p.invoiceNumbers.joined(separator: ", ")): "
                       + p.instalments.map { "\($0.day) \(MinorUnits.format($0.amount, places: 2))" }.joined(separator: ", ") + " \(p.currency)")
        }
        out.append("  history:")
        for e in v.history { out.append("    \(e.at) \(e.actor) \(e.kind)" + (e.subjectId.map { " [\($0)]" } ?? "") + (e.detail.map { ": \($0)" } ?? "")) }
        return out.joined(separator: "\n") + "\n"
    }
}
