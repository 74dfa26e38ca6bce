import Foundation
import Testing
import RelanceCommands
import RelanceCore
import RelanceFormats
import RelancePipeline
import RelanceStore
import RelanceTestSupport

/// The reconciliation stage end to end: inbox → store → outbox/reconciliation/<as-of>/,
/// decisions by action file and by command line, configuration, and the real samples.
@Suite struct ReconciliationStageTests {
    static let customers = """
    customer_id,name
    C1,Boulangerie Martin SARL
    C2,Garage Dubois SAS

    """
    static let invoices = """
    invoice_number,customer_id,issue_date,due_date,currency,amount,type,payment_reference
    2026-000123,C1,2026-09-01,2026-10-01,EUR,99.90,invoice,
    2026-000124,C1,2026-09-02,2026-10-02,EUR,99.90,invoice,
    2026-000300,C2,2026-09-10,2026-10-10,EUR,1000.00,invoice,
    2026-000301,C2,2026-09-11,2026-10-11,EUR,250.00,invoice,
    2026-000302,C2,2026-09-12,2026-10-12,EUR,250.00,invoice,

    """
    /// BNK-1 names 2026-000123 loosely; BNK-2 pays 2026-000300 three euros short; BNK-3 says
    /// nothing usable; P-4 is C2's and matches two open 250.00 invoices (ambiguous).
    static let payments = """
    payment_id,customer_id,date,amount,currency,reference,invoice_number,payer_name,payer_iban
    BNK-1,,2026-11-02,99.90,EUR,VIR SEPA Facture n° 2026/000123 merci,,MARTIN BOULANGERIE,FR7630006000011234567890189
    BNK-2,,2026-11-03,997.00,EUR,FACT 2026 000300,,DUBOIS,FR7611111111111111111111111
    BNK-3,,2026-11-04,42.00,EUR,VIREMENT,,INCONNU,
    P-4,C2,2026-11-05,250.00,EUR,acompte,,,

    """

    /// Ingest, reconciliation and report, as `relance run` does.
    @discardableResult
    static func run(_ home: TestHome, asOf: String = "2026-11-20") throws -> (RelanceCommands.ExitStatus, Summary?) {
        var captured: Summary?
        let status = StageRunner.execute(try home.options(asOf: asOf), actor: "test") { ctx, store, summary in
            summary.ingest = try IngestStage.run(ctx, store: store)
            summary.reconcile = try ReconcileStage.run(ctx, store: store)
            summary.report = try ReportStage.run(ctx, store: store)
            captured = summary
        }
        return (status, captured)
    }

    static func output(_ home: TestHome, _ name: String, asOf: String = "2026-11-20") throws -> String {
        try String(contentsOf: home.outbox.appendingPathComponent("reconciliation/\(asOf)/\(name)"), encoding: .utf8)
    }

    static func lines(_ home: TestHome, _ name: String) throws -> [String] {
        try output(home, name).split(separator: "\r\n").map(String.init)
    }

    static func prepared() throws -> TestHome {
        let home = try TestHome()
        try home.writeConfig("reports: { csv_dialect: rfc4180 }\nreconciliation:\n  writeoff_tolerance_minor: 500\n")
        try home.drop("customers.csv", customers)
        try home.drop("invoices.csv", invoices)
        try home.drop("payments.csv", payments)
        return home
    }

