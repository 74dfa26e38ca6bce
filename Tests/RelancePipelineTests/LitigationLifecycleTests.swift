import ArgumentParser
import Foundation
import Testing
import RelanceCommands
import RelanceCore
import RelancePipeline
@testable import RelanceStore
import RelanceTestSupport

@Suite struct LitigationLifecycleTests {
    /// Every stage of the longest path, each one recorded through the command, then closed.
    @Test func throughEveryStageToClosing() throws {
        let h = try CollectionHome()
        #expect(h.command(LitigationCommand.self, ["open", "C2", "--invoices", "F-5", "--partner", "etude-roux", "--comment", "aucune réponse",
                                                   "--date", "2026-09-15"]) == 0)
        let caseId = try #require(try h.home.store().openCaseId(customerId: "C2"))
        #expect(caseId == "L20260915-1")
        #expect(try h.collectionStatus("F-5") == Int64(CollectionStatus.litigation.rawValue))
        let path: [(String, String)] = [
            ("amicable_collection", "2026-09-20"), ("mise en demeure", "2026-10-01"), ("injunction_filed", "2026-10-10"),
            ("injunction_issued", "2026-10-20"), ("injunction_served", "2026-11-02"), ("opposition", "2026-11-10"),
            ("summons", "2026-11-15"), ("judgment", "2026-11-18"), ("enforcement", "2026-11-19"),
        ]
        for (stage, date) in path {
            #expect(h.command(LitigationCommand.self, ["stage", "C2", stage, "--date", date, "--reference", "REF-\(date)"]) == 0, "stage \(stage)")
        }
        let record = try #require(try h.home.store().litigationCases().first)
        #expect(record.stages.map(\.stage.rawValue) == ["transmitted", "amicable_collection", "formal_notice", "injunction_filed", "injunction_issued",
                                                        "injunction_served", "opposition", "summons", "judgment", "enforcement"])
        #expect(record.stages.last?.reference == "REF-2026-11-19")
        // After enforcement only closing remains.
        #expect(try h.act("litigation_stage", ["customer_id": "C2", "stage": "judgment"]).refusal?.reason.contains("only closing remains") == true)
        #expect(try h.act("litigation_close", ["customer_id": "C2", "outcome": "partial"]).refusal?.field == "amount")
        #expect(h.command(LitigationCommand.self, ["close", "C2", "--outcome", "partial", "--amount", "9000"]) == 0)
        let closed = try #require(try h.home.store().litigationCases().first)
        #expect(closed.status == "closed" && closed.outcome == "partial" && closed.recoveredAmount == 900_000 && closed.stage == "closed")
        #expect(try h.collectionStatus("F-5") == 0)
        // A closed case takes no more stages; a new case may open.
        #expect(try h.act("litigation_stage", ["customer_id": "C2", "stage": "enforcement"]).refusal?.reason == "customer C2 has no open case")
        #expect(try h.act("litigation_open", ["customer_id": "C2", "partner": "cabinet-martin", "invoice_number": "F-5"]).isApplied)
        #expect(try h.home.store().openCaseId(customerId: "C2") == "L20261120-2")
        let journal = try h.home.store().events(kind: "litigation.stage").filter { $0.subjectId == caseId }
        #expect(journal.count == path.count)
    }

    /// The référé-provision branch: transmitted → summary_provision → judgment → enforcement.
    @Test func throughTheReferePath() throws {
        let h = try CollectionHome()
        #expect(try h.act("litigation_open", ["customer_id": "C3", "partner": "etude-roux", "invoices": "F-7", "date": "2026-10-01"]).isApplied)
        for (stage, date) in [("référé-provision", "2026-10-05"), ("jugement", "2026-10-30"), ("execution_forcee", "2026-11-10")] {
            #expect(try h.act("litigation_stage", ["customer_id": "C3", "stage": stage, "date": date]).isApplied, "stage \(stage)")
        }
        #expect(try h.act("litigation_close", ["customer_id": "C3", "outcome": "recovered", "amount": "450"]).isApplied)
        let k = try #require(try h.home.store().litigationCases().first)
        #expect(k.stages.map(\.stage) == [.transmitted, .summaryProvision, .judgment, .enforcement, .closed])
        #expect(k.outcome == "recovered" && k.recoveredAmount == 45_000)
    }

    @Test func illegalTransitionsAndDatesAreRefused() throws {
        let h = try CollectionHome()
        #expect(try h.act("litigation_open", ["customer_id": "C1", "partner": "cabinet-martin", "invoices": "F-1|F-2"]).isApplied)
        let served = try h.act("litigation_stage", ["customer_id": "C1", "stage": "injunction_served"])
        #expect(served.refusal?.field == "stage")
        #expect(served.refusal?.reason.contains("allowed: amicable_collection, formal_notice, injunction_filed, summary_provision, summons") == true)
        #expect(try h.act("litigation_stage", ["customer_id": "C1", "stage": "closed"]).refusal?.field == "stage")
        #expect(try h.act("litigation_stage", ["customer_id": "C1", "stage": "verdict"]).refusal?.field == "stage")
        #expect(try h.act("litigation_stage", ["customer_id": "C1", "stage": "formal_notice", "date": "2026-11-01"]).refusal?.field == "date")
        #expect(try h.act("litigation_open", ["customer_id": "C1", "partner": "cabinet-martin", "invoice_number": "F-3"]).refusal?.reason
                .contains("already has an open case") == true)
        #expect(try h.act("litigation_add", ["customer_id": "C1", "invoice_number": "F-1"]).refusal?.reason.contains("already in case") == true)
        #expect(try h.act("litigation_add", ["customer_id": "C1", "invoice_number": "F-5"]).refusal?.reason.contains("belongs to customer C2") == true)
        #expect(try h.act("litigation_add", ["customer_id": "C1", "invoice_number": "F-3"]).isApplied)
        #expect(try h.act("litigation_open", ["customer_id": "C9", "partner": "cabinet-martin"]).refusal?.field == "customer_id")
        // --all-overdue on C1 now finds nothing outside the case (F-3 was not overdue anyway).
        #expect(try h.act("litigation_add", ["customer_id": "C1"]).refusal?.reason.contains("no overdue invoice") == true)
        let stages: Int64? = try h.sql("SELECT COUNT(*) FROM litigation_stages")
        #expect(stages == 1)
        #expect(h.command(LitigationCommand.self, ["stage", "C1", "opposition"]) == 65)
        #expect(h.command(LitigationCommand.self, ["open", "C2", "--partner", "x", "--comment", "y"]) == ExitCode.validationFailure.rawValue)
    }

    @Test func deadlinesOfAnInjunctionAppearInTheTaskList() throws {
        let h = try CollectionHome()
        #expect(try h.act("litigation_open", ["customer_id": "C2", "partner": "etude-roux", "date": "2026-09-01"]).isApplied)  // all overdue: F-5
        for (stage, date) in [("injunction_filed", "2026-09-10"), ("injunction_issued", "2026-10-05")] {
            #expect(try h.act("litigation_stage", ["customer_id": "C2", "stage": stage, "date": date]).isApplied)
        }
        #expect(h.run() == 0)
        var rows = try h.csvRows("outbox/tasks/\(CollectionHome.asOf)/tasks.csv")
        #expect(rows.contains { $0.count > 6 && $0[0] == "2027-04-05" && $0[2] == "injunction_service_deadline" && $0[5] == "L20260901-1" && $0[6] == "etude-roux" })
        #expect(try h.act("litigation_stage", ["customer_id": "C2", "stage": "injunction_served", "date": "2026-11-12", "reference": "ACTE-77"]).isApplied)
        #expect(h.run() == 0)
        rows = try h.csvRows("outbox/tasks/\(CollectionHome.asOf)/tasks.csv")
        #expect(!rows.contains { $0.count > 2 && $0[2] == "injunction_service_deadline" })
        #expect(rows.contains { $0.count > 2 && $0[0] == "2026-12-12" && $0[2] == "opposition_period_ends" })
        // Service interrupted limitation: 5 years from 2026-11-12, alert 90 days before.
        #expect(rows.contains { $0.count > 4 && $0[2] == "limitation" && $0[4] == "F-5" && $0[0] == "2031-08-14" })
        // The litigation exports list the case and its invoice.
        let inv = try h.csvRows("outbox/reports/\(CollectionHome.asOf)/litigation-invoices.csv")
        #expect(inv.first == LitigationExportStage.invoiceHeader)
        #expect(inv.dropFirst().map { [$0[0], $0[2], $0[4], $0[12]] } == [["L20260901-1", "injunction_served", "F-5", "15000.00"]])
        let cus = try h.csvRows("outbox/reports/\(CollectionHome.asOf)/litigation-customers.csv")
        #expect(cus.dropFirst().map { [$0[0], $0[1], $0[3], $0[4], $0[10], $0[13]] } == [["L20260901-1", "C2", "etude-roux", "open", "1", "15000.00"]])
        if let py = ProcessRunner.python3 {
            let r = try ProcessRunner.run(py, ["-c", """
            import sys, openpyxl
            ws = openpyxl.load_workbook(sys.argv[1]).active
            rows = list(ws.iter_rows(values_only=True))
            print(len(rows), rows[1][0], rows[1][4], rows[1][12], rows[1][13])
            """, h.home.outbox.appendingPathComponent("reports/\(CollectionHome.asOf)/litigation-invoices.xlsx").path])
            #expect(r.output == "2 L20260901-1 F-5 15000 81\n", "\(r.output)")
        }
        let aged = try h.home.report(CollectionHome.asOf)
        #expect(aged.contains("C2,Müller GmbH,EUR,0.00,0.00,0.00,15000.00,0.00,0.00,15000.00,0.00,15000.00"))
    }
}
