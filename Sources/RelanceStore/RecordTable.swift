/// How the batch ingest writes one kind of record with a natural key (documents by number,
/// payments by payment id): its table, its statements, and its merge rules.
///
/// `BatchIngester.upsert` holds the one algorithm both kinds share (bulk append into an empty
/// table, else look-up, compare, update and journal); a conforming type says only what differs.
protocol RecordTable {
    associatedtype Record
    /// The comparable content of a stored row, its natural key aside.
    associatedtype Stored: Equatable

    static var table: String { get }
    static var keyColumn: String { get }
    /// The columns that must agree when a bulk append repeated a key.
    static var contentColumns: String { get }
    /// The journal's subject type (`document`, `payment`) and the detail field naming the key.
    static var subject: String { get }
    static var keyField: String { get }

    /// `INSERT` binding what `bindInsert` binds.
    static var insertSQL: String { get }
    /// `SELECT id, …` by key, the columns `stored(_:for:)` and `storedMatches` read.
    static var lookupSQL: String { get }
    /// `UPDATE … WHERE id = ?` binding what `bindUpdate` binds.
    static var updateSQL: String { get }

    static func key(_ r: Record) -> String
    static func bindInsert(_ s: RawStatement, _ r: Record, fileId: Int64)
    /// Whether the looked-up row already says everything `r` says (an absent field keeps the
    /// stored one), compared in place without building the row's Strings.
    static func storedMatches(_ row: RawStatement, _ r: Record) -> Bool
    /// The looked-up row; throws when `r` contradicts what cannot change (its customer, its kind).
    static func stored(_ row: RawStatement, for r: Record) throws -> Stored
    /// The stored row completed and corrected by `r`; throws on a contradiction.
    static func merged(_ old: Stored, with r: Record) throws -> Stored
    static func bindUpdate(_ s: RawStatement, _ new: Stored, _ r: Record, fileId: Int64, id: Int64)
    /// `{"field":{"old":…,"new":…},…}` for the fields that differ.
    static func changes(from old: Stored, to new: Stored) -> String
    static func duplicateConflict(_ key: String) -> StoreError
    /// When the change may leave the record below what is allocated on it: the allocations
    /// column naming it, and the amount and currency it now has.
    static func shrink(from old: Stored, to new: Stored, _ r: Record) -> (column: String, amount: Int64, currency: String)?
}

extension RecordTable {
    /// An empty field says nothing: it never blanks a stored value.
    static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }
}
