import Testing
import RelanceCore

/// legal.md §10 worked examples, France. Test names state the conventions: C1 accrual days
/// due+1…end, C2 actual/365 unless named, C3 semester split unless named, C4 one half-up
/// rounding per invoice, C5 TTC base.
@Suite struct LegalPenaltyTests {
    func compute(_ input: LatePaymentPenalty.Input) throws -> LatePaymentPenalty.Result {
        try LatePaymentPenalty.compute(input, rates: LegalTestData.rates())
    }

    @Test func ex01_defaultRate_actual365_107days() throws {
        let r = try compute(.init(principal: eurCents(1_200_000), dueDate: ymd("2024-03-15"), endDate: ymd("2024-06-30"),
                                  payments: [InvoiceSettlement(day: ymd("2024-06-30"), amount: eurCents(1_200_000))]))
        #expect(r.daysLate == 107)
        #expect(r.segments.count == 1)
        #expect(r.segments.first?.from == ymd("2024-03-16"))
        #expect(r.segments.first?.days == 107)
        #expect(r.segments.first?.rateBasisPoints == 1450)
        #expect(r.segments.first?.rateOrigin == .statutoryDefault(halfYear: HalfYear(year: 2024, half: 1)!, ecbReference: 450))
        #expect(r.penalty == eurCents(51_008))
        #expect(r.exactMicroUnits == 51_008_219_178)  // 510.0822 €
        #expect(r.recoveryIndemnity == eurCents(4000))
        #expect(r.balanceDue == eurCents(55_008))  // 510.08 + 40
        #expect(r.outstandingPrincipal == eurCents(0))
        #expect(r.warnings.isEmpty)
    }

    @Test func ex01_variantActualActual_leapYearDividesBy366() throws {
        let base = LatePaymentPenalty.Input(principal: eurCents(1_200_000), dueDate: ymd("2024-03-15"), endDate: ymd("2024-06-30"))
        var leap = base
        leap.dayCount = .actualActual
        let r365 = try compute(base), r366 = try compute(leap)
        #expect(r366.penalty == eurCents(50_869))
        #expect(r366.segments.first?.yearLength == 366)
        #expect(r365.penalty.minor - r366.penalty.minor == 139)  // −€1.39 pinned by legal.md
    }

    @Test func ex02_semesterSplit_twoSegments() throws {
        let r = try compute(.init(principal: eurCents(1_000_000), dueDate: ymd("2025-05-31"), endDate: ymd("2025-08-14")))
        #expect(r.segments.map(\.days) == [30, 45])
        #expect(r.segments.map(\.rateBasisPoints) == [1315, 1215])
        #expect(r.segments.map(\.from) == [ymd("2025-06-01"), ymd("2025-07-01")])
        #expect(r.segments.map(\.to) == [ymd("2025-06-30"), ymd("2025-08-14")])
        #expect(r.segments.map(\.rounded) == [eurCents(10_808), eurCents(14_979)])  // 108.0822, 149.7945
        #expect(r.penalty == eurCents(25_788))
        #expect(r.recoveryIndemnity == eurCents(4000))
    }

    @Test func ex02_variantFixedAtDueDate_oneRateForTheWholeDelay() throws {
        var input = LatePaymentPenalty.Input(principal: eurCents(1_000_000), dueDate: ymd("2025-05-31"), endDate: ymd("2025-08-14"))
        let split = try compute(input)
        input.semesterMode = .fixedAtDueDate
        let fixed = try compute(input)
        #expect(fixed.segments.map(\.rateBasisPoints) == [1315, 1315])
        #expect(fixed.penalty == eurCents(27_021))
        #expect(fixed.penalty.minor - split.penalty.minor == 1233)  // +€12.33 pinned by legal.md
    }

    @Test func ex04_rateJump_semesterFreezeUsesRateOn1July() throws {
        let r = try compute(.init(principal: eurCents(200_000), dueDate: ymd("2022-11-30"), endDate: ymd("2023-02-28")))
        #expect(r.segments.map(\.days) == [31, 59])
        #expect(r.segments.map(\.rateBasisPoints) == [1000, 1250])
        #expect(r.segments.map(\.exactMicroUnits) == [1_698_630_137, 4_041_095_890])  // 16.9863, 40.4110
        #expect(r.penalty == eurCents(5740))
    }

