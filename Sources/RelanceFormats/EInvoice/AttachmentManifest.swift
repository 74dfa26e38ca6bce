import RelanceCore

/// The manifest of a bundle of PDFs: which file belongs to which document.
///
/// A CSV whose header is exactly `invoice_number,file` (or with `;`), one pair a line; fields
/// may be double-quoted (RFC 4180) so names with separators survive. The pipeline attaches
/// each named member of the bundle to its document. File names are bundle-relative: absolute
/// names and `..` components are refused, so a manifest cannot point outside its bundle.
public struct AttachmentManifest: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var documentNumber: String
        public var fileName: String
        /// 1-based line in the manifest, for messages.
        public var line: Int

        public init(documentNumber: String, fileName: String, line: Int) {
            self.documentNumber = documentNumber; self.fileName = fileName; self.line = line
        }
    }

    public var entries: [Entry]

    /// The entries as `(documentNumber, fileName)` pairs.
    public var pairs: [(documentNumber: String, fileName: String)] { entries.map { ($0.documentNumber, $0.fileName) } }

    public init(entries: [Entry]) { self.entries = entries }

    /// True when the first line is the manifest header (`invoice_number` then `file`, `,` or `;`).
    public static func looksLikeManifest(_ head: [UInt8]) -> Bool {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let line = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        return headerSeparator(Array(line)) != nil
    }

    /// Parses the manifest; any bad line rejects the whole file with every problem listed.
    public static func parse(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> AttachmentManifest {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw context.reject(nil, "the manifest is not valid UTF-8")
        }
        // "\r\n" is one Character in Swift: split on both forms (and a lone "\r").
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        guard let header = lines.first, let separator = headerSeparator(Array(header.utf8)) else {
            throw context.reject(line: 1, nil, "manifest header must be exactly 'invoice_number,file' (or with ';')")
        }
        var issues = IssueCollector(cap: context.issueCap)
        var entries: [Entry] = []
        for (index, raw) in lines.enumerated().dropFirst() {
            let lineNumber = index + 1
            if raw.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            guard let fields = splitFields(raw, separator: separator) else {
                issues.add(context.issue(line: lineNumber, nil, "unterminated quoted field"))
                continue
            }
            guard fields.count == 2 else {
                issues.add(context.issue(line: lineNumber, nil, "expected 2 fields (invoice_number, file), found \(fields.count)"))
                continue
            }
            let number = fields[0].trimmingBlanks(), file = fields[1].trimmingBlanks()
            if number.isEmpty { issues.add(context.issue(line: lineNumber, "invoice_number", "empty invoice number")); continue }
            if file.isEmpty { issues.add(context.issue(line: lineNumber, "file", "empty file name")); continue }
            let components = file.split(separator: "/", omittingEmptySubsequences: false)
            if file.hasPrefix("/") || file.contains("\\") || components.contains("..") {
                issues.add(context.issue(line: lineNumber, "file", "'\(file)' must be a relative name inside the bundle (no '/' prefix, '\\' or '..')"))
                continue
            }
            entries.append(Entry(documentNumber: number, fileName: file, line: lineNumber))
        }
        if let rejection = issues.rejection() { throw rejection }
        return AttachmentManifest(entries: entries)
    }

    /// `,` or `;` when `line` is the manifest header (names unquoted or quoted, case-sensitive).
    static func headerSeparator(_ line: [UInt8]) -> Character? {
        let text = String(decoding: line, as: UTF8.self)
        for sep: Character in [",", ";"] {
            guard let fields = splitFields(Substring(text), separator: sep) else { continue }
            if fields.map({ $0.trimmingBlanks() }) == ["invoice_number", "file"] { return sep }
        }
        return nil
    }

    /// RFC 4180 fields of one line; nil when a quote is left open.
    static func splitFields(_ line: Substring, separator: Character) -> [String]? {
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if inQuotes {
                if c == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex, line[next] == "\"" { field.append("\""); i = line.index(after: next); continue }
                    inQuotes = false
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.trimmingBlanks().isEmpty {
                field = ""
                inQuotes = true
            } else if c == separator {
                fields.append(field); field = ""
            } else {
                field.append(c)
            }
            i = line.index(after: i)
        }
        if inQuotes { return nil }
        fields.append(field)
        return fields
    }
}
