import GRDB
import RelanceCore

/// One payment, two sources: a transfer the books record (FEC bank journal, ERP payments file:
/// they name the customer) and the bank statement line of the same money (camt.053/054,
/// CFONB 120: they name the payer). Without this, the customer's balance counts it twice.
///
/// Two payments are the same when they are on opposite sides (books / bank), neither is
/// already linked, and they have the same currency and amount (money received, > 0), booking
/// dates at most `dateWindow` days apart, the same customer or payer (the same customer id when
/// both know one, otherwise the payer name of the bank line equal to the customer's name as the
/// books give it, compared by `PayerName.normalise`, one name's words all within the other's),
/// and, when both carry them, the same invoice number and the same structured reference.
/// Among several candidates the nearest date wins, then the stored payment reference order.
///
/// Precedence, applied by rewriting the batch's payment before the upsert:
/// - the bank statement wins for what the bank knows: booking and value dates, payer name and
///   IBAN, remittance text (`Ustrd`), structured reference, end-to-end id;
/// - the books win for the customer and for the allocation: FEC lettering is stated by the
///   accountant, so when the books' payment brings stated allocations, the allocations the
///   exact-reference pass had made automatically on the bank payment (unconfirmed) are
///   released (`allocation.released`) and the lettering applies instead.
/// The merged payment keeps the id stored first; the other id is journaled as its alias
/// (`payment.linked`, subject the stored id, `detail.alias` the other), and the next file of
/// the same source lands on it directly.
///
/// A source's side comes from its format (`FEC` and `… CSV` are books; `camt.05x`, `CFONB 120`
/// and `MT940` are bank); inside a bundle, a payment naming a customer is the books' one.
enum PaymentSourceMatch {
    static let linkEvent = "payment.linked"
    /// A transfer is booked by the bank a day or two after the books date it, and an
    /// accountant may book it at the end of the week: five days covers both.
    static let dateWindow: Int32 = 5

    enum Side { case books, bank }

    static func side(format: String) -> Side? {
        if format == "FEC" || format.hasSuffix(" CSV") { return .books }
        if format.hasPrefix("camt.") || format == "CFONB 120" || format.hasPrefix("MT940") { return .bank }
        return nil
    }

    /// A stored payment that may be the other source's copy.
    private struct Candidate {
        var ref: String
        var customerId: String?
        var date: Int32
        var payerName: String?
        var invoiceNumber: String?
        var structuredReference: String?
        var side: Side
        var used = false
    }

    private struct Key: Hashable {
        var currency: String
        var amount: Int64
    }