    @Test func ex05_partialPayment_principalFirst_roundedOnce() throws {
        let r = try compute(.init(principal: eurCents(840_000), dueDate: ymd("2025-01-31"), endDate: ymd("2025-04-30"),
                                  payments: [InvoiceSettlement(day: ymd("2025-03-03"), amount: eurCents(300_000)),
                                             InvoiceSettlement(day: ymd("2025-04-30"), amount: eurCents(540_000))]))
        #expect(r.segments.map(\.days) == [31, 58])
        #expect(r.segments.map(\.base) == [eurCents(840_000), eurCents(540_000)])
        #expect(r.segments.map(\.rounded) == [eurCents(9382), eurCents(11_284)])  // 93.8153, 112.8378
        #expect(r.exactMicroUnits == 20_665_315_068)  // 206.6532
        #expect(r.penalty == eurCents(20_665))
        #expect(r.recoveryIndemnity == eurCents(4000))
        #expect(r.balanceDue == eurCents(24_665))  // total accessories €246.65, principal cleared
        #expect(r.imputations.map(\.toPrincipal) == [eurCents(300_000), eurCents(540_000)])
    }

    @Test func ex06_partialPayment_accessoriesFirst_art1343_1_amountToClear() throws {
        let r = try compute(.init(principal: eurCents(840_000), dueDate: ymd("2025-01-31"), endDate: ymd("2025-04-30"),
                                  payments: [InvoiceSettlement(day: ymd("2025-03-03"), amount: eurCents(300_000))],
                                  imputation: .accessoriesFirst))
        let first = try #require(r.imputations.first)
        #expect(first.toPenalty == eurCents(9382))
        #expect(first.toIndemnity == eurCents(4000))
        #expect(first.toPrincipal == eurCents(286_618))
        #expect(r.segments.map(\.base) == [eurCents(840_000), eurCents(553_382)])
        #expect(r.segments.last?.rounded == eurCents(11_563))  // 115.6341
        #expect(r.penalty == eurCents(20_945))
        #expect(r.outstandingPrincipal == eurCents(553_382))
        #expect(r.balanceDue == eurCents(564_945))
        // legal.md's check: 3,000 + 5,649.45 = 8,400 + 209.45 + 40
        #expect(300_000 + r.balanceDue.minor == 840_000 + r.penalty.minor + 4000)
    }

    @Test func ex06_accessoriesFirst_secondPaymentAlsoPaysPenaltyFirst() throws {
        let r = try compute(.init(principal: eurCents(840_000), dueDate: ymd("2025-01-31"), endDate: ymd("2025-04-30"),
                                  payments: [InvoiceSettlement(day: ymd("2025-03-03"), amount: eurCents(300_000)),
                                             InvoiceSettlement(day: ymd("2025-04-30"), amount: eurCents(540_000))],
                                  imputation: .accessoriesFirst))
        #expect(r.penalty == eurCents(20_945))
        #expect(r.imputations.last?.toPenalty == eurCents(11_563))
        #expect(r.imputations.last?.toPrincipal == eurCents(528_437))
        #expect(r.balanceDue == eurCents(24_945))  // 5,649.45 − 5,400.00
    }

    @Test func ex05_vs_ex06_imputationDelta() throws {
        var input = LatePaymentPenalty.Input(principal: eurCents(840_000), dueDate: ymd("2025-01-31"), endDate: ymd("2025-04-30"),
                                             payments: [InvoiceSettlement(day: ymd("2025-03-03"), amount: eurCents(300_000))])
        let principalFirst = try compute(input)
        input.imputation = .accessoriesFirst
        let accessoriesFirst = try compute(input)
        #expect(principalFirst.penalty == eurCents(20_665))
        #expect(accessoriesFirst.penalty == eurCents(20_945))
    }

    @Test func accessoriesFirst_smallPaymentCoversOnlyPartOfThePenalty() throws {
        // EX-05's invoice, but only €50 on 2025-03-03: 93.82 accrued, 50 paid on it, 43.82 and the €40 stay due.
        let r = try compute(.init(principal: eurCents(840_000), dueDate: ymd("2025-01-31"), endDate: ymd("2025-03-03"),
                                  payments: [InvoiceSettlement(day: ymd("2025-03-03"), amount: eurCents(5000))],
                                  imputation: .accessoriesFirst))
        #expect(r.imputations.first?.toPenalty == eurCents(5000))
        #expect(r.imputations.first?.toIndemnity == eurCents(0))
        #expect(r.imputations.first?.toPrincipal == eurCents(0))
        #expect(r.penalty == eurCents(9382))
        #expect(r.outstandingPrincipal == eurCents(840_000))
        #expect(r.balanceDue == eurCents(840_000 + 4382 + 4000))
    }

