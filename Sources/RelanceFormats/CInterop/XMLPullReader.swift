import CLibXML2
import RelanceCore

/// Limits that keep a hostile XML file from costing more than a bounded amount of time and memory.
public struct XMLLimits: Sendable {
    /// Longest text node accepted (libxml2's own cap without XML_PARSE_HUGE is 10 MB).
    public var maxTextBytes: Int = 1_000_000
    /// Deepest element nesting accepted.
    public var maxDepth: Int = 256
    public init(maxTextBytes: Int = 1_000_000, maxDepth: Int = 256) {
        self.maxTextBytes = maxTextBytes; self.maxDepth = maxDepth
    }
}

/// A hardened streaming XML reader over libxml2's `xmlTextReader`.
///
/// Why streaming: an 85 MB camt.053 reads at 57–83 MB/s in ~22 MB of memory this way,
/// against ~20 MB/s and 650 MB with a DOM or Foundation's XMLParser.
///
/// Hardening: no network (`XML_PARSE_NONET`), no entity substitution (no `NOENT`), no DTD
/// loading (no `DTDLOAD`), no `HUGE`; an external-entity loader that refuses everything is
/// installed before the first parse; and any document with a DOCTYPE is rejected before its
/// first element, which alone defeats XXE, billion-laughs and quadratic-blowup files.
public final class XMLPullReader {
    /// The kind of node the reader stopped on.
    public enum Node: Equatable, Sendable {
        case start       // an element opens (`<a>` or `<a/>`)
        case end         // an element closes (synthesised after `<a/>` too)
        case text        // character data or CDATA inside the current element
    }

    public let fileName: String
    private let limits: XMLLimits
    private let buffer: UnsafeMutableRawBufferPointer
    private var reader: xmlTextReaderPtr?
    private var pendingEnd = false
    /// Name ids of the open elements, outermost first (see `nameID`).
    private var stack: [Int32] = []
    private var errorMessage: String?
    private var errorLine: Int = 0

    /// Interned local names: id → name. An id is handed out the first time a name is met
    /// (or registered), so the element stack holds small integers instead of a `String`
    /// per element, which was the main allocation on the hot path.
    private var names: [String] = []
    private var idsByName: [String: Int32] = [:]
    /// Direct-mapped cache from libxml2's dictionary pointer of a name to its id. Only
    /// pointers owned by the reader's dictionary are cached: they live as long as the reader
    /// and are unique per name, so a pointer comparison is a name comparison.
    private var cacheKeys = [UInt](repeating: 0, count: XMLPullReader.cacheSize)
    private var cacheIDs = [Int32](repeating: 0, count: XMLPullReader.cacheSize)
    private static let cacheSize = 512

    /// The local names of the open elements, outermost first.
    public var openElements: [String] { stack.map { names[Int($0)] } }

