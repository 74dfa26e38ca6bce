import GRDB
import RelanceCore
import Testing
@testable import RelanceStore

/// One customer, invoice or payment reaching the store from several sources: the ids are
/// linked before the upsert, so nothing is counted twice.
@Suite("SourceIdentity")
struct SourceIdentityTests {
    static func batch(_ format: String, customers: [Customer] = [], documents: [Document] = [], payments: [Payment] = [],
                      allocations: [StatedAllocation] = []) -> IngestBatch {
        var b = T.batch(customers: customers, documents: documents, payments: payments, allocations: allocations)
        b.format = format
        return b
    }

    /// Ingests as the pipeline does: the file's recorded format is the batch's.
    @discardableResult
    static func ingest(_ store: Store, _ batch: IngestBatch, file: String) throws -> IngestStats {
        var info = T.file(file)
        info.format = batch.format
        return try store.ingest(batch, file: info, at: "2025-03-01T10:00:00Z", actor: "test")
    }

    static func customersFile() -> IngestBatch {
        batch("customers CSV", customers: [
            Customer(id: "C001", name: "Dupont SARL", siren: "123456789", email: "compta@dupont.example"),
            Customer(id: "C002", name: "Martin SA", siren: "987654321"),
        ])
    }

    static func customerIds(_ store: Store) throws -> [String] {
        try store.queue.read { db in try String.fetchAll(db, sql: "SELECT id FROM customers ORDER BY id") }
    }

    static func documentCustomer(_ store: Store, _ number: String) throws -> String? {
        try store.queue.read { db in try String.fetchOne(db, sql: "SELECT customer_id FROM documents WHERE number = ?", arguments: [number]) }
    }

    // MARK: Customers

