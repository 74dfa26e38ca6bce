import Foundation
import Testing
import RelanceCore
import RelanceTestSupport
@testable import RelanceFormats

/// Bundles that must be read back exactly: names (UTF-8, nested folders), bytes, order.
@Suite struct BundleReaderTests {
    /// The members `make_hostile.py` writes into the good bundles (its GOOD table).
    static let good: [(String, String)] = [
        ("clients.csv", "code;nom\nC1;Dupont\n"),
        ("factures/2024/relev\u{E9}-\u{153}uvre.csv", "num\u{E9}ro;montant\nF-1;12,50\n"),
        ("factures/2024/janvier.csv", "numero;montant\nF-2;100,00\n"),
        ("notes/\u{E9}t\u{E9}/\u{153}.txt", "\u{E9}t\u{E9} \u{153}\n"),
    ]
    static let litter = [".DS_Store", "__MACOSX/factures/._janvier.csv", "factures/.~lock.janvier.csv#"]

    @Test(arguments: [("good.zip", true), ("good.tar", true), ("good.tar.gz", false)])
    func readsGoodBundleExactly(file: String, hasLitter: Bool) throws {
        let bytes = try Fixtures.bytes("hostile/\(file)")
        #expect(BundleReader.looksLikeBundle(Array(bytes.prefix(512))))
        let contents = try BundleReader().contents(of: bytes, fileName: file)
        #expect(contents.members.map(\.name) == Self.good.map(\.0))
        #expect(contents.members.map { String(decoding: $0.bytes, as: UTF8.self) } == Self.good.map(\.1))
        #expect(contents.ignored == (hasLitter ? Self.litter : []))
        if hasLitter {
            #expect(contents.note == "ignored 3 system entries in the bundle: .DS_Store, __MACOSX/factures/._janvier.csv, factures/.~lock.janvier.csv#")
        } else {
            #expect(contents.note == nil)
        }
        // The names are real UTF-8, precomposed as written: é is U+00E9, œ is U+0153.
        #expect(Array(contents.members[1].name.utf8).contains(0xC5) && Array(contents.members[1].name.utf8).contains(0xA9))
    }

    @Test func membersIsTheContentsWithoutTheNote() throws {
        let bytes = try Fixtures.bytes("hostile/good.zip")
        let members = try BundleReader().members(of: bytes, fileName: "good.zip")
        #expect(members.count == 4 && members[0] == BundleMember(name: "clients.csv", bytes: Array("code;nom\nC1;Dupont\n".utf8)))
    }

    @Test func dotSlashNamesFromTarOfAFolderAreNormalised() throws {
        let members = try BundleReader().members(of: Fixtures.bytes("hostile/good-dot.tar"), fileName: "x.tar")
        #expect(members.map(\.name) == ["clients.csv", "factures/2024/relev\u{E9}-\u{153}uvre.csv"])
    }

    @Test func oneLevelOfNestingIsReadWithPrefixedNames() throws {
        let zip = try BundleReader().members(of: Fixtures.bytes("hostile/nested.zip"), fileName: "nested.zip")
        #expect(zip.map(\.name) == ["top.csv", "2024/inner.zip/janvier.csv"])
        #expect(zip[1].bytes == Array("n;m\nF-1;1,00\n".utf8))
        let tgz = try BundleReader().members(of: Fixtures.bytes("hostile/nested-targz.zip"), fileName: "n.zip")
        #expect(tgz.map(\.name) == ["archives/2023.tar.gz/d\u{E9}c.csv"])
    }

    @Test func workbooksInsideABundleStayDocuments() throws {
        let members = try BundleReader().members(of: Fixtures.bytes("hostile/with-workbooks.zip"), fileName: "w.zip")
        #expect(members.map(\.name) == ["releve.xlsx", "odd.xlsx", "a.csv"])
        // releve.xlsx starts with [Content_Types].xml: not a bundle by its head.
        #expect(!BundleReader.looksLikeBundle(members[0].bytes))
        // odd.xlsx puts [Content_Types].xml second: its head looks like a bundle, its names do not.
        #expect(BundleReader.looksLikeBundle(members[1].bytes))
        #expect(BundleTestTools.issue { _ = try BundleReader().members(of: members[1].bytes, fileName: "odd.xlsx") }
                == InputIssue(file: "odd.xlsx", reason: "this is an office document (XLSX, DOCX, ODS…), not a bundle"))
    }

    @Test func recognisesBundlesByContent() throws {
        #expect(BundleReader.looksLikeBundle(try Fixtures.bytes("hostile/empty.zip")))
        #expect(BundleReader.looksLikeBundle(Array(try Fixtures.bytes("hostile/good.tar").prefix(512))))
        #expect(BundleReader.looksLikeBundle([0x1F, 0x8B, 0x08, 0x00]))
        #expect(!BundleReader.looksLikeBundle(Array("numero;montant\n".utf8)))
        #expect(!BundleReader.looksLikeBundle(Array("%PDF-1.7\n".utf8)))
        #expect(!BundleReader.looksLikeBundle([0x50, 0x4B]))
        #expect(!BundleReader.looksLikeBundle([]))
        // A tar without the ustar magic (V7) is not recognised; empty.tar is all zeros.
        #expect(!BundleReader.looksLikeBundle(try Fixtures.bytes("hostile/empty.tar")))
    }

    @Test(.enabled(if: BundleTestTools.has("python3"), "python3 is absent: multi-block tar.gz test skipped"))
    func multiBlockTarGzReadsBackAndPassesItsCRCCheck() throws {
        // 3 MB of gzip stream: many libarchive blocks in both the tar pass and the CRC pass.
        let directory = try BundleTestTools.temporaryDirectory()
        let path = directory.appendingPathComponent("big.tar.gz").path
        let run = try BundleTestTools.run("python3", ["-c", """
            import io, random, sys, tarfile
            rnd = random.Random(5)
            with tarfile.open(sys.argv[1], "w:gz") as t:
                for name, size in [("a.bin", 3000000), ("b/c.bin", 70000), ("d.bin", 1)]:
                    data = bytes(rnd.getrandbits(8) for _ in range(size))
                    info = tarfile.TarInfo(name); info.size = size
                    t.addfile(info, io.BytesIO(data))
            """, path])
        #expect(run.status == 0, "\(run.output)")
        let members = try BundleReader().members(of: try BundleTestTools.bytes(at: URL(fileURLWithPath: path)), fileName: "big.tar.gz")
        #expect(members.map(\.name) == ["a.bin", "b/c.bin", "d.bin"])
        #expect(members.map(\.bytes.count) == [3_000_000, 70_000, 1])
    }

    @Test func anHonestCompressibleEntryAboveTheRatioThresholdIsAccepted() throws {
        // ~3 MB of invoice lines: compresses well (about 6:1 here), far from 200:1.
        var csv = "numero;montant;echeance\n"
        var state: UInt64 = 7
        for i in 0..<100_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            csv += "F-\(100_000 + i);\(state >> 50),\(state >> 58 % 10)0;2024-\(1 + i % 12)-\(1 + i % 28)\n"
        }
        var writer = ArchiveWriter()
        writer.add(name: "export.csv", bytes: Array(csv.utf8))
        let members = try BundleReader().members(of: try writer.zipBytes(), fileName: "e.zip")
        #expect(members.count == 1 && members[0].bytes == Array(csv.utf8))
    }
}
