/// One dated task of the collection team: `outbox/tasks/<as-of>/tasks.csv` lists them.
public struct CollectionTask: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A follow-up action of a dispute's category not yet recorded as done.
        case disputeFollowUp = "dispute_follow_up"
        /// Last day to serve an injonction-de-payer order (art. 1411).
        case serveInjunctionOrder = "injunction_service_deadline"
        /// End of the debtor's one-month opposition period (art. 1416).
        case oppositionPeriodEnds = "opposition_period_ends"
        /// An invoice in dispute or litigation nears its limitation date.
        case limitation
        /// A promise to pay was missed: the invoice is back in its scenario; call the customer.
        case promiseBroken = "promise_broken"
        /// A payment plan missed an instalment: its invoices are back in their scenario.
        case planBroken = "plan_broken"
        /// Every invoice of an open case is settled: the case can be closed.
        case caseSettled = "case_settled"
    }

    public var due: Day
    public var kind: Kind
    public var customerId: String
    public var invoiceNumber: String?
    public var caseId: String?
    public var owner: String?
    public var description: String

    public init(due: Day, kind: Kind, customerId: String, invoiceNumber: String? = nil, caseId: String? = nil,
                owner: String? = nil, description: String) {
        self.due = due; self.kind = kind; self.customerId = customerId; self.invoiceNumber = invoiceNumber
        self.caseId = caseId; self.owner = owner; self.description = description
    }
}
