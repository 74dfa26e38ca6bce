import RelanceCore

/// The streaming state machine behind `CamtReader`: one pass over the document with the
/// hardened `XMLPullReader`, element names compared as interned ids, text kept as bytes and
/// decoded to `String` only for the fields a payment keeps.
struct CamtParser {
    private typealias T = CamtTag
    private let r: XMLPullReader
    private let context: ReadContext
    private var issues: IssueCollector

    private(set) var message: Int?   // 3 or 4 (camt.053 / camt.054)
    private(set) var version: String = ""
    private var statements = 0
    private var accountIban: String?
    private var accountOther: String?
    private var accountCurrency: Currency?
    /// `<account>/`, the start of every payment id of the statement (made once per statement).
    private var accountPrefix: String?

    private var inEntry = false
    private var inTx = false
    private var entry = CamtEntry()
    private var tx = CamtTransaction()
    private var entryCount = 0
    private var pendingCurrency: Currency?
    /// `minorUnits` of the last currency met (it is a table lookup on the code's text).
    private var placesCurrency = Currency.eur
    private var places = 2
    /// A charge record's amount, waiting for its `CdtDbtInd` (a rebate when CRDT).
    private var pendingCharge: Int64?
    private var pendingChargeIsCredit = false
    private var text: [UInt8] = []
    private var textStale = false

    private(set) var payments: [Payment] = []
    private var seenKeyHashes = HashSet64()
    /// Exact ids and their count, built only once a hash repeats.
    private var usedIds: [String: Int] = [:]
    // Counters for the batch notes.
    private var pending = 0, information = 0, otherStatus = 0
    private var debitsIgnored = 0, returnsBooked = 0, creditReturnsSkipped = 0, contraryTransactions = 0
    private var invalidRF: [String] = [], invalidRFCount = 0
    private var chargedEntries = 0
    private var chargesTotal: [Currency: Int64] = [:]
    private var batchesNotAddingUp = 0, batchesWithoutAmounts = 0
    private var duplicateKeys = 0

    init(bytes: [UInt8], context: ReadContext) throws(InputRejection) {
        self.context = context
        self.issues = IssueCollector(cap: context.issueCap)
        r = try XMLPullReader(bytes: bytes, fileName: context.fileName)
        for tag in T.allCases {
            let id = r.registerName(tag.elementName)
            assert(id == tag.rawValue)
        }
        text.reserveCapacity(256)
        payments.reserveCapacity(bytes.count / 300)
    }

    /// Reads the whole document; throws the first structural error or all field errors found.
    mutating func run() throws(InputRejection) -> IngestBatch {
        let known = T.allCases.count
        while let node = try r.next() {
            let id = r.nameID
            switch node {
            case .text:
                if id < known {
                    if textStale { text.removeAll(keepingCapacity: true); textStale = false }
                    r.withTextBytes { text.append(contentsOf: $0) }
                }
            case .start:
                // The buffer is emptied lazily, by the next text: most elements have none.
                textStale = true
                if id < known, let tag = T(rawValue: id) { try start(tag) }
            case .end:
                if textStale { text.removeAll(keepingCapacity: true); textStale = false }
                if id < known, let tag = T(rawValue: id) { try end(tag) }
            }
        }
        guard let message else {
            throw context.reject(line: 1, "/", "not an ISO 20022 camt.053 or camt.054 document (no urn:iso:std:iso:20022:tech:xsd:camt.05x namespace)")
        }
        if let rejection = issues.rejection() { throw rejection }
        var batch = IngestBatch(format: "camt.05\(message)")
        batch.payments = payments
        batch.notes = notes()
        return batch
    }

    // MARK: - Start and end of elements