    @Test func accessoriesFirst_paymentBeforeDueDateGoesToPrincipal() throws {
        let r = try compute(.init(principal: eurCents(840_000), dueDate: ymd("2025-01-31"), endDate: ymd("2025-03-03"),
                                  payments: [InvoiceSettlement(day: ymd("2025-01-31"), amount: eurCents(300_000))],
                                  imputation: .accessoriesFirst))
        #expect(r.imputations.isEmpty)
        #expect(r.segments.map(\.base) == [eurCents(540_000)])
        #expect(r.outstandingPrincipal == eurCents(540_000))
    }

    @Test func paymentOrderInTheInputDoesNotMatter() throws {
        let a = InvoiceSettlement(day: ymd("2025-03-03"), amount: eurCents(300_000))
        let b = InvoiceSettlement(day: ymd("2025-04-30"), amount: eurCents(540_000))
        let forward = try compute(.init(principal: eurCents(840_000), dueDate: ymd("2025-01-31"), endDate: ymd("2025-04-30"), payments: [a, b]))
        let backward = try compute(.init(principal: eurCents(840_000), dueDate: ymd("2025-01-31"), endDate: ymd("2025-04-30"), payments: [b, a]))
        #expect(forward == backward)
    }

    @Test func ex07_oneDayLate_indemnityDueForAnyDelay() throws {
        let r = try compute(.init(principal: eurCents(100_000), dueDate: ymd("2025-03-31"), endDate: ymd("2025-04-01")))
        #expect(r.daysLate == 1)
        #expect(r.penalty == eurCents(36))
        #expect(r.recoveryIndemnity == eurCents(4000))
        #expect(r.balanceDue == eurCents(100_000 + 36 + 4000))
    }

    @Test func ex09_clauseThreeTimesLegalRate_59days() throws {
        let r = try compute(.init(principal: eurCents(2_000_000), dueDate: ymd("2026-01-31"), endDate: ymd("2026-03-31"),
                                  rate: .threeTimesLegalRate))
        #expect(r.segments.first?.days == 59)
        #expect(r.segments.first?.rateBasisPoints == 786)
        #expect(r.penalty == eurCents(25_410))
    }

    @Test func ex09_noClause_defaultRate_59days() throws {
        let r = try compute(.init(principal: eurCents(2_000_000), dueDate: ymd("2026-01-31"), endDate: ymd("2026-03-31")))
        #expect(r.segments.first?.rateBasisPoints == 1215)
        #expect(r.penalty == eurCents(39_279))
    }

    @Test func agreedRateBelowFloorIsRaisedWithAWarning() throws {
        // An agreed 5 % in H1 2026 is below 3 × 2.62 % = 7.86 %: EX-09's figure, plus a warning.
        let r = try compute(.init(principal: eurCents(2_000_000), dueDate: ymd("2026-01-31"), endDate: ymd("2026-03-31"),
                                  rate: .agreed(basisPoints: 500)))
        #expect(r.penalty == eurCents(25_410))
        #expect(r.warnings == [.agreedRateBelowFloor(halfYear: HalfYear(year: 2026, half: 1)!, agreed: 500, floor: 786)])
        #expect(r.segments.first?.rateOrigin == .legalFloor(halfYear: HalfYear(year: 2026, half: 1)!))
    }

    @Test func agreedRateFloorCheckedPerHalfYear() throws {
        // 12 % agreed: above the 2025-H1 floor (11.13 %) and the 2025-H2 floor (8.28 %); 15 % in 2024-H1 is
        // below 15.21 %, so only that half-year is raised.
        let ok = try compute(.init(principal: eurCents(1_000_000), dueDate: ymd("2025-05-31"), endDate: ymd("2025-08-14"),
                                   rate: .agreed(basisPoints: 1200)))
        #expect(ok.warnings.isEmpty)
        #expect(ok.segments.map(\.rateBasisPoints) == [1200, 1200])
        let raised = try compute(.init(principal: eurCents(1_000_000), dueDate: ymd("2024-06-15"), endDate: ymd("2024-07-15"),
                                       rate: .agreed(basisPoints: 1500)))
        #expect(raised.segments.map(\.rateBasisPoints) == [1521, 1500])
        #expect(raised.warnings.count == 1)
    }

