import GRDB
import RelanceCore

/// One customer, many sources: the pre-pass that rewrites a batch's customer ids to the ids
/// the store already holds for the same company, before the batch is upserted.
///
/// The same client reaches the store as `C001` from the ERP's customers file, as its SIREN from
/// a UBL/CII invoice (the e-invoice reader names a buyer by SIREN, else VAT number), and as an
/// auxiliary account (`CompAuxNum`, e.g. `411DUPONT`) from an FEC. Upserting each under its own
/// id would create three customers, split the aged balance, and refuse the FEC's copy of an
/// invoice the UBL already brought ("document … is already stored for customer …").
///
/// A batch id the store does not know is linked to a stored customer, in this order:
/// 1. an earlier link (journal event `customer.linked`, so the next file of the same source
///    lands on the same customer without matching again);
/// 2. for an FEC or an e-invoice (sources that do not use the ERP's customer codes), a
///    document number of the batch already stored for one other customer ("numéro de
///    facture": unique per issuer, so the same number means the same buyer). This is how an
///    FEC auxiliary account, which carries no SIREN, joins the customer of an invoice that a
///    customers file or an e-invoice brought first. It comes before the SIREN because the
///    stored document decides anyway: linking elsewhere would make the batch's copy of it
///    conflict ("document … is already stored for customer …") and reject the file;
/// 3. the same SIREN (a SIRET's first 9 digits; a French VAT number `FRkk` + SIREN also gives
///    it), when exactly one stored customer has it — or exactly one has the same SIRET;
/// 4. the same intra-EU VAT number, when exactly one stored customer has it.
///
/// Names are not matched: "Dupont SARL" and "Dupont SAS" are two companies. So an FEC that
/// arrives before any invoice it shares with a customers file or an e-invoice creates its
/// auxiliary accounts as customers of their own; a later e-invoice of one of its invoices then
/// joins that account (rule 2) and gives it its SIREN.
///
/// Several stored customers with the same SIREN (two accounts the ERP keeps on purpose) are
/// not guessed between: the batch id stays a customer of its own. Ids the store knows are never
/// touched, so two stored customers are never merged here. A linked record only fills fields
/// the stored customer lacks: the first source (usually the customers file, the master data)
/// keeps its name, address and kind. Each new link is journaled (`customer.linked`).
///
/// After the customers, `PaymentSourceMatch` links payments stated both by the books and by the
/// bank (see there).
enum CustomerIdentity {
    /// Event kind of a customer link; `subject_id` is the stored id, `detail.alias` the batch id.
    static let linkEvent = "customer.linked"

