import RelanceCore

/// Payments, keyed by their payment id, for `BatchIngester.upsert`.
///
/// A re-sent payment may gain a customer but never change it (a conflict that rejects the
/// file); any other field it states replaces the stored one, and a field it leaves empty keeps it.
enum PaymentTable: RecordTable {
    static let table = "payments"
    static let keyColumn = "payment_ref"
    static let contentColumns =
        "customer_id, date, value_date, amount, currency, reference, invoice_number, payer_name, payer_iban, structured_reference, end_to_end_id, reverses"
    static let subject = "payment"
    static let keyField = "payment_id"

    static let insertSQL = """
        INSERT INTO payments (payment_ref, customer_id, date, value_date, amount, currency, reference, invoice_number,
            payer_name, payer_iban, structured_reference, end_to_end_id, reverses, source_file_id, source_location)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let lookupSQL = """
        SELECT id, customer_id, date, value_date, amount, currency, reference, invoice_number, payer_name, payer_iban,
               structured_reference, end_to_end_id, reverses
        FROM payments WHERE payment_ref = ?
        """
    static let updateSQL = """
        UPDATE payments SET customer_id = ?, date = ?, value_date = ?, amount = ?, currency = ?, reference = ?,
            invoice_number = ?, payer_name = ?, payer_iban = ?, structured_reference = ?, end_to_end_id = ?,
            reverses = ?, source_file_id = ?, source_location = ?
        WHERE id = ?
        """

    /// The comparable content of a stored payment (its natural key aside).
    struct Stored: Equatable {
        var customerId: String?
        var date: Int64
        var valueDate: Int64?
        var amount: Int64
        var currency: String
        var reference: String?
        var invoiceNumber: String?
        var payerName: String?
        var payerIban: String?
        var structuredReference: String?
        var endToEndId: String?
        var reverses: String?
    }

    static func key(_ p: Payment) -> String { p.paymentId }

    static func bindInsert(_ s: RawStatement, _ p: Payment, fileId: Int64) {
        s.bind(1, p.paymentId)
        s.bind(2, nonEmpty(p.customerId))
        s.bind(3, Int64(p.date.ordinal))
        s.bind(4, p.valueDate?.ordinal)
        s.bind(5, p.amount)
        s.bind(6, p.currency)
        s.bind(7, p.reference)
        s.bind(8, p.invoiceNumber)
        s.bind(9, p.payerName)
        s.bind(10, p.payerIban)
        s.bind(11, p.structuredReference)
        s.bind(12, p.endToEndId)
        s.bind(13, p.reverses)
        s.bind(14, fileId)
        s.bind(15, p.sourceLocation)
    }

    static func storedMatches(_ row: RawStatement, _ p: Payment) -> Bool {
        func sameText(_ c: Int32, _ v: String?) -> Bool {
            guard let v = nonEmpty(v) else { return true }
            return !row.isNull(c) && row.text(c, equals: v)
        }
        return sameText(1, p.customerId) && row.int64(2) == Int64(p.date.ordinal)
            && (p.valueDate.map { !row.isNull(3) && row.int64(3) == Int64($0.ordinal) } ?? true)
            && row.int64(4) == p.amount && row.currency(5) == p.currency
            && sameText(6, p.reference) && sameText(7, p.invoiceNumber) && sameText(8, p.payerName)
            && sameText(9, p.payerIban) && sameText(10, p.structuredReference) && sameText(11, p.endToEndId)
            && sameText(12, p.reverses)
    }

    static func stored(_ row: RawStatement, for p: Payment) -> Stored {
        Stored(customerId: row.stringOrNil(1), date: row.int64(2), valueDate: row.int64OrNil(3),
               amount: row.int64(4), currency: row.string(5), reference: row.stringOrNil(6),
               invoiceNumber: row.stringOrNil(7), payerName: row.stringOrNil(8), payerIban: row.stringOrNil(9),
               structuredReference: row.stringOrNil(10), endToEndId: row.stringOrNil(11), reverses: row.stringOrNil(12))
    }

    static func merged(_ old: Stored, with p: Payment) throws -> Stored {
        var new = old
        if let c = nonEmpty(p.customerId) {
            if let stored = old.customerId, stored != c {
                throw StoreError.paymentCustomerConflict(paymentId: p.paymentId, storedCustomer: stored, newCustomer: c)
            }
            new.customerId = c
        }
        new.date = Int64(p.date.ordinal)
        if let v = p.valueDate { new.valueDate = Int64(v.ordinal) }
        new.amount = p.amount
        new.currency = p.currency.code
        if let v = nonEmpty(p.reference) { new.reference = v }
        if let v = nonEmpty(p.invoiceNumber) { new.invoiceNumber = v }
        if let v = nonEmpty(p.payerName) { new.payerName = v }
        if let v = nonEmpty(p.payerIban) { new.payerIban = v }
        if let v = nonEmpty(p.structuredReference) { new.structuredReference = v }
        if let v = nonEmpty(p.endToEndId) { new.endToEndId = v }
        if let v = nonEmpty(p.reverses) { new.reverses = v }
        return new
    }

    static func bindUpdate(_ s: RawStatement, _ new: Stored, _ p: Payment, fileId: Int64, id: Int64) {
        s.bind(1, new.customerId)
        s.bind(2, new.date)
        s.bind(3, new.valueDate)
        s.bind(4, new.amount)
        s.bind(5, new.currency)
        s.bind(6, new.reference)
        s.bind(7, new.invoiceNumber)
        s.bind(8, new.payerName)
        s.bind(9, new.payerIban)
        s.bind(10, new.structuredReference)
        s.bind(11, new.endToEndId)
        s.bind(12, new.reverses)
        s.bind(13, fileId)
        s.bind(14, p.sourceLocation)
        s.bind(15, id)
    }

    /// Days as `yyyy-mm-dd`.
    static func changes(from old: Stored, to new: Stored) -> String {
        var out = JSONText()
        func day(_ v: Int64?) -> String? { v.map { Day(ordinal: Int32(truncatingIfNeeded: $0)).description } }
        out.change("customer_id", old.customerId, new.customerId)
        out.change("date", day(old.date), day(new.date))
        out.change("value_date", day(old.valueDate), day(new.valueDate))
        out.change("amount", old.amount, new.amount)
        out.change("currency", old.currency, new.currency)
        out.change("reference", old.reference, new.reference)
        out.change("invoice_number", old.invoiceNumber, new.invoiceNumber)
        out.change("payer_name", old.payerName, new.payerName)
        out.change("payer_iban", old.payerIban, new.payerIban)
        out.change("structured_reference", old.structuredReference, new.structuredReference)
        out.change("end_to_end_id", old.endToEndId, new.endToEndId)
        out.change("reverses", old.reverses, new.reverses)
        return out.json
    }

    static func duplicateConflict(_ paymentId: String) -> StoreError { .conflictingDuplicatePayment(paymentId: paymentId) }

    /// A reversal's negative amount counts as nothing allocated can fit.
    static func shrink(from old: Stored, to new: Stored, _ p: Payment) -> (column: String, amount: Int64, currency: String)? {
        guard new.amount < old.amount || new.currency != old.currency else { return nil }
        return ("payment_id", max(new.amount, 0), new.currency)
    }
}
