import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive, non-blocking lock on the store, held for a whole run.
///
/// `flock` is released by the kernel when the process dies, so a crashed run never
/// leaves a stale lock behind (unlike a PID file).
public final class RunLock {
    private let fd: Int32

    public enum Failure: Error, CustomStringConvertible {
        case held(path: String)
        case cannotOpen(path: String, reason: String)
        public var description: String {
            switch self {
            case let .held(path): return "another Relance run holds the lock \(path)"
            case let .cannotOpen(path, reason): return "cannot open lock file \(path): \(reason)"
            }
        }
    }

    public init(path: URL) throws(Failure) {
        try? FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(path.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(path: path.path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .held(path: path.path)
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
