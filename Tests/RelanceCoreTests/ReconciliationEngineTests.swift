import Testing
@testable import RelanceCore

/// Small worlds for the engine: customers A, B (and twins), invoices in EUR.
enum World {
    static let d = Day(year: 2026, month: 3, day: 1)!
    static func day(_ n: Int) -> Day { d.adding(days: n) }

    static func inv(_ number: String, _ customer: String, _ amount: Int64, age: Int = 0, ref: String? = nil) -> OpenInvoice {
        OpenInvoice(number: number, customerId: customer, currency: .eur, openAmount: amount, issueDate: day(age),
                    dueDate: day(age + 30), paymentReference: ref)
    }

    static func pay(_ id: String, _ amount: Int64, ref: String? = nil, name: String? = nil, iban: String? = nil,
                    customer: String? = nil, structured: String? = nil, date: Int = 60) -> UnmatchedPayment {
        UnmatchedPayment(paymentId: id, customerId: customer, date: day(date), remainingAmount: amount, currency: .eur, reference: ref,
                         structuredReference: structured, payerName: name, payerIban: iban)
    }

    static let customers = [
        PayerCustomer(id: "A", name: "Boulangerie Martin SARL", ibans: ["FR76 1111 1111 1111 1111 1111 111"]),
        PayerCustomer(id: "B", name: "Garage Dubois SAS", ibans: ["FR7622222222222222222222222"]),
        PayerCustomer(id: "T1", name: "Dupont SARL"),
        PayerCustomer(id: "T2", name: "DUPONT S.A.S."),
    ]

    static func run(_ invoices: [OpenInvoice], _ payments: [UnmatchedPayment], credits: [OpenCreditNote] = [],
                    knowledge: PayerKnowledge = PayerKnowledge(), config: ReconciliationConfiguration = ReconciliationConfiguration()) -> ReconciliationResult {
        Reconciler(invoices: invoices, creditNotes: credits, customers: customers, knowledge: knowledge, configuration: config).reconcile(payments)
    }
}

extension ReconciliationResult {
    var pairs: [String] { allocations.map { "\($0.paymentId ?? "credit") \($0.invoiceNumber) \($0.amount) \($0.rule.rawValue)" } }
    func reason(_ id: String) -> String? { unmatched.first { $0.paymentId == id }?.reason }
}

@Suite("Reconciliation engine")
struct ReconciliationEngineTests {
    typealias W = World

    // MARK: Rule 2

    @Test func creditorReferenceMatchesWithUnknownPayer() throws {
        let rf = try #require(CreditorReference.make(body: "4711"))
        let r = W.run([W.inv("2026-000001", "A", 12_000, ref: rf), W.inv("2026-000002", "B", 12_000)],
                      [W.pay("P1", 12_000, ref: "VIR " + rf.prefix(4) + " " + rf.dropFirst(4))])
        #expect(r.pairs == ["P1 2026-000001 12000 creditor_reference"])
        #expect(r.allocations[0].evidence.contains("check digits valid"))
    }

    @Test func creditorReferenceFollowedByAWordThatKeepsItValid() throws {
        // "RF39 4274 8423 7176" is valid, and so is it followed by "DATE": the shorter one names the invoice.
        let rf = "RF39427484237176"
        #expect(CreditorReference.validated(rf) != nil)
        #expect(CreditorReference.validated(rf + "DATE") != nil)
        let r = W.run([W.inv("2026-000001", "A", 12_000, ref: rf)], [W.pay("P1", 12_000, ref: "PAIEMENT RF39 4274 8423 7176 DATE 23/11/2026")])
        #expect(r.pairs == ["P1 2026-000001 12000 creditor_reference"])
    }

