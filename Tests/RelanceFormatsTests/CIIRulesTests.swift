import Foundation
import Testing
import RelanceCore
import RelanceFormats

/// CII specifics (dates in format 102, amounts without currencyID, tax in two currencies) and sniffing.
@Suite struct CIIRulesTests {
    static let company = UBLRulesTests.company

    static func cii(typeCode: String = "380", issue: String = "20250301", issueFormat: String = "102",
                    due: String? = "20250331", grand: String = "120.00", taxes: [(String, String?)] = [("20.00", "EUR")],
                    reference: String? = nil, paymentReference: String? = nil, sellerSIRET: String = "55210055400013") -> [UInt8] {
        var x = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- comment before the root -->
        <rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
          xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
          xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
        <rsm:ExchangedDocument><ram:ID>F-CII-1</ram:ID><ram:TypeCode>\(typeCode)</ram:TypeCode>
        <ram:IssueDateTime><udt:DateTimeString format="\(issueFormat)">\(issue)</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
        <rsm:SupplyChainTradeTransaction>
        <ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument></ram:IncludedSupplyChainTradeLineItem>
        <ram:ApplicableHeaderTradeAgreement>
        <ram:SellerTradeParty><ram:Name>Relance Démo</ram:Name><ram:GlobalID schemeID="0009">\(sellerSIRET)</ram:GlobalID></ram:SellerTradeParty>
        <ram:BuyerTradeParty><ram:ID>C-17</ram:ID><ram:Name>Client</ram:Name>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR 40 303 265 045</ram:ID></ram:SpecifiedTaxRegistration></ram:BuyerTradeParty>
        </ram:ApplicableHeaderTradeAgreement>
        <ram:ApplicableHeaderTradeSettlement>
        """
        if let paymentReference { x += "<ram:PaymentReference>\(paymentReference)</ram:PaymentReference>" }
        x += "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>"
        if let due { x += "<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format=\"102\">\(due)</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>" }
        x += "<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount>"
        for (amount, currency) in taxes {
            x += currency.map { "<ram:TaxTotalAmount currencyID=\"\($0)\">\(amount)</ram:TaxTotalAmount>" } ?? "<ram:TaxTotalAmount>\(amount)</ram:TaxTotalAmount>"
        }
        x += "<ram:GrandTotalAmount>\(grand)</ram:GrandTotalAmount><ram:DuePayableAmount>\(grand)</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        if let reference { x += "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>\(reference)</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>" }
        x += "</ram:ApplicableHeaderTradeSettlement></rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>"
        return Array(x.utf8)
    }

    func read(_ bytes: [UInt8]) throws -> IngestBatch {
        try EInvoiceReader().read(bytes, context: ReadContext(fileName: "c.xml", company: Self.company))
    }

    @Test func readsDatesAmountsAndTheBuyer() throws {
        let batch = try read(Self.cii(paymentReference: "RF18 5390 0754 7034"))
        #expect(batch.format == "CII")
        let doc = try #require(batch.documents.first)
        #expect(doc.issueDate == Day(year: 2025, month: 3, day: 1) && doc.dueDate == Day(year: 2025, month: 3, day: 31))
        #expect(doc.amount == 12000 && doc.tax == 2000 && doc.amountExclTax == 10000)
        #expect(doc.paymentReference == "RF18539007547034")
        // No SIREN for the buyer, but a French VAT number carries one.
        #expect(doc.customerId == "303265045")
        #expect(batch.customers.first?.vatNumber == "FR40303265045")
    }

    @Test func taxIsTakenInTheDocumentCurrency() throws {
        let batch = try read(Self.cii(taxes: [("21.50", "USD"), ("20.00", "EUR")]))
        #expect(batch.documents.first?.tax == 2000)
        let noCurrency = try read(Self.cii(taxes: [("20.00", nil)]))
        #expect(noCurrency.documents.first?.tax == 2000)
    }

    @Test func negativeGrandTotalIsACreditNoteOfTheReferencedInvoice() throws {
        let batch = try read(Self.cii(grand: "-120.00", taxes: [("-20.00", "EUR")], reference: "F-CII-0"))
        let doc = try #require(batch.documents.first)
        #expect(doc.kind == .creditNote && doc.amount == 12000 && doc.tax == 2000 && doc.originalInvoice == "F-CII-0")
    }

    @Test func invoiceReferenceOnAPlainInvoiceIsNotAnOriginal() throws {
        let batch = try read(Self.cii(reference: "F-CII-0"))
        #expect(batch.documents.first?.originalInvoice == nil)
    }

    @Test func datesOtherThanFormat102AreRefused() throws {
        let e = try #require(throws: InputRejection.self) { try read(Self.cii(issue: "202503", issueFormat: "610")) }
        #expect(e.issues.first?.reason.contains("format '610'") == true)
        #expect(e.issues.first?.location == "/CrossIndustryInvoice/ExchangedDocument/IssueDateTime/DateTimeString")
        let bad = try #require(throws: InputRejection.self) { try read(Self.cii(due: "2025-03-31")) }
        #expect(bad.issues.first?.reason.contains("due date '2025-03-31' is not a valid yyyymmdd date") == true)
    }

    @Test func severalDueDatesKeepTheEarliestWithANote() throws {
        var x = String(decoding: Self.cii(), as: UTF8.self)
        let extra = "<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format=\"102\">20250315</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>"
        x = x.replacingOccurrences(of: "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>", with: extra + "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>")
        let batch = try read(Array(x.utf8))
        #expect(batch.documents.first?.dueDate == Day(year: 2025, month: 3, day: 15))
        #expect(batch.notes.contains { $0.contains("several due dates") })
    }

    @Test func sellerMatchedThroughItsSIRET() throws {
        let other = try #require(throws: InputRejection.self) { try read(Self.cii(sellerSIRET: "40305211100010")) }
        #expect(other.issues.first?.reason.hasPrefix("seller Relance Démo (SIREN 403052111, SIRET 40305211100010) is not the company") == true)
    }

    static let ublHead = "<?xml version=\"1.0\"?>\n<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" xmlns:cbc=\"x\">"

    @Test(arguments: [
        (ublHead, true),
        ("\u{FEFF}<?xml version='1.0'?><ubl:CreditNote xmlns:ubl='urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2'>", true),
        ("<!-- x --><rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\">", true),
        ("<rsm:CrossIndustryDocument xmlns:rsm=\"urn:ferd:CrossIndustryDocument:invoice:1p0\">", true),
        // Right name, wrong namespace; unbound prefix; a camt statement; truncated start tag; not XML.
        ("<Invoice xmlns=\"urn:example:invoice\">", false),
        ("<rsm:CrossIndustryInvoice xmlns:x=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\">", false),
        ("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">", false),
        ("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", false),
        ("invoice_number,file\n", false),
        ("%PDF-1.7", false),
    ])
    func sniffsTheRootElementAndItsNamespace(_ head: String, _ expected: Bool) {
        #expect(EInvoiceReader.looksLikeEInvoice(Array(head.utf8)) == expected)
    }
}
