import RelanceCore

/// A French business letter — reminder ("lettre de relance"), formal notice ("mise en
/// demeure"), statement cover letter — turned into a `PDFDocument` and then into PDF bytes.
///
/// Page geometry (A4, millimetres from the page's top-left corner), chosen for a DL
/// (110 × 220 mm) envelope with the window on the right ("fenêtre à droite", window 45 × 100 mm,
/// the sheet folded in three):
/// - margins: 20 mm left and right, 15 mm top, 12 mm bottom; body text 10 pt DejaVu Sans;
/// - sender block ("expéditeur"): x 20 mm, y 15 mm, 80 mm wide — left of the window, so it
///   never shows through it;
/// - envelope window area (`EnvelopeWindow.frenchRight`): x 110–200 mm, y 45–90 mm. The
///   address is set 5 mm inside it (x 115 mm, y 50 mm, 80 mm wide, 35 mm high), so it stays
///   visible when the folded sheet slides a few millimetres in the envelope; at most 6 lines
///   (La Poste's rule for postal addresses, NF Z10-011), each cut with "…" if wider than 80 mm;
/// - the flow (place and date, "Objet :", body) starts at y 100 mm, below the window.
///
/// Usage, one writer for the whole run:
/// ```swift
/// let writer = try PDFDocumentWriter()
/// for customer in dueCustomers {
///     let letter = LetterLayout(sender: sender, recipient: customer.addressLines, place: "Lyon", date: asOf,
///                               subject: "Relance – factures échues", paragraphs: [body],
///                               invoices: customer.openInvoices, closing: closing,
///                               signature: .init(name: "Claire Martin", title: "Recouvrement"))
///     let pdf: [UInt8] = try writer.render(letter)
/// }
/// ```
public struct LetterLayout: Sendable, Hashable {
    /// The company sending the letter ("expéditeur"), as printed top-left and in the footer.
    public struct Sender: Sendable, Hashable {
        public var name: String
        public var addressLines: [String]
        /// 9-digit SIREN, printed as given.
        public var siren: String?
        /// Intra-community VAT number ("n° de TVA intracommunautaire").
        public var vatNumber: String?
        public var phone: String?
        public var email: String?
        /// Footer lines: legal form and capital, RCS registration, head office ("mentions
        /// légales"); empty leaves the footer with the page number only.
        public var legalMentions: [String]

        public init(name: String, addressLines: [String], siren: String? = nil, vatNumber: String? = nil,
                    phone: String? = nil, email: String? = nil, legalMentions: [String] = []) {
            self.name = name; self.addressLines = addressLines; self.siren = siren; self.vatNumber = vatNumber
            self.phone = phone; self.email = email; self.legalMentions = legalMentions
        }
    }

    /// Where the recipient address goes, in millimetres from the page's top-left corner.
    public struct EnvelopeWindow: Sendable, Hashable {
        public var left: Double
        public var top: Double
        public var width: Double
        public var height: Double
        /// Distance kept between the window's edges and the address text.
        public var inset: Double
        /// Postal addresses have at most 6 lines (NF Z10-011).
        public var maximumLines: Int

        public init(left: Double, top: Double, width: Double, height: Double, inset: Double = 5, maximumLines: Int = 6) {
            self.left = left; self.top = top; self.width = width; self.height = height
            self.inset = inset; self.maximumLines = maximumLines
        }

        /// The usual French right-hand window of a DL envelope: x 110–200 mm, y 45–90 mm.
        public static let frenchRight = EnvelopeWindow(left: 110, top: 45, width: 90, height: 45)
    }

    /// One invoice of the table. Days late are counted from the due date to the letter's date
    /// and shown as `142 j` ("jours") under "Retard" (`142 d` under "Overdue" in English).
    public struct InvoiceLine: Sendable, Hashable {
        public var number: String
        public var issued: Day
        public var due: Day
        /// Amount TTC of the invoice.
        public var amount: Money
        /// What is still unpaid ("reste dû").
        public var open: Money

        public init(number: String, issued: Day, due: Day, amount: Money, open: Money) {
            self.number = number; self.issued = issued; self.due = due; self.amount = amount; self.open = open
        }
    }

    /// The language of the letter's fixed wording (place and date, "Objet", the registered-mail
    /// line, the invoice table's headers and totals); the caller writes the paragraphs.
    public enum Language: String, Sendable, Hashable {
        case french, english

