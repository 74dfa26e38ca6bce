import Foundation
import RelanceCore
import Testing
@testable import RelanceFormats

/// What `Validators/xlsx_validate.py` prints: the workbook as openpyxl reads it.
struct ParsedXLSX: Decodable {
    struct Cell: Decodable {
        var value: JSONValue
        var type: String
        var format: String
        var bold: Bool
    }
    struct Sheet: Decodable {
        var name: String
        var freeze_panes: String?
        var auto_filter: String?
        var widths: [String: Double]
        var rows: [[Cell]]
    }
    var sheets: [Sheet]
    var zip_dates: [String]
    var title: String?
    var creator: String?
    var created: String?
}

/// A JSON scalar as openpyxl gives it: text, number or nothing.
enum JSONValue: Decodable, Equatable {
    case string(String)
    case number(Double)
    case null

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let n = try? container.decode(Double.self) { self = .number(n) }
        else { self = .string(try container.decode(String.self)) }
    }
}

enum XLSXSamples {
    static let asOf = Day(year: 2026, month: 11, day: 20)!

    static func workbook() -> XLSXWorkbook {
        var book = XLSXWorkbook(properties: .init(title: "Balance âgée", author: "Relance", company: "Exemple SAS", created: asOf))
        var invoices = XLSXSheet(name: "Factures échues", columns: [
            XLSXColumn("Client", width: 32), XLSXColumn("Facture", width: 14), XLSXColumn("Échéance", width: 12),
            XLSXColumn("Jours de retard"), XLSXColumn("Montant dû", width: 16), XLSXColumn("Devise", width: 8),
        ])
        invoices.append([.text("Société Générale d’Équipement"), .text("F-2026-001"), .date(Day(year: 2026, month: 10, day: 15)!),
                         .integer(36), .amount(Money(minor: 123_456, currency: .eur)), .text("EUR")])
        invoices.append([.text("=HYPERLINK(\"http://evil.example\",\"clic\")"), .text("+33 6 12 34 56 78"), .date(Day(year: 2024, month: 2, day: 29)!),
                         .integer(-3), .amount(Money(minor: -5, currency: .eur)), .text("EUR")])
        invoices.append([.text("@SUM(A1:A2)"), .text("-1"), .date(Day(year: 1900, month: 3, day: 1)!),
                         .integer(0), .amount(Money(minor: 1_999_999_999_99, currency: .eur)), .text("EUR")])
        invoices.append([.text("\tTabbed"), .text("F-JPY"), .empty, .integer(9_007_199_254_740_992),
                         .amount(Money(minor: 150_000, currency: Currency("JPY")!)), .text("JPY")])
        invoices.append([.text("Koweït"), .text("F-KWD"), .empty, .empty,
                         .amount(Money(minor: 1_234_567, currency: Currency("KWD")!)), .text("KWD")])
        book.add(invoices)
        var summary = XLSXSheet(name: "Synthèse", columns: [XLSXColumn("Indicateur", width: 30), XLSXColumn("Valeur")])
        summary.append([.text("Nombre de factures"), .integer(5)])
        book.add(summary)
        book.add(XLSXSheet(name: "Vide", columns: [XLSXColumn("Rien")]))
        return book
    }
}

@Suite("XLSX workbook checked with openpyxl")
struct XLSXWorkbookTests {
    @Test(.enabled(if: PythonValidatorRunner.openpyxlAvailable, PythonValidatorRunner.openpyxlSkipMessage))
    func openpyxlReadsWhatWasWritten() throws {
        let bytes = try XLSXSamples.workbook().bytes()
        let parsed = try PythonValidatorRunner.validate(bytes, suffix: ".xlsx", script: "xlsx_validate.py", as: ParsedXLSX.self)
        #expect(parsed.sheets.map(\.name) == ["Factures échues", "Synthèse", "Vide"])
        #expect(parsed.title == "Balance âgée")
        #expect(parsed.creator == "Relance")
        #expect(parsed.created == "2026-11-20T00:00:00")
        // No clock in the file: libxlsxwriter stamps every ZIP entry with the DOS epoch.
        #expect(parsed.zip_dates == ["1980-01-01 00:00:00"])

        let sheet = parsed.sheets[0]
        #expect(sheet.freeze_panes == "A2")
        #expect(sheet.auto_filter == "A1:F6")
        #expect(sheet.widths["A"].map { abs($0 - 32) < 1 } == true, "widths: \(sheet.widths)")
        #expect(sheet.widths["D"] == nil)
        try #require(sheet.rows.count == 6)
        let header = sheet.rows[0]
        #expect(header.map(\.value) == ["Client", "Facture", "Échéance", "Jours de retard", "Montant dû", "Devise"].map { .string($0) })
        #expect(header.allSatisfy { $0.bold && $0.type == "s" })

        let first = sheet.rows[1]
        #expect(first[0].value == .string("Société Générale d’Équipement"))
        #expect(!first[0].bold)
        #expect(first[2].type == "d")
        #expect(first[2].value == .string("2026-10-15T00:00:00"))
        #expect(first[2].format == "dd/mm/yyyy")
        #expect(first[3].type == "n")
        #expect(first[3].value == .number(36))
        #expect(first[4].type == "n")
        #expect(first[4].value == .number(1234.56))
        #expect(first[4].format == "#,##0.00")

        // Formula-looking text stays a string: the literal text, type "s", never "f".
        let second = sheet.rows[2]
        #expect(second[0].type == "s")
        #expect(second[0].value == .string("=HYPERLINK(\"http://evil.example\",\"clic\")"))
        #expect(second[1].type == "s")
        #expect(second[1].value == .string("+33 6 12 34 56 78"))
        #expect(second[2].value == .string("2024-02-29T00:00:00"))
        #expect(second[4].value == .number(-0.05))
        let third = sheet.rows[3]
        #expect(third[0].type == "s" && third[0].value == .string("@SUM(A1:A2)"))
        #expect(third[1].type == "s" && third[1].value == .string("-1"))
        #expect(third[2].value == .string("1900-03-01T00:00:00"))
        #expect(third[4].value == .number(1_999_999_999.99))
        let fourth = sheet.rows[4]
        #expect(fourth[0].type == "s" && fourth[0].value == .string("\tTabbed"))
        #expect(fourth[2].value == .null)
        #expect(fourth[3].value == .number(9_007_199_254_740_992))
        #expect(fourth[4].value == .number(150_000), "JPY has no minor unit: 150000 minor units are ¥150,000")
        #expect(fourth[4].format == "#,##0")
        let fifth = sheet.rows[5]
        #expect(fifth[4].value == .number(1234.567))
        #expect(fifth[4].format == "#,##0.000")
        #expect(sheet.rows.joined().allSatisfy { $0.type != "f" })

        let summary = parsed.sheets[1]
        #expect(summary.auto_filter == "A1:B2")
        #expect(summary.freeze_panes == "A2")
        #expect(summary.rows.count == 2)
        #expect(summary.rows[1].map(\.value) == [.string("Nombre de factures"), .number(5)])
        let empty = parsed.sheets[2]
        #expect(empty.auto_filter == "A1", "a header-only sheet filters its single header cell")
        #expect(empty.rows.count == 1)
    }

