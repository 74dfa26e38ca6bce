/// Finds an entry ("écriture": JournalCode + EcritureNum) from the raw bytes of its key.
///
/// A million-line FEC has a third of a million entries; keying a `Dictionary` by `String`
/// would decode and hash a string per entry. This open-addressing table hashes the bytes in
/// place and keeps each key as offsets into the file's buffer, so finding an entry costs no
/// allocation. Valid only while that buffer is alive (the scan). The scanner needs it only once
/// a journal's entry numbers stop increasing (see `FECScanner.scan`).
struct FECEntryTable {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    /// Per entry: journal code and entry number as byte ranges of the buffer.
    private var keys: [(js: Int, je: Int, ns: Int, ne: Int)] = []
    private var mask: Int

    init(expected: Int) {
        var capacity = 1024
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        hashes.reserveCapacity(expected)
        keys.reserveCapacity(expected)
    }

    var count: Int { keys.count }

    @inline(__always)
    private static func hash(_ base: UnsafePointer<UInt8>, _ js: Int, _ je: Int, _ ns: Int, _ ne: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in js..<je { h = (h ^ UInt64(base[i])) &* 0x100_0000_01b3 }
        h = (h ^ 0x1F) &* 0x100_0000_01b3
        for i in ns..<ne { h = (h ^ UInt64(base[i])) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }

    @inline(__always)
    private static func equal(_ base: UnsafePointer<UInt8>, _ a: Int, _ ae: Int, _ b: Int, _ be: Int) -> Bool {
        guard ae - a == be - b else { return false }
        var k = 0
        while a + k < ae { if base[a + k] != base[b + k] { return false }; k += 1 }
        return true
    }

    /// The entry index for the key, inserting it as entry `count` when new.
    @inline(__always)
    mutating func findOrInsert(_ base: UnsafePointer<UInt8>, _ js: Int, _ je: Int, _ ns: Int, _ ne: Int) -> (index: Int32, inserted: Bool) {
        let h = FECEntryTable.hash(base, js, je, ns, ne)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[slot]
            if e < 0 { break }
            if hashes[Int(e)] == h {
                let k = keys[Int(e)]
                if FECEntryTable.equal(base, k.ns, k.ne, ns, ne) && FECEntryTable.equal(base, k.js, k.je, js, je) {
                    return (e, false)
                }
            }
            slot = (slot + 1) & mask
        }
        let index = Int32(keys.count)
        slots[slot] = index
        hashes.append(h)
        keys.append((js, je, ns, ne))
        if keys.count * 2 > slots.count { grow() }
        return (index, true)
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        for (i, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(i)
        }
    }
}
