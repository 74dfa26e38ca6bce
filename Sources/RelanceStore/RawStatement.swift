import GRDB
import GRDBSQLite
import RelanceCore

/// A prepared SQLite statement driven through the C API, for the bulk paths (ingest of a
/// million rows, the allocation pass, the aged balance).
///
/// GRDB's `StatementArguments` box every value in an array per row; binding straight into
/// the reused `sqlite3_stmt` keeps the hot loops free of allocations. Integers are bound at
/// once; texts are copied into a byte arena owned by the statement and bound with
/// `SQLITE_STATIC` (no copy inside SQLite, no destructor), so the arena must not move until
/// the step: it has a fixed capacity during a row, a text that does not fit is bound with
/// `SQLITE_TRANSIENT` (SQLite copies it), and the arena grows only between rows.
/// The statement lives only inside one `write`/`read` closure of its connection.
final class RawStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    let sql: String
    private var arena: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    private var wanted = 0

    /// SQLite's `SQLITE_TRANSIENT` is a macro casting -1 to a function pointer, which Swift
    /// cannot import.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

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
        self.capacity = 4096
        self.arena = .allocate(capacity: 4096)
    }

    deinit {
        sqlite3_finalize(handle)
        arena.deallocate()
    }

    // MARK: Binding (1-based indexes, as in SQLite)

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }
    func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int32?) {
        if let value { sqlite3_bind_int64(handle, index, Int64(value)) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(handle, index); return }
        value.withUTF8 { bindText(index, $0) }
    }

    func bind(_ index: Int32, _ value: Substring) {
        var value = value
        value.withUTF8 { bindText(index, $0) }
    }

    func bind(_ index: Int32, _ currency: Currency) {
        let bytes: (UInt8, UInt8, UInt8) = (UInt8(currency.packed >> 16 & 0xFF), UInt8(currency.packed >> 8 & 0xFF),
                                            UInt8(currency.packed & 0xFF))
        withUnsafeBytes(of: bytes) { bindText(index, UnsafeBufferPointer(start: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 3)) }
    }

    /// Binds the concatenation `prefix + value` without building a String.
    func bind(_ index: Int32, _ prefix: StaticString, _ value: String) {
        var value = value
        value.withUTF8 { v in
            let n = prefix.utf8CodeUnitCount + v.count
            guard used + n <= capacity else {
                wanted += n
                var joined = [UInt8](UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
                joined.append(contentsOf: v)
                joined.withUnsafeBufferPointer { bindText(index, $0) }
                return
            }
            let start = arena + used
            start.update(from: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
            if let base = v.baseAddress { (start + prefix.utf8CodeUnitCount).update(from: base, count: v.count) }
            used += n
            wanted += n
            sqlite3_bind_text(handle, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(n), nil)
        }
    }

    func bindBlob(_ index: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { b in
            _ = sqlite3_bind_blob(handle, index, b.baseAddress ?? UnsafeRawPointer(arena), Int32(b.count), Self.transient)
        }
    }

    private func bindText(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        wanted += n
        guard n > 0, let base = bytes.baseAddress else {
            // An empty text is not NULL: point at the arena with length zero.
            sqlite3_bind_text(handle, index, UnsafeRawPointer(arena).assumingMemoryBound(to: CChar.self), 0, nil)
            return
        }
        guard used + n <= capacity else {
            sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(n), Self.transient)
            return
        }
        let start = arena + used
        start.update(from: base, count: n)
        used += n
        sqlite3_bind_text(handle, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(n), nil)
    }

    // MARK: Execution

    /// Steps once with the bound values, and resets. For INSERT/UPDATE/DELETE.
    func execute() throws {
        let rc = sqlite3_step(handle)
        finish()
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw error(rc) }
    }

    /// Steps once with the bound values; returns true when a row is available.
    /// Read the columns, then call `next()` until it returns false, or `finish()`.
    func query() throws -> Bool {
        let rc = sqlite3_step(handle)
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

    /// Resets the statement and frees the arena for the next row (growing it if the row
    /// had texts that did not fit).
    func finish() {
        sqlite3_reset(handle)
        if wanted > capacity {
            // Bindings may still point into the old arena: clear them before freeing it.
            sqlite3_clear_bindings(handle)
            arena.deallocate()
            capacity = max(wanted, capacity * 2)
            arena = .allocate(capacity: capacity)
        }
        used = 0
        wanted = 0
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

    /// The bytes of a text column, valid only inside `body`.
    func withText<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        guard let p = sqlite3_column_text(handle, column) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))))
    }

    /// Whether a text column equals `value`, without building a String.
    func text(_ column: Int32, equals value: StaticString) -> Bool {
        guard let p = sqlite3_column_text(handle, column) else { return false }
        let n = Int(sqlite3_column_bytes(handle, column))
        guard n == value.utf8CodeUnitCount else { return false }
        let v = value.utf8Start
        for i in 0..<n where p[i] != v[i] { return false }
        return true
    }

    /// Whether a text column equals `value`, without building a String.
    func text(_ column: Int32, equals value: String) -> Bool {
        guard let p = sqlite3_column_text(handle, column) else { return false }
        let n = Int(sqlite3_column_bytes(handle, column))
        var value = value
        return value.withUTF8 { v in
            guard v.count == n else { return false }
            for i in 0..<n where p[i] != v[i] { return false }
            return true
        }
    }

    func currency(_ column: Int32) -> Currency? {
        guard let p = sqlite3_column_text(handle, column), sqlite3_column_bytes(handle, column) == 3 else { return nil }
        return Currency(bytes: p[0], p[1], p[2])
    }
}
