import Foundation
import Testing
import RelanceTestSupport
import RelanceCore
import RelanceFormats

/// PDFs made in the test: hybrid invoices around hand-written XML, plain, damaged, encrypted.
@Suite struct InvoicePDFTests {
    let context = ReadContext(fileName: "inbox/F2025-001.pdf", company: UBLRulesTests.company)

    @Test(arguments: ["factur-x.xml", "ZUGFeRD-invoice.xml", "xrechnung.xml", "invoice-data.xml"])
    func ublInsideAPDFGivesTheSameDocumentPlusThePDF(_ name: String) throws {
        let xml = UBLRulesTests.ubl(prepaid: "20.00", payable: "100.00", paymentID: "RF18539007547034")
        let pdf = InvoicePDFBuilder.pdf(embedding: [("notes.txt", Array("hello".utf8)), (name, xml)])
        let alone = try EInvoiceReader().read(xml, context: context)
        let hybrid = try FacturXReader().read(pdf, context: context)
        var a = try #require(alone.documents.first), b = try #require(hybrid.documents.first)
        #expect(a.sourceLocation?.hasPrefix("inbox/F2025-001.pdf:") == true)
        #expect(b.sourceLocation?.hasPrefix("inbox/F2025-001.pdf/\(name):") == true)
        a.sourceLocation = nil; b.sourceLocation = nil
        #expect(a == b)
        #expect(alone.customers == hybrid.customers && alone.allocations == hybrid.allocations && alone.notes == hybrid.notes)
        #expect(hybrid.format == "Factur-X PDF (UBL 2.1)")
        #expect(hybrid.attachments == [Attachment(documentNumber: "F2025-001", fileName: "F2025-001.pdf", bytes: pdf, mediaType: "application/pdf")])
    }

    /// Recognised from its first 4 KB, then read whole: a large XML under an unknown name.
    @Test func largeInvoiceUnderAnotherNameIsReadWhole() throws {
        var xml = String(decoding: UBLRulesTests.ubl(), as: UTF8.self)
        xml = xml.replacingOccurrences(of: "<cbc:ID>F2025-001</cbc:ID>", with: "<!-- " + String(repeating: "padding ", count: 2000) + "--><cbc:ID>F2025-001</cbc:ID>")
        #expect(xml.utf8.count > 16_000)
        let pdf = InvoicePDFBuilder.pdf(embedding: [("a.xml", Array("<other/>".utf8)), ("data.xml", Array(xml.utf8))])
        let batch = try FacturXReader().read(pdf, context: context)
        #expect(batch.documents.map(\.number) == ["F2025-001"] && batch.documents.first?.amount == 12000)
    }

    @Test func ciiInsideAPDFToo() throws {
        let xml = CIIRulesTests.cii()
        let pdf = InvoicePDFBuilder.pdf(embedding: [("factur-x.xml", xml)])
        let hybrid = try FacturXReader().read(pdf, context: context)
        #expect(hybrid.documents.map(\.number) == ["F-CII-1"] && hybrid.attachments.map(\.fileName) == ["F-CII-1.pdf"])
        #expect(hybrid.format == "Factur-X PDF (CII)")
    }

    @Test func pdfWithoutInvoiceXMLIsAnAttachmentOnly() throws {
        let pdf = InvoicePDFBuilder.pdf(embedding: [("photo.txt", Array("not an invoice".utf8))])
        let batch = try FacturXReader().read(pdf, context: ReadContext(fileName: "bundle.zip/2025/F2025-042.pdf"))
        #expect(batch.documents.isEmpty && batch.customers.isEmpty && batch.allocations.isEmpty)
        #expect(batch.attachments == [Attachment(documentNumber: "F2025-042", fileName: "F2025-042.pdf", bytes: pdf, mediaType: "application/pdf")])
        #expect(batch.notes == ["plain PDF, attached to document F2025-042"])
        #expect(batch.format == "PDF")
    }

    @Test func plainPDFNeedsNoCompany() throws {
        let batch = try FacturXReader().read(InvoicePDFBuilder.pdf(), context: ReadContext(fileName: "AV 2025.07.pdf"))
        #expect(batch.attachments.first?.documentNumber == "AV 2025.07")
    }

    @Test(arguments: [
        Array("%PDF-1.4\nthis is not a PDF at all\n".utf8),
        Array(InvoicePDFBuilder.pdf().prefix(40)),
        Array("%PDF-".utf8),
    ])
    func damagedPDFIsRefused(_ bytes: [UInt8]) throws {
        let e = try #require(throws: InputRejection.self) { try FacturXReader().read(bytes, context: context) }
        #expect(e.issues.first?.reason.hasPrefix("unreadable or damaged PDF") == true)
        #expect(e.issues.first?.file == "inbox/F2025-001.pdf")
    }

    @Test func notAPDFIsRefused() throws {
        let e = try #require(throws: InputRejection.self) { try FacturXReader().read(Array("<Invoice/>".utf8), context: context) }
        #expect(e.issues.first?.reason.contains("does not start with %PDF-") == true)
    }

    @Test func embeddedPurchaseInvoiceIsRefusedAsSuch() throws {
        let pdf = InvoicePDFBuilder.pdf(embedding: [("factur-x.xml", UBLRulesTests.ubl(sellerName: "Fournisseur", sellerSIREN: "403052111"))])
        let e = try #require(throws: InputRejection.self) { try FacturXReader().read(pdf, context: context) }
        #expect(e.issues.first?.reason.contains("this is a purchase invoice") == true)
        #expect(e.issues.first?.file == "inbox/F2025-001.pdf/factur-x.xml")
    }

    @Test func embeddedMalformedXMLIsRefused() throws {
        let pdf = InvoicePDFBuilder.pdf(embedding: [("factur-x.xml", Array("<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\"><x>".utf8))])
        let e = try #require(throws: InputRejection.self) { try FacturXReader().read(pdf, context: context) }
        #expect(e.issues.first?.reason.contains("malformed XML") == true)
    }

    static let qpdfAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/qpdf")

    /// A PDF with a user password: nothing can be read from it.
    @Test(.enabled(if: qpdfAvailable, "qpdf is not installed: encrypted-PDF test skipped"))
    func encryptedPDFIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relance-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("in.pdf"), locked = dir.appendingPathComponent("out.pdf")
        try Data(InvoicePDFBuilder.pdf(embedding: [("factur-x.xml", UBLRulesTests.ubl())])).write(to: plain)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/qpdf")
        p.arguments = ["--encrypt", "user-secret", "owner-secret", "256", "--", plain.path, locked.path]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        let e = try #require(throws: InputRejection.self) { try FacturXReader().read([UInt8](try Data(contentsOf: locked)), context: context) }
        #expect(e.issues.first?.reason.contains("encrypted (password protected)") == true)
    }

    @Test func documentNumberFromFileName() {
        #expect(FacturXReader.documentNumber(fromFileName: "a/b/F-1.pdf") == "F-1")
        #expect(FacturXReader.documentNumber(fromFileName: "F-1.PDF") == "F-1")
        #expect(FacturXReader.documentNumber(fromFileName: "F.2025.1.pdf") == "F.2025.1")
        #expect(FacturXReader.documentNumber(fromFileName: "noext") == "noext")
    }
}
