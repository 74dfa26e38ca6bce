/// Recognises an e-invoice from the first bytes of a file by its root element and the
/// namespace that root is bound to, without a parser (the inbox sniffs every file).
enum EInvoiceSniffer {
    enum Kind: Sendable, Equatable {
        case ublInvoice, ublCreditNote, cii, zugferd1
    }

    /// Which e-invoice syntax the root element declares, or nil.
    static func kind(_ head: [UInt8]) -> Kind? {
        guard let (local, namespace) = rootElement(head) else { return nil }
        return kind(local: local, namespace: namespace)
    }

    static func kind(local: String, namespace: String) -> Kind? {
        switch (local, namespace) {
        case ("Invoice", UBLExtractor.invoiceNamespace): return .ublInvoice
        case ("CreditNote", UBLExtractor.creditNoteNamespace): return .ublCreditNote
        case ("CrossIndustryInvoice", CIIExtractor.namespace): return .cii
        case ("CrossIndustryDocument", CIIExtractor.zugferd1Namespace): return .zugferd1
        default: return nil
        }
    }

    /// Local name and namespace URI of the first element, skipping a BOM, the XML declaration,
    /// processing instructions, comments and a DOCTYPE. Nil when the head ends before the
    /// root's start tag does.
    static func rootElement(_ b: [UInt8]) -> (String, String)? {
        var i = 0
        let n = b.count
        if n >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
        func starts(_ s: StaticString, at k: Int) -> Bool {
            let len = s.utf8CodeUnitCount
            guard k + len <= n else { return false }
            return s.withUTF8Buffer { p in
                for j in 0..<len where b[k + j] != p[j] { return false }
                return true
            }
        }
        func find(_ s: StaticString, from k: Int) -> Int? {
            var j = k
            while j < n { if starts(s, at: j) { return j }; j += 1 }
            return nil
        }
        while i < n {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
            guard c == 0x3C else { return nil }
            if starts("<?", at: i) {
                guard let e = find("?>", from: i + 2) else { return nil }
                i = e + 2
            } else if starts("<!--", at: i) {
                guard let e = find("-->", from: i + 4) else { return nil }
                i = e + 3
            } else if starts("<!", at: i) {
                var depth = 0
                var j = i + 2
                while j < n, !(b[j] == 0x3E && depth == 0) {
                    if b[j] == 0x5B { depth += 1 } else if b[j] == 0x5D { depth -= 1 }
                    j += 1
                }
                guard j < n else { return nil }
                i = j + 1
            } else {
                return startTag(b, from: i + 1)
            }
        }
        return nil
    }

    /// Parses `name attr="v" …>` from `k`; resolves the name's prefix among its `xmlns` attributes.
    private static func startTag(_ b: [UInt8], from k: Int) -> (String, String)? {
        let n = b.count
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        var i = k
        while i < n, !isSpace(b[i]), b[i] != 0x3E, b[i] != 0x2F { i += 1 }
        guard i < n else { return nil }
        let qname = String(decoding: b[k..<i], as: UTF8.self)
        var declarations: [String: String] = [:]
        while i < n {
            while i < n, isSpace(b[i]) { i += 1 }
            guard i < n else { return nil }
            if b[i] == 0x3E || b[i] == 0x2F { break }
            let nameStart = i
            while i < n, b[i] != 0x3D, !isSpace(b[i]), b[i] != 0x3E { i += 1 }
            let attr = String(decoding: b[nameStart..<i], as: UTF8.self)
            while i < n, isSpace(b[i]) { i += 1 }
            guard i < n, b[i] == 0x3D else { return nil }
            i += 1
            while i < n, isSpace(b[i]) { i += 1 }
            guard i < n, b[i] == 0x22 || b[i] == 0x27 else { return nil }
            let quote = b[i]
            i += 1
            let valueStart = i
            while i < n, b[i] != quote { i += 1 }
            guard i < n else { return nil }
            declarations[attr] = String(decoding: b[valueStart..<i], as: UTF8.self)
            i += 1
        }
        guard i < n else { return nil }
        let parts = qname.split(separator: ":", maxSplits: 1)
        let (prefix, local) = parts.count == 2 ? (String(parts[0]), String(parts[1])) : ("", qname)
        let ns = declarations[prefix.isEmpty ? "xmlns" : "xmlns:" + prefix] ?? ""
        return (local, ns)
    }
}
