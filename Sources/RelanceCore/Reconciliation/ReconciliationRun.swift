/// The mutable side of one `Reconciler.reconcile` call: open amounts as the run allocates,
/// and the result being built.
///
/// A class, not a struct: the rules are written with closures (`filter`, `map`, `sorted`)
/// that read `engine` and `open`, and a closure capturing a struct `self` copies it — one
/// retain per array of the engine, twenty-odd per closure, which was a tenth of a run.
final class ReconciliationRun {
    let engine: Reconciler
    var open: [Int64]
    /// Invoices whose open amount changed in this run, under their new amount.
    var changedAmounts = IntegerKeyIndex<CustomerAmountKey>()
    var result = ReconciliationResult()
    /// Reads payments when they are not read ahead (`Reconciler.reconcile`).
    var reader: PaymentReader
    /// Position of the payment being decided in the payments given to `Reconciler.reconcile`.
    var paymentPosition: Int32 = -1

    init(engine: Reconciler) {
        self.engine = engine
        self.reader = PaymentReader(engine: engine)
        self.open = engine.initialOpen
    }

    /// Who paid: a customer position, or why nobody could be named. The texts quoting it are
    /// written only when a decision uses one (`evidence`, `failure`): most payments are read on
    /// the read-ahead thread, the busier of the two.
    struct Payer: Sendable {
        /// Position in `engine.customerIds`; -2 for a customer id given by the payment but unknown here.
        var customer: Int32?
        var basis: Basis
        /// The customers the IBAN and the name are known for.
        var ibanCustomers = IndexHits()
        var nameCustomers = IndexHits()

        /// What named the payer, or why nobody was named.
        enum Basis: Sendable {
            /// The payment's own customer id (trimmed).
            case customerId(String)
            /// One customer for the IBAN (the name agrees or is unknown); an IBAN shared by
            /// several customers and a name picking one of them; the name alone.
            case iban, sharedIBANAndName, name
            /// Nobody: the IBAN's customer is not the name's; an IBAN of several customers; a
            /// name of several customers; nothing known.
            case ibanAgainstName, sharedIBAN, sharedName, unknown
        }
    }

    /// The payer's IBAN and name as compared (compact, normalised), for the texts below; each
    /// is worked out only when the text quotes it.
    func payerIBAN(_ p: UnmatchedPayment) -> String { p.payerIban.map(PayerName.compactIBAN) ?? "" }
    func payerName(_ p: UnmatchedPayment) -> String { p.payerName.map(PayerName.normalise) ?? "" }
    func ibanNote(_ p: UnmatchedPayment) -> String { payerIBAN(p).isEmpty ? "no payer IBAN" : "payer IBAN unknown" }

    /// Why the payer is this customer, for evidence and reasons ("payer IBAN … known for customer …").
    func evidence(_ payer: Payer, _ p: UnmatchedPayment) -> String {
        let id: (Int32) -> String = { [customerIds = engine.customerIds] in customerIds[Int($0)] }
        switch payer.basis {
        case let .customerId(given): return "customer id \(given) given by the payment"
        case .iban: return "payer IBAN \(payerIBAN(p)) known for customer \(id(payer.ibanCustomers[0]))"
        case .sharedIBANAndName:
            return "payer IBAN \(payerIBAN(p)) shared by \(payer.ibanCustomers.count) customers, payer name '\(payerName(p))' picks \(payer.customer.map(id) ?? "?")"
        case .name: return "\(ibanNote(p)), payer name '\(payerName(p))' is customer \(id(payer.nameCustomers[0]))"
        case .ibanAgainstName, .sharedIBAN, .sharedName, .unknown: return ""
        }
    }

