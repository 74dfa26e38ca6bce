import Foundation

/// Where a run reads and writes: `--home DIR` gives `DIR/inbox`, `DIR/outbox`,
/// `DIR/state/relance.sqlite` and `DIR/relance.yaml`; each can be overridden on its own.
public struct RelanceHome: Sendable, Equatable {
    public var home: URL
    public var inbox: URL
    public var outbox: URL
    public var store: URL
    public var config: URL
    /// True when the config path was given explicitly (then it must exist).
    public var configRequired: Bool

    public init(home: String = ".", inbox: String? = nil, outbox: String? = nil, store: String? = nil, config: String? = nil) {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func resolve(_ p: String, relativeTo base: URL) -> URL {
            p.hasPrefix("/") ? URL(fileURLWithPath: p).standardizedFileURL : base.appendingPathComponent(p).standardizedFileURL
        }
        let h = resolve(home, relativeTo: cwd)
        self.home = h
        self.inbox = inbox.map { resolve($0, relativeTo: cwd) } ?? h.appendingPathComponent("inbox")
        self.outbox = outbox.map { resolve($0, relativeTo: cwd) } ?? h.appendingPathComponent("outbox")
        self.store = store.map { resolve($0, relativeTo: cwd) } ?? h.appendingPathComponent("state/relance.sqlite")
        self.config = config.map { resolve($0, relativeTo: cwd) } ?? h.appendingPathComponent("relance.yaml")
        self.configRequired = config != nil
    }

    /// `inbox/archive/<yyyy-mm-dd>/`: where ingested files go, by processing date.
    public func archiveFolder(processedOn day: String) -> URL {
        inbox.appendingPathComponent("archive").appendingPathComponent(day)
    }

    /// `inbox/rejected/`: quarantined files, each with its `<name>.errors.txt`.
    public var rejectedFolder: URL { inbox.appendingPathComponent("rejected") }

    /// The lock file next to the store: one run at a time per store.
    public var lockFile: URL { store.deletingLastPathComponent().appendingPathComponent(store.lastPathComponent + ".lock") }
}
