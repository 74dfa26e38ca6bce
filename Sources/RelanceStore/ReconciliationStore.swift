import GRDB
import RelanceCore

/// What the reconciliation engine is given, read from the store in the transaction that
/// records its result.
public struct ReconciliationSnapshot: Sendable {
    /// Every invoice issued on or before the as-of date, closed ones with an open amount of 0
    /// (the engine refuses a payment naming a settled invoice rather than guess by amount).
    public var invoices: [OpenInvoice]
    /// Credit notes with a remainder and no original invoice still waiting for them.
    public var creditNotes: [OpenCreditNote]
    public var customers: [PayerCustomer]
    public var knowledge: PayerKnowledge
    /// Payments dated on or before the as-of date that nothing has touched yet (see
    /// `Store.reconcile`).
    public var payments: [UnmatchedPayment]
    /// Negative payments that could not be applied as reversals, for a person to look at.
    public var pendingReturns: [PendingReturn]
}

/// A return or reversal that reconciliation could not apply: it names no payment, or one the
/// store does not hold (yet), or one in another currency or of a smaller amount.
public struct PendingReturn: Sendable, Equatable {
    public var paymentId: String
    public var date: Day
    /// Negative, minor units.
    public var amount: Int64
    public var currency: Currency
    public var payerName: String?
    public var reference: String?
    public var reason: String
}

/// What one reconciliation run changed in the store.
public struct ReconciliationRecord: Sendable, Equatable {
    public var allocationsAdded = 0
    public var paymentsAllocated = 0
    public var creditNotesApplied = 0
    /// Payments without customer that a rule tied to one (`payments.customer_id` filled).
    public var paymentsIdentified = 0
    public var writeOffsProposed = 0
    public var reversalsApplied = 0
    public var allocationsUndone = 0
    /// Amount allocated per currency by this run.
    public var amounts: [Currency: Int64] = [:]

    public init() {}
}

/// One allocation as the reconciliation report lists it.
public struct AllocationLine: Sendable, Equatable {
    /// The payment's reference (`payment_ref`), or the credit note's number.
    public var source: String
    public var sourceKind: String
    public var date: Day
    public var invoiceNumber: String
    public var amount: Int64
    public var currency: Currency
    public var rule: String
    public var evidence: String
    /// Who confirmed it; nil for an automatic allocation.
    public var confirmedBy: String?
}

/// A pending write-off proposal (not yet decided, invoice still open by at least its amount).
public struct WriteOffProposalLine: Sendable, Equatable {
    public var paymentId: String
    public var invoiceNumber: String
    public var customerId: String
    public var amount: Int64
    public var currency: Currency
    public var reason: String
}

extension Store {
    /// Rules whose matches teach payer knowledge: everything but amount-only evidence, whose
    /// mistakes would otherwise teach the next run to repeat them.
    static let amountOnlyRules = [ReconciliationRule.uniqueAmount.rawValue, ReconciliationRule.amountCombination.rawValue]

