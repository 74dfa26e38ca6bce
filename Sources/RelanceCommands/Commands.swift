import ArgumentParser
import RelancePipeline

/// `relance-ingest` / `relance ingest`: reads the inbox into the store.
public struct IngestCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest every file of the inbox into the store (and apply payments that name their invoice).",
        discussion: """
        Files are recognised by content: CSV exports (customers, invoices and credit notes, payments).
        Each file is ingested whole or moved to inbox/rejected/ with NAME.errors.txt; ingested files
        move to inbox/archive/<date>/. Producers must write under a temporary name (dotfile, .tmp or
        .part) and rename when done. Re-dropping identical bytes changes nothing.
        Exit status: 0 all inputs processed, 65 some file rejected, 64 usage error,
        75 another run holds the lock, 1 other failure.
        """)

    @OptionGroup public var options: StageOptions

    public init() {}

    public func run() throws {
        try StageRunner.run(options, actor: "relance-ingest") { ctx, store, summary in
            summary.ingest = try IngestStage.run(ctx, store: store)
        }
    }
}

/// `relance-report` / `relance report`: writes the reports for the as-of date.
public struct ReportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the reports for the as-of date to outbox/reports/<as-of>/ (aged balance).",
        discussion: "The folder appears complete or not at all. Same store and as-of date give the same bytes.")

    @OptionGroup public var options: StageOptions

    public init() {}

    public func run() throws {
        try StageRunner.run(options, actor: "relance-report") { ctx, store, summary in
            summary.report = try ReportStage.run(ctx, store: store)
            var collection = CollectionSummary()
            collection.exports = try LitigationExportStage.run(ctx, store: store)
            summary.collection = collection
        }
    }
}

/// `relance run`: every available stage in order.
public struct RunCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every stage in order: ingest, reconciliation, collection maintenance, reminders, dossiers and tasks, then reports.")

    @OptionGroup public var options: StageOptions

    public init() {}

    public func run() throws {
        try StageRunner.run(options, actor: "relance-run") { ctx, store, summary in
            summary.ingest = try IngestStage.run(ctx, store: store)
            summary.reconcile = try ReconcileStage.run(ctx, store: store)
            let maintenance = try CollectionMaintenanceStage.run(ctx, store: store)
            summary.remind = try RemindStage.run(ctx, store: store)
            var collection = try DossierCommand.stage(ctx, store: store, customer: nil)
            collection.maintenance = maintenance
            collection.tasks = try TasksStage.run(ctx, store: store)
            summary.report = try ReportStage.run(ctx, store: store)
            collection.exports = try LitigationExportStage.run(ctx, store: store)
            summary.collection = collection
        }
    }
}

/// `relance`: the umbrella command.
public struct RelanceCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "relance",
        abstract: "Relance — accounts-receivable collection for French and EU companies.",
        discussion: """
        Drop ERP and bank exports into inbox/, run `relance run`, collect results from outbox/.
        Every subcommand accepts --home, --inbox, --outbox, --store, --config and --as-of.
        """,
        subcommands: [RunCommand.self, IngestCommand.self, ReconcileCommand.self, ReportCommand.self,
                      RemindCommand.self, PlanCommand.self,
                      DisputeCommand.self, LitigationCommand.self, PromiseCommand.self, ShowCommand.self, DossierCommand.self])

    public init() {}
}

/// The `relance-ingest` executable: `relance ingest` under its own name.
public struct IngestTool: ParsableCommand {
    public static let configuration: CommandConfiguration = {
        var c = IngestCommand.configuration
        c.commandName = "relance-ingest"
        return c
    }()

    @OptionGroup public var options: StageOptions

    public init() {}

    public func run() throws {
        var command = IngestCommand()
        command.options = options
        try command.run()
    }
}

/// The `relance-report` executable: `relance report` under its own name.
public struct ReportTool: ParsableCommand {
    public static let configuration: CommandConfiguration = {
        var c = ReportCommand.configuration
        c.commandName = "relance-report"
        return c
    }()

    @OptionGroup public var options: StageOptions

    public init() {}

    public func run() throws {
        var command = ReportCommand()
        command.options = options
        try command.run()
    }
}
