import RelanceCore

/// Finds the facts of an OASIS UBL 2.1 `Invoice` or `CreditNote` (EN 16931 / Peppol BIS /
/// XRechnung / French CTC customizations all share these elements).
enum UBLExtractor {
    static let invoiceNamespace = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    static let creditNoteNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

    /// Subtrees never needed for a receivable, skipped while reading: lines, signatures, and
    /// additional documents (they may embed megabytes of base64).
    static let skipped: Set<String> = ["InvoiceLine", "CreditNoteLine", "UBLExtensions", "Signature", "AdditionalDocumentReference"]

    static func facts(_ root: XMLTree) -> EInvoiceFacts {
        var f = EInvoiceFacts(syntax: .ubl, root: root.name, rootPath: root.path)
        f.number = root.child("ID").map { EInvoiceFacts.Field($0) }
        f.typeCode = (root.child("InvoiceTypeCode") ?? root.child("CreditNoteTypeCode")).map { EInvoiceFacts.Field($0) }
        f.issueDate = root.child("IssueDate").map { EInvoiceFacts.Field($0) }
        // UBL 2.1 Invoice has a header DueDate; CreditNote (and UBL 2.0 habits) use PaymentMeans/PaymentDueDate.
        f.dueDates = (root.children("DueDate") + root.all("PaymentMeans", "PaymentDueDate")).filter { $0.value != nil }.map { EInvoiceFacts.Field($0) }
        f.deliveryDate = root.all("Delivery", "ActualDeliveryDate").first { $0.value != nil }.map { EInvoiceFacts.Field($0) }
        f.paymentTerms = root.all("PaymentTerms", "Note").compactMap(\.value)
        f.currency = root.child("DocumentCurrencyCode").map { EInvoiceFacts.Field($0) }
        f.taxCurrency = root.string("TaxCurrencyCode")

        let totals = root.child("LegalMonetaryTotal")
        func amount(_ name: String) -> EInvoiceFacts.Field? {
            totals?.child(name).map { EInvoiceFacts.Field($0, qualifier: $0.attributes["currencyID"]) }
        }
        f.taxExclusive = amount("TaxExclusiveAmount")
        f.taxInclusive = amount("TaxInclusiveAmount")
        f.prepaid = amount("PrepaidAmount")
        f.rounding = amount("PayableRoundingAmount")
        f.payable = amount("PayableAmount")
        f.taxTotals = root.all("TaxTotal", "TaxAmount").map { EInvoiceFacts.Field($0, qualifier: $0.attributes["currencyID"]) }

        if let p = root.first("AccountingSupplierParty", "Party") { f.seller = party(p) }
        if let p = root.first("AccountingCustomerParty", "Party") { f.buyer = party(p) }

        f.references = root.all("BillingReference", "InvoiceDocumentReference").compactMap { r in
            r.string("ID").map { EInvoiceFacts.Reference(number: $0, typeCode: r.string("DocumentTypeCode")) }
        }
        f.paymentReference = root.all("PaymentMeans", "PaymentID").lazy.compactMap(\.value).first
        return f
    }

    /// A UBL `cac:Party`, looking only at its own children (not the agent or service provider nested in it).
    static func party(_ p: XMLTree) -> EInvoiceParty {
        var party = EInvoiceParty()
        party.path = p.path
        party.name = p.string("PartyLegalEntity", "RegistrationName") ?? p.string("PartyName", "Name")
        party.tradingName = p.string("PartyName", "Name")
        for le in p.children("PartyLegalEntity") {
            if let id = le.child("CompanyID"), let v = id.value {
                party.identifiers.append(.init(role: .legal, scheme: id.attributes["schemeID"], value: v))
            }
        }
        for id in p.all("PartyIdentification", "ID") {
            guard let v = id.value else { continue }
            if let scheme = id.attributes["schemeID"] {
                party.identifiers.append(.init(role: .global, scheme: scheme, value: v))
            } else if party.ownId == nil {
                party.ownId = v
            }
        }
        var endpointEmail: String?
        if let e = p.child("EndpointID"), let v = e.value {
            let scheme = e.attributes["schemeID"]
            if scheme == "EM" { endpointEmail = v } else {
                party.identifiers.append(.init(role: .endpoint, scheme: scheme, value: v))
            }
        }
        for ts in p.children("PartyTaxScheme") {
            let scheme = ts.string("TaxScheme", "ID")?.uppercased()
            if let v = ts.string("CompanyID"), scheme == nil || scheme == "VAT" { party.vatNumbers.append(v) }
        }
        party.email = p.string("Contact", "ElectronicMail") ?? endpointEmail
        if let a = p.child("PostalAddress") {
            party.addressLines = [a.string("StreetName"), a.string("AdditionalStreetName")].compactMap { $0 }
                + a.all("AddressLine", "Line").compactMap(\.value)
            party.postalCode = a.string("PostalZone")
            party.city = a.string("CityName")
            party.country = a.string("Country", "IdentificationCode")?.uppercased()
        }
        return party
    }
}
