import Testing
import RelanceCore
import RelanceTestSupport
@testable import RelanceFormats

@Suite struct MT940DetectorTests {
    /// Every shared MT940 sample is recognised (each has :20:, :25: and :60F: at line starts,
    /// after bank header lines for ABN AMRO, ING and Rabobank) and refused with the stated reason.
    @Test(.enabled(if: Samples.available, Samples.skipMessage), arguments: [
        "hbci4java_test-mt940-001.sta", "oca_test-rabo.swi", "wolph-mt940_jejik_abnamro.sta", "wolph-mt940_jejik_ing.sta",
    ])
    func samplesAreRecognised(_ file: String) throws {
        let bytes = try Samples.bytes("mt940/" + file)
        #expect(MT940Detector.looksLikeMT940(Array(bytes.prefix(4096))))
        #expect(!CamtReader.looksLikeCamt(bytes) && !CFONB120Reader.looksLikeCFONB120(bytes))
        let rejection = try #require(MT940Detector.rejection(for: bytes, context: ReadContext(fileName: file)))
        #expect(rejection.issues.first?.reason == "MT940 statements are not supported; ask the bank for camt.053 or CFONB 120")
        #expect(rejection.issues.first?.file == file)
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func everySampleIsListed() {
        #expect(Samples.files(in: "mt940").count == 4)
    }

    @Test func otherTextIsNotMT940() {
        #expect(!MT940Detector.looksLikeMT940(Array("invoice;amount\n:20:x;1\n".utf8)))
        #expect(!MT940Detector.looksLikeMT940(Array("note :20: :25: :60F: in one line".utf8)))
        #expect(MT940Detector.rejection(for: Array("a;b\n1;2\n".utf8), context: ReadContext(fileName: "x.csv")) == nil)
        #expect(MT940Detector.looksLikeMT940(Array("{1:F01BANKFRPPAXXX}{4:\r\n:20:REF\r\n:25:FR7630004\r\n:28C:1\r\n:60F:C240101EUR0,00\r\n-}".utf8)))
    }
}
