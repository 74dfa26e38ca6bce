import Foundation
import RelanceCore
import RelanceFormats

/// Everything a stage needs to know about the run: where, as of when, with which settings.
public struct RunContext: Sendable {
    public var home: RelanceHome
    public var config: RelanceConfig
    /// The date results are computed for; every output is a function of the store and this date.
    public var asOf: Day
    /// Who acts, for the journal (`relance-ingest`, or a person's name for actions).
    public var actor: String
    /// Progress lines on a terminal for long runs.
    public var progress: Progress

    public init(home: RelanceHome, config: RelanceConfig, asOf: Day, actor: String, progress: Progress = .silent) {
        self.home = home; self.config = config; self.asOf = asOf; self.actor = actor; self.progress = progress
    }

    /// Reader context for a file of this run.
    public func readContext(fileName: String) -> ReadContext {
        ReadContext(fileName: fileName, company: config.company, defaultCurrency: config.currency,
                    csvLayouts: config.csvLayouts, fec: config.fec, issueCap: config.maxErrorsListed)
    }

    /// Journal timestamp (wall clock, company time zone).
    public var timestamp: String { Clock.timestamp(in: config.timeZone) }

    /// The processing date (wall clock), which names the archive folder.
    public var processingDay: Day { Clock.today(in: config.timeZone) }
}

/// A one-line progress display on a terminal (stderr), silent otherwise.
public struct Progress: Sendable {
    public let enabled: Bool

    public static let silent = Progress(enabled: false)

    public init(enabled: Bool) { self.enabled = enabled }

    /// Shows `[n/total] message`, overwriting the previous line.
    public func step(_ n: Int, of total: Int, _ message: String) {
        guard enabled else { return }
        let width = 24
        let filled = total > 0 ? width * n / total : width
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(n)/\(total) \(message.prefix(60))".utf8))
    }

    public func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
