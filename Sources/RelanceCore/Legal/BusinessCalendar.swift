/// Public holidays and business days, computed per country or region, never listed by hand.
///
/// France ("jours fériés", art. L3133-1 Code du travail): the eight fixed days, and Easter
/// Monday, Ascension (Easter + 39) and Whit Monday (Easter + 50) from the Gregorian computus.
/// Whit Monday stays a holiday even where it is worked as the "journée de solidarité".
/// Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle) adds Good Friday and 26 December (local law,
/// art. L3134-13). For companies sending from elsewhere in the EU, the national public
/// holidays of Belgium (loi du 4 janvier 1974), Germany (the nationwide days only; a Land's own
/// days are not included) and Italy (legge 260/1949 and later) are computed the same way.
///
/// Contractual due dates do not move to a business day (legal.md §1.4, [S32]); this calendar
/// is for scheduling letters and for procedural deadlines the caller chooses to shift.
public struct BusinessCalendar: Sendable, Equatable {
    public enum Region: String, Sendable, Equatable, Codable, CaseIterable {
        case metropolitanFrance
        case alsaceMoselle
        case belgium
        case germany
        case italy

        /// Fixed-date holidays (month, day, name).
        var fixedHolidays: [(month: Int, day: Int, name: String)] {
            switch self {
            case .metropolitanFrance:
                return [(1, 1, "Jour de l'an"), (5, 1, "Fête du Travail"), (5, 8, "Victoire 1945"), (7, 14, "Fête nationale"),
                        (8, 15, "Assomption"), (11, 1, "Toussaint"), (11, 11, "Armistice 1918"), (12, 25, "Noël")]
            case .alsaceMoselle:
                return Region.metropolitanFrance.fixedHolidays + [(12, 26, "Saint-Étienne")]
            case .belgium:
                return [(1, 1, "Nouvel An"), (5, 1, "Fête du Travail"), (7, 21, "Fête nationale"), (8, 15, "Assomption"),
                        (11, 1, "Toussaint"), (11, 11, "Armistice"), (12, 25, "Noël")]
            case .germany:
                return [(1, 1, "Neujahr"), (5, 1, "Tag der Arbeit"), (10, 3, "Tag der Deutschen Einheit"),
                        (12, 25, "1. Weihnachtstag"), (12, 26, "2. Weihnachtstag")]
            case .italy:
                return [(1, 1, "Capodanno"), (1, 6, "Epifania"), (4, 25, "Festa della Liberazione"), (5, 1, "Festa del Lavoro"),
                        (6, 2, "Festa della Repubblica"), (8, 15, "Ferragosto"), (11, 1, "Ognissanti"),
                        (12, 8, "Immacolata Concezione"), (12, 25, "Natale"), (12, 26, "Santo Stefano")]
            }
        }

        /// Holidays at a fixed distance from Easter Sunday (days, name); all fall in March to June.
        var easterHolidays: [(offset: Int, name: String)] {
            switch self {
            case .metropolitanFrance, .belgium:
                return [(1, "Lundi de Pâques"), (39, "Ascension"), (50, "Lundi de Pentecôte")]
            case .alsaceMoselle:
                return [(-2, "Vendredi saint"), (1, "Lundi de Pâques"), (39, "Ascension"), (50, "Lundi de Pentecôte")]
            case .germany:
                return [(-2, "Karfreitag"), (1, "Ostermontag"), (39, "Christi Himmelfahrt"), (50, "Pfingstmontag")]
            case .italy:
                return [(1, "Lunedì dell'Angelo")]
            }
        }
    }

    /// A named public holiday.
    public struct Holiday: Sendable, Equatable, CustomStringConvertible {
        public var day: Day
        public var name: String
        public var description: String { "\(day) \(name)" }
    }

    public var region: Region

    public init(region: Region = .metropolitanFrance) {
        self.region = region
    }

    /// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
    public static func easterSunday(year: Int) -> Day {
        let a = year % 19
        let b = year / 100, c = year % 100
        let d = b / 4, e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        // The algorithm always yields a March or April date, valid for every year `Day` accepts.
        return Day(year: year, month: month, day: day) ?? Day(ordinal: 0)
    }

    /// The public holidays of `year`, in date order.
    public func holidays(in year: Int) -> [Holiday] {
        guard (1...9999).contains(year) else { return [] }
        let easter = Self.easterSunday(year: year)
        let list = region.fixedHolidays.map { Holiday(day: Day(year: year, month: $0.month, day: $0.day) ?? Day(ordinal: 0), name: $0.name) }
            + region.easterHolidays.map { Holiday(day: easter.adding(days: $0.offset), name: $0.name) }
        // Ascension can fall on a fixed holiday (1 May 2008): keep one entry per day.
        var seen: Set<Day> = []
        return list.sorted { $0.day < $1.day }.filter { seen.insert($0.day).inserted }
    }

    /// Whether `day` is a public holiday in this region.
    public func isPublicHoliday(_ day: Day) -> Bool {
        let c = day.components
        if region.fixedHolidays.contains(where: { $0.month == c.month && $0.day == c.day }) { return true }
        guard (3...6).contains(c.month) else { return false }
        let offset = Self.easterSunday(year: c.year).distance(to: day)
        return region.easterHolidays.contains { $0.offset == offset }
    }

    /// Saturday and Sunday are not business days.
    public static func isWeekend(_ day: Day) -> Bool { day.isoWeekday >= 6 }

    /// Neither a weekend day nor a public holiday.
    public func isBusinessDay(_ day: Day) -> Bool {
        !Self.isWeekend(day) && !isPublicHoliday(day)
    }

    /// `day` itself if it is a business day, else the first business day after it.
    public func nextBusinessDay(onOrAfter day: Day) -> Day {
        var d = day
        while !isBusinessDay(d) { d = d.adding(days: 1) }
        return d
    }

    /// The business day `count` business days after `day` (count ≥ 0; 0 gives `nextBusinessDay(onOrAfter:)`).
    public func adding(businessDays count: Int, to day: Day) -> Day {
        var d = nextBusinessDay(onOrAfter: day)
        var left = max(0, count)
        while left > 0 {
            d = nextBusinessDay(onOrAfter: d.adding(days: 1))
            left -= 1
        }
        return d
    }
}
