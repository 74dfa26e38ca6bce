import Testing
import RelanceCore
import RelanceTestSupport
@testable import RelanceFormats

/// Hostile bundles: each is refused whole, with a reason naming the entry.
@Suite struct BundleHostileTests {
    struct Case: Sendable, CustomStringConvertible {
        var file: String
        var location: String?
        var reason: String
        var description: String { file }
    }

    static let notRegular = "; only regular files are accepted"
    static let gzipMismatch = "archive is damaged or truncated: gzip CRC-32 or length mismatch (or several gzip members, which are not supported)"

    static let exact: [Case] = [
        Case(file: "zip-slip.zip", location: "../../etc/x", reason: "entry path contains a `..` component (path traversal)"),
        Case(file: "zip-slip.tar", location: "factures/../../../etc/x", reason: "entry path contains a `..` component (path traversal)"),
        // libarchive turns a ZIP name's backslashes into slashes before Relance sees it.
        Case(file: "backslash-slip.zip", location: "../../x.csv", reason: "entry path contains a `..` component (path traversal)"),
        Case(file: "absolute.zip", location: "/etc/x", reason: "entry path is absolute"),
        Case(file: "absolute.tar", location: "/etc/x", reason: "entry path is absolute"),
        Case(file: "absolute-drive.zip", location: "C:/Windows/x.csv", reason: "entry path is absolute"),
        Case(file: "absolute-unc.zip", location: "//server/share/x.csv", reason: "entry path is absolute"),
        Case(file: "control-name.zip", location: "a?b.csv", reason: "entry name contains control characters"),
        // A ZIP name without the UTF-8 flag is read as the DOS code page it then is (see ZipNameEncodingTests).
        Case(file: "latin1-name.zip", location: "caf\u{DA}.csv", reason: ZipNameEncoding.reason([0x63, 0x61, 0x66, 0xE9, 0x2E, 0x63, 0x73, 0x76])),
        Case(file: "latin1-name.tar", location: "caf\u{FFFD}.csv", reason: "entry name is not valid UTF-8"),
        Case(file: "duplicate.zip", location: "a.csv", reason: "entry name appears twice in the bundle"),
        Case(file: "symlink.tar", location: "passwd.csv", reason: "entry is a symbolic link to /etc/passwd" + notRegular),
        Case(file: "symlink.zip", location: "passwd.csv", reason: "entry is a symbolic link to /etc/passwd" + notRegular),
        Case(file: "hardlink.tar", location: "b.csv", reason: "entry is a hard link to a.csv" + notRegular),
        Case(file: "chardev.tar", location: "null.csv", reason: "entry is a character device" + notRegular),
        Case(file: "blockdev.tar", location: "sda.csv", reason: "entry is a block device" + notRegular),
        Case(file: "fifo.tar", location: "pipe.csv", reason: "entry is a FIFO (named pipe)" + notRegular),
        Case(file: "encrypted-flag.zip", location: "secret.csv", reason: "entry is encrypted; encrypted bundles are not accepted"),
        Case(file: "nested-deep.zip", location: "l1.zip/l2.zip", reason: "bundle nested more than one level deep"),
        // libarchive does not check the gzip trailer; Relance does.
        Case(file: "bad-crc.tar.gz", location: nil, reason: gzipMismatch),
        Case(file: "multi-member.tar.gz", location: nil, reason: gzipMismatch),
        Case(file: "empty.zip", location: nil, reason: "bundle holds no files"),
        Case(file: "empty.tar", location: nil, reason: "bundle holds no files"),
        Case(file: "only-litter.zip", location: nil,
             reason: "bundle holds no files (only ignored entries: .DS_Store, __MACOSX/factures/._janvier.csv)"),
    ]

    @Test(arguments: exact)
    func refusedWithExactReason(_ c: Case) throws {
        let bytes = try Fixtures.bytes("hostile/\(c.file)")
        let issue = BundleTestTools.issue { _ = try BundleReader().members(of: bytes, fileName: "inbox/\(c.file)") }
        #expect(issue == InputIssue(file: "inbox/\(c.file)", location: c.location, reason: c.reason))
    }

    /// Damaged archives: libarchive's words follow ours, so only our part is exact. A ZIP is
    /// read through its central directory, so a ZIP cut anywhere before its end is refused
    /// even when every local entry is intact (truncated.zip keeps all its file data).
    static let damaged: [Case] = [
        Case(file: "truncated.zip", location: nil, reason: "archive is damaged or truncated: ZIP without a readable central directory (libarchive: "),
        Case(file: "corrupt.zip", location: "clients.csv", reason: "archive is damaged or truncated: "),
        Case(file: "truncated.tar", location: nil, reason: "archive is damaged or truncated"),
        Case(file: "truncated.tar.gz", location: nil, reason: "gzip-compressed data that is truncated, damaged or not a tar archive (libarchive: "),
        Case(file: "garbage.zip", location: nil, reason: "archive is damaged or truncated: ZIP without a readable central directory (libarchive: "),
        Case(file: "gzip-not-tar.csv.gz", location: nil, reason: "gzip-compressed data that is truncated, damaged or not a tar archive (libarchive: "),
    ]

