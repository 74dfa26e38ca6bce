/// The first half of deciding a payment: what its own data say, before any open amount is
/// looked at — who paid (rule 4), which invoices a structured reference (rule 2) or the
/// remittance text (rule 3) names.
///
/// Why apart from `ReconciliationRun`: none of this depends on the payments decided before, so
/// `Reconciler.reconcile` reads the next block of payments on a second thread while the run
/// decides the current one. The decisions stay in payment order on one thread, so the result
/// does not depend on scheduling.
struct PaymentReader: Sendable {
    /// What was read in one payment.
    struct Reading: Sendable {
        var payer: ReconciliationRun.Payer
        /// Remarks for the refusal reason (an RF reference with wrong check digits…).
        var notes: [String] = []
        /// Invoices named by a structured reference, and by which rule; when set, the text was not read.
        var structured: ([ReconciliationRun.Named], ReconciliationRule)?
        var strong: [ReconciliationRun.Named] = []
        var weak: [ReconciliationRun.WeakName] = []
    }

    let engine: Reconciler
    /// Buffers reused by `namedInText` from one payment to the next.
    var scanner = NumberKeyScanner()
    /// The payer's compact IBAN and normalised name, as looked up (reused likewise).
    private var iban: [UInt8] = []
    private var name: [UInt8] = []
    private var word: [UInt8] = []

    init(engine: Reconciler) { self.engine = engine }

    /// Reads a payment (one with something left to allocate).
    mutating func read(_ p: UnmatchedPayment) -> Reading {
        var reading = Reading(payer: identify(p))
        if let found = structuredReference(p, notes: &reading.notes) {
            reading.structured = found
            return reading
        }
        (reading.strong, reading.weak) = namedInText(p)
        return reading
    }

    // MARK: Rule 4: payer

    /// Who paid, from the payment's customer id, else its IBAN and name. The texts quoting
    /// them are written when a decision needs one (`ReconciliationRun.Payer.evidence`).
    mutating func identify(_ p: UnmatchedPayment) -> ReconciliationRun.Payer {
        if let raw = p.payerIban { PayerName.compactIBAN(raw, into: &iban) } else { iban.removeAll(keepingCapacity: true) }
        if let raw = p.payerName { PayerName.normalise(raw, into: &name, word: &word) } else { name.removeAll(keepingCapacity: true) }
        // Looked up once: the run asks again when it learns from a match (`learn`).
        let ibanCustomers = iban.isEmpty ? IndexHits() : engine.byIBAN.lookup(iban)
        let nameCustomers = name.isEmpty ? IndexHits() : engine.byName.lookup(name)
        var payer = identifyCustomer(p, ibanCustomers: ibanCustomers, nameCustomers: nameCustomers)
        payer.ibanCustomers = ibanCustomers
        payer.nameCustomers = nameCustomers
        return payer
    }

    func identifyCustomer(_ p: UnmatchedPayment, ibanCustomers: IndexHits, nameCustomers: IndexHits) -> ReconciliationRun.Payer {
        typealias Payer = ReconciliationRun.Payer
        if let id = p.customerId?.trimmingBlanks(), !id.isEmpty {
            return Payer(customer: engine.customerIndex[id] ?? -2, basis: .customerId(id))
        }
        if ibanCustomers.count == 1 {
            let c = ibanCustomers.first!
            if !nameCustomers.isEmpty && !nameCustomers.contains(c) { return Payer(customer: nil, basis: .ibanAgainstName) }
            return Payer(customer: c, basis: .iban)
        }
        if ibanCustomers.count > 1 {
            let inBoth = nameCustomers.filter { ibanCustomers.contains($0) }
            if inBoth.count == 1 { return Payer(customer: inBoth[0], basis: .sharedIBANAndName) }
            return Payer(customer: nil, basis: .sharedIBAN)
        }
        if nameCustomers.count == 1 { return Payer(customer: nameCustomers.first!, basis: .name) }
        return Payer(customer: nil, basis: nameCustomers.count > 1 ? .sharedName : .unknown)
    }

    // MARK: Rule 2: structured references

