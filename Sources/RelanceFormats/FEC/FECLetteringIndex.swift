/// Finds the lettering group ("lettrage") of a customer line from three small integers: the
/// interned keys of its account and lettering code and its customer's index.
///
/// A large ledger letters a hundred thousand groups; a `Dictionary` keyed by a `Hashable`
/// struct of the three paid a seeded SipHash per lettered line, a few percent of the whole
/// read. The keys are already dense integers, so a multiplicative hash and open addressing
/// over one array of slots do the same job with no allocation per lookup.
struct FECLetteringIndex {
    /// Group number + 1 in each slot; 0 is an empty slot.
    private var slots: [Int32]
    /// The three keys of each group, by group number.
    private var keys: [(account: Int32, customer: Int32, code: Int32)] = []
    private var mask: Int

    init(expected: Int = 0) {
        var capacity = 64
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        keys.reserveCapacity(expected)
    }

    /// Number of groups so far.
    var count: Int { keys.count }

    @inline(__always)
    private static func hash(_ account: Int32, _ customer: Int32, _ code: Int32) -> Int {
        var h = UInt64(UInt32(bitPattern: customer)) | UInt64(UInt32(bitPattern: code)) << 32
        h = (h ^ UInt64(UInt32(bitPattern: account)) &* 0x9E37_79B9_7F4A_7C15) &* 0xFF51_AFD7_ED55_8CCD
        return Int(truncatingIfNeeded: h ^ (h >> 31))
    }

    /// The group of the three keys, numbered in order of first appearance (the new number
    /// `count` when they were not met before).
    @inline(__always)
    mutating func findOrInsert(account: Int32, customer: Int32, code: Int32) -> (group: Int32, inserted: Bool) {
        var slot = FECLetteringIndex.hash(account, customer, code) & mask
        while true {
            let g = slots[slot]
            if g == 0 { break }
            let k = keys[Int(g - 1)]
            if k.customer == customer && k.code == code && k.account == account { return (g - 1, false) }
            slot = (slot + 1) & mask
        }
        let group = Int32(keys.count)
        slots[slot] = group + 1
        keys.append((account, customer, code))
        if keys.count * 2 > slots.count { grow() }
        return (group, true)
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        for (i, k) in keys.enumerated() {
            var slot = FECLetteringIndex.hash(k.account, k.customer, k.code) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i + 1)
        }
    }
}