    @Test func ex10_fortyFiveDaysEndOfMonth_methodA_29days() throws {
        let due = PaymentTerms.fortyFiveDaysEndOfMonth(.endOfMonthThenDays).dueDate(invoiceDate: ymd("2025-01-20"))
        #expect(due == ymd("2025-03-17"))
        let r = try compute(.init(principal: eurCents(360_000), dueDate: due, endDate: ymd("2025-04-15")))
        #expect(r.daysLate == 29)
        #expect(r.penalty == eurCents(3761))
        #expect(r.recoveryIndemnity == eurCents(4000))
    }

    @Test func ex10_fortyFiveDaysEndOfMonth_methodB_15days() throws {
        let due = PaymentTerms.fortyFiveDaysEndOfMonth(.daysThenEndOfMonth).dueDate(invoiceDate: ymd("2025-01-20"))
        #expect(due == ymd("2025-03-31"))
        let r = try compute(.init(principal: eurCents(360_000), dueDate: due, endDate: ymd("2025-04-15")))
        #expect(r.daysLate == 15)
        #expect(r.penalty == eurCents(1945))
    }

    @Test func ex17_twoMConsultingCrossCheck_agreed15pct_30days() throws {
        // [S16]: due 15 April, paid 15 May, €15,000 at 15 %.
        let r = try compute(.init(principal: eurCents(1_500_000), dueDate: ymd("2025-04-15"), endDate: ymd("2025-05-15"),
                                  rate: .agreed(basisPoints: 1500)))
        #expect(r.daysLate == 30)
        #expect(r.segments.first?.rateOrigin == .agreed)
        #expect(r.penalty == eurCents(18_493))
        #expect(r.warnings.isEmpty)
    }

    /// EX-14 and EX-15 are German and British claims: their rate rules (Basiszinssatz, Bank Rate
    /// fixed at the start) are not implemented. Only the arithmetic is checked here, by feeding
    /// their rate as an agreed rate (above the French floor of those half-years).
    @Test func ex14_germany_arithmeticOnly_agreed10_27pct_60days() throws {
        let r = try compute(.init(principal: eurCents(1_000_000), dueDate: ymd("2026-02-15"), endDate: ymd("2026-04-16"),
                                  rate: .agreed(basisPoints: 1027)))
        #expect(r.daysLate == 60)
        #expect(r.penalty == eurCents(16_882))
    }

    @Test func ex15_uk_arithmeticOnly_agreed12_25pct_90days_inPounds() throws {
        let gbp = try #require(Currency("GBP"))
        let r = try compute(.init(principal: Money(minor: 500_000, currency: gbp), dueDate: ymd("2025-08-31"),
                                  endDate: ymd("2025-11-29"), rate: .agreed(basisPoints: 1225)))
        #expect(r.daysLate == 90)
        #expect(r.penalty == Money(minor: 15_103, currency: gbp))
        #expect(r.warnings == [.indemnityNotImputedInOtherCurrency(gbp)])
    }

    @Test func missingHalfYearStopsTheComputationNamingIt() throws {
        // Delay running into 2026-H2: the ECB reference of 1 July 2026 is not verified.
        do {
            _ = try compute(.init(principal: eurCents(100_000), dueDate: ymd("2026-06-15"), endDate: ymd("2026-07-10")))
            Issue.record("2026-H2 must not be extrapolated")
        } catch {
            guard let e = error as? LegalComputationError, case let .rateUnavailable(h, file, _) = e else { Issue.record("\(error)"); return }
            #expect(h.description == "2026-H2")
            #expect(file == "ecb_mro_changes.csv")
        }
        // With an agreed rate, the floor needs the 2026-H2 legal rate, which is absent.
        do {
            _ = try compute(.init(principal: eurCents(100_000), dueDate: ymd("2026-06-15"), endDate: ymd("2026-07-10"),
                                  rate: .agreed(basisPoints: 1500)))
            Issue.record("2026-H2 legal rate must not be extrapolated")
        } catch {
            guard let e = error as? LegalComputationError, case let .rateUnavailable(h, file, _) = e else { Issue.record("\(error)"); return }
            #expect(h.description == "2026-H2")
            #expect(file == "fr_legal_interest.csv")
        }
    }

