/// A paragraph's text and how it is set.
public struct PDFParagraph: Sendable, Hashable {
    public var text: PDFText
    public var alignment: PDFTextAlignment
    public var family: PDFFontFamily?
    /// Font size in points; nil takes the document's body size.
    public var fontSize: Double?
    /// Extra space after the paragraph, in points.
    public var spaceAfter: Double
    /// Left inset from the body's left margin, in points (signature block on the right half).
    public var leftInset: Double
    /// Width, in points; nil runs to the right margin.
    public var width: Double?
    /// Never split across pages (addresses, signature, short mentions).
    public var keepLinesTogether: Bool
    /// Moves to the next page with the block that follows if they would be separated (headings).
    public var keepWithNext: Bool
    /// Grey level of the text, 0 = black.
    public var gray: Double

    public init(_ text: PDFText, alignment: PDFTextAlignment = .justified, family: PDFFontFamily? = nil,
                fontSize: Double? = nil, spaceAfter: Double = 6, leftInset: Double = 0, width: Double? = nil,
                keepLinesTogether: Bool = false, keepWithNext: Bool = false, gray: Double = 0) {
        self.text = text; self.alignment = alignment; self.family = family; self.fontSize = fontSize
        self.spaceAfter = spaceAfter; self.leftInset = leftInset; self.width = width
        self.keepLinesTogether = keepLinesTogether; self.keepWithNext = keepWithNext; self.gray = gray
    }
}

/// One element of the document's flow, laid out top to bottom and broken across pages.
public indirect enum PDFBlock: Sendable, Hashable {
    case paragraph(PDFParagraph)
    /// A bold title, 1 (largest) to 3, kept on the page of what follows it.
    case heading(PDFText, level: Int)
    /// Vertical space in points; dropped at the top of a page.
    case spacing(Double)
    case table(PDFTable)
    /// A thin horizontal line across the body.
    case rule
    /// Blocks that move to the next page together rather than be split (closing + signature).
    case keepTogether([PDFBlock])
    case pageBreak

    /// A justified body paragraph.
    public static func text(_ text: PDFText, alignment: PDFTextAlignment = .justified) -> PDFBlock {
        .paragraph(PDFParagraph(text, alignment: alignment))
    }
}

/// Text placed at a fixed position of the first page, outside the flow: the sender block, the
/// recipient address in the envelope window.
public struct PDFFixedBox: Sendable, Hashable {
    public var lines: [PDFText]
    /// Box origin (top-left) and width, in points from the page's top-left corner.
    public var x: Double
    public var y: Double
    public var width: Double
    /// Maximum height in points; the box's text must fit or rendering fails (nil: no limit).
    public var maxHeight: Double?
    public var fontSize: Double
    public var family: PDFFontFamily?
    public var alignment: PDFTextAlignment
    /// Each line on one line, cut with "…" when too wide (postal addresses), instead of wrapping.
    public var singleLines: Bool

    public init(lines: [PDFText], x: Double, y: Double, width: Double, maxHeight: Double? = nil,
                fontSize: Double = 10, family: PDFFontFamily? = nil, alignment: PDFTextAlignment = .left,
                singleLines: Bool = false) {
        self.lines = lines; self.x = x; self.y = y; self.width = width; self.maxHeight = maxHeight
        self.fontSize = fontSize; self.family = family; self.alignment = alignment; self.singleLines = singleLines
    }
}
