import GRDB
import RelanceCore

/// Everything a litigation dossier is built from, read in one transaction: the case, the
/// customer's legal identity, the invoices with their settlements, the related credit notes,
/// the reminders sent for them with their delivery proofs, and the journal.
public struct LitigationDossierData: Sendable, Equatable {
    public var litigationCase: LitigationCaseRecord
    public var customer: CollectionCustomer
    public var invoices: [CollectionInvoiceFacts]
    /// Invoice numbers with an open dispute (a contested claim).
    public var disputed: Set<String>
    /// Credit notes applied to the invoices or naming one of them as original invoice.
    public var creditNoteNumbers: [String]
    public var reminders: [ReminderRecord]
    public var history: [JournalEvent]
}

extension Store {
    /// The id of the customer's open case, nil when none.
    public func openCaseId(customerId: String) throws -> String? {
        try queue.read { db in try CollectionSQL.openCase(db, customerId: customerId)?.id }
    }

    /// Open cases for which no dossier was ever built (journal kind `litigation.dossier`).
    public func caseIdsWithoutDossier() throws -> [String] {
        try queue.read { db in
            try String.fetchAll(db, sql: """
                SELECT c.id FROM litigation_cases c WHERE c.status = 'open'
                  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.kind = 'litigation.dossier' AND e.subject_id = c.id)
                ORDER BY c.id
                """)
        }
    }

    /// Every case, open first then closed, for the litigation exports.
    public func litigationCases() throws -> [LitigationCaseRecord] {
        try queue.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM litigation_cases ORDER BY status DESC, customer_id, opened_on, id")
                .compactMap { try CollectionSQL.caseRecord(db, id: $0) }
        }
    }

    /// The facts of the invoices of a case, in due-date order.
    public func caseInvoiceFacts(caseId: String) throws -> [CollectionInvoiceFacts] {
        try queue.read { db in
            try Int64.fetchAll(db, sql: """
                SELECT d.id FROM litigation_invoices li JOIN documents d ON d.id = li.document_id
                WHERE li.case_id = ? ORDER BY IFNULL(d.due_date, d.issue_date), d.number
                """, arguments: [caseId]).compactMap { try CollectionSQL.facts(db, documentId: $0) }
        }
    }

    /// A customer's identity, nil when unknown.
    public func collectionCustomer(id: String) throws -> CollectionCustomer? {
        try queue.read { db in try CollectionSQL.customer(db, id: id) }
    }

    public func litigationDossierData(caseId: String) throws -> LitigationDossierData? {
        try queue.read { db in
            guard let record = try CollectionSQL.caseRecord(db, id: caseId),
                  let customer = try CollectionSQL.customer(db, id: record.customerId) else { return nil }
            let docIds = try Int64.fetchAll(db, sql: """
                SELECT d.id FROM litigation_invoices li JOIN documents d ON d.id = li.document_id
                WHERE li.case_id = ? ORDER BY IFNULL(d.due_date, d.issue_date), d.number
                """, arguments: [caseId])
            let invoices = try docIds.compactMap { try CollectionSQL.facts(db, documentId: $0) }
            var disputed = Set<String>()
            for (id, f) in zip(docIds, invoices) where try CollectionSQL.hasOpenDispute(db, documentId: id) { disputed.insert(f.number) }
            var credits = Set(invoices.flatMap { $0.settlements.filter { $0.kind == .creditNote }.map(\.reference) })
            let numbers = invoices.map(\.number)
            if !numbers.isEmpty {
                let marks = Array(repeating: "?", count: numbers.count).joined(separator: ",")
                credits.formUnion(try String.fetchAll(db, sql: "SELECT number FROM documents WHERE kind = 'credit_note' AND original_invoice IN (\(marks))",
                                                      arguments: StatementArguments(numbers)))
            }
            return LitigationDossierData(litigationCase: record, customer: customer, invoices: invoices, disputed: disputed,
                                         creditNoteNumbers: credits.sorted(), reminders: try CollectionSQL.reminders(db, documentIds: docIds),
                                         history: try CollectionSQL.history(db, subjects: [record.customerId, caseId] + numbers))
        }
    }
}

extension StoreTransaction {
    /// Journals that a dossier was built for a case (its path under the outbox and digest).
    public func recordDossier(caseId: String, file: String, sha256: String?) throws {
        try appendEvent(kind: "litigation.dossier", subjectType: "litigation_case", subjectId: caseId,
                        detail: file + (sha256.map { " sha256 \($0)" } ?? " (encrypted)"))
    }
}
