import Foundation
import GRDB
import RelanceCore

/// One write transaction of the store, handed to the code that applies people's decisions
/// (action files, the `relance dispute|litigation|promise|plan` commands, delivery feedback).
///
/// Why a type of its own: an action file is applied in one transaction together with its
/// record in `ingested_files` (a crash leaves it wholly applied or not at all, and re-dropping
/// it changes nothing), while each of its rows runs in a savepoint of its own, so that a
/// refused row rolls back alone. The domain operations that the stages add
/// (`openDispute`, `allocateManually`…) are extensions of this type, so they can only run
/// inside such a transaction.
public final class StoreTransaction {
    /// The GRDB connection, for extensions in this module only.
    let db: Database
    /// Journal timestamp and actor of every event written through this transaction.
    public let timestamp: String
    public let actor: String
    /// The ingested file the decisions come from, nil for the command line.
    public private(set) var sourceFileId: Int64?

    init(db: Database, timestamp: String, actor: String, sourceFileId: Int64?) {
        self.db = db; self.timestamp = timestamp; self.actor = actor; self.sourceFileId = sourceFileId
    }

    /// Runs `body` in a savepoint: if it throws, everything it wrote is undone and the error
    /// rethrown; the rest of the transaction is untouched.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        guard let result else { throw StoreError.invariant("savepoint produced no result") }
        return result
    }

    /// Records the file the decisions come from (ingested, with how many rows were applied)
    /// and makes it the source of the events written afterwards.
    @discardableResult
    public func recordSourceFile(_ file: IngestedFileInfo, applied: Int, refused: [String]) throws -> Int64 {
        let id = try Store.upsertFile(db, file: file, outcome: .ingested, recordCount: applied,
                                      errors: refused.isEmpty ? nil : refused.joined(separator: "\n"), at: timestamp)
        sourceFileId = id
        return id
    }

    /// Appends one event to the journal, stamped with this transaction's time, actor and source.
    @discardableResult
    public func appendEvent(kind: String, subjectType: String?, subjectId: String?, detail: String?) throws -> Int64 {
        try Store.insertEvent(db, at: timestamp, actor: actor, kind: kind, subjectType: subjectType,
                              subjectId: subjectId, detail: detail, sourceFileId: sourceFileId)
    }

    /// The id of the document with this number, nil when unknown.
    public func documentId(number: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE number = ?", arguments: [number])
    }

    /// Whether a customer with this id exists.
    public func customerExists(_ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM customers WHERE id = ?)", arguments: [id]) ?? false
    }
}

extension Store {
    /// Runs `body` in one immediate write transaction (foreign keys enforced): committed when
    /// it returns, rolled back when it throws.
    public func transaction<T>(actor: String, at timestamp: String, sourceFileId: Int64? = nil,
                               _ body: (StoreTransaction) throws -> T) throws -> T {
        try queue.write { db in
            try body(StoreTransaction(db: db, timestamp: timestamp, actor: actor, sourceFileId: sourceFileId))
        }
    }
}
