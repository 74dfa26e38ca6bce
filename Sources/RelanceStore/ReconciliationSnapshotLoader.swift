import GRDB
import RelanceCore

/// Reads the reconciliation engine's inputs (`ReconciliationSnapshot`) inside the stage's
/// write transaction.
///
/// Why not one query per kind with sub-selects: at a million invoices the correlated sums
/// (`SELECT SUM(amount) FROM allocations WHERE payment_id = p.id` for each payment) and the two
/// payer-knowledge queries (an `EXISTS` on allocations whose `rule` and `confirmed_by` no index
/// covers) cost several seconds each. Here each table is read once, sequentially, in rowid
/// order: allocations, write-offs, reversals and decisions first, folded into totals and flags
/// per rowid (`RowidTable`), then documents and payments, whose open amounts, remainders and
/// knowledge are computed from those totals. The result is the same as the queries it replaces
/// (same rows, same order: SQLite's `BINARY` collation is a byte order, reproduced by
/// `ByteOrdered`).
struct ReconciliationSnapshotLoader {
    /// Database ids of what the snapshot names, to record the engine's decisions.
    struct Ids {
        /// Row ids of `snapshot.invoices`, by position.
        var invoiceRowids: [Int64] = []
        /// Position in `snapshot.invoices` by invoice number.
        var invoiceByNumber: [String: Int32] = [:]
        var creditNotes: [String: Int64] = [:]
        /// Row ids of `snapshot.payments`, by position.
        var paymentRowids: [Int64] = []
        /// Position in `snapshot.payments` by payment reference.
        var paymentByRef: [String: Int32] = [:]
    }

    /// Flags per payment, from its allocations, reversals and decisions.
    struct PaymentFlags: OptionSet {
        let rawValue: UInt8
        /// An allocation by another rule than the ingest's exact one, or confirmed by a person:
        /// the payment is out of reconciliation.
        static let settled = PaymentFlags(rawValue: 1)
        /// An allocation that teaches payer knowledge (confirmed, or not amount-only evidence).
        static let teaches = PaymentFlags(rawValue: 2)
        /// Refunded or ignored by a person.
        static let disposed = PaymentFlags(rawValue: 4)
        /// A reversal already applied to the payment it reverses.
        static let appliedReversal = PaymentFlags(rawValue: 8)
    }

    let db: Database
    let asOf: Int64

    init(db: Database, asOf: Day) {
        self.db = db
        self.asOf = Int64(asOf.ordinal)
    }

