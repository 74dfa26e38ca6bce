import RelanceCore
import RelanceStore

/// The claim of a litigation dossier, invoice by invoice: what is owed, the late-payment
/// penalties and €40 indemnities (legal.md §1), and the limitation date (§5).
public struct DossierClaim: Sendable {
    public struct Line: Sendable {
        public var facts: CollectionInvoiceFacts
        public var disputed: Bool
        /// Days from the due date to as-of (or to full payment), zero when not late.
        public var daysLate: Int
        /// Pénalités de retard (L441-10), nil when they could not be computed (see `penaltyNote`).
        public var penalty: Money?
        /// The last accrual day the penalty covers (as-of, or earlier when a rate is missing).
        public var penaltyThrough: Day?
        public var penaltyNote: String?
        /// Indemnité forfaitaire pour frais de recouvrement (€40, B2B only).
        public var indemnity: Money
        public var limitation: Limitation.Result
    }

    public var lines: [Line]
    public var debtor: CustomerKind
    public var asOf: Day

    /// Builds the claim. `rates` nil (tables unreadable) leaves the penalties out with a note.
    public init(data: LitigationDossierData, asOf: Day, rates: RateTables?) {
        self.asOf = asOf
        debtor = data.customer.kind
        let stages = data.litigationCase.stages
        lines = data.invoices.map { f in
            let due = f.effectiveDueDate
            let lastPayment = f.settlements.map(\.day).max()
            let end = f.open <= 0 ? (lastPayment ?? asOf) : asOf
            var line = Line(facts: f, disputed: data.disputed.contains(f.number), daysLate: max(0, due.distance(to: end)),
                            penalty: nil, penaltyThrough: nil, penaltyNote: nil,
                            indemnity: RecoveryIndemnity.amount(debtor: data.customer.kind, dueDate: due,
                                                                paidInFullOn: f.open <= 0 ? lastPayment : nil, asOf: asOf),
                            limitation: Limitation.compute(f.limitationInput(debtor: data.customer.kind, stages: stages)))
            if let rates { DossierClaim.computePenalty(&line, debtor: data.customer.kind, end: end, rates: rates) } else {
                line.penaltyNote = "tables de taux illisibles : pénalités non calculées"
            }
            return line
        }
    }

    /// Computes the penalty through `end`; when a half-year's rate is missing or unverified,
    /// through the day before that half-year, saying so (never a guessed rate).
    static func computePenalty(_ line: inout Line, debtor: CustomerKind, end: Day, rates: RateTables) {
        let f = line.facts
        let due = f.effectiveDueDate
        guard debtor == .business else {
            line.penalty = .zero(f.currency)
            line.penaltyNote = "débiteur consommateur : pas de pénalités L441-10 (intérêt légal après mise en demeure)"
            return
        }
        let principal = Money(minor: f.amount - f.credited, currency: f.currency)
        let payments = f.settlements.filter { $0.kind == .payment }.map { InvoiceSettlement(day: $0.day, amount: Money(minor: $0.amount, currency: f.currency)) }
        var through = end
        var note: String?
        for _ in 0..<4 {
            guard through > due else {
                // Not late within the days whose rates are known: zero when that is the whole
                // delay, unknown (nil) when the missing rates cut it short.
                line.penalty = note == nil ? .zero(f.currency) : nil
                line.penaltyThrough = note == nil ? through : nil
                line.penaltyNote = note
                return
            }
            do {
                let r = try LatePaymentPenalty.compute(LatePaymentPenalty.Input(principal: principal, dueDate: due, endDate: through,
                                                                                 payments: payments.filter { $0.day <= through }), rates: rates)
                line.penalty = r.penalty; line.penaltyThrough = through; line.penaltyNote = note
                return
            } catch let .rateUnavailable(halfYear, _, reason) {
                through = halfYear.firstDay.adding(days: -1)
                note = "pénalités arrêtées au \(through.frenchDescription) : taux de \(halfYear) indisponible (\(reason))"
            } catch {
                line.penaltyNote = "pénalités non calculées : \(error)"
                return
            }
        }
        line.penaltyNote = note
    }

    /// Totals per currency: open principal, penalties, indemnities (€).
    public var openTotal: [Currency: Int64] {
        lines.reduce(into: [:]) { $0[$1.facts.currency, default: 0] += max(0, $1.facts.open) }
    }
    public var penaltyTotal: [Currency: Int64] {
        lines.reduce(into: [:]) { acc, l in if let p = l.penalty { acc[p.currency, default: 0] += p.minor } }
    }
    public var indemnityTotal: Int64 { lines.reduce(0) { $0 + $1.indemnity.minor } }
    /// The earliest conservative limitation date among the invoices still owed.
    public var earliestLimitation: Limitation.Result? {
        lines.filter { $0.facts.open > 0 }.map(\.limitation).min { $0.conservativeLastDay < $1.conservativeLastDay }
    }
}

