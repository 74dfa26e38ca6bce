import Foundation
import Testing
import RelanceCommands
import RelanceCore
import RelanceStore
import RelanceTestSupport

/// Real exports from other projects (`../shared/samples/`) through the whole pipeline.
@Suite(.enabled(if: Samples.available, Samples.skipMessage))
struct SampleIngestTests {
    /// An FEC has no due dates: they are derived from payment terms and the report says so.
    @Test func quadraFECThroughThePipelineDerivesDueDatesAndSaysSo() throws {
        let home = try TestHome()
        try home.drop("ledger.txt", bytes: try Samples.bytes("fec/ekylibre_quadra_123456789FEC20190731.txt"))
        try home.writeConfig("payment_terms_days: 45\n")
        let (status, summary) = try home.run(asOf: "2019-07-31")
        #expect(status == .ok)
        #expect(summary.ingest?.files.first?.format == "FEC")
        let store = try home.store()
        // 1,692 invoices + 138 credit notes + the opening-balance documents, as the reader's own tests establish.
        #expect(try store.counts().documents >= 1_830)
        #expect(try store.derivedDueDateCount() == store.counts().documents)
        let notes = try home.report("2019-07-31", "NOTES.txt")
        #expect(notes.contains("45 days"))
        // The receivables ledger balance (sum of debits minus credits on 411/413/416/4191 lines),
        // computed from the file with a few lines of Python, is 282 990,83 €: the aged balance's
        // net balances must add up to it, whatever was lettered or allocated.
        #expect(Self.sum("net_balance", in: try home.report("2019-07-31")) == 28_299_083)
    }

    /// Sums an amount column of a French-dialect aged balance, in cents.
    static func sum(_ column: String, in csv: String) -> Int64 {
        let rows = csv.split(separator: "\r\n").map { $0.split(separator: ";", omittingEmptySubsequences: false) }
        guard let header = rows.first, let i = header.firstIndex(where: { $0.hasSuffix(column) }) else { return -1 }
        return rows.dropFirst().reduce(0) { acc, r in
            let text = r[i].replacingOccurrences(of: ",", with: "")
            return acc + (Int64(text) ?? 0)
        }
    }
}
