/// The rules of automatic reconciliation, most certain first.
public enum ReconciliationRule: String, Sendable, Codable, CaseIterable {
    /// A valid ISO 11649 creditor reference equal to the invoice's payment reference.
    case creditorReference = "creditor_reference"
    /// A company reference pattern (prefix + digits) equal to the invoice's payment reference.
    case configuredReference = "configured_reference"
    /// Invoice numbers read in the remittance text with tolerant tokenisation.
    case remittanceInvoiceNumber = "remittance_invoice_number"
    /// Identified payer, exactly one open item of exactly the payment's amount.
    case uniqueAmount = "unique_amount"
    /// Identified payer, exactly one combination of open items summing to the payment.
    case amountCombination = "amount_combination"
    /// A free credit note applied to the customer's oldest invoices (enabled per customer).
    case customerCreditOldestFirst = "customer_credit_oldest_first"
}

/// One amount moved from a payment or credit note to an invoice, with why.
public struct ReconciliationAllocation: Sendable, Equatable {
    public enum Source: Sendable, Equatable, Hashable {
        case payment(id: String)
        case creditNote(number: String)
    }
    public var source: Source
    public var invoiceNumber: String
    public var amount: Int64
    public var currency: Currency
    public var rule: ReconciliationRule
    /// Human-readable: what in the data made the match certain.
    public var evidence: String

    public init(source: Source, invoiceNumber: String, amount: Int64, currency: Currency, rule: ReconciliationRule, evidence: String) {
        self.source = source; self.invoiceNumber = invoiceNumber; self.amount = amount; self.currency = currency
        self.rule = rule; self.evidence = evidence
    }

    /// The payment id when the source is a payment.
    public var paymentId: String? {
        if case let .payment(id) = source { return id }
        return nil
    }
}

/// An invoice a person might pick for an unmatched payment, ranked.
public struct ReconciliationCandidate: Sendable, Equatable {
    public var invoiceNumber: String
    public var customerId: String
    public var openAmount: Int64
    /// 0…100: higher is more likely; never enough on its own to allocate.
    public var score: Int
    public var why: String

    public init(invoiceNumber: String, customerId: String, openAmount: Int64, score: Int, why: String) {
        self.invoiceNumber = invoiceNumber; self.customerId = customerId; self.openAmount = openAmount
        self.score = score; self.why = why
    }
}

/// A payment left for a person, with the reason and up to three ranked candidates.
public struct UnmatchedOutcome: Sendable, Equatable {
    public var paymentId: String
    /// The customer the payer was identified as, when it was.
    public var customerId: String?
    public var reason: String
    public var candidates: [ReconciliationCandidate]

    public init(paymentId: String, customerId: String?, reason: String, candidates: [ReconciliationCandidate]) {
        self.paymentId = paymentId; self.customerId = customerId; self.reason = reason; self.candidates = candidates
    }
}

/// A short payment within tolerance: proposed for a write-off ("passage en perte / écart de
/// règlement"), never applied by reconciliation itself.
public struct WriteOffProposal: Sendable, Equatable {
    public var paymentId: String
    public var invoiceNumber: String
    public var amount: Int64
    public var currency: Currency
    public var reason: String

    public init(paymentId: String, invoiceNumber: String, amount: Int64, currency: Currency, reason: String) {
        self.paymentId = paymentId; self.invoiceNumber = invoiceNumber; self.amount = amount; self.currency = currency
        self.reason = reason
    }
}

/// What a payment left over after paying the invoices it named ("trop-perçu"): customer credit.
public struct UnappliedCredit: Sendable, Equatable {
    public var paymentId: String
    public var customerId: String
    public var amount: Int64
    public var currency: Currency

    public init(paymentId: String, customerId: String, amount: Int64, currency: Currency) {
        self.paymentId = paymentId; self.customerId = customerId; self.amount = amount; self.currency = currency
    }
}

/// Payer knowledge this run's reference-based matches suggest (an IBAN or a name not yet known
/// for that customer). Not used within the run that found it: the store learns it once the
/// matches are recorded, so one run's result never depends on the order of its own payments.
public struct LearnedPayer: Sendable, Equatable {
    public var paymentId: String
    public var customerId: String
    public var iban: String?
    public var normalisedName: String?

    public init(paymentId: String, customerId: String, iban: String?, normalisedName: String?) {
        self.paymentId = paymentId; self.customerId = customerId; self.iban = iban; self.normalisedName = normalisedName
    }
}

/// Everything one reconciliation run decided, in a deterministic order (payments by date then
/// id, then credit notes by issue date then number).
public struct ReconciliationResult: Sendable, Equatable {
    public var allocations: [ReconciliationAllocation] = []
    public var unmatched: [UnmatchedOutcome] = []
    public var writeOffProposals: [WriteOffProposal] = []
    public var unappliedCredits: [UnappliedCredit] = []
    public var learnedPayers: [LearnedPayer] = []
    /// Where the engine found what it decided on, so that the store records a million
    /// decisions without looking each number up again.
    public var positions = InputPositions()

    public init() {}
}

/// Positions in the engine's inputs of what a `ReconciliationResult` names, parallel to its
/// arrays: the invoice in the `invoices` given to `Reconciler.init`, the payment in the
/// `payments` given to `reconcile`; -1 where there is none (a credit note's allocation). A hint
/// that whoever uses it checks against the names (which stay the result's meaning): not part of
/// the result's equality.
public struct InputPositions: Sendable, Equatable {
    public var allocationInvoices: [Int32] = []
    public var allocationPayments: [Int32] = []
    public var writeOffInvoices: [Int32] = []
    public var writeOffPayments: [Int32] = []
    public var creditPayments: [Int32] = []

    public init() {}

    public static func == (_: InputPositions, _: InputPositions) -> Bool { true }
}
