import RelanceCore

/// Renders `PDFDocument`s (and, through `LetterLayout`, letters) to PDF bytes in memory.
///
/// Rendering runs in two passes: every block is typeset and placed on pages first, so the page
/// count is known before anything is drawn and each footer can say "Page n / N"; then the pages
/// are drawn on a cairo PDF surface writing into a byte array.
///
/// A writer keeps its pango font map and font descriptions between documents: create one and
/// reuse it for a whole run (a run of 2,000 reminder letters spends most of its time in
/// font loading otherwise). A writer is not thread-safe; give each thread or task its own.
public final class PDFDocumentWriter {
    private let typesetter: PangoTypesetter

    public init() throws(PDFRenderError) {
        typesetter = try PangoTypesetter()
    }

    /// Renders `document`. Same document ⇒ same bytes (the dates come from `document.info`).
    public func render(_ document: PDFDocument) throws(PDFRenderError) -> [UInt8] {
        let page = document.page
        let footer = try prepareFooter(document)
        var flow = Flow(page: page, bodyBottom: footer.top - 8, firstTop: document.firstPageFlowTop ?? page.topMargin)
        let prepared = try document.blocks.map { b throws(PDFRenderError) in try prepare(b, page: page) }
        for (i, block) in prepared.enumerated() {
            flow.place(block, next: i + 1 < prepared.count ? prepared[i + 1] : nil)
        }
        let boxes = try document.firstPageBoxes.map { b throws(PDFRenderError) in try prepareBox(b, page: page) }

        let canvas = try PDFCanvas(width: page.width, height: page.height, metadata: PDFMetadataValues(
            title: document.info.title, author: document.info.author, subject: document.info.subject,
            creator: document.info.creator, created: document.info.isoDate, modified: document.info.isoDate))
        let count = flow.pages.count
        for (index, items) in flow.pages.enumerated() {
            if index == 0 {
                for (layout, x, y) in boxes { canvas.draw(layout, lines: 0..<layout.lines.count, x: x, y: y) }
            }
            for item in items { item.draw(on: canvas) }
            if let mentions = footer.mentions {
                canvas.draw(mentions, lines: 0..<mentions.lines.count, x: page.leftMargin, y: footer.top, gray: 0.3)
            }
            if document.footer.pageNumbers,
               let number = typesetter.layout("Page \(index + 1) / \(count)", runs: [], family: page.family,
                                              size: document.footer.fontSize + 1, width: page.bodyWidth, alignment: .right) {
                canvas.draw(number, lines: 0..<number.lines.count, x: page.leftMargin, y: footer.pageNumberTop, gray: 0.3)
            }
            canvas.endPage()
        }
        return try canvas.finish()
    }

    // MARK: - Typesetting (pass 1)

    private struct PreparedFooter {
        var mentions: TextLayout?
        /// Top of the footer area: the flow stops above it.
        var top: Double
        var pageNumberTop: Double
    }

    private func prepareFooter(_ document: PDFDocument) throws(PDFRenderError) -> PreparedFooter {
        let page = document.page, footer = document.footer
        let bottom = page.height - page.bottomMargin
        var top = bottom
        var numberTop = bottom
        if footer.pageNumbers {
            let h = (footer.fontSize + 1) * 1.2
            numberTop = bottom - h
            top = numberTop - 2
        }
        var mentions: TextLayout?
        let text = footer.legalMentions.filter { !$0.isEmpty }.joined(separator: "\n")
        if !text.isEmpty {
            mentions = try layout(PDFText(text), family: page.family, size: footer.fontSize, width: page.bodyWidth, alignment: .center)
            top -= mentions?.height ?? 0
        }
        return PreparedFooter(mentions: mentions, top: top, pageNumberTop: numberTop)
    }

