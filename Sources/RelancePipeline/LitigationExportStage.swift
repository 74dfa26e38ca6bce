import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore

/// The litigation exports `outbox/reports/<as-of>/litigation-invoices.csv|.xlsx` (one row per
/// invoice of every case) and `litigation-customers.csv|.xlsx` (one row per case).
///
/// Written file by file (temporary name, then rename) into the reports folder, after the
/// report stage has published it: that stage publishes the folder whole and would otherwise
/// replace these files.
public enum LitigationExportStage {
    public static let invoiceHeader = ["case_id", "case_status", "stage", "customer_id", "invoice_number", "issue_date", "due_date",
                                       "currency", "amount", "paid", "credited", "written_off", "open", "days_late", "added_to_case"]
    public static let customerHeader = ["case_id", "customer_id", "customer_name", "partner", "status", "stage", "opened_on", "closed_on",
                                        "outcome", "recovered", "invoices", "currency", "amount", "open"]

    @discardableResult
    public static func run(_ ctx: RunContext, store: Store) throws -> [URL] {
        let cases = try store.litigationCases()
        var invCSV = CSVTableWriter(dialect: ctx.config.reportDialect)
        var cusCSV = CSVTableWriter(dialect: ctx.config.reportDialect)
        invCSV.header(invoiceHeader)
        cusCSV.header(customerHeader)
        var invSheet = XLSXSheet(name: "Factures en contentieux", columns: invoiceHeader.map { XLSXColumn($0, width: 14) })
        var cusSheet = XLSXSheet(name: "Dossiers", columns: customerHeader.map { XLSXColumn($0, width: 14) })
        for k in cases {
            let facts = try store.caseInvoiceFacts(caseId: k.id)
            let added = Dictionary(uniqueKeysWithValues: k.invoiceNumbers.map { ($0, k.openedOn) })
            for f in facts {
                let places = f.currency.minorUnits
                let late = f.open > 0 ? max(0, f.effectiveDueDate.distance(to: ctx.asOf)) : 0
                invCSV.row([.text(k.id), .text(k.status), .text(k.stage), .text(k.customerId), .text(f.number), .text(f.issueDate.description),
                            .text(f.effectiveDueDate.description), .text(f.currency.code), .amount(f.amount, places: places),
                            .amount(f.paidByPayments, places: places), .amount(f.credited, places: places), .amount(f.writtenOff, places: places),
                            .amount(f.open, places: places), .integer(late), .text((added[f.number] ?? k.openedOn).description)])
                func m(_ v: Int64) -> XLSXCell { .amount(Money(minor: v, currency: f.currency)) }
                invSheet.append([.text(k.id), .text(k.status), .text(k.stage), .text(k.customerId), .text(f.number), .date(f.issueDate),
                                 .date(f.effectiveDueDate), .text(f.currency.code), m(f.amount), m(f.paidByPayments), m(f.credited),
                                 m(f.writtenOff), m(f.open), .integer(Int64(late)), .date(added[f.number] ?? k.openedOn)])
            }
            let name = try store.collectionCustomer(id: k.customerId)?.name ?? ""
            let byCurrency = Dictionary(grouping: facts, by: \.currency)
            for (currency, list) in byCurrency.sorted(by: { $0.key < $1.key }) {
                let amount = list.reduce(0) { $0 + $1.amount }, open = list.reduce(0) { $0 + max(0, $1.open) }
                let places = currency.minorUnits
                cusCSV.row([.text(k.id), .text(k.customerId), .text(name), .text(k.partnerId), .text(k.status), .text(k.stage),
                            .text(k.openedOn.description), .text(k.closedOn?.description ?? ""), .text(k.outcome ?? ""),
                            k.recoveredAmount.map { .amount($0, places: places) } ?? .text(""), .integer(list.count), .text(currency.code),
                            .amount(amount, places: places), .amount(open, places: places)])
                cusSheet.append([.text(k.id), .text(k.customerId), .text(name), .text(k.partnerId), .text(k.status), .text(k.stage),
                                 .date(k.openedOn), k.closedOn.map { .date($0) } ?? .empty, .text(k.outcome ?? ""),
                                 k.recoveredAmount.map { .amount(Money(minor: $0, currency: currency)) } ?? .empty, .integer(Int64(list.count)),
                                 .text(currency.code), .amount(Money(minor: amount, currency: currency)), .amount(Money(minor: open, currency: currency))])
            }
        }
        func book(_ sheet: XLSXSheet, _ title: String) throws -> [UInt8] {
            var b = XLSXWorkbook(properties: .init(title: title, author: ctx.config.company?.name ?? "Relance", company: ctx.config.company?.name, created: ctx.asOf))
            b.add(sheet)
            do { return try b.bytes() } catch { throw FileOpsError(message: "\(title): \(error)") }
        }
        let folder = ctx.home.outbox.appendingPathComponent("reports/\(ctx.asOf)")
        let files: [(String, [UInt8])] = [
            ("litigation-invoices.csv", invCSV.bytes), ("litigation-invoices.xlsx", try book(invSheet, "Factures en contentieux")),
            ("litigation-customers.csv", cusCSV.bytes), ("litigation-customers.xlsx", try book(cusSheet, "Dossiers de contentieux")),
        ]
        return try files.map { name, bytes in
            let url = folder.appendingPathComponent(name)
            try FileOps.writeAtomically(bytes, to: url)
            return url
        }
    }
}
