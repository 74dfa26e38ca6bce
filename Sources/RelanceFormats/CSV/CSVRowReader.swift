import RelanceCore

/// Turns the data rows after a recognised header into core records (see `CSVReader`).
///
/// Two steps: one pass over the rows reads every non-amount field, checks it, and remembers
/// the byte range of each amount; then each amount column gets its decimal separator from all
/// of its values (`AmountColumnDecision`) and the remembered ranges are parsed. Records are
/// assembled only when no issue was found: a file is ingested whole or not at all.
struct CSVRowReader {
    let layout: CSVLayout
    let context: ReadContext
    var tokenizer: CSVTokenizer
    var issues: IssueCollector
    var fields: [CSVField] = []
    /// Set when the current row has an issue: its record is not built.
    var rowIsBad = false
    var anyIssue = false
    var notes: [String] = []

    // Per data row, in file order.
    var rowLines: [Int] = []
    /// Index of the row's record in the output, or -1 when the row had an issue.
    var rowRecord: [Int] = []
    var rowPlaces: [UInt8] = []
    var amountSlots: [AmountSlot] = []

    /// One amount column: its decision and every row's byte range (-1, -1 when empty).
    struct AmountSlot {
        var column: CSVColumn
        var index: Int
        var required: Bool
        var decision = AmountColumnDecision()
        var ranges: [Int] = []
        /// Parsed values per row; `Int64.min` when empty or invalid.
        var values: [Int64] = []
    }

    init(layout: CSVLayout, context: ReadContext, tokenizer: CSVTokenizer) {
        self.layout = layout
        self.context = context
        self.tokenizer = tokenizer
        self.issues = IssueCollector(cap: context.issueCap)
    }

    func col(_ c: CSVColumn) -> Int { layout.index[c] ?? -1 }

    // MARK: - Row helpers

    /// The trimmed field at `index`, nil when absent or blank.
    @inline(__always)
    func span(_ index: Int) -> CSVField? {
        guard index >= 0 && index < fields.count else { return nil }
        var f = fields[index]
        let b = tokenizer.bytes
        while f.start < f.end && (b[f.start] == 0x20 || b[f.start] == 0x09) { f.start += 1 }
        while f.end > f.start && (b[f.end - 1] == 0x20 || b[f.end - 1] == 0x09) { f.end -= 1 }
        return f.start == f.end ? nil : f
    }

    @inline(__always)
    func string(_ index: Int) -> String? {
        guard let f = span(index) else { return nil }
        return tokenizer.text(of: f)
    }

    func excerpt(_ f: CSVField) -> String {
        let s = tokenizer.text(of: f)
        return s.count > 40 ? String(s.prefix(40)) + "…" : s
    }

    mutating func flag(_ line: Int, _ column: CSVColumn?, _ reason: String) {
        issues.add(context.issue(line: line, column.map { layout.label($0) }, reason))
        rowIsBad = true
        anyIssue = true
    }

    mutating func flagFile(_ line: Int?, _ location: String?, _ reason: String) {
        issues.add(context.issue(line: line, location, reason))
        anyIssue = true
    }

    /// A required text value.
    mutating func required(_ column: CSVColumn, _ line: Int) -> String? {
        if let s = string(col(column)) { return s }
        flag(line, column, "required value is missing")
        return nil
    }

    /// A required key (document number, payment id…), noted in `seen` for the duplicate check.
    mutating func key(_ index: Int, _ column: CSVColumn, _ line: Int, seen: inout CSVDuplicateIndex) -> String? {
        guard let f = span(index) else {
            flag(line, column, "required value is missing")
            return nil
        }
        tokenizer.bytes.withUnsafeBufferPointer { seen.add($0, start: f.start, end: f.end, line: line) }
        return tokenizer.text(of: f)
    }

