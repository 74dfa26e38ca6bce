/// An invoice still (partly) unpaid, as reconciliation sees it ("facture ouverte").
public struct OpenInvoice: Sendable, Equatable {
    public var number: String
    public var customerId: String
    public var currency: Currency
    /// What is still owed, in minor units, after every allocation already recorded.
    public var openAmount: Int64
    public var issueDate: Day
    public var dueDate: Day?
    /// The reference the customer was asked to quote (ISO 11649 `RF…`, or a company pattern).
    public var paymentReference: String?

    public init(number: String, customerId: String, currency: Currency, openAmount: Int64, issueDate: Day,
                dueDate: Day? = nil, paymentReference: String? = nil) {
        self.number = number; self.customerId = customerId; self.currency = currency; self.openAmount = openAmount
        self.issueDate = issueDate; self.dueDate = dueDate; self.paymentReference = paymentReference
    }
}

/// A credit note ("avoir") with an unapplied remainder and no original invoice the store could
/// set it against: it is the customer's credit.
public struct OpenCreditNote: Sendable, Equatable {
    public var number: String
    public var customerId: String
    public var currency: Currency
    public var openAmount: Int64
    public var issueDate: Day

    public init(number: String, customerId: String, currency: Currency, openAmount: Int64, issueDate: Day) {
        self.number = number; self.customerId = customerId; self.currency = currency; self.openAmount = openAmount
        self.issueDate = issueDate
    }
}

/// A customer as payer identification needs it: its name and the IBANs of the master data.
public struct PayerCustomer: Sendable, Equatable {
    public var id: String
    public var name: String
    public var ibans: [String]

    public init(id: String, name: String, ibans: [String] = []) {
        self.id = id; self.name = name; self.ibans = ibans
    }
}

/// What earlier confirmed matches taught: this IBAN, or this payer name, belongs to that customer.
///
/// Pairs, not a dictionary: the same IBAN learned for two customers (a group paying for its
/// subsidiaries) must identify neither, so conflicts are kept to be seen.
public struct PayerKnowledge: Sendable, Equatable {
    public var ibans: [(iban: String, customerId: String)]
    /// Payer names as the bank wrote them; normalised by `PayerName.normalise` when indexed.
    public var names: [(name: String, customerId: String)]

    public init(ibans: [(iban: String, customerId: String)] = [], names: [(name: String, customerId: String)] = []) {
        self.ibans = ibans; self.names = names
    }

    public static func == (l: PayerKnowledge, r: PayerKnowledge) -> Bool {
        l.ibans.elementsEqual(r.ibans, by: { $0 == $1 }) && l.names.elementsEqual(r.names, by: { $0 == $1 })
    }
}

/// A payment (or what remains of it after earlier allocations) waiting for reconciliation.
public struct UnmatchedPayment: Sendable, Equatable {
    public var paymentId: String
    /// Known when the source names the customer (ERP export); empty for most bank lines.
    public var customerId: String?
    public var date: Day
    /// What is not yet allocated, minor units; negative for a return or reversal.
    public var remainingAmount: Int64
    public var currency: Currency
    /// Free remittance text (`Ustrd`, "libellé").
    public var reference: String?
    /// An invoice number the source put in its own column, possibly not exact.
    public var invoiceNumber: String?
    /// Structured creditor reference (`Strd/CdtrRefInf/Ref`).
    public var structuredReference: String?
    public var endToEndId: String?
    public var payerName: String?
    public var payerIban: String?

    public init(paymentId: String, customerId: String? = nil, date: Day, remainingAmount: Int64, currency: Currency,
                reference: String? = nil, invoiceNumber: String? = nil, structuredReference: String? = nil,
                endToEndId: String? = nil, payerName: String? = nil, payerIban: String? = nil) {
        self.paymentId = paymentId; self.customerId = customerId; self.date = date; self.remainingAmount = remainingAmount
        self.currency = currency; self.reference = reference; self.invoiceNumber = invoiceNumber
        self.structuredReference = structuredReference; self.endToEndId = endToEndId; self.payerName = payerName
        self.payerIban = payerIban
    }
}