    /// The batch with customer ids (and payment ids, see `PaymentSourceMatch`) rewritten to the
    /// stored ones; new links journaled in the same transaction as the batch.
    static func resolve(_ batch: IngestBatch, db: Database, fileId: Int64, timestamp: String, actor: String) throws -> IngestBatch {
        var batch = batch
        let journal = LinkJournal(db: db, fileId: fileId, timestamp: timestamp, actor: actor)
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customers)") ?? false {
            try linkCustomers(&batch, db: db, journal: journal)
        }
        try PaymentSourceMatch.link(&batch, db: db, journal: journal)
        return batch
    }

    // MARK: Keys

    /// The SIREN (9 digits) a customer's identifiers give: its `siren` field (a SIRET's first
    /// 9 digits) or, failing that, a French VAT number.
    static func sirenKey(siren: String?, vat: String?) -> String? {
        if let digits = siren.map(onlyDigits) {
            if digits.utf8.count == 9 || digits.utf8.count == 14 { return String(digits.prefix(9)) }
        }
        if let vat = vatKey(vat), vat.hasPrefix("FR"), vat.utf8.count == 13 {
            let siren = String(vat.suffix(9))
            if siren.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return siren }
        }
        return nil
    }

    /// The 14-digit SIRET when the `siren` field holds one.
    static func siretKey(_ siren: String?) -> String? {
        guard let digits = siren.map(onlyDigits), digits.utf8.count == 14 else { return nil }
        return digits
    }

    /// A VAT number compacted: upper case, blanks, dots and hyphens removed.
    static func vatKey(_ vat: String?) -> String? {
        guard let vat else { return nil }
        var out = ""
        for u in vat.uppercased().unicodeScalars where !(u == " " || u == "." || u == "-" || u == "\u{A0}") {
            out.unicodeScalars.append(u)
        }
        return out.utf8.count >= 4 ? out : nil
    }

    /// The digits of an identifier written with blanks or dots ("123 456 789"); empty when
    /// anything else is in it.
    private static func onlyDigits(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if u == " " || u == "." || u == "\u{A0}" { continue }
            guard u.value >= 0x30 && u.value <= 0x39 else { return "" }
            out.unicodeScalars.append(u)
        }
        return out
    }

    // MARK: Linking

    private struct Link {
        var stored: String
        var matchedBy: String
        var value: String
        var isNew: Bool
    }

    private static func linkCustomers(_ batch: inout IngestBatch, db: Database, journal: LinkJournal) throws {
        // Distinct ids of the batch, first-seen order.
        let ids = batch.resolvedCustomerReferences.ids
        let exists = try RawStatement(db, "SELECT 1 FROM customers WHERE id = ?")
        var unknown: [String] = []
        for id in ids {
            exists.bind(1, id)
            if try exists.query() { exists.finish() } else { unknown.append(id) }
        }
        guard !unknown.isEmpty else { return }

        let earlier = try earlierLinks(db)
        var identity: StoredIdentities?
        var links: [String: Link] = [:]
        // Identifiers each unknown id carries in this batch (a later non-empty value completes).
        var sirens: [String: String] = [:]
        var sirets: [String: String] = [:]
        var vats: [String: String] = [:]
        for c in batch.customers {
            if let s = sirenKey(siren: c.siren, vat: c.vatNumber) { sirens[c.id] = s }
            if let s = siretKey(c.siren) { sirets[c.id] = s }
            if let v = vatKey(c.vatNumber) { vats[c.id] = v }
        }
        let foreignIds = speaksForeignIds(batch.format)
        var documentsOf: [String: [String]] = [:]
        if foreignIds {
            for d in batch.documents { documentsOf[d.customerId, default: []].append(d.number) }
        }
        let documentCustomer = try RawStatement(db, "SELECT customer_id FROM documents WHERE number = ?")

        for id in unknown {
            if let stored = earlier[id] {
                links[id] = Link(stored: stored, matchedBy: "earlier link", value: id, isNew: false)
                continue
            }
            // The same document number already stored for exactly one other customer.
            guard foreignIds else { continue }
            var owner: String?
            var evidence = ""
            var agree = true
            for number in documentsOf[id] ?? [] {
                documentCustomer.bind(1, number)
                guard try documentCustomer.query() else { continue }
                let c = documentCustomer.string(0)
                documentCustomer.finish()
                if owner == nil { owner = c; evidence = number } else if owner != c { agree = false; break }
            }
            if agree, let owner {
                links[id] = Link(stored: owner, matchedBy: "document_number", value: evidence, isNew: true)
                continue
            }
        }
        for id in unknown where links[id] == nil {
            if sirens[id] != nil || vats[id] != nil, identity == nil { identity = try StoredIdentities(db) }
            if let siren = sirens[id], let candidates = identity?.bySiren[siren] {
                if candidates.count == 1 {
                    links[id] = Link(stored: candidates[0], matchedBy: "siren", value: siren, isNew: true)
                    continue
                }
                if let siret = sirets[id] {
                    let same = candidates.filter { identity?.siretOf[$0] == siret }
                    if same.count == 1 {
                        links[id] = Link(stored: same[0], matchedBy: "siret", value: siret, isNew: true)
                        continue
                    }
                }
            }
            if let vat = vats[id], let candidates = identity?.byVat[vat], candidates.count == 1 {
                links[id] = Link(stored: candidates[0], matchedBy: "vat_number", value: vat, isNew: true)
                continue
            }
        }
        guard !links.isEmpty else { return }

        for id in unknown {
            guard let link = links[id], link.isNew else { continue }
            var detail = JSONText()
            detail.add("alias", id)
            detail.add("matched_by", link.matchedBy)
            detail.add("value", link.value)
            try journal.append(kind: linkEvent, subjectType: "customer", subjectId: link.stored, detail: detail.json)
        }
        try rewrite(&batch, links: links.mapValues(\.stored), db: db)
    }

    /// Whether the batch names customers otherwise than the ERP does: an FEC by its auxiliary
    /// accounts, an e-invoice by the buyer's SIREN or VAT number. Only such a source links by a
    /// shared document number: in the ERP's own exports (CSV) the customer code is the key, and
    /// an invoice number stored for another code is a conflict that rejects the file.
    static func speaksForeignIds(_ format: String) -> Bool {
        format == "FEC" || format.hasPrefix("UBL") || format.hasPrefix("CII") || format == "PDF"
    }

    /// `alias → stored id` from the journal; the latest link of an alias wins.
    private static func earlierLinks(_ db: Database) throws -> [String: String] {
        var out: [String: String] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT json_extract(e.detail, '$.alias'), e.subject_id FROM events e
            WHERE e.kind = ? AND EXISTS (SELECT 1 FROM customers c WHERE c.id = e.subject_id)
            ORDER BY e.id
            """, arguments: [linkEvent])
        while let row = try rows.next() {
            if let alias: String = row[0], let stored: String = row[1] { out[alias] = stored }
        }
        return out
    }

    /// Moves the batch's records onto the stored ids. A linked customer record keeps only the
    /// fields the stored customer lacks, and never states the kind.
    private static func rewrite(_ batch: inout IngestBatch, links: [String: String], db: Database) throws {
        let lookup = try RawStatement(db, """
            SELECT name, siren, vat_number, email, phone, address, postal_code, city, country, language
            FROM customers WHERE id = ?
            """)
        var storedFields: [String: [Bool]] = [:]
        func filled(_ id: String) throws -> [Bool] {
            if let known = storedFields[id] { return known }
            lookup.bind(1, id)
            var flags = [Bool](repeating: false, count: 10)
            if try lookup.query() {
                for i in 0..<10 { flags[i] = !lookup.isNull(Int32(i)) && !lookup.string(Int32(i)).isEmpty }
                lookup.finish()
            }
            storedFields[id] = flags
            return flags
        }
        for i in batch.customers.indices {
            guard let stored = links[batch.customers[i].id] else { continue }
            let f = try filled(stored)
            var c = batch.customers[i]
            c.id = stored
            if f[0] { c.name = "" }
            if f[1] { c.siren = nil }
            if f[2] { c.vatNumber = nil }
            if f[3] { c.email = nil }
            if f[4] { c.phone = nil }
            if f[5] { c.address = nil }
            if f[6] { c.postalCode = nil }
            if f[7] { c.city = nil }
            if f[8] { c.country = nil }
            if f[9] { c.language = nil }
            c.kindStated = false
            batch.customers[i] = c
        }
        for i in batch.documents.indices {
            if let stored = links[batch.documents[i].customerId] { batch.documents[i].customerId = stored }
        }
        batch.customerReferences = nil
        for i in batch.payments.indices {
            if let c = batch.payments[i].customerId, let stored = links[c] { batch.payments[i].customerId = stored }
        }
    }
}

/// SIREN, SIRET and VAT number of every stored customer that has one, loaded once per batch
/// that needs them (the `customers` table has no index on these columns).
private struct StoredIdentities {
    var bySiren: [String: [String]] = [:]
    var byVat: [String: [String]] = [:]
    var siretOf: [String: String] = [:]

    init(_ db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT id, siren, vat_number FROM customers WHERE siren IS NOT NULL OR vat_number IS NOT NULL ORDER BY id
            """)
        while let row = try rows.next() {
            let id: String = row[0]
            let siren: String? = row[1]
            let vat: String? = row[2]
            if let s = CustomerIdentity.sirenKey(siren: siren, vat: vat) { bySiren[s, default: []].append(id) }
            if let s = CustomerIdentity.siretKey(siren) { siretOf[id] = s }
            if let v = CustomerIdentity.vatKey(vat) { byVat[v, default: []].append(id) }
        }
    }
}

/// Journal events of the pre-pass, written with the batch's file and in its transaction.
struct LinkJournal {
    let db: Database
    let fileId: Int64
    let timestamp: String
    let actor: String

    func append(kind: String, subjectType: String, subjectId: String, detail: String) throws {
        try Store.insertEvent(db, at: timestamp, actor: actor, kind: kind, subjectType: subjectType,
                              subjectId: subjectId, detail: detail, sourceFileId: fileId)
    }
}
