import ArgumentParser
import RelanceCore
import RelancePipeline

/// `relance litigation open|add|stage|close CUSTOMER …`: litigation cases ("contentieux"),
/// addressed by customer (at most one open case each).
public struct LitigationCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "litigation",
        abstract: "Open a litigation case for a customer, add invoices, record its stages, close it.",
        discussion: """
        Stages: \(LitigationStageNames.list).
        Opening a case writes its dossier (outbox/dossiers/<as-of>/) and the transmittal e-mail to the partner.
        Exit status: 0 applied, 65 refused (open case already, closed case, impossible transition…), 64 usage, 75 locked.
        """,
        subcommands: [Open.self, Add.self, Stage.self, Close.self])

    public init() {}

    public struct Open: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Open a case and hand it to a partner of the directory.")
        @Argument(help: "Customer id.") public var customer: String
        @Option(help: ArgumentHelp("Invoices of the case, comma-separated.", valueName: "N1,N2")) public var invoices: String?
        @Flag(name: .customLong("all-overdue"), help: "Take every overdue invoice of the customer.") public var allOverdue = false
        @Option(help: "Partner id from `partners:` in relance.yaml.") public var partner: String
        @Option(help: "Why the case is opened.") public var comment: String
        @Option(help: ArgumentHelp("Opening date (default: the as-of date).", valueName: "date")) public var date: String?
        @OptionGroup public var options: StageOptions
        public init() {}
        public func validate() throws {
            if (invoices == nil) == !allOverdue { throw ValidationError("give either --invoices N1,N2 or --all-overdue") }
        }
        public func run() throws {
            try CollectionCommandDoor.apply(options, action: "litigation_open", fields: [
                "customer_id": customer, "invoices": invoices, "partner": partner, "comment": comment, "date": date]) { ctx, store, c in
                c.dossiers = try DossierStage.run(ctx, store: store, customerId: customer)
                c.exports = try LitigationExportStage.run(ctx, store: store)
            }
        }
    }

    public struct Add: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Add invoices to the customer's open case.")
        @Argument(help: "Customer id.") public var customer: String
        @Option(help: ArgumentHelp("Invoices to add, comma-separated.", valueName: "N1,N2")) public var invoices: String?
        @Flag(name: .customLong("all-overdue"), help: "Add every overdue invoice not yet in the case.") public var allOverdue = false
        @Option(help: ArgumentHelp("Date (default: the as-of date).", valueName: "date")) public var date: String?
        @OptionGroup public var options: StageOptions
        public init() {}
        public func validate() throws {
            if (invoices == nil) == !allOverdue { throw ValidationError("give either --invoices N1,N2 or --all-overdue") }
        }
        public func run() throws {
            try CollectionCommandDoor.apply(options, action: "litigation_add", fields: ["customer_id": customer, "invoices": invoices, "date": date])
        }
    }

    public struct Stage: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Record the next stage of the customer's open case.")
        @Argument(help: "Customer id.") public var customer: String
        @Argument(help: ArgumentHelp("The stage reached: \(LitigationStageNames.list).", valueName: "stage")) public var stage: String
        @Option(help: ArgumentHelp("Date of the stage (default: the as-of date).", valueName: "date")) public var date: String?
        @Option(help: "Comment.") public var comment: String?
        @Option(help: "Reference (docket, act number…).") public var reference: String?
        @OptionGroup public var options: StageOptions
        public init() {}
        public func run() throws {
            try CollectionCommandDoor.apply(options, action: "litigation_stage", fields: [
                "customer_id": customer, "stage": stage, "date": date, "comment": comment, "reference": reference])
        }
    }

    public struct Close: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Close the customer's open case with its outcome.")
        @Argument(help: "Customer id.") public var customer: String
        @Option(help: "recovered, partial, written_off or settled.") public var outcome: String
        @Option(help: "Amount recovered (required for partial).") public var amount: String?
        @Option(help: "Comment.") public var comment: String?
        @Option(help: ArgumentHelp("Closing date (default: the as-of date).", valueName: "date")) public var date: String?
        @OptionGroup public var options: StageOptions
        public init() {}
        public func run() throws {
            try CollectionCommandDoor.apply(options, action: "litigation_close", fields: [
                "customer_id": customer, "outcome": outcome, "amount": amount, "comment": comment, "date": date])
        }
    }
}

enum LitigationStageNames {
    static var list: String { RelanceCore.LitigationStage.allCases.filter { $0 != .closed }.map(\.rawValue).joined(separator: ", ") }
}
