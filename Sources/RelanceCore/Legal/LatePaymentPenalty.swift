/// Pénalités de retard between professionals (art. L441-10 II Code de commerce, legal.md §1).
///
/// Simple interest on the outstanding amount TTC, from the day after the due date printed on
/// the invoice through the day the funds reach the creditor (or the as-of date), with no
/// reminder needed. Each accrual day uses the rate of its own half-year (`split`, the reading
/// adopted in legal.md §1.2) unless `fixedAtDueDate` is chosen. The sum is exact and rounded
/// half-up to the cent once per invoice (once per imputation under art. 1343-1).
///
/// Consumers owe no L441-10 penalty: for them the claim is legal interest from the formal
/// notice (`LegalInterest`), and `compute` returns zero with a warning saying so.
public enum LatePaymentPenalty {
    /// The rate the parties agreed, if any.
    public enum RateClause: Sendable, Equatable {
        /// Nothing agreed (or the CGV say "BCE + 10 points"): ECB reference of each half-year + 10 points.
        case statutoryDefault
        /// A fixed agreed rate in basis points. Raised, with a warning, to 3 × the legal rate of any
        /// half-year where it is lower (the agreed rate may not go below that floor, §1.3).
        case agreed(basisPoints: Int)
        /// A clause "3 × le taux de l'intérêt légal": the floor itself, half-year by half-year (EX-09).
        case threeTimesLegalRate
    }

    /// Which half-year's rate applies to a delay spanning 1 January or 1 July.
    public enum SemesterMode: String, Sendable, Equatable, Codable {
        /// Each accrual day uses its own half-year's rate (default; legal.md §1.2, [S7]).
        case split
        /// The rate of the half-year in which interest starts to run — the day after the due
        /// date — for the whole delay (the public-procurement and UK reading; EX-02 variant).
        case fixedAtDueDate
    }

    /// How a partial payment made after the due date is shared between principal and accessories.
    public enum Imputation: String, Sendable, Equatable, Codable {
        /// All to the principal (the product default: it follows the lettering of the ledger,
        /// which the creditor may accept since art. 1343-1 protects it; EX-05).
        case principalFirst
        /// Art. 1343-1 C. civ.: accrued penalties first, then the €40 indemnity, then the
        /// principal (EX-06). Each payment fixes the penalty accrued so far to the cent.
        case accessoriesFirst
    }

    /// 1 January 2013: since then the rate is frozen per half-year and the €40 is due. Earlier
    /// accrual followed other rules (ECB + 7, no freeze) and is refused (legal.md §11 point 13).
    public static let semesterRuleStart = Day(year: 2013, month: 1, day: 1) ?? Day(ordinal: 15706)

    /// What one invoice's computation needs.
    public struct Input: Sendable, Equatable {
        /// Amount TTC due at the due date (after credit notes), before any payment.
        public var principal: Money
        /// The payment date printed on the invoice ("date de règlement").
        public var dueDate: Day
        /// Last day that can bear interest: the full-payment date, or the as-of date if unpaid.
        public var endDate: Day
        /// Payments, in any order; those after `endDate` are ignored with a warning.
        public var payments: [InvoiceSettlement]
        public var debtor: CustomerKind
        public var rate: RateClause
        public var semesterMode: SemesterMode
        public var dayCount: DayCountBasis
        public var imputation: Imputation
        /// Opening judgment of safeguard, receivership or liquidation: accrual stops on the day
        /// before it (L622-28 C. com., legal.md §1.7). Payments still reduce the balance. When it
        /// falls on or before the due date, the €40 is not owed either.
        public var insolvencyOpening: Day?

