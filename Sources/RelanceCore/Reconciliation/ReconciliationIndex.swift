/// A hash index from a key to one or several item numbers, without an array per key in the
/// common single-item case (a million invoices, one key each).
struct ReconciliationIndex<Key: Hashable & Sendable>: Sendable {
    /// ≥ 0: the only item; < 0: `-(k + 1)` is the slot in `many`.
    private var slots: [Key: Int32] = [:]
    private var many: [[Int32]] = []

    init(capacity: Int = 0) { slots.reserveCapacity(capacity) }

    mutating func insert(_ key: Key, _ item: Int32) {
        // One hash probe: the slot is modified in place (absent reads as `Int32.min`).
        Self.insert(item, into: &slots[key, default: Int32.min], many: &many)
    }

    private static func insert(_ item: Int32, into s: inout Int32, many: inout [[Int32]]) {
        if s == Int32.min {
            s = item
        } else if s >= 0 {
            if s == item { return }
            many.append([s, item])
            s = -Int32(many.count)
        } else {
            let k = Int(-s - 1)
            if !many[k].contains(item) { many[k].append(item) }
        }
    }

    func lookup(_ key: Key) -> IndexHits {
        guard let s = slots[key] else { return IndexHits() }
        if s >= 0 { return IndexHits(single: s) }
        return IndexHits(many: many[Int(-s - 1)][...])
    }
}

/// The items found under one key, without allocating for the common single item.
struct IndexHits: RandomAccessCollection, Sendable {
    private var single: Int32 = -1
    private var many: ArraySlice<Int32>? = nil

    init() {}
    init(single: Int32) { self.single = single }
    init(many: ArraySlice<Int32>) { self.many = many }

    var startIndex: Int { 0 }
    var endIndex: Int { many?.count ?? (single >= 0 ? 1 : 0) }

    subscript(position: Int) -> Int32 {
        if let many { return many[many.startIndex + position] }
        return single
    }
}

/// Key of the per-customer amount index.
struct CustomerAmountKey: Hashable, Sendable {
    var customer: Int32
    var currency: Currency
    var amount: Int64
}

/// Key of the all-customers amount index (candidates for an unknown payer).
struct AmountKey: Hashable, Sendable {
    var currency: Currency
    var amount: Int64
}
