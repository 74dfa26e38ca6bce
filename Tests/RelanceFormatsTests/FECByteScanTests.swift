import Foundation
import RelanceCore
import Testing
@testable import RelanceFormats

/// The byte-level helpers behind the FEC reader's speed: the order of
/// entry numbers that spares the entry hash table, the interner of repeated texts, and the
/// hand-written decimal formatting of source locations and payment ids. Each is checked on its
/// own and through the reader, where a mistake would change what the reader returns.
@Suite("FEC byte scan")
struct FECByteScanTests {
    // MARK: - Entry number order

    static func ascending(_ last: String, _ next: String) -> Bool {
        let bytes = Array((last + next).utf8)
        return bytes.withUnsafeBufferPointer { b in
            FECScanner.ascending(b.baseAddress!, 0, last.utf8.count, last.utf8.count, bytes.count)
        }
    }

    @Test(arguments: [
        ("VE000009", "VE000010", true), ("99", "100", true), ("1", "2", true), ("A", "B", true),
        ("VE000010", "VE000009", false), ("100", "99", false), ("7", "7", false), ("VE1", "VE1", false),
        ("B", "A", false), ("AB", "AA", false),
    ])
    func entryNumbersAscendByLengthThenBytes(last: String, next: String, expected: Bool) {
        #expect(Self.ascending(last, next) == expected)
    }

    // MARK: - Interner

    static func intern(_ values: [[UInt8]], _ encoding: FECTextEncoding = .utf8) -> (ids: [Int32], keys: [Int32], texts: [String]) {
        var interner = FECTextInterner()
        var ids: [Int32] = [], keys: [Int32] = []
        let bytes = values.flatMap { $0 }
        bytes.withUnsafeBufferPointer { b in
            var at = 0
            for value in values {
                let (id, key) = interner.intern(b.baseAddress!, at, at + value.count, encoding)
                ids.append(id)
                keys.append(key)
                at += value.count
            }
        }
        return (ids, keys, interner.texts)
    }

    @Test func sameBytesSameIdOtherBytesOtherId() {
        let r = Self.intern(["411000", "C001", "411000", "A", "C001", "", "A", ""].map { Array($0.utf8) })
        #expect(r.ids == [0, 1, 0, 2, 1, 3, 2, 3])
        #expect(r.keys == r.ids)
        #expect(r.texts == ["411000", "C001", "A", ""])
    }

    @Test func longValuesDifferingAfterSixteenBytesAreDistinct() {
        let a = "CLIENT-0000000000000001", b = "CLIENT-0000000000000002"
        let r = Self.intern([a, b, a, String(a.prefix(16)), b].map { Array($0.utf8) })
        #expect(r.ids == [0, 1, 0, 2, 1])
        #expect(r.texts == [a, b, String(a.prefix(16))])
    }

    @Test func canonicallyEquivalentTextsShareAKeyNotAnId() {
        // "Cé" precomposed (U+00E9) and decomposed (e + U+0301): equal as Swift strings.
        let composed: [UInt8] = [0x43, 0xC3, 0xA9], decomposed: [UInt8] = [0x43, 0x65, 0xCC, 0x81]
        let r = Self.intern([composed, decomposed, Array("Ce".utf8), decomposed])
        #expect(r.ids == [0, 1, 2, 1])
        #expect(r.keys == [0, 0, 1, 0])
        #expect(r.texts[0] == r.texts[1])
        #expect(Array(r.texts[1].utf8) == decomposed)
    }

    @Test func windows1252BytesAreDecoded() {
        let r = Self.intern([[0x43, 0x61, 0x66, 0xE9], [0x8C, 0x75, 0x76, 0x72, 0x65]], .windows1252)
        #expect(r.texts == ["Café", "Œuvre"])
    }

    @Test func idsStayStableWhileTheTableGrows() {
        let values = (0..<500).map { Array("C\($0)".utf8) }
        let r = Self.intern(values + values.reversed())
        #expect(Array(r.ids.prefix(500)) == (0..<500).map { Int32($0) })
        #expect(Array(r.ids.suffix(500)) == (0..<500).reversed().map { Int32($0) })
        #expect(r.texts.count == 500 && r.texts[499] == "C499")
    }

    // MARK: - Decimal formatting

    @Test(arguments: [(Int32(0), "line 0"), (7, "line 7"), (10, "line 10"), (1_000_000, "line 1000000"),
                      (Int32.max, "line 2147483647"), (-12, "line -12")])
    func lineLocationIsLineAndNumber(n: Int32, expected: String) {
        #expect(FECRecordBuilder.lineLocation(n) == expected)
    }

    @Test func paymentIdJoinsJournalEntryAndPosition() {
        #expect(FECRecordBuilder.paymentId("BQ", "BQ000123", 3) == "BQ-BQ000123-3")
        #expect(FECRecordBuilder.paymentId("512", "2024-00042", 12) == "512-2024-00042-12")
        #expect(FECRecordBuilder.paymentId("CAISSE", "Écriture n°1", 1) == "CAISSE-Écriture n°1-1")
    }

    // MARK: - Through the reader

    typealias T = FECReaderTests

