import Foundation
import GRDB
import Testing
import RelanceCore
@testable import RelanceStore

@Suite struct StoreMigrationTests {
    static func temporaryPath() -> String {
        NSTemporaryDirectory() + "relance-store-tests-\(UInt64.random(in: 0...UInt64.max))/nested/relance.sqlite"
    }

    @Test func fileStoreCreatesFolderAndAppliesMigrationsInWALWithForeignKeys() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent) }
        let store = try Store(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3-reconcile", "v3-remind"])
        let (mode, sync, fk) = try store.queue.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(mode == "wal")
        #expect(sync == 2)  // FULL: a commit is on disk before the inbox moves its file
        #expect(fk == 1)
        let tables = try store.queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' ORDER BY name")
        }
        #expect(tables == ["allocations", "attachments", "companies", "customers", "delivery_events", "disputes", "documents",
                           "events", "ingested_files", "litigation_cases", "litigation_invoices", "litigation_stages",
                           "payment_decisions", "payment_plans", "payment_reversals", "payments", "plan_instalments", "plan_invoices", "promises",
                           "reminder_facts", "reminder_items", "reminders", "writeoff_proposals", "writeoffs"])
    }

    @Test func reopeningKeepsDataAndMigratesNothingTwice() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent) }
        do {
            let store = try Store(path: path)
            try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 100)]), file: "a.csv")
        }
        let again = try Store(path: path)
        #expect(try again.appliedMigrations() == ["v1", "v2", "v3-reconcile", "v3-remind"])
        #expect(try again.counts() == StoreCounts(customers: 1, documents: 1, payments: 0, allocations: 0))
        #expect(try again.fileOutcome(sha256: T.file("a.csv").sha256) == .ingested)
    }

    @Test func foreignKeysAreEnforcedAgainAfterTheBulkWriters() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1)], payments: [T.payment("P1", amount: 1, invoice: "F1")]), file: "a.csv")
        _ = try store.applyExactAllocations(at: "2025-03-01T11:00:00Z")
        #expect(try store.queue.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") } == 1)
        #expect(throws: DatabaseError.self) {
            try store.queue.write { db in
                try db.execute(sql: """
                    INSERT INTO documents (number, customer_id, kind, issue_date, currency, amount)
                    VALUES ('X', 'nobody', 'invoice', 0, 'EUR', 1)
                    """)
            }
        }
    }
}
