import Testing
import RelanceCore
import RelanceFormats

/// The reading rules on small hand-written invoices: one property each.
@Suite struct UBLRulesTests {
    static let company = CompanyIdentity(name: "Relance Démo SAS", siren: "552100554", vatNumber: "FR66552100554")

    /// A UBL invoice sold by `company` unless `sellerSIREN` says otherwise.
    static func ubl(root: String = "Invoice", typeCode: String? = "380", number: String = "F2025-001",
                    issue: String = "2025-03-01", due: String? = "2025-03-31", currency: String = "EUR",
                    sellerName: String = "Relance Démo", sellerSIREN: String = "552100554",
                    buyer: String = """
                    <cac:PartyLegalEntity><cbc:RegistrationName>Client Exemple SARL</cbc:RegistrationName>
                    <cbc:CompanyID schemeID="0002">732829320</cbc:CompanyID></cac:PartyLegalEntity>
                    """,
                    excl: String = "100.00", tax: String = "20.00", incl: String = "120.00", prepaid: String? = nil,
                    payable: String = "120.00", amountCurrency: String = "EUR",
                    paymentID: String? = nil, terms: String? = nil, billingReference: String? = nil) -> [UInt8] {
        let ns = root == "Invoice" ? "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" : "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
        var x = """
        <?xml version="1.0" encoding="UTF-8"?>
        <\(root) xmlns="\(ns)" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
        <cbc:ID>\(number)</cbc:ID><cbc:IssueDate>\(issue)</cbc:IssueDate>
        """
        if let due { x += "<cbc:DueDate>\(due)</cbc:DueDate>" }
        if let typeCode { x += "<cbc:\(root)TypeCode>\(typeCode)</cbc:\(root)TypeCode>" }
        x += "<cbc:DocumentCurrencyCode>\(currency)</cbc:DocumentCurrencyCode>"
        if let billingReference { x += "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>\(billingReference)</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>" }
        x += """
        <cac:AccountingSupplierParty><cac:Party><cac:PartyLegalEntity><cbc:RegistrationName>\(sellerName)</cbc:RegistrationName>
        <cbc:CompanyID schemeID="0002">\(sellerSIREN)</cbc:CompanyID></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
        <cac:AccountingCustomerParty><cac:Party>\(buyer)</cac:Party></cac:AccountingCustomerParty>
        """
        if let paymentID { x += "<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentID>\(paymentID)</cbc:PaymentID></cac:PaymentMeans>" }
        if let terms { x += "<cac:PaymentTerms><cbc:Note>\(terms)</cbc:Note></cac:PaymentTerms>" }
        x += "<cac:TaxTotal><cbc:TaxAmount currencyID=\"\(amountCurrency)\">\(tax)</cbc:TaxAmount></cac:TaxTotal><cac:LegalMonetaryTotal>"
        x += "<cbc:TaxExclusiveAmount currencyID=\"\(amountCurrency)\">\(excl)</cbc:TaxExclusiveAmount>"
        x += "<cbc:TaxInclusiveAmount currencyID=\"\(amountCurrency)\">\(incl)</cbc:TaxInclusiveAmount>"
        if let prepaid { x += "<cbc:PrepaidAmount currencyID=\"\(amountCurrency)\">\(prepaid)</cbc:PrepaidAmount>" }
        x += "<cbc:PayableAmount currencyID=\"\(amountCurrency)\">\(payable)</cbc:PayableAmount></cac:LegalMonetaryTotal>"
        x += "<cac:InvoiceLine><cbc:ID>1</cbc:ID></cac:InvoiceLine></\(root)>"
        return Array(x.utf8)
    }

    func read(_ bytes: [UInt8], company: CompanyIdentity? = company) throws -> IngestBatch {
        try EInvoiceReader().read(bytes, context: ReadContext(fileName: "in.xml", company: company))
    }

    func rejection(_ bytes: [UInt8], company: CompanyIdentity? = company) -> InputIssue? {
        do {
            _ = try read(bytes, company: company)
            return nil
        } catch {
            return (error as? InputRejection)?.issues.first
        }
    }

    @Test func plainInvoiceIsOneCustomerAndOneDocument() throws {
        let batch = try read(Self.ubl())
        #expect(batch.format == "UBL 2.1")
        let doc = try #require(batch.documents.first)
        #expect(doc.number == "F2025-001" && doc.kind == .invoice && doc.amount == 12000 && doc.amountExclTax == 10000 && doc.tax == 2000)
        #expect(doc.issueDate == Day(year: 2025, month: 3, day: 1) && doc.dueDate == Day(year: 2025, month: 3, day: 31))
        #expect(doc.customerId == "732829320")
        #expect(batch.customers.first?.kind == .business && batch.customers.first?.name == "Client Exemple SARL")
        #expect(batch.allocations.isEmpty && batch.notes.isEmpty)
    }

