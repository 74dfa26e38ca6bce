/// One run of consecutive accrual days with the same base, rate and year length: a line of
/// the penalty or interest table printed in a reminder or a dossier.
///
/// Segments break at half-year boundaries (the rate is frozen per half-year) and on the day
/// after each payment (the base changes). `exactMicroUnits` keeps the exact amount to a
/// millionth of a cent so a reader can re-add the table; only the invoice total is rounded
/// to the cent (convention C4), so the `rounded` amounts of the lines need not sum to it.
public struct AccrualSegment: Sendable, Equatable, CustomStringConvertible {
    /// First and last accrual day, both included.
    public var from: Day
    public var to: Day
    public var days: Int
    /// Outstanding amount bearing interest over the run (TTC for L441-10 penalties).
    public var base: Money
    /// Annual rate in basis points (1215 = 12.15 %).
    public var rateBasisPoints: Int
    /// Divisor of the annual rate: 365, or 366 for leap-year days under `actualActual`.
    public var yearLength: Int
    /// base × rate × days / yearLength, in millionths of the minor unit, rounded half-up.
    public var exactMicroUnits: Int64
    /// Where the rate came from, for the explanation printed next to it.
    public var rateOrigin: RateOrigin

    /// Provenance of a segment's rate.
    public enum RateOrigin: Sendable, Equatable {
        /// L441-10 default: ECB reference rate of `halfYear` (in basis points) + 10 points.
        case statutoryDefault(halfYear: HalfYear, ecbReference: Int)
        /// The rate agreed in the contract or CGV.
        case agreed
        /// An agreed rate (or a "3 × taux légal" clause) replaced by 3 × the legal rate of `halfYear`.
        case legalFloor(halfYear: HalfYear)
        /// Taux de l'intérêt légal of `halfYear` (consumer claims after a formal notice).
        case legalInterest(halfYear: HalfYear, category: RateTables.LegalRateCategory)
    }

    /// The segment's amount rounded half-up to the minor unit, for display only.
    public var rounded: Money {
        Money(minor: exactMicroUnits / 1_000_000 + (exactMicroUnits % 1_000_000 >= 500_000 ? 1 : 0), currency: base.currency)
    }

    public var description: String {
        "\(from)…\(to) \(days) d × \(base) × \(RateTables.percentText(basisPoints: rateBasisPoints)) / \(yearLength) = \(rounded)"
    }
}
