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
    /// in the balance (see `unidentifiedPayments()`).
    ///
    /// One sequential pass per table: documents and payments are read in id order and merged
    /// with the allocation sums read in the same order from the covering indexes, so no
    /// per-row query runs.
    public func agedBalance(asOf: Day) throws -> [AgedBalanceRow] {
        try queue.read { db in
            var names: [String: String] = [:]
            let customerRows = try RawStatement(db, "SELECT id, name FROM customers WHERE name IS NOT NULL AND name <> ''")
            var more = try customerRows.query()
            while more {
                names[customerRows.string(0)] = customerRows.string(1)
                more = try customerRows.next()
            }
            var builder = AgedBalanceBuilder(asOf: asOf)
            var lastCustomer = ""
            var lastName = ""
            func name(_ id: String) -> String {
                if id != lastCustomer {
                    lastCustomer = id
                    lastName = names[id] ?? id
                }
                return lastName
            }
            struct Key: Hashable { var customer: String; var currency: Currency }
            var credits: [Key: Int64] = [:]
            func credit(_ customer: String, _ currency: Currency, _ amount: Int64) throws {
                let key = Key(customer: customer, currency: currency)
                let (sum, overflow) = credits[key, default: 0].addingReportingOverflow(amount)
                if overflow { throw StoreError.overflow("unapplied credit of customer \(customer) in \(currency)") }
                credits[key] = sum
            }

            // Documents, merged with allocation sums per invoice and per credit note.
            let documents = try RawStatement(db, """
                SELECT id, kind, currency, amount, IFNULL(due_date, issue_date), collection_status, customer_id
                FROM documents ORDER BY id
                """)
            let toInvoices = try RawStatement(db, "SELECT invoice_id, SUM(amount) FROM allocations GROUP BY invoice_id ORDER BY invoice_id")
            let fromCreditNotes = try RawStatement(db, """
                SELECT credit_note_id, SUM(amount) FROM allocations WHERE credit_note_id IS NOT NULL
                GROUP BY credit_note_id ORDER BY credit_note_id
                """)
            var cells = OpenInvoiceCells(asOf: asOf)
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
                    if open > 0, let currency = documents.currency(2) {
                        let status = CollectionStatus(rawValue: UInt8(truncatingIfNeeded: documents.int64(5))) ?? .normal
                        try cells.add(customer: documents.string(6), currency: currency,
                                      dueDate: Day(ordinal: Int32(truncatingIfNeeded: documents.int64(4))),
                                      open: open, status: status)
                    }
                } else {
                    while creditSums && fromCreditNotes.int64(0) < id { creditSums = try fromCreditNotes.next() }
                    if creditSums && fromCreditNotes.int64(0) == id { open -= fromCreditNotes.int64(1) }
                    if open != 0, let currency = documents.currency(2) {
                        try credit(documents.string(6), currency, open)
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
                    try credit(payments.string(3), currency, left)
                }
                row = try payments.next()
            }
            if paymentSums { fromPayments.finish() }

            try cells.feed(&builder, name: name)
            for (key, amount) in credits where amount != 0 {
                do {
                    try builder.addUnappliedCredit(customerId: key.customer, customerName: name(key.customer),
                                                   currency: key.currency, amount: amount)
                } catch {
                    throw StoreError.overflow("unapplied credit of customer \(key.customer) in \(key.currency)")
                }
            }
            return builder.rowsSorted()
        }
    }
}

/// Open invoices summed per customer, currency, bucket and collection status before they go
/// to `AgedBalanceBuilder`: the builder copies a row (and its bucket array) per call, which
/// for a million invoices costs more than the whole scan. Each sum is handed over once, with
/// a due date of its bucket, so the builder's buckets and columns come out the same.
struct OpenInvoiceCells {
    private struct Key: Hashable { var customer: String; var currency: Currency }
    private static let statuses = 3
    private static let width = AgeBucket.allCases.count * statuses
    let asOf: Day
    private var slots: [Key: Int] = [:]
    private var keys: [Key] = []
    private var sums: [Int64] = []
    /// A due date seen in each bucket of each cell, indexed like the bucket sums.
    private var dueDates: [Day] = []

    init(asOf: Day) { self.asOf = asOf }

    mutating func add(customer: String, currency: Currency, dueDate: Day, open: Int64, status: CollectionStatus) throws {
        let key = Key(customer: customer, currency: currency)
        let slot: Int
        if let s = slots[key] {
            slot = s
        } else {
            slot = keys.count
            slots[key] = slot
            keys.append(key)
            sums.append(contentsOf: repeatElement(0, count: Self.width))
            dueDates.append(contentsOf: repeatElement(dueDate, count: AgeBucket.allCases.count))
        }
        let bucket = AgeBucket.of(daysPastDue: dueDate.distance(to: asOf)).rawValue
        let i = slot * Self.width + bucket * Self.statuses + Int(status.rawValue)
        let (sum, overflow) = sums[i].addingReportingOverflow(open)
        if overflow { throw StoreError.overflow("open invoices of customer \(customer) in \(currency)") }
        sums[i] = sum
        dueDates[slot * AgeBucket.allCases.count + bucket] = dueDate
    }

    func feed(_ builder: inout AgedBalanceBuilder, name: (String) -> String) throws {
        for (slot, key) in keys.enumerated() {
            for bucket in AgeBucket.allCases {
                for status in [CollectionStatus.normal, .disputed, .litigation] {
                    let open = sums[slot * Self.width + bucket.rawValue * Self.statuses + Int(status.rawValue)]
                    guard open != 0 else { continue }
                    do {
                        try builder.addOpenInvoice(customerId: key.customer, customerName: name(key.customer), currency: key.currency,
                                                   dueDate: dueDates[slot * AgeBucket.allCases.count + bucket.rawValue],
                                                   open: open, status: status)
                    } catch {
                        throw StoreError.overflow("aged balance of customer \(key.customer) in \(key.currency)")
                    }
                }
            }
        }
    }
}
