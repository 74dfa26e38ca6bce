import RelanceCore

/// Turns the facts of one e-invoice into Relance records: the rules, once for UBL and CII.
///
/// - The receivable is the tax-inclusive total (UBL `TaxInclusiveAmount`, CII `GrandTotalAmount`).
/// - A prepaid amount on an invoice becomes a `StatedAllocation(credit: .prepaid, rule: .prepayment)`
///   on that invoice: the open amount is then what the customer is asked to pay.
/// - A prepayment invoice (386, "facture d'acompte") is a receivable like any other invoice; the
///   final invoice's `PrepaidAmount` refers to it and is recorded as above, so the down payment
///   is neither lost nor counted twice (386 paid by its payment, final invoice reduced by the
///   prepaid amount).
/// - A credit note is a UBL `CreditNote`, a credit-note type code (381…), or an invoice type code
///   with a negative total (French software sends "avoirs" as 380 with negative amounts); it is
///   recorded with positive amounts and the invoice it names. A credit note's own prepaid amount
///   (already refunded) is deducted from the credit it leaves to the customer, with a note.
/// - The seller must be the configured company (`CompanyMatcher`); otherwise it is a purchase.
/// - The buyer becomes the customer. Its id is, in order: the SIREN; the VAT number (compacted);
///   the id the seller gives the buyer (UBL `PartyIdentification/ID` without scheme, CII
///   `BuyerTradeParty/ID`); the buyer's name. The ERP CSV export must use the same id for the
///   same customer (or the CSV layout maps its SIREN column to the id) for both sources to
///   meet on one customer.
/// - The customer is a business unless it has no legal identifier at all (no SIREN, SIRET,
///   VAT, registration or scheme id) and its name begins with a personal title (M., Mme,
///   Monsieur, Madame, Mr, Mrs, Ms, Herr, Frau): then a consumer, whom the law treats
///   differently (no 40 € indemnity).
struct EInvoiceInterpreter {
    let facts: EInvoiceFacts
    let context: ReadContext

