import GRDB
import RelanceCore

extension Store {
    /// Applies one input file's records in ONE write transaction: everything or nothing.
    ///
    /// Records are upserted on their natural keys (customer id, document number, payment id):
    /// a new key is inserted, the same content counts as unchanged, changed content is updated
    /// and journaled (`document.updated`, `payment.updated`, `customer.updated`) with old and
    /// new values. An empty field never blanks a known one. A document or payment that changes
    /// customer throws (`StoreError`), and so do stated allocations naming unknown records; the
    /// transaction is then rolled back and the pipeline rejects the file.
    public func ingest(_ batch: IngestBatch, file: IngestedFileInfo, at timestamp: String, actor: String) throws -> IngestStats {
        try writeWithCheckedReferences { db in
            let fileId = try Self.upsertFile(db, file: file, outcome: .ingested, recordCount: batch.recordCount,
                                             errors: nil, at: timestamp)
            let batch = try PhaseLog.measure("\(file.name): identity") {
                try CustomerIdentity.resolve(batch, db: db, fileId: fileId, timestamp: timestamp, actor: actor)
            }
            let ingester = BatchIngester(db: db, fileId: fileId, timestamp: timestamp, actor: actor)
            try ingester.run(batch)
            var detail = JSONText()
            detail.add("name", file.name)
            detail.add("sha256", file.sha256)
            detail.add("format", batch.format)
            let s = ingester.stats
            for (kind, c) in [("customers", s.customers), ("documents", s.documents), ("payments", s.payments),
                              ("allocations", s.allocations), ("attachments", s.attachments)] {
                var counts = JSONText()
                counts.add("inserted", c.inserted)
                counts.add("updated", c.updated)
                counts.add("unchanged", c.unchanged)
                detail.addRaw(kind, counts.json)
            }
            detail.add("released_allocations", s.releasedAllocations)
            try Self.insertEvent(db, at: timestamp, actor: actor, kind: "file.ingested", subjectType: "file",
                                 subjectId: file.name, detail: detail.json, sourceFileId: fileId)
            return s
        }
    }
}

/// The work of one `ingest` call, inside its transaction.
///
/// Two paths per table: when the table is empty at the start of the batch (the first load
/// of an ERP export, a million rows), rows are appended with its secondary indexes dropped
/// and the indexes are built once at the end; a duplicate key inside the batch then shows
/// up as a failed unique index build and is resolved afterwards. Otherwise each row is
/// looked up by its natural key and compared.
final class BatchIngester {
    let db: Database
    let fileId: Int64
    let timestamp: String
    let actor: String
    var stats = IngestStats()

    init(db: Database, fileId: Int64, timestamp: String, actor: String) {
        self.db = db; self.fileId = fileId; self.timestamp = timestamp; self.actor = actor
    }

    func run(_ batch: IngestBatch) throws {
        try PhaseLog.measure("customers") { try ingestCustomers(batch) }
        try PhaseLog.measure("documents") { try ingestDocuments(batch.documents) }
        try PhaseLog.measure("payments") { try ingestPayments(batch.payments) }
        try ingestStatedAllocations(batch.allocations)
        try ingestAttachments(batch.attachments)
    }

