import RelanceCore
import Testing
@testable import RelanceFormats

/// The 64-byte blocks the FEC scanner splits lines with (one bit per byte for the separator
/// and one for LF, carried from line to line) and the integer-keyed index of lettering
/// groups. Each helper is checked against a plain byte loop, then through the reader at every
/// offset a block boundary can fall on.
@Suite("FEC block split")
struct FECBlockSplitTests {
    typealias T = FECReaderTests

    // MARK: - Block masks

    /// The masks a byte-by-byte loop gives for the 64 bytes at `at` (bytes past `end` unset).
    static func plainMasks(_ bytes: [UInt8], at: Int, end: Int, separator: UInt8) -> (UInt64, UInt64) {
        var seps: UInt64 = 0, lfs: UInt64 = 0
        for k in 0..<64 where at + k < end {
            if bytes[at + k] == separator { seps |= UInt64(1) << UInt64(k) }
            if bytes[at + k] == 0x0A { lfs |= UInt64(1) << UInt64(k) }
        }
        return (seps, lfs)
    }

    static func blockMasks(_ bytes: [UInt8], at: Int, end: Int, separator: UInt8) -> (UInt64, UInt64) {
        bytes.withUnsafeBytes { raw in
            FECScanner.blockMasks(raw.baseAddress!, at, end, separator)
        }
    }

    @Test func gatherMovesEachByteToItsBit() {
        #expect(FECScanner.gather(0) == 0)
        #expect(FECScanner.gather(~UInt64(0)) == 0xFF)
        for k in 0..<8 {
            #expect(FECScanner.gather(UInt64(0xFF) << UInt64(8 * k)) == UInt64(1) << UInt64(k))
        }
        #expect(FECScanner.gather(0xFF00_0000_0000_00FF) == 0x81)
        #expect(FECScanner.gather(0x00FF_00FF_00FF_00FF) == 0x55)
    }

