import CPangoCairo

// The only file that calls cairo and pango. Everything above it (Writers/PDF) works in points
// with Swift values; here live the font map, text layouts measured line by line, and the PDF
// surface that writes into memory.
//
// Units: the PDF surface's user space is in points (1/72 in), and the pango context is set to
// 72 dpi so that a font size in points is also a size in user-space units. Pango's own integer
// units (1/1024) are converted here and nowhere else.

/// A font family shipped by `fonts-dejavu-core` (installed by `make deps`).
///
/// Only DejaVu is used so that a letter looks and measures the same on every machine: a
/// fontconfig fallback to another family would change line breaks and therefore page breaks.
public enum PDFFontFamily: String, Sendable, Hashable {
    case sans = "DejaVu Sans"
    case serif = "DejaVu Serif"
}

/// Horizontal placement of text inside its box.
public enum PDFTextAlignment: Sendable, Hashable {
    case left, right, center
    /// Both edges flush; the last line of a paragraph stays left-aligned (French typesetting).
    case justified
}

/// A style applied to a byte range of a layout's text (bold / italic spans).
struct TextRun: Hashable {
    var byteStart: UInt32
    var byteEnd: UInt32
    var bold: Bool
    var italic: Bool
}

/// One laid-out line: where it sits inside its layout, in points from the layout's top-left.
struct LaidOutLine {
    /// Top of the line's logical box.
    var top: Double
    /// Height of the line's logical box (ascent + descent + line gap).
    var height: Double
    /// Baseline, from the layout's top.
    var baseline: Double
    /// Left edge of the line's logical box (alignment offset included).
    var x: Double
    /// Width of the line's logical box.
    var width: Double
}

/// Why the PDF could not be produced. cairo reports its errors as a status code; the message
/// is cairo's own text for it.
public enum PDFRenderError: Error, Sendable, Equatable, CustomStringConvertible {
    case cairo(String)
    /// The recipient address does not fit in the envelope window (too many lines).
    case addressDoesNotFit(lines: Int, maximum: Int)
    /// The content cannot be shown as given (an amount total that overflows).
    case invalidContent(String)
    /// Text at a fixed position is taller than the room it was given.
    case fixedBoxOverflow(firstLine: String, height: Double, maximum: Double)

    public var description: String {
        switch self {
        case let .cairo(message): return "cairo: \(message)"
        case let .addressDoesNotFit(lines, maximum):
            return "the recipient address has \(lines) lines; the envelope window holds \(maximum)"
        case let .invalidContent(message): return message
        case let .fixedBoxOverflow(firstLine, height, maximum):
            return "the box starting \"\(firstLine)\" needs \(Int(height.rounded())) pt but has \(Int(maximum)) pt"
        }
    }
}

/// A pango layout measured once, drawn later (possibly a few lines per page).
///
/// Holds a reference on the `PangoLayout`; the reference is dropped when this object dies.
final class TextLayout {
    fileprivate let layout: OpaquePointer
    /// Lines in order, measured in points.
    let lines: [LaidOutLine]
    /// Width of the widest line, in points.
    let inkWidth: Double

    fileprivate init(layout: OpaquePointer) {
        self.layout = layout
        var lines: [LaidOutLine] = []
        var widest = 0.0
        if let iter = pango_layout_get_iter(layout) {
            repeat {
                var logical = PangoRectangle()
                pango_layout_iter_get_line_extents(iter, nil, &logical)
                let baseline = pango_layout_iter_get_baseline(iter)
                let line = LaidOutLine(top: points(logical.y), height: points(logical.height),
                                       baseline: points(baseline), x: points(logical.x), width: points(logical.width))
                widest = max(widest, line.width)
                lines.append(line)
            } while pango_layout_iter_next_line(iter) != 0
            pango_layout_iter_free(iter)
        }
        self.lines = lines
        self.inkWidth = widest
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

    /// Height of all lines, top of the first to bottom of the last.
    var height: Double {
        guard let first = lines.first, let last = lines.last else { return 0 }
        return last.top + last.height - first.top
    }

    /// Height of lines `range`, top of the first to bottom of the last.
    func height(of range: Range<Int>) -> Double {
        guard !range.isEmpty else { return 0 }
        return lines[range.upperBound - 1].top + lines[range.upperBound - 1].height - lines[range.lowerBound].top
    }
}

private func points(_ units: Int32) -> Double { Double(units) / Double(PANGO_SCALE) }
private func units(_ points: Double) -> Int32 { Int32(relance_pango_units(points)) }

/// Font map, pango context and font descriptions, made once and reused for every document.
///
/// Creating a font map loads fontconfig's configuration and opens font files; doing it once per
/// run instead of once per letter is most of what makes 2,000 letters cheap. Not thread-safe
/// (pango font maps are not): use one typesetter per thread or task.
final class PangoTypesetter {
    private let fontMap: UnsafeMutablePointer<PangoFontMap>
    private let context: OpaquePointer
    private var descriptions: [FontKey: OpaquePointer] = [:]