    static func link(_ batch: inout IngestBatch, db: Database, journal: LinkJournal) throws {
        guard !batch.payments.isEmpty else { return }
        let isBundle = batch.format.hasPrefix("bundle")
        let batchSide = side(format: batch.format)
        guard batchSide != nil || isBundle else { return }
        func sideOf(_ p: Payment) -> Side? { batchSide ?? (p.customerId == nil ? .bank : .books) }

        // Earlier links: the alias goes straight to its stored payment.
        var aliases: [String: String] = [:]
        var linkedStored = Set<String>()
        let rows = try Row.fetchCursor(db, sql: """
            SELECT json_extract(detail, '$.alias'), subject_id FROM events WHERE kind = ? ORDER BY id
            """, arguments: [linkEvent])
        while let row = try rows.next() {
            if let alias: String = row[0], let stored: String = row[1] {
                aliases[alias] = stored
                linkedStored.insert(stored)
            }
        }

        var renamed: [String: String] = [:]
        var storedFacts: [String: Candidate] = [:]
        for i in batch.payments.indices {
            let p = batch.payments[i]
            guard let stored = aliases[p.paymentId], let side = sideOf(p) else { continue }
            if storedFacts[stored] == nil, let c = try storedCandidate(db, ref: stored) { storedFacts[stored] = c }
            batch.payments[i] = merged(p, into: stored, side: side, storedDate: storedFacts[stored]?.date)
            renamed[p.paymentId] = stored
        }

        // New matches: batch payments of known side, money received, id not stored yet. The
        // cheap questions first, so that the daily re-import of a large payments file (nothing
        // of the other side stored) costs one query, not a look-up per payment.
        var pending: [Int] = []
        var low = Int32.max
        var high = Int32.min
        var sides = Set<Side>()
        for (i, p) in batch.payments.enumerated() where p.amount > 0 && renamed[p.paymentId] == nil {
            guard let s = sideOf(p) else { continue }
            pending.append(i)
            sides.insert(s)
            low = min(low, p.date.ordinal)
            high = max(high, p.date.ordinal)
        }
        if !pending.isEmpty {
            var candidates: [Candidate] = []
            var byKey: [Key: [Int]] = [:]
            // Only stored payments of the other side (both sides for a bundle's mix).
            let bankFormats = "(f.format LIKE 'camt.%' OR f.format = 'CFONB 120' OR f.format LIKE 'MT940%' OR (f.format LIKE 'bundle%' AND p.customer_id IS NULL))"
            let booksFormats = "(f.format = 'FEC' OR f.format LIKE '% CSV' OR (f.format LIKE 'bundle%' AND p.customer_id IS NOT NULL))"
            let wanted = sides.count == 2 ? "(\(bankFormats) OR \(booksFormats))" : sides.contains(.books) ? bankFormats : booksFormats
            let stored = try Row.fetchCursor(db, sql: """
                SELECT p.payment_ref, p.customer_id, p.date, p.amount, p.currency, p.payer_name, p.invoice_number,
                       p.structured_reference, f.format
                FROM payments p JOIN ingested_files f ON f.id = p.source_file_id
                WHERE p.amount > 0 AND p.date BETWEEN ? AND ? AND \(wanted)
                ORDER BY p.payment_ref
                """, arguments: [Int64(low) - Int64(dateWindow), Int64(high) + Int64(dateWindow)])
            while let row = try stored.next() {
                let ref: String = row[0]
                guard !linkedStored.contains(ref) else { continue }
                let customer: String? = row[1]
                let format: String = row[8]
                let s: Side
                if let known = side(format: format) { s = known } else if format.hasPrefix("bundle") {
                    s = customer == nil ? .bank : .books
                } else { continue }
                let date: Int64 = row[2]
                let c = Candidate(ref: ref, customerId: customer, date: Int32(truncatingIfNeeded: date), payerName: row[5],
                                  invoiceNumber: row[6], structuredReference: row[7], side: s)
                byKey[Key(currency: row[4], amount: row[3]), default: []].append(candidates.count)
                candidates.append(c)
            }
            if !candidates.isEmpty {
                // A stored payment the batch restates under its own id is not the other copy.
                var batchIds = Set<String>()
                for p in batch.payments { batchIds.insert(p.paymentId) }
                for k in candidates.indices where batchIds.contains(candidates[k].ref) { candidates[k].used = true }
                let exists = try RawStatement(db, "SELECT 1 FROM payments WHERE payment_ref = ?")
                var names = try CustomerNames(db: db, batch: batch)
                for i in pending {
                    let p = batch.payments[i]
                    guard let pSide = sideOf(p), let list = byKey[Key(currency: p.currency.code, amount: p.amount)] else { continue }
                    // A payment the store already has under its own id is not a new copy.
                    exists.bind(1, p.paymentId)
                    if try exists.query() { exists.finish(); continue }
                    var best: Int?
                    var bestDistance = Int32.max
                    for k in list {
                        let c = candidates[k]
                        guard !c.used, c.side != pSide else { continue }
                        let distance = abs(c.date - p.date.ordinal)
                        guard distance <= dateWindow, distance < bestDistance else { continue }
                        guard sameReferences(p, c), try samePayer(p, c, names: &names) else { continue }
                        best = k
                        bestDistance = distance
                    }
                    guard let best else { continue }
                    candidates[best].used = true
                    let c = candidates[best]
                    var detail = JSONText()
                    detail.add("alias", p.paymentId)
                    detail.add("alias_side", pSide == .bank ? "bank" : "books")
                    detail.add("date_difference_days", Int(bestDistance))
                    detail.add("matched_by", p.customerId != nil && c.customerId != nil ? "customer, amount, date" : "payer name, amount, date")
                    try journal.append(kind: linkEvent, subjectType: "payment", subjectId: c.ref, detail: detail.json)
                    batch.payments[i] = merged(p, into: c.ref, side: pSide, storedDate: c.date)
                    renamed[p.paymentId] = c.ref
                    storedFacts[c.ref] = c
                }
            }
        }
        guard !renamed.isEmpty else { return }

        // Stated allocations follow the payment; the books' lettering replaces automatic ones.
        var lettered = Set<String>()
        for i in batch.allocations.indices {
            guard case let .payment(id) = batch.allocations[i].credit, let stored = renamed[id] else { continue }
            batch.allocations[i].credit = .payment(id: stored)
            lettered.insert(stored)
        }
        for ref in lettered.sorted() { try releaseAutomaticAllocations(db, paymentRef: ref, journal: journal) }
    }

    /// The batch's payment rewritten onto the stored one by the precedence rules.
    private static func merged(_ p: Payment, into stored: String, side: Side, storedDate: Int32?) -> Payment {
        var out = p
        out.paymentId = stored
        if side == .books {
            // The bank's copy is stored: keep its dates and what it says of the payer.
            if let storedDate { out.date = Day(ordinal: storedDate) }
            out.valueDate = nil
            out.reference = nil
            out.payerName = nil
            out.payerIban = nil
            out.structuredReference = nil
            out.endToEndId = nil
        } else {
            // The books' copy is stored: the bank line brings its facts, not a customer.
            out.customerId = nil
        }
        return out
    }