    private func isEmpty(_ table: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM \(table))") ?? true
    }

    private func journal(_ kind: String, subjectType: String, subjectId: String, detail: String) throws {
        try Store.insertEvent(db, at: timestamp, actor: actor, kind: kind, subjectType: subjectType,
                              subjectId: subjectId, detail: detail, sourceFileId: fileId)
    }

    // MARK: Customers

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    private func ingestCustomers(_ batch: IngestBatch) throws {
        // Merge duplicates inside the batch: a later non-empty field completes an earlier row.
        var order: [String] = []
        var merged: [String: Customer] = [:]
        merged.reserveCapacity(batch.customers.count)
        for c in batch.customers {
            if var m = merged[c.id] {
                m.name = Self.nonEmpty(c.name) ?? m.name
                m.siren = Self.nonEmpty(c.siren) ?? m.siren
                m.vatNumber = Self.nonEmpty(c.vatNumber) ?? m.vatNumber
                m.email = Self.nonEmpty(c.email) ?? m.email
                m.phone = Self.nonEmpty(c.phone) ?? m.phone
                m.address = Self.nonEmpty(c.address) ?? m.address
                m.postalCode = Self.nonEmpty(c.postalCode) ?? m.postalCode
                m.city = Self.nonEmpty(c.city) ?? m.city
                m.country = Self.nonEmpty(c.country) ?? m.country
                m.language = Self.nonEmpty(c.language) ?? m.language
                if c.kindStated { m.kind = c.kind; m.kindStated = true }
                merged[c.id] = m
            } else {
                merged[c.id] = c
                order.append(c.id)
            }
        }
        // Customers known only from document and payment rows (id, and a name when the row has
        // one). `named` answers, in one hash look-up per row, "is this id settled?": true when
        // it is in the customers of the batch or already has a name.
        var implicitOrder: [String] = []
        var implicitNames: [String: String] = [:]
        var named: [String: Bool] = [:]
        named.reserveCapacity(merged.count)
        for id in order { named[id] = true }
        var lastId = ""
        var lastNamed = false
        func note(_ id: String, _ name: String?) {
            // Rows of one customer often follow each other: skip the look-up for a repeat.
            if id == lastId && (lastNamed || name == nil) { return }
            lastId = id
            let known = named[id]
            if known == true { lastNamed = true; return }
            if known == nil { implicitOrder.append(id) }
            if let name = Self.nonEmpty(name) {
                implicitNames[id] = name
                named[id] = true
                lastNamed = true
            } else {
                if known == nil { named[id] = false }
                lastNamed = false
            }
        }
        for d in batch.documents { note(d.customerId, d.customerName) }
        for p in batch.payments { if let c = p.customerId { note(c, nil) } }

        let empty = try isEmpty("customers")
        let insert = try RawStatement(db, """
            INSERT INTO customers (id, name, siren, vat_number, email, phone, address, postal_code, city, country,
                                   language, kind, source_file_id, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let lookup = try RawStatement(db, """
            SELECT name, siren, vat_number, email, phone, address, postal_code, city, country, language, kind
            FROM customers WHERE id = ?
            """)
        func insertRow(_ c: Customer) throws {
            insert.bind(1, c.id)
            insert.bind(2, Self.nonEmpty(c.name))
            insert.bind(3, Self.nonEmpty(c.siren))
            insert.bind(4, Self.nonEmpty(c.vatNumber))
            insert.bind(5, Self.nonEmpty(c.email))
            insert.bind(6, Self.nonEmpty(c.phone))
            insert.bind(7, Self.nonEmpty(c.address))
            insert.bind(8, Self.nonEmpty(c.postalCode))
            insert.bind(9, Self.nonEmpty(c.city))
            insert.bind(10, Self.nonEmpty(c.country))
            insert.bind(11, Self.nonEmpty(c.language))
            insert.bind(12, c.kind.rawValue)
            insert.bind(13, fileId)
            insert.bind(14, timestamp)
            try insert.execute()
        }
        func stored(_ id: String) throws -> Customer? {
            lookup.bind(1, id)
            guard try lookup.query() else { return nil }
            let c = Customer(id: id, name: lookup.stringOrNil(0) ?? "", siren: lookup.stringOrNil(1),
                             vatNumber: lookup.stringOrNil(2), email: lookup.stringOrNil(3), phone: lookup.stringOrNil(4),
                             address: lookup.stringOrNil(5), postalCode: lookup.stringOrNil(6), city: lookup.stringOrNil(7),
                             country: lookup.stringOrNil(8), language: lookup.stringOrNil(9),
                             kind: CustomerKind(rawValue: lookup.string(10)) ?? .business)
            lookup.finish()
            return c
        }

        for id in order {
            let c = merged[id]!
            if !empty, let old = try stored(id) {
                try updateCustomer(old: old, new: c, kindGiven: c.kindStated)
            } else {
                try insertRow(c)
                stats.customers.inserted += 1
            }
        }
        // For these only existence and an empty name matter: a one-column look-up.
        let nameOf = try RawStatement(db, "SELECT IFNULL(name, '') = '' FROM customers WHERE id = ?")
        for id in implicitOrder {
            let name = implicitNames[id]
            var exists = false
            var nameless = false
            if !empty {
                nameOf.bind(1, id)
                if try nameOf.query() {
                    exists = true
                    nameless = nameOf.int64(0) != 0
                    nameOf.finish()
                }
            }
            if exists {
                if let name, nameless, let old = try stored(id) {
                    var new = old
                    new.name = name
                    try updateCustomer(old: old, new: new, kindGiven: false)
                }
            } else {
                try insertRow(Customer(id: id, name: name ?? ""))
                stats.customers.inserted += 1
            }
        }
    }

    /// Fills the customer's fields that the new row knows; never blanks one.
    private func updateCustomer(old: Customer, new: Customer, kindGiven: Bool) throws {
        var changes = JSONText()
        var changed = false
        var result = old
        func merge(_ field: String, _ path: WritableKeyPath<Customer, String?>) {
            if let v = Self.nonEmpty(new[keyPath: path]), v != old[keyPath: path] {
                var change = JSONText()
                change.add("old", old[keyPath: path])
                change.add("new", v)
                changes.addRaw(field, change.json)
                result[keyPath: path] = v
                changed = true
            }
        }
        if let v = Self.nonEmpty(new.name), v != old.name {
            var change = JSONText()
            change.add("old", Self.nonEmpty(old.name))
            change.add("new", v)
            changes.addRaw("name", change.json)
            result.name = v
            changed = true
        }
        merge("siren", \.siren)
        merge("vat_number", \.vatNumber)
        merge("email", \.email)
        merge("phone", \.phone)
        merge("address", \.address)
        merge("postal_code", \.postalCode)
        merge("city", \.city)
        merge("country", \.country)
        merge("language", \.language)
        if kindGiven && new.kind != old.kind {
            var change = JSONText()
            change.add("old", old.kind.rawValue)
            change.add("new", new.kind.rawValue)
            changes.addRaw("kind", change.json)
            result.kind = new.kind
            changed = true
        }
        guard changed else {
            stats.customers.unchanged += 1
            return
        }
        try db.execute(sql: """
            UPDATE customers SET name = ?, siren = ?, vat_number = ?, email = ?, phone = ?, address = ?, postal_code = ?,
                city = ?, country = ?, language = ?, kind = ?, source_file_id = ?, updated_at = ?
            WHERE id = ?
            """, arguments: [Self.nonEmpty(result.name), result.siren, result.vatNumber, result.email, result.phone,
                             result.address, result.postalCode, result.city, result.country, result.language,
                             result.kind.rawValue, fileId, timestamp, result.id])
        var detail = JSONText()
        detail.addRaw("changes", changes.json)
        try journal("customer.updated", subjectType: "customer", subjectId: old.id, detail: detail.json)
        stats.customers.updated += 1
    }

    // MARK: Bulk load without secondary indexes

    /// Drops the secondary indexes of `table`, runs `load`, and builds them again. When a unique
    /// index cannot be built because the batch repeated a key, `resolveDuplicates` gets the
    /// chance to remove the exact repeats (or throw) and the build is retried once.
    private func withoutIndexes(_ table: String, load: () throws -> Void, resolveDuplicates: () throws -> Void) throws {
        let indexes = try SecondaryIndexes.drop(db, table: table)
        try PhaseLog.measure("\(table) append") { try load() }
        var resolved = false
        for index in indexes {
            try PhaseLog.measure("index \(index.name)") {
                do {
                    try db.execute(sql: index.sql)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT && !resolved {
                    try resolveDuplicates()
                    resolved = true
                    try db.execute(sql: index.sql)
                }
            }
        }
    }

    /// After a bulk append: keys present more than once must have identical content; the later
    /// copies are deleted and counted as unchanged. Returns how many rows were removed.
    private func removeExactRepeats(table: String, key: String, content: String,
                                    conflict: (String) -> StoreError) throws -> Int {
        let keys = try String.fetchAll(db, sql: "SELECT \(key) FROM \(table) GROUP BY \(key) HAVING COUNT(*) > 1")
        guard !keys.isEmpty else { return 0 }
        try db.execute(sql: "CREATE TEMP TABLE repeated_keys (k TEXT PRIMARY KEY)")
        defer { try? db.execute(sql: "DROP TABLE temp.repeated_keys") }
        for k in keys { try db.execute(sql: "INSERT INTO temp.repeated_keys VALUES (?)", arguments: [k]) }
        if let bad = try String.fetchOne(db, sql: """
            SELECT \(key) FROM (SELECT DISTINCT \(key), \(content) FROM \(table) WHERE \(key) IN temp.repeated_keys)
            GROUP BY \(key) HAVING COUNT(*) > 1 ORDER BY \(key) LIMIT 1
            """) {
            throw conflict(bad)
        }
        try db.execute(sql: """
            DELETE FROM \(table) WHERE \(key) IN temp.repeated_keys
            AND id > (SELECT MIN(t.id) FROM \(table) t WHERE t.\(key) = \(table).\(key))
            """)
        return db.changesCount
    }

    // MARK: Documents

    private static let documentContent =
        "customer_id, kind, issue_date, due_date, delivery_date, currency, amount_excl_tax, tax, amount, original_invoice, payment_reference"

    private func ingestDocuments(_ documents: [Document]) throws {
        guard !documents.isEmpty else { return }
        let insert = try RawStatement(db, """
            INSERT INTO documents (number, customer_id, kind, issue_date, due_date, due_date_derived, delivery_date,
                currency, amount_excl_tax, tax, amount, original_invoice, payment_reference, source_file_id, source_location)
            VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        func insertRow(_ d: Document) throws {
            insert.bind(1, d.number)
            insert.bind(2, d.customerId)
            insert.bind(3, d.kind.rawValue)
            insert.bind(4, Int64(d.issueDate.ordinal))
            insert.bind(5, d.dueDate?.ordinal)
            insert.bind(6, d.deliveryDate?.ordinal)
            insert.bind(7, d.currency)
            insert.bind(8, d.amountExclTax)
            insert.bind(9, d.tax)
            insert.bind(10, d.amount)
            insert.bind(11, d.originalInvoice)
            insert.bind(12, d.paymentReference)
            insert.bind(13, fileId)
            insert.bind(14, d.sourceLocation)
            try insert.execute()
        }

        if try isEmpty("documents") {
            try withoutIndexes("documents", load: {
                for d in documents { try insertRow(d) }
                stats.documents.inserted += documents.count
            }, resolveDuplicates: {
                let removed = try removeExactRepeats(table: "documents", key: "number", content: Self.documentContent,
                                                     conflict: { .conflictingDuplicateDocument(number: $0) })
                stats.documents.inserted -= removed
                stats.documents.unchanged += removed
            })
            return
        }

        let lookup = try RawStatement(db, """
            SELECT id, customer_id, kind, issue_date, due_date, due_date_derived, delivery_date, currency,
                   amount_excl_tax, tax, amount, original_invoice, payment_reference
            FROM documents WHERE number = ?
            """)
        let update = try RawStatement(db, """
            UPDATE documents SET issue_date = ?, due_date = ?, due_date_derived = ?, delivery_date = ?, currency = ?,
                amount_excl_tax = ?, tax = ?, amount = ?, original_invoice = ?, payment_reference = ?,
                source_file_id = ?, source_location = ?
            WHERE id = ?
            """)
        var touched = Set<String>()
        touched.reserveCapacity(documents.count)
        for d in documents {
            lookup.bind(1, d.number)
            guard try lookup.query() else {
                try insertRow(d)
                touched.insert(d.number)
                stats.documents.inserted += 1
                continue
            }
            // The daily case: the full export again, row identical to the store. Compared in
            // place, without building the stored row's Strings.
            if Self.storedRowMatches(lookup, d) {
                lookup.finish()
                touched.insert(d.number)
                stats.documents.unchanged += 1
                continue
            }
            let id = lookup.int64(0)
            let storedCustomer = lookup.string(1)
            let storedKind = lookup.string(2)
            let old = StoredDocument(
                issueDate: lookup.int64(3), dueDate: lookup.int64OrNil(4), dueDerived: lookup.int64(5) != 0,
                deliveryDate: lookup.int64OrNil(6), currency: lookup.string(7), amountExclTax: lookup.int64OrNil(8),
                tax: lookup.int64OrNil(9), amount: lookup.int64(10), originalInvoice: lookup.stringOrNil(11),
                paymentReference: lookup.stringOrNil(12))
            lookup.finish()
            guard storedCustomer == d.customerId else {
                throw StoreError.documentCustomerConflict(number: d.number, storedCustomer: storedCustomer, newCustomer: d.customerId)
            }
            guard storedKind == d.kind.rawValue else {
                throw StoreError.documentKindConflict(number: d.number, stored: storedKind, new: d.kind.rawValue)
            }
            // A missing optional field keeps the stored value; a derived due date stays when the
            // source still has none.
            var new = old
            new.issueDate = Int64(d.issueDate.ordinal)
            if let due = d.dueDate { new.dueDate = Int64(due.ordinal); new.dueDerived = false }
            if let v = d.deliveryDate { new.deliveryDate = Int64(v.ordinal) }
            new.currency = d.currency.code
            if let v = d.amountExclTax { new.amountExclTax = v }
            if let v = d.tax { new.tax = v }
            new.amount = d.amount
            if let v = Self.nonEmpty(d.originalInvoice) { new.originalInvoice = v }
            if let v = Self.nonEmpty(d.paymentReference) { new.paymentReference = v }
            let firstTime = touched.insert(d.number).inserted
            guard new != old else {
                stats.documents.unchanged += 1
                continue
            }
            guard firstTime else { throw StoreError.conflictingDuplicateDocument(number: d.number) }
            update.bind(1, new.issueDate)
            update.bind(2, new.dueDate)
            update.bind(3, new.dueDerived ? 1 : 0)
            update.bind(4, new.deliveryDate)
            update.bind(5, new.currency)
            update.bind(6, new.amountExclTax)
            update.bind(7, new.tax)
            update.bind(8, new.amount)
            update.bind(9, new.originalInvoice)
            update.bind(10, new.paymentReference)
            update.bind(11, fileId)
            update.bind(12, d.sourceLocation)
            update.bind(13, id)
            try update.execute()
            var detail = JSONText()
            detail.add("number", d.number)
            detail.addRaw("changes", old.changes(to: new))
            try journal("document.updated", subjectType: "document", subjectId: d.number, detail: detail.json)
            stats.documents.updated += 1
            if new.amount < old.amount || new.currency != old.currency {
                let column = d.kind == .invoice ? "invoice_id" : "credit_note_id"
                try releaseOverAllocations(column: column, id: id, amount: new.amount, currency: new.currency,
                                           subject: "document", subjectId: d.number)
            }
        }
    }

    // MARK: Payments

    private static let paymentContent =
        "customer_id, date, value_date, amount, currency, reference, invoice_number, payer_name, payer_iban, structured_reference, end_to_end_id, reverses"

    private func ingestPayments(_ payments: [Payment]) throws {
        guard !payments.isEmpty else { return }
        let insert = try RawStatement(db, """
            INSERT INTO payments (payment_ref, customer_id, date, value_date, amount, currency, reference, invoice_number,
                payer_name, payer_iban, structured_reference, end_to_end_id, reverses, source_file_id, source_location)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        func insertRow(_ p: Payment) throws {
            insert.bind(1, p.paymentId)
            insert.bind(2, Self.nonEmpty(p.customerId))
            insert.bind(3, Int64(p.date.ordinal))
            insert.bind(4, p.valueDate?.ordinal)
            insert.bind(5, p.amount)
            insert.bind(6, p.currency)
            insert.bind(7, p.reference)
            insert.bind(8, p.invoiceNumber)
            insert.bind(9, p.payerName)
            insert.bind(10, p.payerIban)
            insert.bind(11, p.structuredReference)
            insert.bind(12, p.endToEndId)
            insert.bind(13, p.reverses)
            insert.bind(14, fileId)
            insert.bind(15, p.sourceLocation)
            try insert.execute()
        }

        if try isEmpty("payments") {
            try withoutIndexes("payments", load: {
                for p in payments { try insertRow(p) }
                stats.payments.inserted += payments.count
            }, resolveDuplicates: {
                let removed = try removeExactRepeats(table: "payments", key: "payment_ref", content: Self.paymentContent,
                                                     conflict: { .conflictingDuplicatePayment(paymentId: $0) })
                stats.payments.inserted -= removed
                stats.payments.unchanged += removed
            })
            return
        }

        let lookup = try RawStatement(db, """
            SELECT id, customer_id, date, value_date, amount, currency, reference, invoice_number, payer_name, payer_iban,
                   structured_reference, end_to_end_id, reverses
            FROM payments WHERE payment_ref = ?
            """)
        let update = try RawStatement(db, """
            UPDATE payments SET customer_id = ?, date = ?, value_date = ?, amount = ?, currency = ?, reference = ?,
                invoice_number = ?, payer_name = ?, payer_iban = ?, structured_reference = ?, end_to_end_id = ?,
                reverses = ?, source_file_id = ?, source_location = ?
            WHERE id = ?
            """)
        var touched = Set<String>()
        touched.reserveCapacity(payments.count)
        for p in payments {
            lookup.bind(1, p.paymentId)
            guard try lookup.query() else {
                try insertRow(p)
                touched.insert(p.paymentId)
                stats.payments.inserted += 1
                continue
            }
            if Self.storedRowMatches(lookup, p) {
                lookup.finish()
                touched.insert(p.paymentId)
                stats.payments.unchanged += 1
                continue
            }
            let id = lookup.int64(0)
            let old = StoredPayment(
                customerId: lookup.stringOrNil(1), date: lookup.int64(2), valueDate: lookup.int64OrNil(3),
                amount: lookup.int64(4), currency: lookup.string(5), reference: lookup.stringOrNil(6),
                invoiceNumber: lookup.stringOrNil(7), payerName: lookup.stringOrNil(8), payerIban: lookup.stringOrNil(9),
                structuredReference: lookup.stringOrNil(10), endToEndId: lookup.stringOrNil(11), reverses: lookup.stringOrNil(12))
            lookup.finish()
            var new = old
            if let c = Self.nonEmpty(p.customerId) {
                if let stored = old.customerId, stored != c {
                    throw StoreError.paymentCustomerConflict(paymentId: p.paymentId, storedCustomer: stored, newCustomer: c)
                }
                new.customerId = c
            }
            new.date = Int64(p.date.ordinal)
            if let v = p.valueDate { new.valueDate = Int64(v.ordinal) }
            new.amount = p.amount
            new.currency = p.currency.code
            if let v = Self.nonEmpty(p.reference) { new.reference = v }
            if let v = Self.nonEmpty(p.invoiceNumber) { new.invoiceNumber = v }
            if let v = Self.nonEmpty(p.payerName) { new.payerName = v }
            if let v = Self.nonEmpty(p.payerIban) { new.payerIban = v }
            if let v = Self.nonEmpty(p.structuredReference) { new.structuredReference = v }
            if let v = Self.nonEmpty(p.endToEndId) { new.endToEndId = v }
            if let v = Self.nonEmpty(p.reverses) { new.reverses = v }
            let firstTime = touched.insert(p.paymentId).inserted
            guard new != old else {
                stats.payments.unchanged += 1
                continue
            }
            guard firstTime else { throw StoreError.conflictingDuplicatePayment(paymentId: p.paymentId) }
            update.bind(1, new.customerId)
            update.bind(2, new.date)
            update.bind(3, new.valueDate)
            update.bind(4, new.amount)
            update.bind(5, new.currency)
            update.bind(6, new.reference)
            update.bind(7, new.invoiceNumber)
            update.bind(8, new.payerName)
            update.bind(9, new.payerIban)
            update.bind(10, new.structuredReference)
            update.bind(11, new.endToEndId)
            update.bind(12, new.reverses)
            update.bind(13, fileId)
            update.bind(14, p.sourceLocation)
            update.bind(15, id)
            try update.execute()
            var detail = JSONText()
            detail.add("payment_id", p.paymentId)
            detail.addRaw("changes", old.changes(to: new))
            try journal("payment.updated", subjectType: "payment", subjectId: p.paymentId, detail: detail.json)
            stats.payments.updated += 1
            if new.amount < old.amount || new.currency != old.currency {
                try releaseOverAllocations(column: "payment_id", id: id, amount: max(new.amount, 0), currency: new.currency,
                                           subject: "payment", subjectId: p.paymentId)
            }
        }
    }

    /// Whether the stored document (columns of the document look-up) already says everything
    /// `d` says, by the merge rules of `ingestDocuments` (an absent field keeps the stored one).
    private static func storedRowMatches(_ row: RawStatement, _ d: Document) -> Bool {
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

    /// Same for a payment (columns of the payment look-up).
    private static func storedRowMatches(_ row: RawStatement, _ p: Payment) -> Bool {
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

    // MARK: Releasing allocations a changed record no longer covers

    /// When a document or payment shrank (or changed currency) below what is allocated on it,
    /// its automatic allocations (no person confirmed them, made by the allocation pass) are
    /// dropped and journaled `allocation.released`; the next pass re-applies what still fits.
    /// Allocations a person confirmed, or that a source stated, are never dropped here.
    private func releaseOverAllocations(column: String, id: Int64, amount: Int64, currency: String,
                                        subject: String, subjectId: String) throws {
        let row = try Row.fetchOne(db, sql: """
            SELECT IFNULL(SUM(CASE WHEN currency = ? THEN amount ELSE 0 END), 0),
                   IFNULL(SUM(CASE WHEN currency = ? THEN 0 ELSE 1 END), 0)
            FROM allocations WHERE \(column) = ?
            """, arguments: [currency, currency, id])
        let allocated: Int64 = row?[0] ?? 0
        let mismatched: Int64 = row?[1] ?? 0
        guard allocated > amount || mismatched > 0 else { return }
        let released = try Row.fetchAll(db, sql: """
            SELECT a.id, a.amount, a.currency, a.rule, i.number, p.payment_ref, c.number
            FROM allocations a
            JOIN documents i ON i.id = a.invoice_id
            LEFT JOIN payments p ON p.id = a.payment_id
            LEFT JOIN documents c ON c.id = a.credit_note_id
            WHERE a.\(column) = ? AND a.confirmed_by IS NULL AND a.rule IN (?, ?)
            ORDER BY a.id
            """, arguments: [id, AllocationRule.exactInvoiceNumber.rawValue, AllocationRule.creditNoteOriginal.rawValue])
        for r in released {
            let allocationId: Int64 = r[0]
            try db.execute(sql: "DELETE FROM allocations WHERE id = ?", arguments: [allocationId])
            var detail = JSONText()
            detail.add("allocation_id", allocationId)
            detail.add("invoice", r[4] as String)
            detail.add("payment_id", r[5] as String?)
            detail.add("credit_note", r[6] as String?)
            detail.add("amount", r[1] as Int64)
            detail.add("currency", r[2] as String)
            detail.add("rule", r[3] as String)
            detail.add("reason", "\(subject) \(subjectId) changed: \(amount) \(currency) no longer covers \(allocated) allocated")
            try journal("allocation.released", subjectType: "allocation", subjectId: String(allocationId), detail: detail.json)
            stats.releasedAllocations += 1
        }
    }

    // MARK: Stated allocations

    private func ingestStatedAllocations(_ allocations: [StatedAllocation]) throws {
        guard !allocations.isEmpty else { return }
        let document = try RawStatement(db, "SELECT id, kind, currency FROM documents WHERE number = ?")
        let payment = try RawStatement(db, "SELECT id FROM payments WHERE payment_ref = ?")
        struct Resolved { var invoice: Int64; var payment: Int64?; var creditNote: Int64? }
        var unknown: [String] = []
        var unknownSeen = Set<String>()
        func missing(_ s: String) { if unknownSeen.insert(s).inserted { unknown.append(s) } }
        var resolved: [Resolved?] = []
        resolved.reserveCapacity(allocations.count)
        for a in allocations {
            guard a.amount > 0 else { throw StoreError.nonPositiveAllocation(invoiceNumber: a.invoiceNumber, amount: a.amount) }
            var invoice: Int64?
            document.bind(1, a.invoiceNumber)
            if try document.query() {
                if document.string(1) == DocumentKind.invoice.rawValue {
                    invoice = document.int64(0)
                    let currency = document.string(2)
                    if currency != a.currency.code {
                        document.finish()
                        throw StoreError.allocationCurrencyMismatch(invoiceNumber: a.invoiceNumber, invoiceCurrency: currency,
                                                                    allocationCurrency: a.currency.code)
                    }
                }
                document.finish()
            }
            if invoice == nil { missing("invoice \(a.invoiceNumber)") }
            var paymentId: Int64?
            var creditNote: Int64?
            var creditKnown = true
            switch a.credit {
            case let .payment(ref):
                payment.bind(1, ref)
                if try payment.query() { paymentId = payment.int64(0); payment.finish() } else { creditKnown = false; missing("payment \(ref)") }
            case let .creditNote(number):
                document.bind(1, number)
                if try document.query() {
                    if document.string(1) == DocumentKind.creditNote.rawValue { creditNote = document.int64(0) }
                    document.finish()
                }
                if creditNote == nil { creditKnown = false; missing("credit note \(number)") }
            case .prepaid:
                break
            }
            if let invoice, creditKnown {
                resolved.append(Resolved(invoice: invoice, payment: paymentId, creditNote: creditNote))
            } else {
                resolved.append(nil)
            }
        }
        guard unknown.isEmpty else { throw StoreError.unknownReferences(unknown) }

        let existing = try RawStatement(db, """
            SELECT 1 FROM allocations WHERE invoice_id = ? AND payment_id IS ? AND credit_note_id IS ?
            AND amount = ? AND rule = ? LIMIT 1
            """)
        let insert = try RawStatement(db, """
            INSERT INTO allocations (invoice_id, payment_id, credit_note_id, amount, currency, rule, evidence, confirmed_by,
                                     created_at, source_file_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
            """)
        for (a, r) in zip(allocations, resolved) {
            guard let r else { continue }
            // A prepaid amount has no credit record: it is always stated as a prepayment.
            let rule = a.credit == .prepaid ? AllocationRule.prepayment : a.rule
            existing.bind(1, r.invoice)
            existing.bind(2, r.payment)
            existing.bind(3, r.creditNote)
            existing.bind(4, a.amount)
            existing.bind(5, rule.rawValue)
            if try existing.query() {
                existing.finish()
                stats.allocations.unchanged += 1
                continue
            }
            insert.bind(1, r.invoice)
            insert.bind(2, r.payment)
            insert.bind(3, r.creditNote)
            insert.bind(4, a.amount)
            insert.bind(5, a.currency)
            insert.bind(6, rule.rawValue)
            insert.bind(7, a.evidence)
            insert.bind(8, timestamp)
            insert.bind(9, fileId)
            try insert.execute()
            stats.allocations.inserted += 1
        }
    }

    // MARK: Attachments

    /// Attachments are keyed by document number and content: the document may arrive later
    /// (an invoice's PDF dropped before the ERP export), so no foreign key binds them.
    private func ingestAttachments(_ attachments: [Attachment]) throws {
        for a in attachments {
            let digest = ContentHash.sha256Hex(a.bytes)
            let known = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM attachments WHERE document_number = ? AND sha256 = ?)",
                                          arguments: [a.documentNumber, digest]) ?? false
            if known {
                stats.attachments.unchanged += 1
                continue
            }
            let insert = try RawStatement(db, """
                INSERT INTO attachments (document_number, file_name, media_type, sha256, stored_path, content, source_file_id)
                VALUES (?, ?, ?, ?, NULL, ?, ?)
                """)
            insert.bind(1, a.documentNumber)
            insert.bind(2, a.fileName)
            insert.bind(3, a.mediaType)
            insert.bind(4, digest)
            insert.bindBlob(5, a.bytes)
            insert.bind(6, fileId)
            try insert.execute()
            stats.attachments.inserted += 1
        }
    }
}

/// The comparable content of a stored document (its natural key and customer aside).
struct StoredDocument: Equatable {
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

    /// `{"field":{"old":…,"new":…},…}` for the fields that differ; days as `yyyy-mm-dd`.
    func changes(to new: StoredDocument) -> String {
        var out = JSONText()
        func day(_ v: Int64?) -> String? { v.map { Day(ordinal: Int32(truncatingIfNeeded: $0)).description } }
        func text(_ field: String, _ a: String?, _ b: String?) {
            guard a != b else { return }
            var c = JSONText(); c.add("old", a); c.add("new", b); out.addRaw(field, c.json)
        }
        func int(_ field: String, _ a: Int64?, _ b: Int64?) {
            guard a != b else { return }
            var c = JSONText(); c.add("old", a); c.add("new", b); out.addRaw(field, c.json)
        }
        text("issue_date", day(issueDate), day(new.issueDate))
        text("due_date", day(dueDate), day(new.dueDate))
        int("due_date_derived", dueDerived ? 1 : 0, new.dueDerived ? 1 : 0)
        text("delivery_date", day(deliveryDate), day(new.deliveryDate))
        text("currency", currency, new.currency)
        int("amount_excl_tax", amountExclTax, new.amountExclTax)
        int("tax", tax, new.tax)
        int("amount", amount, new.amount)
        text("original_invoice", originalInvoice, new.originalInvoice)
        text("payment_reference", paymentReference, new.paymentReference)
        return out.json
    }
}

/// The comparable content of a stored payment (its natural key aside).
struct StoredPayment: Equatable {
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

    func changes(to new: StoredPayment) -> String {
        var out = JSONText()
        func day(_ v: Int64?) -> String? { v.map { Day(ordinal: Int32(truncatingIfNeeded: $0)).description } }
        func text(_ field: String, _ a: String?, _ b: String?) {
            guard a != b else { return }
            var c = JSONText(); c.add("old", a); c.add("new", b); out.addRaw(field, c.json)
        }
        text("customer_id", customerId, new.customerId)
        text("date", day(date), day(new.date))
        text("value_date", day(valueDate), day(new.valueDate))
        if amount != new.amount { var c = JSONText(); c.add("old", amount); c.add("new", new.amount); out.addRaw("amount", c.json) }
        text("currency", currency, new.currency)
        text("reference", reference, new.reference)
        text("invoice_number", invoiceNumber, new.invoiceNumber)
        text("payer_name", payerName, new.payerName)
        text("payer_iban", payerIban, new.payerIban)
        text("structured_reference", structuredReference, new.structuredReference)
        text("end_to_end_id", endToEndId, new.endToEndId)
        text("reverses", reverses, new.reverses)
        return out.json
    }
}
