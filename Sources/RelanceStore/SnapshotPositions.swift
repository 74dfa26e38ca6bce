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
        if n < hint.count, case let h = hint[n], h >= 0, Int(h) < invoices.count, invoices[Int(h)].number == number { return h }
        if invoiceByNumber == nil {
            var table: [String: Int32] = [:]
            table.reserveCapacity(invoices.count)
            for (k, i) in invoices.enumerated() { table[i.number] = Int32(truncatingIfNeeded: k) }
            invoiceByNumber = table
        }
        return invoiceByNumber?[number]
    }

    /// The position in `snapshot.payments` of the payment `reference`.
    mutating func payment(_ reference: String, hint: [Int32], _ n: Int) -> Int32? {
        if n < hint.count, case let h = hint[n], h >= 0, Int(h) < payments.count, payments[Int(h)].paymentId == reference { return h }
        if paymentByRef == nil {
            var table: [String: Int32] = [:]
            table.reserveCapacity(payments.count)
            for (k, p) in payments.enumerated() { table[p.paymentId] = Int32(truncatingIfNeeded: k) }
            paymentByRef = table
        }
        return paymentByRef?[reference]
    }
}
