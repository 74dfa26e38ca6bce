/// One invoice listed in a planned message.
public struct PlannedReminderItem: Sendable, Hashable {
    public var documentId: Int64
    public var number: String
    /// The step this invoice is at (with `groupLowerSteps` it can be lower than the message's).
    public var step: String
    public var amount: Money
    public var openAmount: Int64
    public var issueDate: Day
    public var dueDate: Day
    /// As-of − due date (negative before the due date).
    public var daysLate: Int

    public init(documentId: Int64, number: String, step: String, amount: Money, openAmount: Int64,
                issueDate: Day, dueDate: Day, daysLate: Int) {
        self.documentId = documentId; self.number = number; self.step = step; self.amount = amount
        self.openAmount = openAmount; self.issueDate = issueDate; self.dueDate = dueDate; self.daysLate = daysLate
    }

    public var open: Money { Money(minor: openAmount, currency: amount.currency) }
}

/// One message of the batch: a customer, a step, a channel, the invoices it lists.
public struct PlannedReminder: Sendable, Hashable {
    /// Deterministic (`ReminderID`): the same batch always gets the same ids.
    public var id: String
    public var customerId: String
    public var scenario: String
    public var step: ReminderStep
    public var channel: ReminderChannel
    public var currency: Currency
    /// Sorted by due date then number.
    public var items: [PlannedReminderItem]

    public init(id: String, customerId: String, scenario: String, step: ReminderStep, channel: ReminderChannel,
                currency: Currency, items: [PlannedReminderItem]) {
        self.id = id; self.customerId = customerId; self.scenario = scenario; self.step = step
        self.channel = channel; self.currency = currency; self.items = items
    }

    /// Sum of the open amounts (minor units).
    public var total: Int64 { items.reduce(0) { $0 &+ $1.openAmount } }
}

/// An invoice that reached a step but gets no reminder, with why.
public struct ReminderExclusionEntry: Sendable, Hashable {
    public var customerId: String
    public var documentNumber: String
    public var step: String
    public var reason: ReminderExclusion

    public init(customerId: String, documentNumber: String, step: String, reason: ReminderExclusion) {
        self.customerId = customerId; self.documentNumber = documentNumber; self.step = step; self.reason = reason
    }
}

/// The planner's answer for an as-of date: what to send, what not and why, and notes.
public struct ReminderPlan: Sendable, Hashable {
    public var asOf: Day
    /// Sorted by customer, step offset, channel, currency.
    public var messages: [PlannedReminder]
    /// Sorted by customer then invoice number.
    public var exclusions: [ReminderExclusionEntry]
    /// Plain sentences for the batch's NOTES.txt (non-business as-of date, late entries…).
    public var notes: [String]
    /// Invoices that entered their scenario late: earlier steps never sent were skipped.
    public var lateEntries: Int

    public init(asOf: Day, messages: [PlannedReminder] = [], exclusions: [ReminderExclusionEntry] = [],
                notes: [String] = [], lateEntries: Int = 0) {
        self.asOf = asOf; self.messages = messages; self.exclusions = exclusions; self.notes = notes
        self.lateEntries = lateEntries
    }
}
