import Testing
import RelanceCore

@Suite struct AmountTests {
    func parse(_ s: String, _ d: DecimalSeparator, places: Int = 2) -> Result<Int64, AmountError> {
        AmountParser.parse(Array(s.utf8), decimal: d, places: places)
    }

    @Test(arguments: [
        ("1 234,56", DecimalSeparator.comma, Int64(123_456)),
        ("1.234,56", .comma, 123_456),
        ("1,234.56", .point, 123_456),
        ("1'234.56", .point, 123_456),
        ("1’234.56", .point, 123_456),
        ("-12,5", .comma, -1250),
        ("12,50-", .comma, -1250),
        ("(12.50)", .point, -1250),
        ("+000000069,40", .comma, 6940),
        ("1\u{202F}234\u{202F}567,89", .comma, 123_456_789),
        ("1\u{A0}234,56", .comma, 123_456),
        ("1\u{2009}234,56", .comma, 123_456),
        ("  12,00 € ", .comma, 1200),
        ("€ 12.00", .point, 1200),
        ("12,30 EUR", .comma, 1230),
        ("\u{2212}7,00", .comma, -700),
        (",5", .comma, 50),
        ("1,230", .comma, 123),
        ("1.234.567", .comma, 123_456_700),
        ("0", .point, 0),
    ])
    func parsesFrenchAndEnglishForms(text: String, decimal: DecimalSeparator, expected: Int64) {
        #expect(parse(text, decimal) == .success(expected))
    }

    @Test(arguments: [
        ("1.23,45", DecimalSeparator.comma, AmountError.badGrouping),
        ("12 34,00", .comma, .badGrouping),
        ("1234.567,00", .comma, .badGrouping),
        ("1,234,56", .point, .badGrouping),
        ("'123", .point, .badGrouping),
        ("1,234", .comma, .tooManyDecimals(allowed: 2)),
        ("12.345", .point, .tooManyDecimals(allowed: 2)),
        ("99999999999999999999", .point, .overflow),
        ("92233720368547758,08", .comma, .overflow),
        ("", .comma, .empty),
        ("   ", .comma, .empty),
        ("-", .comma, .empty),
        ("12a", .comma, .invalidCharacter("a")),
        ("$13.50", .point, .invalidCharacter("$")),
        ("(-12)", .point, .invalidCharacter("-")),
        ("(12", .point, .invalidCharacter("(")),
        ("1,2,3", .comma, .invalidCharacter(",")),
    ])
    func rejectsMalformed(text: String, decimal: DecimalSeparator, error: AmountError) {
        #expect(parse(text, decimal) == .failure(error))
    }

    @Test func zeroDecimalCurrencies() {
        let jpy = Currency("JPY")!
        #expect(jpy.minorUnits == 0)
        #expect(parse("1 234", .comma, places: jpy.minorUnits) == .success(1234))
        #expect(parse("1234,00", .comma, places: 0) == .success(1234))
        #expect(parse("12,5", .comma, places: 0) == .failure(.tooManyDecimals(allowed: 0)))
        #expect(Currency("KWD")!.minorUnits == 3)
        #expect(parse("1,234", .comma, places: 3) == .success(1234))
    }

    @Test(arguments: [
        ("1.234,56", AmountEvidence.decimal(.comma)),
        ("1,234.56", .decimal(.point)),
        ("12,5", .decimal(.comma)),
        ("1.234", .ambiguous(.point)),
        ("1,234", .ambiguous(.comma)),
        ("1.234.567", .decimal(.comma)),
        ("1234", .none),
        ("", .none),
    ])
    func evidence(text: String, expected: AmountEvidence) {
        #expect(AmountParser.evidence(Array(text.utf8)) == expected)
    }

    func decide(_ values: [String], configured: DecimalSeparator? = nil) -> AmountColumnDecision.Outcome {
        var d = AmountColumnDecision()
        for (i, v) in values.enumerated() { d.observe(Array(v.utf8), line: i + 2) }
        return d.outcome(fallback: .comma, configured: configured)
    }

    @Test func columnDecision() {
        #expect(decide(["1.234", "12,50", "3"]) == .decided(.comma))
        #expect(decide(["1,234", "12.50"]) == .decided(.point))
        #expect(decide(["12", "40"]) == .decided(.comma))
        #expect(decide(["12,50", "3", "1.234,00", "7.5"]) == .inconsistent(commaLine: 2, pointLine: 5))
        #expect(decide(["1.234", "2.500", "17"]) == .ambiguous(line: 2, text: "1.234"))
        #expect(decide(["1.234", "2.500"], configured: .comma) == .decided(.comma))
        #expect(decide(["12,50", "7.5"], configured: .point) == .decided(.point))
    }
}