    @Test func creditorReferenceWithWrongCheckDigitsIsIgnored() throws {
        let rf = try #require(CreditorReference.make(body: "4711"))
        let wrong = "RF" + (rf.dropFirst(2).prefix(2) == "99" ? "98" : "99") + rf.dropFirst(4)
        let r = W.run([W.inv("2026-000001", "A", 12_000, ref: rf)], [W.pay("P1", 12_000, structured: String(wrong))])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("wrong check digits") == true)
    }

    @Test func configuredPattern() {
        let config = ReconciliationConfiguration(referencePatterns: [ReferencePattern(prefix: "CMD", digits: 6...6)])
        let r = W.run([W.inv("2026-000001", "A", 5_000, ref: "CMD-004512"), W.inv("2026-000002", "A", 7_000, ref: "CMD-004513")],
                      [W.pay("P1", 5_000, ref: "paiement cmd 004512")], config: config)
        #expect(r.pairs == ["P1 2026-000001 5000 configured_reference"])
    }

    // MARK: Rule 3

    @Test func messyNumberFullAmount() {
        let r = W.run([W.inv("2026-000123", "A", 9_990), W.inv("2026-000124", "A", 9_990)],
                      [W.pay("P1", 9_990, ref: "VIR SEPA Facture n° 2026/000123 merci")])
        #expect(r.pairs == ["P1 2026-000123 9990 remittance_invoice_number"])
    }

    @Test func severalNumbersInOrderWhenTheSumFits() {
        let invoices = [W.inv("2026-000001", "A", 1_000), W.inv("2026-000002", "A", 2_000), W.inv("2026-000003", "A", 4_000)]
        let r = W.run(invoices, [W.pay("P1", 3_000, ref: "FAC 2026 000002 + fac2026-1")])
        #expect(r.pairs == ["P1 2026-000002 2000 remittance_invoice_number", "P1 2026-000001 1000 remittance_invoice_number"])
    }

    @Test func severalNumbersShortOfTheSumAreRefused() {
        let invoices = [W.inv("2026-000001", "A", 1_000), W.inv("2026-000002", "A", 2_000)]
        let r = W.run(invoices, [W.pay("P1", 2_500, ref: "FAC 2026-000001 / 2026-000002", name: "Boulangerie Martin")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("cannot tell which stays open") == true)
    }

    @Test func shortFormForIdentifiedCustomer() {
        let invoices = [W.inv("2025-000123", "B", 4_000), W.inv("2026-000123", "A", 5_000)]
        let r = W.run(invoices, [W.pay("P1", 5_000, ref: "FAC 123", iban: "FR7611111111111111111111111")])
        #expect(r.pairs == ["P1 2026-000123 5000 remittance_invoice_number"])
    }

    @Test func ambiguousShortFormIsRefused() {
        let invoices = [W.inv("2025-000123", "A", 4_000), W.inv("2026-000123", "A", 5_000)]
        let r = W.run(invoices, [W.pay("P1", 5_000, ref: "FAC 123", iban: "FR7611111111111111111111111")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("fits 2") == true)
    }

    @Test func referenceMatchingTwoCustomersIsRefused() {
        // Two numbering schemes that read the same once blanks and dashes are ignored.
        let invoices = [W.inv("2026-000123", "A", 5_000), W.inv("2026000123", "B", 5_000)]
        let r = W.run(invoices, [W.pay("P1", 5_000, ref: "FAC 2026 000123")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("2 customers") == true)
        #expect(r.unmatched[0].candidates.count == 2)
    }

    @Test func oneSpellingFittingTwoInvoicesOfOneCustomerIsRefused() {
        let invoices = [W.inv("2026-000123", "A", 5_000), W.inv("2026000123", "A", 2_000)]
        let r = W.run(invoices, [W.pay("P1", 7_000, ref: "FAC 2026 000123", customer: "A")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("several invoices") == true)
    }

    @Test func referenceToAnotherCustomersInvoiceIsRefused() {
        let invoices = [W.inv("2026-000001", "A", 5_000), W.inv("2026-000002", "B", 5_000)]
        let r = W.run(invoices, [W.pay("P1", 5_000, ref: "fac 2026-2", iban: "FR7611111111111111111111111")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("of customer B but the payer is customer A") == true)
    }

    @Test func bareNumbersInTextNeverDecideAlone() {
        let invoices = [W.inv("2026-001234", "A", 5_000)]
        let r = W.run(invoices, [W.pay("P1", 7_000, ref: "VIR 1234,56 EUR", iban: "FR7611111111111111111111111")])
        #expect(r.allocations.isEmpty)
    }

    // MARK: Rule 6

    @Test func partialPaymentWithIdentifiedPayer() {
        let r = W.run([W.inv("2026-000001", "A", 10_000)], [W.pay("P1", 4_000, ref: "FAC 2026 000001", name: "BOULANGERIE MARTIN")])
        #expect(r.pairs == ["P1 2026-000001 4000 remittance_invoice_number"])
        #expect(r.writeOffProposals.isEmpty)
    }

    @Test func partialPaymentWithoutIndependentPayerIsRefused() {
        let r = W.run([W.inv("2026-000001", "A", 10_000)], [W.pay("P1", 4_000, ref: "FAC 2026 000001")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("not identified independently") == true)
    }

    @Test func referenceContradictedByAnExactAmountIsRefused() {
        let invoices = [W.inv("2026-000001", "A", 10_000), W.inv("2026-000002", "A", 4_000)]
        let r = W.run(invoices, [W.pay("P1", 4_000, ref: "FAC 2026 000001", name: "BOULANGERIE MARTIN")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("open for exactly") == true)
    }

    @Test func overpaymentLeavesCredit() {
        let r = W.run([W.inv("2026-000001", "A", 10_000)], [W.pay("P1", 10_500, ref: "2026 000001", iban: "FR7611111111111111111111111")])
        #expect(r.pairs == ["P1 2026-000001 10000 remittance_invoice_number"])
        #expect(r.unappliedCredits == [UnappliedCredit(paymentId: "P1", customerId: "A", amount: 500, currency: .eur)])
    }

    @Test func shortPaymentWithinToleranceIsProposedNeverApplied() {
        let config = ReconciliationConfiguration(writeOffToleranceMinor: 500)
        let r = W.run([W.inv("2026-000001", "A", 10_000)], [W.pay("P1", 9_650, ref: "FAC 2026 000001")], config: config)
        #expect(r.pairs == ["P1 2026-000001 9650 remittance_invoice_number"])
        #expect(r.writeOffProposals.count == 1)
        #expect(r.writeOffProposals.first?.amount == 350)
        #expect(r.writeOffProposals.first?.invoiceNumber == "2026-000001")
    }

    @Test func shortPaymentOutsideToleranceIsNotProposed() {
        let config = ReconciliationConfiguration(writeOffToleranceMinor: 500)
        let identified = W.run([W.inv("2026-000001", "A", 10_000)], [W.pay("P1", 9_400, ref: "FAC 2026 000001", customer: "A")], config: config)
        #expect(identified.pairs == ["P1 2026-000001 9400 remittance_invoice_number"])
        #expect(identified.writeOffProposals.isEmpty)
        let unknown = W.run([W.inv("2026-000001", "A", 10_000)], [W.pay("P1", 9_400, ref: "FAC 2026 000001")], config: config)
        #expect(unknown.allocations.isEmpty)
        #expect(unknown.writeOffProposals.isEmpty)
    }

    @Test func duplicatePaymentStaysCredit() {
        let r = W.run([W.inv("2026-000001", "A", 10_000), W.inv("2026-000002", "A", 10_000)],
                      [W.pay("P1", 10_000, ref: "FAC 2026 000001", date: 10), W.pay("P2", 10_000, ref: "FAC 2026 000001", iban: "FR7611111111111111111111111", date: 20)])
        #expect(r.pairs == ["P1 2026-000001 10000 remittance_invoice_number"])
        #expect(r.reason("P2")?.contains("already settled") == true)
    }

    @Test func returnsAreNotMatched() {
        let r = W.run([W.inv("2026-000001", "A", 10_000)], [W.pay("P1", -10_000, ref: "RETOUR 2026-000001")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("return") == true)
    }

    // MARK: Rules 4–5

    @Test func knownIBANAndUniqueAmount() {
        let invoices = [W.inv("2026-000001", "A", 10_000), W.inv("2026-000002", "A", 7_000), W.inv("2026-000003", "B", 7_000)]
        let r = W.run(invoices, [W.pay("P1", 7_000, iban: "FR76 1111 1111 1111 1111 1111 111")])
        #expect(r.pairs == ["P1 2026-000002 7000 unique_amount"])
        #expect(r.allocations[0].evidence.contains("IBAN"))
    }

    @Test func learnedIBANIdentifies() {
        let knowledge = PayerKnowledge(ibans: [(iban: "DE89370400440532013000", customerId: "B")])
        let r = W.run([W.inv("2026-000001", "B", 7_000)], [W.pay("P1", 7_000, iban: "DE89 3704 0044 0532 0130 00")], knowledge: knowledge)
        #expect(r.pairs == ["P1 2026-000001 7000 unique_amount"])
    }

    @Test func twoEqualAmountsAreRefused() {
        let invoices = [W.inv("2026-000001", "A", 12_000), W.inv("2026-000002", "A", 12_000, age: 5)]
        let r = W.run(invoices, [W.pay("P1", 12_000, iban: "FR7611111111111111111111111")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("2 invoices of 120,00 EUR open for this customer") == true)
        #expect(r.unmatched[0].candidates.map(\.invoiceNumber) == ["2026-000001", "2026-000002"])
    }

    @Test func nameMatchingTwoCustomersIdentifiesNone() {
        let r = W.run([W.inv("2026-000001", "T1", 3_000)], [W.pay("P1", 3_000, name: "Dupont")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("matches 2 customers") == true)
    }

    @Test func nameIdentifiesWhenUnique() {
        let r = W.run([W.inv("2026-000001", "A", 3_000)], [W.pay("P1", 3_000, name: "boulangerie martin s.a.r.l.")])
        #expect(r.pairs == ["P1 2026-000001 3000 unique_amount"])
    }

    @Test func ibanAndNameContradictingIdentifyNone() {
        let r = W.run([W.inv("2026-000001", "A", 3_000)], [W.pay("P1", 3_000, name: "Garage Dubois", iban: "FR7611111111111111111111111")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("belongs to customer A but payer name") == true)
    }

    /// The payer's part of the evidence and of the refusal reasons, one text per way the payer
    /// was (or was not) named; they are written from the payment when quoted, not when read.
    @Test func payerTextsForEachBasis() {
        let shared = "FR7633333333333333333333333"
        let knowledge = PayerKnowledge(ibans: [(iban: shared, customerId: "A"), (iban: shared, customerId: "B")])
        let invoices = [W.inv("2026-000001", "A", 1_100), W.inv("2026-000002", "B", 2_200), W.inv("2026-000003", "T1", 3_300),
                        W.inv("2026-000004", "A", 1_200), W.inv("2026-000005", "B", 2_300), W.inv("2026-000006", "A", 1_300)]
        let payments = [
            W.pay("IBAN", 1_100, iban: "fr76 1111 1111 1111 1111 1111 111"),
            W.pay("SHARED-NAME", 1_200, name: "Boulangerie Martin", iban: shared),
            W.pay("NAME", 2_200, name: "garage dubois"),
            W.pay("GIVEN", 2_300, customer: " B "),
            W.pay("AGAINST", 9_999, name: "Garage Dubois", iban: "FR7611111111111111111111111"),
            W.pay("SHARED", 9_999, iban: shared),
            W.pay("TWINS", 3_300, name: "Dupont"),
            W.pay("NOBODY", 9_999, name: "Inconnu SA", iban: "DE89 3704 0044 0532 0130 00"),
            W.pay("NOTHING", 9_999),
            W.pay("LEARN", 1_300, ref: "Facture 2026-000006", name: "Martin & Fils s.a.s.", iban: "fr76 4444 4444 4444 4444 4444 444", customer: "A"),
        ]
        let r = W.run(invoices, payments, knowledge: knowledge)
        func evidence(_ id: String) -> String? { r.allocations.first { $0.paymentId == id }?.evidence }
        #expect(evidence("IBAN")?.hasPrefix("payer IBAN FR7611111111111111111111111 known for customer A; ") == true)
        #expect(evidence("SHARED-NAME")?.hasPrefix("payer IBAN \(shared) shared by 2 customers, payer name 'BOULANGERIE MARTIN' picks A; ") == true)
        #expect(evidence("NAME")?.hasPrefix("no payer IBAN, payer name 'GARAGE DUBOIS' is customer B; ") == true)
        #expect(evidence("GIVEN")?.hasPrefix("customer id B given by the payment; ") == true)
        #expect(r.reason("AGAINST") == "payer IBAN FR7611111111111111111111111 belongs to customer A but payer name 'GARAGE DUBOIS' to B; no invoice named in the references")
        #expect(r.reason("SHARED") == "payer IBAN \(shared) known for 2 customers (A, B); no invoice named in the references")
        #expect(r.reason("TWINS") == "no payer IBAN, name 'DUPONT' matches 2 customers (T1, T2); no invoice named in the references")
        #expect(r.reason("NOBODY") == "payer IBAN unknown, name 'INCONNU' matches no customer; no invoice named in the references")
        #expect(r.reason("NOTHING") == "no payer IBAN, no payer name; no invoice named in the references")
        // Learning quotes the compact IBAN and normalised name the reader compared.
        let learned = r.learnedPayers.first { $0.paymentId == "NAME" }
        #expect(learned?.normalisedName == nil && learned?.iban == nil)
        #expect(r.learnedPayers.contains { $0.paymentId == "SHARED-NAME" } == false)
        #expect(r.learnedPayers.first { $0.paymentId == "LEARN" }
                == LearnedPayer(paymentId: "LEARN", customerId: "A", iban: "FR7644444444444444444444444", normalisedName: "MARTIN FILS"))
    }

    @Test func uniqueCombination() {
        let invoices = [W.inv("2026-000001", "A", 1_000, age: 1), W.inv("2026-000002", "A", 2_500, age: 2), W.inv("2026-000003", "A", 4_000, age: 3)]
        let r = W.run(invoices, [W.pay("P1", 6_500, iban: "FR7611111111111111111111111")])
        #expect(r.pairs == ["P1 2026-000002 2500 amount_combination", "P1 2026-000003 4000 amount_combination"])
    }

    @Test func twoCombinationsAreRefused() {
        let invoices = [1_000, 2_000, 3_000, 4_000].enumerated().map { W.inv("2026-00000\($0.offset)", "A", Int64($0.element), age: $0.offset) }
        let r = W.run(invoices, [W.pay("P1", 5_000, iban: "FR7611111111111111111111111")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("two combinations") == true)
        #expect(r.unmatched[0].candidates.count == 3)
    }

    @Test func combinationBudgetExhaustedIsRefused() {
        let invoices = (1...12).map { W.inv("2026-0000\($0 + 10)", "A", Int64($0) * 1_001, age: $0) }
        let config = ReconciliationConfiguration(combinationNodeBudget: 10)
        let r = W.run(invoices, [W.pay("P1", 1_001 * 23, iban: "FR7611111111111111111111111")], config: config)
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("budget exhausted") == true)
    }

    @Test func tooManyItemsForACombinationAreRefused() {
        let invoices = (1...13).map { W.inv("2026-0000\($0 + 10)", "A", Int64($0) * 1_001, age: $0) }
        let r = W.run(invoices, [W.pay("P1", 1_001 * 3 + 1_001 * 13, iban: "FR7611111111111111111111111")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("too many") == true)
    }

    @Test func unknownPayerGetsCandidatesOnly() {
        let invoices = [W.inv("2026-000001", "A", 3_000), W.inv("2026-000002", "B", 3_000)]
        let r = W.run(invoices, [W.pay("P1", 3_000, name: "Inconnu", iban: "FR7699999999999999999999999")])
        #expect(r.allocations.isEmpty)
        #expect(r.reason("P1")?.contains("payer IBAN unknown") == true)
        #expect(r.unmatched[0].candidates.map(\.invoiceNumber) == ["2026-000001", "2026-000002"])
        #expect(r.unmatched[0].candidates.allSatisfy { $0.score > 0 && $0.score < 100 })
    }

    // MARK: Rule 7

    @Test func creditNotesOldestFirstOnlyWhenEnabled() {
        let invoices = [W.inv("2026-000002", "A", 5_000, age: 10), W.inv("2026-000001", "A", 3_000, age: 0)]
        let credits = [OpenCreditNote(number: "AV-1", customerId: "A", currency: .eur, openAmount: 4_000, issueDate: W.day(20))]
        let off = W.run(invoices, [], credits: credits)
        #expect(off.allocations.isEmpty)
        let on = W.run(invoices, [], credits: credits, config: ReconciliationConfiguration(applyCreditOldestFirst: ["A"]))
        #expect(on.pairs == ["credit 2026-000001 3000 customer_credit_oldest_first", "credit 2026-000002 1000 customer_credit_oldest_first"])
        #expect(on.allocations.allSatisfy { $0.source == .creditNote(number: "AV-1") })
    }

    // MARK: Determinism and learning

    @Test func resultDoesNotDependOnInputOrder() {
        let invoices = (0..<30).map { W.inv("2026-0001\($0 + 10)", $0 % 2 == 0 ? "A" : "B", Int64(1_000 + ($0 % 7) * 100), age: $0) }
        var payments = (0..<30).map { W.pay("P\($0 + 10)", Int64(1_000 + ($0 % 5) * 100), ref: $0 % 3 == 0 ? "FAC 2026-0001\($0 + 10)" : nil,
                                             iban: $0 % 2 == 0 ? "FR7611111111111111111111111" : "FR7622222222222222222222222", date: $0 % 4) }
        let first = W.run(invoices, payments)
        payments.reverse()
        let engine = Reconciler(invoices: invoices.reversed(), customers: World.customers.reversed())
        let second = engine.reconcile(payments)
        #expect(first == second)
        #expect(!first.allocations.isEmpty)
        #expect(first == W.run(invoices, payments))
    }

    @Test func learnedPayersAreNotUsedWithinTheRun() {
        let invoices = [W.inv("2026-000001", "A", 3_000), W.inv("2026-000002", "A", 4_000)]
        let r = W.run(invoices, [W.pay("P1", 3_000, ref: "2026-000001", iban: "FR7655555555555555555555555", date: 1),
                                 W.pay("P2", 4_000, iban: "FR7655555555555555555555555", date: 2)])
        #expect(r.pairs == ["P1 2026-000001 3000 remittance_invoice_number"])
        #expect(r.learnedPayers == [LearnedPayer(paymentId: "P1", customerId: "A", iban: "FR7655555555555555555555555", normalisedName: nil)])
        #expect(r.reason("P2")?.contains("payer IBAN unknown") == true)
    }
}

/// The engine reads payments one block ahead on a second thread; the result must be the one a
/// single thread gives, whatever the scheduling.
@Suite("Reconciliation engine: two threads")
struct ReconciliationReadAheadTests {
    /// Enough payments for several read-ahead blocks, mixing every rule and payments that
    /// compete for the same invoices (so that the order of decisions matters).
    static func world() -> (invoices: [OpenInvoice], payments: [UnmatchedPayment]) {
        var invoices: [OpenInvoice] = []
        var payments: [UnmatchedPayment] = []
        for i in 0..<3_000 {
            let customer = ["A", "B", "T1"][i % 3]
            let number = "2026-" + String(100_000 + i).dropFirst()
            invoices.append(World.inv(number, customer, Int64(10_000 + (i % 97) * 100), age: i % 40,
                                      ref: i % 11 == 0 ? CreditorReference.make(body: "2026\(i)") : nil))
        }
        let n = Reconciler.readAheadBlock * 3 + 17
        for k in 0..<n {
            let i = (k * 7) % 3_000
            let number = invoices[i].number
            let amount = invoices[i].openAmount
            switch k % 6 {
            case 0: payments.append(World.pay("P\(k)", amount, ref: "VIR FAC \(number)", date: k % 50))
            case 1: payments.append(World.pay("P\(k)", amount / 2, ref: "Facture n° " + String(number.map { $0 == "-" ? "/" : $0 }), iban: "FR7622222222222222222222222", date: k % 50))
            case 2: payments.append(World.pay("P\(k)", amount, name: "BOULANGERIE MARTIN", date: k % 50))
            case 3: payments.append(World.pay("P\(k)", amount, ref: invoices[i].paymentReference ?? "merci", date: k % 50))
            case 4: payments.append(World.pay("P\(k)", amount, ref: "FAC \(i + 1)", iban: "FR76 1111 1111 1111 1111 1111 111", date: k % 50))
            default: payments.append(World.pay("P\(k)", -amount, ref: "RETOUR", date: k % 50))
            }
        }
        return (invoices, payments)
    }

    @Test func readAheadGivesTheSingleThreadResult() {
        let (invoices, payments) = Self.world()
        let engine = Reconciler(invoices: invoices, customers: World.customers)
        let twoThreads = engine.reconcile(payments)
        // One thread, in the same order, each payment read when it is decided.
        let single = ReconciliationRun(engine: engine)
        for p in payments.sorted(by: { ($0.date, $0.paymentId) < ($1.date, $1.paymentId) }) { single.process(p) }
        single.applyCredits()
        #expect(payments.count > 3 * Reconciler.readAheadBlock)
        #expect(twoThreads.allocations.count > 1_000 && twoThreads.unmatched.count > 1_000)
        #expect(twoThreads == single.result)
        #expect(engine.reconcile(Array(payments.reversed())) == twoThreads)
    }
}

/// Invoices of equal dates are ordered by number through packed prefixes: the order must be
/// `String`'s, including long numbers sharing sixteen bytes and texts that are not ASCII.
@Suite("Reconciliation: invoice numbers ordered on packed prefixes")
struct AsciiPrefixOrderTests {
    @Test func prefixesOrderAsStrings() {
        let numbers = ["2026-000123", "2026-000124", "2026-00012", "", "A", "a", "FAC-2026-0000001234567", "FAC-2026-0000001234568",
                       "FAC-2026-000000123456", "FAC-2026-0000001234", "É-1", "E-1", "e\u{301}-1", "ZZZZZZZZZZZZZZZZ", "ZZZZZZZZZZZZZZZZZ"]
        for a in numbers {
            for b in numbers {
                let packed = AsciiPrefix.precedes(AsciiPrefix(a), AsciiPrefix(b)) ?? (a < b)
                #expect(packed == (a < b), "\(a) < \(b)")
            }
        }
        #expect(AsciiPrefix.precedes(AsciiPrefix("É-1"), AsciiPrefix("E-1")) == nil, "not ASCII: compared as Strings")
        #expect(AsciiPrefix.precedes(AsciiPrefix("FAC-2026-0000001234567"), AsciiPrefix("FAC-2026-0000001234568")) == nil,
                "same sixteen bytes, both longer: compared as Strings")
    }
}
