import GRDB
import RelanceCore

extension Store {
    /// The aged balance ("balance âgée") as of a day, one row per customer and currency.
    ///
    /// Open invoices (amount minus everything allocated to them, when > 0) go to the bucket of
    /// their due date (the issue date when a source gave none and none was derived yet), and to
    /// the disputed or litigation column by their collection status. The unapplied credit is
    /// what remains of the customer's payments and credit notes; a reversal's negative remainder
    /// lowers it, so a returned payment shows as owed again. Payments with no customer are not
    /// in the balance (see `unidentifiedPayments()`). Rows are those of Core's
    /// `AgedBalanceBuilder`, in its order (customer id bytewise, then currency code).
    ///
    /// One sequential pass per table: documents and payments are read in id order and merged
    /// with the allocation sums read in the same order from the covering indexes, so no
    /// per-row query runs; each row's customer id is matched on its bytes (`CustomerSlots`)
    /// and summed into integer-keyed cells (`AgedBalanceCells`).
    public func agedBalance(asOf: Day) throws -> [AgedBalanceRow] {
        try queue.read { db in
            var customers = CustomerSlots()
            var cells = AgedBalanceCells(asOf: asOf)
            do {
                try scan(db, into: &cells, customers: &customers)
            } catch let overflow as AgedBalanceCells.Overflow {
                throw StoreError.overflow("\(overflow.what) of customer \(customers.ids[overflow.customer]) in \(overflow.currency)")
            }

            // Names (the id stands in for a missing one), looked up as before by `String`.
            var named: [String: String] = [:]
            let customerRows = try RawStatement(db, "SELECT id, name FROM customers WHERE name IS NOT NULL AND name <> ''")
            var more = try customerRows.query()
            while more {
                named[customerRows.string(0)] = customerRows.string(1)
                more = try customerRows.next()
            }
            let names = customers.ids.map { named[$0] ?? $0 }
            return try cells.rows(ids: customers.ids, names: names, canonical: customers.canonicalSlots())
        }
    }
    /// Sums every open invoice and every unapplied credit into `cells`.
    private func scan(_ db: Database, into cells: inout AgedBalanceCells, customers: inout CustomerSlots) throws {
        // Documents, merged with allocation sums per invoice and per credit note, and with the
        // write-offs per invoice (a written-off remainder is no longer owed).
        let documents = try RawStatement(db, """
            SELECT id, kind, currency, amount, IFNULL(due_date, issue_date), collection_status, customer_id
            FROM documents ORDER BY id
            """)
        let toInvoices = try RawStatement(db, "SELECT invoice_id, SUM(amount) FROM allocations GROUP BY invoice_id ORDER BY invoice_id")
        let fromCreditNotes = try RawStatement(db, """
            SELECT credit_note_id, SUM(amount) FROM allocations WHERE credit_note_id IS NOT NULL
            GROUP BY credit_note_id ORDER BY credit_note_id
            """)
        let writtenOff = try RawStatement(db, "SELECT invoice_id, SUM(amount) FROM writeoffs GROUP BY invoice_id ORDER BY invoice_id")
        var writeOffSums = try writtenOff.query()
        var invoiceSums = try toInvoices.query()
        var creditSums = try fromCreditNotes.query()
        var row = try documents.query()
        while row {
            let id = documents.int64(0)
            let isInvoice = documents.text(1, equals: "invoice")
            var open = documents.int64(3)
            if isInvoice {
                while invoiceSums && toInvoices.int64(0) < id { invoiceSums = try toInvoices.next() }
                if invoiceSums && toInvoices.int64(0) == id { open -= toInvoices.int64(1) }
                while writeOffSums && writtenOff.int64(0) < id { writeOffSums = try writtenOff.next() }
                if writeOffSums && writtenOff.int64(0) == id { open -= writtenOff.int64(1) }
                if open > 0, let currency = documents.currency(2) {
                    let customer = documents.withText(6) { customers.slot($0) }
                    let status = CollectionStatus(rawValue: UInt8(truncatingIfNeeded: documents.int64(5))) ?? .normal
                    try cells.addOpenInvoice(customer: customer, currency: currency,
                                             dueDate: Day(ordinal: Int32(truncatingIfNeeded: documents.int64(4))),
                                             open: open, status: status)
                }
            } else {
                while creditSums && fromCreditNotes.int64(0) < id { creditSums = try fromCreditNotes.next() }
                if creditSums && fromCreditNotes.int64(0) == id { open -= fromCreditNotes.int64(1) }
                if open != 0, let currency = documents.currency(2) {
                    let customer = documents.withText(6) { customers.slot($0) }
                    try cells.addCredit(customer: customer, currency: currency, amount: open)
                }
            }
            row = try documents.next()
        }
        if invoiceSums { toInvoices.finish() }
        if creditSums { fromCreditNotes.finish() }

        // Payments of known customers, merged with allocation sums per payment.
        let payments = try RawStatement(db, "SELECT id, amount, currency, customer_id FROM payments WHERE customer_id IS NOT NULL ORDER BY id")
        let fromPayments = try RawStatement(db, """
            SELECT payment_id, SUM(amount) FROM allocations WHERE payment_id IS NOT NULL
            GROUP BY payment_id ORDER BY payment_id
            """)
        var paymentSums = try fromPayments.query()
        row = try payments.query()
        while row {
            let id = payments.int64(0)
            var left = payments.int64(1)
            while paymentSums && fromPayments.int64(0) < id { paymentSums = try fromPayments.next() }
            if paymentSums && fromPayments.int64(0) == id { left -= fromPayments.int64(1) }
            if left != 0, let currency = payments.currency(2) {
                let customer = payments.withText(3) { customers.slot($0) }
                try cells.addCredit(customer: customer, currency: currency, amount: left)
            }
            row = try payments.next()
        }
        if paymentSums { fromPayments.finish() }
    }
}

