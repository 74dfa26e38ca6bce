import Foundation
import GRDB
import Testing
import RelanceCore
@testable import RelanceStore

/// Reconciliation through the store: inputs read, results recorded, decisions, reversals, reruns.
@Suite("Reconciliation store")
struct ReconciliationStoreTests {
    static let asOf = T.day("2025-03-31")

    /// One reconciliation run with the engine, as the stage does it.
    @discardableResult
    static func reconcile(_ store: Store, config: ReconciliationConfiguration = ReconciliationConfiguration(), asOf: Day = asOf)
        throws -> (snapshot: ReconciliationSnapshot, result: ReconciliationResult, record: ReconciliationRecord) {
        try store.reconcile(asOf: asOf, at: "2025-04-01T08:00:00Z", actor: "test") { s in
            Reconciler(invoices: s.invoices, creditNotes: s.creditNotes, customers: s.customers, knowledge: s.knowledge,
                       configuration: config).reconcile(s.payments)
        }
    }

    static func bankPayment(_ id: String, amount: Int64, date: String = "2025-02-10", reference: String? = nil, structured: String? = nil,
                            name: String? = nil, iban: String? = nil, reverses: String? = nil, currency: String = "EUR",
                            invoice: String? = nil) -> Payment {
        var p = T.payment(id, customer: nil, amount: amount, date: date, currency: currency, invoice: invoice, reference: reference)
        p.structuredReference = structured
        p.payerName = name
        p.payerIban = iban
        p.reverses = reverses
        return p
    }

    static func customers() -> [Customer] {
        [Customer(id: "C1", name: "Boulangerie Martin SARL"), Customer(id: "C2", name: "Garage Dubois SAS")]
    }

    static func tx<R>(_ store: Store, actor: String = "marie", _ body: (StoreTransaction) throws -> R) throws -> R {
        try store.transaction(actor: actor, at: "2025-04-02T09:00:00Z", body)
    }

    static func open(_ store: Store, _ number: String) throws -> Int64? {
        try tx(store) { try $0.invoiceState(number)?.open }
    }

    // MARK: Rules through the store

