/// The exact arithmetic shared by late-payment penalties and legal interest: simple interest
/// on a base, split by half-year, summed exactly and rounded once.
///
/// Amounts are kept as a numerator over the common denominator
/// `D = 10 000 (basis points) × 365 × 366`, so days counted /365 and /366 add without loss;
/// numerators are 128-bit (two `UInt64` words built with `multipliedFullWidth`) so that no
/// realistic invoice can overflow, and a result that does not fit 64 bits is an error.
struct InterestAccrual {
    /// 10 000 × 365 × 366: minor units × D = numerator.
    static let denominator: UInt64 = 1_335_900_000

    /// A running sum of numerators.
    private(set) var total = Wide()

    /// Splits `from…to` (inclusive) at half-year boundaries, computes each piece with the rate
    /// `rate` gives for its half-year, adds it to the running sum and returns the segments.
    mutating func accrue(from: Day, to: Day, base: Money, basis: DayCountBasis,
                         rate: (HalfYear) throws(LegalComputationError) -> (basisPoints: Int, origin: AccrualSegment.RateOrigin))
        throws(LegalComputationError) -> [AccrualSegment]
    {
        guard from <= to, base.minor > 0 else { return [] }
        var segments: [AccrualSegment] = []
        var start = from
        while start <= to {
            let halfYear = HalfYear(containing: start)
            let end = min(to, halfYear.lastDay)
            let days = start.distance(to: end) + 1
            let (bp, origin) = try rate(halfYear)
            guard bp >= 0 else { throw .invalidInput("negative rate \(bp) bp for \(halfYear)") }
            let yearLength = basis.yearLength(halfYear.year)
            let numerator = try Self.numerator(base: base.minor, basisPoints: bp, days: days, yearLength: yearLength)
            try total.add(numerator)
            segments.append(AccrualSegment(
                from: start, to: end, days: days, base: base, rateBasisPoints: bp, yearLength: yearLength,
                exactMicroUnits: try Self.microUnits(numerator), rateOrigin: origin))
            start = end.adding(days: 1)
        }
        return segments
    }

    /// The sum so far rounded half-up to the minor unit, and the sum reset to zero: used once
    /// per invoice, or at each imputation under art. 1343-1.
    mutating func takeRounded() throws(LegalComputationError) -> Int64 {
        let v = try total.divided(by: Self.denominator)
        total = Wide()
        return v
    }

    /// The exact sum so far in millionths of the minor unit (half-up).
    func microUnits() throws(LegalComputationError) -> Int64 {
        try Self.microUnits(total)
    }

    /// numerator / D × 10⁶, half-up: whole minor units first, then the remainder (< D < 2³¹)
    /// scaled in 64 bits.
    static func microUnits(_ n: Wide) throws(LegalComputationError) -> Int64 {
        let (whole, remainder) = try n.quotientAndRemainder(dividingBy: denominator)
        let (scaled, o1) = whole.multipliedReportingOverflow(by: 1_000_000)
        let fraction = Wide(high: 0, low: remainder * 1_000_000)
        let (sum, o2) = scaled.addingReportingOverflow(try fraction.divided(by: denominator))
        guard !o1, !o2 else { throw .amountTooLarge }
        return sum
    }

    /// base × bp × days × (D / (10 000 × yearLength)).
    static func numerator(base: Int64, basisPoints: Int, days: Int, yearLength: Int) throws(LegalComputationError) -> Wide {
        let scale: UInt64 = yearLength == 366 ? 365 : 366
        let (rd, o1) = UInt64(basisPoints).multipliedReportingOverflow(by: UInt64(days))
        let (rdk, o2) = rd.multipliedReportingOverflow(by: scale)
        guard !o1, !o2, base >= 0 else { throw .amountTooLarge }
        let (high, low) = UInt64(base).multipliedFullWidth(by: rdk)
        return Wide(high: high, low: low)
    }

    /// An unsigned 128-bit value, only as much of one as this file needs.
    struct Wide: Equatable {
        var high: UInt64 = 0
        var low: UInt64 = 0

        mutating func add(_ other: Wide) throws(LegalComputationError) {
            let (l, carry) = low.addingReportingOverflow(other.low)
            var (h, o1) = high.addingReportingOverflow(other.high)
            var o2 = false
            if carry { (h, o2) = h.addingReportingOverflow(1) }
            guard !o1, !o2 else { throw .amountTooLarge }
            high = h
            low = l
        }

        /// Truncated quotient (as a non-negative Int64) and remainder.
        func quotientAndRemainder(dividingBy d: UInt64) throws(LegalComputationError) -> (Int64, UInt64) {
            guard high < d else { throw .amountTooLarge }
            let (q, r) = d.dividingFullWidth((high, low))
            guard q <= UInt64(Int64.max) else { throw .amountTooLarge }
            return (Int64(q), r)
        }

        /// self / d rounded half-up, as a non-negative Int64.
        func divided(by d: UInt64) throws(LegalComputationError) -> Int64 {
            guard high < d else { throw .amountTooLarge }
            let (q, r) = d.dividingFullWidth((high, low))
            let rounded = r >= d - r ? q &+ 1 : q
            guard rounded >= q, rounded <= UInt64(Int64.max) else { throw .amountTooLarge }
            return Int64(rounded)
        }
    }
}
