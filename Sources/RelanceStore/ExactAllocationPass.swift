import Foundation
import GRDB
import RelanceCore

extension Store {
    /// The first, certain allocation rule, run after each ingest; idempotent and incremental.
    ///
    /// Every payment with an unallocated remainder that names invoices (its `invoice_number`
    /// field, else exact tokens of its reference text: `ExactReferenceAllocator`) pays them in
    /// order, up to their open amounts, in the same currency and for the same customer (a
    /// payment without customer takes the customer of the first invoice it names). Then every
    /// credit note naming its original invoice is set against it. Payments are taken by date,
    /// then id, so the result does not depend on the order files arrived in a run. Remainders
    /// stay as the customer's unapplied credit; reversals (negative payments) are not touched.
    /// A payment that names an invoice not yet known is retried by the next pass.
    public func applyExactAllocations(at timestamp: String) throws -> AllocationStats {
        try applyExactAllocations(at: timestamp, preload: nil)
    }

    /// `preload`: whether all invoices are read at once; nil lets the pass decide (tests
    /// force each lookup strategy on small data).
    func applyExactAllocations(at timestamp: String, preload: Bool?) throws -> AllocationStats {
        try writeWithCheckedReferences { db in
            let pass = try ExactAllocationPass(db: db, timestamp: timestamp, preload: preload, storePath: path)
            try pass.run()
            let stats = pass.stats
            if stats.total > 0 || stats.paymentsIdentified > 0 {
                var detail = JSONText()
                detail.add("from_payments", stats.fromPayments)
                detail.add("from_credit_notes", stats.fromCreditNotes)
                detail.add("payments_identified", stats.paymentsIdentified)
                var amounts = JSONText()
                for (currency, amount) in stats.amounts.sorted(by: { $0.key < $1.key }) { amounts.add(currency.code, amount) }
                detail.addRaw("amounts", amounts.json)
                try Self.insertEvent(db, at: timestamp, actor: "relance", kind: "allocation.pass", subjectType: nil,
                                     subjectId: nil, detail: detail.json, sourceFileId: nil)
            }
            return stats
        }
    }
}

/// One run of the exact allocation rule inside its write transaction.
///
/// Invoices are looked up by number through a cache that also tracks their open amount as the
/// pass allocates. A small pass (a few new payments) queries the number index per token; a
/// large one (the first load) reads all invoices once in one sequential scan rather than
/// running several point queries per payment. When the allocations table starts empty, its
/// indexes are dropped for the pass and rebuilt at the end (measured: rebuilding them once
/// costs about a third of maintaining them row by row).
final class ExactAllocationPass {
    private let db: Database
    private let timestamp: String
    private(set) var stats = AllocationStats()

    private struct Invoice {
        var id: Int64
        var customerId: String
        var currency: Currency
        var open: Int64
    }

    struct Candidate: Sendable {
        var id: Int64
        var customerId: String?
        var date: Int32
        var remainder: Int64
        var currency: Currency
        var invoiceNumber: String?
        var reference: String?
    }

    private var invoices: [Invoice] = []
    private var byNumber: [String: Int] = [:]
    private var notInvoices = Set<String>()
    /// True when every invoice is in `byNumber`: a miss needs no query.
    private var complete = false
    /// Byte lengths of the invoice numbers, once `complete`.
    private var lengths = InvoiceNumberLengths()
    /// True when the allocations table was empty at the start: nothing is allocated yet.
    private let startedEmpty: Bool

    private let lookup: RawStatement
    private let allocatedToInvoice: RawStatement
    private let insert: RawStatement
    private let setCustomer: RawStatement

    private let preload: Bool?
    /// The store's file, for a second (reading) connection; nil for an in-memory store.
    private let storePath: String?