    private mutating func start(_ tag: T) throws(InputRejection) {
        switch tag {
        case .document, .bkToCstmrStmt, .bkToCstmrDbtCdtNtfctn, .bkToCstmrAcctRpt:
            try identify(tag)
        case .stmt, .ntfctn:
            guard message != nil else { return }
            statements += 1
            accountIban = nil; accountOther = nil; accountCurrency = nil; accountPrefix = nil
        case .rpt:
            throw context.reject(line: r.line, r.path, "camt.052 intraday report: not a statement")
        case .ntry:
            guard message != nil else {
                throw context.reject(line: r.line, r.path, "entry outside an ISO 20022 camt.053/camt.054 message (no camt namespace)")
            }
            inEntry = true
            entryCount += 1
            entry = CamtEntry()
            entry.line = r.line
            entry.index = entryCount
        case .txDtls where inEntry:
            inTx = true
            tx = CamtTransaction()
        case .rtrInf where inTx:
            tx.isReturn = true
        case .amt where inEntry:
            pendingCurrency = r.withAttributeBytes("Ccy") { b -> Currency? in
                guard let b, b.count == 3 else { return nil }
                return Currency(bytes: b[0], b[1], b[2])
            }
        default:
            break
        }
    }

    private mutating func end(_ tag: T) throws(InputRejection) {
        let parent = r.ancestorNameID(1)
        switch tag {
        case .ntry:
            inEntry = false
            finishEntry()
        case .txDtls where inTx:
            inTx = false
            var done = CamtTransaction()
            swap(&done, &tx)  // moved, not copied: no retain of every field
            entry.transactions.append(done)
        case .amt where inEntry:
            guard let currency = pendingCurrency ?? accountCurrency else {
                issue("amount has no Ccy attribute and the account states no currency")
                return
            }
            let isEntry = parent == T.ntry.rawValue
            let isTx = inTx && parent == T.txDtls.rawValue
            let isTxDetail = inTx && parent == T.txAmt.rawValue && r.ancestorNameID(2) == T.amtDtls.rawValue
                && r.ancestorNameID(3) == T.txDtls.rawValue
            // Charges stated for the entry (`Ntry/Chrgs/Rcrd/Amt`, or `Ntry/Chrgs/Amt` in .02);
            // the per-transaction ones repeat them.
            let isCharge = (parent == T.rcrd.rawValue && r.ancestorNameID(2) == T.chrgs.rawValue && r.ancestorNameID(3) == T.ntry.rawValue)
                || (parent == T.chrgs.rawValue && r.ancestorNameID(2) == T.ntry.rawValue)
            guard isEntry || isTx || isTxDetail || isCharge else { return }
            if currency != placesCurrency { placesCurrency = currency; places = currency.minorUnits }
            let places = self.places
            let parsed = text.withUnsafeBufferPointer { DecimalAmount.parse($0, places: places) }
            let value: Int64
            switch parsed {
            case let .success(v): value = v
            case let .failure(f):
                issue("\(f.reason): '\(trimmedText())'")
                return
            }
            if isEntry {
                entry.amount = value; entry.currency = currency
            } else if isTx {
                tx.amount = value; tx.amountCurrency = currency
            } else if isTxDetail {
                tx.detailAmount = value; tx.detailCurrency = currency
            } else if parent == T.rcrd.rawValue {
                pendingCharge = currency == entry.currency ? value : nil
                pendingChargeIsCredit = false
            } else if currency == entry.currency {
                entry.charges &+= value
            }
        case .cdtDbtInd where inEntry && parent == T.rcrd.rawValue:
            pendingChargeIsCredit = textIs("CRDT")
        case .rcrd where inEntry && parent == T.chrgs.rawValue && r.ancestorNameID(2) == T.ntry.rawValue:
            if let v = pendingCharge { entry.charges &+= pendingChargeIsCredit ? -v : v }
            pendingCharge = nil
        case .cdtDbtInd where inEntry:
            guard parent == T.ntry.rawValue || (inTx && parent == T.txDtls.rawValue) else { return }
            let credit: Bool
            if textIs("CRDT") { credit = true } else if textIs("DBIT") { credit = false } else {
                issue("CdtDbtInd must be CRDT or DBIT, found '\(trimmedText())'")
                return
            }
            if parent == T.ntry.rawValue { entry.isCredit = credit } else { tx.isCredit = credit }
        case .rvslInd where inEntry && parent == T.ntry.rawValue:
            entry.reversal = textIs("true") || textIs("1")
        case .cd where inEntry && parent == T.sts.rawValue:
            entry.status = statusText()
        case .sts where inEntry && parent == T.ntry.rawValue && entry.status == nil:
            entry.status = statusText()
        case .dt, .dtTm:
            guard inEntry, r.ancestorNameID(2) == T.ntry.rawValue,
                  parent == T.bookgDt.rawValue || parent == T.valDt.rawValue else { return }
            guard let day = text.withUnsafeBufferPointer({ Self.isoDate(trim($0)) ?? Day.parse(trim($0)) }) else {
                issue("not a date: '\(trimmedText())'")
                return
            }
            if parent == T.bookgDt.rawValue { entry.bookingDate = day } else { entry.valueDate = day }
        case .ntryRef where inEntry && parent == T.ntry.rawValue:
            entry.entryRef = nonEmptyText()
        case .acctSvcrRef where inEntry:
            if parent == T.ntry.rawValue { entry.servicerRef = nonEmptyText() }
            else if inTx && parent == T.refs.rawValue { tx.servicerRef = nonEmptyText() }
        case .endToEndId where inTx && parent == T.refs.rawValue:
            tx.endToEndId = nonEmptyText()
        case .subFmlyCd where inEntry && parent == T.fmly.rawValue:
            if CamtParser.returnSubFamilies.contains(trimmedText().uppercased()) {
                if inTx { tx.isReturn = true } else { entry.returnByCode = true }
            }
        case .nm where inTx:
            let owner = parent == T.pty.rawValue ? r.ancestorNameID(2) : parent
            if owner == T.dbtr.rawValue { tx.debtorName = nonEmptyText() }
            else if owner == T.cdtr.rawValue { tx.creditorName = nonEmptyText() }
            else if owner == T.ultmtDbtr.rawValue { tx.ultimateDebtorName = nonEmptyText() }
        case .iban:
            guard parent == T.id.rawValue else { return }
            let owner = r.ancestorNameID(2)
            if inTx && owner == T.dbtrAcct.rawValue { tx.debtorIban = nonEmptyText() }
            else if inTx && owner == T.cdtrAcct.rawValue { tx.creditorIban = nonEmptyText() }
            else if !inEntry && owner == T.acct.rawValue { accountIban = nonEmptyText() }
        case .id where !inEntry && parent == T.othr.rawValue && r.ancestorNameID(3) == T.acct.rawValue:
            accountOther = nonEmptyText()
        case .ccy where !inEntry && parent == T.acct.rawValue:
            let t = trimmedText()
            guard let c = Currency(t) else {
                issue("not an ISO 4217 currency code: '\(t)'")
                return
            }
            accountCurrency = c
        case .ustrd where inTx && parent == T.rmtInf.rawValue:
            if let s = nonEmptyText() { tx.unstructured.append(s) }
        case .ref where inTx && parent == T.cdtrRefInf.rawValue:
            if let s = nonEmptyText() { tx.structured.append(s) }
        case .cd where inTx && parent == T.rsn.rawValue, .prtry where inTx && parent == T.rsn.rawValue:
            tx.returnReason = nonEmptyText()
        case .addtlTxInf where inTx && parent == T.txDtls.rawValue:
            tx.additionalInfo = nonEmptyText()
        case .addtlNtryInf where inEntry && parent == T.ntry.rawValue:
            entry.additionalInfo = nonEmptyText()
        default:
            break
        }
    }

