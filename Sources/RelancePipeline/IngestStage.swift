import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore

/// What happened to one file of the inbox.
public struct FileReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Read and committed to the store.
        case ingested
        /// The same bytes were ingested before: archived again, nothing changed.
        case alreadyIngested
        /// Quarantined in `inbox/rejected/` with its `.errors.txt`.
        case rejected
    }
    public var name: String
    public var format: String
    public var outcome: Outcome
    public var records: Int
    public var issues: [String]
    public var stats: IngestStats?
    /// Rows of an action file that were refused (`file:line: reason`); the rest applied.
    public var refusedRows: [String] = []
}

/// The result of the ingest stage, for the run summary.
public struct IngestReport: Sendable {
    public var files: [FileReport] = []
    public var notes: [String] = []
    public var derivedDueDates = 0
    public var allocation: AllocationStats?
    /// Attachments waiting for their document (document number, file name).
    public var pendingAttachments: [(documentNumber: String, fileName: String)] = []

    public var rejectedCount: Int { files.filter { $0.outcome == .rejected }.count }
    /// Action rows refused over every action file.
    public var refusedRowCount: Int { files.reduce(0) { $0 + $1.refusedRows.count } }
    public var ingestedCount: Int { files.filter { $0.outcome == .ingested }.count }
}

/// Stage 1: every file of the inbox is ingested whole into the store, or quarantined.
///
/// The protocol (Postfix-like): files whose name starts with `.` or ends in `.tmp`/`.part`
/// are still being written by their producer and are left alone. A file is read, checked,
/// committed to the store in one transaction together with its SHA-256, and only then moved
/// to `inbox/archive/<processing date>/`. A crash before the commit leaves the file in the
/// inbox (read again next run); a crash after it leaves a file whose hash the store already
/// knows (just archived next run). A bad file is moved to `inbox/rejected/` beside its
/// `<name>.errors.txt`; it is never deleted.
public enum IngestStage {
    ///
    /// Data files (exports, statements, invoices) go first, then action and delivery feedback
    /// files (`ActionStage`), so that a decision can name a payment or invoice dropped in the
    /// same run. Files that an action file claims (proofs beside a feedback file) are left to it.
    public static func run(_ ctx: RunContext, store: Store, registry: ActionRegistry = .standard) throws -> IngestReport {
        var report = IngestReport()
        let all = try pendingFiles(in: ctx.home.inbox)
        var actionFiles: [URL] = []
        var claimed: Set<String> = []
        for url in all {
            guard ActionStage.kind(of: try FileOps.readHead(url, count: 4096)) != nil else { continue }
            actionFiles.append(url)
            claimed.formUnion(ActionStage.claimedFiles(try FileOps.readBytes(url), fileName: url.lastPathComponent, ctx: ctx, registry: registry))
        }
        let actionNames = Set(actionFiles.map(\.lastPathComponent))
        let files = all.filter { !actionNames.contains($0.lastPathComponent) && !claimed.contains($0.lastPathComponent) }
        let total = files.count + actionFiles.count
        let reads = FileReadAhead(files, ctx: ctx)
        for (i, url) in files.enumerated() {
            ctx.progress.step(i, of: total, url.lastPathComponent)
            let read = try PhaseLog.measure("wait for \(url.lastPathComponent)") { try reads.take(i) }
            report.files.append(try PhaseLog.measure("store \(url.lastPathComponent)") {
                try ingest(url, ctx: ctx, store: store, read: read)
            })
        }
        ctx.progress.step(files.count, of: total, "allocating payments")
        let terms = ctx.config
        report.derivedDueDates = try PhaseLog.measure("derived due dates") {
            try store.setDerivedDueDates(termsDays: terms.paymentTermsDays, perCustomer: terms.customerPaymentTerms)
        }
        report.allocation = try PhaseLog.measure("exact allocations") { try store.applyExactAllocations(at: ctx.timestamp) }
        for (i, url) in actionFiles.enumerated() {
            ctx.progress.step(files.count + i, of: total, url.lastPathComponent)
            report.files.append(try ingestActions(url, ctx: ctx, store: store, registry: registry))
        }
        report.pendingAttachments = try store.pendingAttachments()
        ctx.progress.finish()
        return report
    }

