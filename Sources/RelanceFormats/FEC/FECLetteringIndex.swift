/// Finds the lettering group ("lettrage") of a customer line from three small integers: the
/// interned keys of its account and lettering code and its customer's index.
///
/// A large ledger letters a hundred thousand groups; a `Dictionary` keyed by a `Hashable`
/// struct of the three paid a seeded SipHash per lettered line, a few percent of the whole
/// read. The keys are already dense integers, so a multiplicative hash and open addressing
/// over one array of slots do the same job with no allocation per lookup.
struct FECLetteringIndex {
    /// One slot: the three keys and the group number (-1: empty slot). Keys and answer in one
    /// 16-byte slot: a lookup in a table of a hundred thousand groups costs one cache miss,
    /// where separate arrays for keys and slots cost two.
    private struct Slot {
        var account: Int32
        var customer: Int32
        var code: Int32
        var group: Int32
    }
    private var slots: [Slot]
    private var mask: Int
    /// Number of groups so far.
    private(set) var count = 0

    init(expected: Int = 0) {
        var capacity = 64
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Slot](repeating: Slot(account: 0, customer: 0, code: 0, group: -1), count: capacity)
        mask = capacity - 1
    }

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
            let s = slots[slot]
            if s.group < 0 { break }
            if s.customer == customer && s.code == code && s.account == account { return (s.group, false) }
            slot = (slot + 1) & mask
        }
        let group = Int32(count)
        slots[slot] = Slot(account: account, customer: customer, code: code, group: group)
        count += 1
        if count * 2 > slots.count { grow() }
        return (group, true)
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(account: 0, customer: 0, code: 0, group: -1), count: old.count * 2)
        mask = slots.count - 1
        for s in old where s.group >= 0 {
            var slot = FECLetteringIndex.hash(s.account, s.customer, s.code) & mask
            while slots[slot].group >= 0 { slot = (slot + 1) & mask }
            slots[slot] = s
        }
    }
}
