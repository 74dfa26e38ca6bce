import Foundation
import GRDB
import RelanceCore

extension Store {
    /// How many documents carry a due date derived from payment terms (their source had none),
    /// so reports can say their ageing is an estimate.
    public func derivedDueDateCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents WHERE due_date_derived = 1") ?? 0 }
    }
}

/// One entry of the append-only journal.
public struct JournalEvent: Sendable, Equatable {
    public var id: Int64
    public var at: String
    public var actor: String
    public var kind: String
    public var subjectType: String?
    public var subjectId: String?
    public var detail: String?
}

extension Store {
    /// Journal entries, oldest first, optionally of one kind and/or about one subject.
    public func events(kind: String? = nil, subjectId: String? = nil) throws -> [JournalEvent] {
        try queue.read { db in
            var sql = "SELECT id, at, actor, kind, subject_type, subject_id, detail FROM events WHERE 1"
            var args: [DatabaseValueConvertible?] = []
            if let kind { sql += " AND kind = ?"; args.append(kind) }
            if let subjectId { sql += " AND subject_id = ?"; args.append(subjectId) }
            sql += " ORDER BY id"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { r in
                JournalEvent(id: r["id"], at: r["at"], actor: r["actor"], kind: r["kind"], subjectType: r["subject_type"],
                             subjectId: r["subject_id"], detail: r["detail"])
            }
        }
    }
}

extension Store {
    /// Attachments (invoice PDFs…) whose document has not arrived yet: (document number, file name).
    /// They wait in the store and attach themselves when the document is ingested.
    public func pendingAttachments() throws -> [(documentNumber: String, fileName: String)] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.document_number, a.file_name FROM attachments a
                WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.number = a.document_number)
                ORDER BY a.document_number, a.file_name
                """).map { ($0[0], $0[1]) }
        }
    }

    /// Attachments of a document: file name, media type and bytes.
    public func attachments(of documentNumber: String) throws -> [(fileName: String, mediaType: String, bytes: [UInt8])] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT file_name, media_type, content FROM attachments WHERE document_number = ? ORDER BY id",
                             arguments: [documentNumber]).map { r in
                let data: Data? = r[2]
                return (r[0], r[1], data.map { [UInt8]($0) } ?? [])
            }
        }
    }
}

extension Store {
    /// A customer's kind as stored (business or consumer), nil when the customer is unknown.
    public func customerKind(id: String) throws -> CustomerKind? {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT kind FROM customers WHERE id = ?", arguments: [id]).flatMap(CustomerKind.init(rawValue:))
        }
    }
}
