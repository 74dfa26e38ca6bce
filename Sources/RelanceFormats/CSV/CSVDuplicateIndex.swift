/// Finds repeated keys (document numbers, payment ids, customer ids) by their bytes in the
/// file's buffer.
///
/// A `[String: Int]` costs a String and a SipHash per row, and a hash table of a million keys
/// a cache miss per insert: together a fifth of the whole read of a million-row export. Here
/// each key's bytes are hashed (FNV-1a with a final mix) into a sequential array during the
/// pass; at the end the hashes are sorted and only equal neighbours have their bytes compared.
/// Keys are compared as written between the delimiters (quotes removed, blanks trimmed): the
/// doubled quotes of a quoted field map one-to-one to its text, so equal raw bytes mean equal
/// values and the reverse.
struct CSVDuplicateIndex {
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var lines: [Int] = []

    init() {}

    @inline(__always)
    static func hash(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < end {
            h = (h ^ UInt64(buf[i])) &* 0x100_0000_01b3
            i += 1
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    mutating func add(_ buf: UnsafeBufferPointer<UInt8>, start: Int, end: Int, line: Int) {
        hashes.append(Self.hash(buf, start, end))
        starts.append(start)
        ends.append(end)
        lines.append(line)
    }

    /// Every key seen again: its line, the line of its first occurrence, and its byte range;
    /// in line order.
    func duplicates(_ buf: UnsafeBufferPointer<UInt8>) -> [(line: Int, first: Int, start: Int, end: Int)] {
        // Entries in hash order, entry order within equal hashes. Up to 2^24 entries, a radix
        // sort of 64-bit words (40 bits of hash, 24 of entry) does it; a shorter hash only
        // means a few more byte comparisons.
        // `order` holds entry numbers; `keys` the value that groups them, in the same order.
        var order: [Int]
        var keys: [UInt64]
        if hashes.count < 1 << 24 {
            var packed = hashes.indices.map { (hashes[$0] & ~0xFF_FFFF) | UInt64($0) }
            Self.radixSortByHighBits(&packed)
            order = packed.map { Int($0 & 0xFF_FFFF) }
            keys = packed
            for i in keys.indices { keys[i] &= ~0xFF_FFFF }
        } else {
            order = hashes.indices.sorted { hashes[$0] != hashes[$1] ? hashes[$0] < hashes[$1] : $0 < $1 }
            keys = order.map { hashes[$0] }
        }
        var out: [(line: Int, first: Int, start: Int, end: Int)] = []
        var g = 0
        while g < order.count {
            var h = g + 1
            while h < keys.count && keys[h] == keys[g] { h += 1 }
            if h - g > 1 {
                // A group of equal hashes, in entry order: each entry repeats the earliest equal one.
                for j in (g + 1)..<h {
                    let e = order[j]
                    for k in g..<j {
                        let f = order[k]
                        if same(buf, f, e) {
                            out.append((lines[e], lines[f], starts[e], ends[e]))
                            break
                        }
                    }
                }
            }
            g = h
        }
        out.sort { $0.line < $1.line }
        return out
    }

    /// Sorts by bits 24…63 (the hash part), keeping the order of equal keys: four stable
    /// counting passes of ten bits, several times faster than a comparison sort on a million
    /// words. The entry numbers in the low bits arrive in increasing order and stay so.
    static func radixSortByHighBits(_ a: inout [UInt64]) {
        var b = [UInt64](repeating: 0, count: a.count)
        var counts = [Int](repeating: 0, count: 1025)
        for pass in 0..<4 {
            let shift = UInt64(24 + 10 * pass)
            for i in counts.indices { counts[i] = 0 }
            for v in a { counts[Int((v >> shift) & 0x3FF) + 1] += 1 }
            for i in 1..<counts.count { counts[i] += counts[i - 1] }
            for v in a {
                let d = Int((v >> shift) & 0x3FF)
                b[counts[d]] = v
                counts[d] += 1
            }
            swap(&a, &b)
        }
    }

    private func same(_ buf: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int) -> Bool {
        let n = ends[a] - starts[a]
        guard ends[b] - starts[b] == n else { return false }
        var k = 0
        while k < n {
            if buf[starts[a] + k] != buf[starts[b] + k] { return false }
            k += 1
        }
        return true
    }
}
