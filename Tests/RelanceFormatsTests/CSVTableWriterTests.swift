import Testing
import RelanceFormats

@Suite struct CSVTableWriterTests {
    @Test func formulaLikeTextIsNeutralisedButE164NumbersStayAsGatewaysNeedThem() {
        var w = CSVTableWriter(dialect: .rfc4180)
        w.row([.text("=HYPERLINK(\"x\")"), .phone("+33612345678"), .phone("=1+1"), .phone("+33 6 12"), .text("@SUM"), .text("ok")])
        #expect(String(decoding: w.bytes, as: UTF8.self) == "\"'=HYPERLINK(\"\"x\"\")\",+33612345678,'=1+1,'+33 6 12,'@SUM,ok\r\n")
    }

    @Test(arguments: [("+33612345678", true), ("+4915112345678", true), ("+3361234567890123", false), ("33612345678", false),
                      ("+3361234a678", false), ("+1234567", false)])
    func e164(_ text: String, _ expected: Bool) {
        #expect(CSVTableWriter.isE164(text) == expected)
    }
}
