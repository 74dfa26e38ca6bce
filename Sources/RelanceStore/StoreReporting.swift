import GRDB
import RelanceCore

extension Store {
    /// How many documents carry a due date derived from payment terms (their source had none),
    /// so reports can say their ageing is an estimate.
    public func derivedDueDateCount() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents WHERE due_date_derived = 1") ?? 0 }
    }
}
