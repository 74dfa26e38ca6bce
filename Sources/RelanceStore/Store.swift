import Foundation
import GRDB
import RelanceCore

/// The embedded store: one SQLite file (WAL) holding customers, documents, payments,
/// allocations, attachments, the list of processed files and the append-only journal.
///
/// All writes go through one serial `DatabaseQueue`: the pipeline has a single writer, and
/// each batch is applied in one transaction, so a file is in the store whole or not at all.
public final class Store: Sendable {
    let queue: DatabaseQueue
    /// The database file, nil for an in-memory store.
    public let path: String?

    /// Opens (creating it and its parent folder if needed) the store at `path`, in WAL mode
    /// with `synchronous=FULL` (each commit is on disk before it returns: the inbox moves a file
    /// away only after its commit, so a power cut must not lose a committed file) and foreign keys
    /// on, and applies the pending migrations.
    public init(path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        }
        self.path = path
        self.queue = try DatabaseQueue(path: path, configuration: Self.configuration(durable: true))
        try StoreSchema.migrator.migrate(queue)
    }

    private init(memory: Void) throws {
        self.path = nil
        self.queue = try DatabaseQueue(configuration: Self.configuration(durable: false))
        try StoreSchema.migrator.migrate(queue)
    }

    /// A private in-memory store, for tests and dry runs.
    public static func inMemory() throws -> Store { try Store(memory: ()) }

    private static func configuration(durable: Bool) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.label = "relance.store"
        config.prepareDatabase { db in
            // Page size only counts when the file is created. 4, 8 and 16 KiB loaded a million
            // documents within noise of each other on the (busy) build machine: keep 4 KiB.
            try db.execute(sql: "PRAGMA page_size = 4096")
            if durable {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            // 128 MiB of page cache (negative = KiB): the bulk index builds and the
            // allocation pass touch random pages of million-row indexes.
            try db.execute(sql: "PRAGMA cache_size = -131072")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Helper threads for SQLite's sorter: the index builds after a bulk append (a
            // million keys) sort on the other core while the writer merges.
            try db.execute(sql: "PRAGMA threads = \(min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 4))")
            if durable {
                // Reads of the million-row scans (aged balance, allocation pass) through the
                // page cache of the OS rather than read() calls.
                try db.execute(sql: "PRAGMA mmap_size = 1073741824")
            }
        }
        return config
    }

    /// The schema versions applied, oldest first ("v1"…).
    public func appliedMigrations() throws -> [String] {
        try queue.read { db in try StoreSchema.migrator.appliedMigrations(db) }
    }

    /// Runs `body` in one immediate write transaction with SQLite's foreign-key enforcement
    /// off, for the bulk writers (ingest, allocation pass) only.
    ///
    /// Enforcement costs a parent look-up per row (a third of a million-row load, measured).
    /// These writers never insert a reference they have not just resolved: every customer id
    /// of a batch is inserted before its documents and payments, allocations are made from
    /// ids read in the same transaction, and nothing is deleted but allocations (which are
    /// children). Every other write keeps enforcement on.
    func writeWithCheckedReferences<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
            var result: T?
            try PhaseLog.measure("transaction, commit included") {
                try db.inTransaction(.immediate) {
                    result = try PhaseLog.measure("transaction body") { try body(db) }
                    return .commit
                }
            }
            guard let result else { throw DatabaseError(resultCode: .SQLITE_ERROR, message: "transaction produced no result") }
            return result
        }
    }

    // MARK: Processed files

    /// Records a rejected file (its issues joined one per line). A rejected file dropped
    /// again updates its row, so the store always shows the latest verdict; a file whose data
    /// is in the store stays `ingested` (the rejection is still journaled).
    public func recordRejection(file: IngestedFileInfo, issues: [String], at timestamp: String) throws {
        try queue.write { db in
            let id = try Self.upsertFile(db, file: file, outcome: .rejected, recordCount: 0,
                                         errors: issues.joined(separator: "\n"), at: timestamp)
            var detail = JSONText()
            detail.add("name", file.name)
            detail.add("sha256", file.sha256)
            detail.addRaw("issues", JSONText.array(issues))
            try Self.insertEvent(db, at: timestamp, actor: "relance", kind: "file.rejected",
                                 subjectType: "file", subjectId: file.name, detail: detail.json, sourceFileId: id)
        }
    }

    /// What became of the file with this SHA-256, nil when never seen.
    public func fileOutcome(sha256: String) throws -> FileOutcome? {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT outcome FROM ingested_files WHERE sha256 = ?", arguments: [sha256])
                .flatMap(FileOutcome.init(rawValue:))
        }
    }

    static func upsertFile(_ db: Database, file: IngestedFileInfo, outcome: FileOutcome, recordCount: Int,
                           errors: String?, at timestamp: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO ingested_files (sha256, name, size, format, outcome, record_count, processed_at, errors)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(sha256) DO UPDATE SET name = excluded.name, size = excluded.size, format = excluded.format,
                outcome = excluded.outcome, record_count = excluded.record_count,
                processed_at = excluded.processed_at, errors = excluded.errors
            WHERE excluded.outcome = 'ingested' OR ingested_files.outcome = 'rejected'
            """, arguments: [file.sha256, file.name, file.size, file.format, outcome.rawValue, recordCount, timestamp, errors])
        return try Int64.fetchOne(db, sql: "SELECT id FROM ingested_files WHERE sha256 = ?", arguments: [file.sha256]) ?? 0
    }

    // MARK: Journal

    /// Appends one event to the journal and returns its id. `detail` is a JSON text.
    @discardableResult
    public func appendEvent(at timestamp: String, actor: String, kind: String, subjectType: String? = nil,
                            subjectId: String? = nil, detail: String? = nil, sourceFileId: Int64? = nil) throws -> Int64 {
        try queue.write { db in
            try Self.insertEvent(db, at: timestamp, actor: actor, kind: kind, subjectType: subjectType,
                                 subjectId: subjectId, detail: detail, sourceFileId: sourceFileId)
        }
    }

    @discardableResult
    static func insertEvent(_ db: Database, at timestamp: String, actor: String, kind: String, subjectType: String?,
                            subjectId: String?, detail: String?, sourceFileId: Int64?) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO events (at, actor, kind, subject_type, subject_id, detail, source_file_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [timestamp, actor, kind, subjectType, subjectId, detail, sourceFileId])
        return db.lastInsertedRowID
    }

    // MARK: Small queries for the pipeline

    /// Row counts of customers, documents, payments and allocations.
    public func counts() throws -> StoreCounts {
        try queue.read { db in
            StoreCounts(
                customers: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customers") ?? 0,
                documents: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents") ?? 0,
                payments: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payments") ?? 0,
                allocations: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM allocations") ?? 0)
        }
    }

    /// Payments no rule has tied to a customer yet: how many, and their unallocated
    /// remainder per currency (reversals count negatively).
    public func unidentifiedPayments() throws -> (count: Int, totals: [Currency: Int64]) {
        try queue.read { db in
            var count = 0
            var totals: [Currency: Int64] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT p.currency, p.amount - IFNULL((SELECT SUM(a.amount) FROM allocations a WHERE a.payment_id = p.id), 0)
                FROM payments p WHERE p.customer_id IS NULL
                """)
            while let row = try rows.next() {
                count += 1
                let code: String = row[0]
                guard let currency = Currency(code) else { continue }
                let (sum, overflow) = totals[currency, default: 0].addingReportingOverflow(row[1])
                if overflow { throw StoreError.overflow("unidentified payments in \(code)") }
                totals[currency] = sum
            }
            return (count, totals)
        }
    }

    /// Fills the due dates a source did not give (FEC has none) as issue date + payment terms
    /// (the customer's own terms when known), marking them derived so that a later file that
    /// still has none does not count as a change. Returns how many documents were filled.
    @discardableResult
    public func setDerivedDueDates(termsDays: Int, perCustomer: [String: Int] = [:]) throws -> Int {
        try queue.write { db in
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS customer_terms (customer_id TEXT PRIMARY KEY, days INTEGER NOT NULL)")
            try db.execute(sql: "DELETE FROM temp.customer_terms")
            let insert = try RawStatement(db, "INSERT INTO temp.customer_terms (customer_id, days) VALUES (?, ?)")
            for (customer, days) in perCustomer.sorted(by: { $0.key < $1.key }) {
                insert.bind(1, customer)
                insert.bind(2, days)
                try insert.execute()
            }
            try db.execute(sql: """
                UPDATE documents
                SET due_date = issue_date + IFNULL((SELECT t.days FROM temp.customer_terms t WHERE t.customer_id = documents.customer_id), ?),
                    due_date_derived = 1
                WHERE due_date IS NULL
                """, arguments: [termsDays])
            let changed = db.changesCount
            try db.execute(sql: "DROP TABLE temp.customer_terms")
            return changed
        }
    }
}
