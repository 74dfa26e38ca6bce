import Foundation
import GRDB

/// A read of the store file on a second, read-only connection and its own thread, while the
/// writer's connection goes on with other work in its transaction.
///
/// Only correct while that transaction has written nothing yet: the second connection sees the
/// last commit, which is then exactly what the writer sees. The bulk passes (the exact
/// allocation pass, reconciliation) read two large tables this way, one core each.
final class SecondConnectionRead<Value>: @unchecked Sendable {
    private var result: Result<Value, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(storePath: String, label: String, _ body: @escaping @Sendable (Database) throws -> Value) {
        let thread = Thread { [self] in
            result = Result {
                var config = Configuration()
                config.readonly = true
                config.label = "relance.store.reader"
                let reader = try DatabaseQueue(path: storePath, configuration: config)
                return try reader.read { db in try PhaseLog.measure("\(label) (reader thread)") { try body(db) } }
            }
            done.signal()
        }
        thread.start()
    }

    /// Ordered by the semaphore: `result` is written before the signal, read after the wait.
    func wait() throws -> Value {
        done.wait()
        guard let result else { preconditionFailure("a read signalled without a result") }
        return try result.get()
    }
}
