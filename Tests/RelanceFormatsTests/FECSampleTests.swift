import RelanceCore
import RelanceTestSupport
import Testing
@testable import RelanceFormats

/// The real FEC exports in shared/samples/fec (see its SOURCES.md). Every figure below was
/// counted from the files by hand (awk and a short Python script over the raw lines), not
/// taken from the reader's output.
@Suite("FEC samples")
struct FECSampleTests {
    /// What each sample must give. None is rejected: all three are well-formed, balanced FECs.
    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var customers: Int
        var invoices: Int
        var creditNotes: Int
        var payments: Int
        /// Sum of payment amounts (negative for refunds), in cents.
        var paymentTotal: Int64
        var description: String { file }
    }

    static let expectations: [Expectation] = [
        // Quadra, 12,605 lines. Customers: 732 CompAuxNum on 41100000 plus the 41910000
        // "acomptes clients" account (no CompAuxNum). Invoices: 1,369 VE debits + 323 AN debits;
        // credit notes: 17 VE credits + 121 AN credits. Payments: 1,471 customer lines in the
        // bank and cash journals (ENC, MAR, CA, BNP, CS) less the 16 lines of the five ENC
        // entries that only offset one customer's invoices against each other, plus the 8
        // customer lines of OD and ODE; net 1,417,794.18.
        Expectation(file: "fec/ekylibre_quadra_123456789FEC20190731.txt", customers: 733, invoices: 1692, creditNotes: 138,
                    payments: 1463, paymentTotal: 141_779_418),
        // Istea, pipe-separated, 21 columns. Two customer lines, both on 41199999 with an
        // empty CompAuxNum: a returned cheque debited in bank journal 21 (-47.36) and its
        // cancellation of the sale in journal 90 (411 credit against 702 + 44571: a credit note).
        Expectation(file: "fec/ekylibre_istea_123456789FEC20201231.txt", customers: 1, invoices: 0, creditNotes: 1,
                    payments: 1, paymentTotal: -4736),
        // Sage Coala: eight cash receipts on 41100000000 / 411PASSA in journal 9 (caisse),
        // 18.95 + 15 + 59.85 + 39.9 + 141 + 10 + 30 + 49 = 363.70; no sales journal.
        Expectation(file: "fec/ekylibre_sage-coala_2020.txt", customers: 1, invoices: 0, creditNotes: 0,
                    payments: 8, paymentTotal: 36370),
    ]

    static func read(_ file: String) throws -> IngestBatch {
        try FECReader().read(try Samples.bytes(file), context: ReadContext(fileName: file))
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func everySampleHasAnExpectation() {
        let files = Samples.files(in: "fec")
        #expect(files.count == 3)
        #expect(Set(files) == Set(Self.expectations.map(\.file)))
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage), arguments: FECSampleTests.expectations)
    func sampleIsIngestedWithCountedFacts(_ expected: Expectation) throws {
        #expect(FECReader.looksLikeFEC(Array(try Samples.bytes(expected.file).prefix(512))))
        let batch = try Self.read(expected.file)
        #expect(batch.customers.count == expected.customers)
        #expect(batch.documents.filter { $0.kind == .invoice }.count == expected.invoices)
        #expect(batch.documents.filter { $0.kind == .creditNote }.count == expected.creditNotes)
        #expect(batch.payments.count == expected.payments)
        #expect(batch.payments.reduce(0) { $0 + $1.amount } == expected.paymentTotal)
        #expect(batch.documents.allSatisfy { $0.dueDate == nil && $0.amount > 0 })
        #expect(batch.notes.contains("due dates derived from payment terms (FEC has none)"))
        #expect(Set(batch.documents.map(\.number)).count == batch.documents.count)
        #expect(Set(batch.payments.map(\.paymentId)).count == batch.payments.count)
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func quadraTotalsAndOpeningBalances() throws {
        let batch = try Self.read("fec/ekylibre_quadra_123456789FEC20190731.txt")
        // Receivable debits of journal VE: 1,439,255.48 over 1,369 lines.
        let sales = batch.documents.filter { $0.kind == .invoice && !$0.number.hasPrefix("AN-") }
        #expect(sales.count == 1369)
        #expect(sales.reduce(0) { $0 + $1.amount } == 143_925_548)
        // Journal AN: 323 debits for 419,003.00, 121 credits for 142,646.28.
        let opening = batch.documents.filter { $0.number.hasPrefix("AN-") }
        #expect(opening.filter { $0.kind == .invoice }.reduce(0) { $0 + $1.amount } == 41_900_300)
        #expect(opening.filter { $0.kind == .creditNote }.reduce(0) { $0 + $1.amount } == 14_264_628)
        #expect(opening.allSatisfy { $0.sourceLocation?.contains("opening balance, journal AN") == true })
        // Line 404: LINGLIN Patrick's single opening line.
        let ling = try #require(batch.documents.first { $0.number == "AN-01LING00-20180801" })
        #expect(ling.amount == 93744 && ling.customerName == "LINGLIN Patrick")
        // Invoice 180971 (VE000090, lines 1328–1330): 781.20 + 156.24 VAT = 937.44.
        let invoice = try #require(batch.documents.first { $0.number == "180971" })
        #expect(invoice.customerId == "01LING00")
        #expect(invoice.amount == 93744 && invoice.amountExclTax == 78120 && invoice.tax == 15624)
        #expect(invoice.issueDate == Day(year: 2018, month: 8, day: 27))
        #expect(batch.notes.contains { $0.contains("VE sales") && $0.contains("ENC bank") && $0.contains("AN opening") })
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func quadraLetteredGroupOfLinglin() throws {
        // 01LING00 lettered AA: AN opening debit 937.44 (line 404, 2018-08-01), invoice 180971
        // (line 1330, 2018-08-27), credit note 180974 (line 1339, 2018-08-27), receipt
        // ENC000262 line 1 (line 6641, 2019-01-30). Oldest credit onto oldest debit: the credit
        // note settles the opening balance, the receipt settles 180971.
        let batch = try Self.read("fec/ekylibre_quadra_123456789FEC20190731.txt")
        let group = batch.allocations.filter { $0.evidence.contains("customer 01LING00") }
        #expect(group.count == 2)
        #expect(group.contains { $0.credit == .creditNote(number: "180974") && $0.invoiceNumber == "AN-01LING00-20180801" && $0.amount == 93744 })
        #expect(group.contains { $0.credit == .payment(id: "ENC-ENC000262-1") && $0.invoiceNumber == "180971" && $0.amount == 93744 })
        #expect(group.allSatisfy { $0.rule == .sourceLettering && $0.evidence.contains("'AA'") })
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func istaCustomerWithoutAuxiliary() throws {
        let batch = try Self.read("fec/ekylibre_istea_123456789FEC20201231.txt")
        #expect(batch.customers == [Customer(id: "41199999", name: "CLIENTS")])
        // Line 1410: bank journal 21 debits the customer 47.36 ("cheque impayé volé").
        let refund = try #require(batch.payments.first)
        #expect(refund.paymentId == "21-21-8970-1" && refund.amount == -4736)
        #expect(refund.date == Day(year: 2020, month: 9, day: 30))
        // Line 1436: journal 90 credits it back against 702 (44.89) and 44571 (2.47).
        let note = try #require(batch.documents.first)
        #expect(note.number == "X2" && note.kind == .creditNote && note.amount == 4736)
        #expect(note.amountExclTax == 4489 && note.tax == 247)
        // Both lettered 'A' but no invoice among them: nothing to allocate.
        #expect(batch.allocations.isEmpty)
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func sageCoalaReceiptsKeepTheirInvoiceReference() throws {
        let batch = try Self.read("fec/ekylibre_sage-coala_2020.txt")
        #expect(batch.customers == [Customer(id: "411PASSA", name: "Passage")])
        // Line 2: "Reglt 4804 - Reglt 4804 ,FA2000004", 18.95 on 2020-01-09, lettered B.
        let first = try #require(batch.payments.first)
        #expect(first.amount == 1895 && first.date == Day(year: 2020, month: 1, day: 9))
        #expect(first.reference?.contains("FA2000004") == true)
        #expect(first.paymentId == "9-5-1")
        #expect(batch.allocations.isEmpty)
    }
}
