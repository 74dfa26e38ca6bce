/// Row counts of the main tables, for run summaries and sanity checks.
public struct StoreCounts: Sendable, Equatable {
    public var customers: Int
    public var documents: Int
    public var payments: Int
    public var allocations: Int

    public init(customers: Int, documents: Int, payments: Int, allocations: Int) {
        self.customers = customers; self.documents = documents; self.payments = payments; self.allocations = allocations
    }
}
