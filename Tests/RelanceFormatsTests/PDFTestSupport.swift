import Foundation
import RelanceCore
import RelanceFormats
import Testing

/// poppler-utils (`pdftotext`, `pdfinfo`) run through `Process`: the PDFs are checked by what
/// a PDF reader extracts from them, not by their bytes.
enum PopplerTools {
    static let pdftotext = "/usr/bin/pdftotext"
    static let pdfinfo = "/usr/bin/pdfinfo"

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: pdftotext) && FileManager.default.isExecutableFile(atPath: pdfinfo)
    }

    static let skipMessage: Comment = "poppler-utils (pdftotext, pdfinfo) absent: install with `make deps`; PDF text checks skipped"

    /// Runs `tool` with `arguments` on `pdf` written to a temporary file (its path replaces
    /// `"PDF"` in the arguments) and returns standard output as UTF-8.
    static func run(_ tool: String, _ arguments: [String], on pdf: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relance-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("doc.pdf")
        try Data(pdf).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments.map { $0 == "PDF" ? file.path : $0 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments) failed")
        return String(decoding: data, as: UTF8.self)
    }

    /// `pdftotext -layout` of pages `first...last` (all when nil).
    static func text(_ pdf: [UInt8], first: Int? = nil, last: Int? = nil) throws -> String {
        var args = ["-layout", "-enc", "UTF-8"]
        if let first { args += ["-f", String(first)] }
        if let last { args += ["-l", String(last)] }
        return try run(pdftotext, args + ["PDF", "-"], on: pdf)
    }

    /// `pdfinfo` fields, keyed by name.
    static func info(_ pdf: [UInt8]) throws -> [String: String] {
        var fields: [String: String] = [:]
        for line in try run(pdfinfo, ["PDF"], on: pdf).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    /// A word and its box in points from the page's top-left, from `pdftotext -bbox`.
    struct Word {
        var text: String
        var xMin, yMin, xMax, yMax: Double
    }

    /// Words of page `page` with their boxes.
    static func words(_ pdf: [UInt8], page: Int) throws -> [Word] {
        let html = try run(pdftotext, ["-bbox", "-enc", "UTF-8", "-f", String(page), "-l", String(page), "PDF", "-"], on: pdf)
        var words: [Word] = []
        let pattern = try NSRegularExpression(
            pattern: #"<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>"#)
        let ns = html as NSString
        for m in pattern.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            func d(_ i: Int) -> Double { Double(ns.substring(with: m.range(at: i))) ?? -1 }
            let raw = ns.substring(with: m.range(at: 5))
            let text = raw.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
            words.append(Word(text: text, xMin: d(1), yMin: d(2), xMax: d(3), yMax: d(4)))
        }
        return words
    }

    /// Collapses runs of blanks (justified lines are spread with extra spaces by `-layout`).
    static func squeezed(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }
}

/// Sample letters shared by the PDF tests.
enum SampleLetters {
    static let eur = Currency.eur
    static func day(_ s: String) -> Day { Day.parse(s)! }
    static func money(_ minor: Int64) -> Money { Money(minor: minor, currency: .eur) }

    static let sender = LetterLayout.Sender(
        name: "Ateliers Rhône-Saône SAS",
        addressLines: ["12 quai Saint-Antoine", "69002 Lyon"],
        siren: "552 100 554", vatNumber: "FR12 552100554", phone: "04 72 00 00 00", email: "compta@ateliers-rs.fr",
        legalMentions: ["SAS au capital de 50 000 € – RCS Lyon 552 100 554 – 12 quai Saint-Antoine, 69002 Lyon",
                        "TVA FR12 552100554 – IBAN FR76 3000 4000 0500 0012 3456 789"])

    static let recipient = ["Dupont & Fils <SARL>", "Service comptabilité – Mme Éloïse Hénaut",
                            "3 rue de l'Église", "38000 Grenoble"]

    static func invoices(_ count: Int) -> [LetterLayout.InvoiceLine] {
        (0..<count).map { i in
            let issued = day("2026-06-01").adding(days: 3 * i)
            return LetterLayout.InvoiceLine(number: "FA-2026-\(String(1000 + i))", issued: issued, due: issued.adding(days: 30),
                                            amount: money(123_456 + Int64(i) * 1_000), open: money(123_456 + Int64(i) * 1_000 - (i == 0 ? 23_456 : 0)))
        }
    }

    static func letter(invoices count: Int = 10, registered: Bool = true, date: String = "2026-11-20") -> LetterLayout {
        LetterLayout(
            sender: sender, recipient: recipient, place: "Lyon", date: day(date),
            subject: "Mise en demeure de payer – factures impayées",
            references: ["Réf. client : C-0042"], registeredMail: registered,
            paragraphs: [
                "Sauf erreur ou omission de notre part, les factures ci-dessous restent impayées à ce jour malgré nos précédentes relances. Nous vous mettons en demeure de régler la somme indiquée dans un délai de huit jours à compter de la réception de la présente.",
                "Conformément à l'article L441-10 du Code de commerce, des pénalités de retard et une " + .bold("indemnité forfaitaire de 40 €") + " par facture sont dues de plein droit.",
            ],
            invoices: invoices(count),
            afterTable: ["À défaut de paiement dans ce délai, nous saisirons la juridiction compétente sans autre avis."],
            closing: "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
            signature: .init(name: "Claire Martin", title: "Responsable du recouvrement"))
    }
}
