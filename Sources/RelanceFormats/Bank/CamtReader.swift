import RelanceCore

/// Reads ISO 20022 bank-to-customer files: camt.053 statements ("relevé de compte") and
/// camt.054 debit/credit notifications ("avis de crédit"), versions .001.02 to .001.13,
/// recognised by their namespace; any number of `Stmt`/`Ntfctn` per file.
///
/// What becomes a `Payment`:
/// - booked entries only (`Sts` BOOK, or `Sts/Cd` BOOK from version .08); pending (PDNG),
///   information (INFO) and other statuses are counted in a note and skipped;
/// - credits (`CdtDbtInd` CRDT): one payment per entry, or one per `TxDtls` when a batch
///   carries several, each with its own amount (`TxDtls/Amt`, else `AmtDtls/TxAmt/Amt`);
///   a credit that is itself a return or reversal (of the company's own outgoing payment) is
///   not a customer payment and is skipped with a note;
/// - debits are ignored, except returns and reversals of customer payments (`RvslInd` true,
///   a `RtrInf` block, or a return/reversal bank transaction code such as `UPDD`, `RRTN`),
///   which become negative payments whose `reverses` is the original end-to-end id when given.
///
/// Remittance: `Ustrd` (several joined by a space) → `reference`, falling back to
/// `AddtlTxInf` then `AddtlNtryInf` when the bank gives no remittance text; the first
/// `Strd/CdtrRefInf/Ref` → `structuredReference`, except an ISO 11649 `RF` reference whose
/// check digits are wrong, which is kept in `reference` as plain text (and noted).
/// Charges (`Chrgs`) are totalled in a note: payments keep the booked amount.
///
/// `paymentId` is a natural key, so that the same credit notified by camt.054 and later
/// stated by camt.053 is recognised as one payment: `<account>/<key>[/<n>]` where account is
/// the statement's IBAN (or other account id), key is the bank's `AcctSvcrRef` for the entry
/// when present, else `ntry:<NtryRef>`, else `e2e:<EndToEndId>:<amount in minor units>:<booking
/// date>`, and `/<n>` is the 1-based `TxDtls` index for a batch read as several payments.
/// A key met twice in one file is numbered `#2`, `#3`… (noted) rather than merged.
///
/// camt.052 intraday reports are rejected: they mix booked and pending movements of a day
/// still in progress, and the same movements come again in the evening's camt.053.
public struct CamtReader: InputReader {
    public init() {}

    public var formatName: String { "camt.053/camt.054" }

    /// `urn:iso:std:iso:20022:tech:xsd:camt.05` followed by the message digit.
    public static let namespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.05"

    /// True when the first bytes of a file name a camt.052/053/054 namespace. camt.052 answers
    /// yes too, so that the reader rejects it with its reason rather than leaving it unknown.
    public static func looksLikeCamt(_ head: [UInt8]) -> Bool {
        let pattern = Array(namespacePrefix.utf8)
        let n = head.count, m = pattern.count
        guard n > m else { return false }
        var i = 0
        while i + m < n {
            if head[i] == pattern[0] {
                var k = 1
                while k < m, head[i + k] == pattern[k] { k += 1 }
                if k == m, (0x32...0x34).contains(head[i + m]) { return true }
            }
            i += 1
        }
        return false
    }

    public func read(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> IngestBatch {
        var parser = try CamtParser(bytes: bytes, context: context)
        return try parser.run()
    }
}
