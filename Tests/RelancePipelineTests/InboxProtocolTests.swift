import Foundation
import Testing
import RelanceCommands
import RelanceCore
import RelanceFormats
import RelancePipeline
import RelanceStore
import RelanceTestSupport

/// The inbox protocol: whole files or nothing, re-drops change nothing, crashes lose nothing.
@Suite struct InboxProtocolTests {
    let invoices = """
    invoice_number,customer_id,issue_date,due_date,currency,amount,type
    F-1,C1,2026-09-01,2026-10-01,EUR,1200.00,invoice
    F-2,C1,2026-10-01,2026-10-31,EUR,300.50,invoice

    """
    let payments = """
    payment_id,customer_id,date,amount,currency,reference,invoice_number
    P-1,C1,2026-10-05,200.00,EUR,VIR F-1,

    """

    @Test func redroppingIdenticalBytesChangesNothing() throws {
        let home = try TestHome()
        try home.drop("invoices.csv", invoices)
        try home.drop("payments.csv", payments)
        let (s1, _) = try home.run()
        #expect(s1 == .ok)
        let first = try home.report()
        let counts = try home.store().counts()
        try home.drop("invoices.csv", invoices)
        try home.drop("payments.csv", payments)
        let (s2, summary) = try home.run()
        #expect(s2 == .ok)
        #expect(summary.ingest?.files.map(\.outcome) == [.alreadyIngested, .alreadyIngested])
        #expect(try home.report() == first)
        #expect(try home.store().counts() == counts)
        #expect(home.archived() == ["invoices-2.csv", "invoices.csv", "payments-2.csv", "payments.csv"])
        #expect(first.contains("C1;C1;EUR;0,00;300,50;1000,00;0,00;0,00;0,00;1300,50;0,00;0,00;0,00;1300,50"))
    }

    @Test func aResentInvoiceWithAChangedAmountIsUpdatedAndJournaled() throws {
        let home = try TestHome()
        try home.drop("invoices.csv", invoices)
        _ = try home.run()
        try home.drop("invoices-v2.csv", invoices.replacingOccurrences(of: "300.50", with: "350.00"))
        let (status, summary) = try home.run()
        #expect(status == .ok)
        #expect(summary.ingest?.files.first?.stats?.documents.updated == 1)
        #expect(summary.ingest?.files.first?.stats?.documents.unchanged == 1)
        #expect(try home.report().contains(";350,00;"))
        let events = try home.store().events(kind: "document.updated")
        #expect(events.count == 1)
        #expect(events.first?.subjectId == "F-2")
    }

    @Test func producerTemporaryNamesAreLeftAlone() throws {
        let home = try TestHome()
        for name in [".invoices.csv", "invoices.csv.tmp", "payments.csv.part"] { try home.drop(name, invoices) }
        let (status, summary) = try home.run()
        #expect(status == .ok)
        #expect(summary.ingest?.files.isEmpty == true)
        #expect(home.files(in: "inbox").contains("invoices.csv.tmp"))
        #expect(home.files(in: "inbox").contains(".invoices.csv"))
    }

    /// Crash between the store commit and the move to the archive: the next run only archives.
    @Test func crashAfterCommitBeforeMoveIsRepaired() throws {
        let home = try TestHome()
        try home.drop("invoices.csv", invoices)
        let bytes = Array(invoices.utf8)
        do {
            let store = try home.store()
            let batch = try CSVReader().read(bytes, context: ReadContext(fileName: "invoices.csv"))
            _ = try store.ingest(batch, file: IngestedFileInfo(sha256: FileOps.sha256Hex(bytes), name: "invoices.csv",
                                                               size: Int64(bytes.count), format: batch.format),
                                 at: "2026-11-20T10:00:00+01:00", actor: "test")
        }
        let counts = try home.store().counts()
        let (status, summary) = try home.run()
        #expect(status == .ok)
        #expect(summary.ingest?.files.map(\.outcome) == [.alreadyIngested])
        #expect(try home.store().counts() == counts)
        #expect(home.archived() == ["invoices.csv"])
    }

    /// A crash while rendering a report leaves a staging folder: never visible as a report,
    /// cleaned by the next publication, and the report then appears whole.
    @Test func crashDuringPublicationLeavesNoHalfReport() throws {
        let home = try TestHome()
        try home.drop("invoices.csv", invoices)
        let staging = home.outbox.appendingPathComponent(".staging-999-1/reports")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try Data("half".utf8).write(to: staging.appendingPathComponent("aged-balance.csv"))
        let (status, _) = try home.run()
        #expect(status == .ok)
        #expect(home.files(in: "outbox") == ["reports"])
        #expect(home.files(in: "outbox/reports/2026-11-20") == ["aged-balance.csv"])
    }

    @Test func aRerunForTheSameDateReplacesTheReportFolderWhole() throws {
        let home = try TestHome()
        try home.drop("invoices.csv", invoices)
        _ = try home.run()
        #expect(try home.report().contains(";1500,50;"))
        try home.drop("payments.csv", payments)
        _ = try home.run()
        #expect(try home.report().contains(";1300,50;"))
        #expect(!(try home.report().contains(";1500,50;")))
        #expect(home.files(in: "outbox").filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func anotherRunHoldingTheLockGivesStatus75() throws {
        let home = try TestHome()
        let lock = try RunLock(path: home.storePath.deletingLastPathComponent().appendingPathComponent("relance.sqlite.lock"))
        let (status, _) = try home.run()
        #expect(status == .locked)
        withExtendedLifetime(lock) {}
    }

    @Test func anInvalidConfigurationIsAUsageError() throws {
        let home = try TestHome()
        try home.writeConfig("reports:\n  csv_dialekt: rfc4180\n")
        let (status, _) = try home.run()
        #expect(status == .usage)
    }
}

/// A consumer stays a consumer: the law differs (no 40 € indemnity, no L441-10 penalties),
/// so a later customers file that does not say the kind must not turn them into a business.
@Suite struct CustomerKindTests {
    @Test func aFileWithoutAKindColumnKeepsTheStoredKind() throws {
        let home = try TestHome()
        try home.drop("a.csv", "customer_id,name,kind\nC1,Jeanne Martin,consumer\nC2,Dupont SAS,business\n")
        _ = try home.run()
        try home.drop("b.csv", "customer_id,name,email\nC1,Jeanne Martin,jeanne@example.org\nC2,Dupont SAS,compta@dupont.example\n")
        let (status, _) = try home.run()
        #expect(status == .ok)
        #expect(try home.store().customerKind(id: "C1") == .consumer)
        #expect(try home.store().customerKind(id: "C2") == .business)
        try home.drop("c.csv", "customer_id,name,kind\nC1,Jeanne Martin,business\n")
        _ = try home.run()
        #expect(try home.store().customerKind(id: "C1") == .business)
    }
}
