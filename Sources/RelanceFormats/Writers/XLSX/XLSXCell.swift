import RelanceCore

/// One cell of a spreadsheet listing. Each case says how the value is typed in the file.
public enum XLSXCell: Hashable, Sendable {
    /// Always a string cell, never a formula, whatever its first character (`=`, `+`, `-`, `@`):
    /// a customer name like `=HYPERLINK(…)` coming from an export stays inert text.
    case text(String)
    case integer(Int64)
    /// A number shown with the currency's decimals and thousands grouping (`#,##0.00`).
    /// Converted once from minor units to the nearest binary value of the decimal amount;
    /// sums stay in `Money` on our side and are written as their own cells.
    case amount(Money)
    /// An Excel date serial with the `dd/mm/yyyy` format.
    case date(Day)
    case empty
}

/// A column: its header text and width in Excel character units (nil: Excel's default).
public struct XLSXColumn: Hashable, Sendable {
    public var title: String
    public var width: Double?

    public init(_ title: String, width: Double? = nil) {
        self.title = title
        self.width = width
    }
}