    /// Opens `bytes` for reading. Rejects a DOCTYPE in the prolog at once.
    public init(bytes: [UInt8], fileName: String, limits: XMLLimits = XMLLimits()) throws(InputRejection) {
        self.fileName = fileName
        self.limits = limits
        XMLPullReader.installHardening
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        buffer.copyBytes(from: bytes)
        if let line = XMLPullReader.doctypeLine(in: bytes) {
            reader = nil
            throw InputRejection(file: fileName, line: line, location: "DOCTYPE",
                                 reason: "document type declarations are refused (entity expansion and external DTDs are attack vectors)")
        }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
        reader = xmlReaderForMemory(buffer.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                                    nil, nil, options)
        guard let reader else {
            throw InputRejection(file: fileName, reason: "libxml2 could not open the document")
        }
        xmlTextReaderSetStructuredErrorHandler(reader, { arg, error in
            guard let arg, let error else { return }
            let me = Unmanaged<XMLPullReader>.fromOpaque(arg).takeUnretainedValue()
            if me.errorMessage == nil {
                let msg = error.pointee.message.map { String(cString: $0) } ?? "malformed XML"
                me.errorMessage = msg.trimmingBlanks()
                me.errorLine = Int(error.pointee.line)
            }
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        if let reader { xmlFreeTextReader(reader) }
        buffer.deallocate()
    }

    /// Installed once per process: libxml2 initialised, every external entity refused.
    private static let installHardening: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    /// Line of a `<!DOCTYPE` found before the root element, if any.
    static func doctypeLine(in bytes: [UInt8]) -> Int? {
        var i = 0, line = 1
        let n = bytes.count
        let pattern: [UInt8] = Array("<!DOCTYPE".utf8)
        while i < n {
            let b = bytes[i]
            if b == 0x0A { line += 1 }
            if b == 0x3C, i + 1 < n {
                let c = bytes[i + 1]
                if c == 0x3F || c == 0x21 {  // <? or <!
                    if i + pattern.count <= n {
                        var match = true
                        for k in 0..<pattern.count where bytes[i + k] | (k > 1 ? 0x20 : 0) != pattern[k] | (k > 1 ? 0x20 : 0) {
                            match = false; break
                        }
                        if match { return line }
                    }
                } else {
                    return nil  // the root element starts: the prolog is over
                }
            }
            i += 1
        }
        return nil
    }

    /// Advances to the next start, end or text node; nil at the end of the document.
    public func next() throws(InputRejection) -> Node? {
        guard let reader else { return nil }
        if pendingEnd {
            pendingEnd = false
            return .end
        }
        if isEnd, !stack.isEmpty { stack.removeLast(); isEnd = false }
        while true {
            let r = xmlTextReaderRead(reader)
            if r == 0 { return nil }
            if r < 0 { throw failure() }
            switch xmlTextReaderNodeType(reader) {
            case 1:  // element
                if stack.count >= limits.maxDepth {
                    throw rejection("elements nested deeper than \(limits.maxDepth) levels")
                }
                stack.append(currentNameID())
                isEnd = false
                if xmlTextReaderIsEmptyElement(reader) == 1 {
                    pendingEnd = true
                    isEnd = true
                }
                return .start
            case 15:  // end element
                isEnd = true
                return .end
            case 3, 4, 14:  // text, CDATA, significant whitespace
                isEnd = false
                if let v = xmlTextReaderConstValue(reader), XMLPullReader.length(v, atMost: limits.maxTextBytes + 1) > limits.maxTextBytes {
                    throw rejection("text longer than \(limits.maxTextBytes) bytes")
                }
                return .text
            case 10:  // document type
                throw rejection("document type declarations are refused")
            case 5, 6:  // entity reference / entity
                throw rejection("entity references are refused")
            default:
                continue  // comments, processing instructions, insignificant whitespace
            }
        }
    }

    private var isEnd = false

    private func rejection(_ reason: String) -> InputRejection {
        InputRejection(file: fileName, line: line, location: path, reason: reason)
    }

    private func failure() -> InputRejection {
        let reason = errorMessage.map { "malformed XML: \($0)" } ?? "malformed XML"
        return InputRejection(file: fileName, line: errorLine > 0 ? errorLine : line, location: path, reason: reason)
    }

    /// Local name of the current element (for `.start`/`.end`) or of the text's parent.
    public var localName: String {
        guard let reader, let p = xmlTextReaderConstLocalName(reader) else { return "" }
        return String(cString: p)
    }

    /// Gives `name` an id now (the same one it gets when met in the document), so that a
    /// reader can register the names it cares about first and recognise them as ids
    /// `0..<count` with one integer comparison. Returns the id.
    @discardableResult
    public func registerName(_ name: String) -> Int {
        if let id = idsByName[name] { return Int(id) }
        let id = Int32(names.count)
        names.append(name)
        idsByName[name] = id
        return Int(id)
    }

    /// Id of the current element's local name (for `.start`/`.end`), or of the text's
    /// parent element (for `.text`); -1 before the first element.
    public var nameID: Int { stack.last.map { Int($0) } ?? -1 }

    /// Id of the open element `levels` above the current one (1 = parent); -1 above the root.
    public func ancestorNameID(_ levels: Int) -> Int {
        let i = stack.count - 1 - levels
        return i >= 0 && i < stack.count ? Int(stack[i]) : -1
    }

    /// The local name an id stands for.
    public func name(forID id: Int) -> String { id >= 0 && id < names.count ? names[id] : "" }

    /// Id of the current node's local name: a pointer lookup in the cache, else one string
    /// conversion for a name not seen before (or not interned by libxml2).
    private func currentNameID() -> Int32 {
        guard let reader, let p = xmlTextReaderConstLocalName(reader) else { return Int32(registerName("")) }
        let key = UInt(bitPattern: p)
        let slot = Int(truncatingIfNeeded: (key >> 3) ^ (key >> 12)) & (XMLPullReader.cacheSize - 1)
        if cacheKeys[slot] == key { return cacheIDs[slot] }
        let id = Int32(registerName(String(cString: p)))
        if xmlTextReaderConstString(reader, p) == p {  // owned by the dictionary: safe to cache
            cacheKeys[slot] = key
            cacheIDs[slot] = id
        }
        return id
    }

    /// True when the current element's local name is `name`, without allocating.
    public func localNameIs(_ name: StaticString) -> Bool {
        guard let reader, let p = xmlTextReaderConstLocalName(reader) else { return false }
        return name.withUTF8Buffer { b in
            var i = 0
            while i < b.count {
                if p[i] != b[i] { return false }
                i += 1
            }
            return p[i] == 0
        }
    }

    /// Namespace URI of the current element ("" when none).
    public var namespaceURI: String {
        guard let reader, let p = xmlTextReaderConstNamespaceUri(reader) else { return "" }
        return String(cString: p)
    }

    /// The text of a `.text` node.
    public var text: String {
        guard let reader, let p = xmlTextReaderConstValue(reader) else { return "" }
        return String(cString: p)
    }

    /// Calls `body` with the raw UTF-8 bytes of a `.text` node, without copying.
    public func withTextBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let reader, let p = xmlTextReaderConstValue(reader) else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeBufferPointer(start: p, count: XMLPullReader.length(p, atMost: .max)))
    }

