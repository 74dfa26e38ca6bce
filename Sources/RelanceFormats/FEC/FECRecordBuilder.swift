import RelanceCore

/// Turns the scanned ledger into Relance's records: customers, invoices and credit notes,
/// payments, and the allocations stated by lettering.
///
/// The meaning of a customer line depends on its journal (see `FECJournalKind`): in the sales
/// journal a debit is an invoice, in a bank journal a credit is a payment. Two kinds of
/// entries are read whatever their journal: opening balances ("à-nouveaux") become one
/// opening document per line, numbered `AN-<customer>-<yyyymmdd>`, and transfers between
/// receivable accounts (411 → 416 when a debt turns doubtful) are neither payment nor invoice.
struct FECRecordBuilder {
    let ledger: FECLedger
    let context: ReadContext

    /// Opening-balance documents are numbered `AN-<customer>-<yyyymmdd>`: the prefix marks
    /// them as balances carried forward, not invoices anyone can produce a copy of.
    static let openingPrefix = "AN-"
    /// Tells the pipeline (and the run summary) that due dates must come from payment terms.
    static let dueDateNote = "due dates derived from payment terms (FEC has none)"

    func build(issues: inout IssueCollector) -> IngestBatch? {
        let currency = context.defaultCurrency
        let places = currency.minorUnits
        var batch = IngestBatch(format: "FEC")

        // 1. Every entry balances: sum of debits = sum of credits.
        for (index, entry) in ledger.entries.enumerated() {
            let number = ledger.entryNumbers[index]
            let journal = ledger.journals[Int(entry.journal)].code
            if entry.overflow {
                issues.add(context.issue(line: Int(entry.firstLine), "EcritureNum",
                                         "entry \(number) of journal \(journal): totals overflow 64-bit minor units"))
            } else if entry.debits != entry.credits {
                let diff = entry.debits &- entry.credits
                issues.add(context.issue(line: Int(entry.firstLine), "EcritureNum",
                                         "entry \(number) of journal \(journal) (\(entry.lineCount) lines from this line) is unbalanced: "
                                         + "debits \(MinorUnits.format(entry.debits, places: places)) ≠ credits \(MinorUnits.format(entry.credits, places: places)) "
                                         + "(difference \(MinorUnits.format(diff, places: places)))"))
            }
        }
        if !issues.isEmpty { return nil }

        // 2. What each journal holds.
        var kinds: [FECJournalKind] = []
        var overridden: [String] = []
        for journal in ledger.journals {
            if let value = context.fec.journalOverrides[journal.code] {
                guard let kind = FECJournalKind(override: value) else {
                    issues.add(context.issue(line: nil, "fec.journalOverrides",
                                             "'\(value)' for journal \(journal.code) is not one of sales, bank, other, opening"))
                    continue
                }
                kinds.append(kind)
                overridden.append(journal.code)
            } else {
                kinds.append(FECJournalKind.infer(journal))
            }
        }
        if !issues.isEmpty { return nil }

        // 3. Entries whose receivable lines move a balance between receivable accounts.
        let transfers = transferEntries()

        // 4. One record per customer line.
        let customers = ledger.customers
        let customerIds = customers.map(\.id), customerNames = customers.map(\.name)
        let journalCodes = ledger.journals.map(\.code)
        var documents: [Document] = []
        var payments: [Payment] = []
        var documentLines: [Int] = []            // receivable lines merged into each document
        var documentEntry: [Int32] = []
        var documentKey: [DocumentKey: Int] = [:]
        var usedNumbers = Set<String>()
        var lettering = FECLettering(expectedItems: ledger.lines.count)
        // Exact capacities: a Document or Payment is some 200 bytes, and regrowing arrays of a
        // few hundred thousand of them is a visible share of the time on a large ledger.
        var documentCount = 0, paymentCount = 0
        for line in ledger.lines where line.amount != 0 && !transfers[Int(line.entry)] {
            let kind = effectiveKind(ledger.entries[Int(line.entry)], kinds)
            if kind == .opening || kind == .sales || line.openingLabel { documentCount += 1 } else { paymentCount += 1 }
        }
        documents.reserveCapacity(documentCount)
        payments.reserveCapacity(paymentCount)
        // Reserved to their final size: their pages are mapped in one call (see MemoryPrefault).
        MemoryPrefault.populate(&documents)
        MemoryPrefault.populate(&payments)
        usedNumbers.reserveCapacity(documentCount)
        var openingCount = 0, transferLines = 0, otherLines = 0, renamed = 0, zeroLines = 0

        for (lineIndex, line) in ledger.lines.enumerated() {
            let entry = ledger.entries[Int(line.entry)]
            let pieceRef = ledger.pieceRefs[lineIndex]
            let entryNumber = ledger.entryNumbers[Int(line.entry)]
            let journalCode = journalCodes[Int(entry.journal)]
            let customerId = customerIds[Int(line.customer)], customerName = customerNames[Int(line.customer)]
            let kind = effectiveKind(entry, kinds)
            var role: FECLettering.Role?
            let magnitude = line.amount.magnitude > UInt64(Int64.max) ? Int64.max : abs(line.amount)
            var itemDate = line.date

            if line.amount == 0 {
                zeroLines += 1
            } else if transfers[Int(line.entry)] {
                transferLines += 1
                role = line.amount > 0 ? .transferIn(entry: line.entry) : .transferOut(entry: line.entry)
            } else if kind == .opening || line.openingLabel || kind == .sales {
                let opening = kind == .opening || line.openingLabel
                let docKind: DocumentKind = line.amount > 0 ? .invoice : .creditNote
                let base: String
                if opening {
                    base = FECRecordBuilder.openingPrefix + customerId + "-" + FECRecordBuilder.compact(line.date)
                } else {
                    base = pieceRef.isEmpty ? entryNumber : pieceRef
                }
                // Only entries with several customer lines can merge lines into one document.
                let key = DocumentKey(entry: line.entry, customer: line.customer, kind: docKind, base: base)
                let mergeable = !opening && entry.receivableLines > 1
                let document: Int
                if mergeable, let existing = documentKey[key] {
                    // Another line of the same entry, customer and piece: one document (an
                    // invoice with several instalments has one 411 line per instalment).
                    documents[existing].amount &+= magnitude
                    documentLines[existing] += 1
                    document = existing
                } else {
                    // Insert first, ask after: one hash of the number instead of two.
                    var candidate = base
                    if !usedNumbers.insert(candidate).inserted {
                        if opening {
                            var n = 2
                            while !usedNumbers.insert("\(base)-\(n)").inserted { n += 1 }
                            candidate = "\(base)-\(n)"
                        } else {
                            candidate = base + "-" + journalCode + "-" + entryNumber
                            if !usedNumbers.insert(candidate).inserted {
                                candidate += "-\(line.line)"
                                usedNumbers.insert(candidate)
                            }
                            renamed += 1
                        }
                    }
                    document = documents.count
                    if mergeable { documentKey[key] = document }
                    var location = FECRecordBuilder.lineLocation(line.line)
                    if opening {
                        openingCount += 1
                        location += " (opening balance, journal \(journalCode))"
                    }
                    documents.append(Document(
                        number: candidate, customerId: customerId, customerName: customerName, kind: docKind,
                        issueDate: line.pieceDate ?? line.date, dueDate: nil, currency: currency, amount: magnitude,
                        sourceLocation: location))
                    documentLines.append(1)
                    documentEntry.append(opening ? -1 : line.entry)
                }
                itemDate = line.pieceDate ?? line.date
                role = docKind == .invoice ? .invoice(document: Int32(document)) : .creditNote(document: Int32(document))
            } else {
                if kind == .other { otherLines += 1 }
                let id = FECRecordBuilder.paymentId(journalCode, entryNumber, line.position)
                payments.append(Payment(
                    paymentId: id, customerId: customerId, date: line.date, amount: -line.amount, currency: currency,
                    reference: reference(line, lineIndex, pieceRef: pieceRef), payerName: customerName, sourceLocation: FECRecordBuilder.lineLocation(line.line)))
                if line.amount < 0 {
                    role = .payment(index: Int32(payments.count - 1))
                } else {
                    role = kind == .bank ? .refund(index: Int32(payments.count - 1)) : .otherDebit
                }
            }

            if let role, line.letterKey >= 0 {
                lettering.add(FECLettering.Item(role: role, amount: magnitude, date: itemDate, line: line.line),
                              account: line.account, accountKey: line.accountKey, customer: line.customer,
                              code: line.letter, codeKey: line.letterKey, dateLet: line.dateLet)
            }
        }

        // 5. Amount before tax and VAT, when the entry is that one document and its revenue
        // and collected-VAT lines add up to the receivable.
        for i in documents.indices where documentEntry[i] >= 0 {
            let entry = ledger.entries[Int(documentEntry[i])]
            guard Int(entry.receivableLines) == documentLines[i], entry.touchesRevenue, entry.unrelatedLines == 0 else { continue }
            let sign: Int64 = documents[i].kind == .invoice ? 1 : -1
            let ht = entry.revenueNet &* sign, tva = entry.vatNet &* sign
            if ht > 0, tva >= 0, ht &+ tva == documents[i].amount {
                documents[i].amountExclTax = ht
                documents[i].tax = tva
            }
        }

        // 6. Lettering.
        lettering.allocate(FECLettering.Names(texts: ledger.texts, customerIds: customerIds, documents: documents),
                           payments: &payments, currency: currency)

        batch.customers = customers
        batch.documents = documents
        batch.payments = payments
        batch.allocations = lettering.allocations
        batch.notes.append(FECRecordBuilder.dueDateNote)
        let journalSummary = ledger.journals.enumerated().map { i, j in
            "\(j.code) \(kinds[i].rawValue)" + (overridden.contains(j.code) ? " (configured)" : "")
        }
        batch.notes.append("journals: " + journalSummary.joined(separator: ", "))
        if openingCount > 0 {
            batch.notes.append("\(openingCount) opening-balance document\(openingCount == 1 ? "" : "s") (à-nouveaux) numbered \(FECRecordBuilder.openingPrefix)<customer>-<yyyymmdd>: balances carried forward, not the original invoices")
        }
        if transferLines > 0 {
            batch.notes.append("\(transferLines) customer line\(transferLines == 1 ? "" : "s") in transfers between receivable accounts (e.g. 411 → 416) read as neither payment nor invoice")
        }
        if otherLines > 0 {
            batch.notes.append("\(otherLines) customer line\(otherLines == 1 ? "" : "s") in miscellaneous journals read as settlements (credits) or negative payments (debits)")
        }
        if lettering.reversalsPaired > 0 {
            batch.notes.append("\(lettering.reversalsPaired) bank debit\(lettering.reversalsPaired == 1 ? "" : "s") to customers read as reversal of a lettered payment of the same amount")
        }
        if lettering.partialGroups > 0 {
            batch.notes.append("\(lettering.partialGroups) lettering group\(lettering.partialGroups == 1 ? "" : "s") partial (unbalanced or lower-case code): allocated as far as stated, oldest first")
        }
        if renamed > 0 {
            batch.notes.append("\(renamed) document number\(renamed == 1 ? "" : "s") (PieceRef) shared by several entries made unique with -<journal>-<EcritureNum>")
        }
        if zeroLines > 0 {
            batch.notes.append("\(zeroLines) customer line\(zeroLines == 1 ? "" : "s") with a zero amount skipped")
        }
        if ledger.encoding == .windows1252 {
            batch.notes.append("text read as Windows-1252 (the file is not valid UTF-8)")
        }
        return batch
    }