    func load() throws -> (snapshot: ReconciliationSnapshot, ids: Ids) {
        var ids = Ids()

        // Totals per document and per payment, one pass over each side table.
        var invoiceTaken = try RowidTable<Int64>(db, table: "documents", zero: 0)
        var creditNoteTaken: [Int64: Int64] = [:]
        var paymentTaken = try RowidTable<Int64>(db, table: "payments", zero: 0)
        var flags = try RowidTable<PaymentFlags>(db, table: "payments", zero: [])
        var reversed: [Int64: Int64] = [:]

        let exactRule = AllocationRule.exactInvoiceNumber.rawValue
        let allocations = try RawStatement(db, """
            SELECT invoice_id, payment_id, credit_note_id, amount, rule, confirmed_by IS NOT NULL FROM allocations
            """)
        var more = try allocations.query()
        while more {
            let amount = allocations.int64(3)
            try add(&invoiceTaken[allocations.int64(0)], amount)
            if let p = allocations.int64OrNil(1) {
                try add(&paymentTaken[p], amount)
                let confirmed = allocations.int64(5) != 0
                var f = flags[p]
                if confirmed || !allocations.text(4, equals: exactRule) { f.insert(.settled) }
                if confirmed || !(allocations.text(4, equals: Store.amountOnlyRules[0]) || allocations.text(4, equals: Store.amountOnlyRules[1])) {
                    f.insert(.teaches)
                }
                flags[p] = f
            }
            if let n = allocations.int64OrNil(2) { try add(&creditNoteTaken[n, default: 0], amount) }
            more = try allocations.next()
        }
        let writeoffs = try RawStatement(db, "SELECT invoice_id, amount FROM writeoffs")
        more = try writeoffs.query()
        while more {
            try add(&invoiceTaken[writeoffs.int64(0)], writeoffs.int64(1))
            more = try writeoffs.next()
        }
        let reversals = try RawStatement(db, "SELECT reversal_payment_id, reversed_payment_id, amount FROM payment_reversals")
        more = try reversals.query()
        while more {
            flags[reversals.int64(0)].insert(.appliedReversal)
            try add(&reversed[reversals.int64(1), default: 0], reversals.int64(2))
            more = try reversals.next()
        }
        let decisions = try RawStatement(db, "SELECT payment_id FROM payment_decisions WHERE decision IN ('refund', 'ignore')")
        more = try decisions.query()
        while more {
            flags[decisions.int64(0)].insert(.disposed)
            more = try decisions.next()
        }

        // Documents issued up to the as-of date, in rowid order.
        var invoices: [OpenInvoice] = []
        invoices.reserveCapacity(invoiceTaken.capacityHint)
        ids.invoiceRowids.reserveCapacity(invoiceTaken.capacityHint)
        ids.invoiceByNumber.reserveCapacity(invoiceTaken.capacityHint)
        struct NoteRow { var id: Int64; var number: String; var customer: String; var currency: Currency; var remainder: Int64; var issue: Day; var original: String? }
        var noteRows: [NoteRow] = []
        let docs = try RawStatement(db, """
            SELECT id, kind, number, customer_id, currency, amount, issue_date, due_date, payment_reference, original_invoice
            FROM documents WHERE issue_date <= ? ORDER BY id
            """)
        docs.bind(1, asOf)
        more = try docs.query()
        while more {
            let id = docs.int64(0)
            if docs.text(1, equals: "invoice") {
                if let currency = docs.currency(4) {
                    let number = docs.string(2)
                    let open = max(0, try subtract(docs.int64(5), invoiceTaken[id]))
                    ids.invoiceByNumber[number] = Int32(truncatingIfNeeded: invoices.count)
                    ids.invoiceRowids.append(id)
                    invoices.append(OpenInvoice(number: number, customerId: docs.string(3), currency: currency, openAmount: open,
                                                issueDate: Day(ordinal: Int32(truncatingIfNeeded: docs.int64(6))),
                                                dueDate: docs.int32OrNil(7).map(Day.init(ordinal:)), paymentReference: docs.stringOrNil(8)))
                }
            } else if docs.text(1, equals: "credit_note") {
                let remainder = try subtract(docs.int64(5), creditNoteTaken[id] ?? 0)
                if remainder > 0, let currency = docs.currency(4) {
                    noteRows.append(NoteRow(id: id, number: docs.string(2), customer: docs.string(3), currency: currency, remainder: remainder,
                                            issue: Day(ordinal: Int32(truncatingIfNeeded: docs.int64(6))), original: docs.stringOrNil(9)))
                }
            }
            more = try docs.next()
        }

        // Credit notes with a remainder: those naming an original invoice the store does not
        // hold are left out, and those whose original is still open wait for the exact rule.
        var creditNotes: [OpenCreditNote] = []
        let original = try RawStatement(db, "SELECT id, amount, issue_date, currency FROM documents WHERE number = ? AND kind = 'invoice'")
        for n in noteRows {
            if let o = n.original {
                original.bind(1, o)
                guard try original.query() else { continue }
                let inSnapshot = original.int64(2) <= asOf && original.currency(3) != nil
                let open = try subtract(original.int64(1), invoiceTaken[original.int64(0)])
                original.finish()
                let stillOpen = inSnapshot && open > 0
                if stillOpen { continue }
            }
            creditNotes.append(OpenCreditNote(number: n.number, customerId: n.customer, currency: n.currency, openAmount: n.remainder, issueDate: n.issue))
            ids.creditNotes[n.number] = n.id
        }

        var customers: [PayerCustomer] = []
        let cust = try RawStatement(db, "SELECT id, IFNULL(name, '') FROM customers ORDER BY id")
        more = try cust.query()
        while more {
            customers.append(PayerCustomer(id: cust.string(0), name: cust.string(1)))
            more = try cust.next()
        }

        // Payments: every one teaches (what earlier runs and people confirmed); those dated up
        // to the as-of date that nothing but the exact rule touched are the engine's.
        var ibanPairs: [(iban: String, customerId: String)] = []
        var namePairs: [(name: String, customerId: String)] = []
        var payments: [UnmatchedPayment] = []
        payments.reserveCapacity(paymentTaken.capacityHint)
        var paymentRowids: [Int64] = []
        paymentRowids.reserveCapacity(paymentTaken.capacityHint)
        var pendingReturns: [PendingReturn] = []
        let pay = try RawStatement(db, """
            SELECT id, date, amount, customer_id, payer_iban, payer_name, payment_ref, currency, reference, invoice_number,
                   structured_reference, end_to_end_id, reverses
            FROM payments ORDER BY id
            """)
        more = try pay.query()
        while more {
            let id = pay.int64(0)
            let f = flags[id]
            if f.contains(.teaches), !pay.isNull(3) {
                let customer = pay.string(3)
                if let iban = pay.stringOrNil(4), !iban.utf8.isEmpty { ibanPairs.append((iban, customer)) }
                if let name = pay.stringOrNil(5), !name.utf8.isEmpty { namePairs.append((name, customer)) }
            }
            if pay.int64(1) <= asOf && !f.contains(.settled) && !f.contains(.disposed), let currency = pay.currency(7) {
                let remainder = try subtract(try subtract(pay.int64(2), reversed[id] ?? 0), paymentTaken[id])
                let date = Day(ordinal: Int32(truncatingIfNeeded: pay.int64(1)))
                if remainder > 0 {
                    payments.append(UnmatchedPayment(paymentId: pay.string(6), customerId: pay.stringOrNil(3), date: date, remainingAmount: remainder,
                                                     currency: currency, reference: pay.stringOrNil(8), invoiceNumber: pay.stringOrNil(9),
                                                     structuredReference: pay.stringOrNil(10), endToEndId: pay.stringOrNil(11),
                                                     payerName: pay.stringOrNil(5), payerIban: pay.stringOrNil(4)))
                    paymentRowids.append(id)
                } else if remainder < 0 && !f.contains(.appliedReversal) {
                    let reverses = pay.stringOrNil(12)
                    pendingReturns.append(PendingReturn(
                        paymentId: pay.string(6), date: date, amount: remainder, currency: currency, payerName: pay.stringOrNil(5),
                        reference: pay.stringOrNil(8),
                        reason: reverses.map { "reverses \($0): no such payment in the store with that currency and at least this amount left" }
                            ?? "negative amount (a return or reversal) that names no payment it reverses"))
                }
            }
            more = try pay.next()
        }
        // By date, then reference in byte order (as `ORDER BY p.date, p.payment_ref`).
        let dates = payments.map(\.date)
        let refs = payments.map { ByteOrdered($0.paymentId) }
        let order = payments.indices.sorted { a, b in dates[a] != dates[b] ? dates[a] < dates[b] : refs[a] < refs[b] }
        payments = order.map { payments[$0] }
        ids.paymentRowids = order.map { paymentRowids[$0] }
        ids.paymentByRef.reserveCapacity(payments.count)
        for (k, p) in payments.enumerated() { ids.paymentByRef[p.paymentId] = Int32(truncatingIfNeeded: k) }
        pendingReturns.sort { a, b in a.date != b.date ? a.date < b.date : ByteOrdered(a.paymentId) < ByteOrdered(b.paymentId) }

        var knowledge = PayerKnowledge()
        knowledge.ibans = Self.distinctSorted(ibanPairs.map { ($0.iban, $0.customerId) }).map { (iban: $0.0, customerId: $0.1) }
        knowledge.names = Self.distinctSorted(namePairs.map { ($0.name, $0.customerId) }).map { (name: $0.0, customerId: $0.1) }

        let snapshot = ReconciliationSnapshot(invoices: invoices, creditNotes: creditNotes, customers: customers, knowledge: knowledge,
                                              payments: payments, pendingReturns: pendingReturns)
        return (snapshot, ids)
    }

