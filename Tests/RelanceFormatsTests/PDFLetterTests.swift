import Foundation
import RelanceCore
import RelanceFormats
import Testing

@Suite("PDF letters")
struct PDFLetterTests {
    typealias L = SampleLetters
    static let nnbsp = "\u{202F}", nbsp = "\u{00A0}"

    /// Table cells of a `pdftotext -layout` line: columns are separated by two spaces or more.
    static func cells(_ line: String) -> [String] {
        line.replacingOccurrences(of: " {2,}", with: "\t", options: .regularExpression)
            .split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/qpdf"), "qpdf absent (make deps): skipped"))
    func pdfHoldsNarrowAndNoBreakSpaces() throws {
        // The text layer maps glyphs back to U+202F and U+00A0 (ToUnicode CMaps), so copy-paste and
        // search in a PDF reader give "1 234,56 €" with the French spaces, not ASCII ones.
        let pdf = try PDFDocumentWriter().render(L.letter(invoices: 2))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relance-qpdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(pdf).write(to: dir.appendingPathComponent("in.pdf"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/qpdf")
        p.arguments = ["--qdf", "--object-streams=disable", dir.appendingPathComponent("in.pdf").path, dir.appendingPathComponent("out.pdf").path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let expanded = String(decoding: try Data(contentsOf: dir.appendingPathComponent("out.pdf")), as: UTF8.self)
        #expect(expanded.contains("<202f>"))
        #expect(expanded.contains("<00a0>"))
        #expect(expanded.contains("/FontName /") && expanded.contains("+DejaVuSans"), "DejaVu Sans embedded as a subset")
    }

    @Test(.enabled(if: PopplerTools.available, PopplerTools.skipMessage))
    func oneTenRowLetterRoundTripsThroughPdftotext() throws {
        let pdf = try PDFDocumentWriter().render(L.letter(invoices: 10))
        let info = try PopplerTools.info(pdf)
        #expect(info["Pages"] == "1")
        #expect(info["Page size"]?.hasPrefix("595.28 x 841.89 pts") == true)
        #expect(info["Title"] == "Mise en demeure de payer – factures impayées")
        #expect(info["Author"] == "Ateliers Rhône-Saône SAS")
        #expect(info["Creator"] == "Relance")
        #expect(info["CreationDate"]?.contains("Nov 20 00:00:00 2026") == true)
        #expect(info["ModDate"]?.contains("Nov 20 00:00:00 2026") == true)

        let text = try PopplerTools.text(pdf)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // Recipient lines come out exactly, `&` and `<` included, accents intact.
        for line in L.recipient { #expect(text.contains(line), "missing address line \(line)") }
        #expect(text.contains("Lyon, le 20 novembre 2026"))
        #expect(lines.contains("Lettre recommandée avec accusé de réception"))
        #expect(lines.contains("Objet : Mise en demeure de payer – factures impayées"))
        #expect(text.contains("SIREN 552 100 554"))
        #expect(text.contains("TVA FR12 552100554"))
        #expect(lines.contains("Page 1 / 1"))
        #expect(text.contains("RCS Lyon 552 100 554"))
        // Each invoice row: number, dates, days late, amount and open amount. pdftotext turns the
        // U+202F group separator and the U+00A0 before "€" into plain spaces (poppler treats every
        // Unicode space as a word break); `pdfHoldsNarrowAndNoBreakSpaces` checks the PDF itself.
        for i in 0..<10 {
            let number = "FA-2026-\(1000 + i)"
            let row = try #require(lines.first { $0.hasPrefix(number) }, "row \(number) missing")
            let issued = L.day("2026-06-01").adding(days: 3 * i)
            let amount = "1 \(234 + 10 * i),56 €"
            let open = i == 0 ? "1 000,00 €" : amount
            #expect(Self.cells(row) == [number, issued.frenchDescription, issued.adding(days: 30).frenchDescription,
                                        "\(142 - 3 * i) j", amount, open], "row \(row)")
        }
        // 10 × 1 234,56 + 450,00 − 234,56 = 12 561,04.
        let total = try #require(lines.first { $0.hasPrefix("Total dû") })
        #expect(Self.cells(total) == ["Total dû", "12 561,04 €"])
        let header = try #require(lines.first { $0.hasPrefix("Facture") })
        #expect(Self.cells(header) == ["Facture", "Date", "Échéance", "Retard", "Montant TTC", "Reste dû"])
        // Justified text: same words in the same order (extra spaces come from justification).
        let squeezed = PopplerTools.squeezed(text)
        #expect(squeezed.contains("Sauf erreur ou omission de notre part, les factures ci-dessous restent impayées à ce jour malgré nos précédentes relances."))
        #expect(squeezed.contains("une indemnité forfaitaire de 40 € par facture sont dues de plein droit."))
        #expect(squeezed.contains("Claire Martin Responsable du recouvrement"))
        #expect(!text.contains("-\n"), "no hyphen inserted at a line break")
    }

    @Test(.enabled(if: PopplerTools.available, PopplerTools.skipMessage))
    func recipientAddressLandsInsideTheEnvelopeWindow() throws {
        let letter = L.letter()
        let pdf = try PDFDocumentWriter().render(letter)
        let words = try PopplerTools.words(pdf, page: 1)
        let mm = PDFPageSetup.mm
        let w = letter.window
        let (left, top, right, bottom) = (mm(w.left), mm(w.top), mm(w.left + w.width), mm(w.top + w.height))
        func inside(_ word: PopplerTools.Word) -> Bool {
            word.xMin >= left && word.xMax <= right && word.yMin >= top && word.yMax <= bottom
        }
        let inWindow = words.filter(inside)
        // Every word of the address, and nothing else, is in the window.
        let expected = L.recipient.flatMap { $0.split(separator: " ").map(String.init) }
        #expect(inWindow.map(\.text) == expected)
        #expect(words.contains { $0.text == "Ateliers" && !inside($0) }, "sender block must stay outside the window")

        // Cropping the page to the window (pdftotext -x -y -W -H at 72 dpi) gives the address.
        let cropped = try PopplerTools.run(PopplerTools.pdftotext, [
            "-layout", "-enc", "UTF-8", "-r", "72", "-x", String(Int(left)), "-y", String(Int(top)),
            "-W", String(Int(right - left)), "-H", String(Int(bottom - top)), "PDF", "-"], on: pdf)
        // (pdftotext ends each page with a form feed.)
        let croppedLines = cropped.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0 != "\u{0C}" }
        #expect(croppedLines == L.recipient)
    }

    @Test(.enabled(if: PopplerTools.available, PopplerTools.skipMessage))
    func sixLineAddressWithAnOverlongLineStaysInTheWindow() throws {
        var letter = L.letter(invoices: 1)
        letter.recipient = ["Compagnie Générale des Établissements Industriels du Sud-Est Réunis SA",
                            "À l'attention de M. le Directeur financier", "Bâtiment B", "12 avenue Jean Jaurès",
                            "69007 Lyon", "FRANCE"]
        let pdf = try PDFDocumentWriter().render(letter)
        let mm = PDFPageSetup.mm
        let w = letter.window
        let words = try PopplerTools.words(pdf, page: 1).filter { $0.yMin >= mm(w.top) && $0.yMax <= mm(w.top + w.height) }
        #expect(!words.isEmpty)
        for word in words {
            #expect(word.xMin >= mm(w.left) && word.xMax <= mm(w.left + w.width), "\(word.text) sticks out of the window")
        }
        // The overlong first line is cut with "…" on the page instead of wrapping onto a seventh
        // line: six baselines. cairo maps the ellipsis glyph to the text it replaces, so the
        // extracted text is still the whole address.
        #expect(Set(words.map { Int($0.yMax.rounded()) }).count == 6)
        #expect(words.map(\.text).joined(separator: " ") == letter.recipient.joined(separator: " "))
    }

    @Test(.enabled(if: PopplerTools.available, PopplerTools.skipMessage))
    func longTableBreaksAndRepeatsItsHeader() throws {
        let pdf = try PDFDocumentWriter().render(L.letter(invoices: 70))
        let pages = try #require(Int(PopplerTools.info(pdf)["Pages"] ?? ""))
        #expect(pages >= 2)
        var seen: [String] = []
        for page in 1...pages {
            let text = try PopplerTools.text(pdf, first: page, last: page)
            let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(lines.contains("Page \(page) / \(pages)"))
            #expect(lines.contains { $0.hasPrefix("RCS") || $0.contains("RCS Lyon") })
            let rows = lines.filter { $0.hasPrefix("FA-2026-") }
            if !rows.isEmpty {
                #expect(lines.contains { Self.cells($0) == ["Facture", "Date", "Échéance", "Retard", "Montant TTC", "Reste dû"] },
                        "page \(page) lacks the header")
            }
            seen += rows.map { String($0.split(separator: " ")[0]) }
        }
        // Every row once, in order, none split or lost at the break.
        #expect(seen == (0..<70).map { "FA-2026-\(1000 + $0)" })
        let last = try PopplerTools.text(pdf, first: pages, last: pages)
        #expect(last.contains("Total dû"))
        #expect(last.contains("Claire Martin"))
    }

    @Test(.enabled(if: PopplerTools.available, PopplerTools.skipMessage))
    func englishLetterHasEnglishFixedWording() throws {
        var letter = L.letter(invoices: 2)
        letter.language = .english
        let text = try PopplerTools.text(try PDFDocumentWriter().render(letter))
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(text.contains("Lyon, 20 November 2026"))
        #expect(lines.contains("Registered letter with acknowledgement of receipt"))
        #expect(lines.contains { $0.hasPrefix("Subject: ") })
        #expect(text.contains("VAT FR12 552100554"))
        let header = try #require(lines.first { $0.hasPrefix("Invoice") })
        #expect(Self.cells(header) == ["Invoice", "Date", "Due date", "Overdue", "Amount", "Open"])
        let row = try #require(lines.first { $0.hasPrefix("FA-2026-1001") })
        #expect(Self.cells(row) == ["FA-2026-1001", "2026-06-04", "2026-07-04", "139 d", "EUR 1244.56", "EUR 1244.56"])
        let total = try #require(lines.first { $0.hasPrefix("Total due") })
        #expect(Self.cells(total) == ["Total due", "EUR 2244.56"])
        #expect(!text.contains("Échéance") && !text.contains("Total dû") && !text.contains("Objet"))
    }

    @Test func renderingIsDeterministic() throws {
        let a = try PDFDocumentWriter().render(L.letter(invoices: 12))
        let writer = try PDFDocumentWriter()
        let b = try writer.render(L.letter(invoices: 12))
        _ = try writer.render(L.letter(invoices: 3))
        let c = try writer.render(L.letter(invoices: 12))
        #expect(a.count > 1000)
        #expect(a == b)
        #expect(a == c, "a writer reused between documents gives the same bytes")
        #expect(Array(a.prefix(5)) == Array("%PDF-".utf8))
        // The metadata date comes from the letter, so another date changes the bytes.
        let other = try writer.render(L.letter(invoices: 12, date: "2026-11-21"))
        #expect(other != a)
    }

    @Test(.enabled(if: PopplerTools.available, PopplerTools.skipMessage))
    func markupLookalikesAreShownLiterally() throws {
        var letter = L.letter(invoices: 1, registered: false)
        letter.recipient = ["<b>Ets Martin</b> & Cie", "1 place Bellecour", "69002 Lyon"]
        letter.paragraphs = ["Référence &amp; <i>non</i> interprétée : " + .bold("A<B & C>D")]
        let pdf = try PDFDocumentWriter().render(letter)
        let text = try PopplerTools.text(pdf)
        #expect(text.contains("<b>Ets Martin</b> & Cie"))
        #expect(PopplerTools.squeezed(text).contains("Référence &amp; <i>non</i> interprétée : A<B & C>D"))
        #expect(!text.contains("Lettre recommandée"), "no registered-mail mention when not asked")
    }

    @Test(.enabled(if: PopplerTools.available, PopplerTools.skipMessage))
    func controlCharactersFromDataBecomeSpaces() throws {
        var letter = L.letter(invoices: 1, registered: false)
        letter.paragraphs = ["Avant\u{0}après\u{7}fin\r."]
        let text = try PopplerTools.text(try PDFDocumentWriter().render(letter))
        #expect(PopplerTools.squeezed(text).contains("Avant après fin ."))
    }

    @Test func lineFeedsInsideAddressFieldsCountAsLines() {
        var letter = L.letter()
        letter.recipient = ["Société X", "Bât. A\nEscalier 2\nÉtage 3", "1 rue Y", "75001 Paris\nFrance"]
        #expect(throws: PDFRenderError.addressDoesNotFit(lines: 7, maximum: 6)) {
            _ = try PDFDocumentWriter().render(letter)
        }
    }

