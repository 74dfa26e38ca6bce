import GRDB
import RelanceCore

/// Litigation cases ("contentieux"), addressed by customer: a customer has at most one open
/// case. Opening it records the stage `transmitted`; later stages follow the transition table
/// of `LitigationStage`; closing it records the outcome. Journaled under the case id
/// (`subject_type = 'litigation_case'`) and, for each invoice added, under the invoice.
///
/// Invoices in an open case leave the reminder scenarios (remind reads the case's status) and
/// show in the aged balance's litigation column until paid or written off.
extension StoreTransaction {
    /// Which invoices a case takes.
    public enum CaseInvoices: Sendable, Equatable {
        case numbers([String])
        /// Every invoice of the customer with something left to pay and a due date before as-of.
        case allOverdue(asOf: Day)
    }

    /// Opens a case for a customer and returns its id (`L<yyyymmdd>-<n>`, n counting all
    /// cases ever opened, so ids are unique and reproducible from the same decisions).
    @discardableResult
    public func openCase(customerId: String, invoices: CaseInvoices, partnerId: String, comment: String?, on day: Day) throws -> String {
        guard try customerExists(customerId) else { throw CollectionRefusal("unknown customer \(customerId)", field: "customer_id") }
        if let open = try CollectionSQL.openCase(db, customerId: customerId) {
            throw CollectionRefusal("customer \(customerId) already has an open case \(open.id) (stage \(open.stage)): add invoices to it instead",
                                    field: "customer_id")
        }
        let docs = try caseInvoices(customerId: customerId, invoices, caseId: nil)
        let n = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM litigation_cases") ?? 0) + 1
        let id = "L" + String(day.description.filter { $0 != "-" }) + "-\(n)"
        try db.execute(sql: """
            INSERT INTO litigation_cases (id, customer_id, partner_id, stage, status, opened_on, comment)
            VALUES (?, ?, ?, 'transmitted', 'open', ?, ?)
            """, arguments: [id, customerId, partnerId, CollectionSQL.ordinal(day), comment])
        try db.execute(sql: """
            INSERT INTO litigation_stages (case_id, stage, date, comment, reference, recorded_at, actor)
            VALUES (?, 'transmitted', ?, ?, NULL, ?, ?)
            """, arguments: [id, CollectionSQL.ordinal(day), comment, timestamp, actor])
        try appendEvent(kind: "litigation.opened", subjectType: "litigation_case", subjectId: id,
                        detail: "customer \(customerId), partner \(partnerId), \(docs.count) invoice(s)" + (comment.map { ": \($0)" } ?? ""))
        try add(docs, to: id, on: day)
        return id
    }

    /// Adds invoices to the customer's open case; returns the case id and how many were added.
    @discardableResult
    public func addToCase(customerId: String, invoices: CaseInvoices, on day: Day) throws -> (caseId: String, added: Int) {
        guard let open = try CollectionSQL.openCase(db, customerId: customerId) else {
            throw CollectionRefusal("customer \(customerId) has no open case", field: "customer_id")
        }
        let docs = try caseInvoices(customerId: customerId, invoices, caseId: open.id)
        try add(docs, to: open.id, on: day)
        return (open.id, docs.count)
    }

