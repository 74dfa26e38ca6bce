/// A run of text with bold / italic spans: the "tiny markup" of letters.
///
/// Why spans instead of Pango markup strings: text from the data (a customer called
/// `Dupont & Fils <SARL>`, an invoice reference with `<`) would have to be escaped every time it
/// is pasted into markup, and one forgotten escape makes pango reject the whole paragraph.
/// Spans are handed to pango as plain text plus attributes on byte ranges, so there is nothing
/// to escape and every character is shown literally.
///
/// ```swift
/// let t: PDFText = "Nous vous prions de régler " + .bold("1 234,56 €") + " avant le " + .italic("5 décembre")
/// ```
public struct PDFText: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation,
    CustomStringConvertible {
    /// A piece of text with one style.
    public struct Span: Sendable, Hashable {
        public var text: String
        public var bold: Bool
        public var italic: Bool
        public init(_ text: String, bold: Bool = false, italic: Bool = false) {
            self.text = text; self.bold = bold; self.italic = italic
        }
    }

    public var spans: [Span]

    public init(spans: [Span]) { self.spans = spans }
    public init(_ text: String) { spans = text.isEmpty ? [] : [Span(text)] }
    public init(stringLiteral value: String) { self.init(value) }

    public static func bold(_ text: String) -> PDFText { PDFText(spans: [Span(text, bold: true)]) }
    public static func italic(_ text: String) -> PDFText { PDFText(spans: [Span(text, italic: true)]) }
    public static func boldItalic(_ text: String) -> PDFText { PDFText(spans: [Span(text, bold: true, italic: true)]) }

    /// The whole text made bold (or italic) on top of any existing style.
    public var bolded: PDFText { PDFText(spans: spans.map { Span($0.text, bold: true, italic: $0.italic) }) }
    public var italicized: PDFText { PDFText(spans: spans.map { Span($0.text, bold: $0.bold, italic: true) }) }

    public static func + (l: PDFText, r: PDFText) -> PDFText { PDFText(spans: l.spans + r.spans) }
    public static func + (l: PDFText, r: String) -> PDFText { l + PDFText(r) }
    public static func + (l: String, r: PDFText) -> PDFText { PDFText(l) + r }

    /// The characters without styles.
    public var plain: String { spans.map(\.text).joined() }
    public var description: String { plain }
    public var isEmpty: Bool { spans.allSatisfy { $0.text.isEmpty } }

    /// Concatenated UTF-8 text and the byte ranges pango styles (see `PangoTypesetter.layout`).
    func flattened() -> (text: String, runs: [TextRun]) {
        var text = ""
        var runs: [TextRun] = []
        var offset: UInt32 = 0
        for span in spans {
            let piece = PDFText.printable(span.text)
            let count = UInt32(piece.utf8.count)
            if span.bold || span.italic {
                runs.append(TextRun(byteStart: offset, byteEnd: offset + count, bold: span.bold, italic: span.italic))
            }
            text += piece
            offset += count
        }
        return (text, runs)
    }

    /// Control characters from the data (a NUL, a bell, a stray carriage return) become spaces:
    /// pango stops at a NUL and draws the others as boxes. Line feeds and tabs are kept.
    static func printable(_ s: String) -> String {
        func isControl(_ v: UInt32) -> Bool { (v < 0x20 && v != 0x0A && v != 0x09) || (0x7F...0x9F).contains(v) }
        guard s.unicodeScalars.contains(where: { isControl($0.value) }) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(isControl(u.value) ? " " : u) }
        return String(out)
    }

    /// Lets `"Total : \(.bold(amount))"` style interpolation build spans.
    public struct StringInterpolation: StringInterpolationProtocol {
        var spans: [Span] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: String) { if !literal.isEmpty { spans.append(Span(literal)) } }
        public mutating func appendInterpolation(_ text: PDFText) { spans += text.spans }
        public mutating func appendInterpolation(_ string: String) { if !string.isEmpty { spans.append(Span(string)) } }
        public mutating func appendInterpolation<T: CustomStringConvertible>(_ value: T) {
            spans.append(Span(value.description))
        }
    }

    public init(stringInterpolation: StringInterpolation) { spans = stringInterpolation.spans }
}
