/// A file attached to a message (the invoice PDF, a statement of account).
public struct MailAttachment: Hashable, Sendable {
    /// The name the recipient sees, any Unicode (`Facture F-2026-001 échue.pdf`).
    public var filename: String
    /// `type/subtype`, such as `application/pdf`.
    public var contentType: String
    public var bytes: [UInt8]

    public init(filename: String, contentType: String, bytes: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }
}
