import Foundation
import Testing
import RelanceCommands
import RelanceCore
import RelanceFormats
import RelancePipeline
@testable import RelanceStore
import RelanceTestSupport

@Suite struct DisputeLifecycleTests {
    @Test func openCommentTaskDoneAndTheTaskList() throws {
        let h = try CollectionHome()
        #expect(h.command(DisputeCommand.self, ["open", "F-1", "--category", "logistique", "--comment", "colis jamais reçu", "--owner", "Alice",
                                                "--date", "2026-11-10"]) == 0)
        #expect(try h.collectionStatus("F-1") == Int64(CollectionStatus.disputed.rawValue))
        #expect(try h.act("dispute_update", ["invoice_number": "F-1", "comment": "transporteur relancé"]).isApplied)
        #expect(try h.act("dispute_update", ["invoice_number": "F-1", "task": "Demander au transporteur la preuve de livraison signée"]).isApplied)
        // The same follow-up twice, and an update with nothing in it, are refused.
        #expect(try h.act("dispute_update", ["invoice_number": "F-1", "task": "Demander au transporteur la preuve de livraison signée"]).refusal?.field == "task")
        #expect(try h.act("dispute_update", ["invoice_number": "F-1"]).refusal != nil)

        #expect(h.run() == 0)
        let rows = try h.csvRows("outbox/tasks/\(CollectionHome.asOf)/tasks.csv")
        #expect(rows.first == TasksStage.header)
        let followUps = rows.filter { $0.count > 2 && $0[2] == "dispute_follow_up" }
        // Only the escalation remains: opened 2026-11-10 + 10 days, owned by logistics, due today.
        #expect(followUps.count == 1)
        #expect(followUps.first?[0] == "2026-11-20" && followUps.first?[1] == "today" && followUps.first?[4] == "F-1" && followUps.first?[6] == "logistique")
        // The limitation alert of the disputed invoice: delivered 2026-04-28, 5 years, 90 days before.
        let limitation = rows.filter { $0.count > 2 && $0[2] == "limitation" && $0[4] == "F-1" }
        #expect(limitation.first?[0] == "2031-01-28")

        // Disputed amounts stay in the outstanding, in the disputed column.
        let aged = try h.home.report(CollectionHome.asOf)
        let c1 = try #require(aged.split(separator: "\r\n").first { $0.hasPrefix("C1,") }).split(separator: ",", omittingEmptySubsequences: false)
        #expect(c1[9] == "2200.00" && c1[10] == "1200.00")   // total 1200 + 700 + 300; disputed F-1

        let view = try #require(try h.home.store().invoiceCollectionView(number: "F-1"))
        #expect(view.history.map(\.kind) == ["dispute.opened", "dispute.comment", "dispute.task_done"])
        #expect(view.disputes.first?.tasksDone == ["Demander au transporteur la preuve de livraison signée"])
        #expect(ShowText.invoice(view, asOf: Day.parse(CollectionHome.asOf)!).contains("disputed (logistique)"))
    }

    @Test func fullPaymentResolvesAutomaticallyAndCreditNoteToo() throws {
        let h = try CollectionHome()
        #expect(try h.act("dispute_open", ["invoice_number": "F-1", "category": "commercial", "comment": "prix contesté"]).isApplied)
        #expect(try h.act("dispute_open", ["invoice_number": "F-2", "category": "facturation"]).isApplied)
        try h.home.drop("payments.csv", """
        payment_id,customer_id,date,amount,currency,reference,invoice_number,payer_name,payer_iban
        P-1,C1,2026-11-18,1200.00,EUR,VIR F-1,F-1,BRASSERIE DU PARC,

        """)
        // F-2 (800, of which 100 credited by AV-1) settled by a second credit note.
        try h.home.drop("credit.csv", """
        invoice_number,customer_id,issue_date,due_date,delivery_date,currency,amount,type,original_invoice
        AV-2,C1,2026-11-19,,,EUR,700.00,credit_note,F-2

        """)
        #expect(h.run() == 0)
        let f1: String? = try h.sql("SELECT resolution FROM disputes d JOIN documents x ON x.id = d.document_id WHERE x.number = 'F-1'")
        let f2: String? = try h.sql("SELECT resolution FROM disputes d JOIN documents x ON x.id = d.document_id WHERE x.number = 'F-2'")
        #expect(f1 == "paid")
        #expect(f2 == "credited")
        #expect(try h.collectionStatus("F-1") == 0)
        let auto = try h.home.store().events(kind: "dispute.auto_resolved")
        #expect(auto.map(\.subjectId) == ["F-1", "F-2"])
        #expect(auto.allSatisfy { $0.actor == "relance-run" })
        // Nothing left to dispute.
        #expect(try h.act("dispute_open", ["invoice_number": "F-1", "category": "autre"]).refusal?.reason.contains("nothing left to pay") == true)
    }

    @Test func manualResolutionPutsTheInvoiceBackAndAllowsANewDispute() throws {
        let h = try CollectionHome()
        #expect(try h.act("dispute_open", ["invoice_number": "F-2", "category": "technique"]).isApplied)
        #expect(h.command(DisputeCommand.self, ["resolve", "F-2", "--comment", "geste commercial refusé, facture due"]) == 0)
        #expect(try h.collectionStatus("F-2") == 0)
        let open: Int64? = try h.sql("SELECT COUNT(*) FROM disputes WHERE status = 'open'")
        #expect(open == 0)
        #expect(h.command(DisputeCommand.self, ["resolve", "F-2"]) == 65)   // nothing open any more
        #expect(try h.act("dispute_open", ["invoice_number": "F-2", "category": "commercial", "comment": "re-contestée"]).isApplied)
        let disputes = try #require(try h.home.store().invoiceCollectionView(number: "F-2")).disputes
        #expect(disputes.map(\.status) == ["resolved", "open"])
        #expect(disputes.first?.resolution == "manual")
    }

    @Test func refusedDecisionsNameTheFieldAndChangeNothing() throws {
        let h = try CollectionHome()
        #expect(try h.act("dispute_open", ["invoice_number": "F-404", "category": "autre"]).refusal == ActionRefusal("unknown invoice F-404", field: "invoice_number"))
        #expect(try h.act("dispute_open", ["invoice_number": "AV-1", "category": "autre"]).refusal?.reason.contains("credit note") == true)
        #expect(try h.act("dispute_open", ["invoice_number": "F-1"]).refusal?.field == "category")
        #expect(try h.act("dispute_open", ["invoice_number": "F-1", "category": "météo"]).refusal?.field == "category")
        #expect(try h.act("dispute_update", ["invoice_number": "F-1", "comment": "x"]).refusal?.reason == "invoice F-1 has no open dispute")
        #expect(try h.act("dispute_open", ["invoice_number": "F-1", "category": "autre", "date": "31/02/2026"]).refusal?.field == "date")
        let events = try h.home.store().events().filter { $0.kind.hasPrefix("dispute.") }
        #expect(events.isEmpty)
    }

    @Test func actionFileWithBadRowsAppliesTheGoodOnes() throws {
        let h = try CollectionHome()
        try h.home.drop("decisions.csv", """
        action;invoice_number;customer_id;category;comment;date;stage;partner;instalments
        dispute_open;F-1;;logistique;palette abîmée;2026-11-18;;;
        dispute_open;F-404;;logistique;inconnue;;;;
        Promise;F-2;;;;2026-12-15;;;
        litigation_stage;;C1;;;;injunction_served;;
        litigation_open;;C2;;;;;nobody;
        payment_plan;;C3;;;;;;2026-12-31:200|2027-01-31:250
        dispute_resolve;F-3;;;;;;;

        """)
        #expect(h.run() == 65)
        let errors = try h.text("inbox/rejected/decisions.csv.errors.txt")
        #expect(errors.contains("decisions.csv:3: invoice_number: unknown invoice F-404"))
        #expect(errors.contains("decisions.csv:5: customer_id: customer C1 has no open case"))
        #expect(errors.contains("decisions.csv:6: partner: unknown partner \"nobody\""))
        #expect(errors.contains("decisions.csv:8: invoice_number: invoice F-3 has no open dispute"))
        let refused = try h.text("inbox/rejected/decisions.csv").split(separator: "\r\n")
        #expect(refused.count == 5)
        let disputes: Int64? = try h.sql("SELECT COUNT(*) FROM disputes WHERE status = 'open'")
        let promises: Int64? = try h.sql("SELECT COUNT(*) FROM promises WHERE status = 'open'")
        let plans: Int64? = try h.sql("SELECT COUNT(*) FROM payment_plans WHERE status = 'active'")
        #expect(disputes == 1 && promises == 1 && plans == 1)
        let cases: Int64? = try h.sql("SELECT COUNT(*) FROM litigation_cases")
        #expect(cases == 0)
    }

    @Test func promisesKeptAndBroken() throws {
        let h = try CollectionHome()
        #expect(try h.act("promise", ["invoice_number": "F-1", "date": "2026-11-25", "amount": "500,00"]).isApplied)
        #expect(try h.act("promise", ["invoice_number": "F-2", "date": "2026-11-22"]).isApplied)
        #expect(try h.act("promise", ["invoice_number": "F-2", "date": "2026-11-01"]).refusal?.field == "date")
        #expect(try h.act("promise", ["invoice_number": "F-1", "date": "2026-11-30", "amount": "5000"]).refusal?.field == "amount")
        try h.home.drop("payments.csv", """
        payment_id,customer_id,date,amount,currency,reference,invoice_number,payer_name,payer_iban
        P-1,C1,2026-11-24,500.00,EUR,ACOMPTE F-1,F-1,BRASSERIE DU PARC,

        """)
        // On the 26th: F-1's 500 arrived (kept); F-2's date has passed unpaid (broken).
        #expect(h.run(asOf: "2026-11-26") == 0)
        let s1: String? = try h.sql("SELECT p.status FROM promises p JOIN documents d ON d.id = p.document_id WHERE d.number = 'F-1'")
        let s2: String? = try h.sql("SELECT p.status FROM promises p JOIN documents d ON d.id = p.document_id WHERE d.number = 'F-2'")
        #expect(s1 == "kept" && s2 == "broken")
        let rows = try h.csvRows("outbox/tasks/2026-11-26/tasks.csv").filter { $0.count > 2 && $0[2] == "promise_broken" }
        #expect(rows.map { $0[4] } == ["F-2"])
        #expect(rows.first?[0] == "2026-11-23")
    }

    @Test func paymentPlanCompletedAndBroken() throws {
        let h = try CollectionHome()
        // C1 owes 1200 + 700 + 300 = 2200.
        #expect(try h.act("payment_plan", ["customer_id": "C1", "instalments": "2026-12-01:1000|2027-01-01:1000"]).refusal?.field == "instalments")
        #expect(try h.act("payment_plan", ["customer_id": "C1", "instalments": "2026-12-01:1200|2027-01-01:1000,00"]).isApplied)
        #expect(try h.act("payment_plan", ["customer_id": "C1", "instalments": "2026-12-01:2200"]).refusal?.field == "customer_id")
        #expect(try h.act("payment_plan", ["customer_id": "C3", "instalments": "2026-12-01:450", "invoices": "F-7"]).isApplied)
        try h.home.drop("payments.csv", """
        payment_id,customer_id,date,amount,currency,reference,invoice_number,payer_name,payer_iban
        P-7,C3,2026-11-30,450.00,EUR,F-7,F-7,JEANNE MARTIN,
        P-1,C1,2026-12-01,900.00,EUR,F-1,F-1,BRASSERIE DU PARC,

        """)
        #expect(h.run(asOf: "2026-12-05") == 0)
        let c3: String? = try h.sql("SELECT status FROM payment_plans WHERE customer_id = 'C3'")
        let c1: String? = try h.sql("SELECT status FROM payment_plans WHERE customer_id = 'C1'")
        #expect(c3 == "completed")
        #expect(c1 == "broken")      // 900 paid against 1200 due on 2026-12-01
        let rows = try h.csvRows("outbox/tasks/2026-12-05/tasks.csv").filter { $0.count > 2 && $0[2] == "plan_broken" }
        #expect(rows.map { $0[3] } == ["C1"] && rows.first?[0] == "2026-12-02")
    }

    @Test func settingsAreReadAndTyposRefused() throws {
        let config = try RelanceConfig.parse("""
        disputes:
          categories:
            - name: qualité
              follow_ups:
                - { task: "Rapport du labo", owner: qualité, delay_days: 4 }
        partners:
          - { id: p1, name: P1, email: p1@example.org, kind: collection_agency }
        litigation: { transmittal_max_bytes: 1000 }
        """)
        #expect(config.disputes.categories == [DisputeCategory(name: "qualité", followUps: [.init(task: "Rapport du labo", owner: "qualité", delayDays: 4)])])
        #expect(config.disputes.partner("p1")?.kind == .collectionAgency)
        #expect(config.disputes.transmittalMaxBytes == 1000)
        #expect(throws: ConfigError.self) { try RelanceConfig.parse("partners:\n  - { id: p1, name: P1, email: p1@example.org, kind: huissier }\n") }
        #expect(throws: ConfigError.self) { try RelanceConfig.parse("litigation: { transmittal_limit: 5 }\n") }
        #expect(RelanceConfig().disputes.categories.map(\.name) == ["commercial", "logistique", "technique", "facturation", "autre"])
    }
}
