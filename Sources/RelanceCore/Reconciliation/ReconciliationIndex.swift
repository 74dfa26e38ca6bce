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

/// Keys of `IntegerKeyIndex`: a few integers, folded into one.
protocol IntegerIndexKey: Equatable, Sendable {
    /// The key as one integer; different keys should rarely fold alike (the index verifies).
    var folded: UInt64 { get }
    /// A key for the empty slots (never looked at: an empty slot is told by its item).
    static var placeholder: Self { get }
}

/// `ReconciliationIndex` for integer keys (packed invoice-number keys, customer and amount):
/// open addressing with the key and its items in one slot, and an integer mix instead of
/// SipHash. Building the engine's indexes of a million invoices spent most of its time hashing
/// and probing `Dictionary`s.
struct IntegerKeyIndex<Key: IntegerIndexKey>: Sendable {
    private struct Slot: Sendable {
        var key: Key
        /// ≥ 0: the only item; `empty`: a free slot; else `-(k + 1)` is the list in `many`.
        var item: Int32
    }

    private static var empty: Int32 { Int32.min }
    private var slots: [Slot]
    private var many: [[Int32]] = []
    private var count = 0
    private var shift: UInt64

    init(capacity: Int = 0) {
        var size = 16
        while size * 3 < capacity * 4 { size <<= 1 }
        slots = [Slot](repeating: Slot(key: .placeholder, item: Self.empty), count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// MurmurHash3's 64-bit finaliser: every bit of the key moves the slot.
    @inline(__always)
    private func start(_ key: Key) -> Int {
        var h = key.folded
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h >> shift)
    }

    mutating func insert(_ key: Key, _ item: Int32) {
        let mask = slots.count - 1
        var s = start(key)
        while slots[s].item != Self.empty {
            if slots[s].key == key {
                let present = slots[s].item
                if present >= 0 {
                    if present == item { return }
                    many.append([present, item])
                    slots[s].item = -Int32(many.count)
                } else {
                    let k = Int(-present - 1)
                    if !many[k].contains(item) { many[k].append(item) }
                }
                return
            }
            s = (s + 1) & mask
        }
        slots[s] = Slot(key: key, item: item)
        count += 1
        if count * 4 > slots.count * 3 { grow() }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(key: .placeholder, item: Self.empty), count: old.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for slot in old where slot.item != Self.empty {
            var s = start(slot.key)
            while slots[s].item != Self.empty { s = (s + 1) & mask }
            slots[s] = slot
        }
    }

    func lookup(_ key: Key) -> IndexHits {
        let mask = slots.count - 1
        var s = start(key)
        while slots[s].item != Self.empty {
            if slots[s].key == key {
                let item = slots[s].item
                return item >= 0 ? IndexHits(single: item) : IndexHits(many: many[Int(-item - 1)][...])
            }
            s = (s + 1) & mask
        }
        return IndexHits()
    }
}

/// A packed invoice-number key (`PackedKey.code`) as two words: 8-byte alignment keeps an
/// index slot at 24 bytes (a `UInt128` would make it 32).
struct PackedCode: IntegerIndexKey {
    var high: UInt64
    var low: UInt64
    init(_ code: UInt128) {
        high = UInt64(truncatingIfNeeded: code >> 64)
        low = UInt64(truncatingIfNeeded: code)
    }
    var folded: UInt64 { low ^ high &* 0x9E37_79B9_7F4A_7C15 }
    static var placeholder: PackedCode { PackedCode(0) }
}

extension CustomerAmountKey: IntegerIndexKey {
    var folded: UInt64 { UInt64(bitPattern: amount) ^ (UInt64(UInt32(bitPattern: customer)) << 32 | UInt64(currency.packed)) &* 0x9E37_79B9_7F4A_7C15 }
    static var placeholder: CustomerAmountKey { CustomerAmountKey(customer: 0, currency: .eur, amount: 0) }
}

extension AmountKey: IntegerIndexKey {
    var folded: UInt64 { UInt64(bitPattern: amount) ^ UInt64(currency.packed) &* 0x9E37_79B9_7F4A_7C15 }
    static var placeholder: AmountKey { AmountKey(currency: .eur, amount: 0) }
}
