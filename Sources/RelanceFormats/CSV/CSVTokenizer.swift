/// One field of a record: a byte range over the tokenizer's buffer, without its quotes.
///
/// Fields are ranges rather than strings so that a reader decodes only the columns it keeps:
/// on a million-row export, building a `String` per field costs more than the whole scan.
public struct CSVField: Sendable, Equatable {
    public var start: Int
    public var end: Int
    /// The field was written between double quotes.
    public var quoted: Bool
    /// The quoted field contains doubled quotes (`""`) that `CSVTokenizer.text(of:)` undoes.
    public var hasEscapedQuotes: Bool

    public init(start: Int, end: Int, quoted: Bool = false, hasEscapedQuotes: Bool = false) {
        self.start = start; self.end = end; self.quoted = quoted; self.hasEscapedQuotes = hasEscapedQuotes
    }

    public var isEmpty: Bool { start == end }
    public var count: Int { end - start }
}

/// A syntax error in the CSV text itself: where (1-based physical line) and why.
public struct CSVSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A quoted field runs to the end of the file: nothing after it can be trusted.
        case unterminatedQuote
        /// A `"` inside an unquoted field.
        case strayQuote
        /// Something other than a delimiter or a line end after a closing quote.
        case textAfterQuote
    }

    public var kind: Kind
    public var line: Int
    public var reason: String

    public init(_ kind: Kind, line: Int, reason: String) { self.kind = kind; self.line = line; self.reason = reason }

    public var description: String { "line \(line): \(reason)" }
}

/// A byte-level RFC 4180 tokenizer over UTF-8 text (see `CSVTextDecoder` for getting there).
///
/// - Fields are separated by one delimiter byte (`;`, `,` or tab: `detectDelimiter`).
/// - A field that starts with `"` is quoted: it may hold delimiters, line breaks and doubled
///   quotes, and ends at the next single `"`; only blanks may follow it before the delimiter.
/// - A `"` anywhere else in an unquoted field is an error: a stray quote almost always means a
///   broken export, and reading on would shift every following column.
/// - Records end at LF, CRLF or a lone CR (old Mac exports); the last record needs no line end.
/// - Line numbers are physical lines (1-based) so that an error points where an editor shows it,
///   even after a quoted field spanning several lines.
public struct CSVTokenizer: Sendable {
    public let bytes: [UInt8]
    public let delimiter: UInt8
    /// Byte offset of the next record.
    public private(set) var offset: Int
    /// Physical line (1-based) at `offset`.
    public private(set) var line: Int

    public init(bytes: [UInt8], delimiter: UInt8, offset: Int = 0, line: Int = 1) {
        self.bytes = bytes; self.delimiter = delimiter; self.offset = offset; self.line = line
    }

    public var isAtEnd: Bool { offset >= bytes.count }

    /// Reads the next record into `fields` (cleared first, capacity kept).
    /// Returns the physical line where the record starts, or nil at the end of the input.
    /// An empty line is a record with one empty field.
    public mutating func nextRecord(into fields: inout [CSVField]) throws(CSVSyntaxError) -> Int? {
        fields.removeAll(keepingCapacity: true)
        let n = bytes.count
        if offset >= n { return nil }
        let startLine = line
        let d = delimiter
        var pos = offset
        var ln = line
        let failure: CSVSyntaxError? = bytes.withUnsafeBufferPointer { buf -> CSVSyntaxError? in
            guard let p = buf.baseAddress else { return nil }
            while true {
                if pos < n && p[pos] == 0x22 {
                    // Quoted field.
                    let openLine = ln
                    var i = pos + 1
                    let fieldStart = i
                    var escaped = false
                    while true {
                        if i >= n {
                            return CSVSyntaxError(.unterminatedQuote, line: openLine, reason: "unterminated quoted field: the quote opened on line \(openLine) is never closed")
                        }
                        let b = p[i]
                        if b == 0x22 {
                            if i + 1 < n && p[i + 1] == 0x22 { escaped = true; i += 2; continue }
                            break
                        }
                        if b == 0x0A {
                            ln += 1
                        } else if b == 0x0D && !(i + 1 < n && p[i + 1] == 0x0A) {
                            ln += 1
                        }
                        i += 1
                    }
                    fields.append(CSVField(start: fieldStart, end: i, quoted: true, hasEscapedQuotes: escaped))
                    i += 1
                    while i < n && (p[i] == 0x20 || (p[i] == 0x09 && d != 0x09)) { i += 1 }
                    if i >= n { pos = n; return nil }
                    let b = p[i]
                    if b == d { pos = i + 1; continue }
                    if b == 0x0A { ln += 1; pos = i + 1; return nil }
                    if b == 0x0D { ln += 1; pos = (i + 1 < n && p[i + 1] == 0x0A) ? i + 2 : i + 1; return nil }
                    return CSVSyntaxError(.textAfterQuote, line: ln, reason: "unexpected text after the closing quote of field \(fields.count)")
                } else {
                    var i = pos
                    while i < n {
                        let b = p[i]
                        if b == d || b == 0x0A || b == 0x0D { break }
                        if b == 0x22 {
                            return CSVSyntaxError(.strayQuote, line: ln, reason: "stray quote inside unquoted field \(fields.count + 1)")
                        }
                        i += 1
                    }
                    fields.append(CSVField(start: pos, end: i))
                    if i >= n { pos = n; return nil }
                    let b = p[i]
                    if b == d { pos = i + 1; continue }
                    ln += 1
                    pos = (b == 0x0D && i + 1 < n && p[i + 1] == 0x0A) ? i + 2 : i + 1
                    return nil
                }
            }
        }
        if let failure { throw failure }
        offset = pos
        line = ln
        return startLine
    }

