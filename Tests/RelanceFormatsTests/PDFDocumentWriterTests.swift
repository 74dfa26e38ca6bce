import Foundation
import RelanceCore
import RelanceFormats
import Testing

@Suite("PDF document writer")
struct PDFDocumentWriterTests {
    static let info = PDFDocumentInfo(title: "Relevé de compte – Dupont & Fils", author: "Ateliers Rhône-Saône SAS",
                                      date: Day.parse("2026-11-20")!)

    /// A customer statement ("relevé de compte") as the lower-level API builds it.
    static func statement(paragraphs: Int) -> PDFDocument {
        let table = PDFTable(columns: [.init("Pièce", weight: 2), .init("Date"), .amount("Débit"), .amount("Crédit")],
                             rows: [["FA-1", "01/10/2026", "1\u{202F}200,00\u{00A0}€", ""],
                                    ["RG-1", "15/10/2026", "", "200,00\u{00A0}€"]],
                             totalRows: [["Solde", "", "1\u{202F}000,00\u{00A0}€", ""]])
        var blocks: [PDFBlock] = [.heading("Relevé de compte au 20 novembre 2026", level: 1), .table(table), .rule]
        for i in 0..<paragraphs {
            blocks.append(.text("Paragraphe \(i + 1). Le présent relevé récapitule les pièces comptables enregistrées à votre compte client, factures, avoirs et règlements, à la date indiquée ci-dessus."))
        }
        blocks.append(.pageBreak)
        blocks.append(.heading("Annexe", level: 2))
        blocks.append(.paragraph(PDFParagraph("Texte centré", alignment: .center)))
        blocks.append(.paragraph(PDFParagraph("Texte à droite", alignment: .right)))
        return PDFDocument(info: info, footer: PDFFooter(legalMentions: ["SAS au capital de 50 000 € – RCS Lyon 552 100 554"]),
                           blocks: blocks)
    }

    @Test(.enabled(if: PopplerTools.available, PopplerTools.skipMessage))
    func statementFlowsAcrossPages() throws {
        let pdf = try PDFDocumentWriter().render(Self.statement(paragraphs: 40))
        let pages = try #require(Int(PopplerTools.info(pdf)["Pages"] ?? ""))
        // 40 paragraphs of three lines do not fit on one page; the page break adds the annex page.
        #expect(pages >= 3)
        let all = try PopplerTools.text(pdf)
        let squeezed = PopplerTools.squeezed(all)
        for i in 1...40 { #expect(squeezed.contains("Paragraphe \(i). Le présent relevé"), "paragraph \(i)") }
        // pdftotext gives U+202F and U+00A0 back as plain spaces.
        #expect(squeezed.contains("Solde 1 000,00 €"))
        let last = try PopplerTools.text(pdf, first: pages, last: pages)
        let lastLines = last.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lastLines.first == "Annexe", "the page break starts the annex at the top of a page")
        #expect(lastLines.contains("Texte centré") && lastLines.contains("Texte à droite"))
        #expect(lastLines.contains("Page \(pages) / \(pages)"))
        // Centred and right-aligned text sit where asked: compare their left edges.
        let words = try PopplerTools.words(pdf, page: pages)
        let centred = try #require(words.first { $0.text == "centré" })
        let right = try #require(words.first { $0.text == "droite" })
        let page = PDFPageSetup()
        #expect(abs((centred.xMin + centred.xMax) / 2 - page.width / 2) < 40)
        #expect(abs(right.xMax - (page.width - page.rightMargin)) < 2)
    }

    @Test(.enabled(if: PopplerTools.available, PopplerTools.skipMessage))
    func keepTogetherMovesAWholeGroup() throws {
        // Fill the first page nearly to the bottom, then a group that cannot fit in what is left.
        var blocks: [PDFBlock] = (0..<20).map { i in
            .text("Ligne de remplissage \(i) pour occuper la page jusqu'en bas, avec assez de mots pour faire deux lignes de texte justifié dans la largeur du corps.")
        }
        blocks.append(.keepTogether([.text("Début du groupe indivisible."), .spacing(200), .text("Fin du groupe indivisible.")]))
        let pdf = try PDFDocumentWriter().render(PDFDocument(info: Self.info, blocks: blocks))
        let first = PopplerTools.squeezed(try PopplerTools.text(pdf, first: 1, last: 1))
        let second = PopplerTools.squeezed(try PopplerTools.text(pdf, first: 2, last: 2))
        #expect(first.contains("Ligne de remplissage 19"))
        #expect(!first.contains("Début du groupe"))
        #expect(second.contains("Début du groupe indivisible.") && second.contains("Fin du groupe indivisible."))
    }