    /// Reports the keys of `seen` that repeat.
    mutating func reportDuplicates(_ seen: CSVDuplicateIndex, _ column: CSVColumn, what: String) {
        let duplicates = tokenizer.bytes.withUnsafeBufferPointer { seen.duplicates($0) }
        for d in duplicates {
            let text = excerpt(CSVField(start: d.start, end: d.end, quoted: true, hasEscapedQuotes: true))
            flag(d.line, column, "duplicate \(what) '\(text)' (first on line \(d.first))")
        }
    }

    /// `line N`: two small strings joined, no interpolation machinery (a million times per big file).
    static func location(_ line: Int) -> String {
        "line " + String(line)
    }

    mutating func date(_ index: Int, _ column: CSVColumn, _ line: Int, required: Bool) -> Day? {
        guard let f = span(index) else {
            if required { flag(line, column, "required value is missing") }
            return nil
        }
        // Through `Day.parse(String)`: a date is a small string (no allocation), and that entry
        // point is specialised inside RelanceCore where the generic one would not be.
        let day = Day.parse(tokenizer.text(of: f), order: layout.dateOrder)
        if day == nil { flag(line, column, "invalid date '\(excerpt(f))'") }
        return day
    }

    /// The row's currency: the column's value, or the context's default when absent or empty.
    mutating func currency(_ index: Int, _ line: Int) -> Currency {
        guard let f = span(index) else { return context.defaultCurrency }
        let b = tokenizer.bytes
        if f.count == 3, let c = Currency(bytes: b[f.start], b[f.start + 1], b[f.start + 2]) { return c }
        flag(line, .currency, "invalid currency code '\(excerpt(f))'")
        return context.defaultCurrency
    }

    /// Remembers the amount fields of the row for the second step.
    mutating func noteAmounts(_ line: Int) {
        for s in amountSlots.indices {
            let index = amountSlots[s].index
            if let f = span(index) {
                amountSlots[s].ranges.append(f.start)
                amountSlots[s].ranges.append(f.end)
                tokenizer.bytes.withUnsafeBufferPointer { buf in
                    amountSlots[s].decision.observe(UnsafeBufferPointer(rebasing: buf[f.start..<f.end]), line: line)
                }
            } else {
                amountSlots[s].ranges.append(-1)
                amountSlots[s].ranges.append(-1)
                if amountSlots[s].required { flag(line, amountSlots[s].column, "required value is missing") }
            }
        }
    }

    var lastCurrency = Currency.eur
    var lastPlaces = 2

    mutating func places(of c: Currency) -> Int {
        if c != lastCurrency { lastCurrency = c; lastPlaces = c.minorUnits }
        return lastPlaces
    }

    // MARK: - The row loop

    /// Reads every data row, calling `body` for each non-blank one with its line.
    /// Returns false when nothing follows the header.
    mutating func eachRow(_ body: (inout CSVRowReader, Int) -> Void) -> Bool {
        var dataRows = 0
        let width = layout.labels.count
        while true {
            let line: Int
            do {
                guard let l = try tokenizer.nextRecord(into: &fields) else { break }
                line = l
            } catch {
                flagFile(error.line, nil, error.reason)
                if error.kind == .unterminatedQuote { break }
                tokenizer.skipPhysicalLine()
                dataRows += 1
                continue
            }
            if isBlankRecord() { continue }
            dataRows += 1
            rowIsBad = false
            if fields.count > width {
                var extra = false
                for i in width..<fields.count where span(i) != nil { extra = true; break }
                if extra {
                    flag(line, nil, "row has \(fields.count) fields but the header has \(width) (a delimiter inside an unquoted value?)")
                }
            }
            body(&self, line)
        }
        return dataRows > 0
    }

    func isBlankRecord() -> Bool {
        for i in fields.indices where span(i) != nil { return false }
        return true
    }

    // MARK: - Assembly

