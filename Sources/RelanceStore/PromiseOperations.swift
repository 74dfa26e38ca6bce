import GRDB
import RelanceCore

/// Promises to pay ("promesses de règlement") on an invoice. While open and not yet due they
/// hold the invoice's reminders (remind reads `promises.status = 'open' AND promised_on >= as-of`);
/// the collection maintenance marks them kept or broken.
extension StoreTransaction {
    /// Records a promise to pay `amount` (nil: everything left) by `promisedOn`. A newer
    /// promise replaces an open one (which becomes `cancelled`, journaled). Refused for an
    /// unknown or settled invoice, a date before `day`, or an amount above what is left.
    @discardableResult
    public func recordPromise(invoiceNumber: String, promisedOn: Day, amount: Int64?, comment: String?, on day: Day) throws -> Int64 {
        guard let inv = try CollectionSQL.invoice(db, number: invoiceNumber) else {
            throw CollectionRefusal("unknown invoice \(invoiceNumber)", field: "invoice_number")
        }
        guard inv.isInvoice else { throw CollectionRefusal("\(invoiceNumber) is a credit note, not an invoice", field: "invoice_number") }
        let open = try CollectionSQL.openAmount(db, documentId: inv.id)
        guard open > 0 else { throw CollectionRefusal("invoice \(invoiceNumber) has nothing left to pay", field: "invoice_number") }
        guard promisedOn >= day else {
            throw CollectionRefusal("the promised date \(promisedOn) is before \(day): a promise is about the future", field: "date")
        }
        if let amount {
            guard amount > 0 else { throw CollectionRefusal("the promised amount must be positive", field: "amount") }
            guard amount <= open else {
                throw CollectionRefusal("promised \(CollectionSQL.money(amount, inv.currency)) is more than the \(CollectionSQL.money(open, inv.currency)) left to pay",
                                        field: "amount")
            }
        }
        for old in try Int64.fetchAll(db, sql: "SELECT id FROM promises WHERE document_id = ? AND status = 'open'", arguments: [inv.id]) {
            try db.execute(sql: "UPDATE promises SET status = 'cancelled' WHERE id = ?", arguments: [old])
            try appendEvent(kind: "promise.cancelled", subjectType: "document", subjectId: invoiceNumber, detail: "promise \(old) replaced by a newer one")
        }
        try db.execute(sql: """
            INSERT INTO promises (document_id, promised_on, amount, status, created_on, actor, comment) VALUES (?, ?, ?, 'open', ?, ?, ?)
            """, arguments: [inv.id, CollectionSQL.ordinal(promisedOn), amount, CollectionSQL.ordinal(day), actor, comment])
        let id = db.lastInsertedRowID
        try appendEvent(kind: "promise.recorded", subjectType: "document", subjectId: invoiceNumber,
                        detail: "promise \(id): \(amount.map { CollectionSQL.money($0, inv.currency) } ?? "the whole \(CollectionSQL.money(open, inv.currency))") by \(promisedOn)"
                            + (comment.map { ": \($0)" } ?? ""))
        return id
    }
}
