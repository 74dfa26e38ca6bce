import Foundation
import RelanceCore
import RelanceTestSupport
import Testing
@testable import RelanceFormats

/// Small hand-written FECs, one behaviour each.
@Suite("FECReader")
struct FECReaderTests {
    static let header = "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise"

    /// One FEC line from its meaningful fields; the rest are filled as software does.
    static func line(_ journal: String, _ number: String, _ date: String, _ account: String, aux: String = "", auxName: String = "",
                     piece: String = "", label: String = "", debit: String = "0", credit: String = "0", letter: String = "",
                     dateLet: String = "") -> String {
        let journalLib = ["VE": "VENTES", "BQ": "BANQUE", "OD": "OPERATIONS DIVERSES", "AN": "A NOUVEAUX", "CA": "CAISSE"][journal] ?? journal
        let accountLib = account.hasPrefix("411") ? "Clients" : account.hasPrefix("416") ? "Clients douteux" : "Compte \(account)"
        return [journal, journalLib, number, date, account, accountLib, aux, auxName, piece, date, label, debit, credit,
                letter, dateLet, date, "", ""].joined(separator: "|")
    }

    /// Joins lines under the header with the given separator (the test texts are written with `|`).
    static func fec(_ lines: [String], separator: String = "\t") -> [UInt8] {
        let text = ([header] + lines).joined(separator: "\n") + "\n"
        return Array((separator == "|" ? text : text.replacingOccurrences(of: "|", with: separator)).utf8)
    }

    static func read(_ bytes: [UInt8], _ context: ReadContext = ReadContext(fileName: "test.fec")) throws -> IngestBatch {
        try FECReader().read(bytes, context: context)
    }

    static func rejection(_ bytes: [UInt8]) -> InputRejection? {
        do {
            _ = try FECReader().read(bytes, context: ReadContext(fileName: "test.fec"))
            return nil
        } catch {
            return error
        }
    }

    /// A sale of 100 HT + 20 VAT to customer C1.
    static func sale(_ number: String, _ date: String, piece: String, customer: String = "C1", ttc: String = "120", ht: String = "100",
                     tva: String = "20", letter: String = "") -> [String] {
        [
            line("VE", number, date, "41100000", aux: customer, auxName: "Client \(customer)", piece: piece, label: "Facture \(piece)", debit: ttc, letter: letter),
            line("VE", number, date, "70600000", piece: piece, label: "Facture \(piece)", credit: ht),
            line("VE", number, date, "44571000", piece: piece, label: "Facture \(piece)", credit: tva),
        ]
    }

    /// A bank receipt from customer C1.
    static func receipt(_ number: String, _ date: String, amount: String, customer: String = "C1", letter: String = "", label: String = "VIR CLIENT") -> [String] {
        [
            line("BQ", number, date, "41100000", aux: customer, auxName: "Client \(customer)", piece: "x", label: label, credit: amount, letter: letter),
            line("BQ", number, date, "51200000", piece: "x", label: label, debit: amount),
        ]
    }

    // MARK: - Sniffing and header

    @Test func sniffsTheHeaderLine() {
        #expect(FECReader.looksLikeFEC(Array(Self.header.utf8)))
        #expect(FECReader.looksLikeFEC(Array(Self.header.replacingOccurrences(of: "|", with: "\t").utf8)))
        #expect(FECReader.looksLikeFEC([0xEF, 0xBB, 0xBF] + Array("journalcode\tjournallib\tecriturenum\tcomptenum\n".utf8)))
        #expect(!FECReader.looksLikeFEC(Array("invoice_number;customer;amount\n".utf8)))
        #expect(!FECReader.looksLikeFEC(Array("JournalCode;EcritureNum;CompteNum\n".utf8)))
        #expect(FECReader().formatName == "FEC")
    }

    @Test func missingColumnIsNamed() throws {
        let header = Self.header.replacingOccurrences(of: "|CompteNum|", with: "|")
        let bytes = Array((header + "\n").replacingOccurrences(of: "|", with: "\t").utf8)
        let rejection = try #require(Self.rejection(bytes))
        #expect(rejection.issues.count == 1)
        #expect(rejection.issues[0].line == 1)
        #expect(rejection.issues[0].reason.contains("missing FEC column: CompteNum"))
        #expect(rejection.description.hasPrefix("test.fec:1: header: missing FEC column"))
    }