    /// The journal's kind, except that in a miscellaneous journal an entry made only of
    /// customer, revenue and collected-VAT lines is a sale or its reversal (istea's "chèque
    /// volé" cancels a sale in its OD journal).
    @inline(__always)
    private func effectiveKind(_ entry: FECLedger.Entry, _ kinds: [FECJournalKind]) -> FECJournalKind {
        let kind = kinds[Int(entry.journal)]
        if kind == .other && entry.touchesRevenue && entry.unrelatedLines == 0 { return .sales }
        return kind
    }

    /// Entries made only of receivable lines, with both a debit and a credit, naming at most
    /// one customer by `CompAuxNum` (the 416 side of a doubtful-debt transfer often has none).
    /// One flag per entry: the builder asks twice per customer line, where a `Set` lookup cost
    /// a hash each time.
    private func transferEntries() -> [Bool] {
        var candidates: [Int32: (debit: Bool, credit: Bool, aux: String?, conflict: Bool)] = [:]
        for line in ledger.lines {
            let entry = ledger.entries[Int(line.entry)]
            guard entry.unrelatedLines == 0, !entry.touchesRevenue, entry.receivableLines >= 2 else { continue }
            var state = candidates[line.entry] ?? (false, false, nil, false)
            if line.amount > 0 { state.debit = true } else if line.amount < 0 { state.credit = true }
            if line.hasAuxiliary {
                let id = ledger.customers[Int(line.customer)].id
                if let aux = state.aux, aux != id { state.conflict = true }
                state.aux = id
            }
            candidates[line.entry] = state
        }
        var transfers = [Bool](repeating: false, count: ledger.entries.count)
        for (entry, state) in candidates where state.debit && state.credit && !state.conflict { transfers[Int(entry)] = true }
        return transfers
    }

