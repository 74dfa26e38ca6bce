/// The two kinds of receivable documents.
public enum DocumentKind: String, Sendable, Codable {
    case invoice
    /// "Avoir": reduces what the customer owes.
    case creditNote = "credit_note"
}

/// An invoice or a credit note, as issued by the company to a customer.
///
/// Amounts are always positive minor units; the kind says the direction. The document's
/// natural key is its number: French law requires one unbroken numbering per issuer.
public struct Document: Sendable, Equatable {
    public var number: String
    public var customerId: String
    /// The customer's name when the source carries it (used when no customer file names it).
    public var customerName: String?
    public var kind: DocumentKind
    public var issueDate: Day
    /// nil when the source has none (FEC): the pipeline derives it from payment terms.
    public var dueDate: Day?
    public var deliveryDate: Day?
    public var currency: Currency
    public var amountExclTax: Int64?
    public var tax: Int64?
    /// Tax-inclusive total ("TTC"), the receivable, > 0.
    public var amount: Int64
    /// For a credit note: the invoice it corrects.
    public var originalInvoice: String?
    /// Free payment reference the customer should quote (structured creditor reference…).
    public var paymentReference: String?
    /// Where the record came from: line number or element path, for error messages and audit.
    public var sourceLocation: String?

    public init(number: String, customerId: String, customerName: String? = nil, kind: DocumentKind, issueDate: Day,
                dueDate: Day?, deliveryDate: Day? = nil, currency: Currency, amountExclTax: Int64? = nil,
                tax: Int64? = nil, amount: Int64, originalInvoice: String? = nil, paymentReference: String? = nil,
                sourceLocation: String? = nil) {
        self.number = number; self.customerId = customerId; self.customerName = customerName; self.kind = kind
        self.issueDate = issueDate; self.dueDate = dueDate; self.deliveryDate = deliveryDate; self.currency = currency
        self.amountExclTax = amountExclTax; self.tax = tax; self.amount = amount; self.originalInvoice = originalInvoice
        self.paymentReference = paymentReference; self.sourceLocation = sourceLocation
    }

    public var money: Money { Money(minor: amount, currency: currency) }
}