    /// The batch, and the document number (also when the total is zero and no document is recorded).
    func interpret() throws(InputRejection) -> (batch: IngestBatch, number: String) {
        guard let company = context.company else {
            throw context.reject(facts.rootPath, "company identity not configured (company: in relance.yaml): cannot tell sales from purchases")
        }
        guard let numberField = facts.number, !numberField.text.isEmpty else {
            throw context.reject(facts.rootPath, "no invoice number (\(facts.syntax == .ubl ? "ID" : "ExchangedDocument/ID"))")
        }
        let number = numberField.text

        // Type code: UBL may omit it (the root says invoice or credit note); CII must state it.
        let code: String
        if let t = facts.typeCode, !t.text.isEmpty {
            code = t.text
        } else if facts.syntax == .ubl {
            code = facts.root == "CreditNote" ? "381" : "380"
        } else {
            throw context.reject(facts.rootPath, "\(number): no document type code (TypeCode)")
        }
        let type = InvoiceTypeCode(code)
        switch type {
        case .proforma:
            throw context.reject(line: facts.typeCode?.line, facts.typeCode?.path, "\(number): type code 325 is a pro-forma invoice, not a claim to collect")
        case .unknown:
            throw context.reject(line: facts.typeCode?.line, facts.typeCode?.path,
                                 "\(number): type code '\(code)' is neither an invoice nor a credit note code of EN 16931")
        case .invoice, .creditNote:
            break
        }
        let creditByType = type == .creditNote || facts.root == "CreditNote"

        // The seller decides sale or purchase before anything else is judged.
        let matcher = CompanyMatcher(company)
        if !matcher.isCompany(facts.seller) {
            let what = creditByType ? "purchase credit note" : "purchase invoice"
            throw context.reject(facts.seller.path.isEmpty ? facts.rootPath : facts.seller.path,
                                 "seller \(facts.seller.summary) is not the company: this is a \(what) (the company is \(matcher.summary))")
        }

        var batch = IngestBatch(format: facts.syntax.rawValue)

        // Currency.
        let currency: Currency
        if let c = facts.currency, !c.text.isEmpty {
            guard let parsed = Currency(c.text) else {
                throw context.reject(line: c.line, c.path, "\(number): '\(c.text)' is not an ISO 4217 currency code")
            }
            currency = parsed
        } else {
            currency = context.defaultCurrency
            batch.notes.append("\(number): no document currency stated; \(currency) assumed")
        }

        // Amounts, in the document currency.
        guard let inclField = facts.taxInclusive else {
            throw context.reject(facts.rootPath, "\(number): no tax-inclusive total (\(facts.syntax == .ubl ? "LegalMonetaryTotal/TaxInclusiveAmount" : "GrandTotalAmount"))")
        }
        var incl = try parseAmount(inclField, currency, number)
        var excl = try facts.taxExclusive.map { f throws(InputRejection) in try parseAmount(f, currency, number) }
        var prepaid = try facts.prepaid.map { f throws(InputRejection) in try parseAmount(f, currency, number) } ?? 0
        var rounding = try facts.rounding.map { f throws(InputRejection) in try parseAmount(f, currency, number) } ?? 0
        var payable = try facts.payable.map { f throws(InputRejection) in try parseAmount(f, currency, number) }
        var tax: Int64?
        if let t = facts.taxTotals.first(where: { $0.qualifier == nil || Currency($0.qualifier ?? "") == currency }) {
            tax = try parseAmount(t, currency, number)
        }
        if let tc = facts.taxCurrency, let other = Currency(tc), other != currency {
            batch.notes.append("\(number): VAT also stated in \(other) (tax currency); amounts kept in the document currency \(currency)")
        }

        // Sign: a negative total turns the document around.
        var isCredit = creditByType
        if incl < 0 {
            isCredit.toggle()
            batch.notes.append(creditByType
                ? "\(number): credit note with negative totals, read as an invoice"
                : "\(number): type \(code) with negative totals, read as a credit note")
            func neg(_ v: Int64) -> Int64 { v == .min ? .max : -v }
            incl = neg(incl); excl = excl.map(neg); prepaid = neg(prepaid); rounding = neg(rounding)
            payable = payable.map(neg); tax = tax.map(neg)
        }
        if prepaid < 0 {
            throw context.reject(line: facts.prepaid?.line, facts.prepaid?.path, "\(number): prepaid amount has the opposite sign of the total")
        }
        if prepaid > incl {
            throw context.reject(line: facts.prepaid?.line, facts.prepaid?.path,
                                 "\(number): prepaid amount \(format(prepaid, currency)) exceeds the total \(format(incl, currency))")
        }
        if let payable {
            let (a, o1) = incl.subtractingReportingOverflow(prepaid)
            let (expected, o2) = a.addingReportingOverflow(rounding)
            if !o1 && !o2 && payable != expected {
                var parts = "total \(format(incl, currency)) − prepaid \(format(prepaid, currency))"
                if rounding != 0 { parts += " + rounding \(format(rounding, currency))" }
                batch.notes.append("\(number): amount due \(format(payable, currency)) differs from \(parts) = \(format(expected, currency)); the open amount follows the total and the prepaid amount")
            }
        }

        // Dates.
        guard let issueField = facts.issueDate else {
            throw context.reject(facts.rootPath, "\(number): no issue date")
        }
        let issueDate = try date(issueField, number, what: "issue date")
        var dues: [Day] = []
        for f in facts.dueDates { dues.append(try date(f, number, what: "due date")) }
        let dueDate = dues.min()
        if Set(dues).count > 1, let dueDate {
            batch.notes.append("\(number): several due dates stated (\(Set(dues).sorted().map(\.description).joined(separator: ", "))); the earliest, \(dueDate), is kept")
        }
        let deliveryDate = try facts.deliveryDate.map { f throws(InputRejection) in try date(f, number, what: "delivery date") }

        // Customer.
        let customer = try makeCustomer(number)
        batch.customers.append(customer)

        let referenceNumbers = facts.references.map(\.number)
        let kindNote: String?
        switch (isCredit, type) {
        case (false, .invoice(.corrective?)):
            kindNote = "\(number): corrective invoice (384, facture rectificative)\(referenceNumbers.first.map { " of \($0)" } ?? ""): a receivable of its own; the corrected invoice stays open unless a credit note cancels it"
        case (false, .invoice(.prepayment?)):
            kindNote = "\(number): prepayment invoice (386, facture d'acompte): a receivable like any other; the final invoice's prepaid amount refers to it"
        case (false, .invoice(.selfBilled?)):
            kindNote = "\(number): self-billed invoice (389, autofacturation) issued by the customer on the company's behalf"
        case (false, .invoice(.factored?)):
            kindNote = "\(number): factored invoice (393, affacturage): the customer pays the factor"
        default:
            kindNote = nil
        }
        if let kindNote { batch.notes.append(kindNote) }

        var amount = incl
        if isCredit && prepaid > 0 {
            amount = incl - prepaid
            batch.notes.append("\(number): credit note states \(format(prepaid, currency)) already settled (prepaid amount); the credit left to the customer is \(format(amount, currency)) of \(format(incl, currency))")
        }
        guard amount > 0 else {
            batch.notes.append("\(number): total is zero, nothing to collect; no document recorded")
            return (batch, number)
        }

        if !isCredit && dueDate == nil {
            if let terms = facts.paymentTerms.first {
                batch.notes.append("\(number): no due date stated, only payment terms \"\(terms)\"; the due date will be derived from the customer's terms")
            } else {
                batch.notes.append("\(number): no due date and no payment terms stated; the due date will be derived from the customer's terms")
            }
        }

        let original: String?
        switch (isCredit, type) {
        case (true, _), (false, .invoice(.corrective?)): original = referenceNumbers.first
        default: original = nil
        }

        batch.documents.append(Document(
            number: number, customerId: customer.id, customerName: customer.name,
            kind: isCredit ? .creditNote : .invoice, issueDate: issueDate, dueDate: dueDate, deliveryDate: deliveryDate,
            currency: currency, amountExclTax: excl, tax: tax, amount: amount, originalInvoice: original,
            paymentReference: facts.paymentReference.map(Self.normalisedPaymentReference),
            sourceLocation: "\(context.fileName): \(numberField.path) line \(numberField.line)"))

        if !isCredit && prepaid > 0 {
            let prepayments = facts.references.filter { $0.typeCode == "386" }.map(\.number)
            var evidence = "\(facts.syntax == .ubl ? "PrepaidAmount" : "TotalPrepaidAmount") \(format(prepaid, currency)) stated on invoice \(number)"
            if !prepayments.isEmpty {
                evidence += " (prepayment invoice \(prepayments.joined(separator: ", ")))"
            } else if !referenceNumbers.isEmpty {
                evidence += " (refers to \(referenceNumbers.joined(separator: ", ")))"
            }
            batch.allocations.append(StatedAllocation(credit: .prepaid, invoiceNumber: number, amount: prepaid,
                                                      currency: currency, rule: .prepayment, evidence: evidence))
        }
        return (batch, number)
    }