    /// Why no payer was named; nil when one was.
    func failure(_ payer: Payer, _ p: UnmatchedPayment) -> String? {
        let id: (Int32) -> String = { [customerIds = engine.customerIds] in customerIds[Int($0)] }
        switch payer.basis {
        case .customerId, .iban, .sharedIBANAndName, .name: return nil
        case .ibanAgainstName:
            return "payer IBAN \(payerIBAN(p)) belongs to customer \(id(payer.ibanCustomers[0])) but payer name '\(payerName(p))' to \(payer.nameCustomers.map(id).joined(separator: ", "))"
        case .sharedIBAN:
            return "payer IBAN \(payerIBAN(p)) known for \(payer.ibanCustomers.count) customers (\(payer.ibanCustomers.map(id).joined(separator: ", ")))"
        case .sharedName:
            return "\(ibanNote(p)), name '\(payerName(p))' matches \(payer.nameCustomers.count) customers (\(payer.nameCustomers.map(id).joined(separator: ", ")))"
        case .unknown:
            let name = payerName(p)
            return name.isEmpty ? "\(ibanNote(p)), no payer name" : "\(ibanNote(p)), name '\(name)' matches no customer"
        }
    }

    /// An invoice named by the payment's references.
    struct Named: Sendable {
        var invoice: Int32
        /// How it was named, for the evidence ("text token 'FAC 2026-000123'").
        var how: String
        /// The spelling that named it fits other invoices too.
        var ambiguous = false
    }

    // MARK: One payment

    /// Decides one payment, from what `PaymentReader` read in it (payer, named invoices) when
    /// it was read ahead, else reading it now. The decision depends on the open amounts, so on
    /// the payments decided before: payments are decided one at a time, in order.
    func process(_ p: UnmatchedPayment, _ readAhead: PaymentReader.Reading? = nil) {
        guard p.remainingAmount > 0 else {
            refuse(p, nil, p.remainingAmount < 0 ? "negative amount: a return or reversal, not a payment" : "nothing left to allocate", [])
            return
        }
        let reading = readAhead ?? reader.read(p)
        let payer = reading.payer
        let notes = reading.notes
        // Rule 2: structured references.
        if let (named, rule) = reading.structured {
            settleNamed(p, payer, named, rule: rule, weak: false)
            return
        }
        // Rule 3: invoice numbers in the text.
        let strong = reading.strong, weak = reading.weak
        if !strong.isEmpty {
            settleNamed(p, payer, strong, rule: .remittanceInvoiceNumber, weak: false)
            return
        }
        if !weak.isEmpty, let chosen = resolveWeak(p, payer, weak) {
            switch chosen {
            case let .success(named): settleNamed(p, payer, named, rule: .remittanceInvoiceNumber, weak: true)
            case let .failure(reason): refuse(p, payer.customer, reason.text, candidates(p, payer, named: weak.flatMap { $0.invoices }))
            }
            return
        }
        // Rules 4–5: identified payer, amounts.
        guard let c = payer.customer, c >= 0 else {
            let why = failure(payer, p) ?? "payer unknown"
            refuse(p, nil, (notes + [why + "; no invoice named in the references"]).joined(separator: "; "), candidates(p, payer, named: []))
            return
        }
        matchByAmount(p, payer, customer: c, notes: notes)
    }

    // MARK: Rule 3: invoice numbers in text

    /// A weak token: a short number (`FAC 123`) and the invoices whose short key it is.
    struct WeakName: Sendable {
        var token: String
        var hadDocumentWord: Bool
        var invoices: [Int32]
    }

    /// A weak name is used only when it names exactly one open invoice in the payer's scope
    /// (the identified customer, else all customers), and either came after a document word
    /// (`FAC 123`) or the payment equals that invoice's open amount exactly; other bare
    /// numbers are ignored. An ambiguous short number after a document word refuses.
    func resolveWeak(_ p: UnmatchedPayment, _ payer: Payer, _ weak: [WeakName]) -> Result<[Named], RefusalReason>? {
        var named: [Named] = []
        for w in weak {
            let inScope = w.invoices.filter { i in
                engine.currencies[Int(i)] == p.currency && open[Int(i)] > 0 && (payer.customer.map { $0 == engine.invoiceCustomer[Int(i)] } ?? true)
            }
            // A bare number ("1234" in "1234,56 EUR") names nothing unless the amount agrees.
            if !w.hadDocumentWord && !(inScope.count == 1 && open[Int(inScope[0])] == p.remainingAmount) { continue }
            if inScope.count > 1 {
                let scope = payer.customer == nil ? "open invoices of all customers" : "this customer's open invoices"
                return .failure(RefusalReason("short number '\(w.token)' fits \(inScope.count) \(scope): \(inScope.prefix(3).map { engine.numbers[Int($0)] }.joined(separator: ", "))"))
            }
            guard let only = inScope.first else { continue }
            named.append(Named(invoice: only, how: "short number '\(w.token)' in the remittance text, the only one in scope"))
        }
        return named.isEmpty ? nil : .success(named)
    }

