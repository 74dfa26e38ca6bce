/// Tolerant forms of invoice numbers, shared by the invoice index and the remittance-text reader.
///
/// A number is read as groups of ASCII letters and digits (any other character, and every
/// letter↔digit change, separates groups), upper case, after dropping leading document words
/// (`FAC`, `FACT`, `FACTURE`, `F`, `INV`, `INVOICE`, `N°`, `NO`, `NUM`, `NUMERO`, `REF`) that
/// stand before a digit group. From the groups:
/// - the **full key** joins them and drops leading zeros: `FAC 2026-000123`, `2026/000123`,
///   `inv2026000123` → `2026000123`;
/// - the **run key** drops leading zeros inside each digit group and keeps the boundaries:
///   `F2026-123`, `2026 000123` → `2026-123` (boundaries kept so that a date `2026-01-23`
///   never equals `2026-0123`);
/// - the **short key** (invoices only) is the last digit group without zeros when the number
///   has several groups (`2026-000123` → `123`): weak, used only when unambiguous and with
///   a document word before it or the exact amount.
public enum InvoiceNumberKeys {
    static let documentWords: Set<String> = [
        "FAC", "FACT", "FACTURE", "FACTURES", "FA", "F", "INV", "INVOICE", "INVOICES", "N", "NO", "NR", "NUM", "NUMERO", "REF",
    ]

    static let documentWordBytes: [[UInt8]] = documentWords.sorted().map { Array($0.utf8) }

    /// Whether upper-case letters are a document word, without building a `String`.
    static func isDocumentWord(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count <= 8 else { return false }
        for w in documentWordBytes where w.count == bytes.count && w.elementsEqual(bytes) { return true }
        return false
    }

    /// Whether a raw token could start or continue a number: it holds a digit, or is a document word.
    static func isNumberish(_ token: ArraySlice<UInt8>) -> Bool {
        if token.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) { return true }
        var letters: [UInt8] = []
        for b in token {
            if b >= 0x61 && b <= 0x7A { letters.append(b - 0x20) } else if b >= 0x41 && b <= 0x5A { letters.append(b) }
        }
        return isDocumentWord(letters[...])
    }

    /// One group of letters or digits.
    struct Group {
        var bytes: ArraySlice<UInt8>
        var isDigits: Bool
    }

    /// The keys of one piece of text read as a number.
    public struct Keys: Sendable, Equatable {
        public var full: String
        public var runs: String?
        /// Digits only, after dropping document words: the candidate for a short key.
        public var shortDigits: String?
        /// A document word preceded the number (`FAC 123`, `N°123`).
        public var hadDocumentWord: Bool
        public var groupCount: Int
    }

    static func groups(_ text: some Sequence<UInt8>) -> [Group] {
        var upper: [UInt8] = []
        var bounds: [(Int, Int, Bool)] = []
        var start = -1
        var digits = false
        for b in text {
            var c = b
            if c >= 0x61 && c <= 0x7A { c -= 0x20 }
            let isDigit = c >= 0x30 && c <= 0x39
            let isLetter = c >= 0x41 && c <= 0x5A
            if isDigit || isLetter {
                if start >= 0 && isDigit != digits {
                    bounds.append((start, upper.count, digits))
                    start = -1
                }
                if start < 0 { start = upper.count; digits = isDigit }
                upper.append(c)
            } else if start >= 0 {
                bounds.append((start, upper.count, digits))
                start = -1
            }
        }
        if start >= 0 { bounds.append((start, upper.count, digits)) }
        return bounds.map { Group(bytes: upper[$0.0..<$0.1], isDigits: $0.2) }
    }

    /// Keys of `text`, nil when it holds no digit.
    public static func keys(of text: some Sequence<UInt8>) -> Keys? {
        var gs = groups(text)[...]
        guard gs.contains(where: { $0.isDigits }) else { return nil }
        var hadWord = false
        while gs.count >= 2, let first = gs.first, !first.isDigits,
              isDocumentWord(first.bytes) {
            gs = gs.dropFirst()
            hadWord = true
        }
        var full: [UInt8] = []
        for g in gs { full.append(contentsOf: g.bytes) }
        let fullKey = stripZeros(full[...])
        var runs: [UInt8] = []
        for (i, g) in gs.enumerated() {
            if i > 0 { runs.append(0x2D) }
            runs.append(contentsOf: g.isDigits ? Array(stripZeros(g.bytes).utf8) : Array(g.bytes))
        }
        let runsKey = String(decoding: runs, as: UTF8.self)
        let shortDigits: String? = gs.count == 1 && gs.first!.isDigits ? fullKey : nil
        return Keys(full: fullKey, runs: runsKey == fullKey ? nil : runsKey, shortDigits: shortDigits,
                    hadDocumentWord: hadWord, groupCount: gs.count)
    }

    /// The short key of an invoice number: its last digit group without zeros, when it has
    /// several groups.
    public static func shortKey(ofInvoice number: String) -> String? {
        var gs = groups(number.utf8)[...]
        while gs.count >= 2, let first = gs.first, !first.isDigits,
              isDocumentWord(first.bytes) { gs = gs.dropFirst() }
        guard gs.count >= 2, let last = gs.last, last.isDigits else { return nil }
        return stripZeros(last.bytes)
    }

    /// The short key from already computed keys (same result as `shortKey(ofInvoice:)`).
    public static func shortKey(from keys: Keys) -> String? {
        guard keys.groupCount >= 2, let runs = keys.runs, let last = runs.split(separator: "-").last,
              last.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return String(last)
    }

    static func stripZeros(_ b: ArraySlice<UInt8>) -> String {
        var s = b
        while s.count > 1, s.first == 0x30 { s = s.dropFirst() }
        return String(decoding: s, as: UTF8.self)
    }

    /// Raw tokens of a remittance text: split on blanks and `,;:|()"'+*=` (not on `-`, `/`, `.`).
    public static func rawTokens(_ text: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(text.utf8)
        var out: [ArraySlice<UInt8>] = []
        var start = -1
        for (i, b) in bytes.enumerated() {
            let sep = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x2C || b == 0x3B || b == 0x3A || b == 0x7C
                || b == 0x28 || b == 0x29 || b == 0x22 || b == 0x27 || b == 0x2B || b == 0x2A || b == 0x3D
            if sep {
                if start >= 0 { out.append(bytes[start..<i]); start = -1 }
            } else if start < 0 { start = i }
        }
        if start >= 0 { out.append(bytes[start..<bytes.count]) }
        return out
    }
}
