import Foundation
import Testing
import RelanceCore

@Suite struct MoneyTests {
    let eur = Currency.eur
    let usd = Currency("usd")!

    @Test func checkedArithmetic() throws {
        let a = Money(minor: 1050, currency: eur), b = Money(minor: 250, currency: eur)
        #expect(try a.adding(b) == Money(minor: 1300, currency: eur))
        #expect(try a.subtracting(b).minor == 800)
        #expect(try b.subtracting(a).isNegative)
        #expect(try a.negated().minor == -1050)
        #expect(Money.zero(eur).isZero)
    }

    @Test func overflowIsAnErrorNotATrap() {
        let max = Money(minor: .max, currency: eur), min = Money(minor: .min, currency: eur)
        let one = Money(minor: 1, currency: eur)
        #expect(throws: MoneyError.overflow) { try max.adding(one) }
        #expect(throws: MoneyError.overflow) { try min.subtracting(one) }
        #expect(throws: MoneyError.overflow) { try min.negated() }
        #expect(MoneyError.overflow.description == "amount overflows 64-bit minor units")
    }

    @Test func currencyMismatch() {
        let a = Money(minor: 100, currency: eur), b = Money(minor: 100, currency: usd)
        #expect(throws: MoneyError.currencyMismatch(eur, usd)) { try a.adding(b) }
        #expect(throws: MoneyError.currencyMismatch(usd, eur)) { try b.subtracting(a) }
        #expect(MoneyError.currencyMismatch(eur, usd).description == "cannot combine EUR and USD")
    }

    @Test func currencyCodes() {
        #expect(Currency("eur") == .eur)
        #expect(Currency("EURO") == nil)
        #expect(Currency("E1R") == nil)
        #expect(Currency("") == nil)
        #expect(usd.code == "USD")
        #expect(Currency("JPY")!.minorUnits == 0)
        #expect(Currency("TND")!.minorUnits == 3)
    }

    @Test func formatting() {
        #expect(Money(minor: -123_456, currency: eur).description == "-1234.56 EUR")
        #expect(Money(minor: -5, currency: eur).description == "-0.05 EUR")
        #expect(Money(minor: 1234, currency: Currency("JPY")!).description == "1234 JPY")
        #expect(MinorUnits.formatFrench(123_456_789, places: 2) == "1\u{202F}234\u{202F}567,89")
        #expect(MinorUnits.formatFrench(-100, places: 2) == "-1,00")
        #expect(MinorUnits.formatFrench(5, places: 2) == "0,05")
        #expect(MinorUnits.formatFrench(0, places: 2) == "0,00")
        #expect(MinorUnits.formatFrench(100_000, places: 2) == "1\u{202F}000,00")
        #expect(MinorUnits.formatFrench(99_999, places: 2) == "999,99")
        #expect(MinorUnits.formatFrench(1_234_567, places: 0) == "1\u{202F}234\u{202F}567")
        #expect(MinorUnits.formatFrench(-1_234_567, places: 3) == "-1\u{202F}234,567")
        #expect(MinorUnits.formatFrench(Int64.min, places: 2) == "-92\u{202F}233\u{202F}720\u{202F}368\u{202F}547\u{202F}758,08")
        // The same as the plain form with its groups.
        for v: Int64 in [1, 12, 123, 1_234, 12_345, 123_456, 1_234_567_890, -987_654_321] {
            #expect(MinorUnits.formatFrench(v, places: 2).replacingOccurrences(of: "\u{202F}", with: "")
                    == MinorUnits.format(v, places: 2, decimalSeparator: ","))
        }
    }
}
