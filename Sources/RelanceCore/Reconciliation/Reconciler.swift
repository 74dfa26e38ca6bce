/// The reconciliation engine ("lettrage automatique"): matches payments and free credit notes
/// to open invoices with zero tolerance for false matches.
///
/// Rules, in order of certainty, applied to each payment (by date, then id):
/// 1. (the store's exact rule has run before: exact invoice numbers, credit notes' originals);
/// 2. a valid ISO 11649 `RF` reference, or a configured company pattern, equal to an
///    invoice's payment reference;
/// 3. invoice numbers read in the remittance text with tolerant tokenisation
///    (`InvoiceNumberKeys`), short forms (`FAC 123` for `2026-000123`) only when unambiguous;
/// 4. payer identification: customer id given, else IBAN (master data or learned) and
///    normalised name, which must not contradict each other and must each name one customer;
/// 5. for an identified payer with no invoice named: exactly one open item of exactly the
///    amount, else exactly one combination of 2…`combinationMaxSize` items (at most
///    `combinationMaxItems` candidates, else refused since uniqueness cannot be proven);
/// 6. partial, over- and short payments on named invoices (see `settleNamed`);
/// 7. free credit notes applied oldest first, after all payments, for enabled customers.
///
/// Refusals are as important as matches: named invoices of two customers, a reference naming
/// another customer than the identified payer, a named invoice already settled, a reference
/// contradicted by an exact amount elsewhere, two equal open amounts, two fitting
/// combinations: all leave the payment unmatched with a reason and ranked candidates.
/// Once a text names an invoice, amounts alone are never tried: the text is the better
/// evidence, and it did not hold.
///
/// Open amounts are updated as the run allocates, so two payments never both settle one
/// invoice. Payer knowledge is not learned within a run (`LearnedPayer`).
public struct Reconciler: Sendable {
    let configuration: ReconciliationConfiguration

    // Invoices, by position.
    let numbers: [String]
    let invoiceCustomer: [Int32]
    let currencies: [Currency]
    let initialOpen: [Int64]
    let ageOrder: [Int32]
    let dueDates: [Day]

    let customerIds: [String]
    let customerIndex: [String: Int32]
    /// Each customer's invoices, oldest first (due date, issue date, number).
    let customerInvoices: [[Int32]]

    let byFullKey: ReconciliationIndex<String>
    let byShortKey: ReconciliationIndex<String>
    let byPaymentReference: ReconciliationIndex<String>
    let byCustomerAmount: ReconciliationIndex<CustomerAmountKey>
    let byAmount: ReconciliationIndex<AmountKey>
    let byIBAN: ReconciliationIndex<String>
    let byName: ReconciliationIndex<String>

    let creditNotes: [OpenCreditNote]
    let patterns: [(prefix: String, digits: ClosedRange<Int>)]

