import Foundation
import Testing
import RelanceCommands
import RelanceCore
import RelanceStore

/// One customer, one invoice and one transfer, each told by several real readers (customers
/// CSV, UBL invoice, FEC, camt.053) through the inbox: the store ends with one of each.
@Suite("ManySources")
struct ManySourcesTests {
    static let config = """
        company:
          name: Relance Démo SAS
          siren: "552100554"
          vat_number: FR66552100554
        payment_terms_days: 30
        """

    static let customers = """
        customer_id,name,siren,email
        C001,Dupont SARL,123456789,compta@dupont.example

        """

    /// The invoice as the e-invoicing platform sends it: the buyer is known by its SIRET.
    static let ubl = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
        <cbc:ID>FA-2025-001</cbc:ID><cbc:IssueDate>2025-03-01</cbc:IssueDate><cbc:DueDate>2025-03-31</cbc:DueDate>
        <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
        <cac:AccountingSupplierParty><cac:Party><cac:PartyLegalEntity><cbc:RegistrationName>Relance Démo</cbc:RegistrationName>
        <cbc:CompanyID schemeID="0002">552100554</cbc:CompanyID></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
        <cac:AccountingCustomerParty><cac:Party><cac:PartyLegalEntity><cbc:RegistrationName>DUPONT</cbc:RegistrationName>
        <cbc:CompanyID schemeID="0009">12345678900027</cbc:CompanyID></cac:PartyLegalEntity></cac:Party></cac:AccountingCustomerParty>
        <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">200.00</cbc:TaxAmount></cac:TaxTotal><cac:LegalMonetaryTotal>
        <cbc:TaxExclusiveAmount currencyID="EUR">1000.00</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID="EUR">1200.00</cbc:TaxInclusiveAmount>
        <cbc:PayableAmount currencyID="EUR">1200.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
        <cac:InvoiceLine><cbc:ID>1</cbc:ID></cac:InvoiceLine></Invoice>
        """

    /// The bank's statement: 1 200 € from "DUPONT S.A.R.L." on 4 April.
    static let camt = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
        <GrpHdr><MsgId>M1</MsgId><CreDtTm>2025-04-05T10:00:00</CreDtTm></GrpHdr>
        <Stmt><Id>S1</Id><Acct><Id><IBAN>FR7630004000031234567890143</IBAN></Id><Ccy>EUR</Ccy></Acct>
        <Ntry><Amt Ccy="EUR">1200.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2025-04-04</Dt></BookgDt><ValDt><Dt>2025-04-04</Dt></ValDt><AcctSvcrRef>BANKREF-1</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs>
        <RltdPties><Dbtr><Nm>DUPONT S.A.R.L.</Nm></Dbtr><DbtrAcct><Id><IBAN>FR7612345000010000000000185</IBAN></Id></DbtrAcct></RltdPties>
        <RmtInf><Ustrd>REGLEMENT FACTURE MARS</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
        </Stmt></BkToCstmrStmt></Document>
        """

    /// The accountant's FEC: the same sale under auxiliary account 411DUPONT, the receipt
    /// booked on 3 April, both lettered AA.
    static var fec: String {
        let header = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise"
        func line(_ j: String, _ n: String, _ d: String, _ account: String, _ aux: String, _ auxName: String, _ piece: String,
                  _ label: String, _ debit: String, _ credit: String, _ letter: String) -> String {
            [j, j == "VE" ? "VENTES" : "BANQUE", n, d, account, "Compte \(account)", aux, auxName, piece, d, label, debit, credit,
             letter, letter.isEmpty ? "" : "20250405", d, "", ""].joined(separator: "\t")
        }
        return ([header,
                 line("VE", "1", "20250301", "41100000", "411DUPONT", "DUPONT", "FA-2025-001", "Facture FA-2025-001", "1200,00", "0", "AA"),
                 line("VE", "1", "20250301", "70600000", "", "", "FA-2025-001", "Facture FA-2025-001", "0", "1000,00", ""),
                 line("VE", "1", "20250301", "44571000", "", "", "FA-2025-001", "Facture FA-2025-001", "0", "200,00", ""),
                 line("BQ", "7", "20250403", "41100000", "411DUPONT", "DUPONT", "VIR", "VIR DUPONT", "0", "1200,00", "AA"),
                 line("BQ", "7", "20250403", "51200000", "", "", "VIR", "VIR DUPONT", "1200,00", "0", ""),
                ]).joined(separator: "\n") + "\n"
    }

    /// Drops the four files in `order` (named so the inbox takes them in that order), one run each.
    static func ingest(_ order: [String]) throws -> (TestHome, Store) {
        let home = try TestHome()
        try home.writeConfig(config)
        let files = ["customers": ("customers.csv", customers), "ubl": ("facture.xml", ubl), "camt": ("releve.xml", camt),
                     "fec": ("fec.txt", fec)]
        for (k, name) in order.enumerated() {
            let (file, text) = try #require(files[name])
            try home.drop("\(k)-\(file)", text)
            let (status, summary) = try home.run(asOf: "2025-04-30")
            #expect(status == .ok, "\(name): \(summary.ingest?.files.map(\.issues) ?? [])")
        }
        return (home, try home.store())
    }

    /// Whatever the order, one invoice (no double receivable), one payment, settled. The
    /// customers file's C001 holds it when the e-invoice (buyer SIRET → SIREN 123456789) comes
    /// before the FEC: the FEC's 411DUPONT then joins C001 through the shared invoice number.
    /// When the FEC comes first nothing ties 411DUPONT to C001 yet (no SIREN in an FEC, names
    /// are not matched), so it stays a customer of its own, and the e-invoice joins it. An
    /// e-invoice before the customers file creates its buyer under its SIREN; C001 then joins it.
    @Test(arguments: [
        (["customers", "ubl", "camt", "fec"], "C001", 1),
        (["customers", "ubl", "fec", "camt"], "C001", 1),
        (["ubl", "customers", "fec", "camt"], "123456789", 1),
        (["customers", "fec", "ubl", "camt"], "411DUPONT", 2),
        (["customers", "camt", "fec", "ubl"], "411DUPONT", 2),
    ])
    func oneInvoiceOnePaymentWhateverTheOrder(_ order: [String], _ owner: String, _ customers: Int) throws {
        let (home, store) = try Self.ingest(order)
        #expect(home.files(in: "inbox/rejected").isEmpty)
        let counts = try store.counts()
        #expect(counts.customers == customers && counts.documents == 1 && counts.payments == 1, "\(counts)")
        #expect(counts.allocations == 1)
        // The receivable is settled: 1 200 € invoiced, 1 200 € received, nothing outstanding.
        let rows = try store.agedBalance(asOf: Day.parse("2025-04-30")!)
        #expect(rows.allSatisfy { $0.customerId == owner && $0.total == 0 && $0.unappliedCredit == 0 }, "\(rows)")
        // Every other source's id for the invoice's customer is an alias of the owner.
        let links = try store.events(kind: "customer.linked")
        #expect(Set(links.compactMap(\.subjectId)) == [owner])
        #expect(links.count == (owner == "411DUPONT" ? 1 : 2))
        // The bank's and the books' copies of the transfer are one payment, with the bank's payer.
        #expect(try store.events(kind: "payment.linked").count == 1)
    }
}