    @Test func remittanceNumberIsRecordedAutomaticallyIdentifiesThePayerAndRerunsChangeNothing() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [
            T.invoice("2025-000123", amount: 9_990), T.invoice("2025-000124", amount: 9_990), T.invoice("2025-000200", customer: "C2", amount: 5_000),
        ]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [Self.bankPayment("BNK-1", amount: 9_990, reference: "VIR SEPA Facture n° 2025/000123 merci")]),
                     file: "bank.csv")
        let first = try Self.reconcile(store)
        #expect(first.record.allocationsAdded == 1)
        #expect(first.record.paymentsIdentified == 1)
        #expect(try T.allocations(store) == ["2025-000123 <- BNK-1 9990 remittance_invoice_number"])
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM allocations WHERE confirmed_by IS NULL AND evidence <> ''") == 1)
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM payments WHERE payment_ref = 'BNK-1' AND customer_id = 'C1'") == 1)
        #expect(try T.events(store, kind: "reconciliation.run").count == 1)

        let second = try Self.reconcile(store)
        #expect(second.record == ReconciliationRecord())
        #expect(second.snapshot.payments.isEmpty)
        #expect(try T.allocations(store) == ["2025-000123 <- BNK-1 9990 remittance_invoice_number"])
        #expect(try T.events(store, kind: "reconciliation.run").count == 1, "a run that changes nothing journals nothing")
    }

    @Test func whatTheExactRuleLeftOfAPaymentGoesToTheEngineOnce() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [
            T.invoice("F-1", amount: 1_000), T.invoice("2025-000200", amount: 2_000),
        ]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [Self.bankPayment("BNK-1", amount: 3_000, reference: "F-1 et FAC 2025/000200")]), file: "bank.csv")
        _ = try store.applyExactAllocations(at: "2025-03-01T10:00:00Z")
        #expect(try T.allocations(store) == ["F-1 <- BNK-1 1000 exact_invoice_number"])
        let run = try Self.reconcile(store)
        #expect(run.snapshot.payments.map(\.remainingAmount) == [2_000])
        #expect(try T.allocations(store) == ["2025-000200 <- BNK-1 2000 remittance_invoice_number", "F-1 <- BNK-1 1000 exact_invoice_number"])
        #expect(try Self.reconcile(store).snapshot.payments.isEmpty)
    }

    @Test func creditorReferenceAndConfiguredPattern() throws {
        let store = try Store.inMemory()
        let rf = try #require(CreditorReference.make(body: "4711"))
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [
            T.invoice("F-1", amount: 12_000, reference: rf), T.invoice("F-2", customer: "C2", amount: 12_000),
            T.invoice("F-3", customer: "C2", amount: 7_000, reference: "CMD-004512"),
        ]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [
            Self.bankPayment("BNK-1", amount: 12_000, structured: rf),
            Self.bankPayment("BNK-2", amount: 7_000, reference: "paiement cmd 004512"),
        ]), file: "bank.csv")
        let config = ReconciliationConfiguration(referencePatterns: [ReferencePattern(prefix: "CMD", digits: 6...6)])
        try Self.reconcile(store, config: config)
        #expect(try T.allocations(store) == ["F-1 <- BNK-1 12000 creditor_reference", "F-3 <- BNK-2 7000 configured_reference"])
    }

    @Test func ibanLearntFromAnEarlierMatchIdentifiesThePayerForAnAmountMatch() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [
            T.invoice("F-1", amount: 10_000), T.invoice("F-2", amount: 4_250), T.invoice("F-9", customer: "C2", amount: 4_250),
        ]), file: "invoices.csv")
        // The first payment names its invoice exactly: the ingest's exact rule ties the IBAN to C1.
        try T.ingest(store, T.batch(payments: [Self.bankPayment("BNK-1", amount: 10_000, date: "2025-02-01", reference: "F-1",
                                                                name: "MARTIN", iban: "FR76 3000 6000 0112 3456 7890 189")]), file: "bank1.csv")
        _ = try store.applyExactAllocations(at: "2025-03-01T10:00:00Z")
        // The second says nothing but comes from the same account, for the amount of exactly one open C1 invoice.
        try T.ingest(store, T.batch(payments: [Self.bankPayment("BNK-2", amount: 4_250, date: "2025-03-01", reference: "VIREMENT",
                                                                iban: "FR7630006000011234567890189")]), file: "bank2.csv")
        let run = try Self.reconcile(store)
        #expect(run.snapshot.knowledge.ibans.map(\.customerId) == ["C1"])
        #expect(try T.allocations(store) == ["F-1 <- BNK-1 10000 exact_invoice_number", "F-2 <- BNK-2 4250 unique_amount"])
    }

    @Test func amountMatchesDoNotTeachPayerKnowledge() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [T.invoice("F-1", amount: 4_250)]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [
            T.payment("P-ERP", customer: "C1", amount: 4_250, date: "2025-02-01"),
        ]), file: "erp.csv")
        try store.queue.write { db in try db.execute(sql: "UPDATE payments SET payer_iban = 'FR7630006000011234567890189'") }
        try Self.reconcile(store)
        #expect(try T.allocations(store) == ["F-1 <- P-ERP 4250 unique_amount"])
        let again = try Self.reconcile(store)
        #expect(again.snapshot.knowledge.ibans.isEmpty)
    }

    @Test func ambiguityIsRefusedWithCandidates() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [
            T.invoice("F-1", amount: 5_000, issue: "2025-01-01"), T.invoice("F-2", amount: 5_000, issue: "2025-01-05"),
        ]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [T.payment("P-1", customer: "C1", amount: 5_000)]), file: "erp.csv")
        let run = try Self.reconcile(store)
        #expect(try T.allocations(store).isEmpty)
        let unmatched = try #require(run.result.unmatched.first)
        #expect(unmatched.paymentId == "P-1")
        #expect(Set(unmatched.candidates.map(\.invoiceNumber)) == ["F-1", "F-2"])
        #expect(!unmatched.reason.isEmpty)
    }

    @Test func freeCreditNoteOldestFirstOnlyForConfiguredCustomers() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [
            T.invoice("F-1", amount: 3_000, issue: "2025-01-01", due: "2025-01-31"), T.invoice("F-2", amount: 3_000, issue: "2025-02-01", due: "2025-03-01"),
            T.creditNote("AV-1", amount: 4_000, original: nil, issue: "2025-02-15"),
            T.invoice("G-1", customer: "C2", amount: 3_000), T.creditNote("AV-2", customer: "C2", amount: 1_000, original: nil),
        ]), file: "invoices.csv")
        try Self.reconcile(store, config: ReconciliationConfiguration(applyCreditOldestFirst: ["C1"]))
        #expect(try T.allocations(store) == ["F-1 <- AV-1 3000 customer_credit_oldest_first", "F-2 <- AV-1 1000 customer_credit_oldest_first"])
        #expect(try Self.open(store, "G-1") == 3_000)
    }

    @Test func shortPaymentWithinToleranceIsProposedNotAppliedAndTheProposalSurvivesReruns() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [T.invoice("2025-000777", amount: 100_000)]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [Self.bankPayment("BNK-1", amount: 99_700, reference: "FACT 2025-000777")]), file: "bank.csv")
        let config = ReconciliationConfiguration(writeOffToleranceMinor: 500)
        let run = try Self.reconcile(store, config: config)
        #expect(run.record.writeOffsProposed == 1)
        #expect(try Self.open(store, "2025-000777") == 300)
        #expect(try store.agedBalance(asOf: Self.asOf).reduce(0) { $0 + $1.total } == 300)
        try Self.reconcile(store, config: config)
        #expect(try store.pendingWriteOffProposals().map { "\($0.paymentId) \($0.invoiceNumber) \($0.amount)" } == ["BNK-1 2025-000777 300"])

        let done = try Self.tx(store) { try $0.writeOff(paymentRef: "BNK-1", invoiceNumber: nil, amount: nil, on: Self.asOf, comment: nil) }
        #expect(done.invoiceNumber == "2025-000777" && done.amount == 300)
        #expect(try Self.open(store, "2025-000777") == 0)
        // The aged balance no longer counts the written-off remainder.
        #expect(try store.agedBalance(asOf: Self.asOf).reduce(0) { $0 + $1.total } == 0)
        #expect(try store.pendingWriteOffProposals().isEmpty)
        #expect(try T.events(store, kind: "invoice.writeoff").count == 1)
    }

    // MARK: Decisions

    @Test func manualAllocationIsConfirmedAndNeverReworkedByALaterRun() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [
            T.invoice("F-1", amount: 5_000), T.invoice("F-2", amount: 5_000),
        ]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [Self.bankPayment("BNK-1", amount: 5_000, reference: "virement")]), file: "bank.csv")
        try Self.reconcile(store)
        #expect(try T.allocations(store).isEmpty)
        let done = try Self.tx(store) { try $0.allocateManually(paymentRef: "BNK-1", invoiceNumber: "F-2", amount: nil, comment: "appel du client") }
        #expect(done.amount == 5_000 && done.undone == 0)
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM allocations WHERE confirmed_by = 'marie' AND rule = 'manual'") == 1)
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM payments WHERE customer_id = 'C1'") == 1)
        let rerun = try Self.reconcile(store)
        #expect(rerun.snapshot.payments.isEmpty)
        #expect(try T.allocations(store) == ["F-2 <- BNK-1 5000 manual"])
    }

    @Test func manualAllocationReplacesTheEngineGuessButNotAnotherPersonsDecision() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [
            T.invoice("F-1", amount: 5_000), T.invoice("F-2", amount: 8_000),
        ]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [T.payment("P-1", customer: "C1", amount: 5_000)]), file: "erp.csv")
        try Self.reconcile(store)
        #expect(try T.allocations(store) == ["F-1 <- P-1 5000 unique_amount"])
        let moved = try Self.tx(store) { try $0.allocateManually(paymentRef: "P-1", invoiceNumber: "F-2", amount: 5_000, comment: nil) }
        #expect(moved.undone == 1)
        #expect(try T.allocations(store) == ["F-2 <- P-1 5000 manual"])
        #expect(try T.events(store, kind: "allocation.undone").count == 1)
        // A second person cannot silently move a confirmed allocation: the payment has nothing left.
        #expect(throws: PaymentDecisionError.self) {
            try Self.tx(store, actor: "paul") { try $0.allocateManually(paymentRef: "P-1", invoiceNumber: "F-1", amount: 5_000, comment: nil) }
        }
        #expect(try T.allocations(store) == ["F-2 <- P-1 5000 manual"])
    }

    @Test(arguments: [
        ("NOPE", "F-1", Int64?.none, "payment_id", "no payment NOPE"),
        ("P-1", "F-404", nil, "invoice_number", "no invoice F-404"),
        ("P-1", "F-1", 6_000, "amount", "payment P-1 has only 50.00 EUR left"),
        ("P-2", "F-1", 5_000, "amount", "invoice F-1 is open for only 40.00 EUR"),
        ("P-USD", "F-1", nil, "invoice_number", "payment P-USD is in USD, invoice F-1 in EUR"),
        ("R-1", "F-1", nil, "payment_id", "return or reversal"),
    ])
    func allocationRefusals(payment: String, invoice: String, amount: Int64?, field: String, reason: String) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [T.invoice("F-1", amount: 4_000)]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [
            T.payment("P-1", amount: 5_000), T.payment("P-2", amount: 9_000), T.payment("P-USD", amount: 4_000, currency: "USD"),
            T.payment("R-1", amount: -4_000),
        ]), file: "erp.csv")
        do {
            _ = try Self.tx(store) { try $0.allocateManually(paymentRef: payment, invoiceNumber: invoice, amount: amount, comment: nil) }
            Issue.record("allocation \(payment) → \(invoice) should be refused")
        } catch let e as PaymentDecisionError {
            #expect(e.field == field)
            #expect(e.reason.contains(reason), "\(e.reason)")
        }
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM allocations") == 0)
    }

    @Test func refundAndIgnoreTakeThePaymentOutOfReconciliationOnce() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [T.invoice("F-1", amount: 5_000)]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [Self.bankPayment("BNK-1", amount: 5_000, reference: "?"),
                                               Self.bankPayment("BNK-2", amount: 123, reference: "??")]), file: "bank.csv")
        let refunded = try Self.tx(store) { try $0.disposePayment(paymentRef: "BNK-1", as: .refund, on: Self.asOf, comment: "erreur") }
        #expect(refunded.amount == 5_000)
        _ = try Self.tx(store) { try $0.disposePayment(paymentRef: "BNK-2", as: .ignore, on: Self.asOf, comment: nil) }
        #expect(throws: PaymentDecisionError.self) {
            try Self.tx(store) { try $0.disposePayment(paymentRef: "BNK-1", as: .ignore, on: Self.asOf, comment: nil) }
        }
        let run = try Self.reconcile(store)
        #expect(run.snapshot.payments.isEmpty)
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM payment_decisions") == 2)
    }

    // MARK: Reversals

    @Test func reversalUndoesTheAllocationsOfWhatItReversesAndReopensTheInvoiceOnce() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [T.invoice("F-1", amount: 5_000), T.invoice("F-2", amount: 2_000)]),
                     file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [T.payment("P-1", amount: 5_000, date: "2025-02-01", invoice: "F-1")]), file: "erp.csv")
        _ = try store.applyExactAllocations(at: "2025-03-01T10:00:00Z")
        #expect(try Self.open(store, "F-1") == 0)
        // A person's allocation of another payment, which the reversal of P-2 must undo too.
        try T.ingest(store, T.batch(payments: [T.payment("P-2", amount: 2_000, date: "2025-02-02")]), file: "erp2.csv")
        _ = try Self.tx(store) { try $0.allocateManually(paymentRef: "P-2", invoiceNumber: "F-2", amount: nil, comment: nil) }
        #expect(try Self.open(store, "F-2") == 0)
        try T.ingest(store, T.batch(payments: [Self.bankPayment("RET-2", amount: -2_000, date: "2025-02-21", reverses: "P-2")]), file: "bank2.csv")
        try T.ingest(store, T.batch(payments: [Self.bankPayment("RET-1", amount: -5_000, date: "2025-02-20", reference: "RETOUR IMPAYE",
                                                                reverses: "P-1")]), file: "bank.csv")
        let run = try Self.reconcile(store)
        #expect(run.record.reversalsApplied == 2)
        #expect(run.record.allocationsUndone == 2)
        #expect(try Self.open(store, "F-1") == 5_000)
        #expect(try Self.open(store, "F-2") == 2_000)
        #expect(try T.allocations(store).isEmpty)
        #expect(run.snapshot.payments.isEmpty, "neither the reversed payment nor its reversal is matched again")
        #expect(run.snapshot.pendingReturns.isEmpty)
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM payments WHERE payment_ref = 'RET-1' AND customer_id = 'C1'") == 1)
        #expect(try T.events(store, kind: "allocation.undone").first?.contains("\"reversed_by\":\"RET-1\"") == true)

        let again = try Self.reconcile(store)
        #expect(again.record == ReconciliationRecord())
        #expect(try T.events(store, kind: "payment.reversed").count == 2)
    }

    @Test func reversalOfAnUnknownPaymentWaitsAsAPendingReturn() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [T.invoice("F-1", amount: 5_000)]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [Self.bankPayment("RET-1", amount: -5_000, reverses: "P-LATER"),
                                               Self.bankPayment("RET-2", amount: -700)]), file: "bank.csv")
        let run = try Self.reconcile(store)
        #expect(run.record.reversalsApplied == 0)
        #expect(run.snapshot.pendingReturns.map(\.paymentId) == ["RET-1", "RET-2"])
        #expect(run.snapshot.pendingReturns[0].reason.contains("P-LATER"))
    }

    @Test func paymentsAndDocumentsAfterTheAsOfDateWait() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(customers: Self.customers(), documents: [T.invoice("2025-000123", amount: 9_990)]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [Self.bankPayment("BNK-1", amount: 9_990, date: "2025-04-10", reference: "FAC 2025/000123")]),
                     file: "bank.csv")
        let early = try Self.reconcile(store)
        #expect(early.snapshot.payments.isEmpty)
        let later = try Self.reconcile(store, asOf: T.day("2025-04-30"))
        #expect(later.record.allocationsAdded == 1)
    }
}