    /// ISO external bank transaction sub-family codes that mean money going back
    /// (return, reversal, unpaid direct debit, cancellation).
    static let returnSubFamilies: Set<String> = ["RRTN", "UPDD", "PRDD", "RPCR", "RCDD", "ARET"]

    private mutating func identify(_ tag: T) throws(InputRejection) {
        let ns = r.namespaceURI
        let prefix = CamtReader.namespacePrefix
        if tag == .bkToCstmrAcctRpt || ns.hasPrefix(prefix + "2") {
            throw context.reject(line: r.line, r.path, "camt.052 intraday report: not a statement")
        }
        guard ns.hasPrefix(prefix), message == nil else { return }
        let rest = ns.dropFirst(prefix.count)
        switch rest.first {
        case "3": message = 3
        case "4": message = 4
        default:
            throw context.reject(line: r.line, r.path, "unsupported ISO 20022 message '\(ns)': only camt.053 statements and camt.054 notifications are read")
        }
        version = String(rest.dropFirst(2))
    }

    // MARK: - Entries to payments

    private mutating func finishEntry() {
        var e = CamtEntry()
        swap(&e, &entry)
        // "line N" (a small string: no allocation), "line N tx K" for a batch's transactions.
        let location = "line " + String(e.line)
        func entryIssue(_ reason: String) {
            issues.add(context.issue(line: e.line, r.path, reason))
        }
        guard let amount = e.amount, let currency = e.currency else {
            entryIssue("entry has no Amt (amount)")
            return
        }
        guard let isCredit = e.isCredit else {
            entryIssue("entry has no CdtDbtInd (CRDT or DBIT)")
            return
        }
        guard let status = e.status else {
            entryIssue("entry has no Sts (status)")
            return
        }
        switch status {
        case .booked: break
        case .pending: pending += 1; return
        case .information: information += 1; return
        case .other: otherStatus += 1; return
        }
        guard let date = e.bookingDate else {
            entryIssue("booked entry has no BookgDt (booking date)")
            return
        }
        if e.charges != 0 {
            chargedEntries += 1
            chargesTotal[currency, default: 0] &+= e.charges
        }
        let isReturn = e.reversal || e.returnByCode || e.transactions.contains { $0.isReturn }
        if isCredit && isReturn {
            creditReturnsSkipped += 1
            return
        }
        if !isCredit && !isReturn {
            debitsIgnored += 1
            return
        }
        let sign: Int64 = isCredit ? 1 : -1
        if !isCredit { returnsBooked += 1 }
        if accountPrefix == nil { accountPrefix = (accountIban ?? accountOther ?? "?") + "/" }
        let base = accountPrefix ?? "?/"

        let txs = e.transactions
        if txs.count > 1 {
            // A batch: one payment per transaction when every one states its own amount.
            let amounts: [Int64?] = txs.map { t in
                if let a = t.amount, t.amountCurrency == currency { return a }
                if let a = t.detailAmount, t.detailCurrency == currency { return a }
                return nil
            }
            if amounts.allSatisfy({ $0 != nil }) {
                var sum: Int64 = 0
                var kept = 0
                for (k, t) in txs.enumerated() {
                    if let d = t.isCredit, d != isCredit {
                        contraryTransactions += 1
                        continue
                    }
                    let a = amounts[k] ?? 0
                    sum &+= a
                    kept += 1
                    let key = entryKey(e, t, amount: a, date: date) + "/\(k + 1)"
                    emit(t, entry: e, id: base + key, amount: sign * a, currency: currency, date: date,
                         isCredit: isCredit, location: location + " tx " + String(k + 1))
                }
                if kept == txs.count && sum != amount { batchesNotAddingUp += 1 }
                return
            }
            batchesWithoutAmounts += 1
            var merged = CamtTransaction()
            for t in txs {
                merged.unstructured += t.unstructured
                merged.structured += t.structured
                merged.isReturn = merged.isReturn || t.isReturn
            }
            merged.debtorName = Set(txs.compactMap(\.debtorName)).count == 1 ? txs.first?.debtorName : nil
            merged.debtorIban = Set(txs.compactMap(\.debtorIban)).count == 1 ? txs.first?.debtorIban : nil
            emit(merged, entry: e, id: base + entryKey(e, merged, amount: amount, date: date), amount: sign * amount,
                 currency: currency, date: date, isCredit: isCredit, location: location)
            return
        }
        let t = txs.first ?? CamtTransaction()
        emit(t, entry: e, id: base + entryKey(e, t, amount: amount, date: date), amount: sign * amount,
             currency: currency, date: date, isCredit: isCredit, location: location)
    }

