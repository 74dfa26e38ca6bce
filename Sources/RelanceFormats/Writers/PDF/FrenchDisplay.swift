import RelanceCore

/// French display forms for letters, statements and formal notices: amounts and dates as a
/// French reader expects them on paper. Display only — never parsed back.
public enum FrenchDisplay {
    /// `1 234,56 €`: U+202F (narrow no-break space) between thousands groups, a decimal comma,
    /// and U+00A0 (no-break space) before the currency sign, as CLDR's fr-FR locale writes it, so
    /// an amount never breaks across lines. EUR shows `€`; other currencies show their ISO code
    /// (`1 234,56 USD`), which no reader can misread.
    public static func amount(_ money: Money) -> String {
        let number = MinorUnits.formatFrench(money.minor, places: money.currency.minorUnits)
        return number + "\u{00A0}" + (money.currency == .eur ? "€" : money.currency.code)
    }

    /// The number only, French form: `1 234,56`.
    public static func number(_ money: Money) -> String {
        MinorUnits.formatFrench(money.minor, places: money.currency.minorUnits)
    }

    /// French month names, lower case as French writes them inside a sentence.
    public static let monthNames = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
                                    "août", "septembre", "octobre", "novembre", "décembre"]

    /// `20 novembre 2026`; the first of the month is `1er décembre 2026`, as French usage has it.
    public static func longDate(_ day: Day) -> String {
        let c = day.components
        return (c.day == 1 ? "1er" : String(c.day)) + " " + monthNames[c.month - 1] + " " + String(c.year)
    }

    /// `20/11/2026`.
    public static func shortDate(_ day: Day) -> String { day.frenchDescription }

    /// `Lyon, le 20 novembre 2026`: the place-and-date line of a French letter.
    public static func placeAndDate(_ place: String, _ day: Day) -> String {
        place + ", le " + longDate(day)
    }
}
