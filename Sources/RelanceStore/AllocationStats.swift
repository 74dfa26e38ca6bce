import RelanceCore

/// What one automatic allocation pass did.
public struct AllocationStats: Sendable, Equatable {
    /// Allocations created from payments naming invoices (`exact_invoice_number`).
    public var fromPayments = 0
    /// Allocations created from credit notes naming their original invoice.
    public var fromCreditNotes = 0
    /// Minor units allocated per currency by this pass.
    public var amounts: [Currency: Int64] = [:]
    /// Payments without a customer that took the customer of the invoice they named.
    public var paymentsIdentified = 0

    public init() {}

    public var total: Int { fromPayments + fromCreditNotes }
}