    @Test(arguments: damaged)
    func damagedArchiveIsRefusedWithAClearReason(_ c: Case) throws {
        let bytes = try Fixtures.bytes("hostile/\(c.file)")
        let found = BundleTestTools.issue { _ = try BundleReader().members(of: bytes, fileName: c.file) }
        let issue = try #require(found)
        #expect(issue.file == c.file)
        #expect(issue.reason.hasPrefix(c.reason), "\(issue)")
        if let location = c.location { #expect(issue.location == location, "\(issue)") }
    }

    @Test func everyPrefixOfAGoodBundleIsRefusedOrReadWithoutCrashing() throws {
        // A poor man's fuzz: every truncation of good.zip and good.tar.gz goes through the
        // reader; none may trap, and none may yield a member that was not in the bundle.
        let expected = Dictionary(uniqueKeysWithValues: BundleReaderTests.good.map { ($0.0, Array($0.1.utf8)) })
        for file in ["good.zip", "good.tar.gz"] {
            let bytes = try Fixtures.bytes("hostile/\(file)")
            var refused = 0
            for n in stride(from: 0, to: bytes.count, by: 7) {
                do {
                    for m in try BundleReader().members(of: Array(bytes.prefix(n)), fileName: file) {
                        #expect(expected[m.name] == m.bytes, "\(file) cut at \(n): \(m.name)")
                    }
                } catch {
                    refused += 1
                }
            }
            #expect(refused > 0)
        }
    }

    @Test func notAnArchiveAtAll() {
        let issue = BundleTestTools.issue { _ = try BundleReader().members(of: [], fileName: "x.zip") }
        #expect(issue == InputIssue(file: "x.zip", reason: "not a ZIP or tar archive: the file is empty"))
        let csv = BundleTestTools.issue { _ = try BundleReader().members(of: Array("a;b\n1;2\n".utf8), fileName: "x.zip") }
        #expect(csv?.reason.hasPrefix("not a readable ZIP or tar archive (libarchive: ") == true)
    }

    @Test func encryptedZipFromArchiveWriterIsRefused() throws {
        var writer = ArchiveWriter(encryptionPassphrase: "s3cret")
        writer.add(name: "dossier/facture.csv", bytes: Array("n;m\n".utf8))
        let bytes = try writer.zipBytes()
        #expect(BundleTestTools.issue { _ = try BundleReader().members(of: bytes, fileName: "e.zip") }
                == InputIssue(file: "e.zip", location: "dossier/facture.csv", reason: "entry is encrypted; encrypted bundles are not accepted"))
    }

    // MARK: Limits, lowered so that small archives reach them.

    @Test func totalSizeCap() throws {
        var writer = ArchiveWriter()
        for (i, name) in ["a.bin", "b.bin", "c.bin"].enumerated() {
            writer.add(name: name, bytes: BundleTestTools.noise(count: 400 * 1024, seed: UInt64(i)))
        }
        let bytes = try writer.zipBytes()
        let reader = BundleReader(limits: BundleLimits(maxTotalBytes: 1024 * 1024))
        #expect(BundleTestTools.issue { _ = try reader.members(of: bytes, fileName: "t.zip") }
                == InputIssue(file: "t.zip", location: "c.bin", reason: "bundle expands beyond the total limit of 1 MiB"))
    }

    @Test func perEntryCap() throws {
        var writer = ArchiveWriter()
        writer.add(name: "small.bin", bytes: BundleTestTools.noise(count: 1000, seed: 1))
        writer.add(name: "big.bin", bytes: BundleTestTools.noise(count: 400 * 1024, seed: 2))
        let bytes = try writer.zipBytes()
        let reader = BundleReader(limits: BundleLimits(maxEntryBytes: 256 * 1024))
        #expect(BundleTestTools.issue { _ = try reader.members(of: bytes, fileName: "t.zip") }
                == InputIssue(file: "t.zip", location: "big.bin", reason: "entry expands beyond the per-entry limit of 256 KiB"))
    }

    @Test func entryCountCapCountsFoldersAndLitterToo() throws {
        // good.tar holds 4 folders, 4 files and 3 ignored entries: 11 entries.
        let bytes = try Fixtures.bytes("hostile/good.tar")
        #expect(throws: Never.self) { _ = try BundleReader(limits: BundleLimits(maxEntries: 11)).members(of: bytes, fileName: "g.tar") }
        #expect(BundleTestTools.issue { _ = try BundleReader(limits: BundleLimits(maxEntries: 10)).members(of: bytes, fileName: "g.tar") }
                == InputIssue(file: "g.tar", reason: "bundle holds more than 10 entries"))
    }

    @Test func ratioCheckedOnTheWholeEntryAboveTheThreshold() throws {
        // 2 MiB of zeros deflate to ~2 KB (1000:1). The check while reading allows 128 KiB of
        // read-ahead slack, so it cannot fire this early: the exact check at the end does.
        var writer = ArchiveWriter()
        writer.add(name: "zeros.csv", bytes: [UInt8](repeating: 0, count: 2 * 1024 * 1024))
        let bytes = try writer.zipBytes()
        let expected = InputIssue(file: "z.zip", location: "zeros.csv", reason: "entry expands more than 200:1 (decompression bomb)")
        #expect(BundleTestTools.issue { _ = try BundleReader().members(of: bytes, fileName: "z.zip") } == expected)
        // A ratio limit of 2000:1 lets it through.
        let lenient = BundleReader(limits: BundleLimits(maxCompressionRatio: 2000))
        #expect(try lenient.members(of: bytes, fileName: "z.zip").first?.bytes.count == 2 * 1024 * 1024)
        // Under the threshold the ratio does not matter.
        var small = ArchiveWriter()
        small.add(name: "zeros.csv", bytes: [UInt8](repeating: 0, count: 1024 * 1024))
        #expect(try BundleReader().members(of: try small.zipBytes(), fileName: "z.zip").count == 1)
    }

    // MARK: Big archives made at run time by make_hostile.py --large

    @Test(.enabled(if: BundleTestTools.has("python3"), "python3 is absent: generated bomb tests skipped"),
          arguments: ["bomb.zip", "bomb.tar.gz"])
    func decompressionBombWithDefaultLimits(file: String) throws {
        let directory = try #require(BundleTestTools.largeFixtures)
        let bytes = try BundleTestTools.bytes(at: directory.appendingPathComponent(file))
        #expect(bytes.count < 400_000)  // 300 MiB of zeros inside
        #expect(BundleTestTools.issue { _ = try BundleReader().members(of: bytes, fileName: file) }
                == InputIssue(file: file, location: "rapport.csv", reason: "entry expands more than 200:1 (decompression bomb)"))
    }

    @Test(.enabled(if: BundleTestTools.has("python3"), "python3 is absent: generated entry-count test skipped"))
    func entryCountCapWithDefaultLimits() throws {
        let directory = try #require(BundleTestTools.largeFixtures)
        let bytes = try BundleTestTools.bytes(at: directory.appendingPathComponent("many-entries.zip"))
        #expect(BundleTestTools.issue { _ = try BundleReader().members(of: bytes, fileName: "m.zip") }
                == InputIssue(file: "m.zip", reason: "bundle holds more than 10000 entries"))
    }
}