    func structuredReference(_ p: UnmatchedPayment, notes: inout [String]) -> ([ReconciliationRun.Named], ReconciliationRule)? {
        var rfCandidates: [String] = []
        if let s = p.structuredReference, !s.isEmpty { rfCandidates.append(s) }
        // Cutting into tokens only the texts where `RF` (any case) occurs at all.
        for text in [p.reference, p.invoiceNumber, p.endToEndId].compactMap({ $0 }) where Self.mayHoldCreditorReference(text) {
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
            return (found.map { ReconciliationRun.Named(invoice: $0, how: "creditor reference \(valid) (check digits valid)") }, .creditorReference)
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
                            return (found.map { ReconciliationRun.Named(invoice: $0, how: "reference pattern \(pattern.prefix)+digits: \(compact)") }, .configuredReference)
                        }
                    }
                }
            }
        }
        return nil
    }

    /// Strong names (full or run key of some invoice), in order of appearance, without
    /// duplicates; and, for tokens naming nothing strongly, the weak candidates.
    ///
    /// Read on bytes by `NumberKeyScanner` (same keys as `InvoiceNumberKeys`); a window's
    /// label (its text) is built only when it names something.
    mutating func namedInText(_ p: UnmatchedPayment) -> ([ReconciliationRun.Named], [ReconciliationRun.WeakName]) {
        var strong: [ReconciliationRun.Named] = []
        var weak: [ReconciliationRun.WeakName] = []
        var seen = Set<Int32>()
        scanner.reset()
        // In this order: the ERP's own invoice column, the remittance text, the end-to-end id.
        if let t = p.invoiceNumber, !t.isEmpty { scanner.read(t) }
        if let t = p.reference, !t.isEmpty { scanner.read(t) }
        if let t = p.endToEndId, !t.isEmpty { scanner.read(t) }
        // Words that are neither numbers nor document words ("VIREMENT", "MERCI") separate
        // numbers: windows never span them, which keeps the work linear in the text.
        // Pass 1: full numbers, longest window first at each position.
        for text in scanner.texts {
            var i = text.lowerBound
            while i < text.upperBound {
                var consumed = 1
                var span = 0
                while span < 4 && i + span < text.upperBound && scanner.tokens[i + span].numberish { span += 1 }
                var k = span
                while k >= 1 {
                    defer { k -= 1 }
                    guard let keys = windowKeys(i, k) else { continue }
                    // Short bare numbers ("12", "2026") are too common in free text to be strong.
                    guard keys.hadDocumentWord || keys.fullCount >= 5 else { continue }
                    var hits = engine.byFullKey.lookup(keys.full)
                    if hits.isEmpty, let r = keys.runs { hits = engine.byFullKey.lookup(r) }
                    guard !hits.isEmpty else { continue }
                    // One spelling fitting several invoices names none of them for sure.
                    let fits = hits.count > 1 ? " (also fits \(hits.count - 1) other invoice\(hits.count > 2 ? "s" : ""))" : ""
                    let label = scanner.label(i..<(i + k))
                    for h in hits where seen.insert(h).inserted {
                        strong.append(ReconciliationRun.Named(invoice: h, how: "remittance text '\(label)'" + fits, ambiguous: hits.count > 1))
                    }
                    consumed = k
                    break
                }
                i += consumed
            }
        }
        if !strong.isEmpty { return (strong, []) }
        // Pass 2, only when no full number was found: short numbers (`FAC 123`, or a bare number).
        for text in scanner.texts {
            var i = text.lowerBound
            while i < text.upperBound {
                var consumed = 1
                var span = 0
                while span < 2 && i + span < text.upperBound && scanner.tokens[i + span].numberish { span += 1 }
                var k = span
                while k >= 1 {
                    defer { k -= 1 }
                    guard let keys = windowKeys(i, k), keys.groupCount == 1 else { continue }
                    var found = Array(engine.byShortKey.lookup(keys.full))
                    if !keys.hadDocumentWord && keys.fullCount < 5 {
                        for h in engine.byFullKey.lookup(keys.full) where !found.contains(h) { found.append(h) }
                    }
                    guard !found.isEmpty else { continue }
                    weak.append(ReconciliationRun.WeakName(token: scanner.label(i..<(i + k)), hadDocumentWord: keys.hadDocumentWord, invoices: found))
                    consumed = k
                    break
                }
                i += consumed
            }
        }
        return (strong, weak)
    }

    /// Whether some byte pair of `text` is `R`/`r` then `F`/`f`: without one, no token starts
    /// with a creditor reference's `RF`.
    static func mayHoldCreditorReference(_ text: String) -> Bool {
        var previousR = false
        for b in text.utf8 {
            if previousR && (b | 0x20) == 0x66 { return true }
            previousR = (b | 0x20) == 0x72
        }
        return false
    }

    static func isAlnum(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }

    /// The keys of `count` consecutive tokens from `first` read as one number; nil when none
    /// of them holds a digit.
    func windowKeys(_ first: Int, _ count: Int) -> NumberKeyScanner.Keys? {
        var digit = false
        for t in first..<(first + count) where scanner.tokens[t].hasDigit { digit = true; break }
        guard digit else { return nil }
        return scanner.keys(groups: Int(scanner.tokens[first].groupStart)..<Int(scanner.tokens[first + count - 1].groupEnd))
    }
}