        public init(principal: Money, dueDate: Day, endDate: Day, payments: [InvoiceSettlement] = [],
                    debtor: CustomerKind = .business, rate: RateClause = .statutoryDefault,
                    semesterMode: SemesterMode = .split, dayCount: DayCountBasis = .actual365,
                    imputation: Imputation = .principalFirst, insolvencyOpening: Day? = nil) {
            self.principal = principal; self.dueDate = dueDate; self.endDate = endDate; self.payments = payments
            self.debtor = debtor; self.rate = rate; self.semesterMode = semesterMode; self.dayCount = dayCount
            self.imputation = imputation; self.insolvencyOpening = insolvencyOpening
        }
    }

    /// Something the reader of the result must know; none of them changes the law's answer silently.
    public enum Warning: Sendable, Equatable, CustomStringConvertible {
        /// The debtor is a consumer: no L441-10 penalty and no €40; claim legal interest from a
        /// formal notice instead (legal.md §4.3).
        case consumerDebtor
        /// The agreed rate was below 3 × the legal rate of `halfYear` and was raised to `floor`.
        case agreedRateBelowFloor(halfYear: HalfYear, agreed: Int, floor: Int)
        /// A payment dated after the end date did not take part in the computation.
        case paymentAfterEndDate(InvoiceSettlement)
        /// Payments exceed the principal plus accessories by `excess`.
        case overpayment(excess: Money)
        /// Accrual stopped on `lastAccrualDay` because of the insolvency opening judgment.
        case stoppedByInsolvency(lastAccrualDay: Day)
        /// The invoice is not in euros: the €40 (always euros) is reported but not imputed.
        case indemnityNotImputedInOtherCurrency(Currency)

        public var description: String {
            switch self {
            case .consumerDebtor:
                return "consumer debtor: no L441-10 penalty and no €40 indemnity; only legal interest from a formal notice can be claimed"
            case let .agreedRateBelowFloor(h, agreed, floor):
                return "agreed rate \(RateTables.percentText(basisPoints: agreed)) is below 3 × the legal rate of \(h); \(RateTables.percentText(basisPoints: floor)) used"
            case let .paymentAfterEndDate(s):
                return "payment of \(s.amount) on \(s.day) is after the end date and was ignored"
            case let .overpayment(excess):
                return "payments exceed principal and accessories by \(excess)"
            case let .stoppedByInsolvency(day):
                return "accrual stopped on \(day), the day before the insolvency opening judgment (L622-28)"
            case let .indemnityNotImputedInOtherCurrency(c):
                return "invoice in \(c): the €40 indemnity is reported separately, not imputed"
            }
        }
    }

    /// How one payment made after the due date was imputed.
    public struct ImputedPayment: Sendable, Equatable {
        public var settlement: InvoiceSettlement
        public var toPenalty: Money
        public var toIndemnity: Money
        public var toPrincipal: Money
        /// Left over once everything owed at that day was paid.
        public var unapplied: Money
    }

    /// The outcome for one invoice.
    public struct Result: Sendable, Equatable {
        /// Total pénalités de retard, rounded half-up to the cent.
        public var penalty: Money
        /// The exact total in millionths of the minor unit (before the final rounding).
        public var exactMicroUnits: Int64
        public var segments: [AccrualSegment]
        /// €40 when the invoice was paid late by a business, else zero (always euros).
        public var recoveryIndemnity: Money
        /// Days from the due date to the end date (C1: end − due), zero if not late.
        public var daysLate: Int
        /// Principal still unpaid at the end date.
        public var outstandingPrincipal: Money
        /// What the debtor must pay on the end date to clear the invoice: principal, unpaid
        /// penalties and the unpaid €40 (when in euros).
        public var balanceDue: Money
        /// Payments after the due date and their imputation.
        public var imputations: [ImputedPayment]
        public var warnings: [Warning]
    }

