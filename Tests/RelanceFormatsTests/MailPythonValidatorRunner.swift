import Foundation
import Testing

/// Runs one of the Python validators under `Validators/` on a file and returns its JSON
/// output decoded. Shared by the e-mail and XLSX tests (the file name starts with Mail only
/// because of file ownership); tests skip themselves when python3 (or openpyxl) is absent.
enum PythonValidatorRunner {
    /// The first `python3` on PATH: the one `make deps-pip` installs openpyxl for.
    static let python: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = String(directory) + "/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    static var pythonAvailable: Bool { python != nil }
    static let pythonSkipMessage: Comment = "python3 not found: the Python email parser check is skipped"

    static let openpyxlAvailable: Bool = {
        guard let python else { return false }
        return (try? run(python, ["-c", "import openpyxl"]))?.status == 0
    }()
    static let openpyxlSkipMessage: Comment = "python3 with openpyxl not found (make deps-pip): the openpyxl check is skipped"

    static func scriptPath(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Validators/" + name).path
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, stdout, stderr)
    }

    /// Writes `bytes` to a temporary file, runs `script` on it, decodes its JSON as `T`.
    static func validate<T: Decodable>(_ bytes: [UInt8], suffix: String, script: String, as type: T.Type) throws -> T {
        guard let python else { throw Failure(description: "python3 not found") }
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("relance-validate-\(UUID().uuidString)\(suffix)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try run(python, [scriptPath(script), file.path])
        guard result.status == 0 else {
            throw Failure(description: "\(script) failed (\(result.status)): \(String(decoding: result.stderr, as: UTF8.self))")
        }
        return try JSONDecoder().decode(T.self, from: result.stdout)
    }
}
