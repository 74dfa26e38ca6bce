/// Intérêts au taux légal from a formal notice: what a creditor may claim from a consumer who
/// pays late (art. 1231-6 and 1344-1 C. civ., legal.md §4.3), since no L441-10 penalty and no
/// €40 apply to consumers.
///
/// Interest runs from the receipt of the mise en demeure — days counted like days late: the
/// day after receipt through the payment (or as-of) day — at the legal rate of each half-year
/// ("autres cas" for a business creditor, "particulier" for a private-individual creditor).
/// Payments go to the principal; interest is never capitalised against a consumer (§4.3).
/// The 5-point majoration after a judgment (L313-3 CMF) is not part of this computation.
public enum LegalInterest {
    public struct Input: Sendable, Equatable {
        /// Amount due when the notice was received.
        public var principal: Money
        /// Day the debtor received the mise en demeure (avis de réception, or the qualified
        /// LRE provider's receipt).
        public var formalNoticeReceived: Day
        /// Full-payment day, or the as-of date if unpaid.
        public var endDate: Day
        public var payments: [InvoiceSettlement]
        public var category: RateTables.LegalRateCategory
        public var dayCount: DayCountBasis

        public init(principal: Money, formalNoticeReceived: Day, endDate: Day, payments: [InvoiceSettlement] = [],
                    category: RateTables.LegalRateCategory = .otherCases, dayCount: DayCountBasis = .actual365) {
            self.principal = principal; self.formalNoticeReceived = formalNoticeReceived; self.endDate = endDate
            self.payments = payments; self.category = category; self.dayCount = dayCount
        }
    }

    public struct Result: Sendable, Equatable {
        /// Total interest, rounded half-up to the cent once.
        public var interest: Money
        public var exactMicroUnits: Int64
        public var segments: [AccrualSegment]
        /// Principal still unpaid at the end date.
        public var outstandingPrincipal: Money
    }

    /// - Throws: `LegalComputationError.rateUnavailable` naming the half-year when the legal
    ///   rate of a half-year touched is absent (2026-H2 with the shipped data).
    public static func compute(_ input: Input, rates: RateTables) throws(LegalComputationError) -> Result {
        let currency = input.principal.currency
        guard input.principal.minor >= 0 else { throw .invalidInput("negative principal \(input.principal)") }
        for p in input.payments where p.amount.currency != currency || p.amount.minor <= 0 {
            throw .invalidInput("payment of \(p.amount) on \(p.day) is not a positive amount in \(currency)")
        }
        let payments = input.payments.filter { $0.day <= input.endDate }.sorted { $0.day < $1.day }
        var principal = input.principal.minor
        var accrual = InterestAccrual()
        var segments: [AccrualSegment] = []
        var cursor = input.formalNoticeReceived.adding(days: 1)
        func rate(_ h: HalfYear) throws(LegalComputationError) -> (basisPoints: Int, origin: AccrualSegment.RateOrigin) {
            (try rates.legalInterestRate(for: h, category: input.category), .legalInterest(halfYear: h, category: input.category))
        }
        for p in payments {
            if p.day >= cursor {
                segments += try accrual.accrue(from: cursor, to: p.day, base: Money(minor: principal, currency: currency),
                                               basis: input.dayCount, rate: rate)
                cursor = p.day.adding(days: 1)
            }
            principal = max(0, principal - p.amount.minor)
        }
        segments += try accrual.accrue(from: cursor, to: input.endDate, base: Money(minor: principal, currency: currency),
                                       basis: input.dayCount, rate: rate)
        let micro = try accrual.microUnits()
        let total = try accrual.takeRounded()
        return Result(interest: Money(minor: total, currency: currency), exactMicroUnits: micro,
                      segments: segments, outstandingPrincipal: Money(minor: principal, currency: currency))
    }
}
