/// Why a legal computation (penalty, legal interest, rate look-up) could not be made.
///
/// The rule throughout is "refuse, never guess": a half-year whose rate is not in the shipped
/// dataset, or not verified, stops the computation with an error that names the half-year and
/// the file to update, rather than reusing the last known value.
public enum LegalComputationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The dataset `file` has no usable rate for `halfYear`; `reason` says why (absent row,
    /// beyond the verified date, marked provisional, before the first entry).
    case rateUnavailable(halfYear: HalfYear, file: String, reason: String)
    /// Accrual days before 2013: the semester freeze and the €40 did not exist yet
    /// (legal.md §1.2 history, §11 point 13), so the current rule must not be applied.
    case periodBeforeSemesterRule(firstAccrualDay: Day)
    /// Inputs that cannot describe a real invoice (negative amount, mixed currencies…).
    case invalidInput(String)
    /// An intermediate or a result does not fit the 64-bit minor units of `Money`.
    case amountTooLarge

    public var description: String {
        switch self {
        case let .rateUnavailable(h, file, reason):
            return "no rate for \(h) in \(file): \(reason)"
        case let .periodBeforeSemesterRule(day):
            return "accrual from \(day) falls before 2013-01-01, when the L441-10 semester rule and the €40 indemnity began; compute such claims by hand"
        case let .invalidInput(reason):
            return "invalid input: \(reason)"
        case .amountTooLarge:
            return "amount too large for 64-bit minor units"
        }
    }
}
