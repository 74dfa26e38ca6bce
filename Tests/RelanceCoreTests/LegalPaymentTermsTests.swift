import Testing
import RelanceCore

@Suite struct LegalPaymentTermsTests {
    @Test func ex10_fortyFiveDaysEndOfMonth_bothMethods() {
        let invoice = ymd("2025-01-20")
        #expect(PaymentTerms.fortyFiveDaysEndOfMonth(.endOfMonthThenDays).dueDate(invoiceDate: invoice) == ymd("2025-03-17"))
        #expect(PaymentTerms.fortyFiveDaysEndOfMonth(.daysThenEndOfMonth).dueDate(invoiceDate: invoice) == ymd("2025-03-31"))
        #expect(PaymentTerms.fortyFiveDaysEndOfMonth(.daysThenEndOfMonth).description == "45 jours fin de mois (méthode B)")
    }

    /// [S32]'s example: invoice of 20 April 2019, method A → 30 April + 45 days = 14 June (the source's 15 June is off by one).
    @Test func endOfMonthThenDays_april2019() {
        #expect(PaymentTerms.fortyFiveDaysEndOfMonth(.endOfMonthThenDays).dueDate(invoiceDate: ymd("2019-04-20")) == ymd("2019-06-14"))
    }

    @Test func ex13a_sixtyDaysFromInvoiceDate_leapYear() {
        let terms = PaymentTerms(.net(days: 60))
        #expect(terms.dueDate(invoiceDate: ymd("2024-01-15")) == ymd("2024-03-15"))
        #expect(terms.capWarnings(invoiceDate: ymd("2024-01-15")).isEmpty)
        #expect(terms.description == "60 jours date de facture")
    }

    @Test func ex13b_periodicInvoiceCapIs45DaysFromInvoiceDate() {
        let invoice = ymd("2025-02-28")
        let terms = PaymentTerms(.net(days: 45), isPeriodicInvoice: true)
        #expect(terms.dueDate(invoiceDate: invoice) == ymd("2025-04-14"))
        #expect(terms.capWarnings(invoiceDate: invoice).isEmpty)
        #expect(PaymentTerms(.net(days: 46), isPeriodicInvoice: true).capWarnings(invoiceDate: invoice)
                == [.beyondPeriodicInvoiceCap(dueDate: ymd("2025-04-15"), cap: ymd("2025-04-14"))])
    }

    @Test func beyondSixtyDaysWarnsWithoutMovingTheDate() {
        let terms = PaymentTerms(.net(days: 90))
        #expect(terms.dueDate(invoiceDate: ymd("2025-01-20")) == ymd("2025-04-20"))
        #expect(terms.capWarnings(invoiceDate: ymd("2025-01-20"))
                == [.beyondGeneralCap(dueDate: ymd("2025-04-20"), sixtyDays: ymd("2025-03-21"), fortyFiveEndOfMonth: nil)])
        // A printed due date prevails over the terms.
        #expect(terms.capWarnings(invoiceDate: ymd("2025-01-20"), printedDueDate: ymd("2025-03-21")).isEmpty)
    }

    @Test func endOfMonthAgreementAllows45DaysEndOfMonthByTheAgreedMethod() {
        // Method B on 2025-01-20 gives 03-31, later than 60 days (03-21): allowed when agreed.
        #expect(PaymentTerms.fortyFiveDaysEndOfMonth(.daysThenEndOfMonth).capWarnings(invoiceDate: ymd("2025-01-20")).isEmpty)
        // The same date under plain net terms breaks the 60-day cap.
        #expect(PaymentTerms.capWarnings(invoiceDate: ymd("2025-01-20"), dueDate: ymd("2025-03-31"),
                                         isPeriodicInvoice: false, agreedEndOfMonthMethod: nil).count == 1)
        // 60 days end of month goes beyond both caps.
        let w = PaymentTerms(.endOfMonth(days: 60, method: .endOfMonthThenDays)).capWarnings(invoiceDate: ymd("2025-01-20"))
        #expect(w == [.beyondGeneralCap(dueDate: ymd("2025-04-01"), sixtyDays: ymd("2025-03-21"), fortyFiveEndOfMonth: ymd("2025-03-17"))])
    }

    @Test func statutoryDefaultIs30DaysAfterReceipt() {
        #expect(PaymentTerms.statutoryDefaultDueDate(receiptOrPerformance: ymd("2025-02-10")) == ymd("2025-03-12"))
    }
}

