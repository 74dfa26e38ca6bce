import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore

/// Applies action files and delivery feedback files from the inbox, and single actions from
/// the command line, through the same handlers (`ActionRegistry`).
///
/// An action file is applied in one store transaction together with its record in
/// `ingested_files`: a crash leaves it applied whole or not at all, and re-dropping the same
/// bytes changes nothing. Each row runs in a savepoint: a refused row (unknown invoice,
/// closed case, impossible transition) is undone alone and reported; the other rows apply.
/// The file then goes to `inbox/archive/<date>/`, and the refused rows (if any) are copied
/// to `inbox/rejected/<name>` — only those rows, under the same header, ready to be
/// corrected and dropped again — beside `<name>.errors.txt` naming line and reason for each.
/// A file that cannot be read as an action file at all is rejected whole like any input.
public enum ActionStage {
    /// The kind of action file at `url`, nil for any other input.
    public static func kind(of bytes: [UInt8]) -> ActionFile.Kind? {
        ActionFileReader.recognise(Array(bytes.prefix(4096)))
    }

    /// Inbox files named by the rows of the action file at `url` (proofs), to keep out of the
    /// data ingest. Unreadable files claim nothing (they are rejected later, whole).
    static func claimedFiles(_ bytes: [UInt8], fileName: String, ctx: RunContext, registry: ActionRegistry) -> [String] {
        guard let file = try? ActionFileReader.read(bytes, context: ctx.readContext(fileName: fileName)) else { return [] }
        return file.rows.flatMap { row in registry.handler(for: row.action)?.claimedFiles(row) ?? [] }
    }

    /// Applies the action file at `url` (see the type's documentation).
    static func ingest(_ url: URL, bytes: [UInt8], info: IngestedFileInfo, ctx: RunContext, store: Store,
                       registry: ActionRegistry) throws -> FileReport {
        let name = url.lastPathComponent
        let file: ActionFile
        do {
            file = try ActionFileReader.read(bytes, context: ctx.readContext(fileName: name))
        } catch {
            return try IngestStage.reject(url, info: info, format: "action file",
                                          issues: error.issues.map(\.description) + error.omittedLine, ctx: ctx, store: store)
        }
        var fileInfo = info
        fileInfo.format = file.kind.rawValue
        let folder = url.deletingLastPathComponent()
        var applied: [String] = []
        var refused: [(row: ActionRow, message: String)] = []
        var claimedApplied: [String] = []
        var claimedRefused: [String] = []
        try store.transaction(actor: ctx.actor, at: ctx.timestamp) { tx in
            try tx.recordSourceFile(fileInfo, applied: 0, refused: [])
            for row in file.rows {
                let claimed = registry.handler(for: row.action)?.claimedFiles(row) ?? []
                switch try applyRow(row, registry: registry,
                                    context: ActionContext(run: ctx, transaction: tx, sourceName: name, folder: folder)) {
                case let .applied(message):
                    applied.append(message)
                    claimedApplied += claimed
                case let .refused(refusal):
                    refused.append((row, "\(name):\(row.line): \(refusal)"))
                    claimedRefused += claimed
                }
            }
            try tx.recordSourceFile(fileInfo, applied: applied.count, refused: refused.map(\.message))
        }
        let archive = ctx.home.archiveFolder(processedOn: ctx.processingDay.description)
        if !refused.isEmpty {
            try writeRefusedRows(refused, of: file, name: name, ctx: ctx)
            for proof in Set(claimedRefused).sorted() { try moveIfPresent(proof, from: folder, to: ctx.home.rejectedFolder) }
        }
        for proof in Set(claimedApplied).subtracting(claimedRefused).sorted() { try moveIfPresent(proof, from: folder, to: archive) }
        try FileOps.move(url, into: archive)
        var report = FileReport(name: name, format: file.kind.rawValue, outcome: .ingested, records: applied.count,
                                issues: [], stats: nil)
        report.refusedRows = refused.map(\.message)
        return report
    }

    /// The outcome of one row.
    public enum RowOutcome: Sendable, Equatable {
        case applied(String)
        case refused(ActionRefusal)
    }

    /// Applies one row in a savepoint of `context.transaction`.
    static func applyRow(_ row: ActionRow, registry: ActionRegistry, context: ActionContext) throws -> RowOutcome {
        guard let handler = registry.handler(for: row.action) else {
            let known = registry.actionNames
            return .refused(ActionRefusal("unknown action \"\(row.action)\"" + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))"),
                                          field: "action"))
        }
        do {
            return .applied(try context.transaction.savepoint { try handler.apply(row, context: context) })
        } catch let refusal as ActionRefusal {
            return .refused(refusal)
        }
    }

    /// The command-line door: applies one row in its own transaction, as `ctx.actor`.
    public static func applyOne(_ row: ActionRow, ctx: RunContext, store: Store,
                                registry: ActionRegistry = .standard) throws -> RowOutcome {
        try store.transaction(actor: ctx.actor, at: ctx.timestamp) { tx in
            try applyRow(row, registry: registry,
                         context: ActionContext(run: ctx, transaction: tx, sourceName: nil, folder: ctx.home.inbox))
        }
    }

    static func writeRefusedRows(_ refused: [(row: ActionRow, message: String)], of file: ActionFile, name: String, ctx: RunContext) throws {
        let folder = ctx.home.rejectedFolder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = FileOps.freeName(for: name, in: folder)
        var csv = CSVLine.join(file.labels) + "\r\n"
        for r in refused { csv += CSVLine.join(r.row.values) + "\r\n" }
        let report = refused.map(\.message).joined(separator: "\n") + "\n"
        try FileOps.writeAtomically(Array(report.utf8), to: folder.appendingPathComponent(target + ".errors.txt"))
        try FileOps.writeAtomically(Array(csv.utf8), to: folder.appendingPathComponent(target))
    }

    static func moveIfPresent(_ name: String, from folder: URL, to target: URL) throws {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        try FileOps.move(url, into: target)
    }
}

/// Comma-separated values for the refused-rows copy (quoted when needed, RFC 4180).
enum CSVLine {
    static func join(_ values: [String]) -> String {
        values.map { v in
            v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" })
                ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
        }.joined(separator: ",")
    }
}
