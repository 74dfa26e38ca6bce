import ArgumentParser
import Foundation
import RelanceCore
import RelanceFormats
import RelancePipeline

/// `relance plan`: the reminder plan of the as-of date (what would be sent, and why not),
/// or — with a customer and instalments — a payment plan ("échéancier") for that customer.
public struct PlanCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the reminders due on the as-of date and the reasons for the others; or set up a payment plan.",
        discussion: """
        Without arguments: prints every message that `relance remind` would write (customer, step,
        channel, invoices, amount) and every invoice that reached a step but is held back, with
        its reason (disputed, promise to pay, payment plan, minimum interval…). Writes nothing.
        With CUSTOMER and --instalment D:AMOUNT (repeatable): records a payment plan for the
        customer's open invoices (action `payment_plan`).
        """)

    @OptionGroup public var options: StageOptions

    @Argument(help: "Customer id: set up a payment plan for this customer instead of showing the reminder plan.")
    public var customer: String?

    @Option(name: .customLong("instalment"), help: ArgumentHelp("An instalment of the payment plan, DATE:AMOUNT (repeatable).", valueName: "D:AMOUNT"))
    public var instalments: [String] = []

    public init() {}

    public func validate() throws {
        if customer == nil && !instalments.isEmpty { throw ValidationError("--instalment needs a CUSTOMER") }
        if customer != nil && instalments.isEmpty { throw ValidationError("a payment plan needs at least one --instalment DATE:AMOUNT") }
    }

    public func run() throws {
        if let customer {
            try StageRunner.run(options, actor: CollectionCommandDoor.person) { ctx, store, summary in
                let row = ActionRow(line: 0, action: "payment_plan",
                                    fields: ["customer_id": customer, "instalments": instalments.joined(separator: "|")])
                switch try ActionStage.applyOne(row, ctx: ctx, store: store) {
                case let .applied(message):
                    FileHandle.standardOutput.write(Data("\(message)\n".utf8))
                case let .refused(refusal):
                    summary.commandRefusal = "payment plan refused: \(refusal)"
                }
            }
        }
        try StageRunner.run(options, actor: "relance-plan") { ctx, store, _ in
            let preview = try RemindStage.preview(ctx, store: store)
            FileHandle.standardOutput.write(Data(Self.render(preview).utf8))
        }
    }

    /// The plan as text: messages first, then held-back invoices.
    public static func render(_ p: ReminderPreview) -> String {
        var lines: [String] = ["Reminder plan as of \(p.plan.asOf)"]
        if p.alreadyRecorded > 0 {
            lines.append("Note: \(p.alreadyRecorded) reminder(s) already recorded for this date; `relance remind` adds nothing new.")
        }
        for n in p.plan.notes { lines.append("Note: \(n)") }
        lines.append("")
        lines.append("To send: \(p.plan.messages.count) message(s)")
        for m in p.plan.messages {
            let total = Money(minor: m.total, currency: m.currency)
            lines.append("  \(m.customerId)  \(m.step.name)  \(m.channel)  \(total)  [\(m.items.map { "\($0.number) (\($0.daysLate) d)" }.joined(separator: ", "))]  scenario \(m.scenario)")
        }
        lines.append("")
        lines.append("Held back: \(p.plan.exclusions.count) invoice(s)")
        for e in p.plan.exclusions {
            lines.append("  \(e.customerId)  \(e.documentNumber)  \(e.step)  \(e.reason.code): \(e.reason)")
        }
        for r in p.refusals { lines.append("REFUSED: \(r)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