    struct RefusalReason: Error { var text: String; init(_ t: String) { text = t } }

    // MARK: Rules 2, 3, 6: settling named invoices

    /// Settles the invoices a reference named, or refuses.
    ///
    /// - Named invoices in another currency are ignored; those of another customer than the
    ///   identified payer, or of two customers, refuse the payment.
    /// - Invoices already settled are dropped; if none is left the payment stays unmatched
    ///   (a duplicate payment is credit, never moved to another invoice).
    /// - Payment = sum of open amounts: each is settled, in the order named.
    /// - Payment < sum: one invoice → a partial payment; several → allowed only within the
    ///   write-off tolerance (spread in order, shortfall proposed), since otherwise nobody can
    ///   say which invoice stays open. A shortfall within tolerance is proposed as a write-off.
    /// - Payment > sum: each is settled, the rest is unapplied credit.
    /// - A payment differing from the sum (beyond tolerance) needs the payer identified
    ///   independently (customer id, IBAN, name) as the invoices' customer, and is refused when
    ///   another open invoice of that customer has exactly the payment's amount (the reference
    ///   is then probably a typo).
    func settleNamed(_ p: UnmatchedPayment, _ payer: Payer, _ namedIn: [Named], rule: ReconciliationRule, weak: Bool) {
        let allNamed = namedIn
        let sameCurrency = allNamed.allSatisfy({ engine.currencies[Int($0.invoice)] == p.currency })
            ? allNamed : allNamed.filter { engine.currencies[Int($0.invoice)] == p.currency }
        // For the messages only: built when one is written.
        var ids: [String] { allNamed.map { engine.numbers[Int($0.invoice)] } }
        guard !sameCurrency.isEmpty else {
            refuse(p, payer.customer, "named invoice \(ids.joined(separator: ", ")) is in another currency", candidates(p, payer, named: allNamed.map(\.invoice)))
            return
        }
        let firstCustomer = engine.invoiceCustomer[Int(sameCurrency[0].invoice)]
        let customerCount = sameCurrency.allSatisfy({ engine.invoiceCustomer[Int($0.invoice)] == firstCustomer })
            ? 1 : Set(sameCurrency.map { engine.invoiceCustomer[Int($0.invoice)] }).count
        if let c = payer.customer {
            let foreign = sameCurrency.filter { engine.invoiceCustomer[Int($0.invoice)] != c }
            if !foreign.isEmpty {
                let f = foreign[0].invoice
                let payerName = c >= 0 ? engine.customerIds[Int(c)] : (p.customerId ?? "?")
                refuse(p, c, "reference names invoice \(engine.numbers[Int(f)]) of customer \(engine.customerIds[Int(engine.invoiceCustomer[Int(f)])]) but the payer is customer \(payerName) (\(evidence(payer, p)))",
                       candidates(p, payer, named: allNamed.map(\.invoice)))
                return
            }
        } else if customerCount > 1 {
            refuse(p, nil, "reference names invoices of \(customerCount) customers: \(ids.prefix(4).joined(separator: ", "))", candidates(p, payer, named: allNamed.map(\.invoice)))
            return
        }
        let c = engine.invoiceCustomer[Int(sameCurrency[0].invoice)]
        if let a = sameCurrency.first(where: \.ambiguous) {
            refuse(p, c, "\(a.how): one spelling, several invoices of the same customer", candidates(p, payer, named: allNamed.map(\.invoice)))
            return
        }
        let named = sameCurrency.allSatisfy({ open[Int($0.invoice)] > 0 }) ? sameCurrency : sameCurrency.filter { open[Int($0.invoice)] > 0 }
        guard !named.isEmpty else {
            refuse(p, c, "named invoice \(ids.joined(separator: ", ")) is already settled: the payment stays as customer credit (duplicate?)", [])
            return
        }
        let opens = named.map { open[Int($0.invoice)] }
        var sum: Int64 = 0
        for o in opens {
            let (s, overflow) = sum.addingReportingOverflow(o)
            if overflow { refuse(p, c, "named invoices' open amounts overflow", []); return }
            sum = s
        }
        let amount = p.remainingAmount
        let corroborated = payer.customer == c
        let evidenceBase = named.map { "\($0.how) → \(engine.numbers[Int($0.invoice)])" }.joined(separator: "; ")
            + (weak ? " (short form, unambiguous)" : "")
            + (corroborated ? "; \(evidence(payer, p))" : "")
        if amount == sum {
            for (k, n) in named.enumerated() { allocate(p, n.invoice, opens[k], rule, evidenceBase + "; amount equals open amount") }
            learn(p, payer, c)
            return
        }
        let shortfall = sum - amount
        let withinTolerance = shortfall > 0 && engine.configuration.withinTolerance(shortfall, of: sum)
        if !withinTolerance {
            guard corroborated else {
                refuse(p, c, "amount \(money(amount, p.currency)) differs from the open amount \(money(sum, p.currency)) of \(named.map { engine.numbers[Int($0.invoice)] }.joined(separator: ", ")) and the payer is not identified independently (\(failure(payer, p) ?? "no payer data"))",
                       candidates(p, payer, named: named.map(\.invoice)))
                return
            }
            let exact = sameAmount(customer: c, currency: p.currency, amount: amount).filter { i in !named.contains { $0.invoice == i } }
            if let other = exact.first {
                refuse(p, c, "reference names \(named.map { engine.numbers[Int($0.invoice)] }.joined(separator: ", ")) (open \(money(sum, p.currency))) but invoice \(engine.numbers[Int(other)]) of the same customer is open for exactly \(money(amount, p.currency))",
                       candidates(p, payer, named: named.map(\.invoice) + exact))
                return
            }
        }
        if amount > sum {
            for (k, n) in named.enumerated() { allocate(p, n.invoice, opens[k], rule, evidenceBase + "; overpayment, remainder left as credit") }
            result.unappliedCredits.append(UnappliedCredit(paymentId: p.paymentId, customerId: engine.customerIds[Int(c)], amount: amount - sum, currency: p.currency))
            result.positions.creditPayments.append(paymentPosition)
            learn(p, payer, c)
            return
        }
        // amount < sum
        if named.count > 1 && !withinTolerance {
            refuse(p, c, "pays \(money(amount, p.currency)) for \(named.count) named invoices open for \(money(sum, p.currency)): cannot tell which stays open",
                   candidates(p, payer, named: named.map(\.invoice)))
            return
        }
        let takes = ExactReferenceAllocator.spread(amount, over: opens)
        for (k, n) in named.enumerated() where takes[k] > 0 {
            allocate(p, n.invoice, takes[k], rule, evidenceBase + (withinTolerance ? "; short payment within tolerance" : "; partial payment"))
        }
        if withinTolerance {
            for (k, n) in named.enumerated() where takes[k] < opens[k] {
                let gap = opens[k] - takes[k]
                result.writeOffProposals.append(WriteOffProposal(paymentId: p.paymentId, invoiceNumber: engine.numbers[Int(n.invoice)], amount: gap, currency: p.currency,
                                                                 reason: "short payment of \(money(gap, p.currency)) within the write-off tolerance (bank fees, rounding, discount)"))
                result.positions.writeOffInvoices.append(n.invoice)
                result.positions.writeOffPayments.append(paymentPosition)
            }
        }
        learn(p, payer, c)
    }

