import RelanceCore

/// The aged balance ("balance âgée") as CSV: one row per customer and currency.
public enum AgedBalanceCSV {
    public static let columns = ["customer_id", "customer_name", "currency", "not_due", "d1_30", "d31_60", "d61_90",
                                 "d91_120", "d121_plus", "total", "disputed", "litigation", "unapplied_credit", "net_balance"]

    public static func render(_ rows: [AgedBalanceRow], dialect: CSVDialect) -> [UInt8] {
        var w = CSVTableWriter(dialect: dialect)
        w.header(columns)
        for r in rows {
            let p = r.currency.minorUnits
            var cells: [CSVTableWriter.Cell] = [.text(r.customerId), .text(r.customerName), .text(r.currency.code)]
            cells += r.buckets.map { .amount($0, places: p) }
            cells += [.amount(r.total, places: p), .amount(r.disputed, places: p), .amount(r.litigation, places: p),
                      .amount(r.unappliedCredit, places: p), .amount(r.netBalance, places: p)]
            w.row(cells)
        }
        return w.bytes
    }
}
