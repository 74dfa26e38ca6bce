/// How a day of interest is turned into a fraction of the annual rate.
///
/// Every source computes French late-payment interest as "amount × rate × days / 365", and
/// none addresses leap years (legal.md §1.4, open point §11.3), so `actual365` is the default
/// and the /366 reading is a configurable variant.
public enum DayCountBasis: String, Sendable, Equatable, Codable, CaseIterable {
    /// Actual days / 365, even in a leap year (convention C2 of legal.md §10).
    case actual365
    /// Actual days / length of the day's calendar year: days of a leap year count 1/366.
    /// EX-01's "variant actual/366 (2024 leap)" is this basis.
    case actualActual

    /// The divisor of the annual rate for a day of `year`.
    public func yearLength(_ year: Int) -> Int {
        switch self {
        case .actual365: return 365
        case .actualActual: return Day.isLeap(year) ? 366 : 365
        }
    }
}
