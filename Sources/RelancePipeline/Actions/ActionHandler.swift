import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore

/// Applies one kind of decision (`allocate`, `dispute_open`, `delivery`…) to the store.
///
/// "One path, two doors": a row of an action file dropped in the inbox and the equivalent
/// command line (`relance dispute open …`, which builds the same `ActionRow`) reach the same
/// handler, so both are checked, applied and journaled identically.
public protocol ActionHandler: Sendable {
    /// The normalised action names this handler applies (see `ActionFile.key`).
    var actions: [String] { get }

    /// Names of other inbox files this row consumes (proofs beside a delivery feedback file):
    /// they are kept out of the data ingest and archived with the file that names them.
    func claimedFiles(_ row: ActionRow) -> [String]

    /// Applies the row inside `context.transaction` (already in a savepoint of its own) and
    /// returns a one-line account of what changed. Throws `ActionRefusal` when the row cannot
    /// be applied (unknown invoice, closed case, impossible transition…): its writes are
    /// undone and nothing else changes. Any other error aborts the whole file.
    func apply(_ row: ActionRow, context: ActionContext) throws -> String
}

extension ActionHandler {
    public func claimedFiles(_ row: ActionRow) -> [String] { [] }
}

/// Why one row was not applied; the reason is written for the person who made the row.
public struct ActionRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The column at fault, when one is.
    public var field: String?
    public var reason: String

    public init(_ reason: String, field: String? = nil) {
        self.reason = reason; self.field = field
    }

    public var description: String { field.map { "\($0): \(reason)" } ?? reason }
}

/// What a handler can see while applying a row.
public struct ActionContext {
    public var run: RunContext
    public var transaction: StoreTransaction
    /// The action file's name, nil for the command line.
    public var sourceName: String?
    /// The folder the action file was dropped in (where its proofs lie).
    public var folder: URL

    public init(run: RunContext, transaction: StoreTransaction, sourceName: String?, folder: URL) {
        self.run = run; self.transaction = transaction; self.sourceName = sourceName; self.folder = folder
    }

    /// The as-of date of the run: the default date of a decision.
    public var asOf: Day { run.asOf }
}

extension ActionRow {
    /// A mandatory field, or a refusal naming it.
    public func required(_ key: String) throws(ActionRefusal) -> String {
        guard let v = fields[key] else { throw ActionRefusal("missing (the action `\(action)` needs it)", field: key) }
        return v
    }

    /// An optional date field (`yyyy-mm-dd`, `dd/mm/yyyy`…), or a refusal when unreadable.
    public func day(_ key: String) throws(ActionRefusal) -> Day? {
        guard let v = fields[key] else { return nil }
        guard let d = Day.parse(v) else { throw ActionRefusal("unreadable date \"\(v)\"", field: key) }
        return d
    }
}
