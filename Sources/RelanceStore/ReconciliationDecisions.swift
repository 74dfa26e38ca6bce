import GRDB
import RelanceCore

/// Why a person's payment decision cannot be applied; the action handler turns it into a
/// refusal of that row alone.
public struct PaymentDecisionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// The action field at fault (`payment_id`, `invoice_number`, `amount`).
    public var field: String?

    public init(_ reason: String, field: String? = nil) {
        self.reason = reason; self.field = field
    }

    public var description: String { field.map { "\($0): \(reason)" } ?? reason }
}

/// What the credit manager may decide about a payment left over by reconciliation.
public enum PaymentDisposal: String, Sendable, CaseIterable {
    /// The money goes back to the payer ("remboursement").
    case refund
    /// Not a customer payment (wrong account, internal transfer): out of reconciliation.
    case ignore
}

/// A payment as the decisions see it.
struct PaymentState {
    var id: Int64
    var ref: String
    var customerId: String?
    var currency: Currency
    var amount: Int64
    /// Amount − allocations − reversed amounts.
    var remainder: Int64
    var disposal: String?
}

/// An invoice as the decisions see it.
struct InvoiceState {
    var id: Int64
    var number: String
    var customerId: String
    var currency: Currency
    /// Amount − allocations − write-offs.
    var open: Int64
}

