/// The canonical fields of Relance's CSV layouts, named by their English snake_case header.
///
/// A file's own labels (`N° facture`, `Invoice #`…) are mapped onto these by `CSVHeaderTable`
/// or by a user layout (`CSVLayoutMapping.columns`, keyed by the raw values below).
public enum CSVColumn: String, CaseIterable, Sendable, Hashable {
    // Customers ("fichier clients").
    case customerId = "customer_id"
    case name
    case siren
    case vatNumber = "vat_number"
    case email
    case phone
    case address
    case postalCode = "postal_code"
    case city
    case country
    case language
    case kind
    // Documents: invoices and credit notes ("factures et avoirs").
    case invoiceNumber = "invoice_number"
    case customerName = "customer_name"
    case issueDate = "issue_date"
    case dueDate = "due_date"
    case deliveryDate = "delivery_date"
    case currency
    case amountExclTax = "amount_excl_tax"
    case tax
    case amount
    case type
    case originalInvoice = "original_invoice"
    case paymentReference = "payment_reference"
    // Payments ("règlements").
    case paymentId = "payment_id"
    case date
    case reference
    case payerName = "payer_name"
    case payerIban = "payer_iban"
    /// "Mode de règlement": recognised (it marks a payments file) but not read.
    case paymentMethod = "payment_method"
    /// The mandatory column of action files (not supported yet): recognised to refuse them.
    case action

    /// The columns a file of `kind` may carry.
    public static func columns(of kind: CSVFileKind) -> [CSVColumn] {
        switch kind {
        case .customers:
            return [.customerId, .name, .siren, .vatNumber, .email, .phone, .address, .postalCode, .city, .country, .language, .kind]
        case .documents:
            return [.invoiceNumber, .customerId, .customerName, .issueDate, .dueDate, .deliveryDate, .currency,
                    .amountExclTax, .tax, .amount, .type, .originalInvoice, .paymentReference]
        case .payments:
            return [.paymentId, .customerId, .date, .amount, .currency, .reference, .invoiceNumber, .payerName, .payerIban, .paymentMethod]
        }
    }

    /// Required columns of each kind. A documents file needs a customer: `customer_id`, or
    /// failing that `customer_name` (whose value then serves as the id).
    public static func required(of kind: CSVFileKind) -> [CSVColumn] {
        switch kind {
        case .customers: return [.customerId, .name]
        case .documents: return [.invoiceNumber, .customerId, .issueDate, .amount]
        case .payments: return [.date, .amount]
        }
    }
}