    init(db: Database, timestamp: String, preload: Bool?, storePath: String?) throws {
        self.db = db
        self.timestamp = timestamp
        self.preload = preload
        self.storePath = storePath
        startedEmpty = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM allocations)") ?? true
        lookup = try RawStatement(db, "SELECT id, customer_id, currency, amount, kind FROM documents WHERE number = ?")
        allocatedToInvoice = try RawStatement(db, "SELECT IFNULL(SUM(amount), 0) FROM allocations WHERE invoice_id = ?")
        insert = try RawStatement(db, """
            INSERT INTO allocations (invoice_id, payment_id, credit_note_id, amount, currency, rule, evidence, confirmed_by,
                                     created_at, source_file_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL)
            """)
        setCustomer = try RawStatement(db, "UPDATE payments SET customer_id = ? WHERE id = ?")
    }

    func run() throws {
        let candidates = try loadCandidatesAndInvoices()
        let indexes = startedEmpty ? try SecondaryIndexes.drop(db, table: "allocations") : []
        try PhaseLog.measure("allocate payments") { try allocatePayments(candidates) }
        try PhaseLog.measure("allocate credit notes") { try allocateCreditNotes() }
        try PhaseLog.measure("allocation indexes") { try SecondaryIndexes.create(db, indexes) }
        for t in totals { stats.amounts[t.currency] = t.amount }
    }

    // MARK: Invoices by number

    /// The index in `invoices` of the invoice with this number, nil when no invoice has it.
    private func invoice(_ number: Substring) throws -> Int? {
        try invoice(key: String(number))
    }

    private func invoice(key: String) throws -> Int? {
        if let i = byNumber[key] { return i }
        if complete || notInvoices.contains(key) { return nil }
        lookup.bind(1, key)
        guard try lookup.query() else {
            notInvoices.insert(key)
            return nil
        }
        guard lookup.string(4) == DocumentKind.invoice.rawValue, let currency = lookup.currency(2) else {
            lookup.finish()
            notInvoices.insert(key)
            return nil
        }
        var inv = Invoice(id: lookup.int64(0), customerId: lookup.string(1), currency: currency, open: lookup.int64(3))
        lookup.finish()
        if !startedEmpty {
            allocatedToInvoice.bind(1, inv.id)
            if try allocatedToInvoice.query() {
                inv.open -= allocatedToInvoice.int64(0)
                allocatedToInvoice.finish()
            }
        }
        invoices.append(inv)
        byNumber[key] = invoices.count - 1
        return invoices.count - 1
    }

    /// Reads every invoice and its open amount once (documents in id order, merged with the
    /// allocation sums read in invoice id order through the covering index).
    private func preloadInvoices() throws {
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents WHERE kind = 'invoice'") ?? 0
        invoices.reserveCapacity(total)
        byNumber.reserveCapacity(total)
        let docs = try RawStatement(db, "SELECT id, number, customer_id, currency, amount FROM documents WHERE kind = 'invoice' ORDER BY id")
        let sums = try RawStatement(db, "SELECT invoice_id, SUM(amount) FROM allocations GROUP BY invoice_id ORDER BY invoice_id")
        var sumsLeft = try !startedEmpty && sums.query()
        var row = try docs.query()
        while row {
            if let currency = docs.currency(3) {
                let id = docs.int64(0)
                var open = docs.int64(4)
                while sumsLeft && sums.int64(0) < id { sumsLeft = try sums.next() }
                if sumsLeft && sums.int64(0) == id { open -= sums.int64(1) }
                invoices.append(Invoice(id: id, customerId: docs.string(2), currency: currency, open: open))
                byNumber[docs.string(1)] = invoices.count - 1
                docs.withText(1) { lengths.note($0) }
            }
            row = try docs.next()
        }
        if sumsLeft { sums.finish() }
        complete = true
        lengths.activate()
    }

    // MARK: Payments

    /// The candidate payments and, when the pass is large, every invoice.
    ///
    /// A large pass (the first load: most invoices are named) reads both tables whole. On a
    /// file store the payments are then read on a second thread through a second, read-only
    /// connection while this one reads the invoices: nothing is written yet in this
    /// transaction, so that connection's snapshot (the last commit) is exactly what this one
    /// sees, and the two scans take one core each.
    private func loadCandidatesAndInvoices() throws -> [Candidate] {
        let invoiceCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents") ?? 0
        let payments = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payments") ?? 0
        let large = preload ?? (payments > 50_000 && payments * 8 > invoiceCount)
        guard large, let storePath else {
            let candidates = try PhaseLog.measure("load candidate payments") {
                try Self.loadCandidatePayments(db, startedEmpty: startedEmpty)
            }
            if large { try PhaseLog.measure("preload invoices") { try preloadInvoices() } }
            return candidates
        }
        let reading = SecondConnectionRead(storePath: storePath, label: "load candidate payments") { [startedEmpty] db in
            try ExactAllocationPass.loadCandidatePayments(db, startedEmpty: startedEmpty)
        }
        try PhaseLog.measure("preload invoices") { try preloadInvoices() }
        return try PhaseLog.measure("wait for candidate payments") { try reading.wait() }
    }

    static func loadCandidatePayments(_ db: Database, startedEmpty: Bool) throws -> [Candidate] {
        let remainder = startedEmpty
            ? "p.amount"
            : "p.amount - IFNULL((SELECT SUM(a.amount) FROM allocations a WHERE a.payment_id = p.id), 0)"
        let query = try RawStatement(db, """
            SELECT p.id, p.customer_id, p.date, \(remainder), p.currency, p.invoice_number, p.reference
            FROM payments p
            WHERE p.amount > 0 AND (p.invoice_number IS NOT NULL OR p.reference IS NOT NULL)
            """)
        var out: [Candidate] = []
        var row = try query.query()
        while row {
            let left = query.int64(3)
            if left > 0, let currency = query.currency(4) {
                out.append(Candidate(id: query.int64(0), customerId: query.stringOrNil(1),
                                     date: Int32(truncatingIfNeeded: query.int64(2)), remainder: left, currency: currency,
                                     invoiceNumber: query.stringOrNil(5), reference: query.stringOrNil(6)))
            }
            row = try query.next()
        }
        // By date, then id. Payments usually arrive in date order: check before sorting.
        let ordered = out.indices.dropFirst().allSatisfy {
            (out[$0 - 1].date, out[$0 - 1].id) < (out[$0].date, out[$0].id)
        }
        if !ordered {
            let keys = out.indices.map { (date: out[$0].date, id: out[$0].id, index: $0) }
                .sorted { ($0.date, $0.id) < ($1.date, $1.id) }
            out = keys.map { out[$0.index] }
        }
        return out
    }

    /// Core's `ExactReferenceAllocator.namedInvoices`, resolved to invoice indexes. Core works
    /// on Characters, whose grapheme breaking costs microseconds per reference; when every
    /// scalar of the text is below U+0300 (ASCII and the Latin letters of French names: É, Ê,
    /// Œ…) the same answer is computed on UTF-8 bytes (`ReferenceTokens`). Below U+0300 no
    /// scalar extends or prepends to a neighbour, so each Character is one scalar (CR LF
    /// aside, which is no separator), and the only separators are the ASCII ones and NBSP
    /// (U+037E, which Swift deems equal to `;`, is above the bound). Anything else goes
    /// through Core. Returns whether the invoice_number field named them.
    private func namedInvoices(invoiceNumber: String?, reference: String?,
                               into out: inout [(index: Int?, number: String)]) throws -> Bool {
        out.removeAll(keepingCapacity: true)
        if let field = invoiceNumber, !field.isEmpty {
            let bytes = field.utf8
            let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A || $0 >= 0x80 }
            var number = field
            if let first = bytes.first, let last = bytes.last, blank(first) || blank(last) {
                number = field.trimmingBlanks()
            }
            if !number.isEmpty {
                out.append((try invoice(key: number), number))
                return true
            }
        }
        guard var reference else { return false }
        var lookupError: Error?
        let handled = reference.withUTF8 { bytes -> Bool in
            ReferenceTokens.forEach(in: bytes) { token, ascii in
                guard lookupError == nil, ascii ? lengths.mayHold(token.count) : true else { return }
                let text = String(decoding: token, as: UTF8.self)
                do {
                    guard let index = try invoice(key: text) else { return }
                    // Seen already: the same invoice named twice (Core drops the repeat).
                    if out.contains(where: { $0.index == index }) { return }
                    out.append((index, text))
                } catch {
                    lookupError = error
                }
            }
        }
        if let lookupError { throw lookupError }
        if handled { return false }
        out.removeAll(keepingCapacity: true)
        let named = ExactReferenceAllocator.namedInvoices(invoiceNumber: nil, reference: reference) { token in
            do { return try self.invoice(token) != nil } catch { lookupError = error; return false }
        }
        if let lookupError { throw lookupError }
        for number in named { out.append((try invoice(key: number), number)) }
        return false
    }

    private func allocatePayments(_ candidates: [Candidate]) throws {
        var opens: [Int64] = []
        var targets: [Int] = []
        var targetNumbers: [String] = []
        var named: [(index: Int?, number: String)] = []
        for c in candidates.indices {
            let fromField = try namedInvoices(invoiceNumber: candidates[c].invoiceNumber, reference: candidates[c].reference,
                                              into: &named)
            let p = (id: candidates[c].id, customerId: candidates[c].customerId, remainder: candidates[c].remainder,
                     currency: candidates[c].currency)
            guard !named.isEmpty else { continue }
            var customer = p.customerId
            opens.removeAll(keepingCapacity: true)
            targets.removeAll(keepingCapacity: true)
            targetNumbers.removeAll(keepingCapacity: true)
            for (index, number) in named {
                guard let i = index else { continue }
                let inv = invoices[i]
                guard inv.currency == p.currency, inv.open > 0 else { continue }
                if let c = customer {
                    guard c == inv.customerId else { continue }
                } else {
                    customer = inv.customerId
                }
                opens.append(inv.open)
                targets.append(i)
                targetNumbers.append(number)
            }
            guard !targets.isEmpty else { continue }
            let takes = ExactReferenceAllocator.spread(p.remainder, over: opens)
            var allocated = false
            for (k, take) in takes.enumerated() where take > 0 {
                let i = targets[k]
                insert.bind(1, invoices[i].id)
                insert.bind(2, p.id)
                insert.bindNull(3)
                insert.bind(4, take)
                insert.bind(5, p.currency)
                insert.bind(6, AllocationRule.exactInvoiceNumber.rawValue)
                if fromField {
                    insert.bind(7, "payment invoice_number field: ", targetNumbers[k])
                } else {
                    insert.bind(7, "payment reference text token: ", targetNumbers[k])
                }
                insert.bind(8, timestamp)
                try insert.execute()
                invoices[i].open -= take
                stats.fromPayments += 1
                try add(take, p.currency)
                allocated = true
            }
            if allocated && p.customerId == nil, let customer {
                setCustomer.bind(1, customer)
                setCustomer.bind(2, p.id)
                try setCustomer.execute()
                stats.paymentsIdentified += 1
            }
        }
    }

    /// Totals per currency, in a short list (a pass sees one or two currencies): cheaper than
    /// a dictionary update per allocation. Folded into `stats.amounts` at the end.
    private var totals: [(currency: Currency, amount: Int64)] = []

    private func add(_ amount: Int64, _ currency: Currency) throws {
        for k in totals.indices where totals[k].currency == currency {
            let (sum, overflow) = totals[k].amount.addingReportingOverflow(amount)
            if overflow { throw StoreError.overflow("allocated amounts in \(currency)") }
            totals[k].amount = sum
            return
        }
        totals.append((currency, amount))
    }

    // MARK: Credit notes

    private func allocateCreditNotes() throws {
        let remainder = startedEmpty
            ? "d.amount"
            : "d.amount - IFNULL((SELECT SUM(a.amount) FROM allocations a WHERE a.credit_note_id = d.id), 0)"
        // Credit notes allocated earlier in this pass: none (payments only create payment rows).
        let query = try RawStatement(db, """
            SELECT d.id, d.customer_id, d.currency, \(remainder), d.original_invoice, d.number
            FROM documents d
            WHERE d.kind = 'credit_note' AND d.original_invoice IS NOT NULL
            ORDER BY d.issue_date, d.id
            """)
        struct Note { var id: Int64; var customerId: String; var currency: Currency; var remainder: Int64; var original: String }
        var notes: [Note] = []
        var row = try query.query()
        while row {
            if query.int64(3) > 0, let currency = query.currency(2) {
                notes.append(Note(id: query.int64(0), customerId: query.string(1), currency: currency,
                                  remainder: query.int64(3), original: query.string(4)))
            }
            row = try query.next()
        }
        for note in notes {
            guard let i = try invoice(key: note.original) else { continue }
            let inv = invoices[i]
            guard inv.currency == note.currency, inv.customerId == note.customerId, inv.open > 0 else { continue }
            let take = min(inv.open, note.remainder)
            insert.bind(1, inv.id)
            insert.bindNull(2)
            insert.bind(3, note.id)
            insert.bind(4, take)
            insert.bind(5, note.currency)
            insert.bind(6, AllocationRule.creditNoteOriginal.rawValue)
            insert.bind(7, "credit note original_invoice field: ", note.original)
            insert.bind(8, timestamp)
            try insert.execute()
            invoices[i].open -= take
            stats.fromCreditNotes += 1
            try add(take, note.currency)
        }
    }
}