/// The measurements the limits rely on, checked against an independent reader.
@Suite struct BundleMeasurementTests {
    @Test(.enabled(if: BundleTestTools.has("python3"), "python3 is absent: compressed-size check skipped"))
    func compressedBytesConsumedPerZipEntryAreExact() throws {
        var writer = ArchiveWriter()
        writer.add(name: "zeros.bin", bytes: [UInt8](repeating: 0, count: 3 * 1024 * 1024))
        writer.add(name: "noise.bin", bytes: BundleTestTools.noise(count: 300_000, seed: 4))
        writer.add(name: "small.csv", bytes: Array("n;m\nF-1;1,00\n".utf8))
        let zip = try writer.zipBytes()
        let path = try BundleTestTools.write(zip, name: "m.zip").path
        let run = try BundleTestTools.run("python3", ["-c", """
            import sys, zipfile
            print(" ".join(str(i.compress_size) for i in zipfile.ZipFile(sys.argv[1]).infolist()))
            """, path])
        let expected = run.output.split(whereSeparator: \.isWhitespace).compactMap { Int64($0) }
        #expect(expected.count == 3)

        let reader = try LibArchive.MemoryReader(bytes: zip)
        var measured: [Int64] = []
        while try reader.nextEntry() != nil {
            let start = reader.rawBytesConsumed
            var sink: [UInt8] = []
            while try reader.readData(appendingTo: &sink) > 0 {}
            measured.append(reader.rawBytesConsumed - start)
        }
        #expect(measured == expected)
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        var crc = CRC32()
        crc.update(Array("123456789".utf8))
        #expect(crc.value == 0xCBF4_3926)
        var split = CRC32()
        split.update(Array("12345".utf8))
        split.update(Array("6789".utf8))
        #expect(split.value == 0xCBF4_3926)
        var long = CRC32()
        long.update([UInt8](repeating: 0, count: 1000))
        #expect(long.value == 0x060B_1780)  // Python: zlib.crc32(bytes(1000))
    }

    @Test func flippedBytesNeverYieldUnexpectedContent() throws {
        // Every byte of good.zip and good.tar.gz flipped in turn: the reader refuses the
        // archive or returns members whose bytes are among the originals (CRCs cover data,
        // not names, so a flipped name may come through). It never traps.
        let contents = Set(BundleReaderTests.good.map { Array($0.1.utf8) })
        for file in ["good.zip", "good.tar.gz"] {
            let original = try Fixtures.bytes("hostile/\(file)")
            var refused = 0
            for i in original.indices {
                var bytes = original
                bytes[i] ^= 0xA5
                do {
                    for m in try BundleReader().members(of: bytes, fileName: file) {
                        #expect(contents.contains(m.bytes), "\(file) flipped at \(i): \(m.name)")
                    }
                } catch {
                    refused += 1
                }
            }
            #expect(refused > original.count / 4, "\(file): only \(refused) of \(original.count) flips refused")
        }
    }
}
