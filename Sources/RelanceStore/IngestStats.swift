/// What one ingested batch changed, per kind of record: the run summary's numbers.
public struct IngestStats: Sendable, Equatable {
    /// Counts for one kind of record.
    public struct Counts: Sendable, Equatable, CustomStringConvertible {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0

        public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
            self.inserted = inserted; self.updated = updated; self.unchanged = unchanged
        }

        public var total: Int { inserted + updated + unchanged }
        public var description: String { "\(inserted) new, \(updated) updated, \(unchanged) unchanged" }
    }

    public var customers = Counts()
    public var documents = Counts()
    public var payments = Counts()
    public var allocations = Counts()
    public var attachments = Counts()
    /// Automatic allocations dropped because a document or payment shrank below them.
    public var releasedAllocations = 0

    public init() {}
}
