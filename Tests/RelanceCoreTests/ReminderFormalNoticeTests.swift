import RelanceCore
import Testing

/// The formal notice's claim against the worked examples of legal.md §10 (to the cent).
@Suite struct ReminderFormalNoticeTests {
    struct Example: Sendable, CustomStringConvertible {
        var name: String
        var principal: Int64
        var due: String
        var asOf: String
        var payments: [(String, Int64)]
        var penalty: Int64
        var open: Int64
        var description: String { name }
    }

    static let examples: [Example] = [
        // EX-01: 12 000 € due 2024-03-15, 107 days at 14.50 % → 510.08 €.
        Example(name: "EX-01", principal: 1_200_000, due: "2024-03-15", asOf: "2024-06-30", payments: [], penalty: 51_008, open: 1_200_000),
        // EX-02: 10 000 € due 2025-05-31, split 13.15 % (30 d) and 12.15 % (45 d) → 257.88 €.
        Example(name: "EX-02", principal: 1_000_000, due: "2025-05-31", asOf: "2025-08-14", payments: [], penalty: 25_788, open: 1_000_000),
        // EX-05: 8 400 € due 2025-01-31, 3 000 € on 2025-03-03; notice on 2025-04-30 → 206.65 € on 5 400 € open.
        Example(name: "EX-05", principal: 840_000, due: "2025-01-31", asOf: "2025-04-30", payments: [("2025-03-03", 300_000)],
                penalty: 20_665, open: 540_000),
        // EX-07: one day late → 0.36 € (the 40 € is due for any delay).
        Example(name: "EX-07", principal: 100_000, due: "2025-03-31", asOf: "2025-04-01", payments: [], penalty: 36, open: 100_000),
    ]

    @Test(arguments: examples)
    func businessClaimMatchesTheWorkedExample(_ ex: Example) throws {
        let claim = try FormalNoticeClaim.compute(
            debtor: .business, asOf: ymd(ex.asOf),
            invoices: [FormalNoticeClaim.Invoice(number: "F-1", dueDate: ymd(ex.due), principal: eurCents(ex.principal),
                                                 payments: ex.payments.map { InvoiceSettlement(day: ymd($0.0), amount: eurCents($0.1)) })],
            rates: try LegalTestData.rates())
        let line = try #require(claim.lines.first)
        #expect(line.penalty == eurCents(ex.penalty))
        #expect(line.indemnity == eurCents(4_000))
        #expect(line.principal == eurCents(ex.open))
        #expect(claim.total == ex.open + ex.penalty + 4_000)
    }

    @Test func ex02RatesAreItemisedPerHalfYear() throws {
        let claim = try FormalNoticeClaim.compute(
            debtor: .business, asOf: ymd("2025-08-14"),
            invoices: [FormalNoticeClaim.Invoice(number: "F-1", dueDate: ymd("2025-05-31"), principal: eurCents(1_000_000))],
            rates: try LegalTestData.rates())
        #expect(claim.lines.first?.rates == ["13.15 % (2025-H1)", "12.15 % (2025-H2)"])
        #expect(claim.lines.first?.daysLate == 75)
    }

    @Test func consumerIsClaimedThePrincipalOnly() throws {
        let claim = try FormalNoticeClaim.compute(
            debtor: .consumer, asOf: ymd("2024-06-30"),
            invoices: [FormalNoticeClaim.Invoice(number: "F-1", dueDate: ymd("2024-03-15"), principal: eurCents(1_200_000)),
                       FormalNoticeClaim.Invoice(number: "F-2", dueDate: ymd("2024-04-15"), principal: eurCents(50_000),
                                                 payments: [InvoiceSettlement(day: ymd("2024-05-01"), amount: eurCents(20_000))])],
            rates: try LegalTestData.rates())
        #expect(claim.penaltyTotal == 0)
        #expect(claim.indemnityTotal == 0)
        #expect(claim.total == 1_200_000 + 30_000)
    }

    @Test func twoBusinessInvoicesOweTwoIndemnities() throws {
        let claim = try FormalNoticeClaim.compute(
            debtor: .business, asOf: ymd("2025-04-01"),
            invoices: [FormalNoticeClaim.Invoice(number: "F-1", dueDate: ymd("2025-03-31"), principal: eurCents(100_000)),
                       FormalNoticeClaim.Invoice(number: "F-2", dueDate: ymd("2025-03-31"), principal: eurCents(100_000))],
            rates: try LegalTestData.rates())
        #expect(claim.indemnityTotal == 8_000)
        #expect(claim.penaltyTotal == 72)
    }

    @Test func missingHalfYearRateRefusesTheNotice() throws {
        #expect {
            try FormalNoticeClaim.compute(
                debtor: .business, asOf: ymd("2026-11-20"),
                invoices: [FormalNoticeClaim.Invoice(number: "F-1", dueDate: ymd("2026-09-30"), principal: eurCents(100_000))],
                rates: try LegalTestData.rates())
        } throws: { error in
            let text = "\(error)"
            return text.contains("2026-H2") && text.contains("ecb_mro_changes.csv")
        }
    }
}
