import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Publishes a folder of outputs into `outbox/` so that it appears complete or not at all.
///
/// Files are rendered into `outbox/.staging-<pid>-<n>/`, fsynced, then the folder is renamed
/// into place (Maildir/Postfix style). An older folder of the same name is first renamed
/// aside and removed after the swap. Leftover staging folders from a crash are removed at
/// the next publication; they never contain the only copy of anything.
public struct OutboxPublisher {
    public let outbox: URL

    public init(outbox: URL) { self.outbox = outbox }

    /// Publishes `files` (relative name → bytes) as `outbox/<relativeFolder>/`.
    @discardableResult
    public func publish(folder relativeFolder: String, files: [(name: String, bytes: [UInt8])]) throws -> URL {
        let fm = FileManager.default
        try fm.createDirectory(at: outbox, withIntermediateDirectories: true)
        removeLeftovers()
        let target = outbox.appendingPathComponent(relativeFolder)
        let parent = target.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let stamp = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let staging = outbox.appendingPathComponent(".staging-\(stamp)")
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        for file in files {
            let url = staging.appendingPathComponent(file.name)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileOps.writeAndSync(file.bytes, to: url)
        }
        FileOps.syncDirectory(staging)
        var old: URL?
        if fm.fileExists(atPath: target.path) {
            let aside = outbox.appendingPathComponent(".replaced-\(stamp)")
            guard rename(target.path, aside.path) == 0 else {
                throw FileOpsError(message: "cannot move aside \(target.path): \(String(cString: strerror(errno)))")
            }
            old = aside
        }
        guard rename(staging.path, target.path) == 0 else {
            throw FileOpsError(message: "cannot publish \(target.path): \(String(cString: strerror(errno)))")
        }
        FileOps.syncDirectory(parent)
        FileOps.syncDirectory(outbox)
        if let old { try? fm.removeItem(at: old) }
        return target
    }

    /// Staging folders of crashed runs; replaced folders whose removal was interrupted.
    private func removeLeftovers() {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: outbox.path) else { return }
        for n in names where n.hasPrefix(".staging-") || n.hasPrefix(".replaced-") {
            try? fm.removeItem(at: outbox.appendingPathComponent(n))
        }
    }
}
