/// A table that flows across pages: a header row repeated at the top of every page the table
/// reaches, body rows that are never split, and optional total rows kept at the end.
///
/// Used for the invoices of a reminder ("relance"), the lines of a customer statement
/// ("relevé de compte") and the claims of a formal notice ("mise en demeure").
public struct PDFTable: Sendable, Hashable {
    /// One column: a header, a width and how its cells are aligned.
    public struct Column: Sendable, Hashable {
        public var header: String
        /// Relative width: the table's width is shared among columns in proportion.
        public var weight: Double
        public var alignment: PDFTextAlignment

        public init(_ header: String, weight: Double = 1, alignment: PDFTextAlignment = .left) {
            self.header = header; self.weight = weight; self.alignment = alignment
        }

        /// A right-aligned column, for amounts and counts (figures line up on the decimal comma).
        public static func amount(_ header: String, weight: Double = 1) -> Column {
            Column(header, weight: weight, alignment: .right)
        }
    }

    public var columns: [Column]
    /// Body rows; each has one cell per column (missing cells are blank, extra ones ignored).
    public var rows: [[PDFText]]
    /// Rows drawn bold after a rule at the end ("Total dû"); kept on the page of the last rows.
    public var totalRows: [[PDFText]]
    public var fontSize: Double
    /// Space between a cell's text and its row's rules, in points.
    public var cellPadding: Double
    /// Light grey background behind the header row.
    public var shadeHeader: Bool

    public init(columns: [Column], rows: [[PDFText]], totalRows: [[PDFText]] = [], fontSize: Double = 9,
                cellPadding: Double = 3, shadeHeader: Bool = true) {
        self.columns = columns; self.rows = rows; self.totalRows = totalRows
        self.fontSize = fontSize; self.cellPadding = cellPadding; self.shadeHeader = shadeHeader
    }
}
