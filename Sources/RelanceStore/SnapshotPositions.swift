import RelanceCore

/// Finds an invoice or a payment the engine named in the snapshot it was given: at the
/// position the engine reported (`InputPositions`) when the name there matches, else by name.
///
/// The engine reports where it found each document, which saves building and probing two
/// String-keyed tables of a million entries each; but the name is what the result means, so a
/// position is used only when it names the same document, and the tables are built the first
/// time a name has to be looked up (an engine given other inputs, a test's hand-made result).
struct SnapshotPositions {
    private let invoices: [OpenInvoice]
    private let payments: [UnmatchedPayment]
    private var invoiceByNumber: [String: Int32]?
    private var paymentByRef: [String: Int32]?

    init(_ snapshot: ReconciliationSnapshot) {
        invoices = snapshot.invoices
        payments = snapshot.payments
    }

    /// The position in `snapshot.invoices` of the invoice `number`; `hint[n]` is where the
    /// engine says it is.
    mutating func invoice(_ number: String, hint: [Int32], _ n: Int) -> Int32? {
        Self.find(number, hint: hint, n, in: invoices, named: \.number, table: &invoiceByNumber)
    }

    /// The position in `snapshot.payments` of the payment `reference`.
    mutating func payment(_ reference: String, hint: [Int32], _ n: Int) -> Int32? {
        Self.find(reference, hint: hint, n, in: payments, named: \.paymentId, table: &paymentByRef)
    }

    private static func find<Item>(_ name: String, hint: [Int32], _ n: Int, in items: [Item], named: (Item) -> String,
                                   table: inout [String: Int32]?) -> Int32? {
        if n < hint.count, case let h = hint[n], h >= 0, Int(h) < items.count, named(items[Int(h)]) == name { return h }
        if table == nil {
            // Built once, on the first name without a usable position; the last of equal names wins.
            var built: [String: Int32] = [:]
            built.reserveCapacity(items.count)
            for (k, item) in items.enumerated() { built[named(item)] = Int32(truncatingIfNeeded: k) }
            table = built
        }
        return table?[name]
    }
}
