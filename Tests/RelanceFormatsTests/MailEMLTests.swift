import Foundation
import RelanceCore
import Testing
@testable import RelanceFormats

/// What `Validators/eml_validate.py` prints: the message as Python's `email` parser sees it.
struct ParsedEML: Decodable {
    struct Mailbox: Decodable, Equatable {
        var display_name: String
        var addr_spec: String
    }
    struct Attachment: Decodable {
        var filename: String?
        var content_type: String
        var size: Int
        var sha256: String
    }
    var crlf_only: Bool
    var max_line_length: Int
    var long_lines: [String]
    var eight_bit: Bool
    var subject: String
    var from: [Mailbox]
    var to: [Mailbox]
    var cc: [Mailbox]
    var reply_to: [Mailbox]
    var date: String
    var date_iso: String
    var message_id: String
    var mime_version: String
    var custom: [String: String]
    var content_type: String
    var structure: [String]
    var text: String?
    var html: String?
    var attachments: [Attachment]
    var defects: [String]
}

enum MailSamples {
    static let date = try! MailDate(day: Day(year: 2026, month: 11, day: 20)!, hour: 8, minute: 0, utcOffsetMinutes: 60)

    /// Bytes that look like nothing in particular: every byte value, in a scrambled order.
    static let pdfBytes: [UInt8] = {
        var state: UInt32 = 2_463_534_242
        return (0..<5000).map { _ in
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
    }()
    static let csvBytes = Array("Facture;Montant\r\nF-1;12,50\r\n".utf8)

    static let text = """
    Bonjour Madame Durand,

    Sauf erreur de notre part, la facture F-2026-001 du 15/10/2026, d’un montant de 1 234,56 €, reste impayée à ce jour ; nous vous remercions de bien vouloir procéder à son règlement.
    .
    From the accounts department: a line that mbox would mangle.
    Trailing spaces here   
    Cordialement,
    Service recouvrement

    """

    static let html = """
    <html><body><p>Bonjour Madame Durand,</p>
    <p>Sauf erreur de notre part, la facture <b>F-2026-001</b> d’un montant de <b>1&#8239;234,56&nbsp;€</b> reste impayée.</p>
    </body></html>
    """

    static func message(subject: String = "Relance : facture F-2026-001 de 1 234,56 € échue depuis le 15/10/2026") -> MIMEMessage {
        MIMEMessage(
            from: MailAddress("relances@exemple.fr", displayName: "Service recouvrement — Société d’Équipement"),
            to: [
                MailAddress("zoe.durand@client.fr", displayName: "Zoé Durand"),
                MailAddress("jean.dupont@client.fr", displayName: "Dupont, Jean"),
                MailAddress("compta@client.fr"),
                MailAddress("ap@client.fr", displayName: "Accounts Payable"),
            ],
            cc: [MailAddress("commercial@exemple.fr", displayName: "Ève Müller-Lüdenscheidt")],
            replyTo: MailAddress("recouvrement@exemple.fr", displayName: "Recouvrement"),
            subject: subject,
            date: date,
            messageID: MessageID(id: "R-2026-0042", domain: "mail.exemple.fr"),
            customHeaders: [
                .init(name: "X-Relance-Reminder-Ids", value: "R-2026-0042 R-2026-0043"),
                .init(name: "X-Relance-Customer", value: "Société Générale d’Équipement"),
            ],
            textBody: text,
            htmlBody: html,
            attachments: [
                MailAttachment(filename: "Facture F-2026-001 échue — relance n°2 (copie conforme).pdf",
                               contentType: "application/pdf", bytes: pdfBytes),
                MailAttachment(filename: "releve.csv", contentType: "text/csv", bytes: csvBytes),
            ])
    }
}

@Suite("EML writer checked by Python's email parser")
struct MailEMLTests {
    @Test(.enabled(if: PythonValidatorRunner.pythonAvailable, PythonValidatorRunner.pythonSkipMessage))
    func fullMessageReadsBackExactly() throws {
        let message = MailSamples.message()
        let bytes = try EMLWriter.render(message)
        let parsed = try PythonValidatorRunner.validate(bytes, suffix: ".eml", script: "eml_validate.py", as: ParsedEML.self)

        #expect(parsed.crlf_only)
        #expect(!parsed.eight_bit, "a 7-bit message passes every relay")
        #expect(parsed.max_line_length <= 78, "\(parsed.long_lines)")
        #expect(parsed.subject == message.subject)
        #expect(parsed.from == [.init(display_name: "Service recouvrement — Société d’Équipement", addr_spec: "relances@exemple.fr")])
        #expect(parsed.to == [
            .init(display_name: "Zoé Durand", addr_spec: "zoe.durand@client.fr"),
            .init(display_name: "Dupont, Jean", addr_spec: "jean.dupont@client.fr"),
            .init(display_name: "", addr_spec: "compta@client.fr"),
            .init(display_name: "Accounts Payable", addr_spec: "ap@client.fr"),
        ])
        #expect(parsed.cc == [.init(display_name: "Ève Müller-Lüdenscheidt", addr_spec: "commercial@exemple.fr")])
        #expect(parsed.reply_to == [.init(display_name: "Recouvrement", addr_spec: "recouvrement@exemple.fr")])
        #expect(parsed.date == "Fri, 20 Nov 2026 08:00:00 +0100")
        #expect(parsed.date_iso == "2026-11-20T08:00:00+01:00")
        #expect(parsed.message_id == "<R-2026-0042@mail.exemple.fr>")
        #expect(parsed.mime_version == "1.0")
        #expect(parsed.custom["X-Relance-Reminder-Ids"] == "R-2026-0042 R-2026-0043")
        #expect(parsed.custom["X-Relance-Customer"] == "Société Générale d’Équipement")
        #expect(parsed.structure == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf", "text/csv"])
        #expect(parsed.text == MailSamples.text)
        #expect(parsed.html == MailSamples.html)
        try #require(parsed.attachments.count == 2)
        #expect(parsed.attachments[0].filename == "Facture F-2026-001 échue — relance n°2 (copie conforme).pdf")
        #expect(parsed.attachments[0].content_type == "application/pdf")
        #expect(parsed.attachments[0].size == 5000)
        #expect(parsed.attachments[0].sha256 == ContentDigest.sha256Hex(MailSamples.pdfBytes))
        #expect(parsed.attachments[1].filename == "releve.csv")
        #expect(parsed.attachments[1].sha256 == ContentDigest.sha256Hex(MailSamples.csvBytes))
        // Python flags a header carrying both filename* and the ASCII filename= fallback as a
        // duplicate (and keeps filename*, the first); that is the RFC 2231 fallback by design.
        let unexpected = parsed.defects.filter { !$0.contains("duplicate parameter name") }
        #expect(unexpected.isEmpty, "defects: \(unexpected)")
    }

    static let subjects: [String] = [
        "Relance : facture F-1 de 12,50 € échue",
        "Invoice F-1 overdue",
        "Mise en demeure de payer — factures F-2026-001, F-2026-002, F-2026-003, F-2026-004 et F-2026-005, total 12 345,67 € (pénalités de retard et indemnité forfaitaire de 40 € incluses), échéances dépassées depuis plus de 60 jours",
        "Reminder: invoices F-2026-001, F-2026-002, F-2026-003, F-2026-004, F-2026-005 and F-2026-006 are overdue, please pay them",
        "Literal =?UTF-8?B?QQ==?= in a subject",
        "Two  spaces and a trailing one ",
        "Œuvre, ça coûte : 😀👍🏽 👨‍👩‍👧‍👦 fin",
        "Ẽ̈ combining and 中文 and Ελληνικά",
        String(repeating: "é", count: 100),
        "",
    ]

    @Test(.enabled(if: PythonValidatorRunner.pythonAvailable, PythonValidatorRunner.pythonSkipMessage), arguments: subjects)
    func subjectRoundTrips(subject: String) throws {
        var message = MailSamples.message(subject: subject)
        message.attachments = []
        message.htmlBody = nil
        let bytes = try EMLWriter.render(message)
        let parsed = try PythonValidatorRunner.validate(bytes, suffix: ".eml", script: "eml_validate.py", as: ParsedEML.self)
        #expect(parsed.subject == subject)
        #expect(parsed.max_line_length <= 78, "\(parsed.long_lines)")
        #expect(parsed.structure == ["text/plain"])
        #expect(parsed.text == MailSamples.text)
        #expect(parsed.defects.isEmpty, "defects: \(parsed.defects)")
    }

    static let bodies: [String] = [
        "Sans saut de ligne final",
        "Fin de ligne CRLF\r\nDeuxième ligne\r\n",
        "CR seul\rici",
        "",
        ".",
        String(repeating: "é", count: 200),
        String(repeating: "x", count: 75) + ".",
        String(repeating: "y", count: 76),
        "espaces finales   \n\ttabulation finale\t",
        "= signe égal =3D et =\n",
        "NUL\u{0}et DEL\u{7F}",
    ]

    /// Text-only (one part: the body runs to the end of the message) and text + HTML
    /// (multipart: the body ends at the boundary) both give the text back exactly, line
    /// breaks read as LF.
    @Test(.enabled(if: PythonValidatorRunner.pythonAvailable, PythonValidatorRunner.pythonSkipMessage), arguments: bodies, [false, true])
    func bodyRoundTrips(body: String, withHTML: Bool) throws {
        var message = MailSamples.message(subject: "Corps")
        message.attachments = []
        message.textBody = body
        message.htmlBody = withHTML ? "<p>" + body + "</p>" : nil
        let bytes = try EMLWriter.render(message)
        let parsed = try PythonValidatorRunner.validate(bytes, suffix: ".eml", script: "eml_validate.py", as: ParsedEML.self)
        func lf(_ s: String) -> String { s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") }
        #expect(parsed.text == lf(body))
        #expect(parsed.structure == (withHTML ? ["multipart/alternative", "text/plain", "text/html"] : ["text/plain"]))
        if withHTML { #expect(parsed.html == lf("<p>" + body + "</p>")) }
        #expect(parsed.max_line_length <= 78, "\(parsed.long_lines)")
        #expect(parsed.crlf_only)
        #expect(parsed.defects.isEmpty, "defects: \(parsed.defects)")
    }

    static let filenames: [String] = [
        "facture.pdf",
        "Facture n°1.pdf",
        "Relevé de compte au 20/11/2026 — Société Générale d’Équipement, établissement de Besançon.pdf",
        "quote\"and\\backslash.txt",
        "😀.bin",
    ]

    @Test(.enabled(if: PythonValidatorRunner.pythonAvailable, PythonValidatorRunner.pythonSkipMessage), arguments: filenames)
    func attachmentNameRoundTrips(filename: String) throws {
        var message = MailSamples.message()
        message.htmlBody = nil
        message.attachments = [MailAttachment(filename: filename, contentType: "application/octet-stream", bytes: Array(filename.utf8))]
        let bytes = try EMLWriter.render(message)
        let parsed = try PythonValidatorRunner.validate(bytes, suffix: ".eml", script: "eml_validate.py", as: ParsedEML.self)
        #expect(parsed.structure == ["multipart/mixed", "text/plain", "application/octet-stream"])
        #expect(parsed.text == MailSamples.text)
        #expect(parsed.attachments.first?.filename == filename)
        #expect(parsed.attachments.first?.sha256 == ContentDigest.sha256Hex(Array(filename.utf8)))
        #expect(parsed.max_line_length <= 78, "\(parsed.long_lines)")
    }
}

@Suite("EML writer: determinism, structure and refusals")
struct MailEMLRulesTests {
    @Test func sameMessageSameBytes() throws {
        let a = try EMLWriter.render(MailSamples.message())
        let b = try EMLWriter.render(MailSamples.message())
        #expect(a == b)
        var other = MailSamples.message()
        other.messageID = MessageID(id: "R-2026-0043", domain: "mail.exemple.fr")
        let c = try EMLWriter.render(other)
        #expect(a != c)
    }

    @Test func headersAreSevenBitCRLFAndFolded() throws {
        let bytes = try EMLWriter.render(MailSamples.message())
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(bytes.allSatisfy { $0 < 0x80 })
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { !$0.contains("\n") && !$0.contains("\r") })
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(text.hasPrefix("From: "))
        #expect(text.contains("\r\nDate: Fri, 20 Nov 2026 08:00:00 +0100\r\n"))
        #expect(text.contains("\r\nMessage-ID: <R-2026-0042@mail.exemple.fr>\r\n"))
        #expect(text.contains("\r\nMIME-Version: 1.0\r\n"))
        #expect(text.contains("To: =?UTF-8?B?"), "Zoé is encoded")
        #expect(text.contains("\"Dupont, Jean\"\r\n <jean.dupont@client.fr>"), "a comma in a name is quoted, the list folded")
        // The lone "." and the "From " line of the body are escaped for sendmail and mbox.
        #expect(text.contains("\r\n=2E\r\n"))
        #expect(text.contains("\r\n=46rom the accounts"))
        #expect(text.contains("Trailing spaces here  =20\r\n"))
        #expect(text.hasSuffix("--\r\n"))
    }

    static let injections: [(MIMEMessage, MailHeaderError)] = {
        var cases: [(MIMEMessage, MailHeaderError)] = []
        var m = MailSamples.message(subject: "Relance\r\nBcc: victim@example.com")
        cases.append((m, .lineBreak(field: "Subject")))
        m = MailSamples.message(subject: "Relance\nBcc: victim@example.com")
        cases.append((m, .lineBreak(field: "Subject")))
        m = MailSamples.message()
        m.to[0].displayName = "Zoé\r\nBcc: victim@example.com"
        cases.append((m, .lineBreak(field: "To")))
        m = MailSamples.message()
        m.from = MailAddress("relances@exemple.fr\r\nBcc: victim@example.com")
        cases.append((m, .lineBreak(field: "From")))
        m = MailSamples.message()
        m.customHeaders = [.init(name: "X-Relance-Reminder-Ids", value: "R-1\r\n\r\n<script>")]
        cases.append((m, .lineBreak(field: "X-Relance-Reminder-Ids")))
        m = MailSamples.message()
        m.customHeaders = [.init(name: "Bcc", value: "victim@example.com")]
        cases.append((m, .invalidHeaderName("Bcc")))
        m = MailSamples.message()
        m.customHeaders = [.init(name: "X-Evil: 1\r\nBcc", value: "v")]
        cases.append((m, .invalidHeaderName("X-Evil: 1\r\nBcc")))
        m = MailSamples.message()
        m.attachments[0].filename = "a.pdf\r\nContent-Type: text/html"
        cases.append((m, .lineBreak(field: "Content-Disposition filename")))
        m = MailSamples.message()
        m.attachments[0].contentType = "application/pdf\r\nX-A: b"
        cases.append((m, .invalidContentType("application/pdf\r\nX-A: b")))
        m = MailSamples.message()
        m.cc = [MailAddress("a b@exemple.fr")]
        cases.append((m, .invalidAddress(field: "Cc", address: "a b@exemple.fr")))
        m = MailSamples.message()
        m.replyTo = MailAddress("<x@y.fr>")
        cases.append((m, .invalidAddress(field: "Reply-To", address: "<x@y.fr>")))
        m = MailSamples.message()
        m.to = [MailAddress("zoé@client.fr")]
        cases.append((m, .invalidAddress(field: "To", address: "zoé@client.fr")))
        m = MailSamples.message()
        m.to = []
        cases.append((m, .noRecipient))
        m = MailSamples.message()
        m.messageID = MessageID(id: "R 1>", domain: "mail.exemple.fr")
        cases.append((m, .invalidMessageID("R 1>")))
        return cases
    }()

    @Test(arguments: injections)
    func refusesUnsafeHeaders(message: MIMEMessage, expected: MailHeaderError) {
        #expect(throws: expected) { try EMLWriter.render(message) }
    }

    @Test func dateHelperFormatsRFC5322() throws {
        let winter = try MailDate(day: Day(year: 2026, month: 11, day: 20)!, hour: 8, minute: 0, utcOffsetMinutes: 60)
        #expect(winter.headerValue == "Fri, 20 Nov 2026 08:00:00 +0100")
        let summer = try MailDate(day: Day(year: 2026, month: 7, day: 1)!, hour: 8, minute: 5, second: 9, utcOffsetMinutes: 120)
        #expect(summer.headerValue == "Wed, 01 Jul 2026 08:05:09 +0200")
        let west = try MailDate(day: Day(year: 2024, month: 2, day: 29)!, hour: 23, minute: 59, utcOffsetMinutes: -330)
        #expect(west.headerValue == "Thu, 29 Feb 2024 23:59:00 -0530")
        #expect(throws: MailHeaderError.self) { try MailDate(day: Day(year: 2026, month: 1, day: 1)!, hour: 24, minute: 0, utcOffsetMinutes: 60) }
        #expect(throws: MailHeaderError.self) { try MailDate(day: Day(year: 2026, month: 1, day: 1)!, hour: 8, minute: 0, utcOffsetMinutes: 24 * 60) }
    }

    @Test func quotedPrintableKeepsLinesShortAndEscapes() {
        let long = String(repeating: "é", count: 60) + " fin"
        let encoded = String(decoding: MIMETransferEncoding.quotedPrintable(long + "\nx \n.\r\nFrom here"), as: UTF8.self)
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        // 25 triplets (75 characters) and the soft-break "=": the break falls between the two
        // bytes of an é, which QP allows, and never inside a "=XX" triplet.
        #expect(lines.first == String(repeating: "=C3=A9", count: 12) + "=C3=")
        #expect(lines.dropFirst().first?.hasPrefix("=A9=C3") == true)
        #expect(lines.suffix(3) == ["x=20", "=2E", "=46rom here"])
    }

    @Test func base64LinesAre76Columns() {
        let encoded = String(decoding: MIMETransferEncoding.base64Lines(Array(repeating: 0xFF, count: 120)), as: UTF8.self)
        let lines = encoded.components(separatedBy: "\r\n")
        // 120 bytes → 160 characters: 76 + 76 + 8, each line ended by CRLF.
        #expect(lines.map(\.count) == [76, 76, 8, 0])
        #expect(encoded.hasPrefix("////"))
        #expect(encoded.hasSuffix("\r\n"))
    }

    @Test func sha256MatchesPublishedVectors() {
        #expect(ContentDigest.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentDigest.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentDigest.sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func encodedWordsSplitOnCharacterBoundaries() {
        let words = MailHeaderEncoder.encodedWords(String(repeating: "€", count: 40))
        // 45 bytes per word = 15 euro signs of 3 bytes: 15 + 15 + 10.
        #expect(words.count == 3)
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.utf8.count <= 75 })
        // After "Subject: " 69 columns are left: (69 - 12) / 4 × 3 = 42 bytes, 14 euro signs.
        let first = MailHeaderEncoder.encodedWords(String(repeating: "€", count: 40), firstRoom: MailHeaderEncoder.firstLineRoom("Subject"))
        #expect(first.count == 3)
        #expect(first[0].utf8.count == 12 + 56)
        // A 4-byte emoji is never cut: 11 emoji fill 44 of the 45 bytes, the 12th starts a new word.
        let emoji = MailHeaderEncoder.encodedWords(String(repeating: "😀", count: 12))
        #expect(emoji.count == 2)
    }

    @Test func asciiFallbackNames() {
        #expect(AttachmentFilename.asciiFallback("Facture F-2026-001 échue — relance n°2.pdf") == "Facture F-2026-001 echue - relance no2.pdf")
        #expect(AttachmentFilename.asciiFallback("Œuvre \"x\" 😀.pdf") == "OEuvre _x_ _.pdf")
        let long = AttachmentFilename.asciiFallback(String(repeating: "é", count: 80) + ".pdf")
        #expect(long == String(repeating: "e", count: 56) + ".pdf")
    }

    @Test func displayNamesKeepPlainWordsPlain() {
        #expect(MailHeaderEncoder.phraseAtoms("Zoé Durand", firstRoom: nil) == ["=?UTF-8?B?Wm/DqQ==?=", "Durand"])
        #expect(MailHeaderEncoder.phraseAtoms("Accounts Payable", firstRoom: nil) == ["Accounts", "Payable"])
        #expect(MailHeaderEncoder.phraseAtoms("J. Dupont", firstRoom: nil) == ["\"J. Dupont\""])
        #expect(MailHeaderEncoder.phraseAtoms("Say \"hi\"", firstRoom: nil) == ["\"Say \\\"hi\\\"\""])
        // Two non-ASCII words in a row share one encoded-word, space included.
        #expect(MailHeaderEncoder.phraseAtoms("Ève Müller", firstRoom: nil).count == 1)
    }
}
