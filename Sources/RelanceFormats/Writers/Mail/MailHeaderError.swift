/// Why a message cannot be rendered. Every header value is checked before a byte is written,
/// so a caller's data can never add a header or end the header block (header injection).
public enum MailHeaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A header value (or a display name, a file name…) holds CR, LF or NUL.
    case lineBreak(field: String)
    /// An e-mail address that is not a plain ASCII `local@domain`.
    case invalidAddress(field: String, address: String)
    /// A custom header whose name is not `X-` followed by letters, digits and hyphens.
    case invalidHeaderName(String)
    /// A Message-ID part (id or domain) with characters a msg-id cannot hold.
    case invalidMessageID(String)
    /// A MIME type that is not `type/subtype` in token characters.
    case invalidContentType(String)
    /// A message with no recipient in To.
    case noRecipient
    /// A Date out of range (hour 0–23, minute and second 0–59, offset within ±23:59).
    case invalidDate(String)

    public var description: String {
        switch self {
        case let .lineBreak(field): return "\(field): line break or NUL in a header value (header injection refused)"
        case let .invalidAddress(field, address): return "\(field): not a plain ASCII e-mail address: \(address.debugDescription)"
        case let .invalidHeaderName(name): return "custom header name \(name.debugDescription) is not X- followed by letters, digits and hyphens"
        case let .invalidMessageID(part): return "Message-ID part \(part.debugDescription) holds characters a msg-id cannot hold"
        case let .invalidContentType(type): return "content type \(type.debugDescription) is not type/subtype"
        case .noRecipient: return "To: at least one recipient is required"
        case let .invalidDate(reason): return "Date: \(reason)"
        }
    }
}
