/// The mutable side of one `Reconciler.reconcile` call: open amounts as the run allocates,
/// and the result being built.
struct ReconciliationRun {
    let engine: Reconciler
    var open: [Int64]
    /// Invoices whose open amount changed in this run, under their new amount.
    var changedAmounts = ReconciliationIndex<CustomerAmountKey>()
    var result = ReconciliationResult()

    init(engine: Reconciler) {
        self.engine = engine
        self.open = engine.initialOpen
    }

    /// Who paid: a customer position, or why nobody could be named.
    struct Payer {
        /// Position in `engine.customerIds`; -2 for a customer id given by the payment but unknown here.
        var customer: Int32?
        var evidence: String
        var failure: String?
        /// The payer's IBAN and name as compared (compact, normalised), for learning.
        var iban = ""
        var name = ""
    }

    /// An invoice named by the payment's references.
    struct Named {
        var invoice: Int32
        /// How it was named, for the evidence ("text token 'FAC 2026-000123'").
        var how: String
        /// The spelling that named it fits other invoices too.
        var ambiguous = false
    }

    // MARK: One payment

    mutating func process(_ p: UnmatchedPayment) {
        guard p.remainingAmount > 0 else {
            refuse(p, nil, p.remainingAmount < 0 ? "negative amount: a return or reversal, not a payment" : "nothing left to allocate", [])
            return
        }
        let payer = identify(p)

        // Rule 2: structured references.
        var notes: [String] = []
        if let (named, rule) = structuredReference(p, notes: &notes) {
            settleNamed(p, payer, named, rule: rule, weak: false)
            return
        }
        // Rule 3: invoice numbers in the text.
        let texts = [p.invoiceNumber, p.reference, p.endToEndId].compactMap { $0 }.filter { !$0.isEmpty }
        let (strong, weak) = namedInText(texts, currency: p.currency)
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
            let why = payer.failure ?? "payer unknown"
            refuse(p, nil, (notes + [why + "; no invoice named in the references"]).joined(separator: "; "), candidates(p, payer, named: []))
            return
        }
        matchByAmount(p, payer, customer: c, notes: notes)
    }

    // MARK: Rule 4: payer

    func identify(_ p: UnmatchedPayment) -> Payer {
        let iban = p.payerIban.map(PayerName.compactIBAN) ?? ""
        let name = p.payerName.map(PayerName.normalise) ?? ""
        var payer = identifyCustomer(p, iban: iban, name: name)
        payer.iban = iban
        payer.name = name
        return payer
    }

    func identifyCustomer(_ p: UnmatchedPayment, iban: String, name: String) -> Payer {
        if let id = p.customerId?.trimmingBlanks(), !id.isEmpty {
            return Payer(customer: engine.customerIndex[id] ?? -2, evidence: "customer id \(id) given by the payment", failure: nil)
        }
        let ibanCustomers = iban.isEmpty ? [] : engine.byIBAN.lookup(iban)
        let nameCustomers = name.isEmpty ? [] : engine.byName.lookup(name)
        let id: (Int32) -> String = { engine.customerIds[Int($0)] }
        if ibanCustomers.count == 1 {
            let c = ibanCustomers.first!
            if !nameCustomers.isEmpty && !nameCustomers.contains(c) {
                return Payer(customer: nil, evidence: "", failure:
                    "payer IBAN \(iban) belongs to customer \(id(c)) but payer name '\(name)' to \(nameCustomers.map(id).joined(separator: ", "))")
            }
            return Payer(customer: c, evidence: "payer IBAN \(iban) known for customer \(id(c))", failure: nil)
        }
        if ibanCustomers.count > 1 {
            let inBoth = nameCustomers.filter { ibanCustomers.contains($0) }
            if inBoth.count == 1 {
                return Payer(customer: inBoth[0], evidence: "payer IBAN \(iban) shared by \(ibanCustomers.count) customers, payer name '\(name)' picks \(id(inBoth[0]))", failure: nil)
            }
            return Payer(customer: nil, evidence: "", failure: "payer IBAN \(iban) known for \(ibanCustomers.count) customers (\(ibanCustomers.map(id).joined(separator: ", ")))")
        }
        let ibanNote = iban.isEmpty ? "no payer IBAN" : "payer IBAN unknown"
        if nameCustomers.count == 1 {
            return Payer(customer: nameCustomers.first!, evidence: "\(ibanNote), payer name '\(name)' is customer \(id(nameCustomers.first!))", failure: nil)
        }
        if nameCustomers.count > 1 {
            return Payer(customer: nil, evidence: "", failure: "\(ibanNote), name '\(name)' matches \(nameCustomers.count) customers (\(nameCustomers.map(id).joined(separator: ", ")))")
        }
        return Payer(customer: nil, evidence: "", failure: name.isEmpty ? "\(ibanNote), no payer name" : "\(ibanNote), name '\(name)' matches no customer")
    }

    // MARK: Rule 2: structured references

    mutating func structuredReference(_ p: UnmatchedPayment, notes: inout [String]) -> ([Named], ReconciliationRule)? {
        var rfCandidates: [String] = []
        if let s = p.structuredReference, !s.isEmpty { rfCandidates.append(s) }
        for text in [p.reference, p.invoiceNumber, p.endToEndId].compactMap({ $0 }) {
            let tokens = InvoiceNumberKeys.rawTokens(text)
            for (i, t) in tokens.enumerated() where t.count >= 2 && (t[t.startIndex] | 0x20) == 0x72 && (t[t.startIndex + 1] | 0x20) == 0x66 {
                // `RF18 5390 0754 7034`: the reference may be printed in groups of four.
                // Every run of following groups that makes a valid reference, shortest first (a
                // following word can make a longer valid one by chance: 1 in 97), else the token
                // alone; the first that names an invoice wins.
                var joined = Array(t)
                var valid: [String] = CreditorReference.validated(String(decoding: t, as: UTF8.self)) != nil ? [String(decoding: t, as: UTF8.self)] : []
                var j = i + 1
                while j < tokens.count && j < i + 7 && joined.count + tokens[j].count <= 25 && tokens[j].count <= 4 {
                    joined += tokens[j]
                    j += 1
                    let candidate = String(decoding: joined, as: UTF8.self)
                    if CreditorReference.validated(candidate) != nil { valid.append(candidate) }
                }
                rfCandidates += valid.isEmpty ? [String(decoding: t, as: UTF8.self)] : valid
            }
        }
        for raw in rfCandidates {
            guard let compact = CreditorReference.compact(raw), compact.hasPrefix("RF") else { continue }
            guard let valid = CreditorReference.validated(raw) else {
                notes.append("creditor reference \(compact) has wrong check digits, ignored")
                continue
            }
            let found = engine.byPaymentReference.lookup(valid)
            if found.isEmpty {
                if !rfCandidates.contains(where: { $0 != raw && CreditorReference.validated($0).map { engine.byPaymentReference.lookup($0).isEmpty == false } == true }) {
                    notes.append("creditor reference \(valid) names no open invoice")
                }
                continue
            }
            return (found.map { Named(invoice: $0, how: "creditor reference \(valid) (check digits valid)") }, .creditorReference)
        }
        guard !engine.patterns.isEmpty else { return nil }
        for text in [p.reference, p.invoiceNumber, p.structuredReference].compactMap({ $0 }) {
            let tokens = InvoiceNumberKeys.rawTokens(text)
            for i in tokens.indices {
                for k in 1...2 where i + k <= tokens.count {
                    var bytes: [UInt8] = []
                    for t in tokens[i..<(i + k)] { bytes += t }
                    guard let compact = CreditorReference.compact(String(decoding: bytes, as: UTF8.self).replacingSlashes()) else { continue }
                    for pattern in engine.patterns where compact.hasPrefix(pattern.prefix) {
                        let digits = compact.utf8.dropFirst(pattern.prefix.utf8.count)
                        guard pattern.digits.contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { continue }
                        let found = engine.byPaymentReference.lookup(compact)
                        if !found.isEmpty {
                            return (found.map { Named(invoice: $0, how: "reference pattern \(pattern.prefix)+digits: \(compact)") }, .configuredReference)
                        }
                    }
                }
            }
        }
        return nil
    }

    // MARK: Rule 3: invoice numbers in text

    /// A weak token: a short number (`FAC 123`) and the invoices whose short key it is.
    struct WeakName {
        var token: String
        var hadDocumentWord: Bool
        var invoices: [Int32]
    }

    /// Strong names (full or run key of some invoice), in order of appearance, without
    /// duplicates; and, for tokens naming nothing strongly, the weak candidates.
    func namedInText(_ texts: [String], currency: Currency) -> ([Named], [WeakName]) {
        var strong: [Named] = []
        var weak: [WeakName] = []
        var seen = Set<Int32>()
        // Words that are neither numbers nor document words ("VIREMENT", "MERCI") separate
        // numbers: windows never span them, which keeps the work linear in the text.
        let tokenLists: [[ArraySlice<UInt8>?]] = texts.map {
            InvoiceNumberKeys.rawTokens($0).filter { $0.contains(where: Self.isAlnum) }.map { InvoiceNumberKeys.isNumberish($0) ? $0 : nil }
        }
        // Pass 1: full numbers, longest window first at each position.
        for tokens in tokenLists {
            var i = 0
            while i < tokens.count {
                var consumed = 1
                var span = 0
                while span < 4 && i + span < tokens.count && tokens[i + span] != nil { span += 1 }
                for k in stride(from: span, through: 1, by: -1) {
                    guard let (keys, label) = Self.window(tokens[i..<(i + k)].map { $0! }[...]) else { continue }
                    // Short bare numbers ("12", "2026") are too common in free text to be strong.
                    guard keys.hadDocumentWord || keys.full.utf8.count >= 5 else { continue }
                    var hits = engine.byFullKey.lookup(keys.full)
                    if hits.isEmpty, let r = keys.runs { hits = engine.byFullKey.lookup(r) }
                    guard !hits.isEmpty else { continue }
                    // One spelling fitting several invoices names none of them for sure.
                    let fits = hits.count > 1 ? " (also fits \(hits.count - 1) other invoice\(hits.count > 2 ? "s" : ""))" : ""
                    for h in hits where seen.insert(h).inserted {
                        strong.append(Named(invoice: h, how: "remittance text '\(label)'" + fits, ambiguous: hits.count > 1))
                    }
                    consumed = k
                    break
                }
                i += consumed
            }
        }
        if !strong.isEmpty { return (strong, []) }
        // Pass 2, only when no full number was found: short numbers (`FAC 123`, or a bare number).
        for tokens in tokenLists {
            var i = 0
            while i < tokens.count {
                var consumed = 1
                var span = 0
                while span < 2 && i + span < tokens.count && tokens[i + span] != nil { span += 1 }
                for k in stride(from: span, through: 1, by: -1) {
                    guard let (keys, label) = Self.window(tokens[i..<(i + k)].map { $0! }[...]), let short = keys.shortDigits else { continue }
                    var found = Array(engine.byShortKey.lookup(short))
                    if !keys.hadDocumentWord && keys.full.utf8.count < 5 {
                        for h in engine.byFullKey.lookup(keys.full) where !found.contains(h) { found.append(h) }
                    }
                    guard !found.isEmpty else { continue }
                    weak.append(WeakName(token: label, hadDocumentWord: keys.hadDocumentWord, invoices: found))
                    consumed = k
                    break
                }
                i += consumed
            }
        }
        return (strong, weak)
    }

    static func isAlnum(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }

    /// The keys of consecutive raw tokens read as one number, and the text they came from.
    static func window(_ tokens: ArraySlice<ArraySlice<UInt8>>) -> (InvoiceNumberKeys.Keys, String)? {
        guard tokens.contains(where: { $0.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) }) else { return nil }
        var bytes: [UInt8] = []
        for (n, t) in tokens.enumerated() {
            if n > 0 { bytes.append(0x20) }
            bytes += t
        }
        guard let keys = InvoiceNumberKeys.keys(of: bytes) else { return nil }
        return (keys, String(decoding: bytes, as: UTF8.self))
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
    mutating func settleNamed(_ p: UnmatchedPayment, _ payer: Payer, _ namedIn: [Named], rule: ReconciliationRule, weak: Bool) {
        let allNamed = namedIn
        let sameCurrency = allNamed.filter { engine.currencies[Int($0.invoice)] == p.currency }
        let ids = allNamed.map { engine.numbers[Int($0.invoice)] }
        guard !sameCurrency.isEmpty else {
            refuse(p, payer.customer, "named invoice \(ids.joined(separator: ", ")) is in another currency", candidates(p, payer, named: allNamed.map(\.invoice)))
            return
        }
        let customers = Set(sameCurrency.map { engine.invoiceCustomer[Int($0.invoice)] })
        if let c = payer.customer {
            let foreign = sameCurrency.filter { engine.invoiceCustomer[Int($0.invoice)] != c }
            if !foreign.isEmpty {
                let f = foreign[0].invoice
                let payerName = c >= 0 ? engine.customerIds[Int(c)] : (p.customerId ?? "?")
                refuse(p, c, "reference names invoice \(engine.numbers[Int(f)]) of customer \(engine.customerIds[Int(engine.invoiceCustomer[Int(f)])]) but the payer is customer \(payerName) (\(payer.evidence))",
                       candidates(p, payer, named: allNamed.map(\.invoice)))
                return
            }
        } else if customers.count > 1 {
            refuse(p, nil, "reference names invoices of \(customers.count) customers: \(ids.prefix(4).joined(separator: ", "))", candidates(p, payer, named: allNamed.map(\.invoice)))
            return
        }
        let c = engine.invoiceCustomer[Int(sameCurrency[0].invoice)]
        if let a = sameCurrency.first(where: \.ambiguous) {
            refuse(p, c, "\(a.how): one spelling, several invoices of the same customer", candidates(p, payer, named: allNamed.map(\.invoice)))
            return
        }
        let named = sameCurrency.filter { open[Int($0.invoice)] > 0 }
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
            + (corroborated ? "; \(payer.evidence)" : "")
        if amount == sum {
            for (k, n) in named.enumerated() { allocate(p, n.invoice, opens[k], rule, evidenceBase + "; amount equals open amount") }
            learn(p, payer, c)
            return
        }
        let shortfall = sum - amount
        let withinTolerance = shortfall > 0 && engine.configuration.withinTolerance(shortfall, of: sum)
        if !withinTolerance {
            guard corroborated else {
                refuse(p, c, "amount \(money(amount, p.currency)) differs from the open amount \(money(sum, p.currency)) of \(named.map { engine.numbers[Int($0.invoice)] }.joined(separator: ", ")) and the payer is not identified independently (\(payer.failure ?? "no payer data"))",
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
            }
        }
        learn(p, payer, c)
    }

    // MARK: Rule 5: amounts for an identified payer

    mutating func matchByAmount(_ p: UnmatchedPayment, _ payer: Payer, customer c: Int32, notes: [String]) {
        let amount = p.remainingAmount
        let prefix = notes.isEmpty ? "" : notes.joined(separator: "; ") + "; "
        let exact = sameAmount(customer: c, currency: p.currency, amount: amount)
        if exact.count == 1 {
            allocate(p, exact[0], amount, .uniqueAmount, prefix + "\(payer.evidence); the only open invoice of this customer for exactly \(money(amount, p.currency))")
            return
        }
        if exact.count > 1 {
            refuse(p, c, prefix + "\(exact.count) invoices of \(money(amount, p.currency)) open for this customer (\(payer.evidence))", candidates(p, payer, named: exact))
            return
        }
        // Oldest first; one more than the bound is enough to know the bound is exceeded.
        var items: [Int32] = []
        for i in engine.customerInvoices[Int(c)] where engine.currencies[Int(i)] == p.currency && open[Int(i)] > 0 && open[Int(i)] < amount {
            items.append(i)
            if items.count > engine.configuration.combinationMaxItems { break }
        }
        guard items.count >= 2 else {
            refuse(p, c, prefix + "no open invoice or combination of this customer for \(money(amount, p.currency)) (\(payer.evidence))", candidates(p, payer, named: []))
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
            for k in picked {
                allocate(p, items[k], amounts[k], .amountCombination, prefix + "\(payer.evidence); the only combination of open invoices summing to \(money(amount, p.currency)): \(list)")
            }
        case let .ambiguous(a, b):
            refuse(p, c, prefix + "two combinations of open invoices sum to \(money(amount, p.currency)): \(a.map { engine.numbers[Int(items[$0])] }.joined(separator: " + ")) and \(b.map { engine.numbers[Int(items[$0])] }.joined(separator: " + "))",
                   candidates(p, payer, named: (a + b).map { items[$0] }))
        case .none:
            refuse(p, c, prefix + "no open invoice or combination of this customer for \(money(amount, p.currency)) (\(payer.evidence))", candidates(p, payer, named: []))
        case .budgetExhausted:
            refuse(p, c, prefix + "combination search budget exhausted before a unique fit was proven", candidates(p, payer, named: []))
        }
    }

    /// Open invoices of a customer with exactly this open amount, oldest first.
    func sameAmount(customer c: Int32, currency: Currency, amount: Int64) -> [Int32] {
        guard c >= 0 else { return [] }
        let key = CustomerAmountKey(customer: c, currency: currency, amount: amount)
        var out: [Int32] = []
        for i in engine.byCustomerAmount.lookup(key) + changedAmounts.lookup(key) where open[Int(i)] == amount && !out.contains(i) {
            out.append(i)
        }
        return out.sorted { engine.ageOrder[Int($0)] < engine.ageOrder[Int($1)] }
    }

    // MARK: Rule 7: free credit notes

    mutating func applyCredits() {
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
            }
        }
    }

    // MARK: Recording

    mutating func record(_ i: Int32, _ amount: Int64) {
        open[Int(i)] -= amount
        if open[Int(i)] > 0 {
            changedAmounts.insert(CustomerAmountKey(customer: engine.invoiceCustomer[Int(i)], currency: engine.currencies[Int(i)], amount: open[Int(i)]), i)
        }
    }

    mutating func allocate(_ p: UnmatchedPayment, _ i: Int32, _ amount: Int64, _ rule: ReconciliationRule, _ evidence: String) {
        record(i, amount)
        result.allocations.append(ReconciliationAllocation(source: .payment(id: p.paymentId), invoiceNumber: engine.numbers[Int(i)],
                                                           amount: amount, currency: p.currency, rule: rule, evidence: evidence))
    }

    /// Suggests the payer's IBAN and name for customer `c` when not already known for it.
    mutating func learn(_ p: UnmatchedPayment, _ payer: Payer, _ c: Int32) {
        guard c >= 0 else { return }
        let iban: String? = !payer.iban.isEmpty && !engine.byIBAN.lookup(payer.iban).contains(c) ? payer.iban : nil
        let name: String? = !payer.name.isEmpty && !engine.byName.lookup(payer.name).contains(c) ? payer.name : nil
        if iban != nil || name != nil {
            result.learnedPayers.append(LearnedPayer(paymentId: p.paymentId, customerId: engine.customerIds[Int(c)], iban: iban, normalisedName: name))
        }
    }

    mutating func refuse(_ p: UnmatchedPayment, _ customer: Int32?, _ reason: String, _ candidates: [ReconciliationCandidate]) {
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
