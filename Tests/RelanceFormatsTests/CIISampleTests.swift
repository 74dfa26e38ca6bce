import Testing
import RelanceCore
import RelanceFormats
import RelanceTestSupport

/// Every CII file of the shared samples (Factur-X, EN 16931, ZUGFeRD 1.0) with the facts read
/// from it by hand; `EInvoiceSampleTests` reads each one as a sale of its own seller.
@Suite struct CIISampleTests {
    static let leFournisseur = CompanyIdentity(name: "LE FOURNISSEUR", siren: "123456782", vatNumber: "FR11123456782")

    static let samples: [ExpectedInvoice] = [
        ExpectedInvoice(
            file: "ubl_cii/akretion-facturx_factur-x-en16931.xml", seller: leFournisseur,
            format: "CII", number: "F20260023", kind: .invoice, issue: "2026-01-31", due: "2026-03-02", currency: "EUR",
            excl: 10000, tax: 490, amount: 10490, prepaid: 0, payable: 10490,
            buyerId: "987654321", buyerName: "LE CLIENT", buyerSIREN: "987654321", buyerVAT: "FR05987654321",
            original: nil, paymentReference: "F20260023BUYER"),
        ExpectedInvoice(
            file: "ubl_cii/akretion-facturx_factur-x-minimum.xml", seller: leFournisseur,
            format: "CII", number: "F20260023", kind: .invoice, issue: "2026-01-31", due: nil, currency: "EUR",
            excl: 10000, tax: 490, amount: 10490, prepaid: 0, payable: 10490,
            buyerId: "987654321", buyerName: "LE CLIENT", buyerSIREN: "987654321", buyerVAT: nil,
            original: nil, paymentReference: nil, notes: ["no due date and no payment terms"]),
        ExpectedInvoice(
            file: "ubl_cii/akretion-facturx_zugferd-comfort.xml",
            seller: CompanyIdentity(name: "Lieferant GmbH", vatNumber: "DE123456789"),
            format: "CII (ZUGFeRD 1.0)", number: "471102", kind: .invoice, issue: "2013-03-05", due: "2013-04-04", currency: "EUR",
            excl: 47300, tax: 5687, amount: 52987, prepaid: 0, payable: 52987,
            buyerId: "GE2020211", buyerName: "Kunden AG Mitte", buyerSIREN: nil, buyerVAT: nil,
            original: nil, paymentReference: "2013-471102"),
        ExpectedInvoice(
            file: "ubl_cii/cef_CII_example1.xml",
            seller: CompanyIdentity(name: "De Koksmaat", vatNumber: "NL8200.98.395.B.01"),
            format: "CII", number: "12115118", kind: .invoice, issue: "2015-01-09", due: "2015-01-09", currency: "EUR",
            excl: 22960, tax: 2073, amount: 25033, prepaid: 0, payable: 25033,
            buyerId: "10202", buyerName: "ODIN 59", buyerSIREN: nil, buyerVAT: nil,
            original: nil, paymentReference: "Deb. 10202 / Fact. 12115118"),
    ]

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func everyCIISampleIsInTheTable() {
        let cii = EInvoiceSampleTests.sampleFiles(headContaining: ["CrossIndustryInvoice", "CrossIndustryDocument"])
        #expect(Set(cii) == Set(Self.samples.map(\.file)))
    }

    /// Seller matched by SIREN only, by VAT only, by name only, and by the SIREN inside a SIRET.
    @Test(.enabled(if: Samples.available, Samples.skipMessage), arguments: [
        CompanyIdentity(name: "x", siren: "123456782"),
        CompanyIdentity(name: "x", siren: "12345678200077"),
        CompanyIdentity(name: "x", vatNumber: "FR 11 123 456 782"),
        CompanyIdentity(name: "Le Fournisseur SARL"),
    ])
    func sellerMatchesByEachIdentifier(_ company: CompanyIdentity) throws {
        let bytes = try Samples.bytes("ubl_cii/akretion-facturx_factur-x-en16931.xml")
        let batch = try EInvoiceReader().read(bytes, context: ReadContext(fileName: "f.xml", company: company))
        #expect(batch.documents.map(\.number) == ["F20260023"])
    }

    /// Same name, another SIREN: a different company, whatever the name says.
    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func sirenMismatchBeatsSameName() throws {
        let bytes = try Samples.bytes("ubl_cii/akretion-facturx_factur-x-en16931.xml")
        #expect(throws: InputRejection.self) {
            _ = try EInvoiceReader().read(bytes, context: ReadContext(fileName: "f.xml", company: CompanyIdentity(name: "LE FOURNISSEUR", siren: "552100554")))
        }
    }
}