    @Test func interleavedEntryHalvesAreOneEntry() throws {
        // VE1's customer line, then all of VE2, then the rest of VE1: VE1 balances only once its
        // halves are one entry, which takes the hash table (VE1 comes after VE2).
        let ve1 = T.sale("VE1", "20240105", piece: "F1"), ve2 = T.sale("VE2", "20240106", piece: "F2", customer: "C2")
        let batch = try T.read(T.fec([ve1[0]] + ve2 + [ve1[1], ve1[2]]))
        #expect(batch.documents.map(\.number) == ["F1", "F2"])
        #expect(batch.documents.map(\.amount) == [12000, 12000])
        #expect(batch.documents.first?.amountExclTax == 10000)
        #expect(batch.notes.contains { $0.hasPrefix("journals: VE sales") })
    }

    @Test func interleavedBankEntryKeepsItsLinePositions() throws {
        // BQ2 is split around BQ1: its second customer line is its third line, as if contiguous.
        let lines = [
            T.line("BQ", "BQ2", "20240301", "41100000", aux: "C1", auxName: "Client C1", piece: "x", label: "VIR UN", credit: "50"),
            T.line("BQ", "BQ2", "20240301", "51200000", piece: "x", label: "VIR", debit: "80"),
        ] + T.receipt("BQ1", "20240228", amount: "10") + [
            T.line("BQ", "BQ2", "20240301", "41100000", aux: "C2", auxName: "Client C2", piece: "x", label: "VIR DEUX", credit: "30"),
        ]
        let batch = try T.read(T.fec(lines))
        #expect(batch.payments.map(\.paymentId) == ["BQ-BQ2-1", "BQ-BQ1-1", "BQ-BQ2-3"])
        #expect(batch.payments.map(\.amount) == [5000, 1000, 3000])
    }

    @Test func entriesOutOfOrderButContiguousAreAllRead() throws {
        let lines = T.sale("VE10", "20240110", piece: "F10") + T.sale("VE9", "20240109", piece: "F9")
            + T.sale("VE11", "20240111", piece: "F11") + T.sale("VE2", "20240102", piece: "F2")
        let batch = try T.read(T.fec(lines))
        #expect(batch.documents.map(\.number) == ["F10", "F9", "F11", "F2"])
    }

    @Test func aRepeatedEntryNumberInAnotherJournalIsAnotherEntry() throws {
        let lines = T.sale("1", "20240110", piece: "F1") + T.receipt("1", "20240120", amount: "120")
        let batch = try T.read(T.fec(lines))
        #expect(batch.documents.count == 1 && batch.payments.map(\.paymentId) == ["BQ-1-1"])
    }

    /// Labels of 0 to 15 extra bytes move every separator and the LF through every position of
    /// the eight-byte words the scanner reads; the last line has no LF when `final` is false.
    @Test(arguments: 0..<16, [true, false])
    func fieldsAreSplitWhereverTheyFallInAWord(extra: Int, final: Bool) throws {
        let label = "Facture F1" + String(repeating: "x", count: extra)
        let lines = [
            T.line("VE", "VE1", "20240105", "41100000", aux: "C1", auxName: "Client C1", piece: "F1", label: label, debit: "120"),
            T.line("VE", "VE1", "20240105", "70600000", piece: "F1", label: label, credit: "100"),
            T.line("VE", "VE1", "20240105", "44571000", piece: "F1", label: label, credit: "20"),
        ]
        var bytes = T.fec(lines, separator: extra % 2 == 0 ? "\t" : "|")
        if !final { bytes.removeLast() }
        let batch = try T.read(bytes)
        #expect(batch.documents.map(\.amount) == [12000])
        #expect(batch.documents.first?.amountExclTax == 10000 && batch.documents.first?.tax == 2000)
    }

    @Test func crlfPipeAndBOMTogether() throws {
        let text = ([T.header] + T.sale("VE1", "20240105", piece: "F1") + T.receipt("BQ1", "20240205", amount: "120,00", letter: "A"))
            .joined(separator: "\r\n")
        let batch = try T.read([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(batch.documents.map(\.number) == ["F1"])
        #expect(batch.payments.map(\.amount) == [12000])
        #expect(batch.payments.first?.reference == "VIR CLIENT")
    }

    @Test(arguments: [19, 20, 25, 40])
    func linesWithTooManyFieldsAreRejectedWithTheirCount(fields: Int) throws {
        let sale = T.sale("VE1", "20240105", piece: "F1")
        let long = sale[1] + String(repeating: "|x", count: fields - 18)
        let rejection = try #require(T.rejection(T.fec([sale[0], long, sale[2]])))
        #expect(rejection.issues.contains { $0.line == 3 && $0.reason.contains("line has \(fields) fields, the header has 18") })
    }

    @Test func canonicallyEquivalentCustomerIdsAreOneCustomer() throws {
        // The same CompAuxNum typed two ways (é precomposed, then decomposed) was one customer
        // when customers were keyed by String; it still is.
        let composed = "Cé1", decomposed = "Ce\u{301}1"
        let lines = T.sale("VE1", "20240105", piece: "F1", customer: composed) + T.sale("VE2", "20240106", piece: "F2", customer: decomposed)
        let batch = try T.read(T.fec(lines))
        #expect(batch.customers.count == 1)
        // Both documents name the customer by its first spelling, byte for byte.
        #expect(batch.documents.map { Array($0.customerId.utf8) } == [Array(composed.utf8), Array(composed.utf8)])
    }
}