    static func ingestActions(_ url: URL, ctx: RunContext, store: Store, registry: ActionRegistry) throws -> FileReport {
        let name = url.lastPathComponent
        let bytes = try FileOps.readBytes(url)
        let sha = FileOps.sha256Hex(bytes)
        if try store.fileOutcome(sha256: sha) == .ingested {
            try FileOps.move(url, into: ctx.home.archiveFolder(processedOn: ctx.processingDay.description))
            return FileReport(name: name, format: "", outcome: .alreadyIngested, records: 0, issues: [], stats: nil)
        }
        let info = IngestedFileInfo(sha256: sha, name: name, size: Int64(bytes.count), format: "action file")
        return try ActionStage.ingest(url, bytes: bytes, info: info, ctx: ctx, store: store, registry: registry)
    }

    /// Regular files of the inbox ready for ingestion, sorted by name for a stable order.
    public static func pendingFiles(in inbox: URL) throws -> [URL] {
        let fm = FileManager.default
        try fm.createDirectory(at: inbox, withIntermediateDirectories: true)
        let names = try fm.contentsOfDirectory(atPath: inbox.path)
        var out: [URL] = []
        for name in names where isReady(name) {
            let url = inbox.appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            out.append(url)
        }
        return out.sorted { Array($0.lastPathComponent.utf8).lexicographicallyPrecedes(Array($1.lastPathComponent.utf8)) }
    }

    /// The producer rule: write under a dotfile or `*.tmp` / `*.part` name, then rename.
    public static func isReady(_ name: String) -> Bool {
        !(name.hasPrefix(".") || name.hasSuffix(".tmp") || name.hasSuffix(".part") || name.hasSuffix(".errors.txt"))
    }

    static func ingest(_ url: URL, ctx: RunContext, store: Store) throws -> FileReport {
        try ingest(url, ctx: ctx, store: store, read: read(url, ctx: ctx))
    }

    /// Commits a file read by `read(_:ctx:)` (possibly on another thread, while the previous
    /// file was committing), or archives it when the store already has its bytes, or rejects it.
    private static func ingest(_ url: URL, ctx: RunContext, store: Store, read: ReadFile) throws -> FileReport {
        let name = url.lastPathComponent
        if try store.fileOutcome(sha256: read.info.sha256) == .ingested {
            try FileOps.move(url, into: ctx.home.archiveFolder(processedOn: ctx.processingDay.description))
            return FileReport(name: name, format: "", outcome: .alreadyIngested, records: 0, issues: [], stats: nil)
        }
        let batch: IngestBatch
        switch read.batch {
        case let .success(b):
            batch = b
        case let .failure(error):
            return try reject(url, info: read.info, format: read.detectedFormat,
                              issues: error.issues.map(\.description) + error.omittedLine, ctx: ctx, store: store)
        }
        var fileInfo = read.info
        fileInfo.format = batch.format
        let stats: IngestStats
        do {
            stats = try store.ingest(batch, file: fileInfo, at: ctx.timestamp, actor: ctx.actor)
        } catch let error as StoreError {
            // The store refuses what contradicts what it holds (a number given to two customers…):
            // a problem of the file, which is quarantined like any other bad input.
            return try reject(url, info: fileInfo, format: batch.format, issues: ["\(name): \(error)"], ctx: ctx, store: store)
        }
        try FileOps.move(url, into: ctx.home.archiveFolder(processedOn: ctx.processingDay.description))
        return FileReport(name: name, format: batch.format, outcome: .ingested, records: batch.recordCount, issues: batch.notes, stats: stats)
    }

