import Testing
@testable import RelanceFormats

@Suite("Phone numbers to E.164")
struct SMSPhoneNumberTests {
    static let frenchMobile = [
        "06 12 34 56 78", "0612345678", "06.12.34.56.78", "06-12-34-56-78", "+33 6 12 34 56 78",
        "+33612345678", "0033 6 12 34 56 78", "0033612345678", "+33 (0)6 12 34 56 78", "+33 (0) 6 12 34 56 78",
        "+33 06 12 34 56 78", " 06 12 34 56 78 ", "06\u{00A0}12\u{00A0}34\u{00A0}56\u{00A0}78",
    ]

    @Test(arguments: frenchMobile) func frenchForms(raw: String) {
        #expect(PhoneNumber.e164(raw) == "+33612345678")
    }

    static let others: [(String, String, String)] = [
        ("01 42 68 53 00", "FR", "+33142685300"),
        ("0692 12 34 56", "FR", "+262692123456"),     // Réunion mobile dialled from France
        ("0590 12 34 56", "FR", "+590590123456"),     // Guadeloupe landline
        ("0696 12 34 56", "FR", "+596696123456"),     // Martinique mobile
        ("+262 692 12 34 56", "FR", "+262692123456"),
        ("0470 12 34 56", "BE", "+32470123456"),      // Belgian mobile, 9 digits
        ("02 123 45 67", "BE", "+3221234567"),        // Brussels landline, 8 digits
        ("+32 470 12 34 56", "FR", "+32470123456"),
        ("0151 23456789", "DE", "+4915123456789"),
        ("+49 (0)30 123456", "FR", "+4930123456"),
        ("612 34 56 78", "ES", "+34612345678"),
        ("+34 912 345 678", "FR", "+34912345678"),
        ("06 1234 5678", "IT", "+390612345678"),      // Italian landlines keep their 0
        ("+39 347 123 4567", "FR", "+393471234567"),
        ("621 123 456", "LU", "+352621123456"),
        ("+352 621 123 456", "FR", "+352621123456"),
        ("079 123 45 67", "CH", "+41791234567"),
        ("06 12345678", "NL", "+31612345678"),
        ("912 345 678", "PT", "+351912345678"),
        ("0664 1234567", "AT", "+436641234567"),
        ("087 123 4567", "IE", "+353871234567"),
        ("+377 6 12 34 56 78", "FR", "+377612345678"),
    ]

    @Test(arguments: others) func otherCountries(raw: String, country: String, expected: String) {
        #expect(PhoneNumber.e164(raw, defaultCountry: country) == expected)
    }

    static let invalid: [(String, PhoneNumberError)] = [
        ("", .empty),
        ("  ", .empty),
        ("06 12 34 56", .wrongLength(countryCode: "33", digits: 7, expected: "9")),
        ("06 12 34 56 78 9", .wrongLength(countryCode: "33", digits: 10, expected: "9")),
        ("6 12 34 56 78", .missingTrunkPrefix(country: "FR")),
        ("06 12 34 56 7A", .invalidCharacter("A")),
        ("tel: 0612345678", .invalidCharacter("t")),
        ("06 12 + 34 56 78", .misplacedPlus),
        ("+1 212 555 0100", .unsupportedCountryCode("121")),
        ("+33 00 12 34 56 78", .invalidLeadingDigit(countryCode: "33", digit: 0)),
        ("+34 112 345 678", .invalidLeadingDigit(countryCode: "34", digit: 1)),
    ]

    @Test(arguments: invalid) func refused(raw: String, reason: PhoneNumberError) {
        #expect(PhoneNumber.e164(raw) == nil)
        #expect(throws: reason) { try PhoneNumber.parse(raw) }
    }

    @Test func unknownDefaultCountry() {
        #expect(throws: PhoneNumberError.unsupportedCountry("US")) { try PhoneNumber.parse("0612345678", defaultCountry: "US") }
    }

    @Test func partsAreKept() throws {
        let number = try PhoneNumber.parse("+33 (0)6 12 34 56 78")
        #expect(number.countryCode == "33")
        #expect(number.nationalNumber == "612345678")
        #expect(number.description == "+33612345678")
    }
}
