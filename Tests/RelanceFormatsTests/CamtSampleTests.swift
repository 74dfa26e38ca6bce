import Testing
import RelanceCore
import RelanceTestSupport
@testable import RelanceFormats

/// Every file of ../shared/samples/camt, read or rejected, with facts read from the files by
/// hand (entry amounts, indicators, statuses, names, references), not from this reader's output.
@Suite struct CamtSampleTests {
    struct Expected: Sendable, CustomStringConvertible {
        var file: String
        /// nil when the file must be read; else the start of the rejection reason.
        var rejection: String?
        var format = ""
        var credits = 0
        var creditTotal: Int64 = 0
        var negatives = 0
        var negativeTotal: Int64 = 0
        var currency = "EUR"
        var description: String { file }
    }

    static let table: [Expected] = [
        // camt.054.001.08, one CRDT entry of 1692.22 CHF in a batch of 2 TxDtls (778.29 + 913.93).
        Expected(file: "dvbern_200519_camt.054_P_CH2909000000250094239_1111091335_0_2020061900081727_v2019.xml",
                 format: "camt.054", credits: 2, creditTotal: 169_222, currency: "CHF"),
        // camt.052.001.04 intraday report.
        Expected(file: "genkgo_camt052.v4.xml", rejection: "camt.052 intraday report: not a statement"),
        // Two Stmt: the first has one CRDT 8.85, the second one DBIT 7.00 (not a return).
        Expected(file: "genkgo_camt053.v2.multi.statement.xml", format: "camt.053", credits: 1, creditTotal: 885),
        // One booked DBIT entry (issued credit transfers, ICDT), no reversal, no RtrInf.
        Expected(file: "genkgo_camt054.v8.xml", format: "camt.054", currency: "SEK"),
        // camt.052.001.02 (German Ruecklastschrift report).
        Expected(file: "hbci4java_test-camt-ruecklastschrift.xml", rejection: "camt.052 intraday report: not a statement"),
        // CRDT 1405.31; DBIT 754.25 direct debit (ignored); DBIT RvslInd=true batch 564.05 + 100.00 with RtrInf AC06.
        Expected(file: "oca_test-camt053", format: "camt.053", credits: 1, creditTotal: 140_531, negatives: 2, negativeTotal: -66_405),
        // One CRDT of 5.00 with a QRR structured reference.
        Expected(file: "oca_test-camt054", format: "camt.054", credits: 1, creditTotal: 500),
        // DBIT 2.00, DBIT 3.00, CRDT 1.00 ('R CKBUCHUNG'), DBIT batch 6.00: one credit.
        Expected(file: "viafintech_053_valid_example.xml", format: "camt.053", credits: 1, creditTotal: 100),
        // Credits: batch 1000.00 (10 TxDtls), batch 620.00 (8), batch 15.00 + 9.00 (2), 56.56;
        // the CRDT batch of 3 ICDT returns (RtrInf NARR) is skipped; two DBIT RvslInd=true returns 6.00 and 15.53.
        Expected(file: "viafintech_053_valid_example_v4.xml", format: "camt.053", credits: 21, creditTotal: 170_056,
                 negatives: 2, negativeTotal: -2_153, currency: "CHF"),
        // CRDT 474.40 (INVOICE R77561), CRDT 88.85 (RF38…552), DBIT 20.97 EUR ignored.
        Expected(file: "viafintech_053_valid_example_v8.xml", format: "camt.053", credits: 2, creditTotal: 56_325, currency: "CHF"),
    ]

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func tableCoversEveryFile() {
        #expect(Samples.files(in: "camt").map { String($0.dropFirst("camt/".count)) } == Self.table.map(\.file).sorted())
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage), arguments: table)
    func sample(_ x: Expected) throws {
        let bytes = try Samples.bytes("camt/" + x.file)
        #expect(CamtReader.looksLikeCamt(Array(bytes.prefix(1024))))
        let context = ReadContext(fileName: x.file)
        if let reason = x.rejection {
            #expect {
                _ = try CamtReader().read(bytes, context: context)
            } throws: { error in
                guard let r = error as? InputRejection, let i = r.issues.first else { return false }
                return i.reason.hasPrefix(reason) && i.line != nil && i.location?.hasPrefix("/Document") == true
            }
            return
        }
        let batch = try CamtReader().read(bytes, context: context)
        #expect(batch.format == x.format)
        let credits = batch.payments.filter { $0.amount > 0 }
        let negatives = batch.payments.filter { $0.amount < 0 }
        #expect(credits.count == x.credits)
        #expect(credits.reduce(0) { $0 + $1.amount } == x.creditTotal)
        #expect(negatives.count == x.negatives)
        #expect(negatives.reduce(0) { $0 + $1.amount } == x.negativeTotal)
        #expect(batch.payments.allSatisfy { $0.currency.code == x.currency })
        #expect(Set(batch.payments.map(\.paymentId)).count == batch.payments.count)
    }

    private func read(_ file: String) throws -> IngestBatch {
        try CamtReader().read(try Samples.bytes("camt/" + file), context: ReadContext(fileName: file))
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func postFinanceBatchKeepsEachTransaction() throws {
        let b = try read("dvbern_200519_camt.054_P_CH2909000000250094239_1111091335_0_2020061900081727_v2019.xml")
        let p = try #require(b.payments.first)
        #expect(p.paymentId == "CH2909000000250094239/1000000000000000/1")
        #expect(p.date == Day(year: 2020, month: 6, day: 18))
        #expect(p.amount == 77_829)
        #expect(p.payerName == "Bernasconi Maria")
        #expect(p.payerIban == "CH5109000000250092291")
        #expect(p.structuredReference == "539115429773825311971477453")
        #expect(p.endToEndId == "1006265-aic5dL-75dzf3jk9-cf2d5e9")
        #expect(b.payments.last?.structuredReference == "662437765447746478179744715")
        #expect(b.payments.last?.endToEndId == nil)
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func twoStatementsInOneMessage() throws {
        let b = try read("genkgo_camt053.v2.multi.statement.xml")
        let p = try #require(b.payments.first)
        #expect(p.reference == "Transaction Description 1")
        #expect(p.endToEndId == "000000001")
        #expect(p.date == Day(year: 2014, month: 12, day: 31))
        #expect(p.valueDate == Day(year: 2015, month: 1, day: 2))
        #expect(p.paymentId == "NL26VAYB8060476890/e2e:000000001:885:2014-12-31")
        #expect(b.notes.first?.contains("2 statements") == true)
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func directDebitReturnsAreNegative() throws {
        let b = try read("oca_test-camt053")
        let credit = try #require(b.payments.first { $0.amount > 0 })
        #expect(credit.payerName == "3rd party Media")
        #expect(credit.payerIban == "NL69ABNA0522123643")
        #expect(credit.reference == "#RD PARTY MEDIA CUSNO 90782 4210773")  // AddtlTxInf: no Ustrd
        let returns = b.payments.filter { $0.amount < 0 }
        #expect(returns.map(\.amount) == [-56_405, -10_000])
        #expect(returns.map(\.reverses) == ["TESTBANK/NL/20141229/01206408", "TESTBANK/NL/20141229/01206407"])
        #expect(returns.allSatisfy { $0.payerName == "Test Customer" && $0.reference == "Direct Debit S14 0410" })
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func swissStatementV4() throws {
        let b = try read("viafintech_053_valid_example_v4.xml")
        #expect(b.notes.contains { $0.contains("1 credit entries skipped because they are returns") })
        let p = try #require(b.payments.first { $0.paymentId.hasSuffix("/20160527007602769947016000000012/3") })
        #expect(p.amount == 10_000)
        #expect(p.reference == "MUSTER MITTEILUNG 1 MUSTER MITTEILUNG 2 MUSTER MITTEILUNG 3 MUSTER MITTEILUNG 4")
        #expect(p.payerName == "Rutschmann Pia")
        #expect(b.notes.contains { $0.contains("bank charges") })
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func validRFIsStructured() throws {
        let b = try read("viafintech_053_valid_example_v8.xml")
        #expect(b.payments.map(\.structuredReference) == [nil, "RF38000000000000000000552"])
        #expect(b.payments.first?.reference == "INVOICE R77561")
        #expect(b.payments.first?.payerName == "Jon Doe")
        #expect(b.payments.first?.amount == 47_440)
    }
}