extension StoreTransaction {
    func paymentState(_ ref: String) throws -> PaymentState? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT p.id, p.customer_id, p.currency, p.amount,
                   p.amount - IFNULL((SELECT SUM(a.amount) FROM allocations a WHERE a.payment_id = p.id), 0)
                            - IFNULL((SELECT SUM(r.amount) FROM payment_reversals r WHERE r.reversed_payment_id = p.id), 0),
                   (SELECT d.decision FROM payment_decisions d WHERE d.payment_id = p.id AND d.decision IN ('refund', 'ignore') LIMIT 1)
            FROM payments p WHERE p.payment_ref = ?
            """, arguments: [ref]) else { return nil }
        guard let currency = Currency(row[2] as String) else { return nil }
        return PaymentState(id: row[0], ref: ref, customerId: row[1], currency: currency, amount: row[3], remainder: row[4], disposal: row[5])
    }

    func invoiceState(_ number: String) throws -> InvoiceState? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT d.id, d.customer_id, d.currency,
                   d.amount - IFNULL((SELECT SUM(a.amount) FROM allocations a WHERE a.invoice_id = d.id), 0)
                            - IFNULL((SELECT SUM(w.amount) FROM writeoffs w WHERE w.invoice_id = d.id), 0)
            FROM documents d WHERE d.number = ? AND d.kind = 'invoice'
            """, arguments: [number]) else { return nil }
        guard let currency = Currency(row[2] as String) else { return nil }
        return InvoiceState(id: row[0], number: number, customerId: row[1], currency: currency, open: row[3])
    }

    private func payment(_ ref: String) throws(PaymentDecisionError) -> PaymentState {
        let found: PaymentState?
        do { found = try paymentState(ref) } catch { throw PaymentDecisionError("cannot read the store: \(error)") }
        guard let p = found else { throw PaymentDecisionError("no payment \(ref) in the store", field: "payment_id") }
        return p
    }

    private func invoice(_ number: String) throws(PaymentDecisionError) -> InvoiceState {
        let found: InvoiceState?
        do { found = try invoiceState(number) } catch { throw PaymentDecisionError("cannot read the store: \(error)") }
        guard let i = found else { throw PaymentDecisionError("no invoice \(number) in the store", field: "invoice_number") }
        return i
    }

    /// A person allocates (part of) a payment to an invoice ("lettrage manuel"): the allocation
    /// is recorded with rule `manual` and `confirmed_by` = the actor, so no automatic rule ever
    /// reworks it.
    ///
    /// When the payment's remainder is too small only because reconciliation allocated it
    /// automatically, those automatic allocations are undone first (journaled): the person's
    /// decision replaces the engine's. Confirmed allocations are never undone here.
    /// `amount` nil allocates as much as both sides allow. Throws `PaymentDecisionError` for an
    /// unknown payment or invoice, a return, a refunded or ignored payment, another currency,
    /// or more than the payment has left or the invoice has open.
    public func allocateManually(paymentRef: String, invoiceNumber: String, amount: Int64?, comment: String?) throws
        -> (amount: Int64, currency: Currency, undone: Int) {
        var p = try payment(paymentRef)
        guard p.amount > 0 else { throw PaymentDecisionError("payment \(paymentRef) is a return or reversal: it cannot pay an invoice", field: "payment_id") }
        if let d = p.disposal { throw PaymentDecisionError("payment \(paymentRef) was already marked \(d)", field: "payment_id") }
        let inv = try invoice(invoiceNumber)
        guard inv.currency == p.currency else {
            throw PaymentDecisionError("payment \(paymentRef) is in \(p.currency), invoice \(invoiceNumber) in \(inv.currency)", field: "invoice_number")
        }
        if let amount, amount <= 0 { throw PaymentDecisionError("must be more than zero", field: "amount") }
        var undone = 0
        if p.remainder < (amount ?? 1) {
            let automatic = try Row.fetchAll(db, sql: """
                SELECT a.id, d.number, a.amount, a.rule FROM allocations a JOIN documents d ON d.id = a.invoice_id
                WHERE a.payment_id = ? AND a.confirmed_by IS NULL ORDER BY a.id
                """, arguments: [p.id])
            for a in automatic {
                try db.execute(sql: "DELETE FROM allocations WHERE id = ?", arguments: [a[0] as Int64])
                var detail = JSONText()
                detail.add("payment", paymentRef)
                detail.add("invoice", a[1] as String)
                detail.add("amount", a[2] as Int64)
                detail.add("rule", a[3] as String)
                detail.add("replaced_by", "manual allocation to \(invoiceNumber)")
                try appendEvent(kind: "allocation.undone", subjectType: "document", subjectId: a[1] as String, detail: detail.json)
                undone += 1
            }
            if undone > 0 { p = try payment(paymentRef) }
        }
        let open = try invoice(invoiceNumber).open
        guard p.remainder > 0 else {
            throw PaymentDecisionError("payment \(paymentRef) is fully allocated (by confirmed allocations)", field: "payment_id")
        }
        guard open > 0 else { throw PaymentDecisionError("invoice \(invoiceNumber) is already settled", field: "invoice_number") }
        let places = p.currency.minorUnits
        let allocated = amount ?? min(p.remainder, open)
        guard allocated <= p.remainder else {
            throw PaymentDecisionError("over-allocation: payment \(paymentRef) has only \(MinorUnits.format(p.remainder, places: places)) \(p.currency) left",
                                       field: "amount")
        }
        guard allocated <= open else {
            throw PaymentDecisionError("over-allocation: invoice \(invoiceNumber) is open for only \(MinorUnits.format(open, places: places)) \(inv.currency)",
                                       field: "amount")
        }
        let evidence = "allocated by \(actor)" + (comment.map { ": \($0)" } ?? "")
        try db.execute(sql: """
            INSERT INTO allocations (invoice_id, payment_id, credit_note_id, amount, currency, rule, evidence, confirmed_by, created_at, source_file_id)
            VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [inv.id, p.id, allocated, p.currency.code, AllocationRule.manual.rawValue, evidence, actor, timestamp, sourceFileId])
        if p.customerId == nil {
            try db.execute(sql: "UPDATE payments SET customer_id = ? WHERE id = ?", arguments: [inv.customerId, p.id])
        }
        var detail = JSONText()
        detail.add("payment", paymentRef)
        detail.add("amount", allocated)
        detail.add("currency", p.currency.code)
        detail.add("comment", comment)
        if undone > 0 { detail.add("automatic_allocations_undone", undone) }
        try appendEvent(kind: "allocation.manual", subjectType: "document", subjectId: invoiceNumber, detail: detail.json)
        return (allocated, p.currency, undone)
    }

    /// A person decides that what is left of a payment is refunded or ignored: it leaves
    /// reconciliation for good (recorded in `payment_decisions`, journaled).
    public func disposePayment(paymentRef: String, as disposal: PaymentDisposal, on day: Day, comment: String?) throws
        -> (amount: Int64, currency: Currency) {
        let p = try payment(paymentRef)
        if let d = p.disposal { throw PaymentDecisionError("payment \(paymentRef) was already marked \(d)", field: "payment_id") }
        guard p.remainder > 0 else {
            throw PaymentDecisionError(p.amount < 0 ? "payment \(paymentRef) is a return or reversal, nothing to \(disposal.rawValue)"
                                                    : "payment \(paymentRef) has nothing left unallocated", field: "payment_id")
        }
        try db.execute(sql: """
            INSERT INTO payment_decisions (payment_id, decision, amount, decided_on, actor, comment, source_file_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [p.id, disposal.rawValue, p.remainder, day.ordinal, actor, comment, sourceFileId])
        var detail = JSONText()
        detail.add("amount", p.remainder)
        detail.add("currency", p.currency.code)
        detail.add("comment", comment)
        try appendEvent(kind: "payment.\(disposal.rawValue)", subjectType: "payment", subjectId: paymentRef, detail: detail.json)
        return (p.remainder, p.currency)
    }

    /// A person writes off the rest of an invoice a payment paid short ("passage en perte,
    /// écart de règlement"): a `writeoffs` row (which lowers the invoice's open amount) and a
    /// `payment_decisions` row. Without `invoiceNumber`, the payment must have been allocated to
    /// exactly one invoice still open; without `amount`, the pending proposal's amount is
    /// written off, else the invoice's whole open amount.
    public func writeOff(paymentRef: String, invoiceNumber: String?, amount: Int64?, on day: Day, comment: String?) throws
        -> (invoiceNumber: String, amount: Int64, currency: Currency) {
        let p = try payment(paymentRef)
        let inv: InvoiceState
        if let invoiceNumber {
            inv = try invoice(invoiceNumber)
        } else {
            let numbers = try String.fetchAll(db, sql: """
                SELECT DISTINCT d.number FROM allocations a JOIN documents d ON d.id = a.invoice_id WHERE a.payment_id = ? ORDER BY 1
                """, arguments: [p.id])
            let open = try numbers.compactMap { try invoiceState($0) }.filter { $0.open > 0 }
            guard open.count == 1 else {
                throw PaymentDecisionError(open.isEmpty ? "payment \(paymentRef) paid no invoice that is still open: name the invoice_number"
                                                        : "payment \(paymentRef) paid several open invoices (\(open.map(\.number).joined(separator: ", "))): name the invoice_number",
                                           field: "invoice_number")
            }
            inv = open[0]
        }
        guard inv.currency == p.currency else {
            throw PaymentDecisionError("payment \(paymentRef) is in \(p.currency), invoice \(inv.number) in \(inv.currency)", field: "invoice_number")
        }
        guard inv.open > 0 else { throw PaymentDecisionError("invoice \(inv.number) is already settled", field: "invoice_number") }
        let proposed = try Int64.fetchOne(db, sql: "SELECT amount FROM writeoff_proposals WHERE payment_id = ? AND invoice_id = ?",
                                          arguments: [p.id, inv.id])
        let value = amount ?? proposed ?? inv.open
        guard value > 0 else { throw PaymentDecisionError("must be more than zero", field: "amount") }
        guard value <= inv.open else {
            throw PaymentDecisionError("over-allocation: invoice \(inv.number) is open for only \(MinorUnits.format(inv.open, places: inv.currency.minorUnits)) \(inv.currency)",
                                       field: "amount")
        }
        let reason = comment ?? "écart de règlement sur le paiement \(paymentRef)"
        try db.execute(sql: """
            INSERT INTO writeoffs (invoice_id, payment_id, amount, currency, reason, actor, created_at, source_file_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [inv.id, p.id, value, inv.currency.code, reason, actor, timestamp, sourceFileId])
        try db.execute(sql: """
            INSERT INTO payment_decisions (payment_id, decision, amount, decided_on, actor, comment, source_file_id)
            VALUES (?, 'writeoff', ?, ?, ?, ?, ?)
            """, arguments: [p.id, value, day.ordinal, actor, comment, sourceFileId])
        var detail = JSONText()
        detail.add("payment", paymentRef)
        detail.add("amount", value)
        detail.add("currency", inv.currency.code)
        detail.add("reason", reason)
        try appendEvent(kind: "invoice.writeoff", subjectType: "document", subjectId: inv.number, detail: detail.json)
        return (inv.number, value, inv.currency)
    }
}

extension StoreTransaction {
    /// The currency of the payment with this reference, nil when unknown (to read its amounts).
    public func paymentCurrency(_ ref: String) throws -> Currency? {
        try String.fetchOne(db, sql: "SELECT currency FROM payments WHERE payment_ref = ?", arguments: [ref]).flatMap(Currency.init)
    }
}
