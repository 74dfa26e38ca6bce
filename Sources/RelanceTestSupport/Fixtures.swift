import Foundation
import Testing

/// Where test material lives, found from this file's path so tests run from any directory.
public enum Fixtures {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `fixtures/` in the repository.
    public static let directory = packageRoot.appendingPathComponent("fixtures")

    public static func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    public static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(relative)))
    }
}

/// The shared real-world samples (`../shared/samples/` beside the repository). Their licences
/// forbid copying them into the project: tests read them in place and are skipped, with a
/// message, when the folder is absent.
public enum Samples {
    public static let directory: URL = {
        if let env = ProcessInfo.processInfo.environment["RELANCE_SAMPLES"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return Fixtures.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/samples")
    }()

    public static var available: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("README.md").path)
    }

    /// Message for `@Test(.enabled(if: Samples.available, Samples.skipMessage))`.
    public static let skipMessage: Comment = "../shared/samples is absent: sample-based test skipped"

    public static func url(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    public static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(relative)))
    }

    /// Files (not folders, not SOURCES.md/README.md) under a sample folder, sorted.
    public static func files(in folder: String) -> [String] {
        let base = url(folder)
        guard let e = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var out: [String] = []
        for case let u as URL in e {
            guard (try? u.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let name = u.lastPathComponent
            if name == "SOURCES.md" || name == "README.md" { continue }
            out.append(String(u.path.dropFirst(directory.path.count + 1)))
        }
        return out.sorted()
    }
}
