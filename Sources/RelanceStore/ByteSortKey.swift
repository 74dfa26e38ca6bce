#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

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
        var text = text
        var w: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        count = text.withUTF8 { bytes in
            withUnsafeMutableBytes(of: &w) { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for i in 0..<min(bytes.count, Self.width) { words[i >> 3] |= UInt64(bytes[i]) << (56 - 8 * UInt64(i & 7)) }
            }
            return bytes.count
        }
        words = w
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
        var x = textA(), y = textB()
        return x.withUTF8 { x in
            y.withUTF8 { y in
                let c = memcmp(x.baseAddress! + width, y.baseAddress! + width, min(x.count, y.count) - width)
                if c != 0 { return c < 0 ? -1 : 1 }
                return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
            }
        }
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
