import Foundation
import Testing
import RelanceCommands
import RelanceStore
import RelanceTestSupport

/// Bad input: quarantined with a precise report, nothing of it ingested, the rest of the run goes on.
@Suite struct BadInputTests {
    static let header = "invoice_number,customer_id,issue_date,due_date,currency,amount,type\n"

    /// (file name, content, a fragment the first reported problem must contain)
    static let cases: [(String, [UInt8], String)] = [
        ("quote.csv", Array((header + "F-1,C1,2026-09-01,2026-10-01,EUR,\"12.00,invoice\n").utf8), "quote.csv:2:"),
        ("missing.csv", Array("invoice_number,customer_id,due_date,amount\nF-1,C1,2026-10-01,12.00\n".utf8), "missing.csv"),
        ("date.csv", Array((header + "F-1,C1,2026-02-30,2026-10-01,EUR,12.00,invoice\n").utf8), "date.csv:2:"),
        ("amount.csv", Array((header + "F-1,C1,2026-09-01,2026-10-01,EUR,12.0x,invoice\n").utf8), "amount.csv:2:"),
        ("layout.csv", Array("foo,bar,baz\n1,2,3\n".utf8), "layout.csv"),
        ("empty.csv", [], "empty.csv"),
        ("junk.bin", [0x00, 0xFF, 0x13, 0x37, 0x00, 0x42, 0x99, 0x00], "junk.bin"),
    ]

    @Test(arguments: cases.indices)
    func badFileIsQuarantinedWithItsReport(index: Int) throws {
        let (name, bytes, fragment) = Self.cases[index]
        let home = try TestHome()
        try home.drop(name, bytes: bytes)
        try home.drop("good.csv", Self.header + "F-9,C9,2026-09-01,2026-10-01,EUR,10.00,invoice\n")
        let (status, summary) = try home.run()
        #expect(status == .dataError)
        #expect(summary.ingest?.rejectedCount == 1)
        #expect(home.files(in: "inbox/rejected") == [name, name + ".errors.txt"])
        let report = try String(contentsOf: home.inbox.appendingPathComponent("rejected/\(name).errors.txt"), encoding: .utf8)
        #expect(report.hasPrefix(fragment), "\(report)")
        #expect(try Data(contentsOf: home.inbox.appendingPathComponent("rejected/\(name)")) == Data(bytes))
        // Nothing of the bad file, all of the good one.
        let counts = try home.store().counts()
        #expect(counts.documents == 1)
        #expect(home.archived() == ["good.csv"])
    }

    @Test func aFileWithManyBadRowsListsThemAllUpToTheCap() throws {
        let home = try TestHome()
        try home.writeConfig("ingest:\n  max_errors_listed: 5\n")
        var text = Self.header
        for i in 1...12 { text += "F-\(i),C1,2026-13-01,2026-10-01,EUR,1.00,invoice\n" }
        try home.drop("many.csv", text)
        let (status, _) = try home.run()
        #expect(status == .dataError)
        let report = try String(contentsOf: home.inbox.appendingPathComponent("rejected/many.csv.errors.txt"), encoding: .utf8)
        let lines = report.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines.first?.hasPrefix("many.csv:2: issue_date:") == true)
        #expect(lines.last == "… and 7 more problems")
        #expect(try home.store().counts().documents == 0)
    }

    @Test func anInvoiceNumberGivenToAnotherCustomerRejectsTheSecondFile() throws {
        let home = try TestHome()
        try home.drop("a.csv", Self.header + "F-1,C1,2026-09-01,2026-10-01,EUR,10.00,invoice\n")
        _ = try home.run()
        try home.drop("b.csv", Self.header + "F-1,C2,2026-09-01,2026-10-01,EUR,10.00,invoice\nF-2,C2,2026-09-01,2026-10-01,EUR,5.00,invoice\n")
        let (status, _) = try home.run()
        #expect(status == .dataError)
        let report = try String(contentsOf: home.inbox.appendingPathComponent("rejected/b.csv.errors.txt"), encoding: .utf8)
        #expect(report.contains("document F-1 is already stored for customer C1"))
        #expect(try home.store().counts().documents == 1)
    }

    @Test func aRejectedFileDroppedAgainIsRejectedAgainBesideTheFirst() throws {
        let home = try TestHome()
        try home.drop("layout.csv", "foo,bar\n1,2\n")
        _ = try home.run()
        try home.drop("layout.csv", "foo,bar\n1,2\n")
        let (status, _) = try home.run()
        #expect(status == .dataError)
        #expect(home.files(in: "inbox/rejected") == ["layout-2.csv", "layout-2.csv.errors.txt", "layout.csv", "layout.csv.errors.txt"])
    }
}
