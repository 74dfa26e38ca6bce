import Foundation
import Testing
import RelanceCommands
import RelancePipeline
import RelanceStore

/// The ingest stage parses file i + 1 on a second thread while file i commits: the outcome
/// must be the one of reading the files one by one, in name order.
@Suite struct ReadAheadTests {
    static let invoices = "invoice_number,customer_id,issue_date,due_date,currency,amount,type\n"
    static let payments = "payment_id,customer_id,date,amount,currency,reference,invoice_number\n"

    @Test func filesReadAheadAreCommittedInNameOrderWithTheirOwnVerdicts() throws {
        let home = try TestHome()
        try home.drop("1-invoices.csv", Self.invoices + "F-1,C1,2026-09-01,2026-10-01,EUR,100.00,invoice\nF-2,C1,2026-09-02,2026-10-02,EUR,50.00,invoice\n")
        try home.drop("2-bad.csv", Self.invoices + "F-3,C1,2026-02-30,2026-10-01,EUR,10.00,invoice\n")
        try home.drop("3-payments.csv", Self.payments + "P-1,C1,2026-10-05,100.00,EUR,VIR,F-1\n")
        try home.drop("4-more.csv", Self.invoices + "F-4,C2,2026-09-03,2026-10-03,EUR,7.00,invoice\n")
        let (status, summary) = try home.run()
        #expect(status == .dataError)
        let files = try #require(summary.ingest?.files)
        #expect(files.map(\.name) == ["1-invoices.csv", "2-bad.csv", "3-payments.csv", "4-more.csv"])
        #expect(files.map(\.outcome) == [.ingested, .rejected, .ingested, .ingested])
        #expect(files.map(\.records) == [2, 0, 1, 1])
        #expect(home.archived() == ["1-invoices.csv", "3-payments.csv", "4-more.csv"])
        #expect(home.files(in: "inbox/rejected") == ["2-bad.csv", "2-bad.csv.errors.txt"])
        let counts = try home.store().counts()
        #expect(counts.documents == 3)
        #expect(counts.payments == 1)
        #expect(counts.allocations == 1)
        #expect(summary.ingest?.allocation?.amounts == [.eur: 10000])
    }

    @Test func aFileReadAheadThatTheStoreAlreadyHoldsIsOnlyArchived() throws {
        let home = try TestHome()
        let text = Self.invoices + "F-1,C1,2026-09-01,2026-10-01,EUR,100.00,invoice\n"
        try home.drop("a.csv", text)
        _ = try home.run()
        try home.drop("a-again.csv", text)
        try home.drop("b.csv", Self.invoices + "F-2,C1,2026-09-01,2026-10-01,EUR,3.00,invoice\n")
        let (status, summary) = try home.run()
        #expect(status == .ok)
        #expect(summary.ingest?.files.map(\.outcome) == [.alreadyIngested, .ingested])
        #expect(try home.store().counts().documents == 2)
        #expect(home.archived() == ["a-again.csv", "a.csv", "b.csv"])
    }
}