    private func layout(_ text: PDFText, family: PDFFontFamily, size: Double, width: Double,
                        alignment: PDFTextAlignment, singleLine: Bool = false) throws(PDFRenderError) -> TextLayout {
        let (plain, runs) = text.flattened()
        guard let l = typesetter.layout(plain, runs: runs, family: family, size: size, width: max(width, 1),
                                        alignment: alignment, singleLine: singleLine) else {
            throw .cairo("pango could not create a layout")
        }
        return l
    }

    private func prepareBox(_ box: PDFFixedBox, page: PDFPageSetup) throws(PDFRenderError) -> (TextLayout, Double, Double) {
        var joined: [PDFText.Span] = []
        for (i, line) in box.lines.enumerated() {
            if i > 0 { joined.append(.init("\n")) }
            joined += line.spans
        }
        let l = try layout(PDFText(spans: joined), family: box.family ?? page.family, size: box.fontSize,
                           width: box.width, alignment: box.alignment, singleLine: box.singleLines)
        if let maxHeight = box.maxHeight, l.height > maxHeight + 0.01 {
            throw .fixedBoxOverflow(firstLine: box.lines.first?.plain ?? "", height: l.height, maximum: maxHeight)
        }
        return (l, box.x, box.y)
    }

    private func prepare(_ block: PDFBlock, page: PDFPageSetup) throws(PDFRenderError) -> Prepared {
        switch block {
        case let .paragraph(p):
            let width = p.width ?? (page.bodyWidth - p.leftInset)
            let l = try layout(p.text, family: p.family ?? page.family, size: p.fontSize ?? page.bodyFontSize,
                               width: width, alignment: p.alignment)
            return .text(PreparedText(layout: l, x: page.leftMargin + p.leftInset, spaceAfter: p.spaceAfter,
                                      keepTogether: p.keepLinesTogether, keepWithNext: p.keepWithNext, gray: p.gray))
        case let .heading(text, level):
            let size = page.bodyFontSize + [4.0, 2, 0.5][min(max(level, 1), 3) - 1]
            let l = try layout(text.bolded, family: page.family, size: size, width: page.bodyWidth, alignment: .left)
            return .text(PreparedText(layout: l, x: page.leftMargin, spaceAfter: size * 0.5,
                                      keepTogether: true, keepWithNext: true, gray: 0))
        case let .spacing(points):
            return .spacing(points)
        case .rule:
            return .rule
        case .pageBreak:
            return .pageBreak
        case let .keepTogether(blocks):
            return .group(try blocks.map { b throws(PDFRenderError) in try prepare(b, page: page) })
        case let .table(table):
            return .table(try prepare(table, page: page))
        }
    }

    private func prepare(_ table: PDFTable, page: PDFPageSetup) throws(PDFRenderError) -> PreparedTable {
        let total = table.columns.reduce(0) { $0 + max($1.weight, 0) }
        var xs: [Double] = []
        var widths: [Double] = []
        var x = page.leftMargin
        for c in table.columns {
            let w = total > 0 ? page.bodyWidth * max(c.weight, 0) / total : 0
            xs.append(x); widths.append(w); x += w
        }
        func row(_ cells: [PDFText], bold: Bool) throws(PDFRenderError) -> PreparedRow {
            var laid: [(TextLayout, Double)] = []
            var height = 0.0
            for (i, column) in table.columns.enumerated() where i < cells.count && !cells[i].isEmpty {
                let text = bold ? cells[i].bolded : cells[i]
                let l = try layout(text, family: page.family, size: table.fontSize,
                                   width: widths[i] - 2 * table.cellPadding, alignment: column.alignment)
                laid.append((l, xs[i] + table.cellPadding))
                height = max(height, l.height)
            }
            if height == 0 { height = table.fontSize * 1.17 }
            return PreparedRow(cells: laid, height: height + 2 * table.cellPadding, padding: table.cellPadding)
        }
        let header = try row(table.columns.map { PDFText($0.header) }, bold: true)
        var rows: [PreparedRow] = []
        rows.reserveCapacity(table.rows.count)
        for r in table.rows { rows.append(try row(r, bold: false)) }
        var totals: [PreparedRow] = []
        for r in table.totalRows { totals.append(try row(r, bold: true)) }
        return PreparedTable(left: page.leftMargin, width: page.bodyWidth, header: header, rows: rows, totals: totals,
                             shadeHeader: table.shadeHeader)
    }
}