        var registeredMail: String { self == .french ? "Lettre recommandée avec accusé de réception" : "Registered letter with acknowledgement of receipt" }
        var subjectLabel: String { self == .french ? "Objet\u{00A0}: " : "Subject: " }
        var totalDue: String { self == .french ? "Total dû" : "Total due" }
        var daysSuffix: String { self == .french ? "\u{00A0}j" : "\u{00A0}d" }
        var vat: String { self == .french ? "TVA " : "VAT " }
        var phone: String { self == .french ? "Tél. " : "Tel. " }
        var columns: [PDFTable.Column] {
            let labels = self == .french ? ["Facture", "Date", "Échéance", "Retard", "Montant TTC", "Reste dû"]
                                         : ["Invoice", "Date", "Due date", "Overdue", "Amount", "Open"]
            return [PDFTable.Column(labels[0], weight: 1.35), PDFTable.Column(labels[1], weight: 1), PDFTable.Column(labels[2], weight: 1),
                    PDFTable.Column.amount(labels[3], weight: 0.8), PDFTable.Column.amount(labels[4], weight: 1.25),
                    PDFTable.Column.amount(labels[5], weight: 1.25)]
        }
        func amount(_ m: Money) -> String { self == .french ? FrenchDisplay.amount(m) : EnglishDisplay.amount(m) }
        func shortDate(_ d: Day) -> String { self == .french ? FrenchDisplay.shortDate(d) : EnglishDisplay.shortDate(d) }
        func placeAndDate(_ place: String, _ d: Day) -> String {
            self == .french ? FrenchDisplay.placeAndDate(place, d) : EnglishDisplay.placeAndDate(place, d)
        }
    }

    /// The signatory: a person able to bind the company (required on a mise en demeure).
    public struct Signature: Sendable, Hashable {
        public var name: String
        public var title: String?
        public init(name: String, title: String? = nil) { self.name = name; self.title = title }
    }

    public var sender: Sender
    /// Recipient address lines in postal order: name, attention line, street, postcode and city,
    /// country for abroad.
    public var recipient: [String]
    /// Town of the place-and-date line ("Lyon").
    public var place: String
    /// The letter's date (normally the run's as-of date); also the PDF's metadata date.
    public var date: Day
    /// Text after "Objet :".
    public var subject: String
    /// Lines under the subject: "Réf. client : C0042", "N/Réf. : R-2026-118".
    public var references: [String]
    /// Prints "Lettre recommandée avec accusé de réception" above the subject.
    public var registeredMail: Bool
    public var salutation: String
    public var paragraphs: [PDFText]
    /// Invoices listed after the paragraphs, with a "Total dû" row per currency; empty: no table.
    public var invoices: [InvoiceLine]
    /// Paragraphs after the table: payment instructions, deadline, consequences.
    public var afterTable: [PDFText]
    /// The closing formula ("Nous vous prions d'agréer, Madame, Monsieur, …").
    public var closing: PDFText
    public var signature: Signature
    public var window: EnvelopeWindow
    public var language: Language

    public init(sender: Sender, recipient: [String], place: String, date: Day, subject: String,
                references: [String] = [], registeredMail: Bool = false, salutation: String = "Madame, Monsieur,",
                paragraphs: [PDFText], invoices: [InvoiceLine] = [], afterTable: [PDFText] = [],
                closing: PDFText, signature: Signature, window: EnvelopeWindow = .frenchRight, language: Language = .french) {
        self.sender = sender; self.recipient = recipient; self.place = place; self.date = date
        self.subject = subject; self.references = references; self.registeredMail = registeredMail
        self.salutation = salutation; self.paragraphs = paragraphs; self.invoices = invoices
        self.afterTable = afterTable; self.closing = closing; self.signature = signature; self.window = window
        self.language = language
    }

    /// Open amounts summed per currency, in currency-code order.
    public func totalsDue() throws(PDFRenderError) -> [Money] {
        var sums: [Currency: Money] = [:]
        for line in invoices {
            let current = sums[line.open.currency] ?? .zero(line.open.currency)
            do { sums[line.open.currency] = try current.adding(line.open) } catch {
                throw .invalidContent("the open amounts of currency \(line.open.currency) overflow when summed")
            }
        }
        return sums.keys.sorted().compactMap { sums[$0] }
    }

    /// The document this letter renders as (exposed so callers can add blocks or inspect it).
    public func document() throws(PDFRenderError) -> PDFDocument {
        let page = PDFPageSetup()
        let mm = PDFPageSetup.mm
        // A line feed inside a field of the data would make an extra line in the window: count
        // the lines as they will be printed.
        let addressLines = recipient.flatMap { $0.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) }
            .map { String($0) }
        guard addressLines.count <= window.maximumLines else {
            throw .addressDoesNotFit(lines: addressLines.count, maximum: window.maximumLines)
        }

