/// `InvoiceNumberKeys` on bytes, into reused buffers: the same groups, document words, full,
/// run and short keys, as `PackedKey`s, without building a `String` or an array per window.
///
/// Why a second implementation: the engine reads every payment's texts with up to four windows
/// per position, and an invoice index of a million numbers; the `String`-based reading
/// allocated a dozen times per window and was the largest cost of a run. `InvoiceNumberKeys`
/// stays the reference (public, tested); `ReconciliationKeysTests` checks that both agree.
struct NumberKeyScanner {
    /// One group of ASCII letters or digits, as a range of `upper`.
    struct Group {
        var start: Int32
        var end: Int32
        var isDigits: Bool
    }

    /// One raw token of a remittance text (see `InvoiceNumberKeys.rawTokens`) that holds an
    /// ASCII letter or digit.
    struct Token {
        /// Range in `raw`.
        var rawStart: Int32
        var rawEnd: Int32
        /// Range in `groups`.
        var groupStart: Int32
        var groupEnd: Int32
        var hasDigit: Bool
        /// Holds a digit or is a document word (`InvoiceNumberKeys.isNumberish`).
        var numberish: Bool
    }

    /// The keys of a window (`InvoiceNumberKeys.Keys`).
    struct Keys {
        var full: PackedKey
        /// nil when equal to `full` (one group).
        var runs: PackedKey?
        var fullCount: Int
        var hadDocumentWord: Bool
        var groupCount: Int
        /// The last group without zeros when there are several and it is digits (invoices' short key).
        var lastDigits: PackedKey?
    }

    var raw: [UInt8] = []
    var upper: [UInt8] = []
    var groups: [Group] = []
    var tokens: [Token] = []
    /// Per text read by `read(_:)`, its range in `tokens`.
    var texts: [Range<Int>] = []

    init() {
        raw.reserveCapacity(512)
        upper.reserveCapacity(512)
        groups.reserveCapacity(64)
        tokens.reserveCapacity(32)
    }

    mutating func reset() {
        raw.removeAll(keepingCapacity: true)
        upper.removeAll(keepingCapacity: true)
        groups.removeAll(keepingCapacity: true)
        tokens.removeAll(keepingCapacity: true)
        texts.removeAll(keepingCapacity: true)
    }

    /// Appends the groups of `bytes` (`InvoiceNumberKeys.groups`).
    mutating func appendGroups(rawFrom: Int, to: Int) {
        var start = -1
        var digits = false
        var i = rawFrom
        while i < to {
            var c = raw[i]
            if c >= 0x61 && c <= 0x7A { c -= 0x20 }
            let isDigit = c >= 0x30 && c <= 0x39
            let isLetter = c >= 0x41 && c <= 0x5A
            if isDigit || isLetter {
                if start >= 0 && isDigit != digits {
                    groups.append(Group(start: Int32(start), end: Int32(upper.count), isDigits: digits))
                    start = -1
                }
                if start < 0 { start = upper.count; digits = isDigit }
                upper.append(c)
            } else if start >= 0 {
                groups.append(Group(start: Int32(start), end: Int32(upper.count), isDigits: digits))
                start = -1
            }
            i += 1
        }
        if start >= 0 { groups.append(Group(start: Int32(start), end: Int32(upper.count), isDigits: digits)) }
    }

    /// Reads one invoice number whole (not cut into tokens): its groups, then its keys.
    mutating func keys(ofNumber number: String) -> Keys? {
        reset()
        raw.append(contentsOf: number.utf8)
        appendGroups(rawFrom: 0, to: raw.count)
        return keys(groups: 0..<groups.count)
    }

    /// Reads one remittance text: its raw tokens (split on blanks and `,;:|()"'+*=`), those
    /// with an ASCII letter or digit kept, each with its groups.
    mutating func read(_ text: String) {
        let base = raw.count
        raw.append(contentsOf: text.utf8)
        let first = tokens.count
        var start = -1
        var i = base
        let n = raw.count
        while i <= n {
            let sep: Bool
            if i == n {
                sep = true
            } else {
                let b = raw[i]
                sep = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x2C || b == 0x3B || b == 0x3A || b == 0x7C
                    || b == 0x28 || b == 0x29 || b == 0x22 || b == 0x27 || b == 0x2B || b == 0x2A || b == 0x3D
            }
            if sep {
                if start >= 0 { addToken(start, i) }
                start = -1
            } else if start < 0 {
                start = i
            }
            i += 1
        }
        texts.append(first..<tokens.count)
    }