    /// The natural key documented on `CamtReader`: the bank's reference for the entry,
    /// else its `NtryRef`, else end-to-end id + amount + booking date.
    private func entryKey(_ e: CamtEntry, _ t: CamtTransaction, amount: Int64, date: Day) -> String {
        if let s = e.servicerRef { return s }
        if let s = e.entryRef { return "ntry:" + s }
        return "e2e:" + (usable(t.endToEndId) ?? "") + ":" + String(amount) + ":" + date.description
    }

    private mutating func emit(_ t: CamtTransaction, entry e: CamtEntry, id: String, amount: Int64, currency: Currency,
                      date: Day, isCredit: Bool, location: String) {
        var paymentId = id
        // Duplicate keys are rare: a set of 64-bit FNV-1a hashes answers "new" for nearly all,
        // and only a hash seen before is checked against the exact ids.
        if !seenKeyHashes.insert(CamtParser.fnv1a(id)) {
            if usedIds.isEmpty {
                for p in payments { usedIds[p.paymentId, default: 0] += 1 }
            }
            let n = usedIds[id, default: 0]
            usedIds[id] = n + 1
            if n > 0 {
                paymentId = id + "#\(n + 1)"
                duplicateKeys += 1
            }
        } else if !usedIds.isEmpty {
            usedIds[id] = 1
        }
        var reference = t.unstructured
        var structured: String?
        for s in t.structured {
            if CreditorReference.looksLikeRF(s) {
                if let valid = CreditorReference.validRF(s) {
                    if structured == nil { structured = valid } else { reference.append(valid) }
                } else {
                    invalidRFCount += 1
                    if invalidRF.count < 5 { invalidRF.append(s) }
                    reference.append(s)
                }
            } else if structured == nil {
                structured = s
            } else {
                reference.append(s)
            }
        }
        var text = reference.count == 1 ? reference[0] : reference.joined(separator: " ")
        if text.isEmpty { text = t.additionalInfo ?? e.additionalInfo ?? "" }
        // Who paid: the debtor of a credit; for a returned debit, the party that is not us.
        var payer = t.debtorName ?? t.ultimateDebtorName
        var payerIban = t.debtorIban
        if !isCredit {
            let own = accountIban
            if payer == nil || (t.debtorIban != nil && t.debtorIban == own) {
                payer = t.creditorName ?? payer
                payerIban = t.creditorIban ?? payerIban
            }
        }
        let e2e = usable(t.endToEndId)
        payments.append(Payment(
            paymentId: paymentId, date: date, valueDate: e.valueDate, amount: amount, currency: currency,
            reference: text.isEmpty ? nil : text, payerName: payer, payerIban: payerIban,
            structuredReference: structured, endToEndId: e2e,
            reverses: isCredit ? nil : e2e, sourceLocation: location))
    }