    private struct FontKey: Hashable {
        var family: PDFFontFamily
        var centipoints: Int
    }

    init() throws(PDFRenderError) {
        guard let map = pango_cairo_font_map_new() else { throw .cairo("pango_cairo_font_map_new failed") }
        fontMap = map
        // 72 dpi: a 10 pt font is 10 user-space units on the PDF surface.
        pango_cairo_font_map_set_resolution(OpaquePointer(map), 72)
        guard let ctx = pango_font_map_create_context(map) else {
            g_object_unref(UnsafeMutableRawPointer(map))
            throw .cairo("pango_font_map_create_context failed")
        }
        context = ctx
        // Unhinted metrics and unrounded glyph positions: the layout must not depend on a
        // screen's pixel grid, and measuring must agree with what the PDF surface draws.
        if let options = cairo_font_options_create() {
            cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
            cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
            cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
            pango_cairo_context_set_font_options(ctx, options)
            cairo_font_options_destroy(options)
        }
        pango_cairo_context_set_resolution(ctx, 72)
        pango_context_set_round_glyph_positions(ctx, 0)
        // French base direction and language, so that line breaking follows French rules.
        pango_context_set_language(ctx, pango_language_from_string("fr-FR"))
    }

    deinit {
        for (_, d) in descriptions { pango_font_description_free(d) }
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(UnsafeMutableRawPointer(fontMap))
    }

    private func description(_ family: PDFFontFamily, size: Double) -> OpaquePointer? {
        let key = FontKey(family: family, centipoints: Int((size * 100).rounded()))
        if let d = descriptions[key] { return d }
        guard let d = pango_font_description_new() else { return nil }
        pango_font_description_set_family(d, family.rawValue)
        pango_font_description_set_size(d, units(size))
        descriptions[key] = d
        return d
    }

    /// Lays `text` out in a box `width` points wide (wrapping at words, inside a word only
    /// when one word is wider than the box, never inserting a hyphen).
    ///
    /// The text is given to pango as plain text, never as markup, and bold/italic come as
    /// attributes on byte ranges: a customer called `Dupont & Fils <SARL>` is shown as written
    /// without any escaping step that could be forgotten.
    /// `singleLine` makes overlong text end in "…" instead of wrapping (envelope address lines).
    func layout(_ text: String, runs: [TextRun], family: PDFFontFamily, size: Double, width: Double,
                alignment: PDFTextAlignment, singleLine: Bool = false, lineSpacing: Double = 1.0) -> TextLayout? {
        guard let layout = pango_layout_new(context) else { return nil }
        if let d = description(family, size: size) { pango_layout_set_font_description(layout, d) }
        pango_layout_set_width(layout, units(width))
        if singleLine {
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
            pango_layout_set_height(layout, -1)  // -1: at most one line per paragraph
        } else {
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        switch alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .justified:
            pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
            pango_layout_set_justify(layout, 1)
        }
        if lineSpacing != 1.0 { pango_layout_set_line_spacing(layout, Float(lineSpacing)) }

        if let attrs = pango_attr_list_new() {
            // Hyphenation off: a hyphen pango inserts is not in the source text, so it would
            // break the exact text round trip (and French letters do not hyphenate names).
            if let noHyphens = pango_attr_insert_hyphens_new(0) {
                pango_attr_list_insert(attrs, noHyphens)
            }
            for run in runs where run.byteEnd > run.byteStart {
                if run.bold, let a = pango_attr_weight_new(PANGO_WEIGHT_BOLD) {
                    a.pointee.start_index = run.byteStart
                    a.pointee.end_index = run.byteEnd
                    pango_attr_list_insert(attrs, a)
                }
                if run.italic, let a = pango_attr_style_new(PANGO_STYLE_ITALIC) {
                    a.pointee.start_index = run.byteStart
                    a.pointee.end_index = run.byteEnd
                    pango_attr_list_insert(attrs, a)
                }
            }
            pango_layout_set_attributes(layout, attrs)
            pango_attr_list_unref(attrs)
        }
        var text = text
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                pango_layout_set_text(layout, chars.baseAddress, Int32(chars.count))
            }
        }
        return TextLayout(layout: layout)
    }
}

