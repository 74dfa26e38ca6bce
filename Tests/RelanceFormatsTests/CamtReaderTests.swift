import Testing
import RelanceCore
@testable import RelanceFormats

/// Hand-written camt documents for the cases the shared samples do not cover.
@Suite struct CamtReaderTests {
    /// A camt.053 (or .054) document of the given version holding `body` statements.
    private func document(_ body: String, message: String = "053", version: String = "02") -> String {
        let root = message == "054" ? "BkToCstmrDbtCdtNtfctn" : message == "052" ? "BkToCstmrAcctRpt" : "BkToCstmrStmt"
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.\(message).001.\(version)">
          <\(root)>
            <GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-01T10:00:00</CreDtTm></GrpHdr>
        \(body)
          </\(root)>
        </Document>
        """
    }

    private func statement(_ entries: String, iban: String = "FR7630004000031234567890143", tag: String = "Stmt") -> String {
        "<\(tag)><Id>S1</Id><Acct><Id><IBAN>\(iban)</IBAN></Id><Ccy>EUR</Ccy></Acct>\n\(entries)\n</\(tag)>"
    }

    /// One entry; `status` is written the .02 way (`<Sts>BOOK</Sts>`) or the .08+ way (`<Sts><Cd>…`).
    private func entry(_ amount: String = "120.50", credit: Bool = true, status: String = "BOOK", newStatus: Bool = false,
                       extra: String = "", details: String = "") -> String {
        let sts = newStatus ? "<Sts><Cd>\(status)</Cd></Sts>" : "<Sts>\(status)</Sts>"
        return """
          <Ntry>
            <Amt Ccy="EUR">\(amount)</Amt>
            <CdtDbtInd>\(credit ? "CRDT" : "DBIT")</CdtDbtInd>
            \(extra)
            \(sts)
            <BookgDt><Dt>2024-03-04</Dt></BookgDt>
            <ValDt><Dt>2024-03-05</Dt></ValDt>
            <AcctSvcrRef>BANKREF-1</AcctSvcrRef>
            <NtryDtls>\(details)</NtryDtls>
          </Ntry>
        """
    }

    private func tx(e2e: String = "E2E-1", amount: String? = nil, debtor: String = "Dupont SARL", newParty: Bool = false,
                    ustrd: [String] = ["FA-2024-001"], strd: String? = nil, extra: String = "") -> String {
        let name = newParty ? "<Dbtr><Pty><Nm>\(debtor)</Nm></Pty></Dbtr>" : "<Dbtr><Nm>\(debtor)</Nm></Dbtr>"
        let amt = amount.map { "<Amt Ccy=\"EUR\">\($0)</Amt>" } ?? ""
        let s = strd.map { "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>\($0)</Ref></CdtrRefInf></Strd>" } ?? ""
        return """
        <TxDtls><Refs><EndToEndId>\(e2e)</EndToEndId></Refs>\(amt)
          <RltdPties>\(name)<DbtrAcct><Id><IBAN>FR7612345000010000000000185</IBAN></Id></DbtrAcct></RltdPties>
          <RmtInf>\(ustrd.map { "<Ustrd>\($0)</Ustrd>" }.joined())\(s)</RmtInf>\(extra)
        </TxDtls>
        """
    }

    private func read(_ xml: String, file: String = "releve.xml") throws -> IngestBatch {
        try CamtReader().read(Array(xml.utf8), context: ReadContext(fileName: file))
    }

    private func rejection(_ xml: String) -> InputIssue? {
        do {
            _ = try read(xml)
            return nil
        } catch let error as InputRejection {
            return error.issues.first
        } catch {
            return nil
        }
    }

    @Test func version02Credit() throws {
        let b = try read(document(statement(entry(details: tx(ustrd: ["FA-2024-001", "FA-2024-002"])))))
        #expect(b.format == "camt.053")
        let p = try #require(b.payments.first)
        #expect(b.payments.count == 1)
        #expect(p.paymentId == "FR7630004000031234567890143/BANKREF-1")
        #expect(p.amount == 12_050 && p.currency == .eur)
        #expect(p.date == Day(year: 2024, month: 3, day: 4) && p.valueDate == Day(year: 2024, month: 3, day: 5))
        #expect(p.payerName == "Dupont SARL" && p.payerIban == "FR7612345000010000000000185")
        #expect(p.reference == "FA-2024-001 FA-2024-002")
        #expect(p.endToEndId == "E2E-1" && p.reverses == nil && p.structuredReference == nil)
    }

    @Test(arguments: ["08", "10", "13"])
    func newerVersionsWithStatusCodeAndPartyBlock(_ version: String) throws {
        let body = statement(entry(newStatus: true, details: tx(newParty: true)))
        let b = try read(document(body, version: version))
        #expect(b.payments.count == 1)
        #expect(b.payments.first?.payerName == "Dupont SARL")
        #expect(b.notes.first?.contains("version 001.\(version)") == true)
    }

    @Test func notificationFormat() throws {
        let b = try read(document(statement(entry(details: tx()), tag: "Ntfctn"), message: "054", version: "08"))
        #expect(b.format == "camt.054")
        #expect(b.payments.count == 1)
    }

    @Test func sameCreditNotifiedThenStatedHasOneId() throws {
        let notified = try read(document(statement(entry(newStatus: true, details: tx()), tag: "Ntfctn"), message: "054", version: "08"))
        let stated = try read(document(statement(entry(details: tx()))))
        #expect(notified.payments.map(\.paymentId) == stated.payments.map(\.paymentId))
    }

    @Test func multipleStatements() throws {
        let body = statement(entry(details: tx())) + "\n" + statement(entry("10.00", details: tx(e2e: "E2E-2")), iban: "FR7630004000039999999999999")
        let b = try read(document(body))
        #expect(b.payments.map(\.amount) == [12_050, 1_000])
        #expect(b.payments.map(\.paymentId) == ["FR7630004000031234567890143/BANKREF-1", "FR7630004000039999999999999/BANKREF-1"])
        #expect(b.notes.first?.contains("2 statements") == true)
    }

    @Test func batchWithSeveralTransactions() throws {
        let details = "<Btch><NbOfTxs>3</NbOfTxs></Btch>" + tx(e2e: "A", amount: "100.00", debtor: "Alpha")
            + tx(e2e: "B", amount: "20.25", debtor: "Beta") + tx(e2e: "C", amount: "0.25", debtor: "Gamma")
        let b = try read(document(statement(entry("120.50", details: details))))
        #expect(b.payments.map(\.amount) == [10_000, 2_025, 25])
        #expect(b.payments.map(\.payerName) == ["Alpha", "Beta", "Gamma"])
        #expect(b.payments.map(\.paymentId) == (1...3).map { "FR7630004000031234567890143/BANKREF-1/\($0)" })
        #expect(b.payments.map(\.sourceLocation) == ["line 6 tx 1", "line 6 tx 2", "line 6 tx 3"])
    }

    @Test func batchWithoutAmountsIsOnePayment() throws {
        let b = try read(document(statement(entry("120.50", details: tx(e2e: "A") + tx(e2e: "B")))))
        #expect(b.payments.map(\.amount) == [12_050])
        #expect(b.notes.contains { $0.contains("without an amount per transaction") })
    }

    @Test func batchNotAddingUpIsNoted() throws {
        let b = try read(document(statement(entry("120.50", details: tx(e2e: "A", amount: "100.00") + tx(e2e: "B", amount: "20.00")))))
        #expect(b.payments.map(\.amount) == [10_000, 2_000])
        #expect(b.notes.contains { $0.contains("do not add up") })
    }

    @Test func pendingAndInformationEntriesAreSkipped() throws {
        let body = statement(entry(status: "PDNG", details: tx()) + entry(status: "INFO", newStatus: true, details: tx())
            + entry("5.00", status: "BOOK", newStatus: true, details: tx()))
        let b = try read(document(body))
        #expect(b.payments.map(\.amount) == [500])
        #expect(b.notes.contains { $0.hasPrefix("1 pending (PDNG), 1 information (INFO)") })
    }

    @Test func returnedDirectDebitIsNegative() throws {
        let ret = tx(e2e: "ORIG-E2E-7", debtor: "Dupont SARL", extra: "<RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf>")
        let b = try read(document(statement(entry("80.00", credit: false, details: ret))))
        let p = try #require(b.payments.first)
        #expect(p.amount == -8_000)
        #expect(p.reverses == "ORIG-E2E-7")
        #expect(p.payerName == "Dupont SARL")
    }

    @Test func reversalByIndicatorOrCode() throws {
        let byIndicator = entry("80.00", credit: false, extra: "<RvslInd>true</RvslInd>", details: tx())
        let byCode = entry("30.00", credit: false, extra: "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RDDT</Cd><SubFmlyCd>UPDD</SubFmlyCd></Fmly></Domn></BkTxCd>", details: tx())
        let plainDebit = entry("99.00", credit: false, details: tx())
        let b = try read(document(statement(byIndicator + byCode + plainDebit)))
        #expect(b.payments.map(\.amount) == [-8_000, -3_000])
        #expect(b.notes.contains { $0.hasPrefix("1 debit entries ignored") })
        #expect(Set(b.payments.map(\.paymentId)).count == 2)  // same AcctSvcrRef twice: numbered
        #expect(b.payments.last?.paymentId == "FR7630004000031234567890143/BANKREF-1#2")
    }

    @Test func creditThatReturnsOurOwnPaymentIsSkipped() throws {
        let b = try read(document(statement(entry(extra: "<RvslInd>true</RvslInd>", details: tx()))))
        #expect(b.payments.isEmpty)
        #expect(b.notes.contains { $0.contains("1 credit entries skipped") })
    }

    @Test func validRFIsStructured() throws {
        // RF18 5390 0754 7034: the ISO 11649 example, printed with spaces.
        let b = try read(document(statement(entry(details: tx(ustrd: [], strd: "RF18 5390 0754 7034")))))
        #expect(b.payments.first?.structuredReference == "RF18539007547034")
        #expect(b.payments.first?.reference == nil)
    }

    @Test func invalidRFIsPlainText() throws {
        let b = try read(document(statement(entry(details: tx(ustrd: ["Facture 12"], strd: "RF19539007547034")))))
        #expect(b.payments.first?.structuredReference == nil)
        #expect(b.payments.first?.reference == "Facture 12 RF19539007547034")
        #expect(b.notes.contains { $0.contains("1 RF creditor references with wrong check digits") && $0.contains("RF19539007547034") })
    }

    @Test func otherStructuredReferencesAreKept() throws {
        let b = try read(document(statement(entry(details: tx(strd: "210000000003139471430009017")))))
        #expect(b.payments.first?.structuredReference == "210000000003139471430009017")
    }

    @Test func chargesAreNoted() throws {
        let charges = "<Chrgs><TtlChrgsAndTaxAmt Ccy=\"EUR\">1.50</TtlChrgsAndTaxAmt><Rcrd><Amt Ccy=\"EUR\">1.50</Amt><CdtDbtInd>DBIT</CdtDbtInd></Rcrd></Chrgs>"
        let b = try read(document(statement(entry(extra: charges, details: tx())), version: "04"))
        #expect(b.payments.first?.amount == 12_050)
        #expect(b.notes.contains { $0.contains("1 booked entries carry bank charges (Chrgs), net total 1.50 EUR") })
    }

    @Test func placeholderEndToEndIdAndKeyWithoutBankReference() throws {
        let noRef = """
          <Ntry><Amt Ccy="EUR">7.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
            <BookgDt><Dt>2024-03-04</Dt></BookgDt>
            <NtryDtls>\(tx(e2e: "NOTPROVIDED"))</NtryDtls><AddtlNtryInf>VIR DUPONT</AddtlNtryInf></Ntry>
        """
        let b = try read(document(statement(noRef)))
        let p = try #require(b.payments.first)
        #expect(p.endToEndId == nil)
        #expect(p.paymentId == "FR7630004000031234567890143/e2e::700:2024-03-04")
    }

    @Test func missingAmountNamesElementPathAndLine() throws {
        let xml = document(statement(entry(details: tx()).replacingOccurrences(of: "<Amt Ccy=\"EUR\">120.50</Amt>", with: "")))
        let issue = try #require(rejection(xml))
        #expect(issue.location == "/Document/BkToCstmrStmt/Stmt/Ntry")
        #expect(issue.reason == "entry has no Amt (amount)")
        #expect(issue.line == 6)  // the line where this Ntry opens
        #expect(issue.file == "releve.xml")
    }

    @Test func badAmountAndDateNameTheirElement() throws {
        let badAmount = try #require(rejection(document(statement(entry("12,50", details: tx())))))
        #expect(badAmount.location == "/Document/BkToCstmrStmt/Stmt/Ntry/Amt")
        #expect(badAmount.reason.contains("'12,50'"))
        #expect(badAmount.line == 7)
        let tooPrecise = try #require(rejection(document(statement(entry("1.005", details: tx())))))
        #expect(tooPrecise.reason.contains("more than 2 decimal places"))
        let badDate = try #require(rejection(document(statement(entry(details: tx()).replacingOccurrences(of: "2024-03-04", with: "2024-02-30")))))
        #expect(badDate.location == "/Document/BkToCstmrStmt/Stmt/Ntry/BookgDt/Dt")
        let badIndicator = try #require(rejection(document(statement(entry(details: tx()).replacingOccurrences(of: "CRDT", with: "CRED")))))
        #expect(badIndicator.location == "/Document/BkToCstmrStmt/Stmt/Ntry/CdtDbtInd")
    }

    @Test func intradayReportIsRejected() throws {
        let issue = try #require(rejection(document(statement(entry(details: tx()), tag: "Rpt"), message: "052", version: "08")))
        #expect(issue.reason == "camt.052 intraday report: not a statement")
        #expect(issue.location == "/Document")
        #expect(issue.line == 2)
    }

    @Test func malformedXMLIsRejected() throws {
        let xml = document(statement(entry(details: tx()))).replacingOccurrences(of: "</Ntry>", with: "</Entry>")
        let issue = try #require(rejection(xml))
        #expect(issue.reason.hasPrefix("malformed XML"))
        #expect(issue.line != nil)
    }

    @Test func sniffing() {
        #expect(CamtReader.looksLikeCamt(Array(document("").utf8)))
        #expect(CamtReader.looksLikeCamt(Array(document("", message: "054", version: "13").utf8)))
        #expect(CamtReader.looksLikeCamt(Array(document("", message: "052").utf8)))  // so that it is rejected with its reason
        #expect(!CamtReader.looksLikeCamt(Array("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>".utf8)))
        #expect(!CamtReader.looksLikeCamt(Array("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"/>".utf8)))
        #expect(!CamtReader.looksLikeCamt(Array("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.056.001.08\"/>".utf8)))
    }

    @Test func otherISO20022MessageIsNotRead() throws {
        let xml = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.056.001.08\"><FIToFIPmtCxlReq/></Document>"
        let issue = try #require(rejection(xml))
        #expect(issue.reason.contains("unsupported ISO 20022 message") || issue.reason.contains("not an ISO 20022 camt.053"))
    }

    @Test func creditorReferenceCheckDigits() {
        #expect(CreditorReference.validRF("RF18539007547034") == "RF18539007547034")
        #expect(CreditorReference.validRF("rf18 5390 0754 7034") == "RF18539007547034")
        #expect(CreditorReference.validRF("RF38000000000000000000552") != nil)
        #expect(CreditorReference.validRF("RF19539007547034") == nil)
        #expect(CreditorReference.validRF("RF18") == nil)
        #expect(CreditorReference.validRF("RF18-5390") == nil)
    }

    @Test func decimalAmounts() {
        #expect(DecimalAmount.parse("1692.22", places: 2) == .success(169_222))
        #expect(DecimalAmount.parse(" 6.3 ", places: 2) == .success(630))
        #expect(DecimalAmount.parse("200000", places: 2) == .success(20_000_000))
        #expect(DecimalAmount.parse("5.40000", places: 2) == .success(540))
        #expect(DecimalAmount.parse("12", places: 0) == .success(12))
        #expect(DecimalAmount.parse("1.001", places: 2) == .failure(.tooManyDecimals(2)))
        #expect(DecimalAmount.parse("-1.00", places: 2) == .failure(.invalid))
        #expect(DecimalAmount.parse("1.", places: 2) == .failure(.invalid))
        #expect(DecimalAmount.parse("", places: 2) == .failure(.empty))
        #expect(DecimalAmount.parse("99999999999999999999", places: 2) == .failure(.overflow))
    }
}

@Suite struct CamtHardeningTests {
    @Test func emptyFileIsRejected() {
        #expect(throws: InputRejection.self) { _ = try CamtReader().read([], context: ReadContext(fileName: "e.xml")) }
    }

    /// A DOCTYPE the byte scan cannot see (UTF-16) still stops the parser at its internal subset.
    @Test func utf16DoctypeIsRefused() {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE d [<!ENTITY x \"boom\">]>"
            + "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>&x;</BkToCstmrStmt></Document>"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for u in xml.utf16 { bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        #expect {
            _ = try CamtReader().read(bytes, context: ReadContext(fileName: "u.xml"))
        } throws: { error in
            guard let r = error as? InputRejection, let i = r.issues.first else { return false }
            return i.reason.contains("document type declarations are refused")
        }
    }

    @Test func entityReferencesAreErrors() {
        let xml = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>&ext;</BkToCstmrStmt></Document>"
        #expect {
            _ = try CamtReader().read(Array(xml.utf8), context: ReadContext(fileName: "x.xml"))
        } throws: { error in
            (error as? InputRejection)?.issues.first?.reason.hasPrefix("malformed XML") == true
        }
    }

    /// What the camt parser relies on from the SAX2-based `XMLPullReader`: one text event per
    /// text run (even split by a comment or across 64 KB chunks), namespaces on `.end` too, and
    /// elements recognised by interned ids.
    @Test func pullReaderContract() throws {
        let long = String(repeating: "x", count: 100_000)
        let xml = "<r xmlns=\"urn:a\"><u>ab<!-- c -->cd</u><v>\(long)</v><w/></r>"
        let r = try XMLPullReader(bytes: Array(xml.utf8), fileName: "t.xml")
        let u = r.registerName("u")
        var texts: [String] = []
        var ends: [String] = []
        var sawU = false
        while let n = try r.next() {
            switch n {
            case .start: if r.nameID == u { sawU = true }
            case .text: texts.append(r.text)
            case .end: ends.append(r.localName + "@" + r.namespaceURI)
            }
        }
        #expect(sawU)
        #expect(texts == ["abcd", long])
        #expect(ends == ["u@urn:a", "v@urn:a", "w@urn:a", "r@urn:a"])
    }
}