    /// Bytes chosen to trip a mask that is not exact: separators and LF next to their
    /// neighbours (0x08, 0x0B, 0x7D, 0x7B), zero bytes, high bytes, CR.
    @Test(arguments: [UInt8(0x09), 0x7C])
    func blockMasksEqualAPlainLoop(separator: UInt8) {
        let alphabet: [UInt8] = [0x09, 0x7C, 0x0A, 0x0D, 0x08, 0x0B, 0x7D, 0x7B, 0x00, 0x01, 0xFF, 0x80, 0x41, 0x30]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        var bytes: [UInt8] = []
        for _ in 0..<1000 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            bytes.append(alphabet[Int(state % UInt64(alphabet.count))])
        }
        for at in stride(from: 0, to: 1000, by: 7) {
            let got = Self.blockMasks(bytes, at: at, end: bytes.count, separator: separator)
            let want = Self.plainMasks(bytes, at: at, end: bytes.count, separator: separator)
            #expect(got == want, "at \(at)")
        }
    }

    @Test func theLastBlockReadsNothingPastTheEnd() {
        // The separator and LF bytes after `end` are not the file's: they must not be seen.
        let bytes: [UInt8] = Array(repeating: 0x41, count: 10) + [0x09, 0x0A] + Array(repeating: 0x09, count: 80)
        for end in 0...12 {
            let got = Self.blockMasks(bytes, at: 0, end: end, separator: 0x09)
            #expect(got == Self.plainMasks(bytes, at: 0, end: end, separator: 0x09), "end \(end)")
        }
        #expect(Self.blockMasks(bytes, at: 12, end: 12, separator: 0x09) == (0, 0))
    }

    // MARK: - Through the reader

    /// Labels of 0 to 63 extra bytes put every separator and LF at every offset of a block,
    /// with tab or pipe, LF or CRLF, and a last line with or without its LF.
    @Test(arguments: 0..<64, [(false, true), (true, false)])
    func fieldsAreSplitWhereverTheyFallInABlock(extra: Int, ending: (crlf: Bool, final: Bool)) throws {
        let label = "Facture F1" + String(repeating: "x", count: extra)
        let payer = "VIR" + String(repeating: "y", count: extra)
        let lines = [T.header] + T.sale("VE1", "20240105", piece: "F1", letter: "A").map { $0.replacingOccurrences(of: "Facture F1", with: label) }
            + T.receipt("BQ1", "20240205", amount: "120", letter: "A", label: payer)
        let separator = extra % 2 == 0 ? "\t" : "|"
        var text = lines.map { $0.replacingOccurrences(of: "|", with: separator) }.joined(separator: ending.crlf ? "\r\n" : "\n")
        if ending.final { text += ending.crlf ? "\r\n" : "\n" }
        let batch = try T.read(Array(text.utf8))
        #expect(batch.documents.map(\.amount) == [12000])
        #expect(batch.documents.first?.amountExclTax == 10000 && batch.documents.first?.tax == 2000)
        #expect(batch.payments.map(\.amount) == [12000])
        #expect(batch.payments.first?.reference == payer)
        #expect(batch.allocations.map(\.amount) == [12000])
    }

    @Test func aLineLongerThanSeveralBlocksIsOneLine() throws {
        // A label of 300 bytes: blocks with neither separator nor LF in them.
        let label = String(repeating: "L", count: 300)
        let lines = T.sale("VE1", "20240105", piece: "F1") + T.receipt("BQ1", "20240205", amount: "120", label: label)
        let batch = try T.read(T.fec(lines))
        #expect(batch.payments.first?.reference == label)
        #expect(batch.payments.first?.sourceLocation == "line 5")
    }

    @Test func blankLinesBetweenAndAfterAreSkipped() throws {
        let sale = T.sale("VE1", "20240105", piece: "F1")
        let text = ([T.header, ""] + sale + ["", "   ", ""]).joined(separator: "\n")
        let batch = try T.read(Array(text.utf8))
        #expect(batch.documents.map(\.number) == ["F1"])
        #expect(batch.documents.first?.sourceLocation == "line 3")
    }

    @Test(arguments: ["", "\n", "\r\n"])
    func aHeaderAloneIsAnEmptyLedger(ending: String) throws {
        let batch = try T.read(Array((T.header + ending).utf8))
        #expect(batch.documents.isEmpty && batch.payments.isEmpty && batch.customers.isEmpty)
    }

    @Test func aMissingFieldOnTheLastLineWithoutLFIsCounted() throws {
        var sale = T.sale("VE1", "20240105", piece: "F1")
        sale[2] = String(sale[2].dropLast())  // the last separator: 17 fields
        var bytes = T.fec(sale)
        bytes.removeLast()
        let rejection = try #require(T.rejection(bytes))
        #expect(rejection.issues.contains { $0.line == 4 && $0.reason.contains("line has 17 fields, the header has 18") })
    }

    // MARK: - Interner heads read as words

    /// Interns each value twice over the same bytes: byte by byte, then with the buffer's end
    /// known (the first 16 bytes read as two masked words wherever 16 bytes remain).
    static func internBothWays(_ values: [[UInt8]]) -> (slow: [Int32], fast: [Int32], texts: [String]) {
        var slow = FECTextInterner(), fast = FECTextInterner()
        var slowIds: [Int32] = [], fastIds: [Int32] = []
        let bytes = values.flatMap { $0 }
        bytes.withUnsafeBufferPointer { b in
            var at = 0
            for value in values {
                slowIds.append(slow.intern(b.baseAddress!, at, at + value.count, .utf8).id)
                fastIds.append(fast.intern(b.baseAddress!, at, at + value.count, .utf8, readable: bytes.count).id)
                at += value.count
            }
        }
        #expect(slow.texts == fast.texts)
        return (slowIds, fastIds, fast.texts)
    }

    @Test func wordHeadsGiveTheSameIdsAsBytes() {
        // Every length from 0 to 24, each value followed by bytes that must not count
        // (a prefix of a longer value, then the longer value itself).
        var values: [[UInt8]] = []
        for n in 0...24 {
            let long = Array("41100000CLIENT-ABCDEFGHIJKLMNOP".utf8)
            values.append(Array(long.prefix(n)))
            values.append(Array(long.prefix(n + 1)))
        }
        values += values  // every value again: the known ones must be found, not re-added
        let r = Self.internBothWays(values)
        #expect(r.slow == r.fast)
        #expect(r.texts.count == 26)
        #expect(Array(r.fast.suffix(50)) == Array(r.fast.prefix(50)))
    }

    // MARK: - Words instead of byte loops

    /// `text` followed by 8 bytes of padding, so that words can be read from anywhere in it.
    static func padded(_ text: String) -> [UInt8] { Array(text.utf8) + Array(repeating: 0x5A, count: 8) }

    @Test(arguments: [("VE000009", "VE000010"), ("99", "100"), ("A", "B"), ("VE000010", "VE000009"), ("7", "7"),
                      ("AB", "AA"), ("12345678", "12345679"), ("123456789", "123456780"), ("", "1")])
    func ascendingByWordsEqualsByBytes(last: String, next: String) {
        let bytes = Self.padded(last + next)
        let l = last.utf8.count, n = next.utf8.count
        bytes.withUnsafeBufferPointer { b in
            let byBytes = FECScanner.ascending(b.baseAddress!, 0, l, l, l + n)
            let byWords = FECScanner.ascending(b.baseAddress!, 0, l, l, l + n, readable: bytes.count)
            #expect(byWords == byBytes)
            #expect(byBytes == (n > l || (n == l && next > last)))
        }
    }

    @Test func equalBytesIgnoresWhatFollows() {
        // "VE1" twice, followed by different bytes: equal over 3 bytes, not over 4.
        let bytes = Self.padded("VE1xVE1y")
        bytes.withUnsafeBufferPointer { b in
            for readable in [0, bytes.count] {
                #expect(FECScanner.equalBytes(b.baseAddress!, 0, 4, 3, readable: readable))
                #expect(!FECScanner.equalBytes(b.baseAddress!, 0, 4, 4, readable: readable))
                #expect(FECScanner.equalBytes(b.baseAddress!, 0, 4, 0, readable: readable))
            }
        }
    }

    @Test(arguments: [("41100000", true), ("411", true), ("4110", true), ("41", false), ("416000", true), ("4191", true),
                      ("4190", false), ("401000", false), ("44571000", false), ("413", true), ("4", false)])
    func receivableAccountsByWordsEqualByBytes(account: String, expected: Bool) throws {
        let context = ReadContext(fileName: "t")
        let scanner = FECScanner(columns: try FECColumns(header: Array(T.header.utf8), context: context), context: context)
        let bytes = Self.padded(account)
        bytes.withUnsafeBufferPointer { b in
            #expect(scanner.isReceivable(b.baseAddress!, 0, account.utf8.count) == expected)
            #expect(scanner.isReceivable(b.baseAddress!, 0, account.utf8.count, readable: bytes.count) == expected)
        }
    }

    // MARK: - Amounts in one pass

    static func amounts(_ text: String, places: Int = 2) -> (plain: Int64?, full: Int64?) {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in
            (FECFieldParsing.plainAmount(b.baseAddress!, 0, bytes.count, places: places),
             FECFieldParsing.amount(b.baseAddress!, 0, bytes.count, places: places))
        }
    }

    @Test(arguments: [
        ("1234,56", Int64(123456), true), ("252,5", 25250, true), ("0", 0, true), ("+000000069,40", 6940, true),
        ("-708,91", -70891, true), ("12.30", 1230, true), ("7", 700, true), ("-0", 0, true),
        ("999999999999999,99", 99_999_999_999_999_999, true),
        // Left to the general reader: spaces, a bare separator, zeros past the places, long.
        (" 12,50 ", 1250, false), ("12,", 1200, false), ("12,500", 1250, false), (",5", 50, false),
        ("00000000000000001,5", 150, false),
    ] as [(String, Int64, Bool)])
    func plainAmountsAreReadInOnePass(text: String, expected: Int64, plain: Bool) {
        let r = Self.amounts(text)
        #expect(r.full == expected)
        #expect(r.plain == (plain ? expected : nil))
    }

    @Test(arguments: ["+", "-", "1,2,3", "12,345", "1 234,56", "abc", "--5", "12a", "1e5", "1000000000000000000"])
    func refusedAmountsAreRefusedByBothPaths(text: String) {
        let r = Self.amounts(text)
        #expect(r.plain == nil)
        #expect(r.full == nil)
    }

    @Test func montantDeviseKeepsSixPlaces() {
        #expect(Self.amounts("1,5", places: 6) == (1_500_000, 1_500_000))
        #expect(Self.amounts("0,123456", places: 6) == (123_456, 123_456))
        #expect(Self.amounts("0,1234567", places: 6).plain == nil)
    }

    // MARK: - Lettering index

    @Test func groupsAreNumberedInOrderOfFirstAppearance() {
        var index = FECLetteringIndex()
        let keys: [(Int32, Int32, Int32)] = [(0, 0, 1), (0, 1, 1), (0, 0, 1), (1, 0, 1), (0, 0, 2), (0, 1, 1)]
        let groups = keys.map { index.findOrInsert(account: $0.0, customer: $0.1, code: $0.2) }
        #expect(groups.map(\.group) == [0, 1, 0, 2, 3, 1])
        #expect(groups.map(\.inserted) == [true, true, false, true, true, false])
        #expect(index.count == 4)
    }

    @Test func groupNumbersStayStableWhileTheIndexGrows() {
        var index = FECLetteringIndex()
        var keys: [(Int32, Int32, Int32)] = []
        for customer in 0..<300 { for code in 0..<4 { keys.append((Int32(code % 2), Int32(customer), Int32(code))) } }
        let first = keys.map { index.findOrInsert(account: $0.0, customer: $0.1, code: $0.2).group }
        #expect(first == (0..<1200).map { Int32($0) })
        let again = keys.reversed().map { index.findOrInsert(account: $0.0, customer: $0.1, code: $0.2) }
        #expect(again.map(\.group) == (0..<1200).reversed().map { Int32($0) })
        #expect(again.allSatisfy { !$0.inserted })
    }
}
