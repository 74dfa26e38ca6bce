import ArgumentParser
import RelanceStore
import RelancePipeline

/// `relance dossier [CUSTOMER]` / `relance-dossier`: litigation dossiers and exports.
public struct DossierCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Write the litigation dossier of a customer's open case (or of every new case) and the litigation exports.",
        discussion: """
        Writes outbox/dossiers/<as-of>/<customer>-<case>.zip (synthese.pdf, creances.xlsx, invoice and credit-note PDFs,
        reminder files and delivery proofs, index.csv with SHA-256) and its transmittal .eml to the partner, then
        outbox/reports/<as-of>/litigation-invoices.csv|.xlsx and litigation-customers.csv|.xlsx.
        Set RELANCE_DOSSIER_PASSPHRASE to encrypt the archive with AES-256 (open it with 7-Zip: 7z x FILE.zip).
        Exit status: 0 written, 65 the customer has no open case, 64 usage, 75 locked, 1 other failure.
        """)

    @Argument(help: "Customer id (default: every open case without a dossier yet).") public var customer: String?
    @OptionGroup public var options: StageOptions

    public init() {}

    public func run() throws {
        try StageRunner.run(options, actor: "relance-dossier") { ctx, store, summary in
            summary.collection = try Self.stage(ctx, store: store, customer: customer)
        }
    }

    /// The dossier stage as `relance run` calls it (customer nil) or on demand.
    static func stage(_ ctx: RunContext, store: RelanceStore.Store, customer: String?) throws -> CollectionSummary {
        var c = CollectionSummary()
        do {
            c.dossiers = try DossierStage.run(ctx, store: store, customerId: customer)
        } catch let failure as DossierStage.Failure {
            c.refused.append(failure.description)
        }
        c.exports = try LitigationExportStage.run(ctx, store: store)
        return c
    }
}

/// The `relance-dossier` executable: `relance dossier` under its own name.
public struct DossierTool: ParsableCommand {
    public static let configuration: CommandConfiguration = {
        var c = DossierCommand.configuration
        c.commandName = "relance-dossier"
        return c
    }()

    @Argument(help: "Customer id (default: every open case without a dossier yet).") public var customer: String?
    @OptionGroup public var options: StageOptions

    public init() {}

    public func run() throws {
        var command = DossierCommand()
        command.customer = customer
        command.options = options
        try command.run()
    }
}