    /// The payment's remittance text: EcritureLib and PieceRef, without placeholders
    /// (Quadra writes `___` and `x` where there is nothing to say).
    private func reference(_ line: FECLedger.ReceivableLine, _ lineIndex: Int, pieceRef: String) -> String? {
        let parts = line.referenceParts
        let label = parts & FECLedger.ReceivableLine.labelMeaningful != 0
        let range = ledger.labelRanges[lineIndex]
        let text = label ? ledger.labelBytes.withUnsafeBufferPointer { labels in
            labels.baseAddress.map { ledger.encoding.string($0, range.start, range.end) } ?? ""
        } : ""
        let piece = parts & FECLedger.ReceivableLine.pieceMeaningful != 0
        if label && piece && parts & FECLedger.ReceivableLine.labelHasPiece == 0 { return text + " / " + pieceRef }
        if label { return text }
        return piece ? pieceRef : nil
    }

    private struct DocumentKey: Hashable {
        var entry: Int32
        var customer: Int32
        var kind: DocumentKind
        var base: String
    }

    /// `line <n>`, the source location of a record. Written digit by digit into the string's
    /// own storage: `"line " + String(n)` was a visible share of building a large ledger.
    static func lineLocation(_ n: Int32) -> String {
        let prefix: StaticString = "line "
        return String(unsafeUninitializedCapacity: prefix.utf8CodeUnitCount + 11) { buffer in
            var i = 0
            for k in 0..<prefix.utf8CodeUnitCount { buffer[i] = prefix.utf8Start[k]; i += 1 }
            return i + writeDecimal(n, into: buffer, at: i)
        }
    }