    @Test func consumerDebtorGetsNoPenaltyAndNoIndemnity() throws {
        let r = try compute(.init(principal: eurCents(1_200_000), dueDate: ymd("2024-03-15"), endDate: ymd("2024-06-30"),
                                  debtor: .consumer))
        #expect(r.penalty == eurCents(0))
        #expect(r.segments.isEmpty)
        #expect(r.recoveryIndemnity == eurCents(0))
        #expect(r.warnings == [.consumerDebtor])
        #expect(r.balanceDue == eurCents(1_200_000))
    }

    @Test func paidOnTimeOrBeforeDueDateOwesNothing() throws {
        let onTime = try compute(.init(principal: eurCents(50_000), dueDate: ymd("2025-03-31"), endDate: ymd("2025-03-31")))
        #expect(onTime.penalty == eurCents(0))
        #expect(onTime.recoveryIndemnity == eurCents(0))
        #expect(onTime.daysLate == 0)
        let earlyFull = try compute(.init(principal: eurCents(50_000), dueDate: ymd("2025-03-31"), endDate: ymd("2025-05-31"),
                                          payments: [InvoiceSettlement(day: ymd("2025-03-20"), amount: eurCents(50_000))]))
        #expect(earlyFull.penalty == eurCents(0))
        #expect(earlyFull.recoveryIndemnity == eurCents(0))
        #expect(earlyFull.segments.isEmpty)
    }

    @Test func paymentsAfterEndAreIgnoredWithAWarningAndOverpaymentReported() throws {
        let late = InvoiceSettlement(day: ymd("2025-05-01"), amount: eurCents(1000))
        let r = try compute(.init(principal: eurCents(100_000), dueDate: ymd("2025-03-31"), endDate: ymd("2025-04-01"),
                                  payments: [InvoiceSettlement(day: ymd("2025-04-01"), amount: eurCents(110_000)), late]))
        #expect(r.warnings.contains(.paymentAfterEndDate(late)))
        // 1,100.00 paid for 1,000.00 + 0.36 + 40: 59.64 too much.
        #expect(r.warnings.contains(.overpayment(excess: eurCents(5964))))
        #expect(r.balanceDue == eurCents(0))
    }

    @Test func insolvencyOpeningStopsAccrualTheDayBefore() throws {
        let r = try compute(.init(principal: eurCents(1_000_000), dueDate: ymd("2025-05-31"), endDate: ymd("2025-08-14"),
                                  insolvencyOpening: ymd("2025-07-01")))
        #expect(r.segments.map(\.days) == [30])
        #expect(r.penalty == eurCents(10_808))
        #expect(r.warnings == [.stoppedByInsolvency(lastAccrualDay: ymd("2025-06-30"))])
    }

    @Test func insolvencyOpenedBeforeTheDueDateMeansNoPenaltyAndNoIndemnity() throws {
        let r = try compute(.init(principal: eurCents(1_000_000), dueDate: ymd("2025-05-31"), endDate: ymd("2025-08-14"),
                                  insolvencyOpening: ymd("2025-05-20")))
        #expect(r.segments.isEmpty)
        #expect(r.penalty == eurCents(0))
        #expect(r.recoveryIndemnity == eurCents(0))
        #expect(r.balanceDue == eurCents(1_000_000))
    }

    @Test func accrualBefore2013IsRefused() throws {
        #expect(throws: LegalComputationError.periodBeforeSemesterRule(firstAccrualDay: ymd("2012-12-01"))) {
            try compute(.init(principal: eurCents(100_000), dueDate: ymd("2012-11-30"), endDate: ymd("2013-02-28")))
        }
    }

    @Test func invalidInputsAreErrorsNotTraps() throws {
        #expect(throws: LegalComputationError.self) {
            try compute(.init(principal: eurCents(-1), dueDate: ymd("2025-03-31"), endDate: ymd("2025-04-30")))
        }
        #expect(throws: LegalComputationError.self) {
            try compute(.init(principal: eurCents(100), dueDate: ymd("2025-03-31"), endDate: ymd("2025-04-30"),
                              payments: [InvoiceSettlement(day: ymd("2025-04-01"), amount: Money(minor: 100, currency: Currency("USD")!))]))
        }
        // An absurd amount overflows 64-bit cents in the exact sum: an error, not a trap.
        #expect(throws: LegalComputationError.amountTooLarge) {
            try compute(.init(principal: eurCents(Int64.max), dueDate: ymd("2025-01-31"), endDate: ymd("2025-06-30"),
                              rate: .agreed(basisPoints: 100_000)))
        }
    }

    @Test func largeInvoiceStaysExact() throws {
        // €50 million over a year across two half-years: 128-bit intermediates, no overflow.
        let r = try compute(.init(principal: eurCents(5_000_000_000), dueDate: ymd("2024-12-31"), endDate: ymd("2025-12-31")))
        // 50,000,000 × (13.15 % × 181 + 12.15 % × 184) / 365 = 6,322,945.2055 (181 + 184 days)
        #expect(r.penalty == eurCents(632_294_521))
    }
}

