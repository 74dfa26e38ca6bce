import RelanceCore

/// The PDF information dictionary: title, author, creator and dates.
///
/// The dates come from the caller — normally the run's as-of date — and never from the clock:
/// the same inputs must give byte-identical PDFs, so that a re-run can tell "nothing changed"
/// by comparing hashes and the outbox stays reproducible.
public struct PDFDocumentInfo: Sendable, Hashable {
    public var title: String
    /// The company sending the letter.
    public var author: String
    public var subject: String?
    public var creator: String
    /// Creation and modification date, written as midnight UTC of that day.
    public var date: Day

    public init(title: String, author: String, subject: String? = nil, creator: String = "Relance", date: Day) {
        self.title = title; self.author = author; self.subject = subject; self.creator = creator; self.date = date
    }

    /// `2026-11-20T00:00:00Z`, the ISO 8601 form cairo turns into `D:20261120000000Z`.
    var isoDate: String { date.description + "T00:00:00Z" }
}

/// Page size and margins, in points (1 pt = 1/72 in = 0.3528 mm).
public struct PDFPageSetup: Sendable, Hashable {
    public var width: Double
    public var height: Double
    public var topMargin: Double
    public var bottomMargin: Double
    public var leftMargin: Double
    public var rightMargin: Double
    public var family: PDFFontFamily
    /// Body text size in points.
    public var bodyFontSize: Double

    /// ISO 216 A4: 210 × 297 mm.
    public static let a4Width = 595.28
    public static let a4Height = 841.89

    /// Millimetres to points.
    public static func mm(_ millimetres: Double) -> Double { millimetres * 72 / 25.4 }

    /// A4 portrait with 20 mm side margins, 15 mm top and bottom: the usual French letter page.
    public init(width: Double = a4Width, height: Double = a4Height, topMargin: Double = mm(15),
                bottomMargin: Double = mm(12), leftMargin: Double = mm(20), rightMargin: Double = mm(20),
                family: PDFFontFamily = .sans, bodyFontSize: Double = 10) {
        self.width = width; self.height = height
        self.topMargin = topMargin; self.bottomMargin = bottomMargin
        self.leftMargin = leftMargin; self.rightMargin = rightMargin
        self.family = family; self.bodyFontSize = bodyFontSize
    }

    public var bodyWidth: Double { width - leftMargin - rightMargin }
}

/// What every page carries at its foot: the company's legal mentions (form, capital, RCS,
/// SIREN, VAT number, address — the "mentions légales" of art. R123-237 C. com.) and the
/// page number as "Page n / N".
public struct PDFFooter: Sendable, Hashable {
    /// One line each, centred, small grey type; long lines wrap.
    public var legalMentions: [String]
    public var pageNumbers: Bool
    public var fontSize: Double

    public init(legalMentions: [String] = [], pageNumbers: Bool = true, fontSize: Double = 7) {
        self.legalMentions = legalMentions; self.pageNumbers = pageNumbers; self.fontSize = fontSize
    }
}

/// A whole document: fixed boxes on the first page, then blocks flowing across pages.
///
/// Statements ("relevé de compte") and dossier summaries are built directly as a
/// `PDFDocument`; letters go through `LetterLayout`, which builds one.
public struct PDFDocument: Sendable, Hashable {
    public var info: PDFDocumentInfo
    public var page: PDFPageSetup
    public var footer: PDFFooter
    /// Text at fixed positions on the first page (sender block, envelope window address).
    public var firstPageBoxes: [PDFFixedBox]
    /// Where the flow starts on the first page, in points from the top; nil starts at the top
    /// margin. Letters start below the address window.
    public var firstPageFlowTop: Double?
    public var blocks: [PDFBlock]

    public init(info: PDFDocumentInfo, page: PDFPageSetup = PDFPageSetup(), footer: PDFFooter = PDFFooter(),
                firstPageBoxes: [PDFFixedBox] = [], firstPageFlowTop: Double? = nil, blocks: [PDFBlock]) {
        self.info = info; self.page = page; self.footer = footer
        self.firstPageBoxes = firstPageBoxes; self.firstPageFlowTop = firstPageFlowTop; self.blocks = blocks
    }
}
