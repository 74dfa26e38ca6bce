import RelanceCore

/// Reads a structured e-invoice — UBL 2.1 `Invoice` / `CreditNote` (EN 16931, Peppol BIS,
/// XRechnung, French CTC) or UN/CEFACT CII `CrossIndustryInvoice` (Factur-X, ZUGFeRD 2, and
/// the older ZUGFeRD 1.0 `CrossIndustryDocument`) — into one customer, one document and, when
/// the invoice states a prepaid amount, one allocation.
///
/// Only sales are receivables: the seller must be the company configured in `relance.yaml`;
/// see `EInvoiceInterpreter` for every rule. The XML is read with the hardened
/// `XMLPullReader` (no DTD, no entities, no network).
public struct EInvoiceReader: InputReader {
    public init() {}

    /// The batch's own `format` says which syntax a file was: `UBL 2.1`, `CII`, `CII (ZUGFeRD 1.0)`.
    public var formatName: String { "UBL 2.1 / CII" }

    /// True when the first element is a UBL Invoice or CreditNote, a CII CrossIndustryInvoice, or a
    /// ZUGFeRD 1.0 CrossIndustryDocument, in its own namespace. Give it the first few KB of the file.
    public static func looksLikeEInvoice(_ head: [UInt8]) -> Bool {
        EInvoiceSniffer.kind(head) != nil
    }

    public func read(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> IngestBatch {
        try readInvoice(bytes, context: context).batch
    }

    /// The batch and the invoice number (also when no document is recorded, e.g. a zero total).
    func readInvoice(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> (batch: IngestBatch, number: String) {
        let tree = try XMLTree.parse(bytes, fileName: context.fileName, skipping: UBLExtractor.skipped.union(CIIExtractor.skipped))
        let facts: EInvoiceFacts
        switch EInvoiceSniffer.kind(local: tree.name, namespace: tree.namespace) {
        case .ublInvoice?, .ublCreditNote?:
            facts = UBLExtractor.facts(tree)
        case .cii?, .zugferd1?:
            facts = CIIExtractor.facts(tree)
        case nil:
            throw context.reject(line: tree.line, tree.path,
                                 "not an e-invoice: root element '\(tree.name)' in namespace '\(tree.namespace)' is neither a UBL 2.1 Invoice/CreditNote nor a CII CrossIndustryInvoice")
        }
        return try EInvoiceInterpreter(facts: facts, context: context).interpret()
    }
}