    @Test func eInvoiceBuyerWithSIRETJoinsTheCustomerOfTheSameSIREN() throws {
        let store = try Store.inMemory()
        try Self.ingest(store, Self.customersFile(), file: "customers.csv")
        let buyer = Customer(id: "12345678900027", name: "DUPONT", siren: "12345678900027", vatNumber: nil,
                             email: "other@dupont.example", phone: "+33 1 23 45 67 89", kind: .consumer)
        try Self.ingest(store, Self.batch("UBL 2.1", customers: [buyer],
                                       documents: [T.invoice("FA-1", customer: "12345678900027", amount: 12_000)]), file: "fa1.xml")
        #expect(try Self.customerIds(store) == ["C001", "C002"])
        #expect(try Self.documentCustomer(store, "FA-1") == "C001")
        // The customers file keeps its name, e-mail and kind; the invoice fills the phone it lacked.
        let row = try #require(try store.queue.read { db in
            try Row.fetchOne(db, sql: "SELECT name, email, phone, kind FROM customers WHERE id = 'C001'")
        })
        #expect(row[0] as String == "Dupont SARL" && row[1] as String == "compta@dupont.example")
        #expect(row[2] as String == "+33 1 23 45 67 89" && row[3] as String == "business")
        let links = try T.events(store, kind: "customer.linked")
        #expect(links == [#"{"alias":"12345678900027","matched_by":"siren","value":"123456789"}"#])
    }

    @Test func frenchVATNumberGivesTheSIREN() throws {
        let store = try Store.inMemory()
        try Self.ingest(store, Self.customersFile(), file: "customers.csv")
        let buyer = Customer(id: "FR32987654321", name: "Martin", vatNumber: "FR 32 987 654 321")
        try Self.ingest(store, Self.batch("CII", customers: [buyer],
                                       documents: [T.invoice("FA-2", customer: "FR32987654321", amount: 5_000)]), file: "fa2.xml")
        #expect(try Self.documentCustomer(store, "FA-2") == "C002")
        #expect(try T.events(store, kind: "customer.linked").first?.contains(#""matched_by":"siren","value":"987654321""#) == true)
    }

    @Test func foreignVATNumberMatchesAsWritten() throws {
        let store = try Store.inMemory()
        try Self.ingest(store, Self.batch("customers CSV", customers: [Customer(id: "K9", name: "Müller GmbH", vatNumber: "DE123456789")]),
                     file: "customers.csv")
        let buyer = Customer(id: "DE 123.456.789", name: "Mueller", vatNumber: "de 123.456.789")
        try Self.ingest(store, Self.batch("UBL 2.1", customers: [buyer],
                                       documents: [T.invoice("FA-3", customer: "DE 123.456.789", amount: 5_000)]), file: "fa3.xml")
        #expect(try Self.customerIds(store) == ["K9"])
        #expect(try T.events(store, kind: "customer.linked").first?.contains(#""matched_by":"vat_number","value":"DE123456789""#) == true)
    }

    @Test func ledgerAccountJoinsTheCustomerOfAnInvoiceItRepeats() throws {
        let store = try Store.inMemory()
        try Self.ingest(store, Self.customersFile(), file: "customers.csv")
        try Self.ingest(store, Self.batch("invoices CSV", documents: [T.invoice("FA-1", customer: "C001", amount: 12_000)]), file: "inv.csv")
        // The FEC names the customer by its auxiliary account and repeats FA-1 (no due date), adds FA-4.
        var fa1 = T.invoice("FA-1", customer: "411DUPONT", name: "DUPONT", amount: 12_000, due: nil)
        fa1.sourceLocation = "line 2"
        let fec = Self.batch("FEC", customers: [Customer(id: "411DUPONT", name: "DUPONT")],
                             documents: [fa1, T.invoice("FA-4", customer: "411DUPONT", amount: 3_000, due: nil)])
        let stats = try Self.ingest(store, fec, file: "fec1.txt")
        #expect(try Self.customerIds(store) == ["C001", "C002"])
        #expect(try Self.documentCustomer(store, "FA-4") == "C001")
        // One receivable for FA-1, its due date kept from the invoices file.
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM documents WHERE number = 'FA-1'") == 1)
        #expect(try T.scalar(store, "SELECT due_date FROM documents WHERE number = 'FA-1'") == Int64(T.day("2025-01-31").ordinal))
        #expect(stats.documents.inserted == 1 && stats.documents.unchanged == 1)
        #expect(try T.events(store, kind: "customer.linked") == [#"{"alias":"411DUPONT","matched_by":"document_number","value":"FA-1"}"#])

        // The next FEC of the same books: the link is reused, not matched again, not journaled twice.
        let next = Self.batch("FEC", customers: [Customer(id: "411DUPONT", name: "DUPONT")],
                              documents: [T.invoice("FA-5", customer: "411DUPONT", amount: 1_000, due: nil)])
        try Self.ingest(store, next, file: "fec2.txt")
        #expect(try Self.documentCustomer(store, "FA-5") == "C001")
        #expect(try T.events(store, kind: "customer.linked").count == 1)
    }

    @Test func theERPsOwnCodeIsTheKeyAnInvoiceUnderAnotherCodeIsAConflict() throws {
        let store = try Store.inMemory()
        try Self.ingest(store, Self.customersFile(), file: "customers.csv")
        try Self.ingest(store, Self.batch("invoices CSV", documents: [T.invoice("FA-1", customer: "C001", amount: 12_000)]), file: "inv.csv")
        let other = Self.batch("invoices CSV", documents: [T.invoice("FA-1", customer: "C777", amount: 12_000)])
        #expect(throws: StoreError.documentCustomerConflict(number: "FA-1", storedCustomer: "C001", newCustomer: "C777")) {
            try Self.ingest(store, other, file: "inv2.csv")
        }
        #expect(try T.events(store, kind: "customer.linked").isEmpty)
    }

    @Test func twoStoredAccountsWithTheSameSIRENAreNotGuessedBetween() throws {
        let store = try Store.inMemory()
        try Self.ingest(store, Self.batch("customers CSV", customers: [
            Customer(id: "C010", name: "Dupont Lyon", siren: "12345678900011"),
            Customer(id: "C011", name: "Dupont Nice", siren: "12345678900029"),
        ]), file: "customers.csv")
        let sameSiret = Customer(id: "X1", name: "Dupont", siren: "12345678900029")
        try Self.ingest(store, Self.batch("UBL 2.1", customers: [sameSiret], documents: [T.invoice("FA-6", customer: "X1", amount: 100)]),
                     file: "fa6.xml")
        #expect(try Self.documentCustomer(store, "FA-6") == "C011")
        let onlySiren = Customer(id: "123456789", name: "Dupont", siren: "123456789")
        try Self.ingest(store, Self.batch("UBL 2.1", customers: [onlySiren], documents: [T.invoice("FA-7", customer: "123456789", amount: 100)]),
                     file: "fa7.xml")
        #expect(try Self.documentCustomer(store, "FA-7") == "123456789")
        #expect(try Self.customerIds(store) == ["123456789", "C010", "C011"])
    }

    @Test(arguments: [
        ("123456789", "123456789"), ("123 456 789", "123456789"), ("12345678900027", "123456789"), ("12345", nil),
        ("12345678A", nil),
    ] as [(String, String?)])
    func sirenKeys(_ siren: String, _ key: String?) {
        #expect(CustomerIdentity.sirenKey(siren: siren, vat: nil) == key)
    }

    @Test func sirenFromVATNeedsTheFrenchForm() {
        #expect(CustomerIdentity.sirenKey(siren: nil, vat: "FR32987654321") == "987654321")
        #expect(CustomerIdentity.sirenKey(siren: nil, vat: "BE0987654321") == nil)
        #expect(CustomerIdentity.sirenKey(siren: nil, vat: "FR3298765432") == nil)
    }

    // MARK: Payments

    static func bankCredit(_ id: String = "BANKREF-1", amount: Int64 = 12_000, date: String = "2025-02-03",
                           payer: String = "ETS DUPONT S.A.R.L.", invoice: String? = nil) -> Payment {
        Payment(paymentId: id, date: T.day(date), valueDate: T.day(date), amount: amount, currency: .eur,
                reference: "VIR FA-1 DUPONT", invoiceNumber: invoice, payerName: payer, payerIban: "FR7612345000010000000000185",
                endToEndId: "E2E-77")
    }

    static func ledgerReceipt(_ id: String = "BQ-17-1", customer: String = "C001", amount: Int64 = 12_000,
                              date: String = "2025-02-01", name: String = "DUPONT") -> Payment {
        Payment(paymentId: id, customerId: customer, date: T.day(date), amount: amount, currency: .eur,
                reference: "VIR CLIENT", payerName: name)
    }

    static func payments(_ store: Store) throws -> [Row] {
        try store.queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT payment_ref, customer_id, date, payer_name, payer_iban, reference, end_to_end_id FROM payments ORDER BY id
                """)
        }
    }

    static func withInvoice(_ store: Store) throws {
        try Self.ingest(store, Self.customersFile(), file: "customers.csv")
        try Self.ingest(store, Self.batch("invoices CSV", documents: [T.invoice("FA-1", customer: "C001", amount: 12_000)]), file: "inv.csv")
    }

    @Test func bankStatementThenLedgerIsOnePaymentWithTheBankFactsAndTheLedgerLettering() throws {
        let store = try Store.inMemory()
        try Self.withInvoice(store)
        try Self.ingest(store, Self.batch("camt.053", payments: [Self.bankCredit()]), file: "releve.xml")
        let lettering = StatedAllocation(credit: .payment(id: "BQ-17-1"), invoiceNumber: "FA-1", amount: 12_000, currency: .eur,
                                         rule: .sourceLettering, evidence: "lettrage AA")
        try Self.ingest(store, Self.batch("FEC", payments: [Self.ledgerReceipt()], allocations: [lettering]), file: "fec.txt")
        let rows = try Self.payments(store)
        try #require(rows.count == 1)
        #expect(rows[0][0] as String == "BANKREF-1" && rows[0][1] as String? == "C001")
        #expect(rows[0][2] as Int64 == Int64(T.day("2025-02-03").ordinal))
        #expect(rows[0][3] as String == "ETS DUPONT S.A.R.L." && rows[0][4] as String == "FR7612345000010000000000185")
        #expect(rows[0][5] as String == "VIR FA-1 DUPONT" && rows[0][6] as String == "E2E-77")
        #expect(try T.allocations(store) == ["FA-1 <- BANKREF-1 12000 source_lettering"])
        let link = try #require(try T.events(store, kind: "payment.linked").first)
        #expect(link.contains(#""alias":"BQ-17-1""#) && link.contains(#""alias_side":"books""#) && link.contains(#""date_difference_days":2"#))

        // The same FEC again (next month's export): the alias lands on the same payment.
        try Self.ingest(store, Self.batch("FEC", payments: [Self.ledgerReceipt()], allocations: [lettering]), file: "fec-next.txt")
        #expect(try Self.payments(store).count == 1)
        #expect(try T.allocations(store).count == 1)
        #expect(try T.events(store, kind: "payment.linked").count == 1)
    }

    @Test func ledgerThenBankStatementTakesTheBankFactsAndKeepsTheCustomer() throws {
        let store = try Store.inMemory()
        try Self.withInvoice(store)
        try Self.ingest(store, Self.batch("FEC", payments: [Self.ledgerReceipt()]), file: "fec.txt")
        try Self.ingest(store, Self.batch("camt.054", payments: [Self.bankCredit()]), file: "avis.xml")
        let rows = try Self.payments(store)
        try #require(rows.count == 1)
        #expect(rows[0][0] as String == "BQ-17-1" && rows[0][1] as String? == "C001")
        #expect(rows[0][2] as Int64 == Int64(T.day("2025-02-03").ordinal))
        #expect(rows[0][3] as String == "ETS DUPONT S.A.R.L." && rows[0][5] as String == "VIR FA-1 DUPONT")
        // camt.053 after camt.054: same bank reference, still one payment.
        try Self.ingest(store, Self.batch("camt.053", payments: [Self.bankCredit()]), file: "releve.xml")
        #expect(try Self.payments(store).count == 1)
    }

    @Test func ledgerLetteringReplacesTheAutomaticAllocationOfTheBankPayment() throws {
        let store = try Store.inMemory()
        try Self.withInvoice(store)
        try Self.ingest(store, Self.batch("invoices CSV", documents: [T.invoice("FA-9", customer: "C001", amount: 12_000)]), file: "inv2.csv")
        // The bank line names FA-9 in its remittance: the exact pass allocates it there.
        var credit = Self.bankCredit()
        credit.invoiceNumber = "FA-9"
        try Self.ingest(store, Self.batch("camt.053", payments: [credit]), file: "releve.xml")
        _ = try store.applyExactAllocations(at: "2025-03-01T10:00:00Z")
        #expect(try T.allocations(store) == ["FA-9 <- BANKREF-1 12000 exact_invoice_number"])
        // The accountant lettered it with FA-1.
        let lettering = StatedAllocation(credit: .payment(id: "BQ-17-1"), invoiceNumber: "FA-1", amount: 12_000, currency: .eur,
                                         rule: .sourceLettering, evidence: "lettrage AB")
        try Self.ingest(store, Self.batch("FEC", payments: [Self.ledgerReceipt()], allocations: [lettering]), file: "fec.txt")
        #expect(try T.allocations(store) == ["FA-1 <- BANKREF-1 12000 source_lettering"])
        #expect(try T.events(store, kind: "allocation.released").count == 1)
    }

    @Test(arguments: [
        ("too far apart", "2025-02-12", 12_000 as Int64, "ETS DUPONT", nil as String?),
        ("another amount", "2025-02-03", 12_001, "ETS DUPONT", nil),
        ("another payer", "2025-02-03", 12_000, "MARTIN SA", nil),
        ("another invoice stated", "2025-02-03", 12_000, "ETS DUPONT", "FA-8"),
    ])
    func differentPaymentsStayTwo(_ why: String, _ date: String, _ amount: Int64, _ payer: String, _ invoice: String?) throws {
        let store = try Store.inMemory()
        try Self.withInvoice(store)
        try Self.ingest(store, Self.batch("camt.053", payments: [Self.bankCredit(amount: amount, date: date, payer: payer, invoice: invoice)]),
                     file: "releve.xml")
        var receipt = Self.ledgerReceipt()
        receipt.invoiceNumber = "FA-1"
        try Self.ingest(store, Self.batch("FEC", payments: [receipt]), file: "fec.txt")
        #expect(try Self.payments(store).count == 2, "\(why)")
        #expect(try T.events(store, kind: "payment.linked").isEmpty)
    }

    @Test func twoEqualTransfersPairOneToOneByNearestDate() throws {
        let store = try Store.inMemory()
        try Self.withInvoice(store)
        try Self.ingest(store, Self.batch("camt.053", payments: [
            Self.bankCredit("B-1", date: "2025-02-03"), Self.bankCredit("B-2", date: "2025-02-10"),
        ]), file: "releve.xml")
        try Self.ingest(store, Self.batch("FEC", payments: [
            Self.ledgerReceipt("BQ-1", date: "2025-02-09"), Self.ledgerReceipt("BQ-2", date: "2025-02-02"),
        ]), file: "fec.txt")
        #expect(try Self.payments(store).map { $0[0] as String } == ["B-1", "B-2"])
        let links = try T.events(store, kind: "payment.linked")
        #expect(links.count == 2)
        #expect(try store.events(kind: "payment.linked").map(\.subjectId) == ["B-2", "B-1"])
    }

    @Test func sameNameRule() {
        #expect(PaymentSourceMatch.sameName("ETS DUPONT", "DUPONT"))
        #expect(PaymentSourceMatch.sameName("DUPONT", "DUPONT"))
        #expect(!PaymentSourceMatch.sameName("DUPONT", "DUPONTEL"))
        #expect(!PaymentSourceMatch.sameName("", "DUPONT"))
    }
}