        var senderLines: [PDFText] = [.bold(sender.name)]
        senderLines += sender.addressLines.map { PDFText($0) }
        if let siren = sender.siren { senderLines.append(PDFText("SIREN " + siren)) }
        if let vat = sender.vatNumber { senderLines.append(PDFText(language.vat + vat)) }
        if let phone = sender.phone { senderLines.append(PDFText(language.phone + phone)) }
        if let email = sender.email { senderLines.append(PDFText(email)) }
        let senderBox = PDFFixedBox(lines: senderLines, x: mm(20), y: page.topMargin, width: mm(80),
                                    maxHeight: mm(100 - 15 - 5), fontSize: 9)
        let addressBox = PDFFixedBox(lines: addressLines.map { PDFText($0) },
                                     x: mm(window.left + window.inset), y: mm(window.top + window.inset),
                                     width: mm(window.width - 2 * window.inset),
                                     maxHeight: mm(window.height - 2 * window.inset), fontSize: 10, singleLines: true)

        var blocks: [PDFBlock] = [
            .paragraph(PDFParagraph(PDFText(language.placeAndDate(place, date)), alignment: .right, spaceAfter: 14)),
        ]
        if registeredMail {
            blocks.append(.paragraph(PDFParagraph(.bold(language.registeredMail),
                                                  alignment: .left, spaceAfter: 4)))
        }
        blocks.append(.paragraph(PDFParagraph(.bold(language.subjectLabel) + subject, alignment: .left, spaceAfter: 2)))
        for r in references { blocks.append(.paragraph(PDFParagraph(PDFText(r), alignment: .left, spaceAfter: 0))) }
        blocks.append(.spacing(14))
        blocks.append(.paragraph(PDFParagraph(PDFText(salutation), alignment: .left, spaceAfter: 8)))
        for p in paragraphs { blocks.append(.paragraph(PDFParagraph(p, spaceAfter: 7))) }
        if !invoices.isEmpty {
            blocks.append(.spacing(2))
            blocks.append(.table(try invoiceTable()))
        }
        for p in afterTable { blocks.append(.paragraph(PDFParagraph(p, spaceAfter: 7))) }

        var signatureLines: [PDFText] = [PDFText(signature.name)]
        if let title = signature.title { signatureLines.append(PDFText(title)) }
        let signatureText = PDFText(spans: signatureLines.enumerated().flatMap { i, t in
            (i > 0 ? [PDFText.Span("\n")] : []) + t.spans
        })
        blocks.append(.keepTogether([
            .paragraph(PDFParagraph(closing, spaceAfter: 18)),
            .paragraph(PDFParagraph(signatureText, alignment: .left, leftInset: page.bodyWidth / 2,
                                    keepLinesTogether: true)),
        ]))

        var legal = sender.legalMentions
        if legal.isEmpty {
            legal = [[sender.name, sender.siren.map { "SIREN " + $0 }, sender.vatNumber.map { "TVA " + $0 }]
                .compactMap { $0 }.joined(separator: " – ")]
        }
        return PDFDocument(
            info: PDFDocumentInfo(title: subject, author: sender.name, subject: recipient.first, date: date),
            page: page,
            footer: PDFFooter(legalMentions: legal),
            firstPageBoxes: [senderBox, addressBox],
            firstPageFlowTop: mm(window.top + window.height + 10),
            blocks: blocks)
    }

    /// Invoice number, dates, days late at the letter's date, amount and open amount.
    public func invoiceTable() throws(PDFRenderError) -> PDFTable {
        let rows: [[PDFText]] = invoices.map { line in
            [PDFText(line.number), PDFText(language.shortDate(line.issued)), PDFText(language.shortDate(line.due)),
             PDFText(String(max(0, line.due.distance(to: date))) + language.daysSuffix),
             PDFText(language.amount(line.amount)), PDFText(language.amount(line.open))]
        }
        let totals: [[PDFText]] = try totalsDue().map { total in
            [PDFText(language.totalDue), "", "", "", "", PDFText(language.amount(total))]
        }
        return PDFTable(columns: language.columns, rows: rows, totalRows: totals)
    }
}

extension PDFDocumentWriter {
    /// Renders a letter: one call per letter, reusing this writer's fonts.
    public func render(_ letter: LetterLayout) throws(PDFRenderError) -> [UInt8] {
        try render(letter.document())
    }
}
