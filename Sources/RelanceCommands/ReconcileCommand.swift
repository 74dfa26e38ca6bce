import ArgumentParser
import Foundation
import RelanceFormats
import RelancePipeline

/// `relance-reconcile` / `relance reconcile`: matches payments and credit notes to open
/// invoices, and applies one decision of the credit manager given on the command line.
public struct ReconcileCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Match payments and credit notes to open invoices; write outbox/reconciliation/<as-of>/.",
        discussion: """
        Rules, most certain first: allocations stated by the source (FEC lettering, payments naming their
        invoice: applied at ingest), RF creditor references and configured reference patterns, invoice
        numbers read in the remittance text, then for an identified payer (IBAN or name learnt from earlier
        matches, customer master data) one open item of exactly the amount or one exact combination.
        Anything ambiguous stays unmatched with its candidates. Outputs: allocations.csv,
        unmatched-payments.csv, proposed-writeoffs.csv.
        A decision (the same as an action file row in inbox/) is applied before matching:
          --decide allocate --payment P --invoice N [--amount A]
          --decide refund|ignore --payment P
          --decide writeoff --payment P [--invoice N] [--amount A]
        Exit status: 0 done, 65 the decision was refused, 64 usage error, 75 locked, 1 other failure.
        """)

    @OptionGroup public var options: StageOptions

    @OptionGroup public var decision: DecisionOptions

    public init() {}

    public func run() throws {
        try Self.run(options, decision)
    }

    static func run(_ options: StageOptions, _ decision: DecisionOptions) throws {
        let row = decision.row
        let person = decision.by ?? ProcessInfo.processInfo.environment["USER"] ?? "command-line"
        try StageRunner.run(options, actor: "relance-reconcile") { ctx, store, summary in
            if let row {
                var decisionContext = ctx
                decisionContext.actor = person
                switch try ActionStage.applyOne(row, ctx: decisionContext, store: store) {
                case let .applied(message): summary.decisions.append(message)
                case let .refused(refusal): summary.refusedDecisions.append("\(row.action): \(refusal)")
                }
            }
            summary.reconcile = try ReconcileStage.run(ctx, store: store)
        }
    }
}

/// The `relance-reconcile` executable: `relance reconcile` under its own name.
public struct ReconcileTool: ParsableCommand {
    public static let configuration: CommandConfiguration = {
        var c = ReconcileCommand.configuration
        c.commandName = "relance-reconcile"
        return c
    }()

    @OptionGroup public var options: StageOptions
    @OptionGroup public var decision: DecisionOptions

    public init() {}

    public func run() throws {
        try ReconcileCommand.run(options, decision)
    }
}

/// One decision of the credit manager given on the command line (the same as an action file row).
public struct DecisionOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("Apply one decision first: allocate, refund, ignore or writeoff.", valueName: "action"))
    public var decide: String?

    @Option(help: ArgumentHelp("The payment decided on (its reference, payment_id in action files).", valueName: "ref"))
    public var payment: String?

    @Option(help: ArgumentHelp("The invoice (allocate, writeoff).", valueName: "number"))
    public var invoice: String?

    @Option(help: ArgumentHelp("Amount, e.g. 1234.56 (allocate, writeoff; default: what is left).", valueName: "amount"))
    public var amount: String?

    @Option(help: ArgumentHelp("Comment kept with the decision.", valueName: "text"))
    public var comment: String?

    @Option(help: ArgumentHelp("Who decides, for the journal (default: $USER).", valueName: "name"))
    public var by: String?


    public func validate() throws {
        if let decide {
            guard ["allocate", "refund", "ignore", "writeoff"].contains(decide) else {
                throw ValidationError("--decide must be allocate, refund, ignore or writeoff, got '\(decide)'")
            }
            guard payment != nil else { throw ValidationError("--decide needs --payment") }
            if decide == "allocate" && invoice == nil { throw ValidationError("--decide allocate needs --invoice") }
        } else if payment != nil || invoice != nil || amount != nil {
            throw ValidationError("--payment, --invoice and --amount go with --decide")
        }
    }

    /// The decision as an action row, nil when none was given.
    public var row: ActionRow? {
        guard let decide, let payment else { return nil }
        var fields = ["payment_id": payment]
        if let invoice { fields["invoice_number"] = invoice }
        if let amount { fields["amount"] = amount }
        if let comment { fields["comment"] = comment }
        return ActionRow(line: 0, action: decide, fields: fields)
    }

    public init() {}
}
