import Foundation
import Testing
import RelanceTestSupport

/// The executables' contract, through the real binaries: exit statuses and help.
@Suite struct CommandLineTests {
    static let bin = Fixtures.packageRoot.appendingPathComponent(".build/debug")

    static var built: Bool { FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("relance").path) }

    func run(_ tool: String, _ args: [String]) throws -> (Int32, String) {
        try ProcessRunner.run(Self.bin.appendingPathComponent(tool), args)
    }

    @Test(.enabled(if: built, "debug executables not built"), arguments: [
        (["run", "--as-of", "2026-13-01"], Int32(64)),
        (["run", "--as-of", "20/11/2026"], Int32(64)),
        (["run", "--no-such-option"], Int32(64)),
        (["ingest", "--help"], Int32(0)),
    ])
    func exitStatuses(args: [String], status: Int32) throws {
        let home = try TestHome()
        let (code, _) = try run("relance", args + ["--home", home.root.path])
        #expect(code == status)
    }

    @Test(.enabled(if: built, "debug executables not built"))
    func stageExecutablesNameThemselvesAndRunTheContract() throws {
        let (code, help) = try run("relance-ingest", ["--help"])
        #expect(code == 0)
        #expect(help.contains("relance-ingest"))
        #expect(help.contains("--as-of"))
        let home = try TestHome()
        try home.drop("bad.csv", "foo,bar\n1,2\n")
        let (status, output) = try run("relance-ingest", ["--home", home.root.path, "--as-of", "2026-11-20"])
        #expect(status == 65)
        #expect(output.contains("REJECTED"))
        let (reportStatus, _) = try run("relance-report", ["--home", home.root.path, "--as-of", "2026-11-20"])
        #expect(reportStatus == 0)
        #expect(FileManager.default.fileExists(atPath: home.outbox.appendingPathComponent("reports/2026-11-20/aged-balance.csv").path))
    }
}