    @Test func addressWithMoreThanSixLinesIsRefused() {
        var letter = L.letter()
        letter.recipient = ["A", "B", "C", "D", "E", "F", "G"]
        #expect(throws: PDFRenderError.addressDoesNotFit(lines: 7, maximum: 6)) {
            _ = try PDFDocumentWriter().render(letter)
        }
    }

    @Test func totalsArePerCurrency() throws {
        var letter = L.letter(invoices: 2)
        let usd = try #require(Currency("USD"))
        letter.invoices.append(.init(number: "US-1", issued: L.day("2026-09-01"), due: L.day("2026-10-01"),
                                     amount: Money(minor: 5_000, currency: usd), open: Money(minor: 4_000, currency: usd)))
        #expect(try letter.totalsDue() == [Money(minor: 100_000 + 124_456, currency: .eur), Money(minor: 4_000, currency: usd)])
        let table = try letter.invoiceTable()
        #expect(table.totalRows.map { $0[5].plain } == ["2\(Self.nnbsp)244,56\(Self.nbsp)€", "40,00\(Self.nbsp)USD"])
        #expect(table.rows[2][3].plain == "50\u{00A0}j", "days late from the due date to the letter's date")
    }

    @Test func overflowingTotalIsAnError() {
        var letter = L.letter(invoices: 0)
        let big = Money(minor: .max - 1, currency: .eur)
        letter.invoices = [.init(number: "X1", issued: L.day("2026-01-01"), due: L.day("2026-02-01"), amount: big, open: big),
                           .init(number: "X2", issued: L.day("2026-01-01"), due: L.day("2026-02-01"), amount: big, open: big)]
        #expect(throws: PDFRenderError.self) { _ = try letter.totalsDue() }
    }
}