    /// Moves past the current physical line without tokenizing it (quotes are not honoured):
    /// for preamble lines before a header, which may hold anything.
    public mutating func skipPhysicalLine() {
        let n = bytes.count
        var i = offset
        while i < n && bytes[i] != 0x0A && bytes[i] != 0x0D { i += 1 }
        if i < n {
            i += (bytes[i] == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A) ? 2 : 1
            line += 1
        }
        offset = i
    }

    /// The field's text, with doubled quotes undone.
    public func text(of field: CSVField) -> String {
        guard field.start < field.end else { return "" }
        if !field.hasEscapedQuotes {
            return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[field.start..<field.end]), as: UTF8.self) }
        }
        return String(decoding: unescapedBytes(of: field), as: UTF8.self)
    }

    /// The field's bytes, with doubled quotes undone.
    public func unescapedBytes(of field: CSVField) -> [UInt8] {
        guard field.hasEscapedQuotes else { return Array(bytes[field.start..<field.end]) }
        var out = [UInt8]()
        out.reserveCapacity(field.count)
        var i = field.start
        while i < field.end {
            let b = bytes[i]
            out.append(b)
            i += (b == 0x22 && i + 1 < field.end && bytes[i + 1] == 0x22) ? 2 : 1
        }
        return out
    }

    /// An upper bound of the records left (line feeds, or carriage returns in a CR-only file,
    /// plus one), counted eight bytes at a time: readers reserve their arrays with it, since
    /// growing arrays of a million records by doubling costs more than this scan.
    public var remainingRecordEstimate: Int {
        bytes.withUnsafeBufferPointer { buf -> Int in
            guard let base = buf.baseAddress, offset < buf.count else { return 0 }
            func count(_ target: UInt8) -> Int {
                let raw = UnsafeRawPointer(base)
                let pattern = UInt64(target) &* 0x0101_0101_0101_0101
                var n = 0
                var i = offset
                while i + 8 <= buf.count {
                    let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
                    // Exact zero-byte detection: high bit of each byte that was zero.
                    let t = ((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F | x) & 0x8080_8080_8080_8080
                    n += (t ^ 0x8080_8080_8080_8080).nonzeroBitCount
                    i += 8
                }
                while i < buf.count {
                    if base[i] == target { n += 1 }
                    i += 1
                }
                return n
            }
            let lf = count(0x0A)
            return (lf > 0 ? lf : count(0x0D)) + 1
        }
    }

    /// The delimiter of the line starting at `offset`: whichever of `;`, tab and `,` occurs most
    /// often outside quotes (ties go to `;`, then tab: a comma is the likeliest to appear in
    /// text). A line with none of them gets `;`.
    public static func detectDelimiter(_ bytes: [UInt8], from offset: Int = 0) -> UInt8 {
        var semicolons = 0, commas = 0, tabs = 0
        var inQuotes = false
        var i = offset
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x22 {
                inQuotes.toggle()
            } else if !inQuotes {
                if b == 0x0A || b == 0x0D { break }
                if b == 0x3B { semicolons += 1 } else if b == 0x2C { commas += 1 } else if b == 0x09 { tabs += 1 }
            }
            i += 1
        }
        if semicolons >= tabs && semicolons >= commas && semicolons > 0 { return 0x3B }
        if tabs >= commas && tabs > 0 { return 0x09 }
        if commas > 0 { return 0x2C }
        return 0x3B
    }
}
