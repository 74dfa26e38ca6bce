/// Everything one input file contributes, in the core's own records.
///
/// Readers only produce batches (or an `InputRejection`); the store applies a batch in
/// one transaction, so a file is ingested whole or not at all.
public struct IngestBatch: Sendable {
    /// What kind of file this was, for the run summary (`customers CSV`, `FEC`, `camt.053`…).
    public var format: String
    public var customers: [Customer] = []
    public var documents: [Document] = []
    public var payments: [Payment] = []
    public var allocations: [StatedAllocation] = []
    /// File attachments (an invoice's PDF…) keyed by the document number they belong to.
    public var attachments: [Attachment] = []
    /// Remarks for the run summary and the report (e.g. "due dates derived from payment terms").
    public var notes: [String] = []
    /// The distinct customer ids of the records, when worked out ahead (see `CustomerReferences`);
    /// whoever changes the records' customer ids sets it back to nil.
    public var customerReferences: CustomerReferences?

    public init(format: String) { self.format = format }

    public var recordCount: Int { customers.count + documents.count + payments.count + allocations.count + attachments.count }

    /// `customerReferences`, worked out now if it was not ahead.
    public var resolvedCustomerReferences: CustomerReferences { customerReferences ?? CustomerReferences(of: self) }
}

/// A file that belongs to a document (its PDF, a delivery proof…).
public struct Attachment: Sendable, Equatable {
    public var documentNumber: String
    /// File name as it should appear in a dossier.
    public var fileName: String
    public var bytes: [UInt8]
    public var mediaType: String

    public init(documentNumber: String, fileName: String, bytes: [UInt8], mediaType: String) {
        self.documentNumber = documentNumber; self.fileName = fileName; self.bytes = bytes; self.mediaType = mediaType
    }
}
