/// Why the store refused a batch or an operation. Every case names the record at fault,
/// so that the pipeline can reject the input file with a message a person can act on.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A document number already stored for another customer: numbers are unique per issuer,
    /// so two customers for one number means one of the files is wrong.
    case documentCustomerConflict(number: String, storedCustomer: String, newCustomer: String)
    /// A stored invoice arriving as a credit note (or the reverse).
    case documentKindConflict(number: String, stored: String, new: String)
    /// A payment id already stored for another customer.
    case paymentCustomerConflict(paymentId: String, storedCustomer: String, newCustomer: String)
    /// The same document number twice in one batch with different content.
    case conflictingDuplicateDocument(number: String)
    /// The same payment id twice in one batch with different content.
    case conflictingDuplicatePayment(paymentId: String)
    /// Stated allocations naming invoices, payments or credit notes the store does not know.
    case unknownReferences([String])
    /// A stated allocation whose currency is not its invoice's.
    case allocationCurrencyMismatch(invoiceNumber: String, invoiceCurrency: String, allocationCurrency: String)
    /// A stated allocation of zero or a negative amount.
    case nonPositiveAllocation(invoiceNumber: String, amount: Int64)
    /// A sum over the store overflowed 64-bit minor units.
    case overflow(String)
    /// Something the store's own code guarantees did not hold (a bug, never bad input).
    case invariant(String)

    public var description: String {
        switch self {
        case let .documentCustomerConflict(number, stored, new):
            return "document \(number) is already stored for customer \(stored); this file gives customer \(new)"
        case let .documentKindConflict(number, stored, new):
            return "document \(number) is already stored as \(stored); this file gives it as \(new)"
        case let .paymentCustomerConflict(id, stored, new):
            return "payment \(id) is already stored for customer \(stored); this file gives customer \(new)"
        case let .conflictingDuplicateDocument(number):
            return "document \(number) appears more than once in this file with different content"
        case let .conflictingDuplicatePayment(id):
            return "payment \(id) appears more than once in this file with different content"
        case let .unknownReferences(refs):
            let shown = refs.prefix(20).joined(separator: ", ")
            return "allocations name unknown records: \(shown)" + (refs.count > 20 ? " and \(refs.count - 20) more" : "")
        case let .allocationCurrencyMismatch(number, invoiceCurrency, allocationCurrency):
            return "allocation to invoice \(number) is in \(allocationCurrency) but the invoice is in \(invoiceCurrency)"
        case let .nonPositiveAllocation(number, amount):
            return "allocation to invoice \(number) has a non-positive amount (\(amount) minor units)"
        case let .overflow(what):
            return "sum overflows 64-bit minor units: \(what)"
        case let .invariant(what):
            return "internal error: \(what)"
        }
    }
}
