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
/// `ByteSortKey`).
///
/// The documents' side and the payments' side need nothing from each other: with `storePath`
/// (a file store, nothing written yet in the transaction) the payments' side is read on a
/// second connection and thread (`SecondConnectionRead`) while this one reads the documents.
struct ReconciliationSnapshotLoader {
    /// Database ids of what the snapshot names, to record the engine's decisions.
    struct Ids {
        /// Row ids of `snapshot.invoices`, by position.
        var invoiceRowids: [Int64] = []
        var creditNotes: [String: Int64] = [:]
        /// Row ids of `snapshot.payments`, by position.
        var paymentRowids: [Int64] = []
        /// Rows of `allocations` when the snapshot was read.
        var allocationRows = 0
    }

    /// Flags per payment, from its allocations, reversals and decisions.
    struct PaymentFlags: OptionSet {
        let rawValue: UInt8
        /// An allocation by another rule than the ingest's exact one, or confirmed by a person:
        /// the payment is out of reconciliation.
        static let settled = PaymentFlags(rawValue: 1)
        /// Refunded or ignored by a person.
        static let disposed = PaymentFlags(rawValue: 4)
        /// A reversal already applied to the payment it reverses.
        static let appliedReversal = PaymentFlags(rawValue: 8)
    }

    let db: Database
    let asOf: Int64
    /// The store file, when the payments may be read on a second connection (see above).
    let storePath: String?
    /// Below this many payment rowids a second connection costs more than it saves.
    let secondConnectionFrom: Int64

    init(db: Database, asOf: Day, storePath: String? = nil, secondConnectionFrom: Int64 = 20_000) {
        self.db = db
        self.asOf = Int64(asOf.ordinal)
        self.storePath = storePath
        self.secondConnectionFrom = secondConnectionFrom
    }

    func load() throws -> (snapshot: ReconciliationSnapshot, ids: Ids) {
        let asOf = self.asOf
        var paymentsRead: SecondConnectionRead<PaymentSide>?
        if let storePath, try (Int64.fetchOne(db, sql: "SELECT IFNULL(MAX(id), 0) FROM payments") ?? 0) >= secondConnectionFrom {
            paymentsRead = SecondConnectionRead(storePath: storePath, label: "reconciliation payments") { db in
                try PaymentSide(db, asOf: asOf)
            }
        }
        let documents = try PhaseLog.measure("reconciliation documents") { try DocumentSide(db, asOf: asOf) }
        let payments = try paymentsRead?.wait() ?? PhaseLog.measure("reconciliation payments") { try PaymentSide(db, asOf: asOf) }
        let ids = Ids(invoiceRowids: documents.invoiceRowids, creditNotes: documents.creditNoteIds, paymentRowids: payments.rowids,
                      allocationRows: documents.allocationRows)
        let snapshot = ReconciliationSnapshot(invoices: documents.invoices, creditNotes: documents.creditNotes, customers: documents.customers,
                                              knowledge: documents.knowledge, payments: payments.payments, pendingReturns: payments.pendingReturns)
        return (snapshot, ids)
    }

    /// Invoices, free credit notes, customers and payer knowledge.
    struct DocumentSide {
        var invoices: [OpenInvoice] = []
        var invoiceRowids: [Int64] = []
        var creditNotes: [OpenCreditNote] = []
        var creditNoteIds: [String: Int64] = [:]
        var customers: [PayerCustomer] = []
        var knowledge = PayerKnowledge()
        var allocationRows = 0

        init(_ db: Database, asOf: Int64) throws {
            // What was allocated and written off per document, one pass over each side table.
            var invoiceTaken = try RowidTable<Int64>(db, table: "documents", zero: 0)
            var creditNoteTaken: [Int64: Int64] = [:]
            // Payments whose allocations teach payer knowledge (confirmed, or not amount-only evidence).
            var teaches = try RowidTable<Bool>(db, table: "payments", zero: false)
            let allocations = try RawStatement(db, """
                SELECT invoice_id, credit_note_id, amount, payment_id, rule, confirmed_by IS NOT NULL FROM allocations
                """)
            var more = try allocations.query()
            while more {
                allocationRows += 1
                let amount = allocations.int64(2)
                try add(&invoiceTaken[allocations.int64(0)], amount)
                if let n = allocations.int64OrNil(1) { try add(&creditNoteTaken[n, default: 0], amount) }
                if let p = allocations.int64OrNil(3), !teaches[p],
                   allocations.int64(5) != 0 || !(allocations.text(4, equals: Store.amountOnlyRules[0]) || allocations.text(4, equals: Store.amountOnlyRules[1])) {
                    teaches[p] = true
                }
                more = try allocations.next()
            }
            let writeoffs = try RawStatement(db, "SELECT invoice_id, amount FROM writeoffs")
            more = try writeoffs.query()
            while more {
                try add(&invoiceTaken[writeoffs.int64(0)], writeoffs.int64(1))
                more = try writeoffs.next()
            }

            // Documents issued up to the as-of date, in rowid order.
            invoices.reserveCapacity(invoiceTaken.capacityHint)
            invoiceRowids.reserveCapacity(invoiceTaken.capacityHint)
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
                        let open = max(0, try subtract(docs.int64(5), invoiceTaken[id]))
                        invoiceRowids.append(id)
                        invoices.append(OpenInvoice(number: docs.string(2), customerId: docs.string(3), currency: currency, openAmount: open,
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
                creditNoteIds[n.number] = n.id
            }

            let cust = try RawStatement(db, "SELECT id, IFNULL(name, '') FROM customers ORDER BY id")
            more = try cust.query()
            while more {
                customers.append(PayerCustomer(id: cust.string(0), name: cust.string(1)))
                more = try cust.next()
            }

            // Payer knowledge: the IBANs and names of every payment whose allocations teach.
            // Read here rather than with the payments: this side has the lighter load.
            let learning = PhaseLog.start("reconciliation payer knowledge")
            var ibanPairs: [(String, String)] = []
            var namePairs: [(String, String)] = []
            let payers = try RawStatement(db, "SELECT id, customer_id, payer_iban, payer_name FROM payments WHERE customer_id IS NOT NULL")
            more = try payers.query()
            while more {
                if teaches[payers.int64(0)] {
                    let customer = payers.string(1)
                    if let iban = payers.stringOrNil(2), !iban.utf8.isEmpty { ibanPairs.append((iban, customer)) }
                    if let name = payers.stringOrNil(3), !name.utf8.isEmpty { namePairs.append((name, customer)) }
                }
                more = try payers.next()
            }
            knowledge.ibans = ReconciliationSnapshotLoader.distinctSorted(ibanPairs).map { (iban: $0.0, customerId: $0.1) }
            knowledge.names = ReconciliationSnapshotLoader.distinctSorted(namePairs).map { (name: $0.0, customerId: $0.1) }
            learning.end()
        }
    }