    // MARK: Rule 5: amounts for an identified payer

    func matchByAmount(_ p: UnmatchedPayment, _ payer: Payer, customer c: Int32, notes: [String]) {
        let amount = p.remainingAmount
        let prefix = notes.isEmpty ? "" : notes.joined(separator: "; ") + "; "
        let exact = sameAmount(customer: c, currency: p.currency, amount: amount)
        var payerEvidence: String { evidence(payer, p) }
        if exact.count == 1 {
            allocate(p, exact[0], amount, .uniqueAmount, prefix + "\(payerEvidence); the only open invoice of this customer for exactly \(money(amount, p.currency))")
            return
        }
        if exact.count > 1 {
            refuse(p, c, prefix + "\(exact.count) invoices of \(money(amount, p.currency)) open for this customer (\(payerEvidence))", candidates(p, payer, named: exact))
            return
        }
        // Oldest first; one more than the bound is enough to know the bound is exceeded.
        var items: [Int32] = []
        for i in engine.customerInvoices[Int(c)] where engine.currencies[Int(i)] == p.currency && open[Int(i)] > 0 && open[Int(i)] < amount {
            items.append(i)
            if items.count > engine.configuration.combinationMaxItems { break }
        }
        guard items.count >= 2 else {
            refuse(p, c, prefix + "no open invoice or combination of this customer for \(money(amount, p.currency)) (\(payerEvidence))", candidates(p, payer, named: []))
            return
        }
        guard items.count <= engine.configuration.combinationMaxItems else {
            refuse(p, c, prefix + "more than \(engine.configuration.combinationMaxItems) open invoices of this customer below \(money(amount, p.currency)): too many to prove a unique combination", candidates(p, payer, named: []))
            return
        }
        let amounts = items.map { open[Int($0)] }
        switch AmountCombinationSearch.search(amounts: amounts, target: amount, maxSize: engine.configuration.combinationMaxSize,
                                              nodeBudget: engine.configuration.combinationNodeBudget) {
        case let .unique(picked):
            let list = picked.map { engine.numbers[Int(items[$0])] }.joined(separator: " + ")
            let quoted = payerEvidence
            for k in picked {
                allocate(p, items[k], amounts[k], .amountCombination, prefix + "\(quoted); the only combination of open invoices summing to \(money(amount, p.currency)): \(list)")
            }
        case let .ambiguous(a, b):
            refuse(p, c, prefix + "two combinations of open invoices sum to \(money(amount, p.currency)): \(a.map { engine.numbers[Int(items[$0])] }.joined(separator: " + ")) and \(b.map { engine.numbers[Int(items[$0])] }.joined(separator: " + "))",
                   candidates(p, payer, named: (a + b).map { items[$0] }))
        case .none:
            refuse(p, c, prefix + "no open invoice or combination of this customer for \(money(amount, p.currency)) (\(payerEvidence))", candidates(p, payer, named: []))
        case .budgetExhausted:
            refuse(p, c, prefix + "combination search budget exhausted before a unique fit was proven", candidates(p, payer, named: []))
        }
    }

