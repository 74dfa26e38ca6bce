import ArgumentParser
import RelancePipeline

/// `relance-remind` / `relance remind`: the reminders due on the as-of date.
public struct RemindCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "remind",
        abstract: "Write the reminders due on the as-of date to outbox/reminders/<as-of>/.",
        discussion: """
        One message per customer, step and channel: email/*.eml (ready for `sendmail -t`),
        letters/*.pdf, registered/*.pdf (formal notices with penalties), sms.csv, calls.csv and
        manifest.csv. The batch is recorded in the store before the folder is published; a run
        interrupted in between is completed by the next run with the same bytes, and a second
        run for the same as-of date adds nothing. `relance plan` shows the plan without writing.
        Exit status: 0 done, 65 some formal notice refused (a rate is missing from the data
        files), 64 usage or configuration error (a template field unknown), 75 locked, 1 other failure.
        """)

    @OptionGroup public var options: StageOptions

    public init() {}

    public func run() throws {
        try StageRunner.run(options, actor: "relance-remind") { ctx, store, summary in
            summary.remind = try RemindStage.run(ctx, store: store)
        }
    }
}

/// The `relance-remind` executable: `relance remind` under its own name.
public struct RemindTool: ParsableCommand {
    public static let configuration: CommandConfiguration = {
        var c = RemindCommand.configuration
        c.commandName = "relance-remind"
        return c
    }()

    @OptionGroup public var options: StageOptions

    public init() {}

    public func run() throws {
        var command = RemindCommand()
        command.options = options
        try command.run()
    }
}
