import RelanceCore
import Foundation

/// An .xlsx workbook for people: the aged-balance listing, a dossier's invoice schedule.
///
/// A plain value filled in Swift, then written in one go by libxlsxwriter (see
/// `CInterop/XlsxWriter.swift`). Deterministic: the document's creation date is a property
/// the caller fixes (the run's as-of date), and libxlsxwriter stamps every ZIP entry with
/// 1 January 1980, so the same workbook gives the same bytes.
public struct XLSXWorkbook: Hashable, Sendable {
    public struct Properties: Hashable, Sendable {
        public var title: String?
        public var author: String?
        public var company: String?
        /// Creation and modification date written in docProps/core.xml (midnight UTC).
        public var created: Day

        public init(title: String? = nil, author: String? = nil, company: String? = nil, created: Day) {
            self.title = title; self.author = author; self.company = company; self.created = created
        }
    }

    public var properties: Properties
    public private(set) var sheets: [XLSXSheet] = []

    public init(properties: Properties) { self.properties = properties }

    public mutating func add(_ sheet: XLSXSheet) { sheets.append(sheet) }

    /// Writes the workbook at `path` (replacing any file there). On failure nothing is left at `path`.
    public func write(toPath path: String) throws(XLSXError) {
        try XLSXValidation.check(self)
        try XlsxWriter.write(self, toPath: path)
    }

    /// The .xlsx bytes. libxlsxwriter only writes files: this writes a private temporary file
    /// and reads it back.
    public func bytes() throws(XLSXError) -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("relance-xlsx-" + UUID().uuidString, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io("cannot create a temporary directory: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("workbook.xlsx")
        try write(toPath: file.path)
        do {
            return [UInt8](try Data(contentsOf: file))
        } catch {
            throw .io("cannot read back the written workbook: \(error)")
        }
    }
}

/// Why a workbook cannot be written.
public enum XLSXError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidSheetName(String, reason: String)
    case noSheet
    case tooManyRows(sheet: String, rows: Int)
    case tooManyColumns(sheet: String, columns: Int)
    case rowWiderThanHeader(sheet: String, row: Int, cells: Int, columns: Int)
    /// Text longer than Excel's 32,767 characters per cell.
    case textTooLong(sheet: String, cell: String)
    /// A NUL character, which would silently cut the text on its way through C.
    case nulInText(sheet: String, cell: String)
    /// An amount beyond ±2^53 minor units, which a spreadsheet number cannot hold exactly.
    case amountTooLarge(sheet: String, cell: String)
    /// Dates before 1 March 1900 (Excel's fictitious 29 February 1900 shifts them).
    case dateOutOfRange(sheet: String, cell: String)
    case library(String)
    case io(String)

    public var description: String {
        switch self {
        case let .invalidSheetName(name, reason): return "sheet name \(name.debugDescription): \(reason)"
        case .noSheet: return "a workbook needs at least one sheet"
        case let .tooManyRows(sheet, rows): return "sheet \(sheet): \(rows) rows exceed Excel's 1,048,576"
        case let .tooManyColumns(sheet, columns): return "sheet \(sheet): \(columns) columns exceed Excel's 16,384"
        case let .rowWiderThanHeader(sheet, row, cells, columns): return "sheet \(sheet), data row \(row): \(cells) cells for \(columns) columns"
        case let .textTooLong(sheet, cell): return "sheet \(sheet), cell \(cell): text longer than 32,767 characters"
        case let .nulInText(sheet, cell): return "sheet \(sheet), cell \(cell): text holds a NUL character"
        case let .amountTooLarge(sheet, cell): return "sheet \(sheet), cell \(cell): amount too large to be exact in a spreadsheet"
        case let .dateOutOfRange(sheet, cell): return "sheet \(sheet), cell \(cell): date before 1900-03-01"
        case let .library(message): return "libxlsxwriter: \(message)"
        case let .io(message): return message
        }
    }
}
