/// One file taken out of a bundle (`.zip`, `.tar`, `.tar.gz`).
public struct BundleMember: Sendable, Equatable {
    /// Path inside the archive, UTF-8, `/`-separated, without `.` components. Members of a
    /// bundle nested one level deep are prefixed with that bundle's path: `2024.zip/f.csv`.
    public var name: String
    public var bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name; self.bytes = bytes
    }
}

/// Everything a bundle yields: its files in archive order, and what was left aside.
public struct BundleContents: Sendable, Equatable {
    public var members: [BundleMember]
    /// Dotfiles (`.DS_Store`, `._x.csv`, anything under a `.`-folder) and `__MACOSX/` entries:
    /// operating-system litter that is skipped, never read as input.
    public var ignored: [String]

    public init(members: [BundleMember], ignored: [String]) {
        self.members = members; self.ignored = ignored
    }

    /// A line for the run summary listing the ignored entries, nil when there were none.
    public var note: String? {
        guard !ignored.isEmpty else { return nil }
        let shown = ignored.prefix(10).joined(separator: ", ")
        let more = ignored.count > 10 ? " and \(ignored.count - 10) more" : ""
        return "ignored \(ignored.count) system \(ignored.count == 1 ? "entry" : "entries") in the bundle: \(shown)\(more)"
    }
}
