import RelanceCore

/// A small element tree built from `XMLPullReader`, for documents small enough to hold
/// (an e-invoice's header is a few hundred elements).
///
/// Why a tree and not the pull events directly: UBL and CII put the same fact under several
/// parents (the buyer's id under `PartyIdentification`, `PartyLegalEntity` or `EndpointID`),
/// and a credit-note reference may come after the totals; navigating by path is clearer than
/// a state machine, and the tree stays small because line items and embedded binaries are
/// skipped while reading (`skipping`).
struct XMLTree: Sendable {
    /// Local name (no prefix).
    var name: String
    /// Namespace URI of the root element (the only one the readers check); "" below it.
    var namespace: String
    /// The attributes asked for at build time, by local name.
    var attributes: [String: String]
    /// Direct character data, concatenated.
    var text: String
    var line: Int
    /// `/Invoice/LegalMonetaryTotal/PayableAmount`, for error messages.
    var path: String
    var children: [XMLTree]

    /// Attribute names kept: the ones e-invoices qualify values with.
    static let keptAttributes = ["schemeID", "currencyID", "format"]

    /// Reads the whole document; elements named in `skipping` are dropped with their content.
    /// Text nodes up to libxml2's own cap (an embedded base64 PDF in a skipped element must
    /// not reject the invoice); at most `maxElements` kept elements, so a hostile file cannot
    /// make the tree grow without bound.
    static func parse(_ bytes: [UInt8], fileName: String, skipping: Set<String>,
                      limits: XMLLimits = XMLLimits(maxTextBytes: 10_000_000),
                      maxElements: Int = 100_000) throws(InputRejection) -> XMLTree {
        let reader = try XMLPullReader(bytes: bytes, fileName: fileName, limits: limits)
        var stack: [XMLTree] = []
        var root: XMLTree?
        var kept = 0
        while let node = try reader.next() {
            switch node {
            case .start:
                let name = reader.localName
                if skipping.contains(name) {
                    try reader.skipElement()
                    continue
                }
                kept += 1
                if kept > maxElements {
                    throw InputRejection(file: fileName, line: reader.line, location: reader.path,
                                         reason: "more than \(maxElements) elements outside invoice lines: not an e-invoice Relance reads")
                }
                var attributes: [String: String] = [:]
                for a in keptAttributes {
                    if let v = reader.attribute(a) { attributes[a] = v }
                }
                // The path grows from the parent's, rather than re-joining the reader's whole stack.
                let path = (stack.last?.path ?? "") + "/" + name
                stack.append(XMLTree(name: name, namespace: stack.isEmpty ? reader.namespaceURI : "", attributes: attributes,
                                     text: "", line: reader.line, path: path, children: []))
            case .text:
                if !stack.isEmpty { stack[stack.count - 1].text += reader.text }
            case .end:
                guard let done = stack.popLast() else { continue }
                if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
            }
        }
        guard let root else {
            throw InputRejection(file: fileName, reason: "no XML element found")
        }
        return root
    }

    /// Trimmed text, nil when empty.
    var value: String? {
        let t = text.trimmingBlanks()
        return t.isEmpty ? nil : t
    }

    func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    func children(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The first element reached by following `names` (each step may be any of several names).
    func first(_ names: String...) -> XMLTree? { all(names).first }

    /// Every element reached by following `names` from here, in document order.
    func all(_ names: String...) -> [XMLTree] { all(names) }

    func all(_ names: [String]) -> [XMLTree] {
        var level = [self]
        for step in names {
            let options = step.split(separator: "|").map(String.init)
            level = level.flatMap { e in e.children.filter { options.contains($0.name) } }
            if level.isEmpty { return [] }
        }
        return level
    }

    /// Trimmed text of the first element at `names`.
    func string(_ names: String...) -> String? { all(names).lazy.compactMap(\.value).first }
}
