import ArgumentParser
import RelancePipeline

/// `relance dispute open|update|resolve INVOICE …`: the disputes ("litiges") of invoices.
public struct DisputeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dispute",
        abstract: "Open, update or resolve the dispute of an invoice (it leaves the reminders while open).",
        discussion: """
        Same decisions as the action-file rows dispute_open, dispute_update, dispute_resolve.
        Exit status: 0 applied, 65 refused (unknown invoice, no open dispute…), 64 usage error, 75 locked.
        """,
        subcommands: [Open.self, Update.self, Resolve.self])

    public init() {}

    public struct Open: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Open a dispute on an invoice.")
        @Argument(help: "Invoice number.") public var invoice: String
        @Option(help: "Category (defaults: commercial, logistique, technique, facturation, autre).") public var category: String
        @Option(help: "What the customer contests.") public var comment: String
        @Option(help: "Who follows the dispute.") public var owner: String?
        @Option(help: ArgumentHelp("Opening date (default: the as-of date).", valueName: "date")) public var date: String?
        @OptionGroup public var options: StageOptions
        public init() {}
        public func run() throws {
            try CollectionCommandDoor.apply(options, action: "dispute_open", fields: [
                "invoice_number": invoice, "category": category, "comment": comment, "owner": owner, "date": date])
        }
    }

    public struct Update: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Comment a dispute, change its owner or category, or mark a follow-up done.")
        @Argument(help: "Invoice number.") public var invoice: String
        @Option(help: "A comment for the history.") public var comment: String?
        @Option(help: "New owner.") public var owner: String?
        @Option(help: "New category.") public var category: String?
        @Option(help: "The text of a follow-up action of the category now done.") public var task: String?
        @Option(help: ArgumentHelp("Date of the update (default: the as-of date).", valueName: "date")) public var date: String?
        @OptionGroup public var options: StageOptions
        public init() {}
        public func run() throws {
            try CollectionCommandDoor.apply(options, action: "dispute_update", fields: [
                "invoice_number": invoice, "comment": comment, "owner": owner, "category": category, "task": task, "date": date])
        }
    }

    public struct Resolve: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Resolve a dispute by hand: the invoice goes back into its reminder scenario at the step its lateness calls for.")
        @Argument(help: "Invoice number.") public var invoice: String
        @Option(help: "How it was resolved.") public var comment: String?
        @Option(help: ArgumentHelp("Resolution date (default: the as-of date).", valueName: "date")) public var date: String?
        @OptionGroup public var options: StageOptions
        public init() {}
        public func run() throws {
            try CollectionCommandDoor.apply(options, action: "dispute_resolve", fields: ["invoice_number": invoice, "comment": comment, "date": date])
        }
    }
}
