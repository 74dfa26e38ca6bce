/// The first thirty-two UTF-8 bytes of a text packed big-endian, and its length: orders texts
/// as SQLite's `BINARY` collation does (unsigned bytes, a prefix first), so that lists the
/// store sorts in Swift come out in the order an `ORDER BY` would give.
///
/// Why not Swift's `<` on `String`: it compares Unicode canonical equivalents, which is a byte
/// order for ASCII only; and sorting hundreds of thousands of Strings retains and releases
/// them at each comparison. These keys are plain integers, wide enough for an IBAN or a
/// payment reference: only two texts that share their first thirty-two bytes and are both
/// longer are compared through the texts themselves.
struct ByteSortKey {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    let count: Int
    static let width = 32

    init(_ text: String) {
        var w: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (i, b) in text.utf8.prefix(Self.width).enumerated() {
            let v = UInt64(b) << (56 - 8 * UInt64(i & 7))
            switch i >> 3 {
            case 0: w.0 |= v
            case 1: w.1 |= v
            case 2: w.2 |= v
            default: w.3 |= v
            }
        }
        words = w
        count = text.utf8.count
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` (the texts the keys were made of).
    static func compare(_ a: ByteSortKey, _ b: ByteSortKey, _ textA: @autoclosure () -> String, _ textB: @autoclosure () -> String) -> Int {
        if a.words.0 != b.words.0 { return a.words.0 < b.words.0 ? -1 : 1 }
        if a.words.1 != b.words.1 { return a.words.1 < b.words.1 ? -1 : 1 }
        if a.words.2 != b.words.2 { return a.words.2 < b.words.2 ? -1 : 1 }
        if a.words.3 != b.words.3 { return a.words.3 < b.words.3 ? -1 : 1 }
        // Same first bytes (a shorter text reads as zeros there): when one has no more bytes,
        // it is a prefix of the other, or equal to it.
        if a.count <= width || b.count <= width { return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1) }
        // Both longer and alike so far: rare enough to walk the rest of the bytes.
        let x = textA().utf8.dropFirst(width), y = textB().utf8.dropFirst(width)
        if x.elementsEqual(y) { return 0 }
        return x.lexicographicallyPrecedes(y) ? -1 : 1
    }

    /// The positions of `items` ordered by number, then text in byte order; equal items keep
    /// their order.
    static func order(_ items: [(Int64, String)]) -> [Int] {
        let keys = items.map { ByteSortKey($0.1) }
        let numbers = items.map(\.0)
        return items.indices.sorted { a, b in
            if numbers[a] != numbers[b] { return numbers[a] < numbers[b] }
            return compare(keys[a], keys[b], items[a].1, items[b].1) < 0
        }
    }
}