    @Test func missingAmountColumnsAreNamed() throws {
        let header = Self.header.replacingOccurrences(of: "|Debit|Credit|", with: "|")
        let rejection = try #require(Self.rejection(Array((header + "\n").utf8)))
        #expect(rejection.issues[0].reason.contains("Debit and Credit (or Montant and Sens)"))
    }

    @Test func emptyFileIsRejected() throws {
        let rejection = try #require(Self.rejection([]))
        #expect(rejection.issues[0].reason.contains("header"))
    }

    // MARK: - Line-level errors

    @Test func unbalancedEntryNamesEntryAndLine() throws {
        var lines = Self.sale("VE1", "20240105", piece: "F1")
        lines += [
            Self.line("VE", "VE2", "20240106", "41100000", aux: "C1", auxName: "Client C1", piece: "F2", debit: "120"),
            Self.line("VE", "VE2", "20240106", "70600000", piece: "F2", credit: "100"),
        ]
        let rejection = try #require(Self.rejection(Self.fec(lines)))
        #expect(rejection.issues.count == 1)
        let issue = rejection.issues[0]
        #expect(issue.line == 5)
        #expect(issue.reason.contains("entry VE2 of journal VE"))
        #expect(issue.reason.contains("unbalanced"))
        #expect(issue.reason.contains("debits 120.00") && issue.reason.contains("credits 100.00"))
    }

    @Test func badDateAndAmountSayFileLineColumn() throws {
        var lines = Self.sale("VE1", "20240105", piece: "F1")
        lines[1] = Self.line("VE", "VE1", "20241305", "70600000", piece: "F1", credit: "100")
        lines[2] = Self.line("VE", "VE1", "20240105", "44571000", piece: "F1", credit: "2O,00")
        let rejection = try #require(Self.rejection(Self.fec(lines)))
        let text = rejection.issues.map(\.description)
        #expect(text.contains("test.fec:3: EcritureDate: '20241305' is not a date (yyyymmdd expected)"))
        #expect(text.contains { $0.hasPrefix("test.fec:4: Credit: '2O,00' is not an amount") })
    }

    @Test func wrongFieldCountIsAnError() throws {
        var lines = Self.sale("VE1", "20240105", piece: "F1")
        lines[1] += "|extra|fields"
        let rejection = try #require(Self.rejection(Self.fec(lines)))
        #expect(rejection.issues[0].line == 3)
        #expect(rejection.issues[0].reason.contains("20 fields, the header has 18"))
    }

    @Test(arguments: [
        ("252,5", Int64(25250)), ("+000000069,40", 6940), ("0", 0), ("15000", 1_500_000), ("12.5", 1250),
        ("-708,91", -70891), ("1234,500", 123_450), ("", 0),
    ])
    func amountForms(text: String, minor: Int64) {
        let bytes = Array(text.utf8)
        let value = bytes.withUnsafeBufferPointer { buffer -> Int64? in
            guard let base = buffer.baseAddress else { return 0 }
            return FECFieldParsing.amount(base, 0, buffer.count, places: 2)
        }
        #expect(value == minor)
    }

    @Test(arguments: ["1 234,56", "1.234", "12,345", "1,2,3", "abc", "--5"])
    func amountsThatAreRefused(text: String) {
        let bytes = Array(text.utf8)
        let value = bytes.withUnsafeBufferPointer { FECFieldParsing.amount($0.baseAddress!, 0, $0.count, places: 2) }
        #expect(value == nil)
    }

    // MARK: - Documents and payments

    @Test func invoiceWithTaxSplitAndNoDueDate() throws {
        let batch = try Self.read(Self.fec(Self.sale("VE1", "20240105", piece: "FA-001")))
        #expect(batch.format == "FEC")
        #expect(batch.customers == [Customer(id: "C1", name: "Client C1")])
        let doc = try #require(batch.documents.first)
        #expect(batch.documents.count == 1)
        #expect(doc.number == "FA-001")
        #expect(doc.kind == .invoice)
        #expect(doc.amount == 12000 && doc.amountExclTax == 10000 && doc.tax == 2000)
        #expect(doc.issueDate == Day(year: 2024, month: 1, day: 5))
        #expect(doc.dueDate == nil)
        #expect(doc.currency == .eur)
        #expect(batch.notes.contains("due dates derived from payment terms (FEC has none)"))
    }

    @Test func pieceRefFallsBackToEntryNumber() throws {
        let batch = try Self.read(Self.fec(Self.sale("VE000007", "20240105", piece: "")))
        #expect(batch.documents.map(\.number) == ["VE000007"])
    }

