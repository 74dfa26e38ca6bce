import Testing
import RelanceCore
import RelanceFormats
import RelanceTestSupport

/// Every UBL file of the shared samples with the facts read from it by hand; `EInvoiceSampleTests`
/// reads each one as a sale of its own seller.
@Suite struct UBLSampleTests {
    static let samples: [ExpectedInvoice] = [
        ExpectedInvoice(
            file: "ubl_cii/akretion-facturx_ubl-21-extended-ctc-fr.xml",
            seller: CompanyIdentity(name: "Au bon moulin", siren: "999999998"),
            format: "UBL 2.1", number: "F124212", kind: .invoice, issue: "2026-06-17", due: "2026-07-16", currency: "EUR",
            excl: 27300, tax: 3503, amount: 30803, prepaid: 10000, payable: 20803,
            buyerId: "787878784", buyerName: "Ma jolie boutique SARL", buyerSIREN: "787878784", buyerVAT: "FR19787878784",
            original: nil, paymentReference: "2026-06-17 00:00:00"),
        ExpectedInvoice(
            file: "ubl_cii/cef_ubl-tc434-creditnote1.xml",
            seller: CompanyIdentity(name: "My Supplier Company", vatNumber: "BE0000000196"),
            format: "UBL 2.1", number: "018304 / 28865", kind: .creditNote, issue: "2019-09-23", due: nil, currency: "EUR",
            excl: 10011, tax: 0, amount: 10011, prepaid: 0, payable: 10011,
            buyerId: "BE0000000295", buyerName: "My Customer Company", buyerSIREN: nil, buyerVAT: "BE0000000295",
            original: nil, paymentReference: "010676609538"),
        ExpectedInvoice(
            file: "ubl_cii/cef_ubl-tc434-example1.xml",
            seller: CompanyIdentity(name: "De Koksmaat", vatNumber: "NL8200.98.395.B.01"),
            format: "UBL 2.1", number: "12115118", kind: .invoice, issue: "2015-01-09", due: "2015-01-09", currency: "EUR",
            excl: 22960, tax: 2073, amount: 25033, prepaid: 0, payable: 25033,
            buyerId: "10202", buyerName: "ODIN 59", buyerSIREN: nil, buyerVAT: nil,
            original: nil, paymentReference: "Deb. 10202 / Fact. 12115118"),
        ExpectedInvoice(
            file: "ubl_cii/cef_ubl-tc434-example5.xml",
            seller: CompanyIdentity(name: "SellerCompany", vatNumber: "NL16356706"),
            format: "UBL 2.1", number: "TOSL110", kind: .invoice, issue: "2013-04-10", due: "2013-05-10", currency: "DKK",
            excl: 400000, tax: 67500, amount: 467500, prepaid: 233750, payable: 233750,
            buyerId: "DK16356607", buyerName: "Buyercompany ltd", buyerSIREN: nil, buyerVAT: "DK16356607",
            original: nil, paymentReference: "Payref1", notes: ["tax currency"]),
        ExpectedInvoice(
            file: "ubl_cii/mustang_UBL-CreditNote-2.1-Example.ubl.xml",
            seller: CompanyIdentity(name: "The Sellercompany Incorporated", vatNumber: "DK12345"),
            format: "UBL 2.1", number: "TOSL108", kind: .creditNote, issue: "2009-12-15", due: nil, currency: "EUR",
            // Credit note: total 1729.00 of which 1000.00 already settled; credit left 729.00 (= PayableAmount).
            excl: 143650, tax: 29220, amount: 72900, prepaid: 0, payable: 72900,
            buyerId: "BE54321", buyerName: "The buyercompany inc.", buyerSIREN: nil, buyerVAT: "BE54321",
            original: nil, paymentReference: nil, notes: ["already settled"]),
        ExpectedInvoice(
            file: "ubl_cii/mustang_XRECHNUNG_teilrechnung.ubl.xml",
            seller: CompanyIdentity(name: "Lieferant GmbH", vatNumber: "DE123456789"),
            format: "UBL 2.1", number: "471102", kind: .invoice, issue: "2024-11-15", due: nil, currency: "EUR",
            excl: 47300, tax: 5687, amount: 52987, prepaid: 50000, payable: 2987,
            buyerId: "GE2020211", buyerName: "Kunden AG Mitte", buyerSIREN: nil, buyerVAT: nil,
            original: nil, paymentReference: nil, notes: ["no due date stated", "Zahlbar innerhalb 30 Tagen"]),
        ExpectedInvoice(
            file: "ubl_cii/peppol_base-creditnote-correction.xml",
            seller: CompanyIdentity(name: "SupplierOfficialName Ltd", vatNumber: "GB1232434"),
            format: "UBL 2.1", number: "Snippet1", kind: .creditNote, issue: "2017-11-13", due: nil, currency: "EUR",
            excl: 132500, tax: 33125, amount: 165625, prepaid: 0, payable: 165625,
            buyerId: "SE4598375937", buyerName: "Buyer Official Name", buyerSIREN: nil, buyerVAT: "SE4598375937",
            original: "Snippet1", paymentReference: "Snippet1"),
    ]

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func everyUBLSampleIsInTheTable() {
        let ubl = EInvoiceSampleTests.sampleFiles(headContaining: ["urn:oasis:names:specification:ubl:schema:xsd:"])
        #expect(Set(ubl) == Set(Self.samples.map(\.file)))
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func prepaidAllocationNamesThePrepaymentInvoice() throws {
        let e = Self.samples[0]
        let batch = try EInvoiceReader().read(try Samples.bytes(e.file), context: ReadContext(fileName: "f.xml", company: e.seller))
        let a = try #require(batch.allocations.first)
        #expect(a.evidence.contains("F124211") && a.evidence.contains("prepayment invoice"))
    }

    /// The CEF example is the same business invoice in UBL and in CII: both must give the same records.
    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func sameInvoiceInUBLAndCIIGivesTheSameRecords() throws {
        let company = CompanyIdentity(name: "De Koksmaat", vatNumber: "NL820098395B01")
        let ubl = try EInvoiceReader().read(try Samples.bytes("ubl_cii/cef_ubl-tc434-example1.xml"), context: ReadContext(fileName: "u.xml", company: company))
        let cii = try EInvoiceReader().read(try Samples.bytes("ubl_cii/cef_CII_example1.xml"), context: ReadContext(fileName: "c.xml", company: company))
        var u = try #require(ubl.documents.first), c = try #require(cii.documents.first)
        u.sourceLocation = nil; c.sourceLocation = nil
        #expect(u == c)
        #expect(ubl.customers == cii.customers)
        #expect(ubl.format == "UBL 2.1" && cii.format == "CII")
    }
}

/// Damaged copies of every sample (cut short, one byte changed) are read or refused, never a crash.
@Suite struct UBLDamagedSampleTests {

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func damagedSamplesAreReadOrRefused() throws {
        var refused = 0, read = 0
        var rng = SplitMix(seed: 42)
        for file in Samples.files(in: "ubl_cii") {
            let bytes = try Samples.bytes(file)
            // As the sample's own seller, so that copies still valid are really read through.
            let company = try #require(EInvoiceSampleTests.samples.first { $0.file == file }?.seller)
            var variants: [[UInt8]] = []
            for k in 1...20 { variants.append(Array(bytes.prefix(bytes.count * k / 21))) }
            for _ in 0..<40 {
                var v = bytes
                let i = Int(rng.next() % UInt64(v.count))
                v[i] = UInt8(truncatingIfNeeded: rng.next())
                variants.append(v)
            }
            for v in variants {
                do {
                    _ = try EInvoiceReader().read(v, context: ReadContext(fileName: file, company: company))
                    read += 1
                } catch {
                    refused += 1
                    #expect(!error.issues.isEmpty)
                }
            }
        }
        // Cut-short copies are malformed XML; some one-byte changes (in comments, texts) leave a readable invoice.
        #expect(read + refused == Samples.files(in: "ubl_cii").count * 60)
        #expect(refused >= Samples.files(in: "ubl_cii").count * 20 && read > 0)
    }
}

/// A small deterministic generator, so a failing mutation can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
