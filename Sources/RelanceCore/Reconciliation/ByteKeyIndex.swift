/// A hash index from short byte strings (compact IBANs, normalised payer names) to item
/// numbers, probed with the bytes of a buffer the caller reuses.
///
/// Why not `ReconciliationIndex<String>`: identifying the payers of 800k payments looked up two
/// Strings per payment, each built for the purpose, hashed with SipHash and compared through its
/// own heap storage; at 1M invoices that was a fifth of the read-ahead thread. Here all keys sit
/// in one byte array, and a probe reads one table slot (which holds the key's number and the
/// high half of its hash) and, when that half agrees, the key's bytes.
struct ByteKeyIndex: Sendable {
    /// The keys' bytes, one after another; key `k` ends at `ends[k]`.
    private var arena: [UInt8] = []
    private var ends: [Int32] = []
    private var hashes: [UInt64] = []
    /// Per key: ≥ 0, its only item; < 0, `-(m + 1)` is its list in `many`.
    private var items: [Int32] = []
    private var many: [[Int32]] = []
    /// Open addressing (linear probing): 0 empty, else the high 32 bits of the key's hash and,
    /// in the low 32 bits, its number + 1.
    private var table: [UInt64]
    private var shift: UInt64
    private static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = [UInt64](repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    private static func entry(_ k: Int, _ h: UInt64) -> UInt64 { h & tagMask | UInt64(k + 1) }

    var count: Int { ends.count }

    /// FNV-1a, 64 bits.
    static func hash(_ key: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// The table slot to start probing at (Fibonacci hashing: the multiplication spreads the
    /// low bits of FNV into the high bits kept).
    private func start(_ h: UInt64) -> Int { Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    private func keyEquals(_ k: Int32, _ key: [UInt8]) -> Bool {
        let end = Int(ends[Int(k)])
        let begin = k == 0 ? 0 : Int(ends[Int(k) - 1])
        guard end - begin == key.count else { return false }
        var i = begin
        for b in key {
            if arena[i] != b { return false }
            i += 1
        }
        return true
    }

    /// The key number of `key` (hash `h`), or the empty table slot where it would go.
    private func find(_ key: [UInt8], _ h: UInt64) -> (key: Int32?, slot: Int) {
        let mask = table.count - 1
        var s = start(h)
        while true {
            let e = table[s]
            if e == 0 { return (nil, s) }
            if e & Self.tagMask == h & Self.tagMask {
                let k = Int32(truncatingIfNeeded: e & 0xFFFF_FFFF) - 1
                if keyEquals(k, key) { return (k, s) }
            }
            s = (s + 1) & mask
        }
    }

    mutating func insert(_ key: [UInt8], _ item: Int32) {
        let h = Self.hash(key)
        let (found, slot) = find(key, h)
        guard let k = found else {
            arena.append(contentsOf: key)
            ends.append(Int32(arena.count))
            hashes.append(h)
            items.append(item)
            table[slot] = Self.entry(ends.count - 1, h)
            if ends.count * 2 > table.count { grow() }
            return
        }
        let s = items[Int(k)]
        if s >= 0 {
            if s == item { return }
            many.append([s, item])
            items[Int(k)] = -Int32(many.count)
        } else {
            let m = Int(-s - 1)
            if !many[m].contains(item) { many[m].append(item) }
        }
    }

    private mutating func grow() {
        let size = table.count * 2
        table = [UInt64](repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
        let mask = size - 1
        for (k, h) in hashes.enumerated() {
            var s = start(h)
            while table[s] != 0 { s = (s + 1) & mask }
            table[s] = Self.entry(k, h)
        }
    }

    func lookup(_ key: [UInt8]) -> IndexHits {
        guard let k = find(key, Self.hash(key)).key else { return IndexHits() }
        let s = items[Int(k)]
        return s >= 0 ? IndexHits(single: s) : IndexHits(many: many[Int(-s - 1)][...])
    }
}