    /// End-to-end ids a bank fills with a placeholder carry no information.
    private func usable(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        if s.utf8.count == 11, s.uppercased() == "NOTPROVIDED" { return nil }
        return s
    }

    static func fnv1a(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { b in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for x in b { h = (h ^ UInt64(x)) &* 0x0000_0100_0000_01B3 }
            return h
        }
    }

    private func notes() -> [String] {
        var out: [String] = []
        let kind = "camt.05\(message ?? 3)" + (version.isEmpty ? "" : " (version \(version))")
        out.append("\(kind): \(statements) \(message == 4 ? "notification" : "statement")\(statements == 1 ? "" : "s"), \(entryCount) entries, \(payments.count) payments")
        if pending + information + otherStatus > 0 {
            out.append("\(pending) pending (PDNG), \(information) information (INFO) and \(otherStatus) other non-booked entries skipped: only booked (BOOK) entries are payments")
        }
        if debitsIgnored > 0 { out.append("\(debitsIgnored) debit entries ignored (money paid out, not a returned customer payment)") }
        if returnsBooked > 0 { out.append("\(returnsBooked) returned or reversed debit entries read as negative payments") }
        if creditReturnsSkipped > 0 {
            out.append("\(creditReturnsSkipped) credit entries skipped because they are returns or reversals of the company's own outgoing payments, not customer payments")
        }
        if contraryTransactions > 0 { out.append("\(contraryTransactions) batch transactions whose direction contradicts their entry skipped") }
        if invalidRFCount > 0 {
            out.append("\(invalidRFCount) RF creditor references with wrong check digits kept as plain text references, not structured: " + invalidRF.joined(separator: ", "))
        }
        if chargedEntries > 0 {
            let totals = chargesTotal.sorted { $0.key < $1.key }.map { Money(minor: $0.value, currency: $0.key).description }
            out.append("\(chargedEntries) booked entries carry bank charges (Chrgs), net total \(totals.joined(separator: ", ")); payments are the booked amounts")
        }
        if batchesNotAddingUp > 0 { out.append("\(batchesNotAddingUp) batch entries whose transaction amounts do not add up to the entry amount; the transaction amounts were used") }
        if batchesWithoutAmounts > 0 { out.append("\(batchesWithoutAmounts) batch entries without an amount per transaction read as one payment each") }
        if duplicateKeys > 0 { out.append("\(duplicateKeys) payments share a natural key with an earlier one in the file and were numbered (#2, #3…)") }
        return out
    }

