/// How an open invoice stands for collection purposes.
public enum CollectionStatus: UInt8, Sendable {
    case normal = 0
    /// "Litige": contested by the customer; not reminded, still owed.
    case disputed = 1
    /// "Contentieux": handed to a lawyer, bailiff or agency; not reminded, still owed.
    case litigation = 2
}

/// The ageing buckets of the aged balance ("balance âgée"), by days past the due date.
public enum AgeBucket: Int, Sendable, CaseIterable {
    case notDue = 0, d1_30, d31_60, d61_90, d91_120, d121Plus

    /// Days past due = as-of minus due date; zero or less is not due.
    public static func of(daysPastDue: Int) -> AgeBucket {
        switch daysPastDue {
        case ...0: return .notDue
        case 1...30: return .d1_30
        case 31...60: return .d31_60
        case 61...90: return .d61_90
        case 91...120: return .d91_120
        default: return .d121Plus
        }
    }

    public var column: String {
        switch self {
        case .notDue: return "not_due"
        case .d1_30: return "d1_30"
        case .d31_60: return "d31_60"
        case .d61_90: return "d61_90"
        case .d91_120: return "d91_120"
        case .d121Plus: return "d121_plus"
        }
    }
}

/// One customer and currency line of the aged balance.
public struct AgedBalanceRow: Sendable, Equatable {
    public var customerId: String
    public var customerName: String
    public var currency: Currency
    /// Open invoice amounts per bucket, indexed by `AgeBucket.rawValue`.
    public var buckets: [Int64] = Array(repeating: 0, count: AgeBucket.allCases.count)
    public var disputed: Int64 = 0
    public var litigation: Int64 = 0
    /// Credit notes and payments not allocated to any invoice.
    public var unappliedCredit: Int64 = 0

    public init(customerId: String, customerName: String, currency: Currency) {
        self.customerId = customerId; self.customerName = customerName; self.currency = currency
    }

    public var total: Int64 { buckets.reduce(0, +) }
    public var netBalance: Int64 { total - unappliedCredit }
    public var isZero: Bool { buckets.allSatisfy { $0 == 0 } && disputed == 0 && litigation == 0 && unappliedCredit == 0 }
}

/// Builds the aged balance as a pure fold over open items; the store streams them in.
///
/// Sums use checked arithmetic: an overflow is an error, never a wrapped total.
public struct AgedBalanceBuilder: Sendable {
    public let asOf: Day
    private var rows: [Key: AgedBalanceRow] = [:]

    private struct Key: Hashable { var customer: String; var currency: Currency }

    public init(asOf: Day) { self.asOf = asOf }

    /// An invoice with `open` minor units still owed (> 0).
    public mutating func addOpenInvoice(customerId: String, customerName: String, currency: Currency,
                                        dueDate: Day, open: Int64, status: CollectionStatus) throws(MoneyError) {
        let bucket = AgeBucket.of(daysPastDue: dueDate.distance(to: asOf))
        let key = Key(customer: customerId, currency: currency)
        var row = rows[key] ?? AgedBalanceRow(customerId: customerId, customerName: customerName, currency: currency)
        row.buckets[bucket.rawValue] = try Self.add(row.buckets[bucket.rawValue], open)
        switch status {
        case .normal: break
        case .disputed: row.disputed = try Self.add(row.disputed, open)
        case .litigation: row.litigation = try Self.add(row.litigation, open)
        }
        rows[key] = row
    }

    /// A credit (payment or credit note remainder) not allocated to any invoice (> 0).
    public mutating func addUnappliedCredit(customerId: String, customerName: String, currency: Currency, amount: Int64) throws(MoneyError) {
        let key = Key(customer: customerId, currency: currency)
        var row = rows[key] ?? AgedBalanceRow(customerId: customerId, customerName: customerName, currency: currency)
        row.unappliedCredit = try Self.add(row.unappliedCredit, amount)
        rows[key] = row
    }

    private static func add(_ a: Int64, _ b: Int64) throws(MoneyError) -> Int64 {
        let (s, o) = a.addingReportingOverflow(b)
        if o { throw .overflow }
        return s
    }

    /// Rows with any non-zero column, sorted bytewise by customer id, then currency code.
    public func rowsSorted() -> [AgedBalanceRow] {
        rows.values.filter { !$0.isZero }.sorted {
            if $0.customerId != $1.customerId { return Array($0.customerId.utf8).lexicographicallyPrecedes(Array($1.customerId.utf8)) }
            return $0.currency.code < $1.currency.code
        }
    }
}