    /// Open invoices of a customer with exactly this open amount, oldest first.
    func sameAmount(customer c: Int32, currency: Currency, amount: Int64) -> [Int32] {
        guard c >= 0 else { return [] }
        let key = CustomerAmountKey(customer: c, currency: currency, amount: amount)
        var out: [Int32] = []
        for i in engine.byCustomerAmount.lookup(key) where open[Int(i)] == amount && !out.contains(i) { out.append(i) }
        for i in changedAmounts.lookup(key) where open[Int(i)] == amount && !out.contains(i) { out.append(i) }
        return out.sorted { engine.ageOrder[Int($0)] < engine.ageOrder[Int($1)] }
    }

    // MARK: Rule 7: free credit notes

    func applyCredits() {
        for note in engine.creditNotes where note.openAmount > 0 && engine.configuration.applyCreditOldestFirst.contains(note.customerId) {
            guard let c = engine.customerIndex[note.customerId] else { continue }
            var left = note.openAmount
            for i in engine.customerInvoices[Int(c)] where left > 0 && engine.currencies[Int(i)] == note.currency && open[Int(i)] > 0 {
                let take = min(left, open[Int(i)])
                record(i, take)
                left -= take
                result.allocations.append(ReconciliationAllocation(
                    source: .creditNote(number: note.number), invoiceNumber: engine.numbers[Int(i)], amount: take, currency: note.currency,
                    rule: .customerCreditOldestFirst,
                    evidence: "credit note \(note.number) without original invoice, applied to the oldest open invoice (customer setting)"))
                result.positions.allocationInvoices.append(i)
                result.positions.allocationPayments.append(-1)
            }
        }
    }

    // MARK: Recording