    /// One reconciliation run, in one write transaction:
    /// 1. reversals (negative payments naming the payment they reverse in `reverses`) undo
    ///    every allocation of that payment, confirmed ones included — the money went back, so
    ///    the invoices it paid are open again — each undone allocation journaled;
    /// 2. the engine's inputs are read (`ReconciliationSnapshot`) and `engine` is called;
    /// 3. its allocations are recorded (`confirmed_by` NULL, rule and evidence), payers it
    ///    identified get their `customer_id`, write-off proposals are kept.
    ///
    /// The engine is given the remainder of payments (not refunded, ignored, nor fully
    /// reversed) that nothing has allocated yet, or only the ingest's exact rule (a payment
    /// naming one invoice exactly and another loosely: the engine gets what is left). Once a
    /// reconciliation rule or a person has allocated a payment, its remainder is the
    /// customer's unapplied credit ("trop-perçu") and no later run touches it. That makes
    /// reruns idempotent — a second run finds nothing new to decide — and means a later
    /// automatic rule can never rework what a person confirmed. Allocations are never deleted
    /// except by a reversal.
    public func reconcile(asOf: Day, at timestamp: String, actor: String,
                          engine: (ReconciliationSnapshot) throws -> ReconciliationResult)
        throws -> (snapshot: ReconciliationSnapshot, result: ReconciliationResult, record: ReconciliationRecord) {
        try writeWithCheckedReferences { db in
            var record = ReconciliationRecord()
            // The run appends up to a row per payment to allocations and its indexes, and
            // rewrites payments: with the default cache the dirty pages spill to the WAL and
            // are read back from it. A larger cache for this transaction only.
            let previousCache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -131072
            try db.execute(sql: "PRAGMA cache_size = -524288")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(previousCache)") }
            let changesBefore = db.totalChangesCount
            try PhaseLog.measure("reconcile: reversals") {
                try Self.applyReversals(db, asOf: asOf, at: timestamp, actor: actor, record: &record)
            }
            // A second connection sees the last commit: the same snapshot only while this
            // transaction has written nothing (no reversal applied).
            let loader = ReconciliationSnapshotLoader(db: db, asOf: asOf, storePath: db.totalChangesCount == changesBefore ? path : nil)
            let loaded = try PhaseLog.measure("reconcile: inputs read") { try loader.load() }
            let result = try PhaseLog.measure("reconcile: engine") { try engine(loaded.snapshot) }
            try PhaseLog.measure("reconcile: results recorded") {
                try Self.recordResult(result, snapshot: loaded.snapshot, ids: loaded.ids, db: db, at: timestamp, record: &record)
            }
            if record.allocationsAdded > 0 || record.reversalsApplied > 0 || record.writeOffsProposed > 0 || record.paymentsIdentified > 0 {
                var detail = JSONText()
                detail.add("as_of", asOf.description)
                detail.add("allocations", record.allocationsAdded)
                detail.add("payments_allocated", record.paymentsAllocated)
                detail.add("credit_notes_applied", record.creditNotesApplied)
                detail.add("payments_identified", record.paymentsIdentified)
                detail.add("writeoffs_proposed", record.writeOffsProposed)
                detail.add("reversals_applied", record.reversalsApplied)
                detail.add("allocations_undone", record.allocationsUndone)
                var amounts = JSONText()
                for (currency, amount) in record.amounts.sorted(by: { $0.key < $1.key }) { amounts.add(currency.code, amount) }
                detail.addRaw("amounts", amounts.json)
                try Self.insertEvent(db, at: timestamp, actor: actor, kind: "reconciliation.run", subjectType: nil,
                                     subjectId: nil, detail: detail.json, sourceFileId: nil)
            }
            return (loaded.snapshot, result, record)
        }
    }

    // MARK: Reversals