    /// `<journal>-<EcritureNum>-<position>`, the id of a payment read from a bank line: stable
    /// across readings of the same file.
    static func paymentId(_ journal: String, _ entryNumber: String, _ position: Int32) -> String {
        String(unsafeUninitializedCapacity: journal.utf8.count + entryNumber.utf8.count + 13) { buffer in
            var i = 0
            i += write(journal, into: buffer, at: i)
            buffer[i] = 0x2D; i += 1
            i += write(entryNumber, into: buffer, at: i)
            buffer[i] = 0x2D; i += 1
            return i + writeDecimal(position, into: buffer, at: i)
        }
    }

    /// Copies the UTF-8 bytes of `text` at `start` (room needed); returns the byte count.
    /// One copy of the string's storage: walking `utf8` byte by byte cost several times more.
    static func write(_ text: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            guard let source = bytes.baseAddress, let target = buffer.baseAddress else { return 0 }
            (target + start).update(from: source, count: bytes.count)
            return bytes.count
        }
    }

    /// Writes `n` in decimal at `start` (room for 11 bytes needed); returns the byte count.
    private static func writeDecimal(_ n: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n.magnitude
        return withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[count] = UInt8(0x30 + v % 10)
                v /= 10
                count += 1
            } while v > 0
            var i = start
            if n < 0 { buffer[i] = 0x2D; i += 1 }
            for k in stride(from: count - 1, through: 0, by: -1) { buffer[i] = d[k]; i += 1 }
            return i - start
        }
    }

    /// `yyyymmdd`, the FEC's own date form, for opening-document numbers.
    static func compact(_ day: Day) -> String {
        let c = day.components
        let v = c.year * 10000 + c.month * 100 + c.day
        let s = String(v)
        return String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
}