    private mutating func addToken(_ s: Int, _ e: Int) {
        var hasDigit = false, hasAlnum = false
        for j in s..<e {
            let b = raw[j]
            if b >= 0x30 && b <= 0x39 { hasDigit = true; hasAlnum = true; break }
            if (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) { hasAlnum = true }
        }
        guard hasAlnum else { return }
        let numberish = hasDigit || Self.lettersAreDocumentWord(raw, s, e)
        let g0 = groups.count
        appendGroups(rawFrom: s, to: e)
        tokens.append(Token(rawStart: Int32(s), rawEnd: Int32(e), groupStart: Int32(g0), groupEnd: Int32(groups.count),
                            hasDigit: hasDigit, numberish: numberish))
    }

    /// `InvoiceNumberKeys.isNumberish` for a token without digits: its ASCII letters, upper
    /// case, other bytes ignored, form a document word.
    static func lettersAreDocumentWord(_ bytes: [UInt8], _ s: Int, _ e: Int) -> Bool {
        var packed: UInt64 = 0
        var count = 0
        for j in s..<e {
            var b = bytes[j]
            if b >= 0x61 && b <= 0x7A { b -= 0x20 } else if !(b >= 0x41 && b <= 0x5A) { continue }
            count += 1
            if count > 8 { return false }
            packed = packed << 8 | UInt64(b)
        }
        return documentWordsPacked.contains(packed) && count > 0
    }

    static let documentWordsPacked: Set<UInt64> = Set(InvoiceNumberKeys.documentWordBytes.map { w in
        w.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    })

    /// Whether upper-case group bytes are a document word.
    func isDocumentWord(_ g: Group) -> Bool {
        let n = Int(g.end - g.start)
        guard n >= 1, n <= 8 else { return false }
        var packed: UInt64 = 0
        for j in Int(g.start)..<Int(g.end) { packed = packed << 8 | UInt64(upper[j]) }
        return Self.documentWordsPacked.contains(packed)
    }

    /// The keys of consecutive groups read as one number (`InvoiceNumberKeys.keys(of:)`);
    /// nil when no group is digits.
    func keys(groups range: Range<Int>) -> Keys? {
        var lo = range.lowerBound
        let hi = range.upperBound
        var anyDigits = false
        for k in lo..<hi where groups[k].isDigits { anyDigits = true; break }
        guard anyDigits else { return nil }
        var hadWord = false
        while hi - lo >= 2, !groups[lo].isDigits, isDocumentWord(groups[lo]) {
            lo += 1
            hadWord = true
        }
        var total = 0
        for k in lo..<hi { total += Int(groups[k].end - groups[k].start) }
        var full = PackedKey()
        var remaining = total
        var skipping = true
        for k in lo..<hi {
            for j in Int(groups[k].start)..<Int(groups[k].end) {
                let b = upper[j]
                if skipping && b == 0x30 && remaining > 1 { remaining -= 1; continue }
                skipping = false
                full.append(b)
                remaining -= 1
            }
        }
        var runs: PackedKey? = nil
        var lastDigits: PackedKey? = nil
        if hi - lo >= 2 {
            var r = PackedKey()
            for k in lo..<hi {
                if k > lo { r.append(0x2D) }
                let g = groups[k]
                if g.isDigits {
                    let stripped = stripZeros(g)
                    for j in stripped { r.append(upper[j]) }
                    if k == hi - 1 {
                        var l = PackedKey()
                        for j in stripped { l.append(upper[j]) }
                        lastDigits = l
                    }
                } else {
                    for j in Int(g.start)..<Int(g.end) { r.append(upper[j]) }
                }
            }
            runs = r
        }
        return Keys(full: full, runs: runs, fullCount: full.count, hadDocumentWord: hadWord, groupCount: hi - lo, lastDigits: lastDigits)
    }

    /// A digit group without leading zeros (at least one digit kept).
    func stripZeros(_ g: Group) -> Range<Int> {
        var s = Int(g.start)
        let e = Int(g.end)
        while e - s > 1 && upper[s] == 0x30 { s += 1 }
        return s..<e
    }

    /// The text of tokens `range` joined by single blanks (a window's label).
    func label(_ range: Range<Int>) -> String {
        var bytes: [UInt8] = []
        for k in range {
            if k > range.lowerBound { bytes.append(0x20) }
            bytes.append(contentsOf: raw[Int(tokens[k].rawStart)..<Int(tokens[k].rawEnd)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
