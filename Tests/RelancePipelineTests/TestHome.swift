import Foundation
import RelanceCommands
import RelanceCore
import RelancePipeline
import RelanceStore
import RelanceTestSupport

/// A throwaway Relance home in a temporary folder, with helpers to drop files and run stages.
final class TestHome {
    let root: URL
    var inbox: URL { root.appendingPathComponent("inbox") }
    var outbox: URL { root.appendingPathComponent("outbox") }
    var storePath: URL { root.appendingPathComponent("state/relance.sqlite") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("relance-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func drop(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: inbox.appendingPathComponent(name))
    }

    func drop(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: inbox.appendingPathComponent(name))
    }

    /// Copies every file of a fixture folder into the inbox.
    func dropFixtures(_ folder: String) throws {
        let dir = Fixtures.url(folder)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
            try FileManager.default.copyItem(at: dir.appendingPathComponent(name), to: inbox.appendingPathComponent(name))
        }
    }

    func writeConfig(_ yaml: String) throws {
        try Data(yaml.utf8).write(to: root.appendingPathComponent("relance.yaml"))
    }

    func options(asOf: String = "2026-11-20", extra: [String] = []) throws -> StageOptions {
        try StageOptions.parse(["--home", root.path, "--as-of", asOf] + extra)
    }

    /// Runs ingest then report, like `relance run`.
    @discardableResult
    func run(asOf: String = "2026-11-20", extra: [String] = []) throws -> (ExitStatus, Summary) {
        var captured: Summary?
        let status = StageRunner.execute(try options(asOf: asOf, extra: extra), actor: "test") { ctx, store, summary in
            summary.ingest = try IngestStage.run(ctx, store: store)
            summary.report = try ReportStage.run(ctx, store: store)
            captured = summary
        }
        return (status, captured ?? Summary(asOf: Day.parse(asOf)!, home: RelanceHome(home: root.path)))
    }

    func report(_ asOf: String = "2026-11-20", _ name: String = "aged-balance.csv") throws -> String {
        try String(contentsOf: outbox.appendingPathComponent("reports/\(asOf)/\(name)"), encoding: .utf8)
    }

    func files(in relative: String) -> [String] {
        let dir = root.appendingPathComponent(relative)
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    func archived() -> [String] {
        let base = inbox.appendingPathComponent("archive")
        var out: [String] = []
        for day in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] {
            out += files(in: "inbox/archive/\(day)")
        }
        return out.sorted()
    }

    func store() throws -> Store { try Store(path: storePath.path) }
}
