import GRDB
import RelanceCore

/// The money facts of one invoice that collection work shows and computes from: what was
/// billed, each payment and credit note applied to it (with dates), write-offs, what is left.
public struct CollectionInvoiceFacts: Sendable, Equatable {
    public struct Settlement: Sendable, Equatable {
        public enum Kind: String, Sendable { case payment, creditNote = "credit_note" }
        public var kind: Kind
        /// Payment date (value date when known) or credit note's issue date.
        public var day: Day
        public var amount: Int64
        /// The payment reference or the credit note number.
        public var reference: String
    }

    public var number: String
    public var customerId: String
    public var currency: Currency
    public var amount: Int64
    public var issueDate: Day
    public var dueDate: Day?
    public var deliveryDate: Day?
    public var settlements: [Settlement]
    public var writtenOff: Int64
    /// Amount − settlements − write-offs (the shared contract).
    public var open: Int64

    public var paidByPayments: Int64 { settlements.filter { $0.kind == .payment }.reduce(0) { $0 + $1.amount } }
    public var credited: Int64 { settlements.filter { $0.kind == .creditNote }.reduce(0) { $0 + $1.amount } }
    /// The limitation input of this invoice: debtor kind, delivery, issue and due dates, its
    /// payments as acknowledgments that restart the period (art. 2240), and the court stages
    /// of its case (art. 2241, 2244).
    public func limitationInput(debtor: CustomerKind, stages: [LitigationStageRecord]) -> Limitation.Input {
        var interruptions = settlements.filter { $0.kind == .payment }.map { Limitation.Interruption(day: $0.day, kind: .partialPayment) }
        interruptions += LitigationDeadlines.interruptions(stages: stages.map { ($0.stage, $0.day) })
        return Limitation.Input(debtor: debtor, performanceDate: deliveryDate, invoiceDate: issueDate,
                                dueDate: dueDate, interruptions: interruptions)
    }

    /// The due date, else the issue date (as the aged balance does).
    public var effectiveDueDate: Day { dueDate ?? issueDate }
}

extension CollectionSQL {
    static func facts(_ db: Database, documentId: Int64) throws -> CollectionInvoiceFacts? {
        guard let inv = try invoice(db, id: documentId) else { return nil }
        var settlements: [CollectionInvoiceFacts.Settlement] = []
        for r in try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT a.amount, p.payment_ref, IFNULL(p.value_date, p.date) AS pday, c.number AS cnumber, c.issue_date AS cday
            FROM allocations a LEFT JOIN payments p ON p.id = a.payment_id LEFT JOIN documents c ON c.id = a.credit_note_id
            WHERE a.invoice_id = ? ORDER BY a.id
            """), arguments: [documentId]) {
            if let ref: String = r["payment_ref"], let d: Int64 = r["pday"] {
                settlements.append(.init(kind: .payment, day: day(d), amount: r["amount"], reference: ref))
            } else if let number: String = r["cnumber"], let d: Int64 = r["cday"] {
                settlements.append(.init(kind: .creditNote, day: day(d), amount: r["amount"], reference: number))
            }
        }
        let writtenOff = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT IFNULL(SUM(amount), 0) FROM writeoffs WHERE invoice_id = ?"), arguments: [documentId]) ?? 0
        let open = try openAmount(db, documentId: documentId)
        return CollectionInvoiceFacts(number: inv.number, customerId: inv.customerId, currency: Currency(inv.currency) ?? .eur, amount: inv.amount,
                                      issueDate: inv.issueDate, dueDate: inv.dueDate, deliveryDate: inv.deliveryDate,
                                      settlements: settlements, writtenOff: writtenOff, open: open)
    }

    static func limitationInput(_ facts: CollectionInvoiceFacts, debtor: CustomerKind,
                                stages: [LitigationStageRecord]) -> Limitation.Input {
        facts.limitationInput(debtor: debtor, stages: stages)
    }

    static func stages(_ db: Database, caseId: String) throws -> [LitigationStageRecord] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT stage, date, comment, reference FROM litigation_stages WHERE case_id = ? ORDER BY date, id"),
                         arguments: [caseId]).compactMap { r in
            LitigationStage(rawValue: r[0]).map { LitigationStageRecord(stage: $0, day: day(r[1]), comment: r[2], reference: r[3]) }
        }
    }

    static func customerKind(_ db: Database, _ id: String) throws -> CustomerKind {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT kind FROM customers WHERE id = ?"), arguments: [id]).flatMap(CustomerKind.init(rawValue:)) ?? .business
    }
}
