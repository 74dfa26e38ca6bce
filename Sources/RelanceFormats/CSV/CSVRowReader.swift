import RelanceCore

/// Turns the data rows after a recognised header into core records (see `CSVReader`).
///
/// One pass over the rows reads and checks every field. Each amount column's decimal separator
/// is decided over all of its values (`AmountColumnDecision`), but a column's first value that
/// shows its separator fixes how the following ones are parsed on the fly; the few values seen
/// before it (whole numbers, `1.234`) wait in `pending` and are parsed at the end, when the
/// decision is known. A column found inconsistent or ambiguous at the end rejects the file, so
/// the values parsed on the way are then never used. Records are kept only when no issue was
/// found: a file is ingested whole or not at all.
struct CSVRowReader {
    let layout: CSVLayout
    let context: ReadContext
    var tokenizer: CSVTokenizer
    var issues: IssueCollector
    var fields: [CSVField] = []
    /// The tokenizer's bytes while `eachRow` runs (set and cleared there): field access without
    /// an array retain and release per field.
    var buf = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// Set when the current row has an issue: its record is not built.
    var rowIsBad = false
    var anyIssue = false
    var notes: [String] = []
    /// Issues dropped before reaching `issues` (deferred amount errors past the cap).
    var uncounted = 0

    // Per data row, in file order.
    var rowLines: [Int] = []
    var rowPlaces: [UInt8] = []
    var amountSlots: [AmountSlot] = []

    /// One amount column: its decision, and every row's value.
    struct AmountSlot {
        var column: CSVColumn
        var index: Int
        var required: Bool
        var decision = AmountColumnDecision()
        /// The configured separator, or the one shown by the column's first telling value.
        var provisional: DecimalSeparator?
        /// Values met before `provisional` was known: (row, byte range).
        var pending: [(row: Int, start: Int, end: Int)] = []
        /// Parse errors met on the way, reported only if the column's decision holds.
        var deferred: [InputIssue] = []
        /// Parse errors beyond the cap, counted only.
        var deferredDropped = 0
        /// Per row: the value, `missing` (empty or invalid) or `waiting` (in `pending`).
        var values: [Int64] = []

        static let missing = Int64.min
        static let waiting = Int64.min + 1
    }

    init(layout: CSVLayout, context: ReadContext, tokenizer: CSVTokenizer) {
        self.layout = layout
        self.context = context
        self.tokenizer = tokenizer
        self.issues = IssueCollector(cap: context.issueCap)
    }

    func col(_ c: CSVColumn) -> Int { layout.index[c] ?? -1 }

    // MARK: - Row helpers

    /// The trimmed field at `index`, nil when absent or blank. Only while `eachRow` runs.
    @inline(__always)
    func span(_ index: Int) -> CSVField? {
        guard index >= 0 && index < fields.count else { return nil }
        var f = fields[index]
        while f.start < f.end && (buf[f.start] == 0x20 || buf[f.start] == 0x09) { f.start += 1 }
        while f.end > f.start && (buf[f.end - 1] == 0x20 || buf[f.end - 1] == 0x09) { f.end -= 1 }
        return f.start == f.end ? nil : f
    }

    @inline(__always)
    func text(_ f: CSVField) -> String {
        f.hasEscapedQuotes ? tokenizer.text(of: f) : String(decoding: UnsafeBufferPointer(rebasing: buf[f.start..<f.end]), as: UTF8.self)
    }

    @inline(__always)
    func string(_ index: Int) -> String? {
        guard let f = span(index) else { return nil }
        return text(f)
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
        seen.add(buf, start: f.start, end: f.end, line: line)
        return text(f)
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
        let day = Day.parse(text(f), order: layout.dateOrder)
        if day == nil { flag(line, column, "invalid date '\(excerpt(f))'") }
        return day
    }

    /// The row's currency: the column's value, or the context's default when absent or empty.
    mutating func currency(_ index: Int, _ line: Int) -> Currency {
        guard let f = span(index) else { return context.defaultCurrency }
        if f.count == 3, let c = Currency(bytes: buf[f.start], buf[f.start + 1], buf[f.start + 2]) { return c }
        flag(line, .currency, "invalid currency code '\(excerpt(f))'")
        return context.defaultCurrency
    }

