import GRDB
import Testing
import RelanceCore
@testable import RelanceStore

@Suite struct JournalTests {
    @Test func theJournalIsAppendOnly() throws {
        let store = try Store.inMemory()
        let id = try store.appendEvent(at: "2025-03-01T10:00:00Z", actor: "marie", kind: "dispute.opened",
                                       subjectType: "document", subjectId: "F1", detail: #"{"reason":"livraison incomplète"}"#)
        #expect(id > 0)
        #expect(throws: DatabaseError.self) {
            try store.queue.write { db in try db.execute(sql: "UPDATE events SET actor = 'someone else'") }
        }
        #expect(throws: DatabaseError.self) {
            try store.queue.write { db in try db.execute(sql: "DELETE FROM events") }
        }
        let actor = try store.queue.read { db in try String.fetchOne(db, sql: "SELECT actor FROM events WHERE id = ?", arguments: [id]) }
        #expect(actor == "marie")
    }

    @Test func eachIngestJournalsOneFileEventWithCounts() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1)], payments: [T.payment("P\"1", amount: 1)]), file: "x.csv")
        let events = try T.events(store, kind: "file.ingested")
        #expect(events.count == 1)
        #expect(events.first?.contains(#""documents":{"inserted":1,"updated":0,"unchanged":0}"#) == true)
        #expect(events.first?.contains(#""payments":{"inserted":1,"updated":0,"unchanged":0}"#) == true)
    }

    @Test func jsonTextEscapes() {
        var j = JSONText()
        j.add("a\"b", "line\nnext\t\u{1}é")
        j.add("n", nil as String?)
        #expect(j.json == #"{"a\"b":"line\nnext\t\u0001é","n":null}"#)
    }
}
