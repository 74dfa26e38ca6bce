import Foundation
import Testing
import RelanceCore
@testable import RelanceFormats

/// The ZIP writer, checked through independent readers: Python's zipfile, Info-ZIP unzip,
/// bsdtar and 7-Zip. Each tool's test is skipped with a message when the tool is absent
/// (`make deps-apt` installs them).
@Suite struct ArchiveWriterTests {
    static let entries: [(String, [UInt8])] = [
        ("relev\u{E9}s/2024/relev\u{E9}-\u{153}uvre.csv", Array("num\u{E9}ro;montant\nF-1;12,50\n".utf8)),
        ("lettre.txt", Array("Mise en demeure\n".utf8)),
        ("pi\u{E8}ces/vide.bin", []),
        ("pi\u{E8}ces/bruit.bin", BundleTestTools.noise(count: 3_000, seed: 9)),
    ]
    static let day = Day(year: 2026, month: 11, day: 23)!

    static func plainZip(date: Day? = day) throws -> [UInt8] {
        var writer = ArchiveWriter(entryDate: date)
        for (name, bytes) in entries { writer.add(name: name, bytes: bytes) }
        return try writer.zipBytes()
    }

    static func encryptedZip() throws -> [UInt8] {
        var writer = ArchiveWriter(encryptionPassphrase: "PASS", entryDate: day)
        for (name, bytes) in entries { writer.add(name: name, bytes: bytes) }
        return try writer.zipBytes()
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func sameInputsGiveTheSameBytes() throws {
        let first = try Self.plainZip()
        let second = try Self.plainZip()
        #expect(first == second)
        #expect(try Self.plainZip(date: nil) == (try Self.plainZip(date: nil)))
        #expect(try Self.plainZip(date: Day(year: 2026, month: 11, day: 24)) != first)
    }

    @Test func readsBackThroughBundleReader() throws {
        let members = try BundleReader().members(of: try Self.plainZip(), fileName: "d.zip")
        #expect(members.map(\.name) == Self.entries.map(\.0))
        #expect(members.map(\.bytes) == Self.entries.map(\.1))
    }

    /// libarchive would write local time here; the writer overwrites it. Run by hand under
    /// `TZ=Pacific/Kiritimati` (UTC+14) and `TZ=America/Los_Angeles`, where an unpatched
    /// archive holds 14:00 the same day or 16:00 the day before (changing `TZ` inside the
    /// shared test process would disturb other suites).
    @Test func datesAreInTheDOSFieldsWhateverTheTimeZone() throws {
        let zip = try Self.plainZip()
        // Every local header (PK\3\4, date/time at +10) and central record (PK\1\2, at +12)
        // holds 2026-11-23 00:00:00: date ((2026-1980) << 9 | 11 << 5 | 23), time 0.
        let date = UInt16((2026 - 1980) << 9 | 11 << 5 | 23)
        var locals = 0, centrals = 0
        for i in 0..<(zip.count - 46) where zip[i] == 0x50 && zip[i + 1] == 0x4B {
            if zip[i + 2] == 3 && zip[i + 3] == 4 {
                locals += 1
                #expect(Array(zip[(i + 10)..<(i + 14)]) == [0, 0, UInt8(date & 0xFF), UInt8(date >> 8)])
            } else if zip[i + 2] == 1 && zip[i + 3] == 2 {
                centrals += 1
                #expect(Array(zip[(i + 12)..<(i + 16)]) == [0, 0, UInt8(date & 0xFF), UInt8(date >> 8)])
            }
        }
        #expect(locals == 4 && centrals == 4)
    }

    @Test func refusesBadNamesAndEmptyPassphrase() {
        for bad in ["", "/abs.csv", "../up.csv", "a/../b.csv", "./a.csv", "a//b.csv", "a\\b.csv", "C:x.csv", "a\nb.csv", "dir/"] {
            var writer = ArchiveWriter()
            writer.add(name: bad, bytes: [1])
            #expect(throws: ArchiveWriter.Failure(message: "\(bad): not a plain relative path inside the archive")) { _ = try writer.zipBytes() }
        }
        var twice = ArchiveWriter()
        twice.add(name: "a.csv", bytes: [1])
        twice.add(name: "a.csv", bytes: [2])
        #expect(throws: ArchiveWriter.Failure(message: "a.csv: added twice")) { _ = try twice.zipBytes() }
        var empty = ArchiveWriter(encryptionPassphrase: "")
        empty.add(name: "a.csv", bytes: [1])
        #expect(throws: ArchiveWriter.Failure(message: "the encryption passphrase is empty")) { _ = try empty.zipBytes() }
        var old = ArchiveWriter(entryDate: Day(year: 1979, month: 12, day: 31))
        old.add(name: "a.csv", bytes: [1])
        #expect(throws: ArchiveWriter.Failure.self) { _ = try old.zipBytes() }
    }

    // MARK: Independent readers

    @Test(.enabled(if: BundleTestTools.has("python3"), "python3 is absent: zipfile check skipped"))
    func pythonZipfileListsNamesBytesFlagsAndDates() throws {
        for date in [Optional(Self.day), nil] {
            let path = try BundleTestTools.write(try Self.plainZip(date: date), name: "dossier.zip").path
            let script = """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as z:
                assert z.testzip() is None
                for i in z.infolist():
                    ut = i.extra[i.extra.find(b"UT"):][4:]
                    print(i.filename, z.read(i).hex(), i.flag_bits & 0x800, "%04d-%02d-%02d %02d:%02d:%02d" % i.date_time,
                          int.from_bytes(ut[1:5], "little") if ut[:1] == b"\\x01" else "-", oct(i.external_attr >> 16), sep="|")
            """
            let run = try BundleTestTools.run("python3", ["-c", script, path])
            #expect(run.status == 0, "\(run.output)")
            let stamp = date == nil ? "1980-01-01 00:00:00" : "2026-11-23 00:00:00"
            let unix = date == nil ? "-" : "1795392000"
            // libarchive sets the UTF-8 flag (0x800) on non-ASCII names only.
            let expected = Self.entries.map {
                "\($0.0)|\(Self.hex($0.1))|\($0.0.utf8.allSatisfy { $0 < 0x80 } ? 0 : 2048)|\(stamp)|\(unix)|0o100644"
            }
            #expect(run.output.split(separator: "\n").map(String.init) == expected)
        }
    }

    @Test(.enabled(if: BundleTestTools.has("unzip"), "unzip is absent: unzip -t check skipped"))
    func unzipTestsEveryEntry() throws {
        let path = try BundleTestTools.write(try Self.plainZip(), name: "dossier.zip").path
        let run = try BundleTestTools.run("unzip", ["-t", path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("No errors detected in compressed data"))
        #expect(run.output.components(separatedBy: "  OK").count - 1 == Self.entries.count)
    }

    @Test(.enabled(if: BundleTestTools.has("bsdtar"), "bsdtar is absent (libarchive-tools): listing check skipped"))
    func bsdtarListsTheNamesPlainAndEncrypted() throws {
        for zip in [try Self.plainZip(), try Self.encryptedZip()] {
            let path = try BundleTestTools.write(zip, name: "dossier.zip").path
            let run = try BundleTestTools.run("bsdtar", ["-tf", path])
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.split(separator: "\n").map(String.init) == Self.entries.map(\.0))
        }
    }

    @Test(.enabled(if: BundleTestTools.has("7z"), "7z is absent (p7zip-full): encrypted-archive check skipped"))
    func sevenZipOpensTheEncryptedArchiveWithThePassphraseOnly() throws {
        let zip = try Self.encryptedZip()
        let path = try BundleTestTools.write(zip, name: "dossier.zip").path
        let good = try BundleTestTools.run("7z", ["t", "-pPASS", path])
        #expect(good.status == 0 && good.output.contains("Everything is Ok"), "\(good.output)")
        #expect(good.output.contains("Files: 4"), "\(good.output)")
        let wrong = try BundleTestTools.run("7z", ["t", "-pWRONG", path])
        #expect(wrong.status != 0)
        let slt = try BundleTestTools.run("7z", ["l", "-slt", "-pPASS", path])
        #expect(slt.output.contains("Method = AES-256"), "\(slt.output)")
        let content = try BundleTestTools.run("7z", ["x", "-so", "-pPASS", path, Self.entries[0].0])
        #expect(content.output.hasSuffix("num\u{E9}ro;montant\nF-1;12,50\n"), "\(content.output)")
        // The plaintext is nowhere in the archive.
        #expect(!String(decoding: zip, as: UTF8.self).contains("Mise en demeure"))
    }
}
