import Testing
import RelanceCore
import RelanceFormats
import RelanceTestSupport

/// Every UBL and CII sample (the tables of `UBLSampleTests` and `CIISampleTests`) read as a
/// sale of its own seller, and refused as a purchase when the company is another one.
@Suite struct EInvoiceSampleTests {
    static let samples = UBLSampleTests.samples + CIISampleTests.samples

    /// The files of `ubl_cii/` whose first 4 KiB contain one of `markers`.
    static func sampleFiles(headContaining markers: [String]) -> [String] {
        Samples.files(in: "ubl_cii").filter { f in
            guard let b = try? Samples.bytes(f) else { return false }
            let head = String(decoding: b.prefix(4096), as: UTF8.self)
            return markers.contains { head.contains($0) }
        }
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage), arguments: samples)
    func readsSampleAsTheSellersSale(_ e: ExpectedInvoice) throws {
        let bytes = try Samples.bytes(e.file)
        #expect(EInvoiceReader.looksLikeEInvoice(Array(bytes.prefix(4096))))
        let batch = try EInvoiceReader().read(bytes, context: ReadContext(fileName: e.file, company: e.seller))
        try e.check(batch)
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage), arguments: samples)
    func rejectsSampleAsAPurchaseOfAnotherCompany(_ e: ExpectedInvoice) throws {
        let bytes = try Samples.bytes(e.file)
        #expect {
            _ = try EInvoiceReader().read(bytes, context: ReadContext(fileName: e.file, company: OtherCompany.french))
        } throws: { error in
            guard let r = error as? InputRejection, let issue = r.issues.first else { return false }
            return issue.reason.contains("is not the company: this is a purchase") && issue.file == e.file
        }
    }
}