/// The aged balance's sums per customer slot and currency: six buckets, disputed,
/// litigation and unapplied credit, in one flat array, with the same checked arithmetic and
/// the same rows as Core's `AgedBalanceBuilder`, which copies a row (and its bucket array)
/// per call and sorts by building byte arrays per comparison.
struct AgedBalanceCells {
    private static let buckets = AgeBucket.allCases.count
    private static let disputed = buckets
    private static let litigation = buckets + 1
    private static let credit = buckets + 2
    private static let width = buckets + 3

    let asOf: Day
    /// (slot << 32 | packed currency) → cell index.
    private var index: [UInt64: Int] = [:]
    private var keys: [(customer: Int, currency: Currency)] = []
    private var sums: [Int64] = []
    private var lastKey: UInt64 = .max
    private var lastCell = 0

    init(asOf: Day) { self.asOf = asOf }

    private mutating func cell(_ customer: Int, _ currency: Currency) -> Int {
        let key = UInt64(customer) << 32 | UInt64(currency.packed)
        if key == lastKey { return lastCell }
        let c: Int
        if let found = index[key] {
            c = found
        } else {
            c = keys.count
            index[key] = c
            keys.append((customer, currency))
            sums.append(contentsOf: repeatElement(0, count: Self.width))
        }
        lastKey = key
        lastCell = c
        return c
    }

    /// A sum that no longer fits in Int64; the caller names the customer.
    struct Overflow: Error {
        var what: String
        var customer: Int
        var currency: Currency
    }

    private mutating func add(_ i: Int, _ amount: Int64, _ what: String, _ key: (customer: Int, currency: Currency)) throws {
        let (sum, overflow) = sums[i].addingReportingOverflow(amount)
        if overflow { throw Overflow(what: what, customer: key.customer, currency: key.currency) }
        sums[i] = sum
    }

    mutating func addOpenInvoice(customer: Int, currency: Currency, dueDate: Day, open: Int64, status: CollectionStatus) throws {
        let base = cell(customer, currency) * Self.width
        let bucket = AgeBucket.of(daysPastDue: dueDate.distance(to: asOf)).rawValue
        try add(base + bucket, open, "open invoices", (customer, currency))
        switch status {
        case .normal: break
        case .disputed: try add(base + Self.disputed, open, "disputed invoices", (customer, currency))
        case .litigation: try add(base + Self.litigation, open, "invoices in litigation", (customer, currency))
        }
    }

    mutating func addCredit(customer: Int, currency: Currency, amount: Int64) throws {
        let base = cell(customer, currency) * Self.width
        try add(base + Self.credit, amount, "unapplied credit", (customer, currency))
    }

    /// The rows with any non-zero column, by customer id bytes then currency code. Cells of
    /// slots that `canonical` maps to an earlier slot are added into that slot's row.
    func rows(ids: [String], names: [String], canonical: [Int]) throws -> [AgedBalanceRow] {
        var out: [AgedBalanceRow] = []
        out.reserveCapacity(keys.count)
        var merged: [UInt64: Int] = [:]
        for (c, key) in keys.enumerated() {
            let slot = canonical[key.customer]
            let base = c * Self.width
            let merge = UInt64(slot) << 32 | UInt64(key.currency.packed)
            let at: Int
            if let existing = merged[merge] {
                at = existing
            } else {
                at = out.count
                merged[merge] = at
                out.append(AgedBalanceRow(customerId: ids[slot], customerName: names[slot], currency: key.currency))
            }
            func sum(_ a: Int64, _ b: Int64) throws -> Int64 {
                let (s, o) = a.addingReportingOverflow(b)
                if o { throw StoreError.overflow("aged balance of customer \(ids[slot]) in \(key.currency)") }
                return s
            }
            for b in 0..<Self.buckets { out[at].buckets[b] = try sum(out[at].buckets[b], sums[base + b]) }
            out[at].disputed = try sum(out[at].disputed, sums[base + Self.disputed])
            out[at].litigation = try sum(out[at].litigation, sums[base + Self.litigation])
            out[at].unappliedCredit = try sum(out[at].unappliedCredit, sums[base + Self.credit])
        }
        out.removeAll { $0.isZero }
        out.sort {
            if $0.customerId != $1.customerId { return $0.customerId.utf8.lexicographicallyPrecedes($1.customerId.utf8) }
            return $0.currency.packed < $1.currency.packed
        }
        return out
    }
}
