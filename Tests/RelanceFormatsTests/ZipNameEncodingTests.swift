import Testing
import RelanceCore
import RelanceTestSupport
@testable import RelanceFormats

/// ZIP entry names in an old DOS code page (no UTF-8 flag, bytes above 0x7F) are refused
/// whole, the entry named as CP850 shows it.
@Suite struct ZipNameEncodingTests {
    static let advice = "re-create the bundle with UTF-8 names (7-Zip, Info-ZIP zip 3, the Windows 10+ compressed folder, macOS Archive Utility)"

    @Test(arguments: [
        ("cp850-name.zip", "factures/résumé.csv"),
        // "├®t├®" in CP850 is the UTF-8 of "été": libarchive would hand it over as a valid name.
        ("cp850-looks-utf8.zip", "├®t├®.csv"),
    ])
    func legacyNameIsRefusedWithItsCP850Reading(_ file: String, _ shown: String) throws {
        let bytes = try Fixtures.bytes("hostile/\(file)")
        let issue = try #require(BundleTestTools.issue { _ = try BundleReader().members(of: bytes, fileName: file) })
        #expect(issue.file == file)
        #expect(issue.location == shown)
        #expect(issue.reason.hasPrefix("entry name is not UTF-8: the ZIP does not flag it as UTF-8 and it has bytes above 0x7F"))
        #expect(issue.reason.contains("(read as CP850: \(shown))"))
        #expect(issue.reason.hasSuffix(Self.advice))
    }

    @Test func flaggedUTF8NamesAndASCIINamesPass() throws {
        // good.zip: Python writes its accented names with the UTF-8 flag.
        #expect(ZipNameEncoding.firstLegacyName(try Fixtures.bytes("hostile/good.zip")) == nil)
        #expect(ZipNameEncoding.firstLegacyName(try Fixtures.bytes("hostile/zip-slip.zip")) == nil)
        #expect(try BundleReader().members(of: try Fixtures.bytes("hostile/good.zip"), fileName: "good.zip").count == 4)
    }

    @Test func cp850TableReadsTheFrenchLetters() {
        #expect(ZipNameEncoding.cp850([0x82, 0x85, 0x8A, 0x87, 0x93, 0x96, 0x90]) == "éàèçôûÉ")
        #expect(ZipNameEncoding.cp850([0x41, 0x0A, 0xFF]) == "A?\u{A0}")
    }

    @Test func damagedOrForeignBytesAreLeftToLibarchive() {
        #expect(ZipNameEncoding.firstLegacyName([]) == nil)
        #expect(ZipNameEncoding.firstLegacyName(Array("PK\u{3}\u{4} not really".utf8)) == nil)
        // An end record pointing past the file.
        let eocd: [UInt8] = [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0]
        #expect(ZipNameEncoding.firstLegacyName(eocd) == nil)
    }
}
