import Foundation
import GRDB
import RelanceCore

/// What the reminder planner reads from the store on an as-of date.
public struct ReminderInputs: Sendable {
    public var customers: [ReminderCustomerState]
    public var invoices: [ReminderInvoiceState]
}

/// A customer's contact details for rendering a reminder.
public struct ReminderContact: Sendable, Hashable {
    public var id: String
    public var name: String
    public var kind: CustomerKind
    public var email: String?
    public var phone: String?
    /// Street lines, then "postcode city", then the country when not France.
    public var addressLines: [String]
    public var language: String?
}

/// One reminder as recorded in the store (`reminders` + its `reminder_items`).
public struct RecordedReminder: Sendable, Hashable {
    public struct Item: Sendable, Hashable {
        public var documentId: Int64
        public var number: String
        public var step: String
        public var openAmount: Int64
        public var daysLate: Int
        public init(documentId: Int64, number: String, step: String, openAmount: Int64, daysLate: Int) {
            self.documentId = documentId; self.number = number; self.step = step; self.openAmount = openAmount; self.daysLate = daysLate
        }
    }

    public var id: String
    public var asOf: Day
    public var customerId: String
    public var step: String
    public var channel: ReminderChannel
    public var amount: Int64
    public var currency: Currency
    /// Output path relative to the outbox (`reminders/<as-of>/email/<id>.eml`), nil for
    /// rows of the shared CSV files (SMS, calls).
    public var file: String?
    public var sha256: String?
    public var status: String
    public var items: [Item]

    public init(id: String, asOf: Day, customerId: String, step: String, channel: ReminderChannel, amount: Int64,
                currency: Currency, file: String?, sha256: String?, status: String = "recorded", items: [Item]) {
        self.id = id; self.asOf = asOf; self.customerId = customerId; self.step = step; self.channel = channel
        self.amount = amount; self.currency = currency; self.file = file; self.sha256 = sha256; self.status = status
        self.items = items
    }
}

/// Facts about one invoice that a formal notice itemises: credits and payments with their days.
public struct InvoiceSettlementFacts: Sendable, Hashable {
    public var amount: Int64
    public var currency: Currency
    public var issueDate: Day
    public var dueDate: Day
    /// Credit notes and write-offs (they lower the principal from the start).
    public var credited: Int64
    /// Payments applied to the invoice: (value date or booking date, amount).
    public var payments: [(day: Day, amount: Int64)]

    public static func == (l: Self, r: Self) -> Bool {
        l.amount == r.amount && l.currency == r.currency && l.credited == r.credited && l.dueDate == r.dueDate
            && l.issueDate == r.issueDate && l.payments.map(\.day) == r.payments.map(\.day) && l.payments.map(\.amount) == r.payments.map(\.amount)
    }
    public func hash(into h: inout Hasher) { h.combine(amount); h.combine(dueDate) }
}