/// The reconciliation inputs are read table by table and ordered in Swift: the order must be
/// SQLite's (`BINARY` collation), byte for byte, including texts Swift itself orders otherwise.
@Suite("Reconciliation inputs: byte order and rowid tables")
struct ReconciliationLoaderTests {
    @Test func byteOrderIsSQLiteBinaryOrder() throws {
        let texts = ["a", "B", "b", "", "ab", "a b", "Z", "é", "e\u{301}", "\u{212A}", "K", "ÉCOLE", "ECOLE", "AB",
                     "ABCDEFGH", "ABCDEFGHI", "ABCDEFGG", "ABCDEFGH\u{e9}", "zz", "FR76 1234", "FR761234", "Ω", "\u{2126}"]
        let queue = try DatabaseQueue()
        let sqliteOrder = try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (s TEXT)")
            for t in texts { try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [t]) }
            return try String.fetchAll(db, sql: "SELECT DISTINCT s FROM t ORDER BY s")
        }
        let ours = ReconciliationSnapshotLoader.distinctSorted((texts + texts.reversed()).map { ($0, "C") }).map(\.0)
        #expect(ours.map { Array($0.utf8) } == sqliteOrder.map { Array($0.utf8) })
        // Canonically equivalent but different bytes: two rows for SQLite, two here.
        #expect(ours.contains("é") && ours.contains { Array($0.utf8) == Array("e\u{301}".utf8) })
    }

    @Test func byteSortKeysOrderLongTextsWithACommonPrefixAndDatesFirst() throws {
        // The first 32 bytes decide most comparisons; these share 16 or 32 of them, or are prefixes of each other.
        let refs = ["VIREMENT-SEPA-20250210-0002", "VIREMENT-SEPA-20250210-0001", "VIREMENT-SEPA-2025", "VIREMENT-SEPA-202",
                    "VIREMENT-SEPA-20250210-0001é", "VIREMENT-SEPA-20250210-0001e", "A", "", "a",
                    "FR7630006000011234567890189 SEPA X", "FR7630006000011234567890189 SEPA", "FR7630006000011234567890189 SEPA-",
                    "FR7630006000011234567890189 SEPB", "FR7630006000011234567890189 SEP\u{e9}"]
        let rows: [(Int64, String)] = refs.enumerated().map { (Int64($0.offset % 3), $0.element) }
        let queue = try DatabaseQueue()
        let sqliteOrder = try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (d INTEGER, s TEXT)")
            for r in rows { try db.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: [r.0, r.1]) }
            return try Row.fetchAll(db, sql: "SELECT d, s FROM t ORDER BY d, s").map { "\($0[0] as Int64) \($0[1] as String)" }
        }
        let ours = ByteSortKey.order(rows).map { "\(rows[$0].0) \(rows[$0].1)" }
        #expect(ours == sqliteOrder)
        let pairs = (refs + refs).map { ($0, "C") }
        #expect(ReconciliationSnapshotLoader.distinctSorted(pairs).count == refs.count)
    }

    @Test func aSecondConnectionReadsThePaymentsOfTheSameSnapshot() throws {
        let path = StoreMigrationTests.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent) }
        let store = try Store(path: path)
        try T.ingest(store, T.batch(customers: ReconciliationStoreTests.customers(), documents: [
            T.invoice("F-1", amount: 1_000), T.invoice("F-2", amount: 2_000), T.invoice("F-3", customer: "C2", amount: 500),
            T.creditNote("AV-1", amount: 300, original: nil),
        ]), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: [
            ReconciliationStoreTests.bankPayment("BNK-2", amount: 1_400, reference: "F-1", name: "Boulangerie Martin", iban: "FR7630006000011234567890189"),
            ReconciliationStoreTests.bankPayment("BNK-1", amount: 2_000, reference: "virement", iban: "FR7630006000011234567890189"),
            ReconciliationStoreTests.bankPayment("BNK-0", amount: 100, date: "2025-02-11", reference: "merci"),
            ReconciliationStoreTests.bankPayment("BNK-3", amount: -50, reference: "rejet"),
        ]), file: "bank.csv")
        _ = try store.applyExactAllocations(at: "2025-03-01T10:00:00Z")
        func load(_ storePath: String?) throws -> (ReconciliationSnapshot, ReconciliationSnapshotLoader.Ids) {
            try store.queue.write { db in
                try ReconciliationSnapshotLoader(db: db, asOf: ReconciliationStoreTests.asOf, storePath: storePath, secondConnectionFrom: 0).load()
            }
        }
        let (one, oneIds) = try load(nil)
        let (two, twoIds) = try load(path)
        #expect(one.payments.map(\.paymentId) == ["BNK-1", "BNK-2", "BNK-0"], "by date, then reference")
        #expect(one.payments.map(\.remainingAmount) == [2_000, 400, 100], "BNK-2 less what the exact rule gave F-1")
        #expect(one.knowledge.ibans.map(\.customerId) == ["C1"], "learnt from the exact allocation of BNK-2")
        #expect(one.pendingReturns.map(\.paymentId) == ["BNK-3"])
        #expect(two.payments == one.payments && two.pendingReturns == one.pendingReturns && two.knowledge == one.knowledge)
        #expect(two.invoices == one.invoices && two.creditNotes == one.creditNotes && two.customers == one.customers)
        #expect(twoIds.paymentRowids == oneIds.paymentRowids && twoIds.invoiceRowids == oneIds.invoiceRowids)
        #expect(oneIds.allocationRows == 1)
    }

    @Test func positionsReportedByTheEngineAreCheckedAgainstTheNames() throws {
        var snapshot = ReconciliationSnapshot(invoices: [], creditNotes: [], customers: [], knowledge: PayerKnowledge(), payments: [], pendingReturns: [])
        snapshot.invoices = ["F-1", "F-2", "F-3"].map { OpenInvoice(number: $0, customerId: "C1", currency: Currency("EUR")!, openAmount: 100, issueDate: T.day("2025-01-01")) }
        snapshot.payments = ["P-1", "P-2"].map { UnmatchedPayment(paymentId: $0, date: T.day("2025-02-01"), remainingAmount: 100, currency: Currency("EUR")!) }
        var positions = SnapshotPositions(snapshot)
        #expect(positions.invoice("F-2", hint: [1], 0) == 1)
        #expect(positions.invoice("F-3", hint: [1], 0) == 2, "a position naming another invoice is not used")
        #expect(positions.invoice("F-1", hint: [], 0) == 0, "no position: looked up by number")
        #expect(positions.invoice("F-9", hint: [7], 0) == nil)
        #expect(positions.payment("P-2", hint: [-1], 0) == 1)
        #expect(positions.payment("P-1", hint: [0], 0) == 0)
    }

    @Test func aBulkRunBuildsTheAllocationIndexesAgain() throws {
        let store = try Store.inMemory()
        let n = 1_100
        try T.ingest(store, T.batch(customers: ReconciliationStoreTests.customers(),
                                    documents: (1...n).map { T.invoice(String(format: "2025-%06d", $0), amount: 1_000) }), file: "invoices.csv")
        try T.ingest(store, T.batch(payments: (1...n).map {
            ReconciliationStoreTests.bankPayment(String(format: "BNK-%05d", $0), amount: 1_000, reference: String(format: "Facture 2025/%06d", $0))
        }), file: "bank.csv")
        let run = try ReconciliationStoreTests.reconcile(store)
        #expect(run.record.allocationsAdded == n)
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'allocations' AND sql IS NOT NULL") == 3)
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM allocations INDEXED BY allocations_payment WHERE payment_id IS NOT NULL") == Int64(n))
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM payments WHERE customer_id = 'C1'") == Int64(n))
        // Written sixteen a statement, the last 1 100 mod 16 one by one: each counted once.
        #expect(run.record.paymentsIdentified == n)
    }

    @Test func rowidTableFallsBackToADictionaryForSparseRowids() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE dense (id INTEGER PRIMARY KEY); CREATE TABLE sparse (id INTEGER PRIMARY KEY)")
            for id in 1...10 { try db.execute(sql: "INSERT INTO dense VALUES (?)", arguments: [id]) }
            for id in [1, 5_000_000_000] as [Int64] { try db.execute(sql: "INSERT INTO sparse VALUES (?)", arguments: [id]) }
            var d = try RowidTable<Int64>(db, table: "dense", zero: 0)
            var s = try RowidTable<Int64>(db, table: "sparse", zero: 0)
            d[3] += 7; d[3] += 1; d[99] = 4
            s[5_000_000_000] += 9; s[1] = 2
            #expect(d[3] == 8 && d[99] == 4 && d[4] == 0)
            #expect(s[5_000_000_000] == 9 && s[1] == 2 && s[2] == 0)
        }
    }
}

