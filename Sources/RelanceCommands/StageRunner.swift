import ArgumentParser
import Foundation
import RelanceCore
import RelancePipeline
import RelanceStore
#if canImport(Glibc)
import Glibc
#endif

/// Runs stages with the shared contract: config, lock, store, summary, exit status.
public enum StageRunner {
    /// Prepares the run, calls `body`, prints its summary, and exits with the contract's status.
    public static func run(_ options: StageOptions, actor: String,
                           _ body: (RunContext, Store, inout Summary) throws -> Void) throws -> Never {
        let status = execute(options, actor: actor, body)
        throw status.exitCode
    }

    /// Same as `run`, returning the status instead of exiting (used by tests).
    public static func execute(_ options: StageOptions, actor: String,
                               _ body: (RunContext, Store, inout Summary) throws -> Void) -> ExitStatus {
        let home = options.relanceHome
        let config: RelanceConfig
        do { config = try RelanceConfig.load(path: home.config.path, required: home.configRequired) } catch {
            Summary.printError("configuration: \(error)")
            return .usage
        }
        let asOf = options.asOf.flatMap(StageOptions.parseAsOf) ?? Clock.today(in: config.timeZone)
        let lock: RunLock
        do { lock = try RunLock(path: home.lockFile) } catch {
            Summary.printError("\(error)")
            return error.isHeld ? .locked : .failure
        }
        defer { withExtendedLifetime(lock) {} }
        let ctx = RunContext(home: home, config: config, asOf: asOf, actor: actor, progress: Progress(enabled: isatty(2) == 1))
        var summary = Summary(asOf: asOf, home: home)
        do {
            let store = try Store(path: home.store.path)
            try body(ctx, store, &summary)
        } catch {
            summary.print()
            Summary.printError("\(error)")
            return .failure
        }
        summary.print()
        return summary.hasRejections ? .dataError : .ok
    }
}

extension RunLock.Failure {
    var isHeld: Bool { if case .held = self { return true } else { return false } }
}