extension Store {
    /// Reads every open invoice (amount − allocations − write-offs > 0) with the steps already
    /// issued and its holds, and the customers owing them, as of `asOf`.
    ///
    /// Holds (shared contract with the disputes stage): an open dispute; an open litigation
    /// case holding the invoice; an active payment plan holding it; an open promise whose day
    /// is on or after the as-of date (a missed one no longer holds). Blocked customers come
    /// from the configuration, segments too. A customer's unapplied payments (payments minus
    /// their allocations and the credit manager's refund/ignore/write-off decisions) are read
    /// per currency; the average days late of past payments gives the payment-behaviour score.
    public func reminderInputs(asOf: Day, blockedCustomers: Set<String> = [], segments: [String: String] = [:]) throws -> ReminderInputs {
        try queue.read { db in
            var sent: [Int64: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT document_id, step FROM reminder_items") {
                sent[row[0], default: []].insert(row[1])
            }
            var holds: [Int64: [ReminderHold]] = [:]
            for id in try Int64.fetchAll(db, sql: "SELECT document_id FROM disputes WHERE status = 'open'") {
                holds[id, default: []].append(.disputed)
            }
            for id in try Int64.fetchAll(db, sql: """
                SELECT li.document_id FROM litigation_invoices li JOIN litigation_cases c ON c.id = li.case_id
                WHERE c.status = 'open'
                """) {
                holds[id, default: []].append(.inLitigation)
            }
            for id in try Int64.fetchAll(db, sql: """
                SELECT pi.document_id FROM plan_invoices pi JOIN payment_plans p ON p.id = pi.plan_id WHERE p.status = 'active'
                """) {
                holds[id, default: []].append(.paymentPlan)
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT document_id, MAX(promised_on) FROM promises WHERE status = 'open' AND promised_on >= ? GROUP BY document_id
                """, arguments: [Int(asOf.ordinal)]) {
                holds[row[0], default: []].append(.promise(until: Day(ordinal: Int32(row[1] as Int64))))
            }

            var invoices: [ReminderInvoiceState] = []
            let scan = try RawStatement(db, """
                SELECT d.id, d.number, d.customer_id, d.currency, d.amount, d.issue_date, IFNULL(d.due_date, d.issue_date),
                       d.amount - IFNULL((SELECT SUM(a.amount) FROM allocations a WHERE a.invoice_id = d.id), 0)
                                - IFNULL((SELECT SUM(w.amount) FROM writeoffs w WHERE w.invoice_id = d.id), 0)
                FROM documents d WHERE d.kind = 'invoice' ORDER BY d.id
                """)
            var more = try scan.query()
            while more {
                let open = scan.int64(7)
                if open > 0, let currency = scan.currency(3) {
                    let id = scan.int64(0)
                    invoices.append(ReminderInvoiceState(
                        documentId: id, number: scan.string(1), customerId: scan.string(2),
                        amount: Money(minor: scan.int64(4), currency: currency), openAmount: open,
                        issueDate: Day(ordinal: Int32(truncatingIfNeeded: scan.int64(5))),
                        dueDate: Day(ordinal: Int32(truncatingIfNeeded: scan.int64(6))),
                        sentSteps: sent[id] ?? [], holds: holds[id] ?? []))
                }
                more = try scan.next()
            }

            let owing = Set(invoices.map(\.customerId))
            var unapplied: [String: [Currency: Int64]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT p.customer_id, p.currency,
                       SUM(p.amount - IFNULL((SELECT SUM(a.amount) FROM allocations a WHERE a.payment_id = p.id), 0)
                                    - IFNULL((SELECT SUM(IFNULL(pd.amount, p.amount)) FROM payment_decisions pd WHERE pd.payment_id = p.id), 0))
                FROM payments p WHERE p.customer_id IS NOT NULL GROUP BY p.customer_id, p.currency
                """) {
                let customer: String = row[0]
                let amount: Int64 = row[2] ?? 0
                guard owing.contains(customer), amount > 0, let currency = Currency(row[1] as String) else { continue }
                unapplied[customer, default: [:]][currency] = amount
            }
            var lastReminder: [String: Day] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT customer_id, MAX(as_of) FROM reminders WHERE as_of < ? GROUP BY customer_id",
                                        arguments: [Int(asOf.ordinal)]) {
                lastReminder[row[0]] = Day(ordinal: Int32(row[1] as Int64))
            }
            var behaviour: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT d.customer_id, SUM(a.amount * (IFNULL(p.value_date, p.date) - IFNULL(d.due_date, d.issue_date))) / SUM(a.amount)
                FROM allocations a JOIN payments p ON p.id = a.payment_id JOIN documents d ON d.id = a.invoice_id
                GROUP BY d.customer_id
                """) {
                let customer: String = row[0]
                guard owing.contains(customer), let avg = row[1] as Int64? else { continue }
                behaviour[customer] = Int(avg)
            }
            var customers: [ReminderCustomerState] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, kind, email, phone, address, postal_code, city FROM customers ORDER BY id") {
                let id: String = row[0]
                guard owing.contains(id) else { continue }
                func present(_ i: Int) -> Bool { (row[i] as String?).map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? false }
                customers.append(ReminderCustomerState(
                    id: id, kind: CustomerKind(rawValue: row[1]) ?? .business, segment: segments[id],
                    blocked: blockedCustomers.contains(id), unappliedCredit: unapplied[id] ?? [:],
                    lastReminder: lastReminder[id], averageDaysLate: behaviour[id],
                    hasEmail: present(2), hasPhone: present(3),
                    hasPostalAddress: present(4) || (present(5) && present(6))))
            }
            return ReminderInputs(customers: customers, invoices: invoices)
        }
    }

    /// Contact details of these customers (rendering of letters, e-mails, texts).
    public func reminderContacts(_ ids: Set<String>) throws -> [String: ReminderContact] {
        try queue.read { db in
            var out: [String: ReminderContact] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name, kind, email, phone, address, postal_code, city, country, language FROM customers") {
                let id: String = row[0]
                guard ids.contains(id) else { continue }
                func text(_ i: Int) -> String? {
                    guard let s = row[i] as String? else { return nil }
                    let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
                    return t.isEmpty ? nil : t
                }
                var lines = (text(5) ?? "").split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.filter { !$0.isEmpty }
                let town = [text(6), text(7)].compactMap { $0 }.joined(separator: " ")
                if !town.isEmpty { lines.append(town) }
                if let country = text(8), !["FR", "FRA", "FRANCE"].contains(country.uppercased()) { lines.append(country.uppercased()) }
                out[id] = ReminderContact(id: id, name: text(1) ?? id, kind: CustomerKind(rawValue: row[2]) ?? .business,
                                          email: text(3), phone: text(4), addressLines: lines, language: text(9))
            }
            return out
        }
    }

    /// Amounts, credits and dated payments of these invoices (the formal notice's itemised claim).
    public func invoiceSettlementFacts(_ documentIds: Set<Int64>) throws -> [Int64: InvoiceSettlementFacts] {
        try queue.read { db in
            var out: [Int64: InvoiceSettlementFacts] = [:]
            for id in documentIds.sorted() {
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT amount, currency, issue_date, IFNULL(due_date, issue_date),
                           IFNULL((SELECT SUM(amount) FROM allocations WHERE invoice_id = d.id AND credit_note_id IS NOT NULL), 0)
                         + IFNULL((SELECT SUM(amount) FROM writeoffs WHERE invoice_id = d.id), 0)
                    FROM documents d WHERE id = ?
                    """, arguments: [id]), let currency = Currency(row[1] as String) else { continue }
                let payments = try Row.fetchAll(db, sql: """
                    SELECT IFNULL(p.value_date, p.date), a.amount FROM allocations a JOIN payments p ON p.id = a.payment_id
                    WHERE a.invoice_id = ? ORDER BY 1, a.id
                    """, arguments: [id]).map { (day: Day(ordinal: Int32($0[0] as Int64)), amount: $0[1] as Int64) }
                out[id] = InvoiceSettlementFacts(amount: row[0], currency: currency, issueDate: Day(ordinal: Int32(row[2] as Int64)),
                                                 dueDate: Day(ordinal: Int32(row[3] as Int64)), credited: row[4], payments: payments)
            }
            return out
        }
    }

    /// Records a batch: every reminder and its items, in one transaction, status `recorded`.
    /// The unique index on (invoice, step, channel) refuses a second issue of the same step.
    /// `facts[i]` is the JSON the i-th reminder was rendered from (see `ReminderSchema`).
    public func recordReminderBatch(_ reminders: [RecordedReminder], facts: [String], actor: String, at timestamp: String) throws {
        precondition(facts.count == reminders.count, "one facts document per reminder")
        try queue.write { db in
            let r = try db.makeStatement(sql: """
                INSERT INTO reminders (id, as_of, customer_id, step, channel, amount, currency, file, sha256, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'recorded', ?)
                """)
            let i = try db.makeStatement(sql: """
                INSERT INTO reminder_items (reminder_id, document_id, step, channel, open_amount, days_late) VALUES (?, ?, ?, ?, ?, ?)
                """)
            let f = try db.makeStatement(sql: "INSERT INTO reminder_facts (reminder_id, facts) VALUES (?, ?)")
            for (rem, fact) in zip(reminders, facts) {
                try r.execute(arguments: [rem.id, Int(rem.asOf.ordinal), rem.customerId, rem.step, rem.channel.rawValue,
                                          rem.amount, rem.currency.code, rem.file, rem.sha256, timestamp])
                try f.execute(arguments: [rem.id, fact])
                for item in rem.items {
                    try i.execute(arguments: [rem.id, item.documentId, item.step, rem.channel.rawValue, item.openAmount, item.daysLate])
                }
            }
            if let first = reminders.first {
                var detail = JSONText()
                detail.add("as_of", first.asOf.description)
                detail.add("reminders", reminders.count)
                detail.add("items", reminders.reduce(0) { $0 + $1.items.count })
                try Self.insertEvent(db, at: timestamp, actor: actor, kind: "reminders.recorded", subjectType: "reminder_batch",
                                     subjectId: first.asOf.description, detail: detail.json, sourceFileId: nil)
            }
        }
    }

    /// The reminders recorded for an as-of date, with their items (document numbers joined),
    /// in id order.
    public func reminders(asOf: Day) throws -> [RecordedReminder] {
        try queue.read { db in
            var items: [String: [RecordedReminder.Item]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT i.reminder_id, i.document_id, d.number, i.step, i.open_amount, i.days_late
                FROM reminder_items i JOIN reminders r ON r.id = i.reminder_id JOIN documents d ON d.id = i.document_id
                WHERE r.as_of = ? ORDER BY i.reminder_id, d.due_date, d.number
                """, arguments: [Int(asOf.ordinal)]) {
                items[row[0], default: []].append(RecordedReminder.Item(documentId: row[1], number: row[2], step: row[3],
                                                                        openAmount: row[4], daysLate: row[5]))
            }
            return try Row.fetchAll(db, sql: """
                SELECT id, customer_id, step, channel, amount, currency, file, sha256, status FROM reminders WHERE as_of = ? ORDER BY id
                """, arguments: [Int(asOf.ordinal)]).compactMap { row in
                guard let channel = ReminderChannel(rawValue: row[3]), let currency = Currency(row[5] as String) else { return nil }
                let id: String = row[0]
                return RecordedReminder(id: id, asOf: asOf, customerId: row[1], step: row[2], channel: channel, amount: row[4],
                                        currency: currency, file: row[6], sha256: row[7], status: row[8], items: items[id] ?? [])
            }
        }
    }

    /// The facts documents of the reminders of an as-of date, by reminder id.
    public func reminderFacts(asOf: Day) throws -> [String: String] {
        try queue.read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT f.reminder_id, f.facts FROM reminder_facts f JOIN reminders r ON r.id = f.reminder_id WHERE r.as_of = ?
                """, arguments: [Int(asOf.ordinal)]) {
                out[row[0]] = row[1]
            }
            return out
        }
    }

    /// Marks the recorded reminders of an as-of date as published (after the folder's rename).
    @discardableResult
    public func markRemindersPublished(asOf: Day, actor: String, at timestamp: String) throws -> Int {
        try queue.write { db in
            try db.execute(sql: "UPDATE reminders SET status = 'published', published_at = ? WHERE as_of = ? AND status = 'recorded'",
                           arguments: [timestamp, Int(asOf.ordinal)])
            let n = db.changesCount
            if n > 0 {
                var detail = JSONText()
                detail.add("as_of", asOf.description)
                detail.add("reminders", n)
                try Self.insertEvent(db, at: timestamp, actor: actor, kind: "reminders.published", subjectType: "reminder_batch",
                                     subjectId: asOf.description, detail: detail.json, sourceFileId: nil)
            }
            return n
        }
    }

    /// Status and delivery events of one reminder (tests, dossiers).
    public func reminderStatus(id: String) throws -> (status: String, events: [(event: String, date: Day, proofName: String?, proofBytes: [UInt8]?)])? {
        try queue.read { db in
            guard let status = try String.fetchOne(db, sql: "SELECT status FROM reminders WHERE id = ?", arguments: [id]) else { return nil }
            let events = try Row.fetchAll(db, sql: """
                SELECT event, date, proof_name, proof_content FROM delivery_events WHERE reminder_id = ? ORDER BY date, id
                """, arguments: [id]).map { row in
                (event: row[0] as String, date: Day(ordinal: Int32(row[1] as Int64)), proofName: row[2] as String?,
                 proofBytes: (row[3] as Data?).map { [UInt8]($0) })
            }
            return (status, events)
        }
    }
}

