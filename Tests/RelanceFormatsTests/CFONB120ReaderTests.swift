import Testing
import RelanceCore
import RelanceTestSupport
@testable import RelanceFormats

/// Builds one 120-character CFONB record from its zones (1-based start positions).
private func record(_ zones: [(Int, String)]) -> String {
    var chars = [Character](repeating: " ", count: 120)
    for (start, text) in zones {
        for (k, c) in text.enumerated() where start - 1 + k < 120 { chars[start - 1 + k] = c }
    }
    return String(chars)
}

private func balance(_ code: String, amount: String, currency: String = "EUR", date: String = "010324") -> String {
    record([(1, code), (3, "30004"), (12, "00123"), (17, currency), (20, currency.isEmpty ? " " : "2"),
            (22, "00012345678"), (35, date), (91, amount)])
}

private func movement(_ amount: String, label: String, date: String = "020324", reject: String = "  ", currency: String = "EUR") -> String {
    record([(1, "04"), (3, "30004"), (8, "0005"), (12, "00123"), (17, currency), (20, currency.isEmpty ? " " : "2"),
            (22, "00012345678"), (33, "05"), (35, date), (41, reject), (43, date), (49, label), (91, amount)])
}

private func complement(_ qualifier: String, _ text: String) -> String {
    record([(1, "05"), (3, "30004"), (8, "0005"), (12, "00123"), (17, "EUR"), (20, "2"), (22, "00012345678"),
            (35, "020324"), (46, qualifier), (49, text)])
}

@Suite struct CFONB120ReaderTests {
    private func read(_ lines: [String], _ context: ReadContext = ReadContext(fileName: "releve.cfo")) throws -> IngestBatch {
        try CFONB120Reader().read(Array(lines.joined(separator: "\n").utf8), context: context)
    }

    // MARK: Shared samples

    struct Expected: Sendable, CustomStringConvertible {
        var file: String
        var statements: Int
        var credits: Int
        var creditTotal: Int64
        var reconciles: Bool
        var description: String { file }
    }