    public init(invoices: [OpenInvoice], creditNotes: [OpenCreditNote] = [], customers: [PayerCustomer],
                knowledge: PayerKnowledge = PayerKnowledge(), configuration: ReconciliationConfiguration = ReconciliationConfiguration()) {
        self.configuration = configuration
        var customerIds: [String] = []
        var customerIndex: [String: Int32] = [:]
        customerIndex.reserveCapacity(customers.count)
        func customer(_ id: String) -> Int32 {
            if let c = customerIndex[id] { return c }
            customerIds.append(id)
            let c = Int32(customerIds.count - 1)
            customerIndex[id] = c
            return c
        }
        for c in customers { _ = customer(c.id) }

        var numbers: [String] = []
        var invoiceCustomer: [Int32] = []
        var currencies: [Currency] = []
        var initialOpen: [Int64] = []
        var dueDates: [Day] = []
        numbers.reserveCapacity(invoices.count)
        invoiceCustomer.reserveCapacity(invoices.count)
        currencies.reserveCapacity(invoices.count)
        initialOpen.reserveCapacity(invoices.count)
        dueDates.reserveCapacity(invoices.count)
        var byFullKey = ReconciliationIndex<String>(capacity: invoices.count * 2)
        var byShortKey = ReconciliationIndex<String>(capacity: invoices.count / 2)
        var byPaymentReference = ReconciliationIndex<String>()
        var byCustomerAmount = ReconciliationIndex<CustomerAmountKey>(capacity: invoices.count)
        var byAmount = ReconciliationIndex<AmountKey>(capacity: invoices.count)
        for (i, inv) in invoices.enumerated() {
            let item = Int32(i)
            let c = customer(inv.customerId)
            numbers.append(inv.number)
            invoiceCustomer.append(c)
            currencies.append(inv.currency)
            initialOpen.append(inv.openAmount)
            dueDates.append(inv.dueDate ?? inv.issueDate)
            if let k = InvoiceNumberKeys.keys(of: inv.number.utf8) {
                byFullKey.insert(k.full, item)
                if let r = k.runs { byFullKey.insert(r, item) }
                if let s = InvoiceNumberKeys.shortKey(from: k) { byShortKey.insert(s, item) }
            } else {
                // A number without digits is only ever named exactly (upper case).
                byFullKey.insert(inv.number.uppercased(), item)
            }
            if let ref = inv.paymentReference, let compact = CreditorReference.compact(ref), !compact.isEmpty {
                byPaymentReference.insert(compact, item)
            }
            if inv.openAmount > 0 {
                byCustomerAmount.insert(CustomerAmountKey(customer: c, currency: inv.currency, amount: inv.openAmount), item)
                byAmount.insert(AmountKey(currency: inv.currency, amount: inv.openAmount), item)
            }
        }
        // Oldest first: due date, issue date (packed into one integer), then number.
        let dates = invoices.map { Int64($0.dueDate?.ordinal ?? $0.issueDate.ordinal) << 32 | Int64(UInt32(bitPattern: $0.issueDate.ordinal)) }
        let order = invoices.indices.sorted { a, b in
            if dates[a] != dates[b] { return dates[a] < dates[b] }
            return invoices[a].number < invoices[b].number
        }
        var ageOrder = [Int32](repeating: 0, count: invoices.count)
        var perCustomer = [[Int32]](repeating: [], count: customerIds.count)
        for (rank, i) in order.enumerated() {
            ageOrder[i] = Int32(rank)
            perCustomer[Int(invoiceCustomer[i])].append(Int32(i))
        }
        for n in creditNotes { _ = customer(n.customerId) }
        while perCustomer.count < customerIds.count { perCustomer.append([]) }

        var byIBAN = ReconciliationIndex<String>()
        var byName = ReconciliationIndex<String>(capacity: customers.count)
        for c in customers {
            let idx = customerIndex[c.id]!
            for iban in c.ibans {
                let k = PayerName.compactIBAN(iban)
                if !k.isEmpty { byIBAN.insert(k, idx) }
            }
            let n = PayerName.normalise(c.name)
            if !n.isEmpty { byName.insert(n, idx) }
        }
        for (iban, id) in knowledge.ibans {
            let k = PayerName.compactIBAN(iban)
            if !k.isEmpty { byIBAN.insert(k, customer(id)) }
        }
        for (name, id) in knowledge.names {
            let n = PayerName.normalise(name)
            if !n.isEmpty { byName.insert(n, customer(id)) }
        }
        while perCustomer.count < customerIds.count { perCustomer.append([]) }

        self.numbers = numbers
        self.invoiceCustomer = invoiceCustomer
        self.currencies = currencies
        self.initialOpen = initialOpen
        self.ageOrder = ageOrder
        self.dueDates = dueDates
        self.customerIds = customerIds
        self.customerIndex = customerIndex
        self.customerInvoices = perCustomer
        self.byFullKey = byFullKey
        self.byShortKey = byShortKey
        self.byPaymentReference = byPaymentReference
        self.byCustomerAmount = byCustomerAmount
        self.byAmount = byAmount
        self.byIBAN = byIBAN
        self.byName = byName
        self.creditNotes = creditNotes.sorted { ($0.issueDate, $0.number) < ($1.issueDate, $1.number) }
        self.patterns = configuration.referencePatterns.compactMap { p in
            guard let c = CreditorReference.compact(p.prefix) else { return nil }
            return (c, p.digits)
        }
    }

    /// Reconciles `payments` against the invoices given at construction. Pure: the engine can
    /// run again on other payments with the same starting open amounts.
    public func reconcile(_ payments: [UnmatchedPayment]) -> ReconciliationResult {
        var run = ReconciliationRun(engine: self)
        let order = payments.indices.sorted { a, b in
            payments[a].date != payments[b].date ? payments[a].date < payments[b].date : payments[a].paymentId < payments[b].paymentId
        }
        for i in order { run.process(payments[i]) }
        run.applyCredits()
        return run.result
    }
}
