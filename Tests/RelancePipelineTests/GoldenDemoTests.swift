import Foundation
import Testing
import RelanceCommands
import RelanceTestSupport

/// The demo company end to end: inbox → aged balance, compared with files derived
/// independently (Python, `Golden/derive_aged_balance.py`) and cross-checked by DuckDB.
@Suite struct GoldenDemoTests {
    static let asOf = (try? String(contentsOf: Fixtures.url("demo/AS_OF"), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""

    @Test func demoAgedBalanceEqualsTheIndependentDerivation() throws {
        let home = try TestHome()
        try home.dropFixtures("demo/inbox")
        let (status, summary) = try home.run(asOf: Self.asOf)
        #expect(status == .ok)
        #expect(summary.ingest?.ingestedCount == 6)
        let produced = try Data(contentsOf: home.outbox.appendingPathComponent("reports/\(Self.asOf)/aged-balance.csv"))
        let expected = try Data(contentsOf: Fixtures.url("demo/expected/aged-balance.csv"))
        #expect(produced == expected, "aged-balance.csv differs from fixtures/demo/expected/aged-balance.csv")
        #expect(home.archived().count == 6)
        #expect(home.files(in: "inbox").filter { !$0.hasPrefix(".") && $0 != "archive" }.isEmpty)
    }

    @Test func rfc4180DialectFromTheConfiguration() throws {
        let home = try TestHome()
        try home.dropFixtures("demo/inbox")
        try home.writeConfig("reports:\n  csv_dialect: rfc4180\n")
        let (status, _) = try home.run(asOf: Self.asOf)
        #expect(status == .ok)
        let produced = try Data(contentsOf: home.outbox.appendingPathComponent("reports/\(Self.asOf)/aged-balance.csv"))
        #expect(produced == (try Data(contentsOf: Fixtures.url("demo/expected/aged-balance.rfc4180.csv"))))
    }

    /// The expected files are not hand-edited: the independent derivation still produces them.
    @Test(.enabled(if: Python.available, "python3 is absent: derivation check skipped"))
    func expectedFilesAreWhatTheDerivationScriptComputes() throws {
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/RelancePipelineTests/Golden/derive_aged_balance.py")
        let result = try Python.run([script.path, "--inbox", Fixtures.url("demo/inbox").path, "--as-of", Self.asOf,
                                     "--check", Fixtures.url("demo/expected").path, "--order-check"])
        #expect(result.status == 0, "\(result.output)")
    }
}

/// python3 for the independent validators.
enum Python {
    static var available: Bool { ProcessRunner.python3 != nil }

    static func run(_ args: [String]) throws -> (status: Int32, output: String) {
        try ProcessRunner.run(ProcessRunner.python3 ?? URL(fileURLWithPath: "/usr/bin/python3"), args)
    }
}