    private static func storedCandidate(_ db: Database, ref: String) throws -> Candidate? {
        guard let row = try Row.fetchOne(db, sql: "SELECT customer_id, date, payer_name FROM payments WHERE payment_ref = ?",
                                         arguments: [ref]) else { return nil }
        let date: Int64 = row[1]
        return Candidate(ref: ref, customerId: row[0], date: Int32(truncatingIfNeeded: date), payerName: row[2],
                         invoiceNumber: nil, structuredReference: nil, side: .bank)
    }

    /// References both sides state must agree; a missing one is no evidence either way.
    private static func sameReferences(_ p: Payment, _ c: Candidate) -> Bool {
        func agree(_ a: String?, _ b: String?) -> Bool {
            guard let a, !a.isEmpty, let b, !b.isEmpty else { return true }
            return a.uppercased() == b.uppercased()
        }
        return agree(p.invoiceNumber, c.invoiceNumber) && agree(p.structuredReference, c.structuredReference)
    }

    /// The same customer (both ids known) or the bank's payer name matching the books'
    /// customer name.
    private static func samePayer(_ p: Payment, _ c: Candidate, names: inout CustomerNames) throws -> Bool {
        if let a = p.customerId, let b = c.customerId { return a == b }
        let bankName: String?
        let booksNames: [String]
        if p.customerId == nil {
            bankName = p.payerName
            booksNames = [c.payerName, try c.customerId.flatMap { try names.name(of: $0) }].compactMap { $0 }
        } else {
            bankName = c.payerName
            booksNames = [p.payerName, try p.customerId.flatMap { try names.name(of: $0) }].compactMap { $0 }
        }
        guard let bankName else { return false }
        let bank = PayerName.normalise(bankName)
        guard !bank.isEmpty else { return false }
        return booksNames.contains { sameName(bank, PayerName.normalise($0)) }
    }

    /// Equal normalised names, or every word of the shorter one among the longer one's words
    /// ("DUPONT" and "ETABLISSEMENTS DUPONT").
    static func sameName(_ a: String, _ b: String) -> Bool {
        guard !a.isEmpty, !b.isEmpty else { return false }
        if a == b { return true }
        let wa = a.split(separator: " ")
        let wb = b.split(separator: " ")
        let (short, long) = wa.count <= wb.count ? (wa, Set(wb)) : (wb, Set(wa))
        return short.allSatisfy { long.contains($0) }
    }

    /// Drops the exact-reference pass's unconfirmed allocations of a payment the books letter.
    private static func releaseAutomaticAllocations(_ db: Database, paymentRef: String, journal: LinkJournal) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, a.amount, a.currency, a.rule, i.number
            FROM allocations a JOIN payments p ON p.id = a.payment_id JOIN documents i ON i.id = a.invoice_id
            WHERE p.payment_ref = ? AND a.confirmed_by IS NULL AND a.rule = ?
            ORDER BY a.id
            """, arguments: [paymentRef, AllocationRule.exactInvoiceNumber.rawValue])
        for r in rows {
            let id: Int64 = r[0]
            try db.execute(sql: "DELETE FROM allocations WHERE id = ?", arguments: [id])
            var detail = JSONText()
            detail.add("allocation_id", id)
            detail.add("invoice", r[4] as String)
            detail.add("payment_id", paymentRef)
            detail.add("amount", r[1] as Int64)
            detail.add("currency", r[2] as String)
            detail.add("rule", r[3] as String)
            detail.add("reason", "the books letter payment \(paymentRef): their lettering replaces the automatic allocation")
            try journal.append(kind: "allocation.released", subjectType: "allocation", subjectId: String(id), detail: detail.json)
        }
    }
}

/// Customer names for the payer comparison: the batch's own records first, then the store.
private struct CustomerNames {
    let lookup: RawStatement
    var cache: [String: String?] = [:]

    init(db: Database, batch: IngestBatch) throws {
        lookup = try RawStatement(db, "SELECT name FROM customers WHERE id = ?")
        for c in batch.customers where !c.name.isEmpty { cache[c.id] = c.name }
        for d in batch.documents { if let n = d.customerName, !n.isEmpty, cache[d.customerId] == nil { cache[d.customerId] = n } }
    }

    mutating func name(of id: String) throws -> String? {
        if let known = cache[id] { return known }
        lookup.bind(1, id)
        var name: String?
        if try lookup.query() {
            name = lookup.stringOrNil(0)
            lookup.finish()
        }
        cache[id] = name
        return name
    }
}
