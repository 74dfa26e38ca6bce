/// The identity of an input file as the store remembers it: its SHA-256 decides whether a
/// file dropped again was already processed (a crash between commit and move is repaired
/// by recognising the file, not by re-reading it).
public struct IngestedFileInfo: Sendable, Equatable {
    /// Lower-case hexadecimal SHA-256 of the file's bytes.
    public var sha256: String
    public var name: String
    public var size: Int64
    /// What kind of file it was (`customers CSV`, `FEC`, `camt.053`…).
    public var format: String

    public init(sha256: String, name: String, size: Int64, format: String) {
        self.sha256 = sha256; self.name = name; self.size = size; self.format = format
    }
}

/// What became of a file the store has seen.
public enum FileOutcome: String, Sendable, Equatable {
    case ingested
    case rejected
}
