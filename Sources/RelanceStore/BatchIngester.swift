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
        // Customers known only from document and payment rows (id, and the first name a
        // document row gives), worked out ahead on the reader's thread.
        let references = batch.resolvedCustomerReferences
        let implicitOrder = references.recordOnlyIds
        let implicitNames = references.documentNames

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

    // MARK: Documents and payments

    private func ingestDocuments(_ documents: [Document]) throws {
        try upsert(documents, as: DocumentTable.self, counts: \.documents)
    }

    private func ingestPayments(_ payments: [Payment]) throws {
        try upsert(payments, as: PaymentTable.self, counts: \.payments)
    }

    /// Writes records on their natural key. Into an empty table: appended without secondary
    /// indexes (a repeated key inside the batch must repeat the same content). Otherwise: a new
    /// key is inserted, a row the store already holds counts as unchanged (the daily case: the
    /// full export again), a changed row is updated and journaled `<subject>.updated`, and when
    /// it shrank its automatic allocations that no longer fit are released.
    private func upsert<T: RecordTable>(_ records: [T.Record], as table: T.Type,
                                        counts: WritableKeyPath<IngestStats, IngestStats.Counts>) throws {
        guard !records.isEmpty else { return }
        let insert = try RawStatement(db, T.insertSQL)
        if try isEmpty(T.table) {
            try withoutIndexes(T.table, load: {
                for r in records {
                    T.bindInsert(insert, r, fileId: fileId)
                    try insert.execute()
                }
                stats[keyPath: counts].inserted += records.count
            }, resolveDuplicates: {
                let removed = try removeExactRepeats(table: T.table, key: T.keyColumn, content: T.contentColumns,
                                                     conflict: T.duplicateConflict)
                stats[keyPath: counts].inserted -= removed
                stats[keyPath: counts].unchanged += removed
            })
            return
        }

        let lookup = try RawStatement(db, T.lookupSQL)
        let update = try RawStatement(db, T.updateSQL)
        var touched = Set<String>()
        touched.reserveCapacity(records.count)
        for r in records {
            let key = T.key(r)
            lookup.bind(1, key)
            guard try lookup.query() else {
                T.bindInsert(insert, r, fileId: fileId)
                try insert.execute()
                touched.insert(key)
                stats[keyPath: counts].inserted += 1
                continue
            }
            if T.storedMatches(lookup, r) {
                lookup.finish()
                touched.insert(key)
                stats[keyPath: counts].unchanged += 1
                continue
            }
            let id = lookup.int64(0)
            let old: T.Stored
            do {
                old = try T.stored(lookup, for: r)
            } catch {
                lookup.finish()
                throw error
            }
            lookup.finish()
            let new = try T.merged(old, with: r)
            let firstTime = touched.insert(key).inserted
            guard new != old else {
                stats[keyPath: counts].unchanged += 1
                continue
            }
            guard firstTime else { throw T.duplicateConflict(key) }
            T.bindUpdate(update, new, r, fileId: fileId, id: id)
            try update.execute()
            var detail = JSONText()
            detail.add(T.keyField, key)
            detail.addRaw("changes", T.changes(from: old, to: new))
            try journal("\(T.subject).updated", subjectType: T.subject, subjectId: key, detail: detail.json)
            stats[keyPath: counts].updated += 1
            if let shrink = T.shrink(from: old, to: new, r) {
                try releaseOverAllocations(column: shrink.column, id: id, amount: shrink.amount, currency: shrink.currency,
                                           subject: T.subject, subjectId: key)
            }
        }
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
