/// The sums a formal notice ("mise en demeure", legal.md §7.2 item 4) claims for its invoices.
///
/// Between professionals: per invoice the principal still open, the L441-10 late-payment
/// penalties from the day after the due date to the notice's date (`LatePaymentPenalty`, with
/// the invoice's payments so that a partial payment lowers the base from its day on), and the
/// 40 € recovery indemnity (D441-5). For a consumer: the principal only — legal interest runs
/// from the notice's receipt and neither the 40 € nor recovery costs may be claimed (§4.3).
/// A missing rate throws (`LegalComputationError.rateUnavailable`, naming the half-year and
/// the file): the notice is refused, never extrapolated.
public struct FormalNoticeClaim: Sendable, Hashable {
    /// One invoice's line of the claim.
    public struct Line: Sendable, Hashable {
        public var number: String
        public var dueDate: Day
        public var principal: Money
        public var penalty: Money
        public var indemnity: Money
        public var daysLate: Int
        /// "12.15 % (2026-H1)" per half-year crossed, for the itemised claim.
        public var rates: [String]
        /// The same as values: the rate of each half-year crossed, in order.
        public var ratePeriods: [RatePeriod]
    }

    /// The penalty rate applied during one half-year.
    public struct RatePeriod: Sendable, Hashable {
        public var basisPoints: Int
        public var halfYear: HalfYear
    }

    /// What one invoice contributes as input.
    public struct Invoice: Sendable, Equatable {
        public var number: String
        public var dueDate: Day
        /// Amount due at the due date after credit notes and write-offs.
        public var principal: Money
        /// Payments received, with their day (value date when known).
        public var payments: [InvoiceSettlement]
        public init(number: String, dueDate: Day, principal: Money, payments: [InvoiceSettlement] = []) {
            self.number = number; self.dueDate = dueDate; self.principal = principal; self.payments = payments
        }
    }

    public var debtor: CustomerKind
    public var asOf: Day
    public var lines: [Line]
    public var warnings: [String]

    public var currency: Currency { lines.first?.principal.currency ?? .eur }
    public var principalTotal: Int64 { lines.reduce(0) { $0 &+ $1.principal.minor } }
    public var penaltyTotal: Int64 { lines.reduce(0) { $0 &+ $1.penalty.minor } }
    public var indemnityTotal: Int64 { lines.reduce(0) { $0 &+ $1.indemnity.minor } }
    /// Principal + penalties (+ indemnities when in the invoices' currency, i.e. euros).
    public var total: Int64 {
        principalTotal &+ penaltyTotal &+ (currency == .eur ? indemnityTotal : 0)
    }

    /// Computes the claim on `asOf` (the end date of the accrual).
    public static func compute(debtor: CustomerKind, asOf: Day, invoices: [Invoice], rates: RateTables,
                               rate: LatePaymentPenalty.RateClause = .statutoryDefault,
                               semesterMode: LatePaymentPenalty.SemesterMode = .split) throws(LegalComputationError) -> FormalNoticeClaim {
        var lines: [Line] = []
        var warnings: [String] = []
        for inv in invoices {
            let paid = inv.payments.filter { $0.day <= asOf }
            var outstanding = inv.principal.minor
            for p in paid { outstanding -= p.amount.minor }
            let open = Money(minor: max(0, outstanding), currency: inv.principal.currency)
            guard debtor == .business else {
                lines.append(Line(number: inv.number, dueDate: inv.dueDate, principal: open, penalty: .zero(open.currency),
                                  indemnity: .zero(.eur), daysLate: max(0, inv.dueDate.distance(to: asOf)), rates: [], ratePeriods: []))
                continue
            }
            let result = try LatePaymentPenalty.compute(
                LatePaymentPenalty.Input(principal: inv.principal, dueDate: inv.dueDate, endDate: asOf, payments: paid,
                                         debtor: .business, rate: rate, semesterMode: semesterMode),
                rates: rates)
            var periods: [RatePeriod] = []
            for seg in result.segments {
                let p = RatePeriod(basisPoints: seg.rateBasisPoints, halfYear: HalfYear(containing: seg.from))
                if !periods.contains(p) { periods.append(p) }
            }
            let seen = periods.map { "\(RateTables.percentText(basisPoints: $0.basisPoints)) (\($0.halfYear))" }
            for w in result.warnings { warnings.append("\(inv.number): \(w)") }
            lines.append(Line(number: inv.number, dueDate: inv.dueDate, principal: result.outstandingPrincipal,
                              penalty: result.penalty, indemnity: result.recoveryIndemnity, daysLate: result.daysLate, rates: seen,
                              ratePeriods: periods))
        }
        return FormalNoticeClaim(debtor: debtor, asOf: asOf, lines: lines, warnings: warnings)
    }
}
