/// The first, certain allocation rule: a payment that names an invoice exactly pays it.
///
/// The payment's `invoiceNumber` field wins; otherwise every token of its reference text
/// (split on blanks and `,;:|()`, not on `/`, which invoice numbers often contain) that is exactly an open invoice's number, in order of
/// appearance. Each named invoice receives at most its open amount; what remains is the
/// customer's unapplied credit. Currencies must match. Reconciliation builds the fuzzier
/// rules on top of this one.
public enum ExactReferenceAllocator {
    /// Tokens of a free reference text that could be document numbers.
    public static func tokens(of text: String) -> [Substring] {
        text.split(whereSeparator: { c in
            c == " " || c == "\t" || c == "," || c == ";" || c == ":" || c == "|" || c == "(" || c == ")" || c == "\u{A0}"
        })
    }

    /// Invoice numbers a payment names, most explicit first, without duplicates.
    public static func namedInvoices(invoiceNumber: String?, reference: String?, isOpenInvoice: (Substring) -> Bool) -> [String] {
        if let n = invoiceNumber?.trimmingBlanks(), !n.isEmpty { return [n] }
        guard let reference else { return [] }
        var seen = Set<Substring>()
        var out: [String] = []
        for t in tokens(of: reference) where isOpenInvoice(t) && seen.insert(t).inserted {
            out.append(String(t))
        }
        return out
    }

    /// Splits `available` over the `open` amounts in order; returns the amount given to each.
    public static func spread(_ available: Int64, over open: [Int64]) -> [Int64] {
        var left = available
        return open.map { o in
            let take = min(max(o, 0), max(left, 0))
            left -= take
            return take
        }
    }
}

extension String {
    /// Trims spaces, tabs, CR/LF and NBSP (no Foundation).
    public func trimmingBlanks() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\u{A0}" || $0 == "\u{202F}" }
        guard let first = firstIndex(where: { !blank($0) }) else { return "" }
        let last = lastIndex(where: { !blank($0) })!
        return String(self[first...last])
    }
}
