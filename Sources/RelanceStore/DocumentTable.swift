import RelanceCore

/// Invoices and credit notes, keyed by their number, for `BatchIngester.upsert`.
///
/// A re-sent document keeps its customer and kind (a change of either is a conflict that
/// rejects the file); any other field it states replaces the stored one, a field it leaves
/// empty keeps it, and a derived due date stays until a source gives one.
enum DocumentTable: RecordTable {
    static let table = "documents"
    static let keyColumn = "number"
    static let contentColumns =
        "customer_id, kind, issue_date, due_date, delivery_date, currency, amount_excl_tax, tax, amount, original_invoice, payment_reference"
    static let subject = "document"
    static let keyField = "number"

    static let insertSQL = """
        INSERT INTO documents (number, customer_id, kind, issue_date, due_date, due_date_derived, delivery_date,
            currency, amount_excl_tax, tax, amount, original_invoice, payment_reference, source_file_id, source_location)
        VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let lookupSQL = """
        SELECT id, customer_id, kind, issue_date, due_date, due_date_derived, delivery_date, currency,
               amount_excl_tax, tax, amount, original_invoice, payment_reference
        FROM documents WHERE number = ?
        """
    static let updateSQL = """
        UPDATE documents SET issue_date = ?, due_date = ?, due_date_derived = ?, delivery_date = ?, currency = ?,
            amount_excl_tax = ?, tax = ?, amount = ?, original_invoice = ?, payment_reference = ?,
            source_file_id = ?, source_location = ?
        WHERE id = ?
        """

    /// The comparable content of a stored document (its natural key, customer and kind aside).
    struct Stored: Equatable {
        var issueDate: Int64
        var dueDate: Int64?
        var dueDerived: Bool
        var deliveryDate: Int64?
        var currency: String
        var amountExclTax: Int64?
        var tax: Int64?
        var amount: Int64
        var originalInvoice: String?
        var paymentReference: String?
    }

    static func key(_ d: Document) -> String { d.number }

    static func bindInsert(_ s: RawStatement, _ d: Document, fileId: Int64) {
        s.bind(1, d.number)
        s.bind(2, d.customerId)
        s.bind(3, d.kind.rawValue)
        s.bind(4, Int64(d.issueDate.ordinal))
        s.bind(5, d.dueDate?.ordinal)
        s.bind(6, d.deliveryDate?.ordinal)
        s.bind(7, d.currency)
        s.bind(8, d.amountExclTax)
        s.bind(9, d.tax)
        s.bind(10, d.amount)
        s.bind(11, d.originalInvoice)
        s.bind(12, d.paymentReference)
        s.bind(13, fileId)
        s.bind(14, d.sourceLocation)
    }

    static func storedMatches(_ row: RawStatement, _ d: Document) -> Bool {
        func sameInt(_ c: Int32, _ v: Int64?) -> Bool {
            guard let v else { return true }
            return !row.isNull(c) && row.int64(c) == v
        }
        func sameText(_ c: Int32, _ v: String?) -> Bool {
            guard let v = nonEmpty(v) else { return true }
            return !row.isNull(c) && row.text(c, equals: v)
        }
        return row.text(1, equals: d.customerId) && row.text(2, equals: d.kind.rawValue)
            && row.int64(3) == Int64(d.issueDate.ordinal)
            && (d.dueDate.map { sameInt(4, Int64($0.ordinal)) && row.int64(5) == 0 } ?? true)
            && sameInt(6, d.deliveryDate.map { Int64($0.ordinal) })
            && row.currency(7) == d.currency
            && sameInt(8, d.amountExclTax) && sameInt(9, d.tax) && row.int64(10) == d.amount
            && sameText(11, d.originalInvoice) && sameText(12, d.paymentReference)
    }

    static func stored(_ row: RawStatement, for d: Document) throws -> Stored {
        let storedCustomer = row.string(1)
        guard storedCustomer == d.customerId else {
            throw StoreError.documentCustomerConflict(number: d.number, storedCustomer: storedCustomer, newCustomer: d.customerId)
        }
        let storedKind = row.string(2)
        guard storedKind == d.kind.rawValue else {
            throw StoreError.documentKindConflict(number: d.number, stored: storedKind, new: d.kind.rawValue)
        }
        return Stored(
            issueDate: row.int64(3), dueDate: row.int64OrNil(4), dueDerived: row.int64(5) != 0,
            deliveryDate: row.int64OrNil(6), currency: row.string(7), amountExclTax: row.int64OrNil(8),
            tax: row.int64OrNil(9), amount: row.int64(10), originalInvoice: row.stringOrNil(11),
            paymentReference: row.stringOrNil(12))
    }

    static func merged(_ old: Stored, with d: Document) -> Stored {
        var new = old
        new.issueDate = Int64(d.issueDate.ordinal)
        if let due = d.dueDate { new.dueDate = Int64(due.ordinal); new.dueDerived = false }
        if let v = d.deliveryDate { new.deliveryDate = Int64(v.ordinal) }
        new.currency = d.currency.code
        if let v = d.amountExclTax { new.amountExclTax = v }
        if let v = d.tax { new.tax = v }
        new.amount = d.amount
        if let v = nonEmpty(d.originalInvoice) { new.originalInvoice = v }
        if let v = nonEmpty(d.paymentReference) { new.paymentReference = v }
        return new
    }

    static func bindUpdate(_ s: RawStatement, _ new: Stored, _ d: Document, fileId: Int64, id: Int64) {
        s.bind(1, new.issueDate)
        s.bind(2, new.dueDate)
        s.bind(3, new.dueDerived ? 1 : 0)
        s.bind(4, new.deliveryDate)
        s.bind(5, new.currency)
        s.bind(6, new.amountExclTax)
        s.bind(7, new.tax)
        s.bind(8, new.amount)
        s.bind(9, new.originalInvoice)
        s.bind(10, new.paymentReference)
        s.bind(11, fileId)
        s.bind(12, d.sourceLocation)
        s.bind(13, id)
    }

    /// Days as `yyyy-mm-dd`.
    static func changes(from old: Stored, to new: Stored) -> String {
        var out = JSONText()
        func day(_ v: Int64?) -> String? { v.map { Day(ordinal: Int32(truncatingIfNeeded: $0)).description } }
        out.change("issue_date", day(old.issueDate), day(new.issueDate))
        out.change("due_date", day(old.dueDate), day(new.dueDate))
        out.change("due_date_derived", Int64(old.dueDerived ? 1 : 0), Int64(new.dueDerived ? 1 : 0))
        out.change("delivery_date", day(old.deliveryDate), day(new.deliveryDate))
        out.change("currency", old.currency, new.currency)
        out.change("amount_excl_tax", old.amountExclTax, new.amountExclTax)
        out.change("tax", old.tax, new.tax)
        out.change("amount", old.amount, new.amount)
        out.change("original_invoice", old.originalInvoice, new.originalInvoice)
        out.change("payment_reference", old.paymentReference, new.paymentReference)
        return out.json
    }

    static func duplicateConflict(_ number: String) -> StoreError { .conflictingDuplicateDocument(number: number) }

    static func shrink(from old: Stored, to new: Stored, _ d: Document) -> (column: String, amount: Int64, currency: String)? {
        guard new.amount < old.amount || new.currency != old.currency else { return nil }
        return (d.kind == .invoice ? "invoice_id" : "credit_note_id", new.amount, new.currency)
    }
}
