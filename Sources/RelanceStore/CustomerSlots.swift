/// Customer ids numbered 0, 1, 2… in order of first appearance, looked up by their UTF-8
/// bytes straight from a SQLite column.
///
/// The aged balance meets a customer id on every one of its million document and payment
/// rows; building a `String` and hashing it (Swift hashes the normalized text) for each cost
/// more than reading the row. Here a row costs one byte hash and one byte comparison, and a
/// `String` is built once per customer.
struct CustomerSlots {
    /// The ids, by slot.
    private(set) var ids: [String] = []
    private var bytes: [UInt8] = []
    /// Slot k's bytes are `bytes[starts[k]..<starts[k + 1]]`.
    private var starts: [Int] = [0]
    /// Open addressing, linear probing; -1 is an empty place.
    private var table: [Int32] = Array(repeating: -1, count: 1024)

    var count: Int { ids.count }

    /// The slot of the id with these bytes, creating it on first sight.
    mutating func slot(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let mask = table.count - 1
        var place = Self.hash(key) & mask
        while true {
            let s = Int(table[place])
            if s < 0 { break }
            if matches(s, key) { return s }
            place = (place + 1) & mask
        }
        let s = ids.count
        ids.append(String(decoding: key, as: UTF8.self))
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        table[place] = Int32(truncatingIfNeeded: s)
        if ids.count * 2 > table.count { grow() }
        return s
    }

    private func matches(_ s: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let a = starts[s], b = starts[s + 1]
        guard b - a == key.count else { return false }
        return bytes.withUnsafeBufferPointer { all in
            for i in 0..<key.count where all[a + i] != key[i] { return false }
            return true
        }
    }

    private mutating func grow() {
        table = Array(repeating: -1, count: table.count * 2)
        let mask = table.count - 1
        bytes.withUnsafeBufferPointer { all in
            for s in ids.indices {
                let key = UnsafeBufferPointer(rebasing: all[starts[s]..<starts[s + 1]])
                var place = Self.hash(key) & mask
                while table[place] >= 0 { place = (place + 1) & mask }
                table[place] = Int32(truncatingIfNeeded: s)
            }
        }
    }

    /// FNV-1a, then a multiply-shift to spread the low bits used by the table.
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }

    /// For each slot, the first slot whose id Swift deems equal (`==` compares canonically
    /// equivalent texts as equal, bytes do not): ids written with differently composed accents
    /// are one customer, as they were when the balance was keyed by `String`.
    func canonicalSlots() -> [Int] {
        var first: [String: Int] = [:]
        first.reserveCapacity(ids.count)
        var out = Array(ids.indices)
        for (s, id) in ids.enumerated() {
            if let f = first[id] { out[s] = f } else { first[id] = s }
        }
        return out
    }
}
