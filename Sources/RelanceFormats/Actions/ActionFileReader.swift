import Foundation
import RelanceCore

/// Reads action files and delivery feedback files (`ActionFile`) with the CSV tokenizer:
/// same encodings (UTF-8 with or without BOM, Windows-1252, UTF-16 with BOM) and delimiters
/// (`;`, `,`, tab) as the exports.
///
/// The reader only checks the shape: a header with `action` (or `reminder_id` and `event`),
/// no row longer than the header, an action on every row. Whether a row makes sense (a known
/// invoice, a possible transition) is decided row by row when it is applied, so that one bad
/// row is refused alone.
public enum ActionFileReader {
    /// The kind of action file a header makes, or nil for any other CSV. Looks at the first
    /// non-blank line only.
    public static func recognise(_ head: [UInt8]) -> ActionFile.Kind? {
        guard case let .success(decoded) = CSVTextDecoder.decode(head) else { return nil }
        guard let keys = headerKeys(decoded.bytes) else { return nil }
        return kind(of: keys)
    }

    static func kind(of keys: [String]) -> ActionFile.Kind? {
        if keys.contains("action") { return .actions }
        if keys.contains("reminder_id") && keys.contains("event") { return .deliveryFeedback }
        return nil
    }

    static func headerKeys(_ text: [UInt8]) -> [String]? {
        var start = 0
        while start < text.count, text[start] == 0x0A || text[start] == 0x0D || text[start] == 0x20 { start += 1 }
        guard start < text.count else { return nil }
        var tokenizer = CSVTokenizer(bytes: text, delimiter: CSVTokenizer.detectDelimiter(text, from: start), offset: start)
        var fields: [CSVField] = []
        guard (try? tokenizer.nextRecord(into: &fields)) != nil else { return nil }
        return fields.map { ActionFile.key(tokenizer.text(of: $0)) }
    }

    public static func read(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> ActionFile {
        let text: [UInt8]
        switch CSVTextDecoder.decode(bytes) {
        case let .success(d): text = d.bytes
        case let .failure(f): throw context.reject(line: nil, nil, f.reason)
        }
        var start = 0
        var line = 1
        while start < text.count, text[start] == 0x0A || text[start] == 0x0D || text[start] == 0x20 {
            if text[start] == 0x0A { line += 1 }
            start += 1
        }
        guard start < text.count else { throw context.reject(line: nil, nil, "empty file") }
        var tokenizer = CSVTokenizer(bytes: text, delimiter: CSVTokenizer.detectDelimiter(text, from: start), offset: start, line: line)
        var fields: [CSVField] = []
        var collector = IssueCollector(cap: context.issueCap)
        let first: Int?
        do { first = try tokenizer.nextRecord(into: &fields) } catch { throw context.reject(line: error.line, nil, error.reason) }
        guard let headerLine = first else { throw context.reject(line: nil, nil, "empty file") }
        let labels = fields.map { tokenizer.text(of: $0).trimmingCharacters(in: .whitespaces) }
        let keys = labels.map(ActionFile.key)
        guard let kind = kind(of: keys) else {
            throw context.reject(line: headerLine, nil, "not an action file: the header has no `action` column (nor `reminder_id` and `event`)")
        }
        var seen: [String: Int] = [:]
        for (i, k) in keys.enumerated() where !k.isEmpty {
            if let first = seen[k] {
                collector.add(InputIssue(file: context.fileName, line: headerLine, location: labels[i],
                                         reason: "column appears twice (also column \(first + 1))"))
            }
            seen[k] = i
        }
        if kind == .deliveryFeedback {
            for required in ["reminder_id", "event", "date"] where !keys.contains(required) {
                collector.add(InputIssue(file: context.fileName, line: headerLine, location: nil,
                                         reason: "delivery feedback files need a `\(required)` column"))
            }
        }
        var rows: [ActionRow] = []
        while true {
            let lineNumber: Int
            do {
                guard let l = try tokenizer.nextRecord(into: &fields) else { break }
                lineNumber = l
            } catch {
                collector.add(InputIssue(file: context.fileName, line: error.line, location: nil, reason: error.reason))
                break
            }
            let values = fields.map { tokenizer.text(of: $0) }
            if values.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            if values.count > keys.count {
                collector.add(InputIssue(file: context.fileName, line: lineNumber, location: nil,
                                         reason: "\(values.count) fields, the header has \(keys.count)"))
                continue
            }
            var byKey: [String: String] = [:]
            for (i, v) in values.enumerated() {
                let t = v.trimmingCharacters(in: .whitespacesAndNewlines)
                if !t.isEmpty && !keys[i].isEmpty { byKey[keys[i]] = t }
            }
            let action: String
            if kind == .deliveryFeedback {
                action = "delivery"
            } else if let a = byKey["action"] {
                action = ActionFile.key(a)
            } else {
                collector.add(InputIssue(file: context.fileName, line: lineNumber, location: labels[keys.firstIndex(of: "action") ?? 0],
                                         reason: "no action given"))
                continue
            }
            rows.append(ActionRow(line: lineNumber, action: action, fields: byKey, values: values))
        }
        if let rejection = collector.rejection() { throw rejection }
        if rows.isEmpty { throw context.reject(line: nil, nil, "\(kind.rawValue) without any row") }
        return ActionFile(kind: kind, labels: labels, keys: keys, rows: rows)
    }
}