    /// A file read, hashed and parsed, before anything touches the store.
    fileprivate struct ReadFile: Sendable {
        var info: IngestedFileInfo
        /// What the bytes look like, for the report of a file that did not parse.
        var detectedFormat: String
        var batch: Result<IngestBatch, InputRejection>
    }

    /// Reads, hashes and parses one file. Touches neither the store nor the inbox, so it can
    /// run on another thread. A file the store already holds is parsed for nothing (the check
    /// needs the store); that costs CPU on a spare core, not time.
    fileprivate static func read(_ url: URL, ctx: RunContext) throws -> ReadFile {
        let name = url.lastPathComponent
        let bytes = try FileOps.readBytes(url)
        let info = IngestedFileInfo(sha256: FileOps.sha256Hex(bytes), name: name, size: Int64(bytes.count), format: "")
        do {
            var batch = try PhaseLog.measure("parse \(name) (reader thread)") { () throws(InputRejection) -> IngestBatch in
                try InputFormats.read(bytes, context: ctx.readContext(fileName: name))
            }
            // Here rather than in the store's transaction: this thread runs beside the commit.
            batch.customerReferences = CustomerReferences(of: batch)
            return ReadFile(info: info, detectedFormat: "", batch: .success(batch))
        } catch {
            return ReadFile(info: info, detectedFormat: InputFormats.detect(bytes).rawValue, batch: .failure(error))
        }
    }

    /// Quarantines a file: its report first, then the file beside it, then the store's record.
    static func reject(_ url: URL, info: IngestedFileInfo, format: String, issues: [String], ctx: RunContext, store: Store) throws -> FileReport {
        let folder = ctx.home.rejectedFolder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = FileOps.freeName(for: url.lastPathComponent, in: folder)
        let text = issues.joined(separator: "\n") + "\n"
        try FileOps.writeAtomically(Array(text.utf8), to: folder.appendingPathComponent(target + ".errors.txt"))
        try FileOps.rename(url, to: folder.appendingPathComponent(target))
        try store.recordRejection(file: info, issues: issues, at: ctx.timestamp)
        return FileReport(name: url.lastPathComponent, format: format, outcome: .rejected, records: 0, issues: issues, stats: nil)
    }
}

extension InputRejection {
    var omittedLine: [String] { omitted > 0 ? ["… and \(omitted) more problems"] : [] }
}

/// Reads the inbox's files one ahead: while file i commits on the caller's thread (SQLite,
/// one core), file i + 1 is read and parsed on a second thread (the other core). At most one
/// read runs ahead, so at most two parsed files are held at once.
private final class FileReadAhead {
    /// One read on its thread; the semaphore publishes the result to the waiting caller.
    private final class Pending: @unchecked Sendable {
        private var result: Result<IngestStage.ReadFile, any Error>?
        private let done = DispatchSemaphore(value: 0)

        init(_ url: URL, ctx: RunContext) {
            // Parsers keep small stacks, but a secondary thread's default is only 512 KiB on
            // some platforms: ask for the main thread's 8 MiB.
            let thread = Thread { [self] in
                result = Result { try IngestStage.read(url, ctx: ctx) }
                done.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }

        func wait() throws -> IngestStage.ReadFile {
            done.wait()
            guard let result else { preconditionFailure("a read signalled without a result") }
            return try result.get()
        }
    }

    private let files: [URL]
    private let ctx: RunContext
    /// The reads under way, by file index. Only the caller's thread touches it.
    private var pending: [Int: Pending] = [:]

    init(_ files: [URL], ctx: RunContext) {
        self.files = files
        self.ctx = ctx
    }

    /// File `i` read and parsed (waiting for it if needed), after starting the read of `i + 1`.
    func take(_ i: Int) throws -> IngestStage.ReadFile {
        let current = pending.removeValue(forKey: i) ?? Pending(files[i], ctx: ctx)
        if i + 1 < files.count, pending[i + 1] == nil {
            pending[i + 1] = Pending(files[i + 1], ctx: ctx)
        }
        return try current.wait()
    }
}