    @Test func noCompanyConfiguredIsRefused() {
        let issue = rejection(Self.ubl(), company: nil)
        #expect(issue?.reason == "company identity not configured (company: in relance.yaml): cannot tell sales from purchases")
    }

    @Test func sellerNotTheCompanyIsAPurchase() throws {
        let issue = try #require(rejection(Self.ubl(sellerName: "Fournisseur SA", sellerSIREN: "403052111")))
        #expect(issue.reason.hasPrefix("seller Fournisseur SA (SIREN 403052111) is not the company: this is a purchase invoice"))
        #expect(issue.location == "/Invoice/AccountingSupplierParty/Party")
        #expect(issue.file == "in.xml")
    }

    @Test func negativeTotal380IsACreditNoteWithPositiveAmounts() throws {
        let batch = try read(Self.ubl(number: "AV-7", excl: "-100.00", tax: "-20.00", incl: "-120.00", payable: "-120.00", billingReference: "F2025-001"))
        let doc = try #require(batch.documents.first)
        #expect(doc.kind == .creditNote && doc.amount == 12000 && doc.amountExclTax == 10000 && doc.tax == 2000)
        #expect(doc.originalInvoice == "F2025-001")
        #expect(batch.notes.contains { $0.contains("AV-7: type 380 with negative totals, read as a credit note") })
    }

    @Test func creditNoteRootAndTypeCodes() throws {
        let cn = try read(Self.ubl(root: "CreditNote", typeCode: nil, due: nil, billingReference: "F1"))
        #expect(cn.documents.first?.kind == .creditNote && cn.documents.first?.originalInvoice == "F1")
        #expect(cn.notes.isEmpty, "a credit note needs no due date")
        let code381 = try read(Self.ubl(typeCode: "381"))
        #expect(code381.documents.first?.kind == .creditNote)
        let corrective = try read(Self.ubl(typeCode: "384", billingReference: "F0"))
        #expect(corrective.documents.first?.kind == .invoice && corrective.documents.first?.originalInvoice == "F0")
        #expect(corrective.notes.contains { $0.contains("corrective invoice (384") })
    }

    @Test func prepaymentInvoiceIsAReceivableWithANote() throws {
        let batch = try read(Self.ubl(typeCode: "386"))
        #expect(batch.documents.first?.kind == .invoice && batch.documents.first?.amount == 12000)
        #expect(batch.notes.contains { $0.contains("prepayment invoice (386") })
    }

