import RelanceCore

/// Turns FEC lettering ("lettrage": `EcritureLet`, `DateLet`) into stated allocations.
///
/// The accountant letters together the lines of a customer account that settle each other:
/// an invoice and the payment that paid it, or three invoices and one transfer. The FEC says
/// which lines belong together but not which credit paid which debit; within a group the
/// reader spreads each credit (payment, credit note) over the debits (invoices), oldest
/// credit first onto oldest debit first, which is how accountants and collection tools read
/// a lettered group. A group that does not balance (partial lettering, or lower-case codes
/// some software uses for it) is spread the same way and said to be partial in the evidence.
struct FECLettering {
    /// What a lettered line is in the batch. Documents and payments are named by their index
    /// in the batch's arrays: an item with no reference inside copies without reference
    /// counting, and a hundred thousand groups are sorted and walked.
    enum Role: Sendable {
        /// An invoice (index into the batch's documents).
        case invoice(document: Int32)
        /// A credit note (index into the batch's documents).
        case creditNote(document: Int32)
        /// A positive payment (index into the batch's payments).
        case payment(index: Int32)
        /// A bank debit to the customer: a refund or a returned payment (negative payment).
        case refund(index: Int32)
        /// A customer debit that is neither invoice nor refund (an adjustment in a miscellaneous
        /// journal): it absorbs credit but names no invoice.
        case otherDebit
        /// The credit side of a transfer between receivable accounts (411 → 416): it consumes
        /// invoices like a payment but allocates nothing; what it consumed travels with the
        /// transfer to the debit side.
        case transferOut(entry: Int32)
        /// The debit side of a transfer: stands for the invoices the credit side consumed.
        case transferIn(entry: Int32)
    }

    struct Item: Sendable {
        var role: Role
        /// Magnitude, > 0.
        var amount: Int64
        var date: Day
        var line: Int32
        var isDebit: Bool {
            switch role {
            case .invoice, .refund, .otherDebit, .transferIn: return true
            case .creditNote, .payment, .transferOut: return false
            }
        }
    }

    /// The lines of one account and customer sharing one lettering code. Codes are kept per
    /// account because software letters each account separately (Quadra reuses `AA` on
    /// every customer, and a 416 account may reuse the code of its 411 account).
    /// Texts are named by number: `account` and `code` in the ledger's interned texts,
    /// `customer` in its customers.
    struct Group: Sendable {
        var account: Int32
        var customer: Int32
        var code: Int32
        var dateLet: Day?
        /// The group's items are `items[first ..< first + count]` once `allocate` has
        /// arranged them.
        var first: Int32 = 0
        var count: Int32 = 0
    }

    /// The texts that groups and items name by number, for allocations and evidence.
    struct Names {
        /// The ledger's interned texts (accounts, lettering codes).
        var texts: [String]
        var customerIds: [String]
        var documents: [Document]
    }

    /// The evidence of `group`'s allocations.
    private static func evidence(_ group: Group, _ names: Names, partial: (debits: Int64, credits: Int64)?,
                                 _ currency: Currency) -> String {
        evidence(code: names.texts[Int(group.code)], account: names.texts[Int(group.account)],
                 customerId: names.customerIds[Int(group.customer)], dateLet: group.dateLet, partial: partial, currency)
    }

    /// Names the code, the account and the customer, and says when the group is partial.
    static func evidence(code: String, account: String, customerId: String, dateLet: Day?,
                         partial: (debits: Int64, credits: Int64)?, _ currency: Currency) -> String {
        // Written byte by byte into the string's own storage: string interpolation here cost
        // more than the rest of the allocation, and a byte array then a copy to a String
        // was still a visible share of reading a large ledger.
        var amounts: (String, String)?
        if let partial {
            amounts = (MinorUnits.format(partial.debits, places: currency.minorUnits),
                       MinorUnits.format(partial.credits, places: currency.minorUnits))
        }
        let capacity = 160 + code.utf8.count + account.utf8.count + customerId.utf8.count
            + (amounts.map { $0.0.utf8.count + $0.1.utf8.count } ?? 0)
        return String(unsafeUninitializedCapacity: capacity) { text in
            var i = 0
            func put(_ s: StaticString) {
                let p = s.utf8Start
                for k in 0..<s.utf8CodeUnitCount { text[i] = p[k]; i += 1 }
            }
            func put(_ s: String) { i += FECRecordBuilder.write(s, into: text, at: i) }
            func put(_ b: UInt8) { text[i] = b; i += 1 }
            put("FEC lettering '")
            put(code)
            put("' on account ")
            put(account)
            put(", customer ")
            put(customerId)
            if let d = dateLet {
                let c = d.components
                put(", lettered ")
                let y = c.year
                put(UInt8(0x30 + y / 1000 % 10)); put(UInt8(0x30 + y / 100 % 10))
                put(UInt8(0x30 + y / 10 % 10)); put(UInt8(0x30 + y % 10))
                put(0x2D); put(UInt8(0x30 + c.month / 10)); put(UInt8(0x30 + c.month % 10))
                put(0x2D); put(UInt8(0x30 + c.day / 10)); put(UInt8(0x30 + c.day % 10))
            }
            if let amounts {
                put(", partial group (debits ")
                put(amounts.0)
                put(", credits ")
                put(amounts.1)
                put(0x29)
            }
            put(": credits spread over debits oldest first")
            return i
        }
    }