    // MARK: Customer

    private func makeCustomer(_ number: String) throws(InputRejection) -> Customer {
        let b = facts.buyer
        let name = b.name ?? b.tradingName
        guard let id = b.siren ?? b.vat ?? b.ownId ?? name else {
            throw context.reject(b.path.isEmpty ? facts.rootPath : b.path, "\(number): the buyer has neither an identifier nor a name")
        }
        let personal = !b.hasLegalIdentifier && Self.hasPersonalTitle(name ?? "")
        return Customer(id: id, name: name ?? id, siren: b.siren, vatNumber: b.vat, email: b.email,
                        address: b.addressLines.isEmpty ? nil : b.addressLines.joined(separator: ", "),
                        postalCode: b.postalCode, city: b.city, country: b.country ?? "FR",
                        kind: personal ? .consumer : .business)
    }

    static let personalTitles = ["M", "MR", "MRS", "MS", "MISS", "MME", "MLLE", "MONSIEUR", "MADAME", "MADEMOISELLE", "HERR", "FRAU"]

    static func hasPersonalTitle(_ name: String) -> Bool {
        let first = name.uppercased().split(whereSeparator: { $0 == " " || $0 == "." || $0 == "," }).first.map(String.init) ?? ""
        return personalTitles.contains(first)
    }

