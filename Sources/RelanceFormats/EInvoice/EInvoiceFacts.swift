import RelanceCore

/// What an e-invoice says, before any interpretation, in one shape for UBL and CII.
///
/// The syntax-specific extractors (`UBLExtractor`, `CIIExtractor`) only find elements; the
/// rules (sign, credit notes, prepayments, seller check, customer id) live once in
/// `EInvoiceInterpreter`, so that the same invoice in UBL and in CII gives the same records.
struct EInvoiceFacts: Sendable {
    enum Syntax: String, Sendable {
        case ubl = "UBL 2.1"
        case cii = "CII"
        /// ZUGFeRD 1.0's `CrossIndustryDocument`: CII with other container names.
        case zugferd1 = "CII (ZUGFeRD 1.0)"
    }

    /// A value with the element it came from.
    struct Field: Sendable {
        var text: String
        var path: String
        var line: Int
        /// `currencyID` for amounts, `format` for CII dates.
        var qualifier: String?

        init(_ e: XMLTree, qualifier: String? = nil) {
            text = e.value ?? ""; path = e.path; line = e.line; self.qualifier = qualifier
        }
    }

    /// A document the invoice refers to (credit note's original, preceding or prepayment invoice).
    struct Reference: Sendable {
        var number: String
        /// UNTDID 1001 type code of the referenced document, when stated (`386` for a prepayment invoice).
        var typeCode: String?
    }

    var syntax: Syntax
    /// Root element: `Invoice`, `CreditNote`, `CrossIndustryInvoice`, `CrossIndustryDocument`.
    var root: String
    var rootPath: String
    var number: Field?
    var typeCode: Field?
    var issueDate: Field?
    /// Every stated due date (CII allows one per payment term).
    var dueDates: [Field] = []
    var deliveryDate: Field?
    var paymentTerms: [String] = []
    var currency: Field?
    var taxCurrency: String?

    var taxExclusive: Field?
    /// Every stated tax total, in whatever currency (UBL has one `TaxTotal` per currency).
    var taxTotals: [Field] = []
    var taxInclusive: Field?
    var prepaid: Field?
    var rounding: Field?
    var payable: Field?

    var seller = EInvoiceParty()
    var buyer = EInvoiceParty()
    var references: [Reference] = []
    var paymentReference: String?
}