    /// A debit's open amount, split by the invoice it stands for (document index, -1: no
    /// invoice known).
    private struct Segment {
        var invoice: Int32
        var open: Int64
    }

    private(set) var allocations: [StatedAllocation] = []
    private(set) var partialGroups = 0
    private(set) var reversalsPaired = 0
    private(set) var groups: [Group] = []
    private var index: FECLetteringIndex
    /// Items in the order they were added, and the group of each; `allocate` arranges them
    /// group by group into `items`.
    private var added: [Item] = []
    private var addedGroup: [Int32] = []
    private var items: [Item] = []
    /// Scratch space reused from group to group (sorted items, open debits, allocations of
    /// one credit): one allocation for the whole ledger instead of a few per group.
    private var work: [Item] = []
    private var segments: [Segment] = []
    private var produced: [(invoice: Int32, amount: Int64)] = []

    /// `expectedItems`: about how many lettered lines will be added.
    init(expectedItems: Int = 0) {
        index = FECLetteringIndex(expected: expectedItems / 2)
        added.reserveCapacity(expectedItems)
        addedGroup.reserveCapacity(expectedItems)
        groups.reserveCapacity(expectedItems / 2)
    }

    /// Adds a lettered line to the group of its account, customer and code (by interned key),
    /// keeping the latest `DateLet` of the group's lines.
    mutating func add(_ item: Item, account: Int32, accountKey: Int32, customer: Int32,
                      code: Int32, codeKey: Int32, dateLet: Day?) {
        let (g, inserted) = index.findOrInsert(account: accountKey, customer: customer, code: codeKey)
        if inserted { groups.append(Group(account: account, customer: customer, code: code)) }
        if let dateLet, groups[Int(g)].dateLet.map({ dateLet > $0 }) ?? true { groups[Int(g)].dateLet = dateLet }
        added.append(item)
        addedGroup.append(g)
    }

    /// Spreads every group, resolving transfers before the groups that depend on them.
    mutating func allocate(_ names: Names, payments: inout [Payment], currency: Currency) {
        arrange()
        // Most groups are one invoice and the one credit that settles it: one allocation each.
        allocations.reserveCapacity(groups.count)
        MemoryPrefault.populate(&allocations)
        // Which groups hold the credit side of each transfer entry.
        var producers: [Int32: [Int]] = [:]
        for (g, group) in groups.enumerated() {
            for k in Int(group.first)..<Int(group.first + group.count) {
                if case let .transferOut(e) = items[k].role { producers[e, default: []].append(g) }
            }
        }
        var pools: [Int32: [Segment]] = [:]
        if producers.isEmpty {
            // No transfer: every group is ready, in order.
            for g in groups.indices { spread(g, names, payments: &payments, pools: &pools, currency: currency) }
            return
        }
        var done = [Bool](repeating: false, count: groups.count)
        var remaining = groups.count
        var forced = false
        while remaining > 0 {
            var progressed = false
            for g in groups.indices where !done[g] {
                if !forced {
                    var ready = true
                    check: for k in Int(groups[g].first)..<Int(groups[g].first + groups[g].count) {
                        if case let .transferIn(e) = items[k].role {
                            for producer in producers[e] ?? [] where producer != g && !done[producer] {
                                ready = false
                                break check
                            }
                        }
                    }
                    if !ready { continue }
                }
                spread(g, names, payments: &payments, pools: &pools, currency: currency)
                done[g] = true
                remaining -= 1
                progressed = true
                forced = false
            }
            // A cycle of transfers (416 → 411 → 416 lettered both ways): process one anyway.
            if !progressed { forced = true }
        }
    }

    /// Moves the added items into `items`, each group's together in the order they were added
    /// (a counting sort on the group number).
    private mutating func arrange() {
        for g in addedGroup { groups[Int(g)].count += 1 }
        var next = 0
        for g in groups.indices {
            groups[g].first = Int32(next)
            next += Int(groups[g].count)
        }
        var fill = groups.map(\.first)
        items = added
        for (i, g) in addedGroup.enumerated() {
            items[Int(fill[Int(g)])] = added[i]
            fill[Int(g)] += 1
        }
        added = []
        addedGroup = []
    }