    // MARK: - Text helpers

    private mutating func issue(_ reason: String) {
        issues.add(context.issue(line: r.line, r.path, reason))
    }

    private func trim(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = b.count
        while lo < hi, DecimalAmount.isBlank(b[lo]) { lo += 1 }
        while hi > lo, DecimalAmount.isBlank(b[hi - 1]) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }

    /// `yyyy-mm-dd`, the form of every `Dt`, read in place. `Day.parse` is generic over the
    /// collection and not inlinable across modules: through an `UnsafeBufferPointer` it cost
    /// about 1,400 instructions a date (3 % of a camt read, measured with callgrind); this is
    /// about 40. Anything else (`DtTm`, a malformed date) goes to `Day.parse`.
    @inline(__always)
    static func isoDate(_ b: UnsafeBufferPointer<UInt8>) -> Day? {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int? {
            let d = b[i] &- 0x30
            return d < 10 ? Int(d) : nil
        }
        guard let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
              let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9) else { return nil }
        return Day(year: y0 * 1000 + y1 * 100 + y2 * 10 + y3, month: m0 * 10 + m1, day: d0 * 10 + d1)
    }

    private func trimmedText() -> String {
        text.withUnsafeBufferPointer { String(decoding: trim($0), as: UTF8.self) }
    }

    private func nonEmptyText() -> String? {
        let s = trimmedText()
        return s.isEmpty ? nil : s
    }

    private func statusText() -> CamtStatus {
        if textIs("BOOK") { return .booked }
        if textIs("PDNG") { return .pending }
        if textIs("INFO") { return .information }
        return .other
    }

    private func textIs(_ s: StaticString) -> Bool {
        text.withUnsafeBufferPointer { b in
            let t = trim(b)
            return s.withUTF8Buffer { w in
                t.count == w.count && zip(t, w).allSatisfy { $0 == $1 }
            }
        }
    }
}

/// A set of 64-bit hashes with open addressing: the duplicate-key check costs one multiply
/// and a probe or two per payment, where a `Set<String>` hashed every id with SipHash.
struct HashSet64 {
    private var slots = [UInt64](repeating: 0, count: 1 << 12)
    private var count = 0

    /// Inserts `h`; false when it was already present.
    mutating func insert(_ h: UInt64) -> Bool {
        let v = h == 0 ? 1 : h  // 0 marks an empty slot
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: (v &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while true {
            let s = slots[i]
            if s == 0 { slots[i] = v; count += 1; return true }
            if s == v { return false }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        count = 0
        for v in old where v != 0 { _ = insert(v) }
    }
}
