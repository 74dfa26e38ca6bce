/// The customer ids a batch names, each once, worked out once per file.
///
/// A million-row export names some fifty thousand customers. The store's passes over a batch
/// (which ids are new, which customers only the documents and payments name, and the name a
/// document row gives them) need the distinct ids, not the rows: computed here, on the reader's
/// thread while the previous file commits, they cost the store's single writer nothing.
public struct CustomerReferences: Sendable, Equatable {
    /// Every id of the batch once, in order of first appearance: the customer records, then
    /// the documents, then the payments that name a customer.
    public var ids: [String]
    /// The ids only documents and payments name (not a customer record of the batch), in the
    /// same order.
    public var recordOnlyIds: [String]
    /// For those ids, the first non-empty customer name a document row gives.
    public var documentNames: [String: String]

    public init(of batch: IngestBatch) {
        var ids: [String] = []
        var recordOnly: [String] = []
        var names: [String: String] = [:]
        // true: settled (a customer record, or a name seen); false: seen without a name yet.
        var state: [String: Bool] = [:]
        state.reserveCapacity(batch.customers.count + 1024)
        for c in batch.customers where state.updateValue(true, forKey: c.id) == nil { ids.append(c.id) }
        var last = ""
        var lastSettled = false
        for d in batch.documents {
            let id = d.customerId
            let name = d.customerName.flatMap { $0.isEmpty ? nil : $0 }
            // Rows of one customer often follow each other: skip the look-up for a repeat.
            if id == last && (lastSettled || name == nil) { continue }
            last = id
            switch state[id] {
            case true?:
                lastSettled = true
                continue
            case nil:
                ids.append(id)
                recordOnly.append(id)
            case false?:
                break
            }
            if let name {
                names[id] = name
                state[id] = true
                lastSettled = true
            } else {
                if state[id] == nil { state[id] = false }
                lastSettled = false
            }
        }
        for p in batch.payments {
            guard let id = p.customerId, state[id] == nil else { continue }
            state[id] = false
            ids.append(id)
            recordOnly.append(id)
        }
        self.ids = ids
        self.recordOnlyIds = recordOnly
        self.documentNames = names
    }
}
