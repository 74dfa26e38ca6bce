/// How report CSV files are written.
public enum CSVDialect: String, Sendable, Codable {
    /// French Excel: `;`, decimal comma, UTF-8 with BOM (so Excel reads accents), CRLF.
    case excelFrench = "excel-fr"
    /// RFC 4180: `,`, decimal point, no BOM, CRLF.
    case rfc4180 = "rfc4180"

    public var separator: UInt8 { self == .excelFrench ? UInt8(ascii: ";") : UInt8(ascii: ",") }
    public var decimalSeparator: Character { self == .excelFrench ? "," : "." }
    public var writesBOM: Bool { self == .excelFrench }
}
