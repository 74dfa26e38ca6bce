import Foundation
import GRDB
import Testing
import RelanceCore
@testable import RelanceStore

/// Each scenario runs with both invoice lookup strategies: point queries (small passes) and
/// all invoices read at once (large passes).
@Suite struct ExactAllocationTests {
    static let strategies = [false, true]

    func pass(_ store: Store, _ preload: Bool) throws -> AllocationStats {
        try store.applyExactAllocations(at: "2025-03-01T11:00:00Z", preload: preload)
    }

    @Test(arguments: strategies)
    func paymentNamingAnInvoiceInItsInvoiceNumberFieldPaysIt(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000), T.invoice("F2", amount: 300)],
                                    payments: [T.payment("P1", amount: 1000, invoice: " F1 ", reference: "F2")]), file: "a.csv")
        let stats = try pass(store, preload)
        #expect(stats.fromPayments == 1)
        #expect(stats.amounts == [.eur: 1000])
        #expect(try T.allocations(store) == ["F1 <- P1 1000 exact_invoice_number"])
        let evidence = try store.queue.read { db in try String.fetchOne(db, sql: "SELECT evidence FROM allocations") }
        #expect(evidence == "payment invoice_number field: F1")
    }

    @Test(arguments: strategies)
    func exactTokensOfTheReferenceNameInvoicesInOrderAndIdentifyThePayer(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000), T.invoice("F2", amount: 500), T.invoice("F10", amount: 70)],
                                    payments: [T.payment("P1", customer: nil, amount: 1200, reference: "VIR SEPA F1,F2 F1X MERCI")]),
                     file: "a.csv")
        let stats = try pass(store, preload)
        #expect(stats.fromPayments == 2)
        #expect(stats.paymentsIdentified == 1)
        #expect(try T.allocations(store) == ["F1 <- P1 1000 exact_invoice_number", "F2 <- P1 200 exact_invoice_number"])
        let customer = try store.queue.read { db in try String.fetchOne(db, sql: "SELECT customer_id FROM payments WHERE payment_ref = 'P1'") }
        #expect(customer == "C1")
        #expect(try store.unidentifiedPayments().count == 0)
    }

    @Test(arguments: strategies)
    func partialPaymentLeavesTheRestOpen(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000, due: "2025-01-31")],
                                    payments: [T.payment("P1", amount: 400, invoice: "F1")]), file: "a.csv")
        _ = try pass(store, preload)
        #expect(try T.allocations(store) == ["F1 <- P1 400 exact_invoice_number"])
        let rows = try store.agedBalance(asOf: T.day("2025-01-31"))
        #expect(rows.map(\.total) == [600])
        #expect(rows.map(\.unappliedCredit) == [0])
    }

    @Test(arguments: strategies)
    func overpaymentBecomesUnappliedCredit(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000)],
                                    payments: [T.payment("P1", amount: 1500, invoice: "F1")]), file: "a.csv")
        _ = try pass(store, preload)
        #expect(try T.allocations(store) == ["F1 <- P1 1000 exact_invoice_number"])
        let rows = try store.agedBalance(asOf: T.day("2025-03-01"))
        #expect(rows.count == 1)
        #expect(rows.first?.total == 0)
        #expect(rows.first?.unappliedCredit == 500)
        #expect(rows.first?.netBalance == -500)
    }

    @Test(arguments: strategies)
    func currencyMismatchIsNotApplied(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000)],
                                    payments: [T.payment("P1", amount: 1000, currency: "USD", invoice: "F1")]), file: "a.csv")
        #expect(try pass(store, preload).total == 0)
        #expect(try T.allocations(store).isEmpty)
    }

    @Test(arguments: strategies)
    func invoiceOfAnotherCustomerIsNotApplied(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", customer: "C2", amount: 1000)],
                                    payments: [T.payment("P1", customer: "C1", amount: 1000, invoice: "F1")]), file: "a.csv")
        #expect(try pass(store, preload).total == 0)
    }

    @Test(arguments: strategies)
    func creditNoteGoesToItsOriginalInvoice(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000), T.creditNote("A1", amount: 1200, original: "F1"),
                                                T.creditNote("A2", amount: 50, original: "F404")]), file: "a.csv")
        let stats = try pass(store, preload)
        #expect(stats.fromCreditNotes == 1)
        #expect(try T.allocations(store) == ["F1 <- A1 1000 credit_note_original"])
        let rows = try store.agedBalance(asOf: T.day("2025-03-01"))
        #expect(rows.first?.total == 0)
        #expect(rows.first?.unappliedCredit == 250)  // 200 left on A1, 50 on A2
    }

    @Test(arguments: strategies)
    func earlierPaymentIsServedFirst(preload: Bool) throws {
        let store = try Store.inMemory()
        // P1 comes first in the file but P2 was booked earlier: P2 is served first.
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000)],
                                    payments: [T.payment("P1", amount: 800, date: "2025-02-10", invoice: "F1"),
                                               T.payment("P2", amount: 800, date: "2025-02-01", invoice: "F1")]), file: "a.csv")
        _ = try pass(store, preload)
        #expect(try T.allocations(store) == ["F1 <- P1 200 exact_invoice_number", "F1 <- P2 800 exact_invoice_number"])
    }

    @Test(arguments: strategies)
    func paymentsOfTheSameDayAreServedInIdOrder(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000)],
                                    payments: [T.payment("PB", amount: 700, date: "2025-02-01", invoice: "F1"),
                                               T.payment("PA", amount: 700, date: "2025-02-01", invoice: "F1")]), file: "a.csv")
        _ = try pass(store, preload)
        // PB was stored first (lower id): it is paid in full, PA gets the rest.
        #expect(try T.allocations(store) == ["F1 <- PA 300 exact_invoice_number", "F1 <- PB 700 exact_invoice_number"])
    }

    @Test(arguments: strategies)
    func paymentBeforeItsInvoiceIsAppliedWhenTheInvoiceArrives(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(payments: [T.payment("P1", customer: nil, amount: 300, reference: "FACT F7")]), file: "bank.xml")
        #expect(try pass(store, preload).total == 0)
        #expect(try store.unidentifiedPayments().count == 1)
        #expect(try store.unidentifiedPayments().totals == [.eur: 300])
        try T.ingest(store, T.batch(documents: [T.invoice("F7", customer: "C9", amount: 300)]), file: "erp.csv")
        #expect(try pass(store, preload).total == 1)
        #expect(try T.allocations(store) == ["F7 <- P1 300 exact_invoice_number"])
        #expect(try store.unidentifiedPayments().count == 0)
    }

    @Test(arguments: strategies)
    func invoiceReducedBelowItsAllocationsIsReleasedAndReapplied(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000)],
                                    payments: [T.payment("P1", amount: 1000, invoice: "F1")]), file: "a.csv")
        _ = try pass(store, preload)
        let stats = try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 800)]), file: "b.csv")
        #expect(stats.documents == .init(updated: 1))
        #expect(stats.releasedAllocations == 1)
        #expect(try T.allocations(store).isEmpty)
        let released = try T.events(store, kind: "allocation.released")
        #expect(released.count == 1)
        #expect(released.first?.contains(#""invoice":"F1","payment_id":"P1","credit_note":null,"amount":1000"#) == true)
        _ = try pass(store, preload)
        #expect(try T.allocations(store) == ["F1 <- P1 800 exact_invoice_number"])
        #expect(try store.agedBalance(asOf: T.day("2025-03-01")).first?.unappliedCredit == 200)
    }

    @Test(arguments: strategies)
    func confirmedAllocationsAreNeverReleased(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000)],
                                    payments: [T.payment("P1", amount: 1000, invoice: "F1")]), file: "a.csv")
        _ = try pass(store, preload)
        try store.queue.write { db in try db.execute(sql: "UPDATE allocations SET confirmed_by = 'marie.durand'") }
        let stats = try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 800)]), file: "b.csv")
        #expect(stats.releasedAllocations == 0)
        #expect(try T.allocations(store) == ["F1 <- P1 1000 exact_invoice_number"])
    }

    @Test(arguments: strategies)
    func rerunIsIdempotent(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000), T.invoice("F2", amount: 100),
                                                T.creditNote("A1", amount: 100, original: "F2")],
                                    payments: [T.payment("P1", amount: 1500, invoice: "F1"),
                                               T.payment("P2", customer: nil, amount: -50, reference: "RETOUR F1")]), file: "a.csv")
        let first = try pass(store, preload)
        #expect(first.total == 2)
        let after = try T.allocations(store)
        let events = try T.scalar(store, "SELECT COUNT(*) FROM events")
        let second = try pass(store, preload)
        #expect(second.total == 0)
        #expect(try T.allocations(store) == after)
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM events") == events)
    }

    /// A file store's large pass reads the payments on a second thread and connection while
    /// the invoices are read: the same allocations as the in-memory pass (one connection), and
    /// payments written earlier in the same transaction's file are seen (the last commit).
    @Test func fileStoreReadsCandidatesOnASecondConnectionWithTheSameResult() throws {
        let path = StoreMigrationTests.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent) }
        let batch = T.batch(documents: [T.invoice("F1", amount: 1000), T.invoice("F2", amount: 500), T.invoice("F3", amount: 70),
                                        T.creditNote("A1", amount: 100, original: "F3")],
                            payments: [T.payment("P1", customer: nil, amount: 1200, reference: "VIR F1,F2"),
                                       T.payment("P2", amount: 300, invoice: "F2"),
                                       T.payment("P3", amount: 20, invoice: "F3")])
        let file = try Store(path: path)
        try T.ingest(file, batch, file: "a.csv")
        let memory = try Store.inMemory()
        try T.ingest(memory, batch, file: "a.csv")
        let fromFile = try pass(file, true)
        let fromMemory = try pass(memory, true)
        #expect(fromFile == fromMemory)
        #expect(fromFile.fromPayments == 4 && fromFile.fromCreditNotes == 1)
        #expect(try T.allocations(file) == T.allocations(memory))
        #expect(try T.allocations(file).contains("F2 <- P1 200 exact_invoice_number"))
    }
}