    private func add(_ total: inout Int64, _ amount: Int64) throws {
        let (s, overflow) = total.addingReportingOverflow(amount)
        if overflow { throw StoreError.overflow("sum of allocations") }
        total = s
    }

    private func subtract(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (d, overflow) = a.subtractingReportingOverflow(b)
        if overflow { throw StoreError.overflow("open amount") }
        return d
    }

    /// `SELECT DISTINCT a, b … ORDER BY 1, 2` under the `BINARY` collation: sorted and
    /// deduplicated by bytes.
    static func distinctSorted(_ pairs: [(String, String)]) -> [(String, String)] {
        let first = pairs.map { ByteOrdered($0.0) }
        let second = pairs.map { ByteOrdered($0.1) }
        let order = pairs.indices.sorted { a, b in first[a] != first[b] ? first[a] < first[b] : second[a] < second[b] }
        var out: [(String, String)] = []
        out.reserveCapacity(order.count)
        var last = -1
        for i in order {
            if last >= 0 && first[last] == first[i] && second[last] == second[i] { continue }
            out.append(pairs[i])
            last = i
        }
        return out
    }
}

/// A `String` compared by its UTF-8 bytes, as SQLite's `BINARY` collation compares texts
/// (unsigned bytes, a prefix first). Swift's own `<` and `==` compare Unicode canonical
/// equivalents, which is the same thing for ASCII only. The first eight bytes, packed
/// big-endian, decide most comparisons without touching the text.
struct ByteOrdered: Comparable {
    let text: String
    let prefix: UInt64
    let isASCII: Bool