    private static func applyReversals(_ db: Database, asOf: Day, at timestamp: String, actor: String,
                                       record: inout ReconciliationRecord) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.id, r.payment_ref, r.amount, r.currency, r.customer_id, o.id, o.payment_ref, o.amount, o.currency, o.customer_id,
                   IFNULL((SELECT SUM(x.amount) FROM payment_reversals x WHERE x.reversed_payment_id = o.id), 0)
            FROM payments r JOIN payments o ON o.payment_ref = r.reverses
            WHERE r.amount < 0 AND r.date <= ? AND r.reverses IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM payment_reversals pr WHERE pr.reversal_payment_id = r.id)
            ORDER BY r.date, r.id
            """, arguments: [asOf.ordinal])
        for row in rows {
            let reversalId: Int64 = row[0], reversalRef: String = row[1], amount: Int64 = row[2]
            let reversedId: Int64 = row[5], reversedRef: String = row[6], reversedAmount: Int64 = row[7]
            let alreadyReversed: Int64 = row[10]
            let currency: String = row[3], reversedCurrency: String = row[8]
            // Applied only when it can be whole: same currency, not more than what is left to reverse.
            guard currency == reversedCurrency, reversedAmount > 0, -amount <= reversedAmount - alreadyReversed else { continue }
            let undone = try Row.fetchAll(db, sql: """
                SELECT a.id, d.number, a.amount, a.rule, a.confirmed_by FROM allocations a JOIN documents d ON d.id = a.invoice_id
                WHERE a.payment_id = ? ORDER BY a.id
                """, arguments: [reversedId])
            for a in undone {
                let allocationId: Int64 = a[0]
                try db.execute(sql: "DELETE FROM allocations WHERE id = ?", arguments: [allocationId])
                var detail = JSONText()
                detail.add("payment", reversedRef)
                detail.add("invoice", a[1] as String)
                detail.add("amount", a[2] as Int64)
                detail.add("rule", a[3] as String)
                if let by: String = a[4] { detail.add("confirmed_by", by) }
                detail.add("reversed_by", reversalRef)
                try insertEvent(db, at: timestamp, actor: actor, kind: "allocation.undone", subjectType: "document",
                                subjectId: a[1] as String, detail: detail.json, sourceFileId: nil)
                record.allocationsUndone += 1
            }
            try db.execute(sql: "INSERT INTO payment_reversals (reversal_payment_id, reversed_payment_id, amount, applied_at) VALUES (?, ?, ?, ?)",
                           arguments: [reversalId, reversedId, -amount, timestamp])
            // Both sides belong to the same customer, so that they cancel out in the unapplied credit.
            let reversalCustomer: String? = row[4], reversedCustomer: String? = row[9]
            if reversalCustomer == nil, let c = reversedCustomer {
                try db.execute(sql: "UPDATE payments SET customer_id = ? WHERE id = ?", arguments: [c, reversalId])
            }
            var detail = JSONText()
            detail.add("reversed", reversedRef)
            detail.add("amount", -amount)
            detail.add("allocations_undone", undone.count)
            try insertEvent(db, at: timestamp, actor: actor, kind: "payment.reversed", subjectType: "payment",
                            subjectId: reversalRef, detail: detail.json, sourceFileId: nil)
            record.reversalsApplied += 1
        }
    }

    // MARK: Recording

    private static func recordResult(_ result: ReconciliationResult, snapshot: ReconciliationSnapshot, ids: ReconciliationSnapshotLoader.Ids,
                                     db: Database, at timestamp: String, record: inout ReconciliationRecord) throws {
        // A bulk append (the first run on a large history, a big bank file) builds the
        // allocations' indexes again after the rows are in, which is cheaper than inserting each
        // row into three B-trees at random places once the new rows are at least half of those
        // already there (measured at 1M invoices: 2.8 s inserting 508k rows into the indexed
        // table, 1.6 s appending them and building the indexes of 771k rows).
        let rebuildIndexes = result.allocations.count >= 1024 && result.allocations.count >= ids.allocationRows / 2
        // The credit notes' index is partial (`credit_note_id IS NOT NULL`): the payment rows of a
        // bulk append cost it nothing, while building it again would scan the whole table.
        let indexes = rebuildIndexes ? try SecondaryIndexes.drop(db, table: "allocations", keeping: ["allocations_credit_note"]) : []
        // Per payment of the snapshot (by position): 1 = allocated, 2 = identified.
        var touched = [UInt8](repeating: 0, count: snapshot.payments.count)
        var appliedNotes = Set<Int64>()
        // Payers identified, written after the allocations in rowid order: the payments
        // table is then rewritten front to back instead of at random pages.
        var identified: [(rowid: Int64, customer: String)] = []
        func identify(_ k: Int32, _ customer: String) {
            guard touched[Int(k)] & 2 == 0 else { return }
            touched[Int(k)] |= 2
            identified.append((ids.paymentRowids[Int(k)], customer))
        }
        var positions = SnapshotPositions(snapshot)
        let hints = result.positions
        let inserting = PhaseLog.start("reconcile: allocation rows")
        // Every allocation is checked before any row is written: its invoice, payment or credit
        // note must be one the engine was given.
        var rows: [AllocationRow] = []
        rows.reserveCapacity(result.allocations.count)
        for (n, a) in result.allocations.enumerated() {
            guard a.amount > 0, let invoice = positions.invoice(a.invoiceNumber, hint: hints.allocationInvoices, n) else {
                throw StoreError.invariant("reconciliation allocated to \(a.invoiceNumber), which it was not given")
            }
            var row = AllocationRow(invoice: ids.invoiceRowids[Int(invoice)], payment: nil, creditNote: nil)
            switch a.source {
            case let .payment(ref):
                guard let k = positions.payment(ref, hint: hints.allocationPayments, n) else {
                    throw StoreError.invariant("reconciliation allocated payment \(ref), which it was not given")
                }
                row.payment = ids.paymentRowids[Int(k)]
                touched[Int(k)] |= 1
                if snapshot.payments[Int(k)].customerId == nil { identify(k, snapshot.invoices[Int(invoice)].customerId) }
            case let .creditNote(number):
                guard let n = ids.creditNotes[number] else { throw StoreError.invariant("reconciliation applied credit note \(number), which it was not given") }
                row.creditNote = n
                appliedNotes.insert(n)
            }
            rows.append(row)
            record.allocationsAdded += 1
            let (sum, overflow) = record.amounts[a.currency, default: 0].addingReportingOverflow(a.amount)
            if overflow { throw StoreError.overflow("allocated amount in \(a.currency)") }
            record.amounts[a.currency] = sum
        }
        try insertAllocations(rows, result.allocations, db: db, at: timestamp)
        inserting.end()
        try PhaseLog.measure("reconcile: allocation indexes") { try SecondaryIndexes.create(db, indexes) }
        let identifying = PhaseLog.start("reconcile: payers identified")
        for (n, c) in result.unappliedCredits.enumerated() {
            if let k = positions.payment(c.paymentId, hint: hints.creditPayments, n), snapshot.payments[Int(k)].customerId == nil { identify(k, c.customerId) }
        }
        identified.sort { $0.rowid < $1.rowid }
        record.paymentsIdentified += try setCustomers(identified, db: db)
        identifying.end()
        let propose = try RawStatement(db, """
            INSERT OR IGNORE INTO writeoff_proposals (payment_id, invoice_id, amount, currency, reason, proposed_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        for (n, w) in result.writeOffProposals.enumerated() {
            guard let k = positions.payment(w.paymentId, hint: hints.writeOffPayments, n),
                  let invoice = positions.invoice(w.invoiceNumber, hint: hints.writeOffInvoices, n), w.amount > 0 else { continue }
            propose.bind(1, ids.paymentRowids[Int(k)])
            propose.bind(2, ids.invoiceRowids[Int(invoice)])
            propose.bind(3, w.amount)
            propose.bind(4, w.currency)
            propose.bind(5, w.reason)
            propose.bind(6, timestamp)
            try propose.execute()
            if db.changesCount > 0 { record.writeOffsProposed += 1 }
        }
        record.paymentsAllocated = touched.reduce(0) { $0 + Int($1 & 1) }
        record.creditNotesApplied = appliedNotes.count
    }

    /// Gives each payment its customer, unless it already has one; returns how many changed.
    /// Sixteen payments a statement (`UPDATE … FROM (VALUES …)`), for the reason
    /// `allocationRowsPerStatement` gives.
    private static func setCustomers(_ identified: [(rowid: Int64, customer: String)], db: Database) throws -> Int {
        func statement(_ rows: Int) throws -> RawStatement {
            try RawStatement(db, "UPDATE payments SET customer_id = v.column2 FROM (VALUES "
                             + Array(repeating: "(?, ?)", count: rows).joined(separator: ", ")
                             + ") AS v WHERE payments.id = v.column1 AND payments.customer_id IS NULL")
        }
        let batch = allocationRowsPerStatement
        let many = identified.count >= batch ? try statement(batch) : nil
        let one = try statement(1)
        var changed = 0
        var k = 0
        func run(_ s: RawStatement, _ rows: Int) throws {
            for slot in 0..<rows {
                s.bind(Int32(2 * slot + 1), identified[k + slot].rowid)
                s.bind(Int32(2 * slot + 2), identified[k + slot].customer)
            }
            try s.execute()
            changed += db.changesCount
            k += rows
        }
        if let many { while k + batch <= identified.count { try run(many, batch) } }
        while k < identified.count { try run(one, 1) }
        return changed
    }

    /// Database ids of one allocation row to write.
    private struct AllocationRow {
        var invoice: Int64
        var payment: Int64?
        var creditNote: Int64?
    }

    /// Rows written this many at a time (one statement step for all of them): the per-step
    /// cost of SQLite's virtual machine was as large as the row's own at half a million rows.
    private static let allocationRowsPerStatement = 16

    private static func insertAllocations(_ rows: [AllocationRow], _ allocations: [ReconciliationAllocation], db: Database,
                                          at timestamp: String) throws {
        let columns = "(invoice_id, payment_id, credit_note_id, amount, currency, rule, evidence, confirmed_by, created_at, source_file_id)"
        let values = "(?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL)"
        let batch = allocationRowsPerStatement
        let many = rows.count >= batch
            ? try RawStatement(db, "INSERT INTO allocations \(columns) VALUES " + Array(repeating: values, count: batch).joined(separator: ", "))
            : nil
        let one = try RawStatement(db, "INSERT INTO allocations \(columns) VALUES \(values)")
        func bind(_ statement: RawStatement, _ slot: Int, _ k: Int) {
            let base = Int32(slot * 8)
            let row = rows[k], a = allocations[k]
            statement.bind(base + 1, row.invoice)
            statement.bind(base + 2, row.payment)
            statement.bind(base + 3, row.creditNote)
            statement.bind(base + 4, a.amount)
            statement.bind(base + 5, a.currency)
            statement.bind(base + 6, a.rule.rawValue)
            statement.bind(base + 7, a.evidence)
            statement.bind(base + 8, timestamp)
        }
        var k = 0
        if let many {
            while k + batch <= rows.count {
                for slot in 0..<batch { bind(many, slot, k + slot) }
                try many.execute()
                k += batch
            }
        }
        while k < rows.count {
            bind(one, 0, k)
            try one.execute()
            k += 1
        }
    }

    // MARK: Reports

    /// Every allocation whose payment (or credit note) is dated on or before `asOf`, by date,
    /// source and invoice: the list is a function of the store and the date, so a rerun
    /// publishes the same bytes.
    public func reconciliationAllocations(asOf: Day) throws -> [AllocationLine] {
        try queue.read { db in
            var out: [AllocationLine] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT IFNULL(p.payment_ref, c.number), CASE WHEN p.id IS NULL THEN 'credit_note' ELSE 'payment' END,
                       IFNULL(p.date, c.issue_date) AS day, d.number, a.amount, a.currency, a.rule, a.evidence, a.confirmed_by
                FROM allocations a
                JOIN documents d ON d.id = a.invoice_id
                LEFT JOIN payments p ON p.id = a.payment_id
                LEFT JOIN documents c ON c.id = a.credit_note_id
                WHERE IFNULL(p.date, c.issue_date) <= ?
                ORDER BY day, 1, d.number, a.id
                """, arguments: [asOf.ordinal])
            while let r = try rows.next() {
                guard let currency = Currency(r[5] as String) else { continue }
                out.append(AllocationLine(source: r[0], sourceKind: r[1], date: Day(ordinal: Int32(truncatingIfNeeded: r[2] as Int64)),
                                          invoiceNumber: r[3], amount: r[4], currency: currency, rule: r[6], evidence: r[7],
                                          confirmedBy: r[8]))
            }
            return out
        }
    }

    /// Write-off proposals still waiting: no write-off recorded for that invoice and payment,
    /// the payment still allocated to the invoice (not reversed, not moved by a person), and
    /// the invoice still open by at least the proposed amount.
    public func pendingWriteOffProposals() throws -> [WriteOffProposalLine] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.payment_ref, d.number, d.customer_id, w.amount, w.currency, w.reason
                FROM writeoff_proposals w
                JOIN payments p ON p.id = w.payment_id
                JOIN documents d ON d.id = w.invoice_id
                WHERE NOT EXISTS (SELECT 1 FROM writeoffs x WHERE x.invoice_id = w.invoice_id AND x.payment_id = w.payment_id)
                  AND EXISTS (SELECT 1 FROM allocations a WHERE a.payment_id = w.payment_id AND a.invoice_id = w.invoice_id)
                  AND d.amount - IFNULL((SELECT SUM(a.amount) FROM allocations a WHERE a.invoice_id = d.id), 0)
                      - IFNULL((SELECT SUM(x.amount) FROM writeoffs x WHERE x.invoice_id = d.id), 0) >= w.amount
                ORDER BY p.date, p.payment_ref, d.number
                """).compactMap { r in
                guard let currency = Currency(r[4] as String) else { return nil }
                return WriteOffProposalLine(paymentId: r[0], invoiceNumber: r[1], customerId: r[2], amount: r[3], currency: currency, reason: r[5])
            }
        }
    }
}
