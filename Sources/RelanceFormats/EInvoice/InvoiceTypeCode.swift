/// What an e-invoice's UNTDID 1001 document type code means for collection.
///
/// The lists are the codes EN 16931 allows for invoices and for credit notes. Pro-forma
/// invoices (325) are not claims and are refused; any other code is refused too rather
/// than guessed.
enum InvoiceTypeCode: Sendable, Equatable {
    /// A claim on the customer.
    case invoice(Special?)
    /// "Avoir": reduces what the customer owes.
    case creditNote
    case proforma
    case unknown

    /// Invoices whose meaning deserves a note in the run summary.
    enum Special: Sendable, Equatable {
        /// 384 "facture rectificative": an invoice of its own that corrects an earlier one.
        case corrective
        /// 386 "facture d'acompte": the down payment is a receivable like any other; the final
        /// invoice then states it in `PrepaidAmount`, which Relance records as an allocation.
        case prepayment
        /// 389 "autofacturation": issued by the customer on the company's behalf.
        case selfBilled
        /// 393 "facture affacturée": the receivable was sold to a factor, who collects it.
        case factored
    }

    static let invoiceCodes: Set<String> = [
        "71", "80", "82", "84", "102", "218", "219", "326", "331", "380", "382", "383", "384", "386", "388", "389",
        "390", "393", "394", "395", "456", "457", "527", "553", "575", "623", "633", "751", "780", "817", "870",
        "875", "876", "877", "935",
    ]
    static let creditNoteCodes: Set<String> = ["81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"]

    init(_ code: String) {
        switch code {
        case "384": self = .invoice(.corrective)
        case "386": self = .invoice(.prepayment)
        case "389": self = .invoice(.selfBilled)
        case "393": self = .invoice(.factored)
        case "325": self = .proforma
        default:
            if Self.invoiceCodes.contains(code) { self = .invoice(nil) }
            else if Self.creditNoteCodes.contains(code) { self = .creditNote }
            else { self = .unknown }
        }
    }
}
