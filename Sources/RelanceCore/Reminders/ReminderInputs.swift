/// What a store-held decision says about one invoice: the holds that stop reminders while
/// they last (written by the disputes stage, read here).
public enum ReminderHold: Sendable, Hashable {
    case disputed
    case inLitigation
    case paymentPlan
    case promise(until: Day)

    var exclusion: ReminderExclusion {
        switch self {
        case .disputed: return .disputed
        case .inLitigation: return .inLitigation
        case .paymentPlan: return .paymentPlan
        case let .promise(until): return .promiseToPay(until: until)
        }
    }
}

/// One invoice as the planner sees it on the as-of date.
public struct ReminderInvoiceState: Sendable, Hashable {
    public var documentId: Int64
    public var number: String
    public var customerId: String
    /// Amount TTC and what is still open (amount − allocations − write-offs), minor units.
    public var amount: Money
    public var openAmount: Int64
    public var issueDate: Day
    public var dueDate: Day
    /// Step names already issued for this invoice (any channel).
    public var sentSteps: Set<String>
    /// Holds in priority order (the first one is reported).
    public var holds: [ReminderHold]

    public init(documentId: Int64, number: String, customerId: String, amount: Money, openAmount: Int64,
                issueDate: Day, dueDate: Day, sentSteps: Set<String> = [], holds: [ReminderHold] = []) {
        self.documentId = documentId; self.number = number; self.customerId = customerId; self.amount = amount
        self.openAmount = openAmount; self.issueDate = issueDate; self.dueDate = dueDate
        self.sentSteps = sentSteps; self.holds = holds
    }

    public var open: Money { Money(minor: openAmount, currency: amount.currency) }
}

/// One customer as the planner sees it.
public struct ReminderCustomerState: Sendable, Hashable {
    public var id: String
    public var kind: CustomerKind
    public var segment: String?
    public var blocked: Bool
    /// Payments and credit not applied to any invoice, per currency (minor units, > 0 only).
    public var unappliedCredit: [Currency: Int64]
    /// Day of the last reminder issued to this customer before the as-of date.
    public var lastReminder: Day?
    /// Average days late of past payments, weighted by amount (payment behaviour), nil
    /// when the customer has no payment history.
    public var averageDaysLate: Int?
    public var hasEmail: Bool
    public var hasPhone: Bool
    public var hasPostalAddress: Bool

    public init(id: String, kind: CustomerKind = .business, segment: String? = nil, blocked: Bool = false,
                unappliedCredit: [Currency: Int64] = [:], lastReminder: Day? = nil, averageDaysLate: Int? = nil,
                hasEmail: Bool = true, hasPhone: Bool = true, hasPostalAddress: Bool = true) {
        self.id = id; self.kind = kind; self.segment = segment; self.blocked = blocked
        self.unappliedCredit = unappliedCredit; self.lastReminder = lastReminder; self.averageDaysLate = averageDaysLate
        self.hasEmail = hasEmail; self.hasPhone = hasPhone; self.hasPostalAddress = hasPostalAddress
    }
}