    @Test("a paragraph split across pages leaves at least two lines on each",
          .enabled(if: PopplerTools.available, PopplerTools.skipMessage), arguments: 17...25)
    func noWidowsNorOrphans(fillers: Int) throws {
        var blocks: [PDFBlock] = (0..<fillers).map { _ in
            .text("Paragraphe de remplissage qui occupe deux lignes du corps de page afin de pousser le paragraphe suivant vers le bas de la page.")
        }
        // Words w000, w001, … identify the lines of the paragraph under test.
        blocks.append(.text(PDFText((0..<60).map { "w" + String(1000 + $0).dropFirst() }.joined(separator: " "))))
        let pdf = try PDFDocumentWriter().render(PDFDocument(info: Self.info, blocks: blocks))
        let pages = try #require(Int(PopplerTools.info(pdf)["Pages"] ?? ""))
        var total = 0
        for page in 1...pages {
            let lines = Set(try PopplerTools.words(pdf, page: page).filter { $0.text.hasPrefix("w0") }.map { Int($0.yMax.rounded()) })
            #expect(lines.count != 1, "page \(page) holds a single line of the paragraph")
            total += try PopplerTools.words(pdf, page: page).filter { $0.text.hasPrefix("w0") }.count
        }
        #expect(total == 60)
    }

    @Test func fixedBoxThatOverflowsIsAnError() {
        let box = PDFFixedBox(lines: ["un", "deux", "trois"], x: 50, y: 50, width: 100, maxHeight: 20)
        #expect(throws: PDFRenderError.self) {
            _ = try PDFDocumentWriter().render(PDFDocument(info: Self.info, firstPageBoxes: [box], blocks: []))
        }
    }

    @Test(.enabled(if: PopplerTools.available, PopplerTools.skipMessage))
    func emptyDocumentIsOnePage() throws {
        let pdf = try PDFDocumentWriter().render(PDFDocument(info: Self.info, blocks: []))
        #expect(try PopplerTools.info(pdf)["Pages"] == "1")
        #expect(try PopplerTools.text(pdf).contains("Page 1 / 1"))
    }

    /// Speed measurement, not a test of speed: runs only with RELANCE_PDF_BENCH=<letters>
    /// and prints the per-letter time; it asserts only that every letter rendered.
    /// RELANCE_PDF_SAMPLE_OUT=<folder> also writes sample letters there to look at.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["RELANCE_PDF_BENCH"] != nil, "set RELANCE_PDF_BENCH=<count> to measure"))
    func measureLetterRendering() throws {
        let count = Int(ProcessInfo.processInfo.environment["RELANCE_PDF_BENCH"] ?? "") ?? 200
        let writer = try PDFDocumentWriter()
        let letter = SampleLetters.letter(invoices: 10)
        let sample = try writer.render(letter)
        if let out = ProcessInfo.processInfo.environment["RELANCE_PDF_SAMPLE_OUT"] {
            // For a look at the letter: the 10-row sample, and a 70-row one that breaks onto page 2.
            try Data(sample).write(to: URL(fileURLWithPath: out + "/letter-10.pdf"))
            try Data(writer.render(SampleLetters.letter(invoices: 70))).write(to: URL(fileURLWithPath: out + "/letter-70.pdf"))
        }
        let clock = ContinuousClock()
        var bytes = 0
        let elapsed = try clock.measure {
            for _ in 0..<count { bytes += try writer.render(letter).count }
        }
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        print("PDF bench: \(count) one-page letters with 10 rows in \(ms) ms, \(ms / Double(count)) ms per letter, \(bytes / count) bytes each")
        #expect(bytes > count * 1000)
    }
}
