import Testing
import RelanceCore
import RelanceFormats

/// A reader never crashes on bad input: thousands of deterministic mutations of valid files
/// (bytes flipped, inserted, deleted, truncated) are each either read or rejected with issues.
@Suite struct CSVRobustnessTests {
    static let seeds = [
        CSVReaderTests.frenchCustomers, CSVReaderTests.frenchDocuments, CSVReaderTests.frenchPayments,
        "invoice_number,customer_id,issue_date,amount,type\n\"A\"\"1\",\"K,1\",2024-01-01,\"1,000.00\",credit\r\nB,K,24-02-03,(5.00),\n",
    ]

    /// Bytes that matter to the tokenizer and the parsers.
    static let interesting: [UInt8] = [0x22, 0x3B, 0x2C, 0x09, 0x0A, 0x0D, 0x00, 0x2D, 0x2E, 0x28, 0x29, 0xC3, 0xA0, 0xE2, 0x80, 0x31, 0xFF]

    @Test(arguments: 0..<4)
    func mutationsAreReadOrRejected(seed: Int) {
        let original = Array(Self.seeds[seed].utf8)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(seed + 1)
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var read = 0, rejected = 0
        for _ in 0..<600 {
            var bytes = original
            for _ in 0..<(1 + next() % 4) {
                guard !bytes.isEmpty else { break }
                let at = next() % bytes.count
                switch next() % 4 {
                case 0: bytes[at] = Self.interesting[next() % Self.interesting.count]
                case 1: bytes.insert(Self.interesting[next() % Self.interesting.count], at: at)
                case 2: bytes.remove(at: at)
                default: bytes.removeSubrange(at...)
                }
            }
            do {
                _ = try CSVReader().read(bytes, context: ReadContext(fileName: "m.csv", issueCap: 5))
                read += 1
            } catch {
                #expect(!error.issues.isEmpty)
                rejected += 1
            }
            _ = CSVReader.looksLikeCSV(Array(bytes.prefix(64)))
        }
        #expect(read + rejected == 600)
        #expect(rejected > 0)
    }
}