    @Test func creditNoteFromSalesCredit() throws {
        let lines = [
            Self.line("VE", "VE9", "20240210", "41100000", aux: "C1", auxName: "Client C1", piece: "AV-3", label: "Avoir AV-3", credit: "60"),
            Self.line("VE", "VE9", "20240210", "70600000", piece: "AV-3", debit: "50"),
            Self.line("VE", "VE9", "20240210", "44571000", piece: "AV-3", debit: "10"),
        ]
        let batch = try Self.read(Self.fec(lines))
        let doc = try #require(batch.documents.first)
        #expect(doc.kind == .creditNote)
        #expect(doc.number == "AV-3")
        #expect(doc.amount == 6000 && doc.amountExclTax == 5000 && doc.tax == 1000)
        #expect(batch.payments.isEmpty)
    }

    @Test func bankCreditIsPaymentWithStableId() throws {
        let batch = try Self.read(Self.fec(Self.sale("VE1", "20240105", piece: "F1") + Self.receipt("BQ17", "20240220", amount: "120", label: "VIR DUPONT F1")))
        let payment = try #require(batch.payments.first)
        #expect(batch.payments.count == 1)
        #expect(payment.paymentId == "BQ-BQ17-1")
        #expect(payment.amount == 12000)
        #expect(payment.customerId == "C1")
        #expect(payment.date == Day(year: 2024, month: 2, day: 20))
        #expect(payment.reference == "VIR DUPONT F1")
        #expect(batch.allocations.isEmpty)  // not lettered: the pipeline matches it
    }

    @Test func refundIsNegativePaymentReversingTheLetteredPayment() throws {
        var lines = Self.sale("VE1", "20240105", piece: "F1", letter: "A")
        lines += Self.receipt("BQ1", "20240201", amount: "120", letter: "A", label: "CHQ 123")
        lines += [
            Self.line("BQ", "BQ2", "20240210", "41100000", aux: "C1", auxName: "Client C1", piece: "x", label: "CHQ 123 IMPAYE", debit: "120", letter: "A"),
            Self.line("BQ", "BQ2", "20240210", "51200000", piece: "x", label: "CHQ 123 IMPAYE", credit: "120"),
        ]
        lines += Self.receipt("BQ3", "20240301", amount: "120", letter: "A", label: "VIR")
        let batch = try Self.read(Self.fec(lines))
        #expect(batch.payments.map(\.amount) == [12000, -12000, 12000])
        #expect(batch.payments[1].reverses == "BQ-BQ1-1")
        // The returned cheque and the cheque cancel out: the later transfer paid F1.
        #expect(batch.allocations.count == 1)
        #expect(batch.allocations.first?.credit == .payment(id: "BQ-BQ3-1"))
        #expect(batch.allocations.first?.amount == 12000)
    }

    @Test func pipeSeparatorAndMontantSens() throws {
        let header = "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Montant|Sens|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise|DateRglt|ModeRglt|NatOp|IdClient"
        let text = """
        \(header)
        VE|Ventes|1|20240301|411000|Clients|C9|Neuf SA|F-9|20240301|Facture F-9|+000000069,40|D|||20240301||||||
        VE|Ventes|1|20240301|706000|Prestations|||F-9|20240301|Facture F-9|57,83|C|||20240301||||||
        VE|Ventes|1|20240301|445710|TVA collectée|||F-9|20240301|Facture F-9|11,57|C|||20240301||||||

        """
        let batch = try Self.read(Array(text.utf8))
        let doc = try #require(batch.documents.first)
        #expect(doc.number == "F-9" && doc.customerId == "C9" && doc.customerName == "Neuf SA")
        #expect(doc.amount == 6940 && doc.amountExclTax == 5783 && doc.tax == 1157)
    }

    @Test func latin1TextIsReadAsWindows1252() throws {
        var bytes = Self.fec(Self.sale("VE1", "20240105", piece: "F1", customer: "C1"))
        // Replace the customer's name by "Café Œuvre" in Windows-1252 bytes.
        let name = Array("Client C1".utf8)
        let latin: [UInt8] = [0x43, 0x61, 0x66, 0xE9, 0x20, 0x8C, 0x75, 0x76, 0x72, 0x65]
        let at = try #require((0...(bytes.count - name.count)).first { Array(bytes[$0..<($0 + name.count)]) == name })
        bytes.replaceSubrange(at..<(at + name.count), with: latin)
        let batch = try Self.read(bytes)
        #expect(batch.customers.first?.name == "Café Œuvre")
        #expect(batch.notes.contains { $0.contains("Windows-1252") })
    }