@Suite struct LegalRecoveryIndemnityTests {
    @Test func fortyEurosPerLateInvoiceBetweenProfessionalsOnly() throws {
        #expect(RecoveryIndemnity.amount(debtor: .business, dueDate: ymd("2025-03-31"), paidInFullOn: ymd("2025-04-01"), asOf: ymd("2025-06-01")) == eurCents(4000))
        #expect(RecoveryIndemnity.amount(debtor: .business, dueDate: ymd("2025-03-31"), paidInFullOn: ymd("2025-03-31"), asOf: ymd("2025-06-01")) == eurCents(0))
        #expect(RecoveryIndemnity.amount(debtor: .business, dueDate: ymd("2025-03-31"), paidInFullOn: nil, asOf: ymd("2025-04-01")) == eurCents(4000))
        #expect(RecoveryIndemnity.amount(debtor: .business, dueDate: ymd("2025-03-31"), paidInFullOn: nil, asOf: ymd("2025-03-31")) == eurCents(0))
        #expect(RecoveryIndemnity.amount(debtor: .consumer, dueDate: ymd("2025-03-31"), paidInFullOn: nil, asOf: ymd("2025-06-01")) == eurCents(0))
        #expect(RecoveryIndemnity.amount(debtor: .business, dueDate: ymd("2012-12-31"), paidInFullOn: nil, asOf: ymd("2013-06-01")) == eurCents(0))
        #expect(try RecoveryIndemnity.total(lateInvoices: 3) == eurCents(12_000))
    }
}

@Suite struct LegalInterestTests {
    @Test func consumerLegalInterestRunsFromTheFormalNoticeAtOtherCasesRate() throws {
        // Notice received 2025-06-10; paid 2025-08-09: 20 d in 2025-H1 at 3.71 %, 40 d in 2025-H2 at 2.76 %.
        let r = try LegalInterest.compute(.init(principal: eurCents(500_000), formalNoticeReceived: ymd("2025-06-10"),
                                                endDate: ymd("2025-08-09")), rates: LegalTestData.rates())
        #expect(r.segments.map(\.days) == [20, 40])
        #expect(r.segments.map(\.rateBasisPoints) == [371, 276])
        // 5,000 × (0.0371 × 20 + 0.0276 × 40) / 365 = 10.1644 + 15.1233 = 25.2877
        #expect(r.interest == eurCents(2529))
    }

    @Test func privateIndividualCreditorUsesRate1AndPaymentsReduceTheBase() throws {
        let r = try LegalInterest.compute(.init(principal: eurCents(100_000), formalNoticeReceived: ymd("2026-01-31"),
                                                endDate: ymd("2026-03-31"),
                                                payments: [InvoiceSettlement(day: ymd("2026-02-28"), amount: eurCents(40_000))],
                                                category: .privateIndividualCreditor), rates: LegalTestData.rates())
        #expect(r.segments.map(\.days) == [28, 31])
        #expect(r.segments.map(\.base) == [eurCents(100_000), eurCents(60_000)])
        #expect(r.segments.map(\.rateBasisPoints) == [667, 667])
        // (1,000 × 28 + 600 × 31) × 6.67 % / 365 = 5.1167 + 3.3990 = 8.5157
        #expect(r.interest == eurCents(852))
        #expect(r.outstandingPrincipal == eurCents(60_000))
    }

    @Test func legalInterestInto2026H2IsRefusedNamingTheHalfYear() throws {
        #expect(throws: LegalComputationError.rateUnavailable(halfYear: HalfYear(year: 2026, half: 2)!, file: "fr_legal_interest.csv",
                                                             reason: "no row for this half-year (arrêté not recorded)")) {
            try LegalInterest.compute(.init(principal: eurCents(100_000), formalNoticeReceived: ymd("2026-06-01"),
                                            endDate: ymd("2026-07-15")), rates: LegalTestData.rates())
        }
    }
}
