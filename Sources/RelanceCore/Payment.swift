/// Money received from (or, for a reversal, returned to) a customer.
public struct Payment: Sendable, Equatable {
    /// The source's identifier: ERP payment id, bank reference, FEC entry.
    public var paymentId: String
    /// Known when the source names the customer; otherwise found by reconciliation.
    public var customerId: String?
    /// Booking date.
    public var date: Day
    public var valueDate: Day?
    /// Positive for money received; negative for a reversal or returned payment.
    public var amount: Int64
    public var currency: Currency
    /// Free remittance text ("libellé", `Ustrd`).
    public var reference: String?
    /// The invoice the source says this pays.
    public var invoiceNumber: String?
    public var payerName: String?
    public var payerIban: String?
    /// Structured creditor reference (ISO 11649 `RF…`) or end-to-end id, when present.
    public var structuredReference: String?
    public var endToEndId: String?
    /// For a reversal: the payment id it reverses, when known.
    public var reverses: String?
    public var sourceLocation: String?

    public init(paymentId: String, customerId: String? = nil, date: Day, valueDate: Day? = nil, amount: Int64,
                currency: Currency, reference: String? = nil, invoiceNumber: String? = nil, payerName: String? = nil,
                payerIban: String? = nil, structuredReference: String? = nil, endToEndId: String? = nil,
                reverses: String? = nil, sourceLocation: String? = nil) {
        self.paymentId = paymentId; self.customerId = customerId; self.date = date; self.valueDate = valueDate
        self.amount = amount; self.currency = currency; self.reference = reference; self.invoiceNumber = invoiceNumber
        self.payerName = payerName; self.payerIban = payerIban; self.structuredReference = structuredReference
        self.endToEndId = endToEndId; self.reverses = reverses; self.sourceLocation = sourceLocation
    }

    public var money: Money { Money(minor: amount, currency: currency) }
}

/// Why an amount went from a payment or credit note to an invoice.
public enum AllocationRule: String, Sendable, Codable {
    /// The payment names the invoice exactly (its `invoice_number` column, or a token of its reference).
    case exactInvoiceNumber = "exact_invoice_number"
    /// A credit note naming its original invoice.
    case creditNoteOriginal = "credit_note_original"
    /// Stated by the source ledger (FEC lettering).
    case sourceLettering = "source_lettering"
    /// A prepaid amount stated on an e-invoice.
    case prepayment = "prepayment"
    /// Decided by a person through an action file or command.
    case manual = "manual"
}

/// A link stated by a source file between a credit (payment or credit note) and an invoice,
/// carried in an `IngestBatch` (e.g. FEC lettering) before the store resolves the ids.
public struct StatedAllocation: Sendable, Equatable {
    public enum Credit: Sendable, Equatable {
        case payment(id: String)
        case creditNote(number: String)
        /// Money already received before the invoice (e-invoice `PrepaidAmount`), no payment record.
        case prepaid
    }
    public var credit: Credit
    public var invoiceNumber: String
    public var amount: Int64
    public var currency: Currency
    public var rule: AllocationRule
    public var evidence: String

    public init(credit: Credit, invoiceNumber: String, amount: Int64, currency: Currency, rule: AllocationRule, evidence: String) {
        self.credit = credit; self.invoiceNumber = invoiceNumber; self.amount = amount; self.currency = currency
        self.rule = rule; self.evidence = evidence
    }
}