@Suite struct LegalLimitationTests {
    @Test func ex16a_b2b_fiveYears_fromCompletion_andFromDueDate() {
        let r = Limitation.compute(.init(debtor: .business, performanceDate: ymd("2021-06-10"),
                                         invoiceDate: ymd("2021-06-30"), dueDate: ymd("2021-08-29")))
        #expect(r.years == 5)
        #expect(r.statute == "L110-4 C. com.")
        #expect(r.conservativeStart == ymd("2021-06-10"))
        #expect(!r.startIsEstimate)
        #expect(r.conservativeLastDay == ymd("2026-06-10"))
        #expect(r.dueDateBasedLastDay == ymd("2026-08-29"))
        #expect(r.isTimeBarred(asOf: ymd("2026-06-11")))
        #expect(!r.isTimeBarred(asOf: ymd("2026-06-10")))
        #expect(r.daysRemaining(asOf: ymd("2026-06-01")) == 9)
    }

    @Test func ex16b_b2c_twoYears_partialPaymentRestartsTheFullPeriod() {
        let before = Limitation.compute(.init(debtor: .consumer, performanceDate: ymd("2024-09-02"), invoiceDate: ymd("2024-10-15")))
        #expect(before.years == 2)
        #expect(before.statute == "L218-2 C. conso.")
        #expect(before.conservativeLastDay == ymd("2026-09-02"))
        let payment = Limitation.Interruption(day: ymd("2025-05-20"), kind: .partialPayment)
        let after = Limitation.compute(.init(debtor: .consumer, performanceDate: ymd("2024-09-02"),
                                             invoiceDate: ymd("2024-10-15"), interruptions: [payment]))
        #expect(after.conservativeLastDay == ymd("2027-05-20"))
        #expect(after.lastInterruption == payment)
    }

    @Test func unknownCompletionUsesInvoiceDateFlaggedAsEstimate() {
        let r = Limitation.compute(.init(debtor: .business, invoiceDate: ymd("2021-06-30"), dueDate: ymd("2021-08-29")))
        #expect(r.startIsEstimate)
        #expect(r.conservativeLastDay == ymd("2026-06-30"))
    }

    @Test func interruptionAfterExpiryDoesNotReviveTheClaim() {
        let late = Limitation.Interruption(day: ymd("2026-09-03"), kind: .partialPayment)
        let r = Limitation.compute(.init(debtor: .consumer, performanceDate: ymd("2024-09-02"),
                                         invoiceDate: ymd("2024-10-15"), interruptions: [late]))
        #expect(r.conservativeLastDay == ymd("2026-09-02"))
        #expect(r.lateInterruptions == [late])
        #expect(r.lastInterruption == nil)
    }

    @Test func leapDayStartEndsOnTheLastDayOfFebruary() {
        let r = Limitation.compute(.init(debtor: .consumer, performanceDate: ymd("2024-02-29"), invoiceDate: ymd("2024-03-05")))
        #expect(r.conservativeLastDay == ymd("2026-02-28"))
    }

    @Test func chainedInterruptions() {
        let r = Limitation.compute(.init(debtor: .consumer, performanceDate: ymd("2022-01-10"), invoiceDate: ymd("2022-01-10"),
                                         interruptions: [.init(day: ymd("2023-12-01"), kind: .acknowledgment),
                                                         .init(day: ymd("2025-11-30"), kind: .courtClaim)]))
        #expect(r.conservativeLastDay == ymd("2027-11-30"))
    }
}