    /// Decides each amount column and parses its values; issues go to `issues`.
    mutating func parseAmounts() {
        let fallback: DecimalSeparator = tokenizer.delimiter == 0x2C ? .point : .comma
        for s in amountSlots.indices {
            let slot = amountSlots[s]
            let label = layout.label(slot.column)
            let decimal: DecimalSeparator
            switch slot.decision.outcome(fallback: fallback, configured: layout.decimalSeparator) {
            case let .decided(d):
                decimal = d
            case let .inconsistent(commaLine, pointLine):
                flagFile(max(commaLine, pointLine), label,
                         "inconsistent decimal separator: decimal comma on line \(commaLine), decimal point on line \(pointLine)")
                continue
            case let .ambiguous(line, text):
                flagFile(line, label,
                         "ambiguous amount '\(text)': every value of the column reads with a decimal comma or a decimal point; set the layout's decimal separator")
                continue
            }
            var values = [Int64](repeating: .min, count: rowLines.count)
            tokenizer.bytes.withUnsafeBufferPointer { buf in
                for r in 0..<rowLines.count {
                    let start = slot.ranges[2 * r], end = slot.ranges[2 * r + 1]
                    if start < 0 { continue }
                    switch AmountParser.parse(UnsafeBufferPointer(rebasing: buf[start..<end]), decimal: decimal, places: Int(rowPlaces[r])) {
                    case let .success(v):
                        values[r] = v
                    case let .failure(e):
                        let text = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
                        issues.add(context.issue(line: rowLines[r], label, "invalid amount '\(text)': \(e)"))
                        anyIssue = true
                    }
                }
            }
            amountSlots[s].values = values
        }
    }