    @Test func stagePublishesAllocationsUnmatchedAndProposalsAndARerunWritesTheSameBytes() throws {
        let home = try Self.prepared()
        let (status, summary) = try Self.run(home)
        #expect(status == .ok)
        let rec = try #require(summary?.reconcile)
        #expect(rec.record.allocationsAdded == 2)
        #expect(rec.record.paymentsIdentified == 2)
        #expect(rec.unmatched == 2)
        #expect(rec.proposedWriteOffs == 1)
        #expect(summary?.render().contains("Reconciliation: 2 allocation(s) (2 payment(s), 0 credit note(s)) of 4 payment(s) to match, 2 unmatched") == true)

        let allocations = try Self.lines(home, "allocations.csv")
        #expect(allocations.first == "payment,source_kind,date,document,amount,currency,rule,evidence,confirmed_by")
        #expect(allocations.count == 3)
        #expect(allocations[1].hasPrefix("BNK-1,payment,2026-11-02,2026-000123,99.90,EUR,remittance_invoice_number,"))
        #expect(allocations[2].hasPrefix("BNK-2,payment,2026-11-03,2026-000300,997.00,EUR,remittance_invoice_number,"))

        let unmatched = try Self.lines(home, "unmatched-payments.csv")
        #expect(unmatched.first?.hasPrefix("payment,date,payer,payer_iban,amount,currency,text,customer,reason,candidate_1,score_1,why_1") == true)
        #expect(unmatched.count == 3)
        #expect(unmatched[1].hasPrefix("BNK-3,2026-11-04,INCONNU,,42.00,EUR,VIREMENT,,"))
        #expect(unmatched[2].hasPrefix("P-4,2026-11-05,,,250.00,EUR,acompte,C2,"))
        #expect(unmatched[2].contains("2026-000301") && unmatched[2].contains("2026-000302"))

        #expect(try Self.lines(home, "proposed-writeoffs.csv") == [
            "payment,invoice,customer,amount,currency,reason", "BNK-2,2026-000300,C2,3.00,EUR," + (try Self.proposalReason(home)),
        ])

        let before = try ["allocations.csv", "unmatched-payments.csv", "proposed-writeoffs.csv"].map { try Self.output(home, $0) }
        let (again, summary2) = try Self.run(home)
        #expect(again == .ok)
        #expect(summary2?.reconcile?.record == ReconciliationRecord())
        let after = try ["allocations.csv", "unmatched-payments.csv", "proposed-writeoffs.csv"].map { try Self.output(home, $0) }
        #expect(before == after)
    }

    static func proposalReason(_ home: TestHome) throws -> String {
        let text = try #require(try home.store().pendingWriteOffProposals().first?.reason)
        return text.contains(",") ? "\"\(text)\"" : text
    }

    @Test func decisionsFromAnActionFileAreAppliedAndRefusalsReportedRowByRow() throws {
        let home = try Self.prepared()
        try Self.run(home)
        try home.drop("decisions.csv", """
        action;payment_id;invoice_number;amount;comment
        allocate;P-4;2026-000302;250,00;le client a confirmé
        allocate;BNK-3;2026-000124;99,90;trop
        refund;BNK-3;;;versement en double
        writeoff;BNK-2;;;frais bancaires
        allocate;BNK-404;2026-000124;;
        allocate;BNK-3;2026-000999;;

        """)
        let (status, summary) = try Self.run(home)
        #expect(status == .dataError)
        let file = try #require(summary?.ingest?.files.first { $0.name == "decisions.csv" })
        #expect(file.records == 3)
        #expect(file.refusedRows == [
            "decisions.csv:3: amount: over-allocation: payment BNK-3 has only 42.00 EUR left",
            "decisions.csv:6: payment_id: no payment BNK-404 in the store",
            "decisions.csv:7: payment_id: payment BNK-3 was already marked refund",
        ])
        let store = try home.store()
        let allocations = try store.reconciliationAllocations(asOf: Day.parse("2026-11-20")!)
        let manual = try #require(allocations.first { $0.source == "P-4" })
        #expect(manual.invoiceNumber == "2026-000302" && manual.rule == "manual" && manual.confirmedBy == "test")
        #expect(manual.evidence == "allocated by test: le client a confirmé")
        #expect(try store.pendingWriteOffProposals().isEmpty)
        let unmatched = try Self.lines(home, "unmatched-payments.csv")
        #expect(unmatched.count == 1, "P-4 allocated, BNK-3 refunded: nothing left to match")
        #expect(try Self.lines(home, "allocations.csv").last?.hasPrefix("P-4,payment,2026-11-05,2026-000302,250.00,EUR,manual,") == true)
    }

    @Test func commandLineDoorAppliesTheSameDecision() throws {
        let home = try Self.prepared()
        try Self.run(home)
        let options = try StageOptions.parse(["--home", home.root.path, "--as-of", "2026-11-20"])
        let decision = try DecisionOptions.parse(["--decide", "allocate", "--payment", "P-4", "--invoice", "2026-000301", "--amount", "250.00"])
        let row = try #require(decision.row)
        #expect(row == ActionRow(line: 0, action: "allocate", fields: ["payment_id": "P-4", "invoice_number": "2026-000301", "amount": "250.00"]))
        var ctx = RunContext(home: options.relanceHome, config: try RelanceConfig.load(path: options.relanceHome.config.path, required: false),
                             asOf: Day.parse("2026-11-20")!, actor: "paul")
        let store = try home.store()
        #expect(try ActionStage.applyOne(row, ctx: ctx, store: store) == .applied("payment P-4: 250.00 EUR allocated to 2026-000301"))
        ctx.actor = "marie"
        let twice = try ActionStage.applyOne(row, ctx: ctx, store: store)
        #expect(twice == .refused(ActionRefusal("payment P-4 is fully allocated (by confirmed allocations)", field: "payment_id")))
        #expect(throws: (any Error).self) { try DecisionOptions.parse(["--decide", "allocate", "--payment", "P-4"]).validate() }
        #expect(throws: (any Error).self) { try DecisionOptions.parse(["--decide", "pay", "--payment", "P-4"]).validate() }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Fixtures.packageRoot.appendingPathComponent(".build/debug/relance-reconcile").path),
                   "debug executables not built"))
    func reconcileExecutableAppliesADecisionAndReportsARefusalWithStatus65() throws {
        let home = try Self.prepared()
        try Self.run(home)
        let bin = Fixtures.packageRoot.appendingPathComponent(".build/debug/relance-reconcile")
        let common = ["--home", home.root.path, "--as-of", "2026-11-20"]
        let (ok, output) = try ProcessRunner.run(bin, common + ["--decide", "ignore", "--payment", "BNK-3", "--by", "marie"])
        #expect(ok == 0, "\(output)")
        #expect(output.contains("Decision applied: payment BNK-3: 42.00 EUR marked ignore"))
        let (refused, output2) = try ProcessRunner.run(bin, common + ["--decide", "allocate", "--payment", "BNK-3", "--invoice", "2026-000124"])
        #expect(refused == 65)
        #expect(output2.contains("Decision REFUSED: allocate: payment_id: payment BNK-3 was already marked ignore"))
        #expect(try home.store().events(kind: "payment.ignore").map(\.actor) == ["marie"])
    }

    @Test func settingsAreReadAndUnknownKeysRefused() throws {
        let config = try RelanceConfig.parse("""
        reconciliation:
          writeoff_tolerance_minor: 500
          writeoff_tolerance_basis_points: 50
          reference_patterns: [{ prefix: CMD, digits: 6 }, { prefix: "REL-", min_digits: 6, max_digits: 8 }]
          apply_credit_oldest_first: [C1, 42]
          combination: { max_items: 10, max_size: 3, node_budget: 1000 }
        """)
        let r = config.reconciliation
        #expect(r.writeOffToleranceMinor == 500 && r.writeOffToleranceBasisPoints == 50)
        #expect(r.referencePatterns == [ReferencePattern(prefix: "CMD", digits: 6...6), ReferencePattern(prefix: "REL-", digits: 6...8)])
        #expect(r.applyCreditOldestFirst == ["C1", "42"])
        #expect(r.combinationMaxItems == 10 && r.combinationMaxSize == 3 && r.combinationNodeBudget == 1000)
        #expect(throws: ConfigError.self) { try RelanceConfig.parse("reconciliation: { tolerance: 5 }") }
        #expect(throws: ConfigError.self) { try RelanceConfig.parse("reconciliation: { writeoff_tolerance_minor: 5.00 }") }
        #expect(throws: ConfigError.self) { try RelanceConfig.parse("reconciliation: { reference_patterns: [{ prefix: CMD }] }") }
    }
}

