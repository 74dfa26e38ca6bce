/// A worksheet holding one table: a bold header row that stays frozen on scroll and carries
/// an autofilter, then the data rows.
public struct XLSXSheet: Hashable, Sendable {
    /// Excel's rules: 1 to 31 characters, none of `[ ] : * ? / \`, not starting or ending
    /// with an apostrophe, unique in the workbook (case-insensitively).
    public var name: String
    public var columns: [XLSXColumn]
    public private(set) var rows: [[XLSXCell]] = []

    public init(name: String, columns: [XLSXColumn]) {
        self.name = name
        self.columns = columns
    }

    /// Appends a data row; a row shorter than the header leaves the last cells empty, a longer
    /// one is refused when the workbook is written.
    public mutating func append(_ row: [XLSXCell]) { rows.append(row) }
}