    /// Facts read from the files' zones by hand (04 amounts with their overpunch sign, 01/07 balances).
    static let table: [Expected] = [
        // 04s: -2000.00, -1000.00, +4000.00, -3000.00; old 0.08, new 11871.14.
        Expected(file: "akretion_bank_statement.cfo", statements: 1, credits: 1, creditTotal: 400_000, reconciles: false),
        // 9 VIR credits 1040.17 … 5690.76 = 17968.57, 4 PRLV debits; 1017311.89 + 14273.90 = 1031585.79.
        Expected(file: "oca_cfonb_classic.cfo", statements: 1, credits: 9, creditTotal: 1_796_857, reconciles: true),
        // Statement 1: three debits; statement 2: one credit 97.49 ('974I') and two debits.
        Expected(file: "pennylane_example.txt", statements: 2, credits: 1, creditTotal: 9_749, reconciles: true),
        // Debits only (the VIR JOHNDOE is -5000.00, '}' sign); 8 statements.
        Expected(file: "silarhi_complex-test.txt", statements: 8, credits: 0, creditTotal: 0, reconciles: true),
        // 01/07 pairs only.
        Expected(file: "silarhi_test-unused-parts.txt", statements: 8, credits: 0, creditTotal: 0, reconciles: true),
    ]

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func tableCoversEveryFile() {
        #expect(Samples.files(in: "cfonb120").map { String($0.dropFirst("cfonb120/".count)) } == Self.table.map(\.file).sorted())
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage), arguments: table)
    func sample(_ x: Expected) throws {
        let bytes = try Samples.bytes("cfonb120/" + x.file)
        #expect(CFONB120Reader.looksLikeCFONB120(Array(bytes.prefix(1024))))
        #expect(!CamtReader.looksLikeCamt(bytes) && !MT940Detector.looksLikeMT940(bytes))
        let b = try CFONB120Reader().read(bytes, context: ReadContext(fileName: x.file))
        #expect(b.notes.first?.hasPrefix("CFONB 120: \(x.statements) statement") == true)
        #expect(b.payments.count == x.credits)
        #expect(b.payments.reduce(0) { $0 + $1.amount } == x.creditTotal)
        #expect(b.notes.contains { $0.contains("does not reconcile") } == !x.reconciles)
        #expect(Set(b.payments.map(\.paymentId)).count == b.payments.count)
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func complementsFeedReferenceAndPayer() throws {
        let b = try CFONB120Reader().read(try Samples.bytes("cfonb120/oca_cfonb_classic.cfo"), context: ReadContext(fileName: "c.cfo"))
        let p = try #require(b.payments.first { $0.amount == 132_100 })
        #expect(p.payerName == "DURANCIA MONTGENEVRE")
        // LIB and LCC repeat each other: kept once; NBE (the company itself) left out.
        #expect(p.reference == "VIR DURANCIA MONTGENEVRE F230866 F230765 F238765 0018937")
        #expect(p.date == Day(year: 2024, month: 1, day: 13))
        #expect(p.paymentId == "CFONB/30003-01234-01234567890/2024-01-13/2")
        #expect(b.notes.contains { $0.contains("4 debit movements ignored") })
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func oldFileWithoutCurrencyAndUnbalanced() throws {
        let b = try CFONB120Reader().read(try Samples.bytes("cfonb120/akretion_bank_statement.cfo"), context: ReadContext(fileName: "a.cfo"))
        let p = try #require(b.payments.first)
        #expect(p.amount == 400_000 && p.currency == .eur)
        #expect(p.date == Day(year: 2011, month: 8, day: 21))
        #expect(p.valueDate == Day(year: 2011, month: 10, day: 2))
        #expect(p.paymentId == "CFONB/30002-00447-0000888899H/2011-08-21/3")
        #expect(b.notes.contains { $0.contains("without a currency code") })
        #expect(b.notes.contains { $0.contains("old balance 0.08 EUR + movements -2000.00 EUR = -1999.92 EUR, but the new balance is 11871.14 EUR") })
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func pennylaneCredit() throws {
        let b = try CFONB120Reader().read(try Samples.bytes("cfonb120/pennylane_example.txt"), context: ReadContext(fileName: "p.txt"))
        let p = try #require(b.payments.first)
        #expect(p.reference == "PRLV SEPA GROUPAMA CEN P051928612 22793301700040")
        #expect(p.date == Day(year: 2019, month: 5, day: 17))
        #expect(p.paymentId == "CFONB/18706-00000-00123456789/2019-05-17/1")
    }

    // MARK: Hand-written cases

    @Test(arguments: [
        ("0000000012345{", Int64(123_450)), ("0000000012345A", 123_451), ("0000000012345I", 123_459),
        ("0000000012345}", -123_450), ("0000000012345J", -123_451), ("0000000012345R", -123_459),
    ])
    func overpunchSigns(_ zone: String, _ minor: Int64) throws {
        let lines = [balance("01", amount: "0000000000000{"), movement(zone, label: "VIR X"),
                     balance("07", amount: zone)]
        let b = try read(lines)
        if minor > 0 {
            #expect(b.payments.map(\.amount) == [minor])
        } else {
            #expect(b.payments.isEmpty)
            #expect(b.notes.contains { $0.contains("1 debit movements ignored") })
        }
        #expect(!b.notes.contains { $0.contains("does not reconcile") })
    }

    @Test func wrongLengthLineIsNamed() {
        let lines = [balance("01", amount: "0000000000000{"), String(movement("0000000001000{", label: "VIR X").dropLast(3)),
                     balance("07", amount: "0000000000100{")]
        #expect {
            _ = try read(lines)
        } throws: { error in
            guard let r = error as? InputRejection, let i = r.issues.first else { return false }
            return i.line == 2 && i.reason.contains("117 characters") && i.file == "releve.cfo"
        }
    }

    @Test func blankLinesAndCRLFAreTolerated() throws {
        let text = "\r\n" + [balance("01", amount: "0000000000000{"), "", movement("0000000001000{", label: "VIR X"), "   ",
                             balance("07", amount: "0000000000100{")].joined(separator: "\r\n") + "\r\n\r\n"
        let b = try CFONB120Reader().read(Array(text.utf8), context: ReadContext(fileName: "r.cfo"))
        #expect(b.payments.map(\.amount) == [10_000])
        #expect(b.payments.first?.sourceLocation == "line 4")
    }

    @Test func unbalancedStatementIsAcceptedWithANote() throws {
        let b = try read([balance("01", amount: "0000000000000{"), movement("0000000001000{", label: "VIR X"),
                          balance("07", amount: "0000000009999{")])
        #expect(b.payments.count == 1)
        #expect(b.notes.contains { $0.contains("does not reconcile") && $0.contains("accepted") })
    }

    @Test func noCurrencyUsesTheDefault() throws {
        let b = try read([balance("01", amount: "0000000000000{", currency: ""), movement("0000000001000{", label: "VIR X", currency: ""),
                          balance("07", amount: "0000000000100{", currency: "")],
                         ReadContext(fileName: "r.cfo", defaultCurrency: Currency("CHF")!))
        #expect(b.payments.first?.currency.code == "CHF")
        #expect(b.payments.first?.amount == 10_000)
        #expect(b.notes.contains { $0.contains("CHF assumed") })
    }

    @Test func rejectedDebitBecomesNegativePayment() throws {
        let b = try read([balance("01", amount: "0000000010000{"), movement("0000000001000{", label: "VIR ACME FA-12"),
                          complement("NPY", "ACME SARL"),
                          movement("0000000001000}", label: "RETOUR VIR ACME", reject: "AC"),
                          movement("0000000000500}", label: "IMPAYE LCR 4411"),
                          movement("0000000000250}", label: "PRLV EDF"),
                          balance("07", amount: "0000000008725{")])
        #expect(b.payments.map(\.amount) == [10_000, -10_000, -5_000])
        #expect(b.payments.first?.payerName == "ACME SARL")
        #expect(b.payments.map(\.paymentId).last == "CFONB/30004-00123-00012345678/2024-03-02/3")
        #expect(b.notes.contains { $0.contains("1 debit movements ignored") })
        #expect(b.notes.contains { $0.contains("2 rejected or unpaid debit movements") })
    }

    @Test func structuralErrorsAreRejectedWithTheirLine() {
        let cases: [([String], Int, String)] = [
            ([movement("0000000001000{", label: "X")], 1, "outside a statement"),
            ([balance("01", amount: "0000000000000{"), complement("LIB", "x")], 2, "without a movement"),
            ([balance("01", amount: "0000000000000{"), movement("00000000010X0{", label: "X"), balance("07", amount: "0000000000000{")], 2, "not 13 digits"),
            ([balance("01", amount: "0000000000000{"), movement("0000000001000{", label: "X", date: "310224"), balance("07", amount: "0000000000100{")], 2, "not a JJMMAA date"),
            ([balance("01", amount: "0000000000000{")], 1, "no closing balance"),
            ([balance("01", amount: "0000000000000{"), record([(1, "09")]), balance("07", amount: "0000000000000{")], 2, "unknown CFONB 120 record code '09'"),
        ]
        for (lines, line, reason) in cases {
            #expect {
                _ = try read(lines)
            } throws: { error in
                guard let r = error as? InputRejection, let i = r.issues.first else { return false }
                return i.line == line && i.reason.contains(reason)
            }
        }
    }

    @Test func sniffing() {
        #expect(CFONB120Reader.looksLikeCFONB120(Array(("\n" + balance("01", amount: "0000000000000{") + "\n").utf8)))
        #expect(!CFONB120Reader.looksLikeCFONB120(Array(movement("0000000000000{", label: "X").utf8)))
        #expect(!CFONB120Reader.looksLikeCFONB120(Array("01;invoice;customer\n".utf8)))
        #expect(!CFONB120Reader.looksLikeCFONB120(Array(String(balance("01", amount: "0000000000000{").dropLast()).utf8)))
    }
}