    /// Records a stage of the customer's open case. Refused for `closed` (use `closeCase`), an
    /// impossible transition (the allowed ones are named), or a date before the last stage's.
    @discardableResult
    public func recordStage(customerId: String, stage: LitigationStage, on day: Day, comment: String?, reference: String?) throws -> String {
        guard let open = try CollectionSQL.openCase(db, customerId: customerId) else {
            throw CollectionRefusal("customer \(customerId) has no open case", field: "customer_id")
        }
        guard stage != .closed else { throw CollectionRefusal("a case is closed with `litigation close` and an outcome", field: "stage") }
        guard let current = LitigationStage(rawValue: open.stage) else {
            throw StoreError.invariant("case \(open.id) has an unknown stage \(open.stage)")
        }
        guard current.canMove(to: stage) else {
            let allowed = current.allowedNext.map(\.rawValue)
            throw CollectionRefusal("case \(open.id) is at \(current.rawValue): \(stage.rawValue) cannot follow it"
                                    + (allowed.isEmpty ? " (only closing remains)" : " (allowed: \(allowed.joined(separator: ", ")))"),
                                    field: "stage")
        }
        if let last = try Int64.fetchOne(db, sql: "SELECT MAX(date) FROM litigation_stages WHERE case_id = ?", arguments: [open.id]),
           CollectionSQL.ordinal(day) < last {
            throw CollectionRefusal("date \(day) is before the case's last stage (\(CollectionSQL.day(last)))", field: "date")
        }
        try db.execute(sql: "UPDATE litigation_cases SET stage = ? WHERE id = ?", arguments: [stage.rawValue, open.id])
        try db.execute(sql: """
            INSERT INTO litigation_stages (case_id, stage, date, comment, reference, recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [open.id, stage.rawValue, CollectionSQL.ordinal(day), comment, reference, timestamp, actor])
        try appendEvent(kind: "litigation.stage", subjectType: "litigation_case", subjectId: open.id,
                        detail: "\(current.rawValue) → \(stage.rawValue) on \(day)" + (reference.map { ", ref. \($0)" } ?? "")
                            + (comment.map { ": \($0)" } ?? ""))
        return open.id
    }

    /// Closes the customer's open case with its outcome (`partial` needs the amount recovered).
    @discardableResult
    public func closeCase(customerId: String, outcome: LitigationOutcome, recovered: Int64?, comment: String?, on day: Day) throws -> String {
        guard let open = try CollectionSQL.openCase(db, customerId: customerId) else {
            throw CollectionRefusal("customer \(customerId) has no open case", field: "customer_id")
        }
        if outcome == .partial && recovered == nil {
            throw CollectionRefusal("a partial outcome needs the amount recovered", field: "amount")
        }
        if let r = recovered, r < 0 { throw CollectionRefusal("the amount recovered cannot be negative", field: "amount") }
        if let last = try Int64.fetchOne(db, sql: "SELECT MAX(date) FROM litigation_stages WHERE case_id = ?", arguments: [open.id]),
           CollectionSQL.ordinal(day) < last {
            throw CollectionRefusal("date \(day) is before the case's last stage (\(CollectionSQL.day(last)))", field: "date")
        }
        try db.execute(sql: """
            UPDATE litigation_cases SET status = 'closed', stage = 'closed', closed_on = ?, outcome = ?, recovered_amount = ? WHERE id = ?
            """, arguments: [CollectionSQL.ordinal(day), outcome.rawValue, recovered, open.id])
        try db.execute(sql: """
            INSERT INTO litigation_stages (case_id, stage, date, comment, reference, recorded_at, actor) VALUES (?, 'closed', ?, ?, NULL, ?, ?)
            """, arguments: [open.id, CollectionSQL.ordinal(day), comment, timestamp, actor])
        let docs = try Int64.fetchAll(db, sql: "SELECT document_id FROM litigation_invoices WHERE case_id = ?", arguments: [open.id])
        for d in docs { try CollectionSQL.refreshStatus(db, documentId: d) }
        try appendEvent(kind: "litigation.closed", subjectType: "litigation_case", subjectId: open.id,
                        detail: "outcome \(outcome.rawValue)" + (recovered.map { ", recovered \(MinorUnits.format($0, places: 2))" } ?? "")
                            + (comment.map { ": \($0)" } ?? ""))
        return open.id
    }

    private func caseInvoices(customerId: String, _ which: CaseInvoices, caseId: String?) throws -> [CollectionSQL.InvoiceRef] {
        var docs: [CollectionSQL.InvoiceRef] = []
        switch which {
        case let .numbers(numbers):
            guard !numbers.isEmpty else { throw CollectionRefusal("no invoice named", field: "invoice_number") }
            for n in numbers {
                guard let inv = try CollectionSQL.invoice(db, number: n) else { throw CollectionRefusal("unknown invoice \(n)", field: "invoice_number") }
                guard inv.isInvoice else { throw CollectionRefusal("\(n) is a credit note, not an invoice", field: "invoice_number") }
                guard inv.customerId == customerId else {
                    throw CollectionRefusal("invoice \(n) belongs to customer \(inv.customerId), not \(customerId)", field: "invoice_number")
                }
                guard try CollectionSQL.openAmount(db, documentId: inv.id) > 0 else {
                    throw CollectionRefusal("invoice \(n) has nothing left to pay", field: "invoice_number")
                }
                if let caseId, try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM litigation_invoices WHERE case_id = ? AND document_id = ?)",
                                                 arguments: [caseId, inv.id]) == true {
                    throw CollectionRefusal("invoice \(n) is already in case \(caseId)", field: "invoice_number")
                }
                if !docs.contains(where: { $0.id == inv.id }) { docs.append(inv) }
            }
        case let .allOverdue(asOf):
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, number, customer_id, kind, currency, amount, issue_date, due_date, delivery_date, collection_status
                FROM documents d
                WHERE customer_id = ? AND kind = 'invoice' AND IFNULL(due_date, issue_date) < ?
                  AND d.amount - IFNULL((SELECT SUM(amount) FROM allocations WHERE invoice_id = d.id), 0)
                      - IFNULL((SELECT SUM(amount) FROM writeoffs WHERE invoice_id = d.id), 0) > 0
                  AND NOT EXISTS (SELECT 1 FROM litigation_invoices li WHERE li.document_id = d.id AND li.case_id = ?)
                ORDER BY IFNULL(due_date, issue_date), number
                """, arguments: [customerId, CollectionSQL.ordinal(asOf), caseId])
            docs = rows.map(CollectionSQL.ref)
            guard !docs.isEmpty else {
                throw CollectionRefusal("customer \(customerId) has no overdue invoice left to pay" + (caseId.map { " outside case \($0)" } ?? ""),
                                        field: "invoice_number")
            }
        }
        return docs
    }

    private func add(_ docs: [CollectionSQL.InvoiceRef], to caseId: String, on day: Day) throws {
        for inv in docs {
            try db.execute(sql: "INSERT INTO litigation_invoices (case_id, document_id, added_on) VALUES (?, ?, ?)",
                           arguments: [caseId, inv.id, CollectionSQL.ordinal(day)])
            try CollectionSQL.refreshStatus(db, documentId: inv.id)
            let open = try CollectionSQL.openAmount(db, documentId: inv.id)
            try appendEvent(kind: "litigation.invoice_added", subjectType: "document", subjectId: inv.number,
                            detail: "added to case \(caseId), open \(CollectionSQL.money(open, inv.currency))")
        }
    }
}
