import GRDB
import Testing
import RelanceCore
@testable import RelanceStore

@Suite struct AgedBalanceQueryTests {
    static let asOf = "2025-06-30"

    /// Days past due → expected bucket; each invoice gets a distinct power of two as amount.
    static let boundaries: [(days: Int, bucket: AgeBucket)] = [
        (-5, .notDue), (0, .notDue), (1, .d1_30), (30, .d1_30), (31, .d31_60), (60, .d31_60),
        (61, .d61_90), (90, .d61_90), (91, .d91_120), (120, .d91_120), (121, .d121Plus), (400, .d121Plus),
    ]

    @Test func bucketBoundaries() throws {
        let store = try Store.inMemory()
        let asOf = T.day(Self.asOf)
        var docs: [Document] = []
        var expected = Array(repeating: Int64(0), count: AgeBucket.allCases.count)
        for (i, b) in Self.boundaries.enumerated() {
            let due = asOf.adding(days: -b.days)
            let amount = Int64(1) << i
            docs.append(T.invoice("F\(i)", amount: amount, issue: due.adding(days: -30).description, due: due.description))
            expected[b.bucket.rawValue] += amount
        }
        try T.ingest(store, T.batch(documents: docs), file: "a.csv")
        let rows = try store.agedBalance(asOf: asOf)
        #expect(rows.count == 1)
        #expect(rows.first?.buckets == expected)
        let byHand: [Int64] = [3, 12, 48, 192, 768, 3072]  // pairs of powers of two per bucket
        #expect(expected == byHand)
    }

    @Test func missingDueDateCountsFromTheIssueDate() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 100, issue: "2025-05-30", due: nil)]), file: "fec.txt")
        let rows = try store.agedBalance(asOf: T.day(Self.asOf))
        #expect(rows.first?.buckets[AgeBucket.d31_60.rawValue] == 100)  // 31 days after the issue date
    }

    @Test func rowsAreSortedByCustomerIdThenCurrencyAndNamedFromCustomers() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(
            customers: [Customer(id: "C2", name: "Deux SARL")],
            documents: [T.invoice("F1", customer: "C10", amount: 1), T.invoice("F2", customer: "C2", amount: 2, currency: "USD"),
                        T.invoice("F3", customer: "C2", amount: 3), T.invoice("F4", customer: "B", name: "Bé", amount: 4),
                        T.invoice("F5", customer: "A", amount: 5)],
            payments: [T.payment("P5", customer: "A", amount: 5, invoice: "F5")]), file: "a.csv")
        _ = try store.applyExactAllocations(at: "2025-03-01T11:00:00Z")
        let rows = try store.agedBalance(asOf: T.day(Self.asOf))
        #expect(rows.map { "\($0.customerId)/\($0.currency)" } == ["B/EUR", "C10/EUR", "C2/EUR", "C2/USD"])  // A is settled
        #expect(rows.map(\.customerName) == ["Bé", "C10", "Deux SARL", "Deux SARL"])
        #expect(rows.map(\.total) == [4, 1, 3, 2])
    }

    @Test func disputedAndLitigationColumnsStayInTheBuckets() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 100), T.invoice("F2", amount: 20), T.invoice("F3", amount: 3)],
                                    payments: [T.payment("P1", amount: 40, invoice: "F1")]), file: "a.csv")
        _ = try store.applyExactAllocations(at: "2025-03-01T11:00:00Z")
        try store.queue.write { db in
            try db.execute(sql: "UPDATE documents SET collection_status = ? WHERE number = 'F1'", arguments: [CollectionStatus.disputed.rawValue])
            try db.execute(sql: "UPDATE documents SET collection_status = ? WHERE number = 'F2'", arguments: [CollectionStatus.litigation.rawValue])
        }
        let row = try #require(try store.agedBalance(asOf: T.day(Self.asOf)).first)
        #expect(row.total == 60 + 20 + 3)
        #expect(row.disputed == 60)
        #expect(row.litigation == 20)
    }

    @Test func unappliedCreditCountsIdentifiedPaymentsCreditNotesAndReversals() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.creditNote("A1", amount: 30, original: nil)],
                                    payments: [T.payment("P1", amount: 500), T.payment("P2", amount: -200),
                                               T.payment("P3", customer: nil, amount: 999)]), file: "a.csv")
        let rows = try store.agedBalance(asOf: T.day(Self.asOf))
        #expect(rows.count == 1)
        let expected: Int64 = 500 - 200 + 30  // P1, the reversal P2, the credit note A1; not the unidentified P3
        #expect(rows.first?.unappliedCredit == expected)
        let unidentified = try store.unidentifiedPayments()
        #expect(unidentified.count == 1)
        #expect(unidentified.totals == [.eur: 999])
    }
}
