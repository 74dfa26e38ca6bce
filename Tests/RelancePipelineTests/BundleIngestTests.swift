import Foundation
import Testing
import RelanceCommands
import RelanceFormats
import RelanceStore
import RelanceTestSupport

/// ZIP/tar bundles go through the same path as loose files, as one unit.
@Suite struct BundleIngestTests {
    let invoices = """
    invoice_number,customer_id,issue_date,due_date,currency,amount
    F-1,C1,2026-09-01,2026-10-01,EUR,100.00
    F-2,C1,2026-09-02,2026-10-02,EUR,200.00

    """

    func zip(_ entries: [(String, [UInt8])]) throws -> [UInt8] {
        var w = ArchiveWriter()
        for (n, b) in entries { w.add(name: n, bytes: b) }
        return try w.zipBytes()
    }

    @Test func membersAreIngestedAndPDFsAttachedByNameOrManifest() throws {
        let home = try TestHome()
        let bytes = try zip([
            ("erp/invoices.csv", Array(invoices.utf8)),
            ("pdf/F-1.pdf", InvoicePDFBuilder.pdf()),
            ("scans/scan-0001.pdf", InvoicePDFBuilder.pdf()),
            ("pdf/F-404.pdf", InvoicePDFBuilder.pdf()),
            ("manifest.csv", Array("invoice_number,file\nF-2,scans/scan-0001.pdf\n".utf8)),
        ])
        try home.drop("export.zip", bytes: bytes)
        let (status, summary) = try home.run()
        #expect(status == .ok)
        #expect(summary.ingest?.files.first?.outcome == .ingested)
        let store = try home.store()
        #expect(try store.counts().documents == 2)
        #expect(try store.attachments(of: "F-1").map(\.fileName) == ["F-1.pdf"])
        #expect(try store.attachments(of: "F-2").count == 1)
        #expect(try store.pendingAttachments().map(\.documentNumber) == ["F-404"])
        #expect(home.archived() == ["export.zip"])
    }

    @Test func oneBadMemberRejectsTheWholeBundleNamingTheMember() throws {
        let home = try TestHome()
        let bytes = try zip([
            ("invoices.csv", Array(invoices.utf8)),
            ("more/bad.csv", Array("invoice_number,customer_id,issue_date,due_date,amount\nF-3,C1,2026-02-31,2026-10-01,5.00\n".utf8)),
        ])
        try home.drop("export.zip", bytes: bytes)
        let (status, _) = try home.run()
        #expect(status == .dataError)
        let report = try String(contentsOf: home.inbox.appendingPathComponent("rejected/export.zip.errors.txt"), encoding: .utf8)
        #expect(report.hasPrefix("export.zip/more/bad.csv:2: issue_date:"), "\(report)")
        #expect(try home.store().counts().documents == 0)
    }

    @Test func pathTraversalInABundleIsRefused() throws {
        let home = try TestHome()
        let slip = try Fixtures.bytes("hostile/zip-slip.zip")
        try home.drop("slip.zip", bytes: slip)
        let (status, _) = try home.run()
        #expect(status == .dataError)
        let report = try String(contentsOf: home.inbox.appendingPathComponent("rejected/slip.zip.errors.txt"), encoding: .utf8)
        #expect(report.contains(".."), "\(report)")
    }
}
