import RelanceCore

/// Reads customers, invoices and credit notes, or payments from an ERP's CSV export.
///
/// The kind of file comes from its header (`CSVLayoutRecognizer`), the text encoding from its
/// bytes (`CSVTextDecoder`), the delimiter from the header line (`CSVTokenizer.detectDelimiter`)
/// and the decimal separator of each amount column from all of its values
/// (`AmountColumnDecision`). Any problem rejects the whole file with every issue found (up to
/// `ReadContext.issueCap`), each as `file:line: column: reason` with the column's label as the
/// file writes it.
///
/// Speed: this is the product's hot path. The bytes are scanned once by the tokenizer; only the
/// fields kept become `String`s; amounts are parsed on the way once their column has shown its
/// decimal separator, and checked against the whole column's decision at the end
/// (`CSVRowReader`); repeated keys are found by hashing their bytes (`CSVDuplicateIndex`).
/// A million-row, 117 MB invoices export reads in about 1.5 s of CPU in a release build.
///
/// Kinds, rules and messages: `CSVLayoutRecognizer` (which kind a header makes),
/// `CSVHeaderTable` (the labels), `CSVValueVocabulary` (type, kind, country, language values),
/// `CSVTextDecoder` (encodings).
public struct CSVReader: InputReader {
    public init() {}

    public var formatName: String { "CSV" }

    /// How many lines from the top may precede the header (title lines, export dates, blanks).
    public static let maxPreambleLines = 10

    /// A cheap sniff on the first bytes of a file: text (UTF-8, Windows-1252 or UTF-16 with a
    /// BOM), no binary signature, and a first line holding a `;`, `,` or tab.
    public static func looksLikeCSV(_ head: [UInt8]) -> Bool {
        guard !head.isEmpty else { return false }
        var text = head
        if head.count >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF) {
            var even = head.count - (head.count % 2)
            // A head cut between the two halves of a surrogate pair: drop the first half.
            if even >= 4 {
                let last = head[0] == 0xFF ? head[even - 1] : head[even - 2]
                if last & 0xFC == 0xD8 { even -= 2 }
            }
            guard case let .success(d) = CSVTextDecoder.utf16ToUTF8(Array(head[0..<even]), littleEndian: head[0] == 0xFF) else { return false }
            text = d
        } else {
            if CSVTextDecoder.hasBinarySignature(head) || head.contains(0) { return false }
            if head.count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF { text = Array(head[3...]) }
        }
        if text.contains(0) || CSVTextDecoder.mostlyControl(text[...]) { return false }
        var i = 0
        while i < text.count && (text[i] == 0x20 || text[i] == 0x09 || text[i] == 0x0A || text[i] == 0x0D) { i += 1 }
        if i < text.count && text[i] == 0x3C { return false }  // '<': XML or HTML
        var inQuotes = false
        while i < text.count {
            let b = text[i]
            if b == 0x22 { inQuotes.toggle() } else if !inQuotes {
                if b == 0x0A || b == 0x0D { break }
                if b == 0x3B || b == 0x2C || b == 0x09 { return true }
            }
            i += 1
        }
        return false
    }

    public func read(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> IngestBatch {
        guard !bytes.isEmpty else { throw context.reject(line: nil, nil, "empty file") }
        var text: [UInt8]
        switch CSVTextDecoder.decode(bytes) {
        case let .success(d): text = d.bytes
        case let .failure(f): throw context.reject(line: nil, nil, f.reason)
        }
        // The DOS end-of-file mark (Ctrl-Z) that some old exports still append.
        while text.last == 0x1A { text.removeLast() }
        guard text.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x1A }) else {
            throw context.reject(line: nil, nil, "empty file")
        }
        let (layout, tokenizer) = try findHeader(text, context: context)
        var rows = CSVRowReader(layout: layout, context: context, tokenizer: tokenizer)
        return try rows.read()
    }

    /// Finds the header within the first lines: the first line recognised as a layout wins;
    /// if none is, the line that knew the most columns explains what is missing.
    func findHeader(_ text: [UInt8], context: ReadContext) throws(InputRejection) -> (CSVLayout, CSVTokenizer) {
        let limit = max(Self.maxPreambleLines, (context.csvLayouts.map(\.skipLines).max() ?? 0) + 1)
        var probe = CSVTokenizer(bytes: text, delimiter: 0x3B)
        var best: (line: Int, recognition: CSVHeaderRecognition, known: Int)?
        var fields: [CSVField] = []
        var firstSyntaxError: CSVSyntaxError?
        while probe.line <= limit && !probe.isAtEnd {
            let line = probe.line
            var t = CSVTokenizer(bytes: text, delimiter: CSVTokenizer.detectDelimiter(text, from: probe.offset),
                                 offset: probe.offset, line: line)
            do {
                _ = try t.nextRecord(into: &fields)
            } catch {
                if firstSyntaxError == nil { firstSyntaxError = error }
                probe.skipPhysicalLine()
                continue
            }
            probe = t
            let labels = fields.map { trimmedText(t, $0) }
            if labels.allSatisfy(\.isEmpty) { continue }
            let recognition = CSVLayoutRecognizer.recognise(labels: labels, headerLine: line, mappings: context.csvLayouts)
            switch recognition {
            case let .layout(layout):
                return (layout, t)
            case let .refused(reason):
                throw context.reject(line: line, nil, reason)
            case let .incomplete(_, _, known):
                if best == nil || known > best!.known { best = (line, recognition, known) }
            }
        }
        guard let best, let reason = best.recognition.unrecognisedReason else {
            if let e = firstSyntaxError { throw context.reject(line: e.line, nil, e.reason) }
            throw context.reject(line: nil, nil, "empty file")
        }
        throw context.reject(line: best.line, nil, reason)
    }

    func trimmedText(_ t: CSVTokenizer, _ f: CSVField) -> String {
        var f = f
        while f.start < f.end && (t.bytes[f.start] == 0x20 || t.bytes[f.start] == 0x09) { f.start += 1 }
        while f.end > f.start && (t.bytes[f.end - 1] == 0x20 || t.bytes[f.end - 1] == 0x09) { f.end -= 1 }
        return t.text(of: f)
    }
}