    @Test func twoWritesAreByteIdentical() throws {
        let a = try XLSXSamples.workbook().bytes()
        let b = try XLSXSamples.workbook().bytes()
        #expect(a.count > 1000)
        #expect(a.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a ZIP file")
        #expect(a == b)
        var later = XLSXSamples.workbook()
        later.properties.created = XLSXSamples.asOf.adding(days: 1)
        #expect(try later.bytes() != a, "the creation date is in the file")
    }

    @Test func writesToPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("relance-xlsx-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("balance.xlsx").path
        try XLSXSamples.workbook().write(toPath: path)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written == (try XLSXSamples.workbook().bytes()))
    }

    static let refusals: [(XLSXWorkbook, XLSXError)] = {
        var cases: [(XLSXWorkbook, XLSXError)] = []
        let properties = XLSXWorkbook.Properties(created: XLSXSamples.asOf)
        cases.append((XLSXWorkbook(properties: properties), .noSheet))
        for (name, reason) in [("", "empty"), ("Factures/2026", "contains \"/\""), (String(repeating: "x", count: 32), "longer than 31 characters"),
                               ("'Quoted'", "starts or ends with an apostrophe")] {
            var book = XLSXWorkbook(properties: properties)
            book.add(XLSXSheet(name: name, columns: [XLSXColumn("A")]))
            cases.append((book, .invalidSheetName(name, reason: reason)))
        }
        var twice = XLSXWorkbook(properties: properties)
        twice.add(XLSXSheet(name: "Factures", columns: [XLSXColumn("A")]))
        twice.add(XLSXSheet(name: "FACTURES", columns: [XLSXColumn("A")]))
        cases.append((twice, .invalidSheetName("FACTURES", reason: "used twice in the workbook")))
        func one(_ cell: XLSXCell, columns: Int = 2) -> XLSXWorkbook {
            var book = XLSXWorkbook(properties: properties)
            var sheet = XLSXSheet(name: "S", columns: (0..<columns).map { XLSXColumn("C\($0)") })
            sheet.append([.empty, cell])
            book.add(sheet)
            return book
        }
        cases.append((one(.amount(Money(minor: (1 << 53) + 1, currency: .eur))), .amountTooLarge(sheet: "S", cell: "B2")))
        cases.append((one(.date(Day(year: 1900, month: 2, day: 28)!)), .dateOutOfRange(sheet: "S", cell: "B2")))
        cases.append((one(.text(String(repeating: "a", count: 32_768))), .textTooLong(sheet: "S", cell: "B2")))
        cases.append((one(.text("F-1\u{0}hidden")), .nulInText(sheet: "S", cell: "B2")))
        cases.append((one(.integer(1), columns: 1), .rowWiderThanHeader(sheet: "S", row: 1, cells: 2, columns: 1)))
        return cases
    }()

    @Test(arguments: refusals) func refusesWithReason(book: XLSXWorkbook, expected: XLSXError) {
        #expect(throws: expected) { try book.bytes() }
    }

    @Test func serialsAndReferences() {
        #expect(XLSXValidation.excelSerial(Day(year: 1970, month: 1, day: 1)!) == 25_569)
        #expect(XLSXValidation.excelSerial(Day(year: 2026, month: 11, day: 20)!) == 46_346)
        #expect(XLSXValidation.reference(row: 0, column: 0) == "A1")
        #expect(XLSXValidation.reference(row: 11, column: 25) == "Z12")
        #expect(XLSXValidation.reference(row: 0, column: 26) == "AA1")
        #expect(XLSXValidation.reference(row: 0, column: 16_383) == "XFD1")
        #expect(XLSXValidation.amountValue(Money(minor: 1250, currency: .eur)) == 12.50)
        #expect(XLSXValidation.amountValue(Money(minor: 1, currency: .eur)) == 0.01)
    }
}
