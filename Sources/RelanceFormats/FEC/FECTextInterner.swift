/// Decodes each distinct value of a repeated FEC field once, keyed by its raw bytes.
///
/// A ledger repeats a few values on every customer line: the receivable account (`411000`),
/// the customer's `CompAuxNum`, lettering codes. Decoding a `String` per line and hashing it
/// into a `Dictionary` cost more than the rest of the line; here the bytes are hashed in place
/// (a known value costs no allocation) and each new value is decoded once.
///
/// Every value gets two numbers. Its `id` names its exact text (same bytes, same text). Its
/// `key` follows `String` equality, which is Unicode canonical equivalence: two byte
/// sequences that decode to equal strings ("é" precomposed or as "e" + U+0301) share a key,
/// exactly as they shared an entry of the `[String: …]` dictionaries this replaces. Keys are
/// dense (0, 1, 2…), so callers can index arrays by them.
///
/// Each value's bytes are copied into the interner's own table: comparing with their first
/// occurrence in the file instead cost a cache miss per lookup.
struct FECTextInterner {
    /// Decoded text of each id.
    private(set) var texts: [String] = []
    /// Number of distinct keys so far.
    private(set) var keyCount: Int32 = 0
    private var keyOfText: [String: Int32] = [:]
    /// One cache line serves a lookup: the hash, the answer, and the first 16 bytes of the
    /// value (all of it for account numbers, customer ids and lettering codes). Separate
    /// arrays for these cost a cache miss each, the file's stream evicting them between lines.
    private struct Slot {
        var hash: UInt64 = 0
        var head0: UInt64 = 0
        var head1: UInt64 = 0
        var length: Int32 = -1  // -1: empty slot
        var id: Int32 = 0
        var key: Int32 = 0
    }
    private var slots: [Slot]
    /// Bytes of values longer than 16 bytes, one after the other, and where each starts.
    private var arena: [UInt8] = []
    private var arenaStart: [Int] = []
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
    }

    var count: Int { texts.count }

    /// The id and key of the text in bytes `start..<end` (already trimmed), decoding it the
    /// first time these bytes are met. `readable`: the end of the buffer, when the caller
    /// knows it; with 16 bytes readable from `start`, the first 16 bytes are read as two words
    /// and masked, instead of byte by byte.
    @inline(__always)
    mutating func intern(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int,
                         _ encoding: FECTextEncoding, readable: Int = 0) -> (id: Int32, key: Int32) {
        let n = end - start
        let head0: UInt64, head1: UInt64
        if start &+ 16 <= readable {
            let raw = UnsafeRawPointer(base + start)
            let w0 = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            let w1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            head0 = n >= 8 ? w0 : w0 & ((UInt64(1) << UInt64(8 &* n)) &- 1)
            head1 = n >= 16 ? w1 : n > 8 ? w1 & ((UInt64(1) << UInt64(8 &* (n &- 8))) &- 1) : 0
        } else {
            head0 = FECTextInterner.word(base, start, min(end, start + 8))
            head1 = n > 8 ? FECTextInterner.word(base, start + 8, min(end, start + 16)) : 0
        }
        let h = FECTextInterner.hash(base, start, end, head0, head1)
        var slot = Int(truncatingIfNeeded: h) & mask
        let found: (Int32, Int32)? = slots.withUnsafeBufferPointer { table in
            while true {
                let entry = table[slot]
                if entry.length < 0 { return nil }
                if entry.hash == h && entry.head0 == head0 && entry.head1 == head1 && Int(entry.length) == n
                    && (n <= 16 || tailMatches(Int(entry.id), base, start + 16, end)) {
                    return (entry.id, entry.key)
                }
                slot = (slot + 1) & mask
            }
        }
        if let found { return found }
        let id = Int32(texts.count)
        let text = encoding.string(base, start, end)
        let key: Int32
        if let known = keyOfText[text] {
            key = known
        } else {
            key = keyCount
            keyCount += 1
            keyOfText[text] = key
        }
        texts.append(text)
        arenaStart.append(arena.count)
        if n > 16 { arena.append(contentsOf: UnsafeBufferPointer(start: base + start + 16, count: n - 16)) }
        slots[slot] = Slot(hash: h, head0: head0, head1: head1, length: Int32(n), id: id, key: key)
        if texts.count * 2 > slots.count { grow() }
        return (id, key)
    }

    /// Bytes `start..<end` (at most 8) as a little-endian word, zero-padded.
    @inline(__always)
    private static func word(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var w: UInt64 = 0
        var shift: UInt64 = 0
        var i = start
        while i < end {
            w |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        return w
    }

    /// Mixes the length, the first 16 bytes and, for longer values, the rest.
    @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ head0: UInt64, _ head1: UInt64) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(end - start)
        h = (h ^ head0) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        h = (h ^ head1) &* 0xC4CE_B9FE_1A85_EC53
        var i = start + 16
        while i < end {
            h = (h ^ UInt64(base[i])) &* 0x100_0000_01B3
            i += 1
        }
        return h ^ (h >> 29)
    }

    /// Whether value `id`'s bytes after the first 16 are exactly `start..<end`.
    private func tailMatches(_ id: Int, _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let s = arenaStart[id]
        return arena.withUnsafeBufferPointer { stored in
            var k = 0
            while start + k < end { if stored[s + k] != base[start + k] { return false }; k += 1 }
            return true
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for entry in old where entry.length >= 0 {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot].length >= 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}