    private static func hasLowercase(_ code: String) -> Bool {
        code.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A })
    }

    private mutating func spread(_ g: Int, _ names: Names, payments: inout [Payment], pools: inout [Int32: [Segment]],
                                 currency: Currency) {
        let group = groups[g]
        let first = Int(group.first), count = Int(group.count)
        let code = names.texts[Int(group.code)]
        // The common group: one invoice and the one payment or credit note that settles it.
        if count == 2 {
            let (a, b) = (items[first], items[first + 1])
            let pair = a.isDebit ? (a, b) : (b, a)
            if case let .invoice(document) = pair.0.role, !pair.1.isDebit, pair.0.amount == pair.1.amount,
               !FECLettering.hasLowercase(code) {
                let credit: StatedAllocation.Credit?
                switch pair.1.role {
                case let .payment(index): credit = .payment(id: payments[Int(index)].paymentId)
                case let .creditNote(creditDocument): credit = .creditNote(number: names.documents[Int(creditDocument)].number)
                default: credit = nil
                }
                if let credit {
                    allocations.append(StatedAllocation(credit: credit, invoiceNumber: names.documents[Int(document)].number,
                                                        amount: pair.0.amount, currency: currency,
                                                        rule: .sourceLettering,
                                                        evidence: FECLettering.evidence(group, names, partial: nil, currency)))
                    return
                }
            }
        }
        work.removeAll(keepingCapacity: true)
        work.append(contentsOf: items[first..<first + count])
        work.sort { ($0.date, $0.line) < ($1.date, $1.line) }
        var debitTotal: Int64 = 0, creditTotal: Int64 = 0
        for item in work {
            if item.isDebit { debitTotal &+= item.amount } else { creditTotal &+= item.amount }
        }
        let partial = debitTotal != creditTotal || FECLettering.hasLowercase(code)
        if partial { partialGroups += 1 }

        // A refund of the same amount as a payment of the group reverses it (a returned
        // cheque lettered with the cheque): neither is then spread.
        var excluded = Set<Int>()
        for r in work.indices {
            guard case let .refund(refundIndex) = work[r].role else { continue }
            var match: Int?
            for p in work.indices where !excluded.contains(p) && work[p].amount == work[r].amount {
                if case .payment = work[p].role {
                    if p < r || match == nil { match = p }
                }
            }
            if let p = match, case let .payment(paymentIndex) = work[p].role {
                excluded.insert(p); excluded.insert(r)
                payments[Int(refundIndex)].reverses = payments[Int(paymentIndex)].paymentId
                reversalsPaired += 1
            }
        }
        if !excluded.isEmpty {
            work = work.enumerated().filter { !excluded.contains($0.offset) }.map(\.element)
        }

        // The debits' open amounts, oldest debit first, flattened: spreading walks them in order.
        segments.removeAll(keepingCapacity: true)
        for item in work where item.isDebit {
            switch item.role {
            case let .invoice(document):
                segments.append(Segment(invoice: document, open: item.amount))
            case let .transferIn(entry):
                var need = item.amount
                if var pool = pools[entry] {
                    while need > 0, !pool.isEmpty {
                        let take = min(need, pool[0].open)
                        segments.append(Segment(invoice: pool[0].invoice, open: take))
                        pool[0].open -= take
                        if pool[0].open == 0 { pool.removeFirst() }
                        need -= take
                    }
                    pools[entry] = pool
                }
                if need > 0 { segments.append(Segment(invoice: -1, open: need)) }
            default:
                segments.append(Segment(invoice: -1, open: item.amount))
            }
        }

        let text = FECLettering.evidence(group, names, partial: partial ? (debitTotal, creditTotal) : nil, currency)

        var d = 0
        for item in work where !item.isDebit {
            var left = item.amount
            let credit: StatedAllocation.Credit?
            var transfer: Int32?
            switch item.role {
            case let .payment(index): credit = .payment(id: payments[Int(index)].paymentId)
            case let .creditNote(document): credit = .creditNote(number: names.documents[Int(document)].number)
            case let .transferOut(entry): credit = nil; transfer = entry
            default: credit = nil
            }
            produced.removeAll(keepingCapacity: true)
            while left > 0 && d < segments.count {
                let take = min(left, segments[d].open)
                if take > 0 {
                    let invoice = segments[d].invoice
                    segments[d].open -= take
                    left -= take
                    if let transfer {
                        pools[transfer, default: []].append(Segment(invoice: invoice, open: take))
                    } else if invoice >= 0, credit != nil {
                        if let last = produced.indices.last, produced[last].invoice == invoice { produced[last].amount += take }
                        else { produced.append((invoice, take)) }
                    }
                }
                if segments[d].open == 0 { d += 1 }
            }
            if let credit {
                for (invoice, amount) in produced {
                    allocations.append(StatedAllocation(credit: credit, invoiceNumber: names.documents[Int(invoice)].number,
                                                        amount: amount, currency: currency,
                                                        rule: .sourceLettering, evidence: text))
                }
            }
        }
    }
}
