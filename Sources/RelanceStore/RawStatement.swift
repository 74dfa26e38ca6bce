import GRDB
import GRDBSQLite
import RelanceCore

/// A prepared SQLite statement driven through the C API, for the bulk paths (ingest of a
/// million rows, the allocation pass, the aged balance).
///
/// GRDB's `StatementArguments` box every value in an array per row; binding straight into
/// the reused `sqlite3_stmt` keeps the hot loops free of allocations. Text values of a row
/// are first copied into one reused byte arena and bound with `SQLITE_STATIC` just before
/// the step, so SQLite neither copies them nor needs them after `sqlite3_reset`.
/// The statement lives only inside one `write`/`read` closure of its connection.
final class RawStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    let sql: String
    private var slots: [Slot]
    private var arena: [UInt8] = []

    private enum Slot {
        case null
        case int(Int64)
        case text(start: Int, count: Int)
        case blob(start: Int, count: Int)
    }

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "connection is closed", sql: sql)
        }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(connection, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.handle = stmt
        self.connection = connection
        self.sql = sql
        self.slots = Array(repeating: .null, count: Int(sqlite3_bind_parameter_count(stmt)))
        arena.reserveCapacity(1024)
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: Binding (1-based indexes, as in SQLite)

    func bind(_ index: Int32, _ value: Int64) { slots[Int(index) - 1] = .int(value) }
    func bind(_ index: Int32, _ value: Int64?) { slots[Int(index) - 1] = value.map { .int($0) } ?? .null }
    func bind(_ index: Int32, _ value: Int32?) { slots[Int(index) - 1] = value.map { .int(Int64($0)) } ?? .null }
    func bind(_ index: Int32, _ value: Int) { slots[Int(index) - 1] = .int(Int64(value)) }
    func bindNull(_ index: Int32) { slots[Int(index) - 1] = .null }

    func bind(_ index: Int32, _ value: String?) {
        guard let value else { slots[Int(index) - 1] = .null; return }
        let start = arena.count
        arena.append(contentsOf: value.utf8)
        slots[Int(index) - 1] = .text(start: start, count: arena.count - start)
    }

    func bind(_ index: Int32, _ value: Substring) {
        let start = arena.count
        arena.append(contentsOf: value.utf8)
        slots[Int(index) - 1] = .text(start: start, count: arena.count - start)
    }

    func bind(_ index: Int32, _ currency: Currency) {
        let start = arena.count
        arena.append(UInt8(currency.packed >> 16 & 0xFF))
        arena.append(UInt8(currency.packed >> 8 & 0xFF))
        arena.append(UInt8(currency.packed & 0xFF))
        slots[Int(index) - 1] = .text(start: start, count: 3)
    }

    /// Binds the concatenation `prefix + value` without building a String.
    func bind(_ index: Int32, _ prefix: StaticString, _ value: String) {
        let start = arena.count
        arena.append(contentsOf: UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
        arena.append(contentsOf: value.utf8)
        slots[Int(index) - 1] = .text(start: start, count: arena.count - start)
    }

    func bindBlob(_ index: Int32, _ bytes: [UInt8]) {
        let start = arena.count
        arena.append(contentsOf: bytes)
        slots[Int(index) - 1] = .blob(start: start, count: bytes.count)
    }

    // MARK: Execution

    /// Binds the pending values, steps once, and resets. For INSERT/UPDATE/DELETE.
    func execute() throws {
        let rc = bindAndStep()
        finish()
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw error(rc) }
    }

    /// Binds the pending values and steps once; returns true when a row is available.
    /// Read the columns, then call `next()` until it returns false, or `finish()`.
    func query() throws -> Bool {
        let rc = bindAndStep()
        if rc == SQLITE_ROW { return true }
        finish()
        guard rc == SQLITE_DONE else { throw error(rc) }
        return false
    }

    /// Steps to the next row of a query started by `query()`.
    func next() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        finish()
        guard rc == SQLITE_DONE else { throw error(rc) }
        return false
    }

    /// Resets the statement and forgets the values of the row.
    func finish() {
        sqlite3_reset(handle)
        for i in slots.indices { slots[i] = .null }
        arena.removeAll(keepingCapacity: true)
    }

    private func bindAndStep() -> Int32 {
        arena.withUnsafeBufferPointer { buffer -> Int32 in
            let base = buffer.baseAddress
            for i in slots.indices {
                let index = Int32(i + 1)
                switch slots[i] {
                case .null:
                    sqlite3_bind_null(handle, index)
                case let .int(v):
                    sqlite3_bind_int64(handle, index, v)
                case let .text(start, count):
                    if count == 0 || base == nil {
                        // An empty text is not NULL: bind a static empty string.
                        sqlite3_bind_text(handle, index, "", 0, nil)
                    } else {
                        UnsafeRawPointer(base! + start).withMemoryRebound(to: CChar.self, capacity: count) {
                            _ = sqlite3_bind_text(handle, index, $0, Int32(count), nil)
                        }
                    }
                case let .blob(start, count):
                    if count == 0 || base == nil {
                        sqlite3_bind_zeroblob(handle, index, 0)
                    } else {
                        sqlite3_bind_blob(handle, index, base! + start, Int32(count), nil)
                    }
                }
            }
            return sqlite3_step(handle)
        }
    }

    private func error(_ rc: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }

    // MARK: Columns of the current row (0-based, as in SQLite)

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int64OrNil(_ column: Int32) -> Int64? { isNull(column) ? nil : sqlite3_column_int64(handle, column) }
    func int32OrNil(_ column: Int32) -> Int32? { isNull(column) ? nil : Int32(truncatingIfNeeded: sqlite3_column_int64(handle, column)) }

    func string(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    func stringOrNil(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    /// Whether a text column equals `value`, without building a String.
    func text(_ column: Int32, equals value: StaticString) -> Bool {
        guard let p = sqlite3_column_text(handle, column) else { return false }
        let n = Int(sqlite3_column_bytes(handle, column))
        guard n == value.utf8CodeUnitCount else { return false }
        let v = value.utf8Start
        for i in 0..<n where p[i] != v[i] { return false }
        return true
    }

    func currency(_ column: Int32) -> Currency? {
        guard let p = sqlite3_column_text(handle, column), sqlite3_column_bytes(handle, column) == 3 else { return nil }
        return Currency(bytes: p[0], p[1], p[2])
    }
}
