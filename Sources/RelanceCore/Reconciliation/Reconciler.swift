import Dispatch

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

    let byFullKey: PackedKeyIndex
    let byShortKey: PackedKeyIndex
    let byPaymentReference: ReconciliationIndex<String>
    let byCustomerAmount: IntegerKeyIndex<CustomerAmountKey>
    let byAmount: IntegerKeyIndex<AmountKey>
    let byIBAN: ByteKeyIndex
    let byName: ByteKeyIndex

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

        // The tables that need no customer position (number keys, payment references, amounts
        // for unknown payers) are built on a second thread meanwhile.
        let keyIndexes = ThreadHandoff<CustomerFreeIndexes>()
        let building = DispatchGroup()
        DispatchQueue.global().async(group: building) { keyIndexes.put(Self.customerFreeIndexes(invoices)) }

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
        var byCustomerAmount = IntegerKeyIndex<CustomerAmountKey>(capacity: invoices.count)
        for (i, inv) in invoices.enumerated() {
            let item = Int32(i)
            let c = customer(inv.customerId)
            numbers.append(inv.number)
            invoiceCustomer.append(c)
            currencies.append(inv.currency)
            initialOpen.append(inv.openAmount)
            dueDates.append(inv.dueDate ?? inv.issueDate)
            if inv.openAmount > 0 {
                byCustomerAmount.insert(CustomerAmountKey(customer: c, currency: inv.currency, amount: inv.openAmount), item)
            }
        }
        // Oldest first: due date, issue date (packed into one integer), then number.
        let dates = invoices.map { Int64($0.dueDate?.ordinal ?? $0.issueDate.ordinal) << 32 | Int64(UInt32(bitPattern: $0.issueDate.ordinal)) }
        // Many invoices share their dates: their numbers are compared on packed ASCII prefixes,
        // which order as `String`'s `<` does for ASCII texts; any other text is compared as a String.
        let prefixes = numbers.map(AsciiPrefix.init)
        let order = invoices.indices.sorted { a, b in
            if dates[a] != dates[b] { return dates[a] < dates[b] }
            if let before = AsciiPrefix.precedes(prefixes[a], prefixes[b]) { return before }
            return numbers[a] < numbers[b]
        }
        var ageOrder = [Int32](repeating: 0, count: invoices.count)
        var perCustomer = [[Int32]](repeating: [], count: customerIds.count)
        for (rank, i) in order.enumerated() {
            ageOrder[i] = Int32(rank)
            perCustomer[Int(invoiceCustomer[i])].append(Int32(i))
        }
        for n in creditNotes { _ = customer(n.customerId) }
        while perCustomer.count < customerIds.count { perCustomer.append([]) }

        var byIBAN = ByteKeyIndex(capacity: customers.count + knowledge.ibans.count)
        var byName = ByteKeyIndex(capacity: customers.count + knowledge.names.count)
        var key: [UInt8] = [], word: [UInt8] = []
        for c in customers {
            let idx = customerIndex[c.id]!
            for iban in c.ibans {
                PayerName.compactIBAN(iban, into: &key)
                if !key.isEmpty { byIBAN.insert(key, idx) }
            }
            PayerName.normalise(c.name, into: &key, word: &word)
            if !key.isEmpty { byName.insert(key, idx) }
        }
        for (iban, id) in knowledge.ibans {
            PayerName.compactIBAN(iban, into: &key)
            if !key.isEmpty { byIBAN.insert(key, customer(id)) }
        }
        for (name, id) in knowledge.names {
            PayerName.normalise(name, into: &key, word: &word)
            if !key.isEmpty { byName.insert(key, customer(id)) }
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
        building.wait()
        guard let keys = keyIndexes.take() else { preconditionFailure("the number index thread handed nothing over") }
        self.byFullKey = keys.full
        self.byShortKey = keys.short
        self.byPaymentReference = keys.paymentReference
        self.byCustomerAmount = byCustomerAmount
        self.byAmount = keys.amount
        self.byIBAN = byIBAN
        self.byName = byName
        self.creditNotes = creditNotes.sorted { ($0.issueDate, $0.number) < ($1.issueDate, $1.number) }
        self.patterns = configuration.referencePatterns.compactMap { p in
            guard let c = CreditorReference.compact(p.prefix) else { return nil }
            return (c, p.digits)
        }
    }

    /// The indexes built without customer positions.
    struct CustomerFreeIndexes: Sendable {
        var full: PackedKeyIndex
        var short: PackedKeyIndex
        var paymentReference: ReconciliationIndex<String>
        var amount: IntegerKeyIndex<AmountKey>
    }

    static func customerFreeIndexes(_ invoices: [OpenInvoice]) -> CustomerFreeIndexes {
        let (full, short) = numberIndexes(invoices)
        var byPaymentReference = ReconciliationIndex<String>()
        var byAmount = IntegerKeyIndex<AmountKey>(capacity: invoices.count)
        for (i, inv) in invoices.enumerated() {
            let item = Int32(i)
            if let ref = inv.paymentReference, let compact = CreditorReference.compact(ref), !compact.isEmpty {
                byPaymentReference.insert(compact, item)
            }
            if inv.openAmount > 0 { byAmount.insert(AmountKey(currency: inv.currency, amount: inv.openAmount), item) }
        }
        return CustomerFreeIndexes(full: full, short: short, paymentReference: byPaymentReference, amount: byAmount)
    }

    /// The full/run keys and the short keys of every invoice number (`InvoiceNumberKeys`).
    static func numberIndexes(_ invoices: [OpenInvoice]) -> (full: PackedKeyIndex, short: PackedKeyIndex) {
        var byFullKey = PackedKeyIndex(capacity: invoices.count * 2)
        var byShortKey = PackedKeyIndex(capacity: invoices.count)
        var scanner = NumberKeyScanner()
        for (i, inv) in invoices.enumerated() {
            let item = Int32(i)
            if let k = scanner.keys(ofNumber: inv.number) {
                byFullKey.insert(k.full, item)
                if let r = k.runs { byFullKey.insert(r, item) }
                if let s = k.lastDigits { byShortKey.insert(s, item) }
            } else {
                // A number without digits is only ever named exactly (upper case).
                byFullKey.insert(text: inv.number.uppercased(), item)
            }
        }
        return (byFullKey, byShortKey)
    }

    /// Payments are read (`PaymentReader`) this many at a time, one block ahead of the decisions.
    static let readAheadBlock = 2048

    /// Reconciles `payments` against the invoices given at construction. Pure: the engine can
    /// run again on other payments with the same starting open amounts.
    public func reconcile(_ payments: [UnmatchedPayment]) -> ReconciliationResult {
        let run = ReconciliationRun(engine: self)
        // The store hands them over already in this order: checking costs one comparison per
        // payment, sorting twenty. (Swift's sort is stable, so an ordered input keeps its order
        // either way.)
        let dates = payments.map(\.date)
        let ids = payments.map(\.paymentId)
        func precedes(_ a: Int, _ b: Int) -> Bool { dates[a] != dates[b] ? dates[a] < dates[b] : ids[a] < ids[b] }
        let inOrder = payments.indices.dropFirst().allSatisfy { !precedes($0, $0 - 1) }
        let order: [Int]? = inOrder ? nil : payments.indices.sorted(by: precedes)
        let ordered = order.map { $0.map { payments[$0] } } ?? payments
        // Two threads: while the run decides block k (in order, on this thread), a helper
        // reads block k + 1. Reading is a pure function of the payment and the invoices, so
        // the result is the same as deciding everything on one thread.
        let block = Self.readAheadBlock
        var start = 0
        var current: [PaymentReader.Reading?] = []
        while start < ordered.count {
            let end = min(start + block, ordered.count)
            let nextEnd = min(end + block, ordered.count)
            let handoff = ThreadHandoff<[PaymentReader.Reading?]>()
            let reading = DispatchGroup()
            if end < nextEnd {
                let engine = self
                DispatchQueue.global().async(group: reading) {
                    var reader = PaymentReader(engine: engine)
                    var readings: [PaymentReader.Reading?] = []
                    readings.reserveCapacity(nextEnd - end)
                    // By index: iterating the slice would copy (retain) each payment's texts.
                    for k in end..<nextEnd { readings.append(ordered[k].remainingAmount > 0 ? reader.read(ordered[k]) : nil) }
                    handoff.put(readings)
                }
            }
            for k in start..<end {
                run.paymentPosition = Int32(truncatingIfNeeded: order?[k] ?? k)
                // Moved out of the block rather than copied.
                var ahead: PaymentReader.Reading? = nil
                if !current.isEmpty { swap(&ahead, &current[k - start]) }
                run.process(ordered[k], ahead)
            }
            reading.wait()
            current = handoff.take() ?? []
            start = end
        }
        run.applyCredits()
        return run.result
    }
}

/// The first sixteen bytes of an ASCII text packed big-endian, to order texts without comparing
/// Strings (see `Reconciler.init`).
struct AsciiPrefix {
    var high: UInt64 = 0
    var low: UInt64 = 0
    var count = 0
    var isASCII = true

    init(_ text: String) {
        for b in text.utf8 {
            if b >= 0x80 { isASCII = false; return }
            if count < 8 { high |= UInt64(b) << (56 - 8 * UInt64(count)) } else if count < 16 { low |= UInt64(b) << (56 - 8 * UInt64(count - 8)) }
            count += 1
        }
    }

    /// Whether `a` sorts before `b`, when the prefixes decide it; nil when the Strings must.
    static func precedes(_ a: AsciiPrefix, _ b: AsciiPrefix) -> Bool? {
        guard a.isASCII && b.isASCII else { return nil }
        if a.high != b.high { return a.high < b.high }
        if a.low != b.low { return a.low < b.low }
        if a.count <= 16 || b.count <= 16 { return a.count < b.count }
        return nil
    }
}
