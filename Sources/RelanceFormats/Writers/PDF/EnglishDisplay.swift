import RelanceCore

/// English display forms for letters and statements sent to customers whose language is
/// English: ISO dates in tables (unambiguous for every English reader, British or American),
/// dates spelt out in sentences, and amounts with the currency code first and a decimal point.
/// Display only — never parsed back.
public enum EnglishDisplay {
    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                                    "September", "October", "November", "December"]

    /// `EUR 1234.56`, the currency code first, as the English templates write amounts.
    public static func amount(_ money: Money) -> String {
        money.currency.code + " " + MinorUnits.format(money.minor, places: money.currency.minorUnits)
    }

    /// `20 November 2026`.
    public static func longDate(_ day: Day) -> String {
        let c = day.components
        return "\(c.day) \(monthNames[c.month - 1]) \(c.year)"
    }

    /// `2026-11-20`.
    public static func shortDate(_ day: Day) -> String { day.description }

    /// `Lyon, 20 November 2026`.
    public static func placeAndDate(_ place: String, _ day: Day) -> String {
        place + ", " + longDate(day)
    }
}
