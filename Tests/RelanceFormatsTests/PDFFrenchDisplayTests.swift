import RelanceCore
import RelanceFormats
import Testing

@Suite("PDF French display")
struct PDFFrenchDisplayTests {
    @Test("amounts: U+202F groups, decimal comma, U+00A0 before the sign", arguments: [
        (Int64(123_456), "1\u{202F}234,56\u{00A0}€"),
        (Int64(0), "0,00\u{00A0}€"),
        (Int64(-5), "-0,05\u{00A0}€"),
        (Int64(99_999), "999,99\u{00A0}€"),
        (Int64(100_000_000), "1\u{202F}000\u{202F}000,00\u{00A0}€"),
        (Int64(-123_456_789), "-1\u{202F}234\u{202F}567,89\u{00A0}€"),
    ])
    func amounts(minor: Int64, expected: String) {
        #expect(FrenchDisplay.amount(Money(minor: minor, currency: .eur)) == expected)
    }

    @Test func otherCurrenciesShowTheirCode() throws {
        let usd = try #require(Currency("USD"))
        let jpy = try #require(Currency("JPY"))
        #expect(FrenchDisplay.amount(Money(minor: 150_000, currency: usd)) == "1\u{202F}500,00\u{00A0}USD")
        #expect(FrenchDisplay.amount(Money(minor: 150_000, currency: jpy)) == "150\u{202F}000\u{00A0}JPY")
        #expect(FrenchDisplay.number(Money(minor: 150_000, currency: usd)) == "1\u{202F}500,00")
    }

    @Test("long dates with French month names and 1er", arguments: [
        ("2026-11-20", "20 novembre 2026"),
        ("2026-12-01", "1er décembre 2026"),
        ("2027-08-15", "15 août 2027"),
        ("2027-02-28", "28 février 2027"),
        ("2028-01-02", "2 janvier 2028"),
    ])
    func longDates(iso: String, expected: String) throws {
        let day = try #require(Day.parse(iso))
        #expect(FrenchDisplay.longDate(day) == expected)
    }

    @Test func shortDateAndPlaceLine() throws {
        let day = try #require(Day(year: 2026, month: 3, day: 5))
        #expect(FrenchDisplay.shortDate(day) == "05/03/2026")
        #expect(FrenchDisplay.placeAndDate("Lyon", try #require(Day.parse("2026-11-20"))) == "Lyon, le 20 novembre 2026")
    }

    @Test func allTwelveMonths() {
        #expect(FrenchDisplay.monthNames.count == 12)
        #expect(FrenchDisplay.monthNames[1] == "février" && FrenchDisplay.monthNames[11] == "décembre")
    }

    @Test func textSpansKeepCharactersLiterally() {
        let t: PDFText = "Client : " + .bold("Dupont & Fils <SARL>") + " – " + .italic("échu")
        #expect(t.plain == "Client : Dupont & Fils <SARL> – échu")
        #expect(t.spans.map(\.bold) == [false, true, false, false])
        #expect(t.spans.map(\.italic) == [false, false, false, true])
        let interpolated: PDFText = "Total : \(PDFText.bold("12,00 €")) au \(3)"
        #expect(interpolated.plain == "Total : 12,00 € au 3")
        #expect(interpolated.spans.filter(\.bold).map(\.text) == ["12,00 €"])
    }
}