    func record(_ i: Int32, _ amount: Int64) {
        open[Int(i)] -= amount
        if open[Int(i)] > 0 {
            changedAmounts.insert(CustomerAmountKey(customer: engine.invoiceCustomer[Int(i)], currency: engine.currencies[Int(i)], amount: open[Int(i)]), i)
        }
    }

    func allocate(_ p: UnmatchedPayment, _ i: Int32, _ amount: Int64, _ rule: ReconciliationRule, _ evidence: String) {
        record(i, amount)
        result.allocations.append(ReconciliationAllocation(source: .payment(id: p.paymentId), invoiceNumber: engine.numbers[Int(i)],
                                                           amount: amount, currency: p.currency, rule: rule, evidence: evidence))
        result.positions.allocationInvoices.append(i)
        result.positions.allocationPayments.append(paymentPosition)
    }

    /// Suggests the payer's IBAN and name for customer `c` when not already known for it.
    func learn(_ p: UnmatchedPayment, _ payer: Payer, _ c: Int32) {
        guard c >= 0 else { return }
        let iban: String? = payer.ibanCustomers.contains(c) ? nil : p.payerIban.map(PayerName.compactIBAN).flatMap { $0.isEmpty ? nil : $0 }
        let name: String? = payer.nameCustomers.contains(c) ? nil : p.payerName.map(PayerName.normalise).flatMap { $0.isEmpty ? nil : $0 }
        if iban != nil || name != nil {
            result.learnedPayers.append(LearnedPayer(paymentId: p.paymentId, customerId: engine.customerIds[Int(c)], iban: iban, normalisedName: name))
        }
    }

    func refuse(_ p: UnmatchedPayment, _ customer: Int32?, _ reason: String, _ candidates: [ReconciliationCandidate]) {
        let id = customer.flatMap { $0 >= 0 ? engine.customerIds[Int($0)] : p.customerId }
        result.unmatched.append(UnmatchedOutcome(paymentId: p.paymentId, customerId: id, reason: reason, candidates: candidates))
    }

    // MARK: Candidates

    /// Up to three invoices a person might choose, ranked: named ones first, then exact
    /// amounts for the payer, then exact amounts anywhere, then the payer's oldest.
    func candidates(_ p: UnmatchedPayment, _ payer: Payer, named: [Int32]) -> [ReconciliationCandidate] {
        var scored: [(Int32, Int, String)] = []
        var seen = Set<Int32>()
        func add(_ i: Int32, _ score: Int, _ why: String) {
            if seen.insert(i).inserted { scored.append((i, score, why)) }
        }
        let amount = p.remainingAmount
        for i in named {
            let o = open[Int(i)]
            add(i, o == amount ? 80 : 60, o == amount ? "named by the references, amount equal" : "named by the references")
        }
        if let c = payer.customer, c >= 0 {
            for i in sameAmount(customer: c, currency: p.currency, amount: amount) { add(i, 70, "same amount, identified payer") }
            var oldest = 0
            for i in engine.customerInvoices[Int(c)] where oldest < 3 && open[Int(i)] > 0 && engine.currencies[Int(i)] == p.currency {
                add(i, 20, "oldest open invoice of the identified payer")
                oldest += 1
            }
        } else if amount > 0 {
            var n = 0
            for i in engine.byAmount.lookup(AmountKey(currency: p.currency, amount: amount)) where n < 3 && open[Int(i)] == amount {
                add(i, 30, "same amount, payer unknown")
                n += 1
            }
        }
        scored.sort { a, b in a.1 != b.1 ? a.1 > b.1 : engine.ageOrder[Int(a.0)] < engine.ageOrder[Int(b.0)] }
        return scored.prefix(3).map { i, score, why in
            ReconciliationCandidate(invoiceNumber: engine.numbers[Int(i)], customerId: engine.customerIds[Int(engine.invoiceCustomer[Int(i)])],
                                    openAmount: open[Int(i)], score: score, why: why)
        }
    }

    func money(_ minor: Int64, _ currency: Currency) -> String {
        MinorUnits.formatFrench(minor, places: currency.minorUnits) + " " + currency.code
    }
}

extension String {
    /// `/` as a blank, for reference patterns written `CMD/123456`.
    func replacingSlashes() -> String {
        String(map { $0 == "/" ? " " : $0 })
    }
}