    /// Computes the penalty of one invoice.
    ///
    /// - Throws: `LegalComputationError.rateUnavailable` naming the half-year and the dataset
    ///   when a needed rate is missing or unverified; `.periodBeforeSemesterRule` for accrual
    ///   before 2013; `.invalidInput` for negative amounts or mixed currencies.
    public static func compute(_ input: Input, rates: RateTables) throws(LegalComputationError) -> Result {
        let currency = input.principal.currency
        guard input.principal.minor >= 0 else { throw .invalidInput("negative principal \(input.principal)") }
        for p in input.payments {
            guard p.amount.currency == currency else {
                throw .invalidInput("payment of \(p.amount) on \(p.day) is not in the invoice currency \(currency)")
            }
            guard p.amount.minor > 0 else { throw .invalidInput("payment of \(p.amount) on \(p.day) is not positive") }
        }
        if case let .agreed(bp) = input.rate, bp < 0 { throw .invalidInput("negative agreed rate \(bp) bp") }

        var warnings: [Warning] = []
        let payments = input.payments.enumerated().sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
        var considered: [InvoiceSettlement] = []
        for p in payments {
            if p.day > input.endDate { warnings.append(.paymentAfterEndDate(p)) } else { considered.append(p) }
        }

        // Principal at the due date: payments on or before it are not late.
        var principal = input.principal.minor
        var early: Int64 = 0
        var paidLate: Int64 = 0
        var late: [InvoiceSettlement] = []
        for p in considered {
            if p.day <= input.dueDate {
                early = try checkedSum(early, p.amount.minor)
            } else {
                paidLate = try checkedSum(paidLate, p.amount.minor)
                late.append(p)
            }
        }
        var unapplied: Int64 = max(0, early - principal)
        principal = max(0, principal - early)

        let isLate = principal > 0 && input.endDate > input.dueDate
        let daysLate = isLate ? input.dueDate.distance(to: input.endDate) : 0

        guard input.debtor == .business else {
            warnings.insert(.consumerDebtor, at: 0)
            let remaining = principal - paidLate
            if remaining < 0 || unapplied > 0 {
                warnings.append(.overpayment(excess: Money(minor: max(0, -remaining) + unapplied, currency: currency)))
            }
            return Result(penalty: .zero(currency), exactMicroUnits: 0, segments: [], recoveryIndemnity: .zero(.eur),
                          daysLate: daysLate, outstandingPrincipal: Money(minor: max(0, remaining), currency: currency),
                          balanceDue: Money(minor: max(0, remaining), currency: currency), imputations: [], warnings: warnings)
        }

        let firstAccrualDay = input.dueDate.adding(days: 1)
        var lastAccrualDay = input.endDate
        if let opening = input.insolvencyOpening, opening <= input.endDate {
            lastAccrualDay = min(lastAccrualDay, opening.adding(days: -1))
            warnings.append(.stoppedByInsolvency(lastAccrualDay: lastAccrualDay))
        }
        if isLate, firstAccrualDay <= lastAccrualDay, firstAccrualDay < semesterRuleStart {
            throw .periodBeforeSemesterRule(firstAccrualDay: firstAccrualDay)
        }

        // The rate of each half-year, with the floor check made once per half-year.
        var floorWarned: Set<HalfYear> = []
        let fixedHalfYear = HalfYear(containing: firstAccrualDay)
        func rate(_ actual: HalfYear) throws(LegalComputationError) -> (basisPoints: Int, origin: AccrualSegment.RateOrigin) {
            let h = input.semesterMode == .split ? actual : fixedHalfYear
            switch input.rate {
            case .statutoryDefault:
                let ecb = try rates.ecbReferenceRate(for: h)
                return (ecb + 1000, .statutoryDefault(halfYear: h, ecbReference: ecb))
            case .threeTimesLegalRate:
                return (try rates.contractualFloorRate(for: h), .legalFloor(halfYear: h))
            case let .agreed(bp):
                let floor = try rates.contractualFloorRate(for: h)
                guard bp < floor else { return (bp, .agreed) }
                if floorWarned.insert(h).inserted {
                    warnings.append(.agreedRateBelowFloor(halfYear: h, agreed: bp, floor: floor))
                }
                return (floor, .legalFloor(halfYear: h))
            }
        }

        // No €40 when the opening judgment already barred payment at the due date (last sentence of
        // L441-10 II as usually reproduced; unverified in the stored official copies, legal.md §11.6).
        let barredAtDueDate = input.insolvencyOpening.map { $0 <= input.dueDate } ?? false
        let indemnity = isLate && !barredAtDueDate ? RecoveryIndemnity.perInvoice : .zero(.eur)
        let imputeIndemnity = currency == .eur
        if isLate, !imputeIndemnity { warnings.append(.indemnityNotImputedInOtherCurrency(currency)) }

        var accrual = InterestAccrual()
        var segments: [AccrualSegment] = []
        var fixedPenalty: Int64 = 0      // penalty amounts already fixed to the cent by an imputation
        var fixedMicro: Int64 = 0
        var unpaidPenalty: Int64 = 0
        var unpaidIndemnity: Int64 = 0
        var imputations: [ImputedPayment] = []
        var cursor = firstAccrualDay

        func accrueThrough(_ day: Day) throws(LegalComputationError) {
            let to = min(day, lastAccrualDay)
            if cursor <= to {
                segments += try accrual.accrue(from: cursor, to: to, base: Money(minor: principal, currency: currency),
                                               basis: input.dayCount, rate: rate)
            }
            cursor = max(cursor, day.adding(days: 1))
        }
        func money(_ v: Int64) -> Money { Money(minor: v, currency: currency) }

        var indemnityAdded = false
        for p in late {
            try accrueThrough(p.day)
            var rest = p.amount.minor
            var toPenalty: Int64 = 0, toIndemnity: Int64 = 0
            if input.imputation == .accessoriesFirst {
                fixedMicro += try accrual.microUnits()
                let accrued = try accrual.takeRounded()
                fixedPenalty += accrued
                unpaidPenalty += accrued
                if !indemnityAdded, imputeIndemnity {
                    unpaidIndemnity += indemnity.minor
                    indemnityAdded = true
                }
                toPenalty = min(rest, unpaidPenalty); rest -= toPenalty; unpaidPenalty -= toPenalty
                toIndemnity = min(rest, unpaidIndemnity); rest -= toIndemnity; unpaidIndemnity -= toIndemnity
            }
            let toPrincipal = min(rest, principal)
            rest -= toPrincipal
            principal -= toPrincipal
            unapplied += rest
            imputations.append(ImputedPayment(settlement: p, toPenalty: money(toPenalty),
                                              toIndemnity: Money(minor: toIndemnity, currency: currency),
                                              toPrincipal: money(toPrincipal), unapplied: money(rest)))
        }
        try accrueThrough(input.endDate)

        let finalMicro = try accrual.microUnits()
        let finalPenalty = try accrual.takeRounded()
        let penalty = fixedPenalty + finalPenalty
        unpaidPenalty += finalPenalty
        if !indemnityAdded, imputeIndemnity { unpaidIndemnity += indemnity.minor }

        // Money not needed for the principal pays the accessories last of all (principal-first),
        // or whatever was left after an earlier imputation.
        let fromUnapplied = min(unapplied, unpaidPenalty + unpaidIndemnity)
        unapplied -= fromUnapplied
        let owed = principal + unpaidPenalty + unpaidIndemnity - fromUnapplied
        if unapplied > 0 { warnings.append(.overpayment(excess: money(unapplied))) }

        return Result(penalty: money(penalty), exactMicroUnits: fixedMicro + finalMicro, segments: segments,
                      recoveryIndemnity: indemnity, daysLate: daysLate, outstandingPrincipal: money(principal),
                      balanceDue: money(owed), imputations: imputations, warnings: warnings)
    }

    private static func checkedSum(_ a: Int64, _ b: Int64) throws(LegalComputationError) -> Int64 {
        let (v, o) = a.addingReportingOverflow(b)
        if o { throw .amountTooLarge }
        return v
    }
}