extension StoreTransaction {
    /// Why a delivery event cannot be recorded.
    public enum DeliveryRefusal: Error, Sendable, Equatable {
        case unknownReminder(String)
        case unknownEvent(String)
    }

    /// Records a delivery event of a reminder (delivered, bounced, deposited, acknowledged) with
    /// its proof's bytes, and moves the reminder's status to the event. The same event on the
    /// same day again changes nothing (a feedback file sent twice). Returns a one-line account.
    public func recordDelivery(reminderId: String, event: String, date: Day, providerRef: String?,
                               proofName: String?, proof: [UInt8]?) throws -> String {
        guard ["delivered", "bounced", "deposited", "acknowledged"].contains(event) else {
            throw DeliveryRefusal.unknownEvent(event)
        }
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM reminders WHERE id = ?)", arguments: [reminderId]) == true else {
            throw DeliveryRefusal.unknownReminder(reminderId)
        }
        let digest = proof.map { ContentHash.sha256Hex($0) }
        try db.execute(sql: """
            INSERT INTO delivery_events (reminder_id, event, date, provider_ref, proof_name, proof_sha256, proof_content, recorded_at, source_file_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (reminder_id, event, date) DO NOTHING
            """, arguments: [reminderId, event, Int(date.ordinal), providerRef, proofName, digest, proof.map { Data($0) },
                             timestamp, sourceFileId])
        guard db.changesCount > 0 else { return "\(reminderId): \(event) on \(date) already recorded" }
        // The status follows the latest event by date (a late-arriving "deposited" must not
        // overwrite an earlier-recorded "acknowledged" of a later day).
        if let latest = try String.fetchOne(db, sql: """
            SELECT event FROM delivery_events WHERE reminder_id = ? ORDER BY date DESC,
              CASE event WHEN 'acknowledged' THEN 4 WHEN 'bounced' THEN 3 WHEN 'delivered' THEN 2 ELSE 1 END DESC LIMIT 1
            """, arguments: [reminderId]) {
            try db.execute(sql: "UPDATE reminders SET status = ? WHERE id = ?", arguments: [latest, reminderId])
        }
        var detail = JSONText()
        detail.add("event", event)
        detail.add("date", date.description)
        if let providerRef { detail.add("provider_ref", providerRef) }
        if let proofName { detail.add("proof", proofName) }
        try appendEvent(kind: "reminder.\(event)", subjectType: "reminder", subjectId: reminderId, detail: detail.json)
        return "\(reminderId): \(event) on \(date)" + (proofName.map { ", proof \($0) kept" } ?? "")
    }
}
