import GRDB

/// Dropping and rebuilding a table's secondary indexes around a bulk append.
///
/// Appending a million rows and then sorting each index once is several times faster than
/// maintaining the indexes row by row. The definitions are read back from `sqlite_master`,
/// so whatever later migrations add is rebuilt too.
enum SecondaryIndexes {
    struct Definition { var name: String; var sql: String }

    /// Drops the explicit indexes of `table` (not the automatic ones of PRIMARY KEY/UNIQUE
    /// constraints, which cannot be dropped), but those named in `keeping`, and returns their
    /// definitions.
    static func drop(_ db: Database, table: String, keeping: Set<String> = []) throws -> [Definition] {
        let indexes = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name
            """, arguments: [table]).map { Definition(name: $0[0], sql: $0[1]) }.filter { !keeping.contains($0.name) }
        for index in indexes { try db.execute(sql: "DROP INDEX \(index.name.quotedDatabaseIdentifier)") }
        return indexes
    }

    static func create(_ db: Database, _ indexes: [Definition]) throws {
        for index in indexes { try db.execute(sql: index.sql) }
    }
}
