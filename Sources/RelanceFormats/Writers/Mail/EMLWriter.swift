/// Renders a `MIMEMessage` as an RFC 5322 / MIME message (`.eml`), ready for `sendmail -t`.
///
/// Structure, smallest that holds the content: text/plain alone; multipart/alternative
/// (text/plain then text/html, the preferred last) when there is HTML; and that inside a
/// multipart/mixed followed by the attachments when there are attachments. Text is UTF-8
/// quoted-printable, attachments base64 in 76-column lines, every line ends with CRLF.
///
/// Deterministic: no clock, no random. Boundaries are `=_rl` + a SHA-256 of the content;
/// a boundary starting `=_` can never occur inside a quoted-printable or base64 body (there
/// `=` is always followed by two hex digits, a line break or another `=`), so no scan is needed.
///
/// Every header value is checked before anything is written: CR, LF or NUL anywhere throws
/// (no header injection), addresses must be plain ASCII `local@domain`.
public enum EMLWriter {
    public static func render(_ message: MIMEMessage) throws(MailHeaderError) -> [UInt8] {
        var head = ""
        try message.from.validated(field: "From")
        head += MailHeaderEncoder.fold(name: "From", atoms: MailHeaderEncoder.mailboxAtoms([message.from], headerName: "From"))
        guard !message.to.isEmpty else { throw .noRecipient }
        for box in message.to { try box.validated(field: "To") }
        head += MailHeaderEncoder.fold(name: "To", atoms: MailHeaderEncoder.mailboxAtoms(message.to, headerName: "To"))
        if !message.cc.isEmpty {
            for box in message.cc { try box.validated(field: "Cc") }
            head += MailHeaderEncoder.fold(name: "Cc", atoms: MailHeaderEncoder.mailboxAtoms(message.cc, headerName: "Cc"))
        }
        if let replyTo = message.replyTo {
            try replyTo.validated(field: "Reply-To")
            head += MailHeaderEncoder.fold(name: "Reply-To", atoms: MailHeaderEncoder.mailboxAtoms([replyTo], headerName: "Reply-To"))
        }
        if MailHeaderEncoder.hasLineBreak(message.subject) { throw .lineBreak(field: "Subject") }
        head += MailHeaderEncoder.fold(name: "Subject", atoms: MailHeaderEncoder.unstructuredAtoms(message.subject, firstRoom: MailHeaderEncoder.firstLineRoom("Subject")))
        head += "Date: " + message.date.headerValue + "\r\n"
        head += "Message-ID: " + (try message.messageID.headerValue()) + "\r\n"
        head += "MIME-Version: 1.0\r\n"
        for header in message.customHeaders {
            try checkCustomName(header.name)
            if MailHeaderEncoder.hasLineBreak(header.value) { throw .lineBreak(field: header.name) }
            head += MailHeaderEncoder.fold(name: header.name, atoms: MailHeaderEncoder.unstructuredAtoms(header.value, firstRoom: MailHeaderEncoder.firstLineRoom(header.name)))
        }
        for attachment in message.attachments {
            if MailHeaderEncoder.hasLineBreak(attachment.filename) { throw .lineBreak(field: "Content-Disposition filename") }
            try checkContentType(attachment.contentType)
        }

        let tag = boundaryTag(message)
        var out = Array(head.utf8)
        let alternative = alternativePart(message, boundary: "=_rl" + tag + "_alt")
        if message.attachments.isEmpty {
            out += alternative
            // A single part's body runs to the end of the message: a text already ending in a
            // line break is complete, any other gets a soft break ("=" CRLF) that decodes to
            // nothing, so the message ends with CRLF and the text is unchanged.
            if message.htmlBody != nil {
                out += [0x0D, 0x0A]  // after the closing "--boundary--"
            } else if !out.suffix(2).elementsEqual([0x0D, 0x0A]) {
                out += [UInt8(ascii: "="), 0x0D, 0x0A]
            }
            return out
        }
        let mixed = "=_rl" + tag + "_mix"
        out += Array("Content-Type: multipart/mixed;\r\n boundary=\"\(mixed)\"\r\n\r\n".utf8)
        out += Array("--\(mixed)\r\n".utf8)
        out += alternative
        for attachment in message.attachments {
            out += Array("\r\n--\(mixed)\r\n".utf8)
            out += attachmentPart(attachment)
        }
        out += Array("\r\n--\(mixed)--\r\n".utf8)
        return out
    }

    /// Headers and body of the text part, or of the multipart/alternative holding text and HTML,
    /// without a final line break (the CRLF before a boundary belongs to the boundary).
    private static func alternativePart(_ message: MIMEMessage, boundary: String) -> [UInt8] {
        let textPart = Array("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
            + MIMETransferEncoding.quotedPrintable(message.textBody)
        guard let html = message.htmlBody else { return textPart }
        var out = Array("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n\r\n--\(boundary)\r\n".utf8)
        out += textPart
        out += Array("\r\n--\(boundary)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
        out += MIMETransferEncoding.quotedPrintable(html)
        out += Array("\r\n--\(boundary)--".utf8)
        return out
    }

    private static func attachmentPart(_ attachment: MailAttachment) -> [UInt8] {
        let fallback = AttachmentFilename.asciiFallback(attachment.filename)
        var head = "Content-Type: " + attachment.contentType + ";\r\n name=\"" + fallback + "\"\r\n"
        head += "Content-Disposition: attachment;"
        for param in AttachmentFilename.dispositionParameters(attachment.filename, fallback: fallback) {
            head += "\r\n " + param
        }
        head += "\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        return Array(head.utf8) + MIMETransferEncoding.base64Lines(attachment.bytes)
    }

    /// 24 hex digits of SHA-256 over everything the message says, so two different
    /// messages get different boundaries and the same message always the same.
    private static func boundaryTag(_ message: MIMEMessage) -> String {
        var material: [UInt8] = []
        func add(_ s: String) { material += Array(s.utf8); material.append(0) }
        add(message.messageID.description)
        add(message.subject)
        add(message.textBody)
        add(message.htmlBody ?? "")
        for attachment in message.attachments {
            add(attachment.filename)
            add(attachment.contentType)
            material += ContentDigest.sha256(attachment.bytes)
        }
        return String(ContentDigest.sha256Hex(material).prefix(24))
    }

    private static func checkCustomName(_ name: String) throws(MailHeaderError) {
        let bytes = Array(name.utf8)
        guard bytes.count > 2, bytes.count <= 64, bytes[0] == UInt8(ascii: "X") || bytes[0] == UInt8(ascii: "x"),
              bytes[1] == UInt8(ascii: "-"),
              bytes[2...].allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == UInt8(ascii: "-") })
        else { throw .invalidHeaderName(name) }
    }

    /// `type/subtype` with RFC 2045 token characters only, short enough for its header line
    /// (`Content-Type: ` + 64 characters) to stay within 78 columns.
    private static func checkContentType(_ type: String) throws(MailHeaderError) {
        let parts = type.split(separator: "/", omittingEmptySubsequences: false)
        let tspecials = Array("()<>@,;:\\\"/[]?=".utf8)
        guard type.utf8.count <= 64, parts.count == 2, parts.allSatisfy({ part in
            !part.isEmpty && part.utf8.allSatisfy { (0x21...0x7E).contains($0) && !tspecials.contains($0) }
        }) else { throw .invalidContentType(type) }
    }
}