    @Test func utf8BOMAndCRLFAreAccepted() throws {
        let text = ([Self.header] + Self.sale("VE1", "20240105", piece: "F1")).joined(separator: "\r\n") + "\r\n"
        let batch = try Self.read([0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "|", with: "\t").utf8))
        #expect(batch.documents.first?.number == "F1")
        #expect(batch.documents.first?.amount == 12000)
    }

    // MARK: - Opening balances and transfers

    @Test func openingBalancesBecomeMarkedDocuments() throws {
        let lines = [
            Self.line("AN", "AN1", "20240101", "41100000", aux: "C1", auxName: "Client C1", piece: "AN", label: "A nouveau", debit: "300"),
            Self.line("AN", "AN1", "20240101", "41100000", aux: "C2", auxName: "Client C2", piece: "AN", label: "A nouveau", credit: "40"),
            Self.line("AN", "AN1", "20240101", "10100000", piece: "AN", label: "A nouveau", credit: "260"),
        ]
        let batch = try Self.read(Self.fec(lines))
        #expect(batch.documents.map(\.number) == ["AN-C1-20240101", "AN-C2-20240101"])
        #expect(batch.documents.map(\.kind) == [.invoice, .creditNote])
        #expect(batch.documents.map(\.amount) == [30000, 4000])
        #expect(batch.documents.allSatisfy { $0.sourceLocation?.contains("opening balance") == true })
        #expect(batch.notes.contains { $0.hasPrefix("2 opening-balance documents (à-nouveaux)") })
        #expect(batch.payments.isEmpty)
    }

    @Test func openingLabelOutsideOpeningJournal() throws {
        let lines = [
            Self.line("OD", "OD1", "20240101", "41100000", aux: "C1", auxName: "Client C1", label: "Report à nouveau", debit: "80"),
            Self.line("OD", "OD1", "20240101", "47100000", label: "Report à nouveau", credit: "80"),
        ]
        let batch = try Self.read(Self.fec(lines))
        #expect(batch.documents.map(\.number) == ["AN-C1-20240101"])
    }

    @Test func transferTo416IsNeitherPaymentNorInvoiceAndLetteringFollowsIt() throws {
        var lines = Self.sale("VE1", "20240105", piece: "F1", letter: "A")
        lines += [
            // The debt turns doubtful: 411 → 416 (collective 416 account, no CompAuxNum).
            Self.line("OD", "OD5", "20240601", "41600000", label: "Créance douteuse C1", debit: "120", letter: "B"),
            Self.line("OD", "OD5", "20240601", "41100000", aux: "C1", auxName: "Client C1", label: "Créance douteuse C1", credit: "120", letter: "A"),
        ]
        lines += [
            Self.line("BQ", "BQ9", "20240901", "41600000", label: "Règlement C1", credit: "120", letter: "B"),
            Self.line("BQ", "BQ9", "20240901", "51200000", label: "Règlement C1", debit: "120"),
        ]
        let batch = try Self.read(Self.fec(lines))
        #expect(batch.documents.map(\.number) == ["F1"])
        #expect(batch.payments.map(\.paymentId) == ["BQ-BQ9-1"])
        #expect(batch.notes.contains { $0.hasPrefix("2 customer lines in transfers between receivable accounts") })
        // The payment on 416 pays the invoice the transfer carried there.
        #expect(batch.allocations == [StatedAllocation(credit: .payment(id: "BQ-BQ9-1"), invoiceNumber: "F1", amount: 12000,
                                                       currency: .eur, rule: .sourceLettering, evidence: batch.allocations.first?.evidence ?? "")])
    }

    // MARK: - Lettering

    @Test func letteringSpreadsCreditsOldestFirst() throws {
        var lines = Self.sale("VE1", "20240105", piece: "F1", ttc: "100", ht: "100", tva: "0", letter: "AB")
        lines += Self.sale("VE2", "20240210", piece: "F2", ttc: "50", ht: "50", tva: "0", letter: "AB")
        lines += Self.receipt("BQ2", "20240415", amount: "30", letter: "AB")   // listed first, paid later
        lines += Self.receipt("BQ1", "20240310", amount: "120", letter: "AB")
        let batch = try Self.read(Self.fec(lines))
        let stated = batch.allocations.map { a -> String in
            guard case let .payment(id) = a.credit else { return "?" }
            return "\(id)→\(a.invoiceNumber):\(a.amount)"
        }
        #expect(stated == ["BQ-BQ1-1→F1:10000", "BQ-BQ1-1→F2:2000", "BQ-BQ2-1→F2:3000"])
        #expect(batch.allocations.allSatisfy { $0.rule == .sourceLettering && $0.evidence.contains("'AB'") })
        #expect(batch.allocations.allSatisfy { !$0.evidence.contains("partial") })
    }

    @Test func partialLetteringAllocatesWhatIsStated() throws {
        var lines = Self.sale("VE1", "20240105", piece: "F1", ttc: "100", ht: "100", tva: "0", letter: "c")
        lines += Self.sale("VE2", "20240106", piece: "F2", ttc: "100", ht: "100", tva: "0", letter: "c")
        lines += Self.receipt("BQ1", "20240310", amount: "130", letter: "c")
        let batch = try Self.read(Self.fec(lines))
        #expect(batch.allocations.map(\.invoiceNumber) == ["F1", "F2"])
        #expect(batch.allocations.map(\.amount) == [10000, 3000])
        #expect(batch.allocations.allSatisfy { $0.evidence.contains("partial") && $0.evidence.contains("'c'") })
        #expect(batch.notes.contains { $0.hasPrefix("1 lettering group partial") })
    }

    @Test func creditNoteIsSpreadLikeAPayment() throws {
        var lines = Self.sale("VE1", "20240105", piece: "F1", letter: "A")
        lines += [
            Self.line("VE", "VE2", "20240110", "41100000", aux: "C1", auxName: "Client C1", piece: "AV1", credit: "120", letter: "A"),
            Self.line("VE", "VE2", "20240110", "70600000", piece: "AV1", debit: "100"),
            Self.line("VE", "VE2", "20240110", "44571000", piece: "AV1", debit: "20"),
        ]
        let batch = try Self.read(Self.fec(lines))
        #expect(batch.allocations.count == 1)
        #expect(batch.allocations.first?.credit == .creditNote(number: "AV1"))
        #expect(batch.allocations.first?.invoiceNumber == "F1")
        #expect(batch.allocations.first?.amount == 12000)
    }

    @Test func letteringCodesAreKeptPerCustomer() throws {
        var lines = Self.sale("VE1", "20240105", piece: "F1", customer: "C1", letter: "AA")
        lines += Self.sale("VE2", "20240105", piece: "F2", customer: "C2", letter: "AA")
        lines += Self.receipt("BQ1", "20240301", amount: "120", customer: "C2", letter: "AA")
        let batch = try Self.read(Self.fec(lines))
        #expect(batch.allocations.map(\.invoiceNumber) == ["F2"])
    }

    // MARK: - Configuration

    @Test func journalOverrideWins() throws {
        // A bank-like journal whose entries the company says are sales.
        let lines = [
            Self.line("CA", "CA1", "20240105", "41100000", aux: "C1", auxName: "Client C1", piece: "T1", debit: "30"),
            Self.line("CA", "CA1", "20240105", "53000000", piece: "T1", credit: "30"),
        ]
        let plain = try Self.read(Self.fec(lines))
        #expect(plain.documents.isEmpty && plain.payments.map(\.amount) == [-3000])
        let context = ReadContext(fileName: "t.fec", fec: FECOptions(journalOverrides: ["CA": "sales"]))
        let overridden = try Self.read(Self.fec(lines), context)
        #expect(overridden.documents.map(\.number) == ["T1"])
        #expect(overridden.payments.isEmpty)
    }

    @Test func receivablePrefixesComeFromTheContext() throws {
        let lines = [
            Self.line("VE", "VE1", "20240105", "45000000", aux: "G1", auxName: "Groupe", piece: "F1", debit: "100"),
            Self.line("VE", "VE1", "20240105", "70600000", piece: "F1", credit: "100"),
        ]
        #expect(try Self.read(Self.fec(lines)).documents.isEmpty)
        let context = ReadContext(fileName: "t.fec", fec: FECOptions(receivablePrefixes: ["411", "450"]))
        #expect(try Self.read(Self.fec(lines), context).documents.map(\.customerId) == ["G1"])
    }

    @Test func customerWithoutAuxiliaryIsTheAccount() throws {
        let lines = [
            Self.line("VE", "VE1", "20240105", "41100123", piece: "F1", debit: "100"),
            Self.line("VE", "VE1", "20240105", "70600000", piece: "F1", credit: "100"),
        ]
        let batch = try Self.read(Self.fec(lines))
        #expect(batch.customers == [Customer(id: "41100123", name: "Clients")])
    }
}