/// The real samples: the Sage Coala FEC's eight cash receipts of customer 411PASSA name their
/// invoice only inside EcritureLib ("Reglt 4804 - Reglt 4804 ,FA2000004"), and the UBS camt.053
/// v8 example holds two CHF credits, "INVOICE R77561" from Jon Doe (474.40) and a structured
/// ISO 11649 reference RF38000000000000000000552 from Finanz AG (88.85). The invoices below are
/// written to match them; half of the FEC ones are spelt with a dash, so that only the
/// tolerant remittance rule (not the exact rule of the ingest) can find them.
@Suite struct ReconciliationSampleTests {
    /// (invoice as written here, amount, receipt date) — read from the FEC by hand.
    static let fecReceipts: [(String, String, String)] = [
        ("FA2000004", "18.95", "2020-01-09"), ("FA2000009", "15.00", "2020-01-13"), ("FA2000032", "59.85", "2020-02-01"),
        ("FA2000031", "39.90", "2020-02-01"), ("FA-2000044", "141.00", "2020-02-13"), ("FA-2000045", "10.00", "2020-02-14"),
        ("FA-2000060", "30.00", "2020-02-29"), ("FA-2000068", "49.00", "2020-03-05"),
    ]

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func fecReceiptsAndCamtCreditsSettleTheInvoicesWrittenForThem() throws {
        let home = try TestHome()
        try home.writeConfig("reports: { csv_dialect: rfc4180 }\n")
        var invoices = "invoice_number,customer_id,issue_date,due_date,currency,amount,type,payment_reference\n"
        for (number, amount, _) in Self.fecReceipts {
            invoices += "\(number),411PASSA,2020-01-02,2020-02-01,EUR,\(amount),invoice,\n"
        }
        invoices += "R-77561,JDOE,2023-05-20,2023-06-19,CHF,474.40,invoice,\n"
        invoices += "2023-0552,FINANZ,2023-05-21,2023-06-20,CHF,88.85,invoice,RF38000000000000000000552\n"
        invoices += "2023-0553,FINANZ,2023-05-21,2023-06-20,CHF,88.85,invoice,\n"
        try home.drop("invoices.csv", invoices)
        try FileManager.default.copyItem(at: Samples.url("fec/ekylibre_sage-coala_2020.txt"), to: home.inbox.appendingPathComponent("ekylibre_sage-coala_2020.txt"))
        try FileManager.default.copyItem(at: Samples.url("camt/viafintech_053_valid_example_v8.xml"),
                                         to: home.inbox.appendingPathComponent("viafintech_053_valid_example_v8.xml"))
        let (status, summary) = try ReconciliationStageTests.run(home, asOf: "2023-06-30")
        #expect(status == .ok)
        #expect(summary?.ingest?.ingestedCount == 3)

        let lines = try ReconciliationStageTests.output(home, "allocations.csv", asOf: "2023-06-30").split(separator: "\r\n").dropFirst()
        let rows = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        // document → (amount, currency, rule)
        var byInvoice: [String: (String, String, String)] = [:]
        for r in rows where r.count >= 7 { byInvoice[r[3]] = (r[4], r[5], r[6]) }
        for (number, amount, _) in Self.fecReceipts {
            let rule = number.contains("-") ? "remittance_invoice_number" : "exact_invoice_number"
            #expect(byInvoice[number]?.0 == amount && byInvoice[number]?.2 == rule, "\(number): \(String(describing: byInvoice[number]))")
        }
        #expect(byInvoice["R-77561"]?.0 == "474.40" && byInvoice["R-77561"]?.1 == "CHF" && byInvoice["R-77561"]?.2 == "remittance_invoice_number")
        #expect(byInvoice["2023-0552"]?.0 == "88.85" && byInvoice["2023-0552"]?.2 == "creditor_reference")
        #expect(byInvoice["2023-0553"] == nil, "the same amount without the reference is not paid")
        #expect(rows.count == 10)
        // Every FEC receipt and both camt credits are allocated: nothing of theirs is left unmatched.
        let unmatched = try ReconciliationStageTests.output(home, "unmatched-payments.csv", asOf: "2023-06-30")
        #expect(!unmatched.contains("Reglt 48") && !unmatched.contains("R77561") && !unmatched.contains("RF38"))
    }
}
