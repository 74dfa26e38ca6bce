/// A `Message-ID`: `<id@domain>`, with the id given by the caller (the reminder's id) so that
/// the same reminder keeps the same Message-ID across re-renders, and replies and bounces
/// can be traced back to it.
public struct MessageID: Hashable, Sendable, CustomStringConvertible {
    /// Left part: a dot-atom (letters, digits, `-`, `_`, `.` and the other RFC 5322 atext).
    public var id: String
    /// Right part: a host name such as `mail.example.fr`.
    public var domain: String

    public init(id: String, domain: String) {
        self.id = id
        self.domain = domain
    }

    /// `<id@domain>`, checked.
    public func headerValue() throws(MailHeaderError) -> String {
        guard MailAddress.isDotAtom(id.utf8) else { throw .invalidMessageID(id) }
        guard MailAddress.isDomain(domain.utf8) else { throw .invalidMessageID(domain) }
        return "<" + id + "@" + domain + ">"
    }

    public var description: String { "<" + id + "@" + domain + ">" }
}