/// The document's information dictionary. Dates are given by the caller (the run's as-of
/// date), never read from the clock, so that the same input gives the same bytes.
struct PDFMetadataValues {
    var title: String
    var author: String
    var subject: String?
    var creator: String
    /// ISO 8601 as cairo expects it: `2026-11-20T00:00:00Z`.
    var created: String
    var modified: String
}

/// A cairo PDF surface writing into a byte buffer, with the few drawing operations the
/// document writer needs. One canvas makes one document.
final class PDFCanvas {
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let sink: Unmanaged<ByteSink>
    private var finished = false

    /// Collects what cairo writes; reached from the C callback through its `void *` closure.
    private final class ByteSink {
        var bytes: [UInt8] = []
        init() { bytes.reserveCapacity(64 << 10) }
    }

    init(width: Double, height: Double, metadata: PDFMetadataValues) throws(PDFRenderError) {
        let sink = Unmanaged.passRetained(ByteSink())
        // Non-capturing: the sink arrives through `closure`.
        let write: cairo_write_func_t = { closure, data, length in
            guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
            if length > 0, let data {
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            }
            return CAIRO_STATUS_SUCCESS
        }
        guard let surface = cairo_pdf_surface_create_for_stream(write, sink.toOpaque(), width, height) else {
            sink.release()
            throw .cairo("cairo_pdf_surface_create_for_stream returned nothing")
        }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS, let cr = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            sink.release()
            throw .cairo(String(cString: cairo_status_to_string(status)))
        }
        self.surface = surface
        self.cr = cr
        self.sink = sink
        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, metadata.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, metadata.author)
        if let subject = metadata.subject {
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, subject)
        }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, metadata.creator)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, metadata.created)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, metadata.modified)
    }

    deinit {
        cairo_destroy(cr)
        if !finished { cairo_surface_finish(surface) }
        cairo_surface_destroy(surface)
        sink.release()
    }

    /// Draws lines `range` of `layout` with the top of the first one at (`x`, `y`).
    func draw(_ layout: TextLayout, lines range: Range<Int>, x: Double, y: Double, gray: Double = 0) {
        guard !range.isEmpty else { return }
        let top = layout.lines[range.lowerBound].top
        cairo_set_source_rgb(cr, gray, gray, gray)
        var index: Int32 = 0
        guard let iter = pango_layout_get_iter(layout.layout) else { return }
        defer { pango_layout_iter_free(iter) }
        repeat {
            let i = Int(index)
            if range.contains(i), let line = pango_layout_iter_get_line_readonly(iter) {
                let m = layout.lines[i]
                cairo_move_to(cr, x + m.x, y + m.baseline - top)
                pango_cairo_show_layout_line(cr, line)
            }
            index += 1
        } while Int(index) < range.upperBound && pango_layout_iter_next_line(iter) != 0
    }

    /// A straight line `width` points thick.
    func line(from a: (Double, Double), to b: (Double, Double), width: Double, gray: Double = 0) {
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_set_line_width(cr, width)
        cairo_move_to(cr, a.0, a.1)
        cairo_line_to(cr, b.0, b.1)
        cairo_stroke(cr)
    }

    /// A filled rectangle (table header background).
    func fill(x: Double, y: Double, width: Double, height: Double, gray: Double) {
        cairo_set_source_rgb(cr, gray, gray, gray)
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
    }

    /// Ends the current page and starts a new one.
    func endPage() { cairo_show_page(cr) }

    /// Finishes the document (cairo writes fonts, cross-reference table and trailer now) and
    /// returns its bytes.
    func finish() throws(PDFRenderError) -> [UInt8] {
        cairo_surface_finish(surface)
        finished = true
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw .cairo(String(cString: cairo_status_to_string(status))) }
        let bytes = sink.takeUnretainedValue().bytes
        sink.takeUnretainedValue().bytes = []
        return bytes
    }
}