    /// Reads the amount fields of the row (see the type's documentation).
    mutating func noteAmounts(_ line: Int, places: Int) {
        let row = rowLines.count - 1
        for s in amountSlots.indices {
            guard let f = span(amountSlots[s].index) else {
                amountSlots[s].values.append(AmountSlot.missing)
                if amountSlots[s].required { flag(line, amountSlots[s].column, "required value is missing") }
                continue
            }
            do {
                let text = UnsafeBufferPointer(rebasing: buf[f.start..<f.end])
                amountSlots[s].decision.observe(text, line: line)
                if amountSlots[s].provisional == nil {
                    if amountSlots[s].decision.commaVotes > 0 {
                        amountSlots[s].provisional = .comma
                    } else if amountSlots[s].decision.pointVotes > 0 {
                        amountSlots[s].provisional = .point
                    }
                }
                guard let decimal = amountSlots[s].provisional else {
                    amountSlots[s].pending.append((row, f.start, f.end))
                    amountSlots[s].values.append(AmountSlot.waiting)
                    continue
                }
                switch AmountParser.parse(text, decimal: decimal, places: places) {
                case let .success(v):
                    amountSlots[s].values.append(v)
                case let .failure(e):
                    amountSlots[s].values.append(AmountSlot.missing)
                    if amountSlots[s].deferred.count < context.issueCap {
                        amountSlots[s].deferred.append(context.issue(line: line, layout.label(amountSlots[s].column),
                                                                     "invalid amount '\(String(decoding: text, as: UTF8.self))': \(e)"))
                    } else {
                        amountSlots[s].deferredDropped += 1
                    }
                    anyIssue = true
                    rowIsBad = true
                }
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
        let bytes = tokenizer.bytes
        return bytes.withUnsafeBufferPointer { b -> Bool in
            buf = b
            defer { buf = UnsafeBufferPointer(start: nil, count: 0) }
            return rowLoop(body)
        }
    }

    private mutating func rowLoop(_ body: (inout CSVRowReader, Int) -> Void) -> Bool {
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

    /// Settles each amount column: reports its decision's problems, or the parse errors met on
    /// the way and those of its pending values.
    mutating func finishAmounts() {
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
            for issue in slot.deferred { issues.add(issue) }
            uncounted += slot.deferredDropped
            tokenizer.bytes.withUnsafeBufferPointer { buf in
                for p in slot.pending {
                    let text = UnsafeBufferPointer(rebasing: buf[p.start..<p.end])
                    switch AmountParser.parse(text, decimal: decimal, places: Int(rowPlaces[p.row])) {
                    case let .success(v):
                        amountSlots[s].values[p.row] = v
                    case let .failure(e):
                        amountSlots[s].values[p.row] = AmountSlot.missing
                        issues.add(context.issue(line: rowLines[p.row], label, "invalid amount '\(String(decoding: text, as: UTF8.self))': \(e)"))
                        anyIssue = true
                    }
                }
            }
        }
    }

    /// The row's amounts once known: kind and positive amounts of a document. A credit-note type
    /// or a negative total makes a credit note; nil for a zero total.
    func documentAmounts(_ row: Int, explicitCredit: Bool) -> (kind: DocumentKind, amount: Int64, exclTax: Int64?, tax: Int64?)? {
        let total = amountSlots[0].values[row]
        if total == 0 { return nil }
        let credit = explicitCredit || total < 0
        func optional(_ slot: Int) -> Int64? {
            guard slot < amountSlots.count else { return nil }
            let v = amountSlots[slot].values[row]
            if v == AmountSlot.missing || v == AmountSlot.waiting { return nil }
            return credit ? abs(v) : v
        }
        return (credit ? .creditNote : .invoice, abs(total), optional(1), optional(2))
    }

    /// True when some amount of the row waits for its column's decision.
    func isWaiting(_ row: Int) -> Bool {
        amountSlots.contains { $0.values[row] == AmountSlot.waiting }
    }

    func zeroNote(_ lines: [Int], _ what: String) -> String {
        "\(lines.count) zero-amount \(what)(s) skipped (line \(lines.prefix(10).map(String.init).joined(separator: ", "))\(lines.count > 10 ? ", …" : ""))"
    }

    func rejection() -> InputRejection {
        // Row issues come from the first pass, amount issues from the second: order by line,
        // keeping the order of discovery within a line.
        let all = issues.issues.enumerated().sorted { a, b in
            let la = a.element.line ?? 0, lb = b.element.line ?? 0
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
        return InputRejection(all, omitted: issues.omitted + uncounted)
    }

    func headerOnly() -> InputRejection {
        context.reject(line: layout.headerLine, nil, "header only: no data rows after the header")
    }

    // MARK: - Kinds

    /// Reserves the per-row arrays for `n` rows, and starts the amount columns with the
    /// layout's configured separator, which wins over what the values show.
    mutating func reserve(_ n: Int) {
        for s in amountSlots.indices { amountSlots[s].provisional = layout.decimalSeparator }
        rowLines.reserveCapacity(n)
        rowPlaces.reserveCapacity(n)
        for s in amountSlots.indices { amountSlots[s].values.reserveCapacity(n) }
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
            var kindStated = false
            if let text = r.string(r.col(.kind)) {
                if let k = CSVValueVocabulary.customerKind(text) { kind = k; kindStated = true } else {
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
                                language: language, kind: kind, kindStated: kindStated))
        }
        reportDuplicates(seen, .customerId, what: "customer id")
        if anyIssue { throw rejection() }
        if !hasRows { throw headerOnly() }
        return out
    }

    mutating func readDocuments() throws(InputRejection) -> [Document] {
        // Slot order matters to `documentAmounts`: total, then HT, then TVA (absent columns
        // get a slot with index -1, always empty).
        amountSlots = [AmountSlot(column: .amount, index: col(.amount), required: true),
                       AmountSlot(column: .amountExclTax, index: col(.amountExclTax), required: false),
                       AmountSlot(column: .tax, index: col(.tax), required: false)]
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
        /// Rows whose record waits for an amount column's decision: (row, record, explicit credit).
        var waiting: [(row: Int, record: Int, credit: Bool)] = []
        var zeroLines: [Int] = []
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
                let type = CSVValueVocabulary.documentType(UnsafeBufferPointer(rebasing: r.buf[f.start..<f.end]))
                switch type {
                case .invoice?: break
                case .creditNote?: credit = true
                case nil: r.flag(line, .type, "unknown document type '\(r.excerpt(f))' (expected invoice, facture, F, FA, or credit note, avoir, AV)")
                }
            }
            let places = r.places(of: currency)
            r.rowLines.append(line)
            r.rowPlaces.append(UInt8(places))
            r.noteAmounts(line, places: places)
            guard !r.anyIssue, let number, let customer, let issue else { return }
            let row = r.rowLines.count - 1
            var kind: DocumentKind = credit ? .creditNote : .invoice
            var amount: Int64 = 0, exclTax: Int64?, tax: Int64?
            if r.isWaiting(row) {
                waiting.append((row, out.count, credit))
            } else if let a = r.documentAmounts(row, explicitCredit: credit) {
                (kind, amount, exclTax, tax) = a
            } else {
                zeroLines.append(line)
                return
            }
            out.append(Document(number: number, customerId: customer, customerName: r.string(iName), kind: kind,
                                issueDate: issue, dueDate: due, deliveryDate: delivery, currency: currency, amountExclTax: exclTax,
                                tax: tax, amount: amount, originalInvoice: r.string(iOriginal), paymentReference: r.string(iRef),
                                sourceLocation: Self.location(line)))
        }
        if !hasRows && !anyIssue { throw headerOnly() }
        reportDuplicates(seen, .invoiceNumber, what: "document number")
        finishAmounts()
        if anyIssue { throw rejection() }
        if !waiting.isEmpty {
            var keep = [Bool](repeating: true, count: out.count)
            for w in waiting {
                if let a = documentAmounts(w.row, explicitCredit: w.credit) {
                    out[w.record].kind = a.kind; out[w.record].amount = a.amount
                    out[w.record].amountExclTax = a.exclTax; out[w.record].tax = a.tax
                } else {
                    zeroLines.append(rowLines[w.row])
                    keep[w.record] = false
                }
            }
            if keep.contains(false) { out = zip(out, keep).filter(\.1).map(\.0) }
        }
        if !zeroLines.isEmpty { notes.append(zeroNote(zeroLines.sorted(), "document")) }
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
        var waiting: [(row: Int, record: Int)] = []
        var zeroLines: [Int] = []
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
            let places = r.places(of: currency)
            r.rowLines.append(line)
            r.rowPlaces.append(UInt8(places))
            r.noteAmounts(line, places: places)
            guard !r.anyIssue, let id, let date else { return }
            let row = r.rowLines.count - 1
            let amount = r.amountSlots[0].values[row]
            if amount == 0 {
                zeroLines.append(line)
                return
            }
            if amount == AmountSlot.waiting { waiting.append((row, out.count)) }
            var iban = r.string(iIban)
            if let s = iban { iban = String(s.unicodeScalars.filter { $0 != " " && $0 != "\u{A0}" }).uppercased() }
            out.append(Payment(paymentId: id, customerId: r.string(iCustomer), date: date, amount: amount, currency: currency,
                               reference: r.string(iRef), invoiceNumber: r.string(iInvoice), payerName: r.string(iPayer),
                               payerIban: iban, sourceLocation: Self.location(line)))
        }
        if !hasRows && !anyIssue { throw headerOnly() }
        reportDuplicates(seen, .paymentId, what: "payment id")
        finishAmounts()
        if anyIssue { throw rejection() }
        if !waiting.isEmpty {
            var keep = [Bool](repeating: true, count: out.count)
            for w in waiting {
                let amount = amountSlots[0].values[w.row]
                if amount == 0 {
                    zeroLines.append(rowLines[w.row])
                    keep[w.record] = false
                } else {
                    out[w.record].amount = amount
                }
            }
            if keep.contains(false) { out = zip(out, keep).filter(\.1).map(\.0) }
        }
        if !zeroLines.isEmpty { notes.append(zeroNote(zeroLines.sorted(), "payment")) }
        return out
    }
}
