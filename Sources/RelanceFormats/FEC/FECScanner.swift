import RelanceCore

/// The byte-level pass over an FEC: splits lines on tab or pipe bytes, checks every line's
/// dates and amounts, totals each entry, and decodes the fields of receivable lines only.
///
/// This is the hot loop of the reader (≥ 250 MB/s is the target), hence raw pointers, no
/// `String` per line, and no hash lookup per entry while each journal's entries come in
/// increasing order (see `scan`).
struct FECScanner {
    let columns: FECColumns
    let context: ReadContext
    let places: Int
    let receivablePrefixes: [[UInt8]]
    /// The same prefixes, each up to 8 bytes as a little-endian word and the mask of its
    /// bytes: more than half the lines of a ledger are on a 4xx account and ask whether it is
    /// a receivable one, which one masked compare per prefix answers.
    let prefixWords: [(word: UInt64, mask: UInt64, count: Int)]
    /// Every prefix fits a word.
    let prefixesFitWords: Bool

    init(columns: FECColumns, context: ReadContext) {
        self.columns = columns
        self.context = context
        self.places = context.defaultCurrency.minorUnits
        self.receivablePrefixes = context.fec.receivablePrefixes
            .map { Array($0.utf8).filter { $0 != 0x20 } }
            .filter { !$0.isEmpty }
        self.prefixWords = receivablePrefixes.filter { $0.count <= 8 }.map { prefix in
            var word: UInt64 = 0
            for (k, b) in prefix.enumerated() { word |= UInt64(b) << UInt64(8 * k) }
            let mask = prefix.count == 8 ? ~UInt64(0) : (UInt64(1) << UInt64(8 * prefix.count)) - 1
            return (word, mask, prefix.count)
        }
        self.prefixesFitWords = prefixWords.count == receivablePrefixes.count
    }

    /// Scans the data lines from `bodyStart` to the end of the buffer.
    func scan(_ base: UnsafePointer<UInt8>, count end: Int, bodyStart: Int, encoding: FECTextEncoding,
              issues: inout IssueCollector) -> FECLedger {
        var ledger = FECLedger(encoding: encoding)
        let c = columns
        let ncols = c.count
        // Field start offsets; field i spans starts[i] ..< starts[i + 1] - 1.
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: ncols + 3)
        defer { starts.deallocate() }

        // Capacity guesses from the size (about 110 bytes a line, 3 lines an entry) spare the
        // rehashing and copying that growing a million-entry table costs.
        let expectedLines = max(16, (end - bodyStart) / 110)
        // Entries ("écritures") are found without hashing while every journal's entry numbers
        // come in increasing order (ordered by length, then bytes), as in the Sage sample and
        // the generated benchmark ledger: a number above the journal's last one cannot be an
        // earlier entry. The first number out of order switches to the hash table, filled then
        // with every entry so far, for the rest of the file: the Quadra and istea samples,
        // sorted by date rather than number, do so within their first thousand lines. Hashing
        // every entry cost a cache miss per entry: a tenth of the whole read of a large file.
        var entryTable: FECEntryTable?
        var entryNumberRanges: [(Int, Int)] = []
        entryNumberRanges.reserveCapacity(expectedLines / 3)
        var journalRanges: [(Int, Int)] = []
        var journalLastNumber: [(Int, Int)] = []
        ledger.entries.reserveCapacity(expectedLines / 3)
        ledger.entryNumbers.reserveCapacity(expectedLines / 3)
        ledger.lines.reserveCapacity(expectedLines / 4)
        ledger.pieceRefs.reserveCapacity(expectedLines / 4)
        ledger.labelRanges.reserveCapacity(expectedLines / 4)
        ledger.labelBytes.reserveCapacity((end - bodyStart) / 16)
        // Accounts, lettering codes and customer ids, decoded once per distinct value.
        var texts = FECTextInterner()
        var customerOfKey: [Int32] = []  // customer index by the interner's key of its id, -1 none
        var unnamed: [Bool] = []  // customers whose lines so far gave no name
        var prevJournal = (0, 0), prevNumber = (0, 0)
        var prevJournalIndex: Int32 = -1
        var currentEntry: Int32 = -1
        // The entry the current lines add to, kept out of the array while its lines last (an
        // entry's lines are usually together): one array write per entry instead of per line.
        var openEntry = FECLedger.Entry(journal: 0, firstLine: 0)
        var openIndex = -1
        var dates = FECDateCache()
        var lineNo = 1
        var p = bodyStart
        let sep = c.separator
        let raw = UnsafeRawPointer(base)