    /// An attribute of the current start element, by local name (any namespace).
    public func attribute(_ name: String) -> String? {
        guard let reader, xmlTextReaderHasAttributes(reader) == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            if let n = xmlTextReaderConstLocalName(reader), String(cString: n) == name,
               let v = xmlTextReaderConstValue(reader) {
                return String(cString: v)
            }
        }
        return nil
    }

    /// Calls `body` with the raw UTF-8 bytes of an attribute of the current start element
    /// (by local name, any namespace), or with nil when absent: no `String` is made.
    public func withAttributeBytes<R>(_ name: StaticString, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        guard let reader, xmlTextReaderHasAttributes(reader) == 1 else { return try body(nil) }
        defer { xmlTextReaderMoveToElement(reader) }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            guard let n = xmlTextReaderConstLocalName(reader) else { continue }
            let same = name.withUTF8Buffer { b -> Bool in
                var i = 0
                while i < b.count {
                    if n[i] != b[i] { return false }
                    i += 1
                }
                return n[i] == 0
            }
            if same, let v = xmlTextReaderConstValue(reader) {
                return try body(UnsafeBufferPointer(start: v, count: XMLPullReader.length(v, atMost: limits.maxTextBytes)))
            }
        }
        return try body(nil)
    }

    /// Reads the text content of the element that just started, up to its end, and
    /// leaves the reader on its `.end`. Nested elements' text is concatenated.
    public func readElementText() throws(InputRejection) -> String {
        let depth = stack.count
        var out = ""
        if pendingEnd { pendingEnd = false; return out }
        while let node = try next() {
            switch node {
            case .text: out += text
            case .end where stack.count == depth: return out
            default: continue
            }
        }
        return out
    }

    /// Skips the element that just started, leaving the reader on its `.end`.
    public func skipElement() throws(InputRejection) {
        let depth = stack.count
        if pendingEnd { pendingEnd = false; return }
        while let node = try next() {
            if node == .end && stack.count == depth { return }
        }
    }

    /// Length of a NUL-terminated string, counting no further than `limit`.
    static func length(_ p: UnsafePointer<UInt8>, atMost limit: Int) -> Int {
        var n = 0
        while n < limit && p[n] != 0 { n += 1 }
        return n
    }

    /// Nesting depth of the current node (1 for the root element).
    public var depth: Int { stack.count }

    /// 1-based line of the current node.
    public var line: Int {
        guard let reader else { return 0 }
        return Int(xmlTextReaderGetParserLineNumber(reader))
    }

    /// `/Document/BkToCstmrStmt/Stmt/Ntry`: where an error is, in messages.
    public var path: String { "/" + openElements.joined(separator: "/") }
}
