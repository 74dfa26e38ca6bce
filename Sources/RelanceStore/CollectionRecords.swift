import GRDB
import RelanceCore

/// A customer's identity as stored, for dossiers and `relance show customer`.
public struct CollectionCustomer: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var siren: String?
    public var vatNumber: String?
    public var email: String?
    public var phone: String?
    public var address: String?
    public var postalCode: String?
    public var city: String?
    public var country: String?
    public var kind: CustomerKind
}

/// A dispute as stored, with the follow-ups recorded as done.
public struct DisputeRecord: Sendable, Equatable {
    public var id: Int64
    public var invoiceNumber: String
    public var category: String
    public var status: String
    public var owner: String?
    public var comment: String?
    public var openedOn: Day
    public var openedBy: String
    public var resolvedOn: Day?
    public var resolution: String?
    public var resolutionComment: String?
    public var tasksDone: [String]
}

/// A litigation case as stored, with its stages in order.
public struct LitigationCaseRecord: Sendable, Equatable {
    public var id: String
    public var customerId: String
    public var partnerId: String
    public var stage: String
    public var status: String
    public var openedOn: Day
    public var closedOn: Day?
    public var outcome: String?
    public var recoveredAmount: Int64?
    public var comment: String?
    public var stages: [LitigationStageRecord]
    public var invoiceNumbers: [String]
}

/// A promise to pay as stored.
public struct PromiseRecord: Sendable, Equatable {
    public var id: Int64
    public var invoiceNumber: String
    public var promisedOn: Day
    public var amount: Int64?
    public var status: String
    public var createdOn: Day
}

/// A payment plan as stored.
public struct PaymentPlanRecord: Sendable, Equatable {
    public var id: Int64
    public var customerId: String
    public var status: String
    public var currency: String
    public var createdOn: Day
    public var instalments: [(day: Day, amount: Int64)]
    public var invoiceNumbers: [String]

    public static func == (l: PaymentPlanRecord, r: PaymentPlanRecord) -> Bool {
        l.id == r.id && l.status == r.status && l.instalments.map(\.day) == r.instalments.map(\.day)
            && l.instalments.map(\.amount) == r.instalments.map(\.amount) && l.invoiceNumbers == r.invoiceNumbers
    }
}

extension CollectionSQL {
    static func customer(_ db: Database, id: String) throws -> CollectionCustomer? {
        try Row.fetchOne(db, sql: "SELECT * FROM customers WHERE id = ?", arguments: [id]).map { r in
            CollectionCustomer(id: r["id"], name: r["name"], siren: r["siren"], vatNumber: r["vat_number"], email: r["email"],
                               phone: r["phone"], address: r["address"], postalCode: r["postal_code"], city: r["city"],
                               country: r["country"], kind: CustomerKind(rawValue: r["kind"]) ?? .business)
        }
    }

    static func disputes(_ db: Database, documentId: Int64) throws -> [DisputeRecord] {
        try Row.fetchAll(db, sql: """
            SELECT s.*, d.number FROM disputes s JOIN documents d ON d.id = s.document_id WHERE s.document_id = ? ORDER BY s.id
            """, arguments: [documentId]).map { r in
            let id: Int64 = r["id"]
            return DisputeRecord(id: id, invoiceNumber: r["number"], category: r["category"], status: r["status"], owner: r["owner"],
                                 comment: r["comment"], openedOn: day(r["opened_on"]), openedBy: r["opened_by"],
                                 resolvedOn: (r["resolved_on"] as Int64?).map(day), resolution: r["resolution"],
                                 resolutionComment: r["resolution_comment"],
                                 tasksDone: try doneTasks(db, disputeId: id))
        }
    }

    static func caseRecord(_ db: Database, id: String) throws -> LitigationCaseRecord? {
        guard let r = try Row.fetchOne(db, sql: "SELECT * FROM litigation_cases WHERE id = ?", arguments: [id]) else { return nil }
        let numbers = try String.fetchAll(db, sql: """
            SELECT d.number FROM litigation_invoices li JOIN documents d ON d.id = li.document_id
            WHERE li.case_id = ? ORDER BY IFNULL(d.due_date, d.issue_date), d.number
            """, arguments: [id])
        return LitigationCaseRecord(id: id, customerId: r["customer_id"], partnerId: r["partner_id"], stage: r["stage"], status: r["status"],
                                    openedOn: day(r["opened_on"]), closedOn: (r["closed_on"] as Int64?).map(day), outcome: r["outcome"],
                                    recoveredAmount: r["recovered_amount"], comment: r["comment"],
                                    stages: try stages(db, caseId: id), invoiceNumbers: numbers)
    }

    static func promises(_ db: Database, documentId: Int64, number: String) throws -> [PromiseRecord] {
        try Row.fetchAll(db, sql: "SELECT id, promised_on, amount, status, created_on FROM promises WHERE document_id = ? ORDER BY id",
                         arguments: [documentId]).map { r in
            PromiseRecord(id: r[0], invoiceNumber: number, promisedOn: day(r[1]), amount: r[2], status: r[3], createdOn: day(r[4]))
        }
    }

    static func plans(_ db: Database, customerId: String) throws -> [PaymentPlanRecord] {
        try Row.fetchAll(db, sql: "SELECT id, status, currency, created_on FROM payment_plans WHERE customer_id = ? ORDER BY id",
                         arguments: [customerId]).map { r in
            let id: Int64 = r[0]
            let inst = try Row.fetchAll(db, sql: "SELECT due_on, amount FROM plan_instalments WHERE plan_id = ? ORDER BY due_on", arguments: [id])
                .map { (day: day($0[0] as Int64), amount: $0[1] as Int64) }
            let numbers = try String.fetchAll(db, sql: """
                SELECT d.number FROM plan_invoices pi JOIN documents d ON d.id = pi.document_id WHERE pi.plan_id = ? ORDER BY d.number
                """, arguments: [id])
            return PaymentPlanRecord(id: id, customerId: customerId, status: r[1], currency: r[2], createdOn: day(r[3]),
                                     instalments: inst, invoiceNumbers: numbers)
        }
    }

    /// Journal entries about any of `subjects` (invoice numbers, case ids, the customer id)
    /// and about the disputes of those invoices (follow-ups done).
    static func history(_ db: Database, subjects: [String]) throws -> [JournalEvent] {
        guard !subjects.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: subjects.count).joined(separator: ",")
        return try Row.fetchAll(db, sql: """
            SELECT id, at, actor, kind, subject_type, subject_id, detail FROM events
            WHERE (subject_type IS NOT 'dispute' AND subject_id IN (\(marks)))
               OR (subject_type = 'dispute' AND subject_id IN (
                    SELECT CAST(s.id AS TEXT) FROM disputes s JOIN documents d ON d.id = s.document_id WHERE d.number IN (\(marks))))
            ORDER BY id
            """, arguments: StatementArguments(subjects + subjects)).map { r in
            JournalEvent(id: r["id"], at: r["at"], actor: r["actor"], kind: r["kind"], subjectType: r["subject_type"],
                         subjectId: r["subject_id"], detail: r["detail"])
        }
    }
}