    func rejection() -> InputRejection {
        // Row issues come from the first pass, amount issues from the second: order by line,
        // keeping the order of discovery within a line.
        let all = issues.issues.enumerated().sorted { a, b in
            let la = a.element.line ?? 0, lb = b.element.line ?? 0
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
        return InputRejection(all, omitted: issues.omitted)
    }

    func headerOnly() -> InputRejection {
        context.reject(line: layout.headerLine, nil, "header only: no data rows after the header")
    }

    // MARK: - Kinds

    /// Reserves the per-row arrays for `n` rows.
    mutating func reserve(_ n: Int) {
        rowLines.reserveCapacity(n)
        rowRecord.reserveCapacity(n)
        rowPlaces.reserveCapacity(n)
        for s in amountSlots.indices { amountSlots[s].ranges.reserveCapacity(2 * n) }
    }

    mutating func read() throws(InputRejection) -> IngestBatch {
        var batch = IngestBatch(format: "\(layout.kind.rawValue) CSV")
        switch layout.kind {
        case .customers: batch.customers = try readCustomers()
        case .documents: batch.documents = try readDocuments()
        case .payments: batch.payments = try readPayments()
        }
        if let name = layout.layoutName { notes.insert("read with layout '\(name)'", at: 0) }
        batch.notes = notes
        return batch
    }

    mutating func readCustomers() throws(InputRejection) -> [Customer] {
        var out: [Customer] = []
        out.reserveCapacity(tokenizer.remainingRecordEstimate)
        var seen = CSVDuplicateIndex()
        let iId = col(.customerId)
        let hasRows = eachRow { r, line in
            let id = r.key(iId, .customerId, line, seen: &seen)
            let name = r.required(.name, line)
            var kind = CustomerKind.business
            if let text = r.string(r.col(.kind)) {
                if let k = CSVValueVocabulary.customerKind(text) { kind = k } else {
                    r.flag(line, .kind, "unknown customer kind '\(text)' (expected business or consumer, professionnel or particulier)")
                }
            }
            var country: String?
            if let text = r.string(r.col(.country)) {
                country = CSVValueVocabulary.country(text)
                if country == nil { r.flag(line, .country, "unknown country '\(text)' (expected an ISO 3166 two-letter code)") }
            }
            var language: String?
            if let text = r.string(r.col(.language)) {
                language = CSVValueVocabulary.language(text)
                if language == nil { r.flag(line, .language, "unknown language '\(text)' (expected a two-letter code such as fr or en)") }
            }
            guard !r.rowIsBad, let id, let name else { return }
            out.append(Customer(id: id, name: name, siren: r.string(r.col(.siren)), vatNumber: r.string(r.col(.vatNumber)),
                                email: r.string(r.col(.email)), phone: r.string(r.col(.phone)), address: r.string(r.col(.address)),
                                postalCode: r.string(r.col(.postalCode)), city: r.string(r.col(.city)), country: country,
                                language: language, kind: kind))
        }
        reportDuplicates(seen, .customerId, what: "customer id")
        if anyIssue { throw rejection() }
        if !hasRows { throw headerOnly() }
        return out
    }

    mutating func readDocuments() throws(InputRejection) -> [Document] {
        amountSlots = [AmountSlot(column: .amount, index: col(.amount), required: true)]
        if col(.amountExclTax) >= 0 { amountSlots.append(AmountSlot(column: .amountExclTax, index: col(.amountExclTax), required: false)) }
        if col(.tax) >= 0 { amountSlots.append(AmountSlot(column: .tax, index: col(.tax), required: false)) }
        let customerColumn: CSVColumn = col(.customerId) >= 0 ? .customerId : .customerName
        if customerColumn == .customerName {
            notes.append("no customer code column: customers are identified by their name")
        }
        let iName = col(.customerName), iOriginal = col(.originalInvoice), iRef = col(.paymentReference), iType = col(.type)
        let iNumber = col(.invoiceNumber), iCustomer = col(customerColumn), iIssue = col(.issueDate), iDue = col(.dueDate)
        let iDelivery = col(.deliveryDate), iCurrency = col(.currency)
        let estimate = tokenizer.remainingRecordEstimate
        reserve(estimate)
        var out: [Document] = []
        out.reserveCapacity(estimate)
        var explicitCredit: [Bool] = []
        explicitCredit.reserveCapacity(estimate)
        var seen = CSVDuplicateIndex()
        let hasRows = eachRow { r, line in
            let number = r.key(iNumber, .invoiceNumber, line, seen: &seen)
            let customer = r.string(iCustomer)
            if customer == nil { r.flag(line, customerColumn, "required value is missing") }
            let issue = r.date(iIssue, .issueDate, line, required: true)
            let due = r.date(iDue, .dueDate, line, required: false)
            let delivery = r.date(iDelivery, .deliveryDate, line, required: false)
            let currency = r.currency(iCurrency, line)
            var credit = false
            if let f = r.span(iType) {
                let type = r.tokenizer.bytes.withUnsafeBufferPointer {
                    CSVValueVocabulary.documentType(UnsafeBufferPointer(rebasing: $0[f.start..<f.end]))
                }
                switch type {
                case .invoice?: break
                case .creditNote?: credit = true
                case nil: r.flag(line, .type, "unknown document type '\(r.excerpt(f))' (expected invoice, facture, F, FA, or credit note, avoir, AV)")
                }
            }
            r.rowLines.append(line)
            r.rowPlaces.append(UInt8(r.places(of: currency)))
            r.noteAmounts(line)
            guard !r.anyIssue, let number, let customer, let issue else {
                r.rowRecord.append(-1)
                return
            }
            r.rowRecord.append(out.count)
            explicitCredit.append(credit)
            out.append(Document(number: number, customerId: customer, customerName: r.string(iName), kind: credit ? .creditNote : .invoice,
                                issueDate: issue, dueDate: due, deliveryDate: delivery, currency: currency, amount: 0,
                                originalInvoice: r.string(iOriginal), paymentReference: r.string(iRef), sourceLocation: Self.location(line)))
        }
        if !hasRows && !anyIssue { throw headerOnly() }
        reportDuplicates(seen, .invoiceNumber, what: "document number")
        parseAmounts()
        if anyIssue { throw rejection() }
        // Signs: a credit-note type or a negative total makes a credit note; amounts are then positive.
        let amounts = amountSlots[0].values
        let ht = amountSlots.first { $0.column == .amountExclTax }?.values
        let tax = amountSlots.first { $0.column == .tax }?.values
        var zeroLines: [Int] = []
        var keep = [Bool](repeating: true, count: out.count)
        for r in 0..<rowLines.count {
            let i = rowRecord[r]
            guard i >= 0 else { continue }
            let total = amounts[r]
            let credit = explicitCredit[i] || total < 0
            if total == 0 { zeroLines.append(rowLines[r]); keep[i] = false; continue }
            func adjust(_ v: Int64?) -> Int64? {
                guard let v, v != .min else { return nil }
                return credit ? (v == .min ? v : abs(v)) : v
            }
            out[i].kind = credit ? .creditNote : .invoice
            out[i].amount = abs(total)
            out[i].amountExclTax = adjust(ht?[r])
            out[i].tax = adjust(tax?[r])
        }
        if !zeroLines.isEmpty {
            out = zip(out, keep).filter(\.1).map(\.0)
            notes.append("\(zeroLines.count) zero-amount document(s) skipped (line \(zeroLines.prefix(10).map(String.init).joined(separator: ", "))\(zeroLines.count > 10 ? ", …" : ""))")
        }
        return out
    }

    mutating func readPayments() throws(InputRejection) -> [Payment] {
        amountSlots = [AmountSlot(column: .amount, index: col(.amount), required: true)]
        let iId = col(.paymentId), iCustomer = col(.customerId), iRef = col(.reference), iInvoice = col(.invoiceNumber)
        let iPayer = col(.payerName), iIban = col(.payerIban)
        if iId < 0 {
            notes.append("no payment id column: each payment is identified by the file name and its line (\(context.fileName)#LINE)")
        }
        let iDate = col(.date), iCurrency = col(.currency)
        let estimate = tokenizer.remainingRecordEstimate
        reserve(estimate)
        var out: [Payment] = []
        out.reserveCapacity(estimate)
        var seen = CSVDuplicateIndex()
        let hasRows = eachRow { r, line in
            var id: String?
            if iId >= 0 {
                id = r.key(iId, .paymentId, line, seen: &seen)
            } else {
                id = "\(r.context.fileName)#\(line)"
            }
            let date = r.date(iDate, .date, line, required: true)
            let currency = r.currency(iCurrency, line)
            r.rowLines.append(line)
            r.rowPlaces.append(UInt8(r.places(of: currency)))
            r.noteAmounts(line)
            guard !r.anyIssue, let id, let date else {
                r.rowRecord.append(-1)
                return
            }
            var iban = r.string(iIban)
            if let s = iban { iban = String(s.unicodeScalars.filter { $0 != " " && $0 != "\u{A0}" }).uppercased() }
            r.rowRecord.append(out.count)
            out.append(Payment(paymentId: id, customerId: r.string(iCustomer), date: date, amount: 0, currency: currency,
                               reference: r.string(iRef), invoiceNumber: r.string(iInvoice), payerName: r.string(iPayer),
                               payerIban: iban, sourceLocation: Self.location(line)))
        }
        if !hasRows && !anyIssue { throw headerOnly() }
        reportDuplicates(seen, .paymentId, what: "payment id")
        parseAmounts()
        if anyIssue { throw rejection() }
        let amounts = amountSlots[0].values
        var zeroLines: [Int] = []
        var keep = [Bool](repeating: true, count: out.count)
        for r in 0..<rowLines.count {
            let i = rowRecord[r]
            guard i >= 0 else { continue }
            if amounts[r] == 0 { zeroLines.append(rowLines[r]); keep[i] = false; continue }
            out[i].amount = amounts[r]
        }
        if !zeroLines.isEmpty {
            out = zip(out, keep).filter(\.1).map(\.0)
            notes.append("\(zeroLines.count) zero-amount payment(s) skipped (line \(zeroLines.prefix(10).map(String.init).joined(separator: ", "))\(zeroLines.count > 10 ? ", …" : ""))")
        }
        return out
    }
}
