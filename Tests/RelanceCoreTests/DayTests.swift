import Testing
import RelanceCore

@Suite struct DayTests {
    @Test(arguments: [
        ("2024-02-29", "2024-02-29"), ("29/02/2024", "2024-02-29"), ("29.02.2024", "2024-02-29"),
        ("20240229", "2024-02-29"), ("29/02/24", "2024-02-29"), ("1/3/2024", "2024-03-01"),
        ("2024-03-01T10:15:00+01:00", "2024-03-01"), (" 01/03/2024 10:00", "2024-03-01"), ("31-12-2023", "2023-12-31"),
    ])
    func parsesCommonForms(text: String, iso: String) {
        #expect(Day.parse(text)?.description == iso)
    }

    @Test(arguments: ["2023-02-29", "31/04/2024", "2024-13-01", "", "abc", "2024/1", "12345678", "1/2/345", "2024-01-01x"])
    func rejectsImpossibleOrMalformed(text: String) {
        #expect(Day.parse(text) == nil)
    }

    @Test func monthDayYearOnlyWhenAsked() {
        #expect(Day.parse("03/01/2024", order: .monthDayYear)?.description == "2024-03-01")
        #expect(Day.parse("03/01/2024")?.description == "2024-01-03")
    }

    @Test func roundTripsAndWeekdays() {
        var d = Day(year: 1900, month: 1, day: 1)!
        let end = Day(year: 2100, month: 12, day: 31)!
        while d <= end {
            let c = d.components
            #expect(Day(year: c.year, month: c.month, day: c.day) == d)
            d = d.adding(days: 37)
        }
        #expect(Day(year: 1970, month: 1, day: 1)!.ordinal == 0)
        #expect(Day(year: 2026, month: 11, day: 23)!.isoWeekday == 1)  // a Monday
        #expect(Day(year: 2024, month: 1, day: 31)!.adding(months: 1).description == "2024-02-29")
    }
}
