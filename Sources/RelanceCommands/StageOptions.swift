import ArgumentParser
import Foundation
import RelanceCore
import RelancePipeline

/// The options every stage and subcommand accepts: where the data lives and the as-of date.
public struct StageOptions: ParsableArguments, Sendable {
    @Option(help: ArgumentHelp("Relance home: uses HOME/inbox, HOME/outbox, HOME/state/relance.sqlite and HOME/relance.yaml.", valueName: "dir"))
    public var home: String = "."

    @Option(help: ArgumentHelp("Inbox folder (default HOME/inbox).", valueName: "dir"))
    public var inbox: String?

    @Option(help: ArgumentHelp("Outbox folder (default HOME/outbox).", valueName: "dir"))
    public var outbox: String?

    @Option(help: ArgumentHelp("SQLite store (default HOME/state/relance.sqlite).", valueName: "file"))
    public var store: String?

    @Option(help: ArgumentHelp("Configuration file (default HOME/relance.yaml, optional there).", valueName: "file"))
    public var config: String?

    @Option(name: .customLong("as-of"),
            help: ArgumentHelp("Date the results are computed for, YYYY-MM-DD (default: today in the company's time zone).", valueName: "date"))
    public var asOf: String?

    public init() {}

    public func validate() throws {
        if let asOf, StageOptions.parseAsOf(asOf) == nil {
            throw ValidationError("--as-of must be a real date written YYYY-MM-DD, got '\(asOf)'")
        }
    }

    static func parseAsOf(_ s: String) -> Day? {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        return Day.parse(s)
    }

    public var relanceHome: RelanceHome {
        RelanceHome(home: home, inbox: inbox, outbox: outbox, store: store, config: config)
    }
}