    @Test func prepaidAmountBecomesAStatedAllocation() throws {
        let batch = try read(Self.ubl(prepaid: "50.00", payable: "70.00"))
        #expect(batch.documents.first?.amount == 12000)
        #expect(batch.allocations == [StatedAllocation(credit: .prepaid, invoiceNumber: "F2025-001", amount: 5000, currency: .eur,
                                                       rule: .prepayment, evidence: "PrepaidAmount 50.00 EUR stated on invoice F2025-001")])
        #expect(batch.notes.isEmpty)
    }

    @Test func prepaidAboveTheTotalIsRefused() {
        #expect(rejection(Self.ubl(prepaid: "150.00", payable: "-30.00"))?.reason.contains("exceeds the total") == true)
    }

    @Test func missingDueDateIsNilWithANote() throws {
        let withTerms = try read(Self.ubl(due: nil, terms: "30 jours fin de mois"))
        #expect(withTerms.documents.first?.dueDate == nil)
        #expect(withTerms.notes == ["F2025-001: no due date stated, only payment terms \"30 jours fin de mois\"; the due date will be derived from the customer's terms"])
        let bare = try read(Self.ubl(due: nil))
        #expect(bare.documents.first?.dueDate == nil)
        #expect(bare.notes == ["F2025-001: no due date and no payment terms stated; the due date will be derived from the customer's terms"])
    }

    @Test(arguments: [
        ("RF18 5390 0754 7034", "RF18539007547034"),  // valid ISO 11649: compacted
        ("rf18539007547034", "RF18539007547034"),
        ("RF19 5390 0754 7034", "RF19 5390 0754 7034"),  // bad check digits: kept as written
        ("Facture F2025-001", "Facture F2025-001"),
    ])
    func paymentReferenceIsKept(_ given: String, _ kept: String) throws {
        let batch = try read(Self.ubl(paymentID: given))
        #expect(batch.documents.first?.paymentReference == kept)
    }

    @Test(arguments: [
        ("1,234.56", "not a decimal amount"),
        ("12.345", "more than 2 decimal places"),
        ("1e3", "not a decimal amount"),
        ("", "not a decimal amount"),
    ])
    func malformedAmountsAreRefusedWithTheirElement(_ text: String, _ reason: String) throws {
        let issue = try #require(rejection(Self.ubl(incl: text)))
        #expect(issue.reason.contains(reason))
        #expect(issue.location == "/Invoice/LegalMonetaryTotal/TaxInclusiveAmount")
        #expect(issue.line != nil)
    }

    @Test func amountInAnotherCurrencyIsRefused() {
        #expect(rejection(Self.ubl(amountCurrency: "USD"))?.reason.contains("amount in 'USD' while the document currency is EUR") == true)
    }

    @Test func currencyMinorUnitsAreRespected() throws {
        let yen = try read(Self.ubl(currency: "JPY", excl: "1000", tax: "100", incl: "1100", payable: "1100", amountCurrency: "JPY"))
        #expect(yen.documents.first?.amount == 1100 && yen.documents.first?.currency == Currency("JPY"))
    }

    @Test(arguments: ["2025-02-30", "01/03/2025", "20250301", "2025-3-1"])
    func badDatesAreRefused(_ date: String) {
        #expect(rejection(Self.ubl(issue: date))?.reason.contains("is not a valid yyyy-mm-dd date") == true)
    }

    @Test func typeCodesThatAreNotClaimsAreRefused() {
        #expect(rejection(Self.ubl(typeCode: "325"))?.reason.contains("pro-forma") == true)
        #expect(rejection(Self.ubl(typeCode: "999"))?.reason.contains("neither an invoice nor a credit note") == true)
    }

    @Test func zeroTotalRecordsNoDocument() throws {
        let batch = try read(Self.ubl(excl: "0.00", tax: "0.00", incl: "0.00", payable: "0.00"))
        #expect(batch.documents.isEmpty)
        #expect(batch.notes.contains { $0.contains("total is zero") })
    }

    @Test func buyerIdentifierPrecedence() throws {
        let vatOnly = try read(Self.ubl(buyer: """
            <cac:PartyIdentification><cbc:ID>C042</cbc:ID></cac:PartyIdentification>
            <cac:PartyTaxScheme><cbc:CompanyID>BE 0123.456.789</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
            <cac:PartyLegalEntity><cbc:RegistrationName>Klant BV</cbc:RegistrationName></cac:PartyLegalEntity>
            """))
        #expect(vatOnly.customers.first?.id == "BE0123456789")
        let ownOnly = try read(Self.ubl(buyer: """
            <cac:PartyIdentification><cbc:ID>C042</cbc:ID></cac:PartyIdentification>
            <cac:PartyName><cbc:Name>Boutique Martin</cbc:Name></cac:PartyName>
            """))
        #expect(ownOnly.customers.first?.id == "C042" && ownOnly.customers.first?.name == "Boutique Martin")
        let siretOnly = try read(Self.ubl(buyer: """
            <cac:PartyIdentification><cbc:ID schemeID="0009">73282932000074</cbc:ID></cac:PartyIdentification>
            <cac:PartyName><cbc:Name>Client</cbc:Name></cac:PartyName>
            """))
        #expect(siretOnly.customers.first?.id == "732829320" && siretOnly.customers.first?.siren == "732829320")
    }

    @Test func privatePersonWithoutLegalIdIsAConsumer() throws {
        let person = try read(Self.ubl(buyer: "<cac:PartyName><cbc:Name>Mme Jeanne Martin</cbc:Name></cac:PartyName>"))
        #expect(person.customers.first?.kind == .consumer && person.customers.first?.id == "Mme Jeanne Martin")
        let soleTrader = try read(Self.ubl(buyer: """
            <cac:PartyLegalEntity><cbc:RegistrationName>M. Jean Dupont</cbc:RegistrationName><cbc:CompanyID schemeID="0002">732829320</cbc:CompanyID></cac:PartyLegalEntity>
            """))
        #expect(soleTrader.customers.first?.kind == .business)
    }

    @Test func otherRootsAndDoctypesAreRefused() {
        let order = Array("<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"><ID>1</ID></Order>".utf8)
        #expect(rejection(order)?.reason.contains("not an e-invoice") == true)
        var withDoctype = Array("<?xml version=\"1.0\"?>\n<!DOCTYPE Invoice [<!ENTITY x \"y\">]>\n".utf8)
        withDoctype += Self.ubl().drop(while: { $0 != 0x0A }).dropFirst()
        #expect(rejection(withDoctype)?.reason.contains("document type declarations are refused") == true)
        #expect(rejection(Array("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"><ID>1</ID>".utf8))?.reason.contains("malformed") == true)
    }
}
