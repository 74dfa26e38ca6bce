import ArgumentParser

/// The exit statuses, the same for every executable and subcommand (sysexits.h values).
public enum ExitStatus: Int32, Sendable {
    /// Every input was processed.
    case ok = 0
    /// Something else failed (I/O, a corrupt store…).
    case failure = 1
    /// Bad usage: unknown option, malformed `--as-of`, invalid `relance.yaml` (EX_USAGE).
    case usage = 64
    /// Some input file was rejected (quarantined) or some action row refused (EX_DATAERR).
    case dataError = 65
    /// Another run holds the store's lock; try again later (EX_TEMPFAIL).
    case locked = 75

    public var exitCode: ExitCode { ExitCode(rawValue) }
}