// MARK: - Prepared blocks and page placement

private struct PreparedText {
    var layout: TextLayout
    var x: Double
    var spaceAfter: Double
    var keepTogether: Bool
    var keepWithNext: Bool
    var gray: Double
}

private struct PreparedRow {
    var cells: [(TextLayout, Double)]
    var height: Double
    var padding: Double
}

private struct PreparedTable {
    var left: Double
    var width: Double
    var header: PreparedRow
    var rows: [PreparedRow]
    var totals: [PreparedRow]
    var shadeHeader: Bool
    var totalsHeight: Double { totals.reduce(0) { $0 + $1.height } }
}

private indirect enum Prepared {
    case text(PreparedText)
    case spacing(Double)
    case rule
    case pageBreak
    case group([Prepared])
    case table(PreparedTable)

    /// Height the block needs in one piece.
    var height: Double {
        switch self {
        case let .text(t): return t.layout.height + t.spaceAfter
        case let .spacing(s): return s
        case .rule: return 6
        case .pageBreak: return 0
        case let .group(items): return items.reduce(0) { $0 + $1.height }
        case let .table(t): return t.header.height + t.rows.reduce(0) { $0 + $1.height } + t.totalsHeight + 8
        }
    }

    /// The least that must follow a keep-with-next block on its page: two lines of a
    /// paragraph, the header and first row of a table, a whole group.
    var leadHeight: Double {
        switch self {
        case let .text(t):
            if t.keepTogether { return t.layout.height }
            return t.layout.height(of: 0..<min(2, t.layout.lines.count))
        case let .table(t): return t.header.height + (t.rows.first?.height ?? 0)
        case .spacing, .rule, .pageBreak: return 0
        case .group: return height
        }
    }
}

/// Something drawn at a place on a page.
private enum PlacedItem {
    case text(TextLayout, lines: Range<Int>, x: Double, y: Double, gray: Double)
    case line(x0: Double, y0: Double, x1: Double, y1: Double, width: Double, gray: Double)
    case fill(x: Double, y: Double, width: Double, height: Double, gray: Double)

    func draw(on canvas: PDFCanvas) {
        switch self {
        case let .text(layout, lines, x, y, gray): canvas.draw(layout, lines: lines, x: x, y: y, gray: gray)
        case let .line(x0, y0, x1, y1, width, gray): canvas.line(from: (x0, y0), to: (x1, y1), width: width, gray: gray)
        case let .fill(x, y, width, height, gray): canvas.fill(x: x, y: y, width: width, height: height, gray: gray)
        }
    }
}

/// Places prepared blocks top to bottom, opening pages as needed.
private struct Flow {
    let page: PDFPageSetup
    let bodyBottom: Double
    var pages: [[PlacedItem]] = [[]]
    var y: Double
    /// Nothing placed yet on this page: breaking here would leave an empty page.
    var atTop = true

    init(page: PDFPageSetup, bodyBottom: Double, firstTop: Double) {
        self.page = page; self.bodyBottom = bodyBottom; self.y = firstTop
    }

    var room: Double { bodyBottom - y }

    mutating func newPage() {
        pages.append([])
        y = page.topMargin
        atTop = true
    }

    mutating func add(_ item: PlacedItem) {
        pages[pages.count - 1].append(item)
        atTop = false
    }

