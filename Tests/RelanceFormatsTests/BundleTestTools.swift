import Foundation
import RelanceCore
import RelanceTestSupport
@testable import RelanceFormats

/// External programs and generated archives for the bundle and archive-writer tests.
enum BundleTestTools {
    struct Run {
        var status: Int32
        var output: String
    }

    /// Whether `tool` is on the PATH (the tests that need it are skipped otherwise).
    static func has(_ tool: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }

    /// Runs `tool` with `arguments`, stdout and stderr merged.
    static func run(_ tool: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// One folder per test process for everything the bundle tests write, removed when the
    /// process exits.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("relance-bundle-tests-\(UUID().uuidString)")
        atexit { try? FileManager.default.removeItem(at: BundleTestTools.scratch) }
        return url
    }()

    /// A fresh folder inside `scratch`.
    static func temporaryDirectory() throws -> URL {
        let url = scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func bytes(at url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// Writes `bytes` to a temporary file and returns its path.
    static func write(_ bytes: [UInt8], name: String) throws -> URL {
        let url = try temporaryDirectory().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// The big archives of `make_hostile.py --large` (zip bomb, tar.gz bomb, 10 001 entries),
    /// made once per test run; nil without python3.
    static let largeFixtures: URL? = {
        guard has("python3"), let directory = try? temporaryDirectory() else { return nil }
        let script = Fixtures.url("hostile/make_hostile.py").path
        guard let result = try? run("python3", [script, "--large", directory.path]), result.status == 0 else { return nil }
        return directory
    }()

    /// The only issue of the `InputRejection` that `body` throws; nil when it throws nothing,
    /// something else, or a rejection with several issues.
    static func issue(_ body: () throws -> Void) -> InputIssue? {
        do {
            try body()
            return nil
        } catch let rejection as InputRejection {
            return rejection.issues.count == 1 ? rejection.issues[0] : nil
        } catch {
            return nil
        }
    }

    /// Deterministic bytes that do not compress (a linear congruential generator).
    static func noise(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }
}
