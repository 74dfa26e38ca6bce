import Testing
import RelanceCore
import RelanceFormats

/// The bundle manifest that maps invoice numbers to PDF files.
@Suite struct InvoicePDFManifestTests {
    let context = ReadContext(fileName: "bundle.zip/manifest.csv")

    func parse(_ text: String) throws -> AttachmentManifest {
        try AttachmentManifest.parse(Array(text.utf8), context: context)
    }

    @Test func commaAndSemicolonWithQuotesBOMAndCRLF() throws {
        let comma = try parse("\u{FEFF}invoice_number,file\r\nF-1,pdf/F-1.pdf\r\n\r\n\"F-2\",\"scans/F-2, signed.pdf\"\r\n")
        #expect(comma.pairs.map(\.documentNumber) == ["F-1", "F-2"])
        #expect(comma.pairs.map(\.fileName) == ["pdf/F-1.pdf", "scans/F-2, signed.pdf"])
        #expect(comma.entries.map(\.line) == [2, 4])
        let semicolon = try parse("invoice_number;file\nF-3;F-3 \"final\".pdf\n\"F-4\";\"a \"\"b\"\".pdf\"")
        #expect(semicolon.entries.map(\.fileName) == ["F-3 \"final\".pdf", "a \"b\".pdf"])
    }

    @Test(arguments: ["invoice,file\nF,a.pdf", "invoice_number,file,extra\nF,a.pdf,x", "file,invoice_number\na.pdf,F", ""])
    func headerMustBeExactlyTheTwoColumns(_ text: String) throws {
        let e = try #require(throws: InputRejection.self) { try parse(text) }
        #expect(e.issues.first?.reason.contains("invoice_number,file") == true && e.issues.first?.line == 1)
    }

    @Test func everyBadLineIsListed() throws {
        let e = try #require(throws: InputRejection.self) {
            try parse("invoice_number,file\nF-1\n,a.pdf\nF-2,\nF-3,../etc/passwd\nF-4,/abs.pdf\nF-5,\"open.pdf\nF-6,ok.pdf")
        }
        #expect(e.issues.map(\.line) == [2, 3, 4, 5, 6, 7])
        #expect(e.issues[0].reason.contains("expected 2 fields"))
        #expect(e.issues[3].reason.contains("relative name inside the bundle"))
        #expect(e.issues[5].reason == "unterminated quoted field")
    }

    @Test func sniffsTheHeader() {
        #expect(AttachmentManifest.looksLikeManifest(Array("invoice_number;file\r\nx;y".utf8)))
        #expect(AttachmentManifest.looksLikeManifest(Array("\u{FEFF}\"invoice_number\",\"file\"\n".utf8)))
        #expect(!AttachmentManifest.looksLikeManifest(Array("invoice_number,amount\n".utf8)))
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: InputRejection.self) { try AttachmentManifest.parse([0x69, 0x0A, 0xFF, 0xFE], context: context) }
    }
}
