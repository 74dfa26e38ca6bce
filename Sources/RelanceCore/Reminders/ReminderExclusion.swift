/// Why an invoice that has reached a step gets no reminder today. Each reason is shown in
/// the plan (`relance plan`) with its message, so a credit manager can see why a customer
/// was not chased.
public enum ReminderExclusion: Sendable, Hashable, CustomStringConvertible {
    /// Paid, or covered by credit notes or write-offs: nothing is open.
    case settled
    /// An open dispute ("litige") on the invoice.
    case disputed
    /// The invoice is in an open litigation case ("contentieux"): the partner chases it now.
    case inLitigation
    /// The invoice is in an active payment plan ("échéancier") whose instalments are not late.
    case paymentPlan
    /// A promise to pay ("promesse de paiement") not yet due.
    case promiseToPay(until: Day)
    /// The customer's total at the step is below the step's minimum.
    case belowThreshold(total: Money, minimum: Money)
    /// The customer is blocked from reminders in the configuration.
    case customerBlocked
    /// A payment of the customer is not yet applied to invoices: it may settle this one, so
    /// chasing would risk reminding a customer who has paid.
    case unappliedPayment(Money)
    /// The customer received a reminder too recently.
    case minimumInterval(lastSent: Day, nextAllowed: Day)
    /// The channel needs a contact the customer lacks (no phone for a text message, no postal
    /// address for a letter).
    case noContact(ReminderChannel)
    /// The formal notice cannot state the penalties: a rate is missing from the shipped data
    /// ("refuse, never extrapolate"); the message names the half-year and the file.
    case rateUnavailable(String)

    /// Short stable code, for CSV columns and tests.
    public var code: String {
        switch self {
        case .settled: return "settled"
        case .disputed: return "disputed"
        case .inLitigation: return "litigation"
        case .paymentPlan: return "payment_plan"
        case .promiseToPay: return "promise"
        case .belowThreshold: return "below_threshold"
        case .customerBlocked: return "blocked"
        case .unappliedPayment: return "unapplied_payment"
        case .minimumInterval: return "minimum_interval"
        case .noContact: return "no_contact"
        case .rateUnavailable: return "rate_unavailable"
        }
    }

    public var description: String {
        switch self {
        case .settled: return "paid or covered by credit"
        case .disputed: return "disputed (open dispute on the invoice)"
        case .inLitigation: return "in an open litigation case"
        case .paymentPlan: return "in an active payment plan whose instalments are not late"
        case let .promiseToPay(until): return "promise to pay by \(until), not yet due"
        case let .belowThreshold(total, minimum): return "total \(total) below the step's minimum \(minimum)"
        case .customerBlocked: return "customer blocked from reminders (reminders.blocked_customers)"
        case let .unappliedPayment(m): return "unapplied payment of \(m) pending on the customer"
        case let .minimumInterval(last, next): return "last reminder on \(last); next allowed on \(next)"
        case let .noContact(channel):
            switch channel {
            case .sms: return "no mobile phone number for a text message"
            case .email: return "no e-mail address"
            default: return "no postal address for a \(channel == .registeredLetter ? "registered letter" : "letter")"
            }
        case let .rateUnavailable(reason): return "formal notice refused: \(reason)"
        }
    }
}
