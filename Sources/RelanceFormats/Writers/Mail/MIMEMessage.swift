/// An e-mail to render: a reminder ("relance") or a formal notice, with its alternatives and
/// attachments. A plain value; `EMLWriter` turns it into RFC 5322 bytes.
public struct MIMEMessage: Hashable, Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    public var date: MailDate
    public var messageID: MessageID
    /// Extra `X-…` headers in the given order (`X-Relance-Reminder-Ids: R-1 R-2`).
    public var customHeaders: [CustomHeader]
    /// The text/plain alternative; its line breaks may be LF or CRLF.
    public var textBody: String
    /// The text/html alternative, or nil for a text-only message.
    public var htmlBody: String?
    public var attachments: [MailAttachment]

    public struct CustomHeader: Hashable, Sendable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], replyTo: MailAddress? = nil,
                subject: String, date: MailDate, messageID: MessageID, customHeaders: [CustomHeader] = [],
                textBody: String, htmlBody: String? = nil, attachments: [MailAttachment] = []) {
        self.from = from; self.to = to; self.cc = cc; self.replyTo = replyTo
        self.subject = subject; self.date = date; self.messageID = messageID
        self.customHeaders = customHeaders
        self.textBody = textBody; self.htmlBody = htmlBody; self.attachments = attachments
    }
}