    init(_ text: String) {
        self.text = text
        var p: UInt64 = 0
        var n = 0
        var ascii = true
        for b in text.utf8 {
            if n < 8 { p |= UInt64(b) << (56 - 8 * UInt64(n)) }
            if b >= 0x80 { ascii = false }
            n += 1
        }
        prefix = p
        isASCII = ascii
    }

    static func == (l: ByteOrdered, r: ByteOrdered) -> Bool {
        guard l.prefix == r.prefix else { return false }
        if l.isASCII && r.isASCII { return l.text == r.text }
        return l.text.utf8.elementsEqual(r.text.utf8)
    }

    static func < (l: ByteOrdered, r: ByteOrdered) -> Bool {
        if l.prefix != r.prefix { return l.prefix < r.prefix }
        if l.isASCII && r.isASCII { return l.text < r.text }
        return l.text.utf8.lexicographicallyPrecedes(r.text.utf8)
    }
}

/// A value per SQLite rowid of one table, zero where nothing was recorded: an array indexed by
/// rowid when the rowids are dense (the usual case, rowids given in insertion order), else a
/// dictionary, so that a table with a few huge rowids does not allocate gigabytes.
struct RowidTable<Value> {
    private var dense: [Value] = []
    private var sparse: [Int64: Value] = [:]
    private let isDense: Bool
    private let zero: Value
    /// About how many rows the table holds, to reserve capacity for what is read from it.
    let capacityHint: Int

    init(_ db: Database, table: String, zero: Value) throws {
        let extent = try RawStatement(db, "SELECT IFNULL(MAX(id), 0), COUNT(*) FROM \(table)")
        _ = try extent.query()
        let maxRowid = extent.int64(0), count = extent.int64(1)
        extent.finish()
        self.zero = zero
        self.capacityHint = Int(clamping: count)
        isDense = maxRowid >= 0 && maxRowid <= 4 * count + 1024
        if isDense { dense = Array(repeating: zero, count: Int(maxRowid) + 1) }
    }

    subscript(_ rowid: Int64) -> Value {
        get {
            if isDense, rowid >= 0, rowid < dense.count { return dense[Int(rowid)] }
            return sparse[rowid] ?? zero
        }
        set {
            if isDense, rowid >= 0, rowid < dense.count { dense[Int(rowid)] = newValue } else { sparse[rowid] = newValue }
        }
    }
}
