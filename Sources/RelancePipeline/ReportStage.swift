import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore

/// What the report stage wrote.
public struct ReportSummary: Sendable {
    public var folder: URL
    public var customers: Int
    /// Open receivables per currency (the `total` column summed).
    public var totals: [Currency: Int64]
    public var unappliedCredit: [Currency: Int64]
}

/// Stage 4 (reports): `outbox/reports/<as-of>/`, published as a whole folder.
public enum ReportStage {
    public static func run(_ ctx: RunContext, store: Store) throws -> ReportSummary {
        let rows = try store.agedBalance(asOf: ctx.asOf)
        var files: [(name: String, bytes: [UInt8])] = [
            ("aged-balance.csv", AgedBalanceCSV.render(rows, dialect: ctx.config.reportDialect)),
        ]
        let derived = try store.derivedDueDateCount()
        if derived > 0 {
            let note = """
            Relance — notes on the reports of \(ctx.asOf)

            \(derived) open or closed documents have no due date in their source (FEC ledgers carry none):
            their due dates were derived as issue date + payment terms (\(ctx.config.paymentTermsDays) days unless
            a customer has its own terms in relance.yaml). Ageing of those documents is an estimate.

            """
            files.append(("NOTES.txt", Array(note.utf8)))
        }
        let folder = try OutboxPublisher(outbox: ctx.home.outbox).publish(folder: "reports/\(ctx.asOf)", files: files)
        var totals: [Currency: Int64] = [:], credit: [Currency: Int64] = [:]
        for r in rows {
            totals[r.currency, default: 0] += r.total
            credit[r.currency, default: 0] += r.unappliedCredit
        }
        return ReportSummary(folder: folder, customers: Set(rows.map(\.customerId)).count, totals: totals, unappliedCredit: credit)
    }
}