    /// Payments left to reconcile, and returns that could not be applied.
    struct PaymentSide {
        var payments: [UnmatchedPayment] = []
        var rowids: [Int64] = []
        var pendingReturns: [PendingReturn] = []

        init(_ db: Database, asOf: Int64) throws {
            // What was allocated and reversed per payment, and how.
            var paymentTaken = try RowidTable<Int64>(db, table: "payments", zero: 0)
            var flags = try RowidTable<PaymentFlags>(db, table: "payments", zero: [])
            var reversed: [Int64: Int64] = [:]
            let exactRule = AllocationRule.exactInvoiceNumber.rawValue
            let allocations = try RawStatement(db, """
                SELECT payment_id, amount, rule, confirmed_by IS NOT NULL FROM allocations WHERE payment_id IS NOT NULL
                """)
            var more = try allocations.query()
            while more {
                let p = allocations.int64(0)
                try add(&paymentTaken[p], allocations.int64(1))
                let confirmed = allocations.int64(3) != 0
                var f = flags[p]
                if confirmed || !allocations.text(2, equals: exactRule) { f.insert(.settled) }
                flags[p] = f
                more = try allocations.next()
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

            let rowsRead = PhaseLog.start("reconciliation payment rows")
            // Those dated up to the as-of date that nothing but the exact rule touched are the engine's.
            var unordered: [UnmatchedPayment] = []
            unordered.reserveCapacity(paymentTaken.capacityHint)
            var unorderedRowids: [Int64] = []
            unorderedRowids.reserveCapacity(paymentTaken.capacityHint)
            let pay = try RawStatement(db, """
                SELECT id, date, amount, customer_id, payer_iban, payer_name, payment_ref, currency, reference, invoice_number,
                       structured_reference, end_to_end_id, reverses
                FROM payments ORDER BY id
                """)
            more = try pay.query()
            while more {
                let id = pay.int64(0)
                let f = flags[id]
                if pay.int64(1) <= asOf && !f.contains(.settled) && !f.contains(.disposed), let currency = pay.currency(7) {
                    let remainder = try subtract(try subtract(pay.int64(2), reversed[id] ?? 0), paymentTaken[id])
                    let date = Day(ordinal: Int32(truncatingIfNeeded: pay.int64(1)))
                    if remainder > 0 {
                        unordered.append(UnmatchedPayment(paymentId: pay.string(6), customerId: pay.stringOrNil(3), date: date, remainingAmount: remainder,
                                                          currency: currency, reference: pay.stringOrNil(8), invoiceNumber: pay.stringOrNil(9),
                                                          structuredReference: pay.stringOrNil(10), endToEndId: pay.stringOrNil(11),
                                                          payerName: pay.stringOrNil(5), payerIban: pay.stringOrNil(4)))
                        unorderedRowids.append(id)
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
            rowsRead.end()
            // By date, then reference in byte order (as `ORDER BY p.date, p.payment_ref`).
            let sorting = PhaseLog.start("reconciliation payments sorted")
            let order = ByteSortKey.order(unordered.map { (Int64($0.date.ordinal), $0.paymentId) })
            payments = order.map { unordered[$0] }
            rowids = order.map { unorderedRowids[$0] }
            pendingReturns = ByteSortKey.order(pendingReturns.map { (Int64($0.date.ordinal), $0.paymentId) }).map { pendingReturns[$0] }
            sorting.end()
        }
    }

    /// `SELECT DISTINCT a, b … ORDER BY 1, 2` under the `BINARY` collation: sorted and
    /// deduplicated by bytes.
    static func distinctSorted(_ pairs: [(String, String)]) -> [(String, String)] {
        let keys = pairs.map { (ByteSortKey($0.0), ByteSortKey($0.1)) }
        func compare(_ a: Int, _ b: Int) -> Int {
            let first = ByteSortKey.compare(keys[a].0, keys[b].0, pairs[a].0, pairs[b].0)
            return first != 0 ? first : ByteSortKey.compare(keys[a].1, keys[b].1, pairs[a].1, pairs[b].1)
        }
        let order = pairs.indices.sorted { compare($0, $1) < 0 }
        var out: [(String, String)] = []
        out.reserveCapacity(order.count)
        var last = -1
        for i in order {
            if last >= 0 && compare(last, i) == 0 { continue }
            out.append(pairs[i])
            last = i
        }
        return out
    }
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
