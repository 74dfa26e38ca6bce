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
    /// What a lettered line is in the batch.
    enum Role: Sendable {
        case invoice(number: String)
        case creditNote(number: String)
        /// A positive payment (index into the batch's payments).
        case payment(index: Int)
        /// A bank debit to the customer: a refund or a returned payment (negative payment).
        case refund(index: Int)
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
    struct Group: Sendable {
        var account: String
        var customerId: String
        var code: String
        var dateLet: Day?
        var items: [Item] = []
    }

    /// Names the code, the account and the customer, and says when the group is partial.
    static func evidence(_ group: Group, partial: (debits: Int64, credits: Int64)?, _ currency: Currency) -> String {
        // Written byte by byte into the string's own storage: string interpolation here cost
        // more than the rest of the allocation, and a byte array then a copy to a String
        // was still a visible share of reading a large ledger.
        var amounts: (String, String)?
        if let partial {
            amounts = (MinorUnits.format(partial.debits, places: currency.minorUnits),
                       MinorUnits.format(partial.credits, places: currency.minorUnits))
        }
        let capacity = 160 + group.code.utf8.count + group.account.utf8.count + group.customerId.utf8.count
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
            put(group.code)
            put("' on account ")
            put(group.account)
            put(", customer ")
            put(group.customerId)
            if let d = group.dateLet {
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

    /// A debit's open amount, split by the invoice it stands for (nil: no invoice known).
    private struct Segment {
        var invoice: String?
        var open: Int64
    }

    private(set) var allocations: [StatedAllocation] = []
    private(set) var partialGroups = 0
    private(set) var reversalsPaired = 0

    /// Spreads every group, resolving transfers before the groups that depend on them.
    mutating func allocate(_ groups: [Group], payments: inout [Payment], currency: Currency) {
        // Which groups hold the credit side of each transfer entry.
        var producers: [Int32: [Int]] = [:]
        for (g, group) in groups.enumerated() {
            for item in group.items {
                if case let .transferOut(e) = item.role { producers[e, default: []].append(g) }
            }
        }
        var done = [Bool](repeating: false, count: groups.count)
        var pools: [Int32: [Segment]] = [:]
        var remaining = groups.count
        var forced = false
        while remaining > 0 {
            var progressed = false
            for g in groups.indices where !done[g] {
                if !forced {
                    var ready = true
                    check: for item in groups[g].items {
                        if case let .transferIn(e) = item.role {
                            for producer in producers[e] ?? [] where producer != g && !done[producer] {
                                ready = false
                                break check
                            }
                        }
                    }
                    if !ready { continue }
                }
                spread(groups[g], payments: &payments, pools: &pools, currency: currency)
                done[g] = true
                remaining -= 1
                progressed = true
                forced = false
            }
            // A cycle of transfers (416 → 411 → 416 lettered both ways): process one anyway.
            if !progressed { forced = true }
        }
    }

    private mutating func spread(_ group: Group, payments: inout [Payment], pools: inout [Int32: [Segment]], currency: Currency) {
        // The common group: one invoice and the one payment or credit note that settles it.
        if group.items.count == 2 {
            let (a, b) = (group.items[0], group.items[1])
            let pair = a.isDebit ? (a, b) : (b, a)
            if case let .invoice(number) = pair.0.role, !pair.1.isDebit, pair.0.amount == pair.1.amount,
               !group.code.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) {
                let credit: StatedAllocation.Credit?
                switch pair.1.role {
                case let .payment(index): credit = .payment(id: payments[index].paymentId)
                case let .creditNote(creditNumber): credit = .creditNote(number: creditNumber)
                default: credit = nil
                }
                if let credit {
                    allocations.append(StatedAllocation(credit: credit, invoiceNumber: number, amount: pair.0.amount, currency: currency,
                                                        rule: .sourceLettering, evidence: FECLettering.evidence(group, partial: nil, currency)))
                    return
                }
            }
        }
        var items = group.items.sorted { ($0.date, $0.line) < ($1.date, $1.line) }
        var debitTotal: Int64 = 0, creditTotal: Int64 = 0
        for item in items {
            if item.isDebit { debitTotal &+= item.amount } else { creditTotal &+= item.amount }
        }
        let partial = debitTotal != creditTotal || group.code.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A })
        if partial { partialGroups += 1 }

        // A refund of the same amount as a payment of the group reverses it (a returned
        // cheque lettered with the cheque): neither is then spread.
        var excluded = Set<Int>()
        for r in items.indices {
            guard case let .refund(refundIndex) = items[r].role else { continue }
            var match: Int?
            for p in items.indices where !excluded.contains(p) && items[p].amount == items[r].amount {
                if case .payment = items[p].role {
                    if p < r || match == nil { match = p }
                }
            }
            if let p = match, case let .payment(paymentIndex) = items[p].role {
                excluded.insert(p); excluded.insert(r)
                payments[refundIndex].reverses = payments[paymentIndex].paymentId
                reversalsPaired += 1
            }
        }
        if !excluded.isEmpty {
            items = items.enumerated().filter { !excluded.contains($0.offset) }.map(\.element)
        }

        // The debits' open amounts, oldest debit first, flattened: spreading walks them in order.
        var segments: [Segment] = []
        segments.reserveCapacity(items.count)
        for item in items where item.isDebit {
            switch item.role {
            case let .invoice(number):
                segments.append(Segment(invoice: number, open: item.amount))
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
                if need > 0 { segments.append(Segment(invoice: nil, open: need)) }
            default:
                segments.append(Segment(invoice: nil, open: item.amount))
            }
        }

        let evidence = FECLettering.evidence(group, partial: partial ? (debitTotal, creditTotal) : nil, currency)

        var d = 0
        for item in items where !item.isDebit {
            var left = item.amount
            let credit: StatedAllocation.Credit?
            var transfer: Int32?
            switch item.role {
            case let .payment(index): credit = .payment(id: payments[index].paymentId)
            case let .creditNote(number): credit = .creditNote(number: number)
            case let .transferOut(entry): credit = nil; transfer = entry
            default: credit = nil
            }
            var produced: [(String, Int64)] = []
            while left > 0 && d < segments.count {
                let take = min(left, segments[d].open)
                if take > 0 {
                    let invoice = segments[d].invoice
                    segments[d].open -= take
                    left -= take
                    if let transfer {
                        pools[transfer, default: []].append(Segment(invoice: invoice, open: take))
                    } else if let invoice, credit != nil {
                        if let last = produced.indices.last, produced[last].0 == invoice { produced[last].1 += take }
                        else { produced.append((invoice, take)) }
                    }
                }
                if segments[d].open == 0 { d += 1 }
            }
            if let credit {
                for (invoice, amount) in produced {
                    allocations.append(StatedAllocation(credit: credit, invoiceNumber: invoice, amount: amount, currency: currency,
                                                        rule: .sourceLettering, evidence: evidence))
                }
            }
        }
    }
}
