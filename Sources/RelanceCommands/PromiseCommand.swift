import ArgumentParser
import RelancePipeline

/// `relance promise INVOICE --date D [--amount A]`: a promise to pay, which holds the invoice's
/// reminders until its date; missed, it puts the invoice back into its scenario and the task list.
public struct PromiseCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "promise",
        abstract: "Record a customer's promise to pay an invoice by a date.",
        discussion: "Same decision as the action-file row `promise`. Exit status: 0 applied, 65 refused, 64 usage, 75 locked.")

    @Argument(help: "Invoice number.") public var invoice: String
    @Option(help: ArgumentHelp("The promised payment date.", valueName: "date")) public var date: String
    @Option(help: "Amount promised (default: everything left to pay).") public var amount: String?
    @Option(help: "Comment.") public var comment: String?
    @OptionGroup public var options: StageOptions

    public init() {}

    public func run() throws {
        try CollectionCommandDoor.apply(options, action: "promise", fields: [
            "invoice_number": invoice, "date": date, "amount": amount, "comment": comment])
    }
}
