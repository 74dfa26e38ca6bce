import RelanceCore

/// Finds the facts of a UN/CEFACT Cross Industry Invoice (D16B, the XML inside Factur-X and
/// ZUGFeRD 2) and of its predecessor ZUGFeRD 1.0 `CrossIndustryDocument`, whose business
/// elements are the same under other container names (`HeaderExchangedDocument`,
/// `ApplicableSupplyChainTradeSettlement`…): each step below accepts both.
enum CIIExtractor {
    static let namespace = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    /// ZUGFeRD 1.0 (2014): still produced by older German software and found in archives.
    static let zugferd1Namespace = "urn:ferd:CrossIndustryDocument:invoice:1p0"

    static let skipped: Set<String> = ["IncludedSupplyChainTradeLineItem", "AdditionalReferencedDocument"]

    private static let document = "ExchangedDocument|HeaderExchangedDocument"
    private static let transaction = "SupplyChainTradeTransaction|SpecifiedSupplyChainTradeTransaction"
    private static let agreement = "ApplicableHeaderTradeAgreement|ApplicableSupplyChainTradeAgreement"
    private static let delivery = "ApplicableHeaderTradeDelivery|ApplicableSupplyChainTradeDelivery"
    private static let settlement = "ApplicableHeaderTradeSettlement|ApplicableSupplyChainTradeSettlement"
    private static let summation = "SpecifiedTradeSettlementHeaderMonetarySummation|SpecifiedTradeSettlementMonetarySummation"

    static func facts(_ root: XMLTree) -> EInvoiceFacts {
        var f = EInvoiceFacts(syntax: root.name == "CrossIndustryDocument" ? .zugferd1 : .cii, root: root.name, rootPath: root.path)
        let doc = root.first(document)
        f.number = doc?.child("ID").map { EInvoiceFacts.Field($0) }
        f.typeCode = doc?.child("TypeCode").map { EInvoiceFacts.Field($0) }
        f.issueDate = dateField(doc?.first("IssueDateTime", "DateTimeString"))

        let tx = root.first(transaction)
        let agreementNode = tx?.first(agreement)
        if let p = agreementNode?.child("SellerTradeParty") { f.seller = party(p) }
        if let p = agreementNode?.child("BuyerTradeParty") { f.buyer = party(p) }
        f.deliveryDate = dateField(tx?.first(delivery, "ActualDeliverySupplyChainEvent", "OccurrenceDateTime", "DateTimeString"))

        guard let s = tx?.first(settlement) else { return f }
        f.paymentReference = s.string("PaymentReference")
        f.currency = s.child("InvoiceCurrencyCode").map { EInvoiceFacts.Field($0) }
        f.taxCurrency = s.string("TaxCurrencyCode")
        let terms = s.children("SpecifiedTradePaymentTerms")
        f.paymentTerms = terms.compactMap { $0.string("Description") }
        f.dueDates = terms.flatMap { $0.all("DueDateDateTime", "DateTimeString") }.filter { $0.value != nil }.compactMap { dateField($0) }

        let sum = s.first(summation)
        func amount(_ name: String) -> EInvoiceFacts.Field? {
            sum?.child(name).map { EInvoiceFacts.Field($0, qualifier: $0.attributes["currencyID"]) }
        }
        f.taxExclusive = amount("TaxBasisTotalAmount")
        f.taxInclusive = amount("GrandTotalAmount")
        f.prepaid = amount("TotalPrepaidAmount")
        f.rounding = amount("RoundingAmount")
        f.payable = amount("DuePayableAmount")
        f.taxTotals = sum?.children("TaxTotalAmount").map { EInvoiceFacts.Field($0, qualifier: $0.attributes["currencyID"]) } ?? []

        f.references = s.children("InvoiceReferencedDocument").compactMap { r in
            r.string("IssuerAssignedID").map { EInvoiceFacts.Reference(number: $0, typeCode: r.string("TypeCode")) }
        }
        return f
    }

    /// A `udt:DateTimeString` with its `format` attribute as qualifier.
    private static func dateField(_ e: XMLTree?) -> EInvoiceFacts.Field? {
        e.map { EInvoiceFacts.Field($0, qualifier: $0.attributes["format"]) }
    }

    /// A CII `TradeParty`, looking only at its own children.
    static func party(_ p: XMLTree) -> EInvoiceParty {
        var party = EInvoiceParty()
        party.path = p.path
        party.name = p.string("Name") ?? p.string("SpecifiedLegalOrganization", "TradingBusinessName")
        party.tradingName = p.string("SpecifiedLegalOrganization", "TradingBusinessName")
        party.ownId = p.string("ID")
        for id in p.all("SpecifiedLegalOrganization", "ID") {
            if let v = id.value { party.identifiers.append(.init(role: .legal, scheme: id.attributes["schemeID"], value: v)) }
        }
        for id in p.children("GlobalID") {
            if let v = id.value { party.identifiers.append(.init(role: .global, scheme: id.attributes["schemeID"], value: v)) }
        }
        var endpointEmail: String?
        for uri in p.all("URIUniversalCommunication", "URIID") {
            guard let v = uri.value else { continue }
            let scheme = uri.attributes["schemeID"]
            if scheme == "EM" { endpointEmail = endpointEmail ?? v } else {
                party.identifiers.append(.init(role: .endpoint, scheme: scheme, value: v))
            }
        }
        for id in p.all("SpecifiedTaxRegistration", "ID") where id.attributes["schemeID"]?.uppercased() == "VA" {
            if let v = id.value { party.vatNumbers.append(v) }
        }
        party.email = p.string("DefinedTradeContact", "EmailURIUniversalCommunication", "URIID") ?? endpointEmail
        if let a = p.child("PostalTradeAddress") {
            party.addressLines = [a.string("LineOne"), a.string("LineTwo"), a.string("LineThree")].compactMap { $0 }
            party.postalCode = a.string("PostcodeCode")
            party.city = a.string("CityName")
            party.country = a.string("CountryID")?.uppercased()
        }
        return party
    }
}
