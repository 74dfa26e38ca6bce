import Testing
import RelanceCore

@Suite struct CalendarBusinessDayTests {
    /// Easter Sunday by the Gregorian computus, checked against published dates.
    @Test(arguments: [
        (2000, "2000-04-23"), (2008, "2008-03-23"), (2011, "2011-04-24"), (2019, "2019-04-21"), (2024, "2024-03-31"),
        (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"), (2028, "2028-04-16"), (2038, "2038-04-25"),
        (2285, "2285-03-22"),
    ])
    func easterSunday(year: Int, iso: String) {
        #expect(BusinessCalendar.easterSunday(year: year) == ymd(iso))
    }

    @Test func movableHolidays2026() {
        let cal = BusinessCalendar()
        #expect(cal.isPublicHoliday(ymd("2026-04-06")))   // Easter Monday
        #expect(cal.isPublicHoliday(ymd("2026-05-14")))   // Ascension
        #expect(cal.isPublicHoliday(ymd("2026-05-25")))   // Whit Monday
        #expect(!cal.isPublicHoliday(ymd("2026-04-03")))  // Good Friday: not outside Alsace-Moselle
        #expect(!cal.isPublicHoliday(ymd("2026-04-05")))  // Easter Sunday itself is a Sunday, not a listed holiday
    }

    @Test func holidayListOf2025() {
        let names = BusinessCalendar().holidays(in: 2025).map(\.description)
        #expect(names == [
            "2025-01-01 Jour de l'an", "2025-04-21 Lundi de Pâques", "2025-05-01 Fête du Travail", "2025-05-08 Victoire 1945",
            "2025-05-29 Ascension", "2025-06-09 Lundi de Pentecôte", "2025-07-14 Fête nationale", "2025-08-15 Assomption",
            "2025-11-01 Toussaint", "2025-11-11 Armistice 1918", "2025-12-25 Noël",
        ])
    }

    @Test func ascensionOnMayDayIsListedOnce() {
        let h = BusinessCalendar().holidays(in: 2008)
        #expect(h.count == 10)
        #expect(h.contains { $0.day == ymd("2008-05-01") })
    }

    @Test func alsaceMoselleAddsGoodFridayAndSaintStephen() {
        let local = BusinessCalendar(region: .alsaceMoselle)
        let national = BusinessCalendar()
        for iso in ["2024-03-29", "2025-04-18", "2026-04-03", "2027-03-26", "2026-12-26"] {
            #expect(local.isPublicHoliday(ymd(iso)), "\(iso)")
            #expect(!national.isPublicHoliday(ymd(iso)), "\(iso)")
        }
        #expect(local.holidays(in: 2026).count == 13)
        #expect(!local.isBusinessDay(ymd("2025-12-26")))   // a Friday
        #expect(national.isBusinessDay(ymd("2025-12-26")))
    }

    /// Other EU countries' national holidays of 2026 (Easter Sunday 5 April), from their
    /// governments' published lists.
    @Test(arguments: [
        (BusinessCalendar.Region.belgium, ["2026-01-01", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-07-21",
                                           "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25"]),
        (.germany, ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25", "2026-10-03",
                    "2026-12-25", "2026-12-26"]),
        (.italy, ["2026-01-01", "2026-01-06", "2026-04-06", "2026-04-25", "2026-05-01", "2026-06-02", "2026-08-15",
                  "2026-11-01", "2026-12-08", "2026-12-25", "2026-12-26"]),
    ])
    func otherCountries2026(_ region: BusinessCalendar.Region, _ expected: [String]) {
        let cal = BusinessCalendar(region: region)
        #expect(cal.holidays(in: 2026).map(\.day.description) == expected)
        #expect(!cal.isPublicHoliday(ymd("2026-07-14")))   // the French national day is not theirs
    }

    @Test func everyComputedHolidayMatchesTheSingleDayCheck() {
        for region in BusinessCalendar.Region.allCases {
            let cal = BusinessCalendar(region: region)
            var mismatches: [Day] = []
            for year in 1990...2060 {
                let holidays = Set(cal.holidays(in: year).map(\.day))
                var d = ymd("\(year)-01-01")
                while d.year == year {
                    if cal.isPublicHoliday(d) != holidays.contains(d) { mismatches.append(d) }
                    d = d.adding(days: 1)
                }
            }
            #expect(mismatches.isEmpty, "\(region)")
        }
    }

    @Test func weekendsAndNextBusinessDay() {
        let cal = BusinessCalendar()
        #expect(!cal.isBusinessDay(ymd("2026-11-21")))  // Saturday
        #expect(!cal.isBusinessDay(ymd("2026-11-22")))  // Sunday
        #expect(cal.isBusinessDay(ymd("2026-11-23")))   // Monday
        #expect(cal.nextBusinessDay(onOrAfter: ymd("2026-11-23")) == ymd("2026-11-23"))
        #expect(cal.nextBusinessDay(onOrAfter: ymd("2026-11-21")) == ymd("2026-11-23"))
        // Saturday 2026-05-23, Sunday 24, Whit Monday 25 → Tuesday 26.
        #expect(cal.nextBusinessDay(onOrAfter: ymd("2026-05-23")) == ymd("2026-05-26"))
        // Christmas 2026 is a Friday: Monday 28 nationally; in Alsace-Moselle too (26 is a Saturday).
        #expect(cal.nextBusinessDay(onOrAfter: ymd("2026-12-25")) == ymd("2026-12-28"))
        // 2025-12-25 Thursday: Friday 26 nationally, Monday 29 in Alsace-Moselle.
        #expect(cal.nextBusinessDay(onOrAfter: ymd("2025-12-25")) == ymd("2025-12-26"))
        #expect(BusinessCalendar(region: .alsaceMoselle).nextBusinessDay(onOrAfter: ymd("2025-12-25")) == ymd("2025-12-29"))
        // Ascension Thursday 2026-05-14: two business days after Wednesday 13 is Monday 18.
        #expect(cal.adding(businessDays: 2, to: ymd("2026-05-13")) == ymd("2026-05-18"))
    }
}
