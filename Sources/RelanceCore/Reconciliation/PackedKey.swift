/// A tolerant invoice-number key (`InvoiceNumberKeys`) packed into an integer, so that the
/// engine's hash tables of a million keys hash and compare 16 bytes instead of a `String`, and
/// reading a remittance text builds no `String` until something is found.
///
/// Keys are upper-case ASCII letters, digits and `-` (run keys). Up to 24 such characters are
/// packed in bijective base 38 (digits 1…10, letters 11…36, `-` 37; no zero digit, so keys of
/// different lengths never collide). Anything else — longer keys, other characters (the
/// upper-cased form of a number without digits) — stays a `String` in a side table.
struct PackedKey {
    static let maxPacked = 24

    var code: UInt128 = 0
    var count = 0
    /// The key's bytes, kept only once it cannot be packed.
    var overflow: [UInt8]? = nil

    init() {}

    /// The value of an upper-case key byte in base 38, 0 when it has none.
    @inline(__always)
    static func digit(_ b: UInt8) -> UInt128 {
        switch b {
        case 0x30...0x39: return UInt128(b - 0x30 + 1)
        case 0x41...0x5A: return UInt128(b - 0x41 + 11)
        case 0x2D: return 37
        default: return 0
        }
    }

    mutating func append(_ b: UInt8) {
        if overflow != nil {
            overflow!.append(b)
            count += 1
            return
        }
        let d = Self.digit(b)
        if d == 0 || count >= Self.maxPacked {
            overflow = decoded()
            overflow!.append(b)
            count += 1
            return
        }
        code = code &* 38 &+ d
        count += 1
    }

    /// The bytes of a packed key (to fall back to text, or to build a label).
    func decoded() -> [UInt8] {
        if let overflow { return overflow }
        var out = [UInt8](repeating: 0, count: count)
        var c = code
        var i = count - 1
        while i >= 0 {
            let d = UInt8(truncatingIfNeeded: (c - 1) % 38) + 1
            c = (c - UInt128(d)) / 38
            switch d {
            case 1...10: out[i] = 0x30 + d - 1
            case 11...36: out[i] = 0x41 + d - 11
            default: out[i] = 0x2D
            }
            i -= 1
        }
        return out
    }

    var text: String { String(decoding: decoded(), as: UTF8.self) }
}

/// A hash index from packed keys (and, rarely, text keys) to item numbers.
struct PackedKeyIndex: Sendable {
    private var packed: IntegerKeyIndex<PackedCode>
    private var text = ReconciliationIndex<String>()

    init(capacity: Int = 0) { packed = IntegerKeyIndex<PackedCode>(capacity: capacity) }

    mutating func insert(_ key: PackedKey, _ item: Int32) {
        if let o = key.overflow { text.insert(String(decoding: o, as: UTF8.self), item) } else { packed.insert(PackedCode(key.code), item) }
    }

    /// A key that is not a tolerant key (the upper-cased number without digits): text only.
    mutating func insert(text key: String, _ item: Int32) {
        var k = PackedKey()
        var packable = true
        for b in key.utf8 {
            guard PackedKey.digit(b) != 0, k.count < PackedKey.maxPacked else { packable = false; break }
            k.append(b)
        }
        if packable && !key.utf8.isEmpty { packed.insert(PackedCode(k.code), item) } else { text.insert(key, item) }
    }

    func lookup(_ key: PackedKey) -> IndexHits {
        if let o = key.overflow { return text.lookup(String(decoding: o, as: UTF8.self)) }
        return packed.lookup(PackedCode(key.code))
    }
}