        // Which amount columns to read.
        var debitCol = 0, creditCol = 0, amountCol = 0, directionCol = 0
        var directional = false
        switch c.amounts {
        case let .debitCredit(d, cr): debitCol = d; creditCol = cr
        case let .amountAndDirection(m, s): amountCol = m; directionCol = s; directional = true
        }

        @inline(__always) func same(_ a: (Int, Int), _ s: Int, _ e: Int) -> Bool {
            let n = e &- s
            guard a.1 &- a.0 == n else { return false }
            return FECScanner.equalBytes(base, a.0, s, n, readable: end)
        }

        // The separators and line feeds of 64 bytes at a time, one bit a byte, carried from
        // line to line: a line of some 130 bytes costs two or three blocks, and one loop exit
        // per line instead of one per 8-byte word (a mispredicted branch each).
        var blockBase = bodyStart
        var (sepBits, lfBits) = FECScanner.blockMasks(raw, blockBase, end, sep)

        while p < end {
            lineNo += 1
            // Split the line: the separators before its LF are its own. Field starts past the
            // header's count go to a spare slot (ncols + 2), which spares a branch: such a
            // line is rejected on its count alone.
            starts[0] = p
            var f = 0
            var q: Int
            while true {
                let lfIndex = lfBits.trailingZeroBitCount
                let below = lfIndex == 64 ? ~UInt64(0) : (UInt64(1) << UInt64(lfIndex)) &- 1
                var m = sepBits & below
                while m != 0 {
                    f &+= 1
                    starts[min(f, ncols &+ 2)] = blockBase &+ m.trailingZeroBitCount &+ 1
                    m &= m &- 1
                }
                if lfIndex < 64 {
                    sepBits &= ~below
                    lfBits &= lfBits &- 1
                    q = blockBase &+ lfIndex
                    break
                }
                blockBase &+= 64
                if blockBase >= end { q = end; sepBits = 0; lfBits = 0; break }  // last line, no LF
                (sepBits, lfBits) = FECScanner.blockMasks(raw, blockBase, end, sep)
            }
            let next = q + 1
            var lineEnd = q
            if lineEnd > p, base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            defer { p = next }
            if lineEnd == p { continue }  // blank line
            var fields = f + 1
            if fields == ncols + 1, FECFieldParsing.isBlank(base, starts[ncols], lineEnd) {
                fields = ncols  // a trailing separator
            }
            if fields != ncols {
                if f == 0 && FECFieldParsing.isBlank(base, p, lineEnd) { continue }
                issues.add(context.issue(line: lineNo, nil,
                                         "line has \(f + 1) fields, the header has \(ncols) (a \(sep == 0x09 ? "tab" : "pipe") inside a value?)"))
                continue
            }
            starts[ncols] = lineEnd + 1
            ledger.lineCount += 1
            @inline(__always) func fs(_ i: Int) -> Int { starts[i] }
            @inline(__always) func fe(_ i: Int) -> Int { starts[i &+ 1] &- 1 }

            // Entry: JournalCode + EcritureNum.
            let (js, je) = FECFieldParsing.trim(base, fs(c.journalCode), fe(c.journalCode))
            let (ns, ne) = FECFieldParsing.trim(base, fs(c.ecritureNum), fe(c.ecritureNum))
            if js == je {
                issues.add(context.issue(line: lineNo, c.label(c.journalCode), "empty journal code"))
                continue
            }
            if ns == ne {
                issues.add(context.issue(line: lineNo, c.label(c.ecritureNum), "empty entry number"))
                continue
            }
            if currentEntry < 0 || !same(prevJournal, js, je) || !same(prevNumber, ns, ne) {
                var j: Int32 = -1
                if prevJournalIndex >= 0 && same(prevJournal, js, je) {
                    j = prevJournalIndex
                } else {
                    for (k, r) in journalRanges.enumerated() where same(r, js, je) { j = Int32(k); break }
                }
                if j < 0 {
                    j = Int32(ledger.journals.count)
                    journalRanges.append((js, je))
                    journalLastNumber.append((0, 0))
                    let journalCode = encoding.string(base, js, je)
                    let label = encoding.string(base, fs(c.journalLib), fe(c.journalLib))
                    var journal = FECLedger.Journal(code: journalCode, label: label)
                    journal.openingLabel = FECFieldParsing.containsUppercased(base, fs(c.journalLib), fe(c.journalLib), FECScanner.nouveau)
                        || FECFieldParsing.containsUppercased(base, fs(c.journalLib), fe(c.journalLib), FECScanner.ouverture)
                    ledger.journals.append(journal)
                }
                var inserted = true
                if entryTable == nil {
                    let last = journalLastNumber[Int(j)]
                    if last.1 == 0 || FECScanner.ascending(base, last.0, last.1, ns, ne, readable: end) {
                        currentEntry = Int32(ledger.entries.count)
                    } else {
                        // Out of order: from here on, every new number is looked up.
                        var table = FECEntryTable(expected: max(ledger.entries.count * 2, expectedLines / 3))
                        for (i, entry) in ledger.entries.enumerated() {
                            let jr = journalRanges[Int(entry.journal)], nr = entryNumberRanges[i]
                            _ = table.findOrInsert(base, jr.0, jr.1, nr.0, nr.1)
                        }
                        entryTable = table
                    }
                }
                if let found = entryTable?.findOrInsert(base, js, je, ns, ne) {
                    currentEntry = found.index
                    inserted = found.inserted
                }
                if inserted {
                    ledger.entries.append(FECLedger.Entry(journal: j, firstLine: Int32(lineNo)))
                    ledger.entryNumbers.append("")
                    entryNumberRanges.append((ns, ne))
                    ledger.journals[Int(j)].entries += 1
                    let last = journalLastNumber[Int(j)]
                    if last.1 == 0 || FECScanner.ascending(base, last.0, last.1, ns, ne, readable: end) { journalLastNumber[Int(j)] = (ns, ne) }
                }
                prevJournal = (js, je)
                prevNumber = (ns, ne)
                prevJournalIndex = j
            }

            // Dates.
            guard let date = dates.date(base, fs(c.ecritureDate), fe(c.ecritureDate)) else {
                dateIssue(base, c.ecritureDate, fs(c.ecritureDate), fe(c.ecritureDate), lineNo, &issues)
                continue
            }
            var ok = true
            var pieceDate: Day?
            if !FECFieldParsing.isBlank(base, fs(c.pieceDate), fe(c.pieceDate)) {
                pieceDate = dates.date(base, fs(c.pieceDate), fe(c.pieceDate))
                if pieceDate == nil { dateIssue(base, c.pieceDate, fs(c.pieceDate), fe(c.pieceDate), lineNo, &issues); ok = false }
            }
            var dateLet: Day?
            if !FECFieldParsing.isBlank(base, fs(c.dateLet), fe(c.dateLet)) {
                dateLet = dates.date(base, fs(c.dateLet), fe(c.dateLet))
                if dateLet == nil { dateIssue(base, c.dateLet, fs(c.dateLet), fe(c.dateLet), lineNo, &issues); ok = false }
            }
            if !FECFieldParsing.isBlank(base, fs(c.validDate), fe(c.validDate)),
               dates.date(base, fs(c.validDate), fe(c.validDate)) == nil {
                dateIssue(base, c.validDate, fs(c.validDate), fe(c.validDate), lineNo, &issues); ok = false
            }

            // Amounts.
            var debit: Int64 = 0, credit: Int64 = 0
            if directional {
                guard let m = FECFieldParsing.amount(base, fs(amountCol), fe(amountCol), places: places) else {
                    amountIssue(base, amountCol, fs(amountCol), fe(amountCol), lineNo, &issues)
                    continue
                }
                let (ds, de) = FECFieldParsing.trim(base, fs(directionCol), fe(directionCol))
                switch FECScanner.direction(base, ds, de) {
                case .some(1): debit = m
                case .some(-1): credit = m
                default:
                    let text = encoding.string(base, ds, de)
                    issues.add(context.issue(line: lineNo, c.label(directionCol), "'\(text)' is not a direction (D or C, +1 or -1 expected)"))
                    continue
                }
            } else {
                guard let d = FECFieldParsing.amount(base, fs(debitCol), fe(debitCol), places: places) else {
                    amountIssue(base, debitCol, fs(debitCol), fe(debitCol), lineNo, &issues)
                    continue
                }
                guard let cr = FECFieldParsing.amount(base, fs(creditCol), fe(creditCol), places: places) else {
                    amountIssue(base, creditCol, fs(creditCol), fe(creditCol), lineNo, &issues)
                    continue
                }
                debit = d; credit = cr
            }
            // A negative debit is a credit and vice versa (Quadra writes `-708,91` in Debit).
            if debit < 0 { credit = credit &- debit; debit = 0 }
            if credit < 0 { debit = debit &- credit; credit = 0 }
            if !FECFieldParsing.isBlank(base, fs(c.montantDevise), fe(c.montantDevise)),
               FECFieldParsing.amount(base, fs(c.montantDevise), fe(c.montantDevise), places: 6) == nil {
                amountIssue(base, c.montantDevise, fs(c.montantDevise), fe(c.montantDevise), lineNo, &issues); ok = false
            }

            // Account.
            let (as_, ae) = FECFieldParsing.trim(base, fs(c.compteNum), fe(c.compteNum))
            if as_ == ae {
                issues.add(context.issue(line: lineNo, c.label(c.compteNum), "empty account number"))
                continue
            }
            if !ok { continue }

            let ei = Int(currentEntry)
            let signed = debit &- credit
            if ei != openIndex {
                if openIndex >= 0 { ledger.entries[openIndex] = openEntry }
                openEntry = ledger.entries[ei]
                openIndex = ei
            }
            var entry = openEntry
            let (d1, o1) = entry.debits.addingReportingOverflow(debit)
            let (c1, o2) = entry.credits.addingReportingOverflow(credit)
            entry.debits = d1; entry.credits = c1
            if o1 || o2 { entry.overflow = true }
            entry.lineCount += 1
            let position = entry.lineCount

            let a0 = base[as_]
            let a1: UInt8 = ae - as_ > 1 ? base[as_ + 1] : 0
            var receivable = false
            if a0 == 0x34 {
                receivable = isReceivable(base, as_, ae, readable: end)
                if !receivable && a1 == 0x34 && ae - as_ >= 4 && base[as_ + 2] == 0x35 && base[as_ + 3] == 0x37 {
                    entry.vatNet = entry.vatNet &- signed
                    if !entry.touchesRevenue { entry.touchesRevenue = true; ledger.journals[Int(entry.journal)].revenueEntries += 1 }
                } else if !receivable {
                    entry.unrelatedLines += 1
                }
            } else if a0 == 0x37 && a1 == 0x30 {
                entry.revenueNet = entry.revenueNet &- signed
                if !entry.touchesRevenue { entry.touchesRevenue = true; ledger.journals[Int(entry.journal)].revenueEntries += 1 }
            } else if a0 == 0x35 && (a1 == 0x31 || a1 == 0x33) {
                entry.unrelatedLines += 1
                if !entry.touchesTreasury { entry.touchesTreasury = true; ledger.journals[Int(entry.journal)].treasuryEntries += 1 }
            } else {
                if receivablePrefixes.contains(where: { $0.first == a0 }) {
                    receivable = isReceivable(base, as_, ae, readable: end)
                }
                if !receivable { entry.unrelatedLines += 1 }
            }
            if receivable { entry.receivableLines += 1 }
            openEntry = entry
            guard receivable else { continue }

            // A customer line: decode what the reader keeps. The entry number while its bytes
            // are in cache (it names documents and payments).
            if entry.receivableLines == 1 { ledger.entryNumbers[ei] = encoding.string(base, ns, ne) }
            let account = texts.intern(base, as_, ae, encoding, readable: end)
            let (xs, xe) = FECFieldParsing.trim(base, fs(c.compAuxNum), fe(c.compAuxNum))
            let hasAux = xs < xe
            let customerId = hasAux ? texts.intern(base, xs, xe, encoding, readable: end) : account
            while customerOfKey.count < Int(texts.keyCount) { customerOfKey.append(-1) }
            var customer = customerOfKey[Int(customerId.key)]
            if customer >= 0 {
                if unnamed[Int(customer)] {
                    let name = customerName(base, hasAux: hasAux, fs, fe, encoding)
                    if !name.isEmpty { ledger.customers[Int(customer)].name = name; unnamed[Int(customer)] = false }
                }
            } else {
                customer = Int32(ledger.customers.count)
                customerOfKey[Int(customerId.key)] = customer
                let name = customerName(base, hasAux: hasAux, fs, fe, encoding)
                ledger.customers.append(Customer(id: texts.texts[Int(customerId.id)], name: name))
                unnamed.append(name.isEmpty)
            }
            let (ts, te) = FECFieldParsing.trim(base, fs(c.ecritureLet), fe(c.ecritureLet))
            let letter = texts.intern(base, ts, te, encoding, readable: end)
            let (ls, le) = FECFieldParsing.trim(base, fs(c.ecritureLib), fe(c.ecritureLib))
            let (ps, pe) = FECFieldParsing.trim(base, fs(c.pieceRef), fe(c.pieceRef))
            var referenceParts: UInt8 = 0
            if FECScanner.meaningful(base, ls, le) { referenceParts |= FECLedger.ReceivableLine.labelMeaningful }
            if FECScanner.meaningful(base, ps, pe) {
                referenceParts |= FECLedger.ReceivableLine.pieceMeaningful
                if FECScanner.contains(base, ls, le, ps, pe) { referenceParts |= FECLedger.ReceivableLine.labelHasPiece }
            }
            ledger.pieceRefs.append(encoding.string(base, ps, pe))
            let labelStart = ledger.labelBytes.count
            if referenceParts & FECLedger.ReceivableLine.labelMeaningful != 0 {
                ledger.labelBytes.append(contentsOf: UnsafeBufferPointer(start: base + ls, count: le - ls))
            }
            ledger.labelRanges.append((labelStart, ledger.labelBytes.count))
            ledger.lines.append(FECLedger.ReceivableLine(
                line: Int32(lineNo), entry: currentEntry, position: position, account: account.id, accountKey: account.key,
                customer: customer,
                hasAuxiliary: hasAux,
                pieceDate: pieceDate, date: date,
                letter: letter.id, letterKey: ts < te ? letter.key : -1, dateLet: dateLet,
                amount: signed, openingLabel: FECScanner.mentionsOpening(base, ls, le), referenceParts: referenceParts))
        }
        if openIndex >= 0 { ledger.entries[openIndex] = openEntry }
        // Entry numbers are decoded only where they are shown: entries with customer lines
        // (payment ids, document numbers: decoded above) and unbalanced ones (error messages).
        for (i, entry) in ledger.entries.enumerated()
        where entry.receivableLines == 0 && (entry.debits != entry.credits || entry.overflow) {
            let (s, e) = entryNumberRanges[i]
            ledger.entryNumbers[i] = encoding.string(base, s, e)
        }
        ledger.texts = texts.texts
        return ledger
    }

    private func customerName(_ base: UnsafePointer<UInt8>, hasAux: Bool, _ fs: (Int) -> Int, _ fe: (Int) -> Int,
                              _ encoding: FECTextEncoding) -> String {
        if hasAux {
            let name = encoding.string(base, fs(columns.compAuxLib), fe(columns.compAuxLib))
            return name.isEmpty ? encoding.string(base, fs(columns.compAuxNum), fe(columns.compAuxNum)) : name
        }
        return encoding.string(base, fs(columns.compteLib), fe(columns.compteLib))
    }

    @inline(__always)
    func isReceivable(_ base: UnsafePointer<UInt8>, _ s: Int, _ e: Int, readable: Int = 0) -> Bool {
        if prefixesFitWords && s &+ 8 <= readable {
            let w = UInt64(littleEndian: UnsafeRawPointer(base + s).loadUnaligned(as: UInt64.self))
            return prefixWords.withUnsafeBufferPointer { prefixes in
                for p in prefixes where p.count <= e &- s && w & p.mask == p.word { return true }
                return false
            }
        }
        outer: for prefix in receivablePrefixes where prefix.count <= e - s {
            for k in 0..<prefix.count where base[s + k] != prefix[k] { continue outer }
            return true
        }
        return false
    }

    private func dateIssue(_ base: UnsafePointer<UInt8>, _ col: Int, _ s: Int, _ e: Int, _ line: Int, _ issues: inout IssueCollector) {
        let text = String(decoding: UnsafeBufferPointer(start: base + s, count: e - s), as: UTF8.self)
        let reason = text.isEmpty ? "empty date (yyyymmdd expected)" : "'\(text)' is not a date (yyyymmdd expected)"
        issues.add(context.issue(line: line, columns.label(col), reason))
    }

    private func amountIssue(_ base: UnsafePointer<UInt8>, _ col: Int, _ s: Int, _ e: Int, _ line: Int, _ issues: inout IssueCollector) {
        let text = Array(UnsafeBufferPointer(start: base + s, count: e - s))
        issues.add(context.issue(line: line, columns.label(col), FECFieldParsing.amountProblem(text, places: col == columns.montantDevise ? 6 : places)))
    }

    /// One bit per byte of the 64 bytes at `at` (fewer at the end of the buffer, the rest
    /// reading as zero bytes): which are `separator` and which are LF.
    @inline(__always)
    static func blockMasks(_ raw: UnsafeRawPointer, _ at: Int, _ end: Int, _ separator: UInt8) -> (UInt64, UInt64) {
        if at &+ 64 <= end { return masks(raw + at, separator) }
        return tailMasks(raw, at, end, separator)
    }

    /// The last, partial block: its bytes copied into 64 zero bytes (neither separator nor LF).
    @inline(never)
    static func tailMasks(_ raw: UnsafeRawPointer, _ at: Int, _ end: Int, _ separator: UInt8) -> (UInt64, UInt64) {
        var tail: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &tail) { buffer in
            guard let copy = buffer.baseAddress else { return (0, 0) }
            if end > at { copy.copyMemory(from: raw + at, byteCount: min(64, end - at)) }
            return masks(UnsafeRawPointer(copy), separator)
        }
    }

    /// Sixteen bytes per compare (SSE2's `pcmpeqb`); each half of a compare's result, 0xFF
    /// where equal, becomes eight bits through `gather`. The masks are shifted in from the top,
    /// a dependency from one step to the next that keeps LLVM from vectorising the multiplies
    /// (which SSE2 has only as 32-bit halves: three times slower here).
    @inline(__always)
    static func masks(_ p: UnsafeRawPointer, _ separator: UInt8) -> (UInt64, UInt64) {
        var seps: UInt64 = 0, lfs: UInt64 = 0
        let sepVector = SIMD16<UInt8>(repeating: separator), lfVector = SIMD16<UInt8>(repeating: 0x0A)
        var k = 0
        while k < 4 {
            let v = p.loadUnaligned(fromByteOffset: k &* 16, as: SIMD16<UInt8>.self)
            let s = unsafeBitCast(v .== sepVector, to: SIMD2<UInt64>.self)
            let l = unsafeBitCast(v .== lfVector, to: SIMD2<UInt64>.self)
            seps = seps >> 16 | (gather(s[0]) | gather(s[1]) << 8) << 48
            lfs = lfs >> 16 | (gather(l[0]) | gather(l[1]) << 8) << 48
            k &+= 1
        }
        return (seps, lfs)
    }

    /// The low bits of the 8 bytes of `bytes` (each 0x00 or 0xFF, as a compare leaves them)
    /// as 8 bits, byte 0 in bit 0: one multiply moves each to its place in the top byte.
    @inline(__always)
    static func gather(_ bytes: UInt64) -> UInt64 {
        ((bytes & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) >> 56
    }

    /// Whether entry number `ns..<ne` comes strictly after `ls..<le`: longer, or as long and
    /// greater byte by byte (`VE000010` after `VE000009`, `100` after `99`). Any strict order
    /// does for finding entries; this one is how software numbers them.
    @inline(__always)
    static func ascending(_ base: UnsafePointer<UInt8>, _ ls: Int, _ le: Int, _ ns: Int, _ ne: Int, readable: Int = 0) -> Bool {
        let n = ne - ns
        if n != le - ls { return n > le - ls }
        if n <= 8 && ls &+ 8 <= readable && ns &+ 8 <= readable {
            // Up to 8 bytes: as big-endian words, the first byte the most significant.
            let a = word(base, ls, n).byteSwapped, b = word(base, ns, n).byteSwapped
            return b > a
        }
        var k = 0
        while k < n {
            let a = base[ls + k], b = base[ns + k]
            if a != b { return b > a }
            k += 1
        }
        return false
    }

    /// Whether the `n` bytes at `a` and at `b` are equal; words of 8 bytes compared at once
    /// when `n` ≤ 8 and 8 bytes can be read at both (below `readable`, the buffer's end).
    @inline(__always)
    static func equalBytes(_ base: UnsafePointer<UInt8>, _ a: Int, _ b: Int, _ n: Int, readable: Int) -> Bool {
        if n <= 8 && a &+ 8 <= readable && b &+ 8 <= readable { return word(base, a, n) == word(base, b, n) }
        var k = 0
        while k < n { if base[a &+ k] != base[b &+ k] { return false }; k &+= 1 }
        return true
    }

    /// The `n` (≤ 8) bytes at `at` as a little-endian word, the bytes after them cleared;
    /// 8 bytes must be readable at `at`.
    @inline(__always)
    static func word(_ base: UnsafePointer<UInt8>, _ at: Int, _ n: Int) -> UInt64 {
        let w = UInt64(littleEndian: UnsafeRawPointer(base + at).loadUnaligned(as: UInt64.self))
        return n >= 8 ? w : w & ((UInt64(1) << UInt64(n &* 8)) &- 1)
    }

    static let nouveau: [UInt8] = Array("NOUVEAU".utf8)
    static let ouverture: [UInt8] = Array("OUVERTURE".utf8)

    /// `D`/`Débit`/`+1`/`1` → 1, `C`/`Crédit`/`-1` → -1.
    static func direction(_ base: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        guard e > s else { return nil }
        let b = base[s]
        switch b {
        case 0x44, 0x64: return 1
        case 0x43, 0x63: return -1
        case 0x2B: return e - s == 2 && base[s + 1] == 0x31 ? 1 : nil
        case 0x31: return e - s == 1 ? 1 : nil
        case 0x2D: return e - s == 2 && base[s + 1] == 0x31 ? -1 : nil
        default: return nil
        }
    }

    /// A label worth quoting as a payment reference: two bytes or more, one of them a letter
    /// or a digit (Quadra writes `___` and `x` where there is nothing to say).
    @inline(__always)
    static func meaningful(_ base: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e - s >= 2 else { return false }
        for i in s..<e {
            let b = base[i]
            if b >= 0x80 || b &- 0x30 < 10 || (b | 0x20) &- 0x61 < 26 { return true }
        }
        return false
    }

    /// Whether bytes `ns..<ne` occur inside `hs..<he`.
    static func contains(_ base: UnsafePointer<UInt8>, _ hs: Int, _ he: Int, _ ns: Int, _ ne: Int) -> Bool {
        let n = ne - ns
        guard n > 0, n <= he - hs else { return n == 0 }
        var i = hs
        while i + n <= he {
            if base[i] == base[ns] {
                var k = 1
                while k < n && base[i + k] == base[ns + k] { k += 1 }
                if k == n { return true }
            }
            i += 1
        }
        return false
    }

    /// EcritureLib says the line is an opening balance: "A nouveau", "À nouveaux",
    /// "Report à nouveau", "Solde a-nouveau" (UTF-8 or Windows-1252 accent).
    static func mentionsOpening(_ base: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        // Look for the final "U" of "NOUVEAU" first: it is rare in labels, so most lines
        // cost one comparison a byte.
        var i = s + 6
        while i < e {
            if base[i] | 0x20 == 0x75,
               base[i - 6] | 0x20 == 0x6E, base[i - 5] | 0x20 == 0x6F, base[i - 4] | 0x20 == 0x75,
               base[i - 3] | 0x20 == 0x76, base[i - 2] | 0x20 == 0x65, base[i - 1] | 0x20 == 0x61 {
                // Walk back over one space or hyphen to the "a".
                var j = i - 7
                if j >= s, base[j] == 0x20 || base[j] == 0x2D { j -= 1 }
                if j >= s {
                    let a = base[j]
                    if a == 0x41 || a == 0x61 || a == 0xC0 || a == 0xE0 { return true }
                    if (a == 0x80 || a == 0xA0), j - 1 >= s, base[j - 1] == 0xC3 { return true }
                }
            }
            i += 1
        }
        return false
    }
}
