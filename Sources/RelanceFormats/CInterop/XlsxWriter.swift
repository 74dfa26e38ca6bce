import CXlsxWriter
#if canImport(Glibc)
import Glibc
#endif
import RelanceCore

/// The only place that calls libxlsxwriter (Debian's 1.1.4).
///
/// Why libxlsxwriter: it writes real SpreadsheetML with shared strings, styles, frozen panes
/// and autofilters, tested against Excel, in a few calls; the ZIP it writes stamps every
/// entry 1980-01-01, so with a fixed creation date its output is byte-reproducible.
///
/// Text is only ever written with `worksheet_write_string`: a string cell, never a formula,
/// whatever it starts with. (1.1.4 has no `format_set_quote_prefix`; the string cell type is
/// what keeps `=…` inert when the file is opened.)
///
/// Memory discipline: the workbook owns its sheets and formats and frees them in
/// `workbook_close`, which is called on every path once `workbook_new_opt` succeeded; the
/// property strings are `strdup`'d, handed over (libxlsxwriter copies them) and freed here.
enum XlsxWriter {
    static func write(_ workbook: XLSXWorkbook, toPath path: String) throws(XLSXError) {
        var options = lxw_workbook_options(constant_memory: 0, tmpdir: nil, use_zip64: 0)
        guard let book = workbook_new_opt(path, &options) else {
            throw .io("cannot create \(path)")
        }
        var failure: XLSXError?
        fill(book, workbook, failure: &failure)
        let closed = workbook_close(book)
        if failure == nil && closed != LXW_NO_ERROR {
            failure = .library(String(cString: lxw_strerror(closed)) + " (writing \(path))")
        }
        if let failure {
            unlink(path)
            throw failure
        }
    }

    private static func fill(_ book: UnsafeMutablePointer<lxw_workbook>, _ workbook: XLSXWorkbook, failure: inout XLSXError?) {
        let p = workbook.properties
        let title = p.title.flatMap { strdup($0) }, author = p.author.flatMap { strdup($0) }
        let company = p.company.flatMap { strdup($0) }
        defer { free(title); free(author); free(company) }
        var properties = lxw_doc_properties()
        properties.title = title
        properties.author = author
        properties.company = company
        properties.created = time_t(Int(p.created.ordinal) * 86_400)
        if let error = check(workbook_set_properties(book, &properties)) { failure = error; return }

        guard let bold = workbook_add_format(book), let dateFormat = workbook_add_format(book) else {
            failure = .library("cannot add a format"); return
        }
        format_set_bold(bold)
        format_set_num_format(dateFormat, "dd/mm/yyyy")
        var amountFormats: [Int: UnsafeMutablePointer<lxw_format>] = [:]

        for sheet in workbook.sheets {
            guard let ws = workbook_add_worksheet(book, sheet.name) else {
                failure = .invalidSheetName(sheet.name, reason: "refused by libxlsxwriter"); return
            }
            for (c, column) in sheet.columns.enumerated() {
                let col = lxw_col_t(c)
                if let width = column.width,
                   let error = check(worksheet_set_column(ws, col, col, width, nil)) { failure = error; return }
                if let error = check(worksheet_write_string(ws, 0, col, column.title, bold)) { failure = error; return }
            }
            for (r, row) in sheet.rows.enumerated() {
                let rowIndex = lxw_row_t(r + 1)
                for (c, cell) in row.enumerated() {
                    let col = lxw_col_t(c)
                    let result: lxw_error
                    switch cell {
                    case let .text(s):
                        result = worksheet_write_string(ws, rowIndex, col, s, nil)
                    case let .integer(v):
                        result = worksheet_write_number(ws, rowIndex, col, Double(v), nil)
                    case let .amount(money):
                        let places = money.currency.minorUnits
                        let format: UnsafeMutablePointer<lxw_format>
                        if let existing = amountFormats[places] {
                            format = existing
                        } else {
                            guard let created = workbook_add_format(book) else { failure = .library("cannot add a format"); return }
                            format_set_num_format(created, XLSXValidation.amountFormat(places: places))
                            amountFormats[places] = created
                            format = created
                        }
                        result = worksheet_write_number(ws, rowIndex, col, XLSXValidation.amountValue(money), format)
                    case let .date(day):
                        result = worksheet_write_number(ws, rowIndex, col, XLSXValidation.excelSerial(day), dateFormat)
                    case .empty:
                        result = LXW_NO_ERROR
                    }
                    if let error = check(result, cell: XLSXValidation.reference(row: r + 1, column: c), sheet: sheet.name) {
                        failure = error; return
                    }
                }
            }
            guard !sheet.columns.isEmpty else { continue }
            worksheet_freeze_panes(ws, 1, 0)
            if let error = check(worksheet_autofilter(ws, 0, 0, lxw_row_t(sheet.rows.count), lxw_col_t(sheet.columns.count - 1))) {
                failure = error; return
            }
        }
    }

    private static func check(_ result: lxw_error, cell: String? = nil, sheet: String? = nil) -> XLSXError? {
        guard result != LXW_NO_ERROR else { return nil }
        let message = String(cString: lxw_strerror(result))
        if let cell, let sheet { return .library("sheet \(sheet), cell \(cell): \(message)") }
        return .library(message)
    }
}
