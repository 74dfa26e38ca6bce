import RelanceCore

/// Reads an FEC ("Fichier des Écritures Comptables", the ledger export every French company
/// must be able to hand to the tax authority, art. A47 A-1 of the Livre des procédures
/// fiscales) into customers, invoices, credit notes, payments and lettering allocations.
///
/// The FEC is the one export every French accounting package produces in the same shape,
/// which makes it the universal fallback when the ERP has no usable receivables export.
/// It has no due dates: documents come out with `dueDate: nil` and the pipeline derives them
/// from the configured payment terms (the batch says so in its notes).
///
/// The whole file is checked before anything is produced (header, field counts, dates,
/// amounts, balanced entries); one problem rejects the file, with every problem listed.
public struct FECReader: InputReader {
    public init() {}

    public var formatName: String { "FEC" }

    public func read(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> IngestBatch {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var headerEnd = start
        while headerEnd < bytes.count, bytes[headerEnd] != 0x0A { headerEnd += 1 }
        let header = Array(bytes[start..<headerEnd])
        if header.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) {
            throw context.reject(line: 1, "header", "empty file or empty first line: an FEC starts with its header (JournalCode, JournalLib, EcritureNum…)")
        }
        let columns = try FECColumns(header: header, context: context)
        let bodyStart = min(headerEnd + 1, bytes.count)

        var issues = IssueCollector(cap: max(1, context.issueCap))
        // The scan keeps what the records need (payment labels included), so the records are
        // built from the ledger alone.
        let ledger: FECLedger? = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            let encoding = FECTextEncoding.detect(base + start, buffer.count - start)
            return FECScanner(columns: columns, context: context)
                .scan(base, count: buffer.count, bodyStart: bodyStart, encoding: encoding, issues: &issues)
        }
        var batch: IngestBatch?
        if let ledger, issues.isEmpty { batch = FECRecordBuilder(ledger: ledger, context: context).build(issues: &issues) }
        if let rejection = issues.rejection() { throw rejection }
        guard let batch else { throw context.reject("FEC", "the ledger could not be read") }
        return batch
    }

    /// A cheap sniff on the first line: true when it names `JournalCode`, `EcritureNum` and
    /// `CompteNum` as tab- or pipe-separated columns (any case, UTF-8 BOM allowed).
    public static func looksLikeFEC(_ head: [UInt8]) -> Bool {
        var start = 0
        if head.count >= 3, head[0] == 0xEF, head[1] == 0xBB, head[2] == 0xBF { start = 3 }
        var end = start
        while end < head.count, head[end] != 0x0A { end += 1 }
        let line = Array(head[start..<end])
        for separator: UInt8 in [0x09, 0x7C] where line.contains(separator) {
            let names = Set(FECColumns.names(of: line, separator: separator).map { $0.lowercased() })
            if names.contains("journalcode") && names.contains("ecriturenum") && names.contains("comptenum") { return true }
        }
        return false
    }
}