    mutating func place(_ block: Prepared, next: Prepared?) {
        switch block {
        case .pageBreak:
            if !atTop { newPage() }
        case let .spacing(s):
            if !atTop { y = min(y + s, bodyBottom) }
        case .rule:
            if room < 6 { newPage() }
            add(.line(x0: page.leftMargin, y0: y + 3, x1: page.width - page.rightMargin, y1: y + 3, width: 0.5, gray: 0.4))
            y += 6
        case let .group(items):
            if block.height > room && !atTop && block.height <= bodyBottom - page.topMargin { newPage() }
            for (i, item) in items.enumerated() { place(item, next: i + 1 < items.count ? items[i + 1] : next) }
        case let .text(t):
            placeText(t, next: next)
        case let .table(t):
            placeTable(t)
        }
    }

    private mutating func placeText(_ t: PreparedText, next: Prepared?) {
        let lines = t.layout.lines
        guard !lines.isEmpty else { y += t.spaceAfter; return }
        let whole = t.layout.height
        let needed = whole + (t.keepWithNext ? (next?.leadHeight ?? 0) : 0)
        let fullPage = bodyBottom - page.topMargin
        if (t.keepTogether || t.keepWithNext), needed > room, !atTop, needed <= fullPage { newPage() }
        var start = 0
        while start < lines.count {
            // How many of the remaining lines fit in the room left on this page.
            var count = 0
            while start + count < lines.count, t.layout.height(of: start..<(start + count + 1)) <= room + 0.01 { count += 1 }
            let remaining = lines.count - start
            if count < remaining && !atTop {
                // No orphan (a lone first line at the foot of a page) and no widow (a lone
                // last line at the head of the next one).
                if count >= 2 && remaining - count == 1 { count -= 1 }
                if count == 1 && remaining > 1 { count = 0 }
            }
            if count == 0 {
                if atTop { count = 1 } else { newPage(); continue }
            }
            add(.text(t.layout, lines: start..<(start + count), x: t.x, y: y, gray: t.gray))
            y += t.layout.height(of: start..<(start + count))
            start += count
            if start < lines.count { newPage() }
        }
        y += t.spaceAfter
    }

    private mutating func placeHeader(_ t: PreparedTable) {
        if t.shadeHeader { add(.fill(x: t.left, y: y, width: t.width, height: t.header.height, gray: 0.9)) }
        placeRow(t.header, t)
        add(.line(x0: t.left, y0: y, x1: t.left + t.width, y1: y, width: 0.6, gray: 0.2))
    }

    private mutating func placeRow(_ row: PreparedRow, _ t: PreparedTable) {
        for (layout, x) in row.cells {
            add(.text(layout, lines: 0..<layout.lines.count, x: x, y: y + row.padding, gray: 0))
        }
        y += row.height
    }

    private mutating func placeTable(_ t: PreparedTable) {
        let first = t.rows.first?.height ?? 0
        let lead = t.header.height + first + (t.rows.count <= 1 ? t.totalsHeight : 0)
        if lead > room && !atTop { newPage() }
        add(.line(x0: t.left, y0: y, x1: t.left + t.width, y1: y, width: 0.6, gray: 0.2))
        placeHeader(t)
        for (i, row) in t.rows.enumerated() {
            // The last body row stays with the totals so a total never opens a page alone.
            let needed = row.height + (i == t.rows.count - 1 ? t.totalsHeight : 0)
            if needed > room {
                newPage()
                add(.line(x0: t.left, y0: y, x1: t.left + t.width, y1: y, width: 0.6, gray: 0.2))
                placeHeader(t)
            }
            placeRow(row, t)
            add(.line(x0: t.left, y0: y, x1: t.left + t.width, y1: y, width: 0.3, gray: 0.7))
        }
        if !t.totals.isEmpty {
            if t.totalsHeight > room { newPage() }
            add(.line(x0: t.left, y0: y, x1: t.left + t.width, y1: y, width: 0.8, gray: 0))
            for row in t.totals { placeRow(row, t) }
        }
        y += 8
    }
}