    // MARK: Values

    /// An xsd:decimal amount in the document currency's minor units; `currencyID`, when given, must match.
    private func parseAmount(_ f: EInvoiceFacts.Field, _ currency: Currency, _ number: String) throws(InputRejection) -> Int64 {
        if let q = f.qualifier, Currency(q) != currency {
            throw context.reject(line: f.line, f.path, "\(number): amount in '\(q)' while the document currency is \(currency)")
        }
        guard Self.isDecimalLexical(f.text) else {
            throw context.reject(line: f.line, f.path, "\(number): '\(f.text)' is not a decimal amount (digits with an optional '.' and sign)")
        }
        switch AmountParser.parse(f.text.utf8, decimal: .point, places: currency.minorUnits) {
        case .success(let v): return v
        case .failure(let e): throw context.reject(line: f.line, f.path, "\(number): \(e) '\(f.text)'")
        }
    }

    /// `[+-]? digits [. digits]` (xsd:decimal without grouping or exponent).
    static func isDecimalLexical(_ s: String) -> Bool {
        var u = Array(s.utf8)[...]
        if let f = u.first, f == 0x2B || f == 0x2D { u = u.dropFirst() }
        var digits = 0, dots = 0
        for c in u {
            if c >= 0x30 && c <= 0x39 { digits += 1 } else if c == 0x2E { dots += 1 } else { return false }
        }
        return digits > 0 && dots <= 1
    }

    /// UBL `yyyy-mm-dd` (an xsd:date time-zone suffix is ignored); CII `DateTimeString` format 102 `yyyymmdd`.
    private func date(_ f: EInvoiceFacts.Field, _ number: String, what: String) throws(InputRejection) -> Day {
        let t = f.text
        let u = Array(t.utf8)
        var day: Day?
        if facts.syntax == .ubl {
            let isDigit = { (c: UInt8) in c >= 0x30 && c <= 0x39 }
            let tzOK = u.count == 10 || (u.count == 11 && u[10] == 0x5A) || (u.count == 16 && (u[10] == 0x2B || u[10] == 0x2D))
            if tzOK, u.count >= 10, u[4] == 0x2D, u[7] == 0x2D, u[0..<4].allSatisfy(isDigit), u[5..<7].allSatisfy(isDigit), u[8..<10].allSatisfy(isDigit) {
                day = Day.parse(u[0..<10])
            }
        } else {
            if let format = f.qualifier, format != "102" {
                throw context.reject(line: f.line, f.path, "\(number): \(what) in format '\(format)'; only 102 (yyyymmdd) names a day")
            }
            if u.count == 8, u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { day = Day.parse(u) }
        }
        guard let day else {
            throw context.reject(line: f.line, f.path, "\(number): \(what) '\(t)' is not a valid \(facts.syntax == .ubl ? "yyyy-mm-dd" : "yyyymmdd") date")
        }
        return day
    }

    private func format(_ v: Int64, _ c: Currency) -> String { Money(minor: v, currency: c).description }

    /// A structured creditor reference (ISO 11649 `RF` + check digits, valid modulo 97) is
    /// compacted and upper-cased so that it compares with the bank's copy; anything else is kept as written.
    static func normalisedPaymentReference(_ s: String) -> String {
        let compact = String(s.unicodeScalars.filter { $0 != " " && $0 != "\u{A0}" }.map(Character.init)).uppercased()
        return isValidCreditorReference(compact) ? compact : s
    }

    static func isValidCreditorReference(_ r: String) -> Bool {
        let u = Array(r.utf8)
        guard u.count >= 5, u.count <= 25, u[0] == 0x52, u[1] == 0x46,
              u[2] >= 0x30 && u[2] <= 0x39, u[3] >= 0x30 && u[3] <= 0x39 else { return false }
        var remainder = 0
        for c in u[4...] + u[0..<4] {
            switch c {
            case 0x30...0x39: remainder = (remainder * 10 + Int(c - 0x30)) % 97
            case 0x41...0x5A: remainder = (remainder * 100 + Int(c - 0x41 + 10)) % 97
            default: return false
            }
        }
        return remainder == 1
    }
}
