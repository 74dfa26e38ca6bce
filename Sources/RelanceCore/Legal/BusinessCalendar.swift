/// French public holidays ("jours fériés", art. L3133-1 Code du travail) and business days.
///
/// Holidays are computed, not listed, so the calendar never runs out: the eight fixed days,
/// and Easter Monday, Ascension (Easter + 39) and Whit Monday (Easter + 50) from the
/// Gregorian computus. Whit Monday stays a holiday even where it is worked as the "journée de
/// solidarité". Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle) adds Good Friday and
/// 26 December (local law, art. L3134-13).
///
/// Contractual due dates do not move to a business day (legal.md §1.4, [S32]); this calendar
/// is for scheduling letters and for procedural deadlines the caller chooses to shift.
public struct BusinessCalendar: Sendable, Equatable {
    public enum Region: String, Sendable, Equatable, Codable, CaseIterable {
        case metropolitanFrance
        case alsaceMoselle
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
        func fixed(_ m: Int, _ d: Int, _ name: String) -> Holiday {
            Holiday(day: Day(year: year, month: m, day: d) ?? Day(ordinal: 0), name: name)
        }
        let easter = Self.easterSunday(year: year)
        var list = [
            fixed(1, 1, "Jour de l'an"),
            Holiday(day: easter.adding(days: 1), name: "Lundi de Pâques"),
            fixed(5, 1, "Fête du Travail"),
            fixed(5, 8, "Victoire 1945"),
            Holiday(day: easter.adding(days: 39), name: "Ascension"),
            Holiday(day: easter.adding(days: 50), name: "Lundi de Pentecôte"),
            fixed(7, 14, "Fête nationale"),
            fixed(8, 15, "Assomption"),
            fixed(11, 1, "Toussaint"),
            fixed(11, 11, "Armistice 1918"),
            fixed(12, 25, "Noël"),
        ]
        if region == .alsaceMoselle {
            list.append(Holiday(day: easter.adding(days: -2), name: "Vendredi saint"))
            list.append(fixed(12, 26, "Saint-Étienne"))
        }
        // Ascension can fall on a fixed holiday (1 May 2008): keep one entry per day.
        var seen: Set<Day> = []
        return list.sorted { $0.day < $1.day }.filter { seen.insert($0.day).inserted }
    }

    /// Whether `day` is a public holiday in this region.
    public func isPublicHoliday(_ day: Day) -> Bool {
        let c = day.components
        switch (c.month, c.day) {
        case (1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25):
            return true
        case (12, 26):
            return region == .alsaceMoselle
        default:
            break
        }
        guard (3...6).contains(c.month) else { return false }
        let offset = Self.easterSunday(year: c.year).distance(to: day)
        switch offset {
        case 1, 39, 50: return true
        case -2: return region == .alsaceMoselle
        default: return false
        }
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
