/// A minimal JSON object writer for the journal's `detail` column.
///
/// Keys keep the order they were added in, so the same change always journals the same
/// bytes (Foundation's encoder sorts or not depending on options, and costs more).
struct JSONText {
    private(set) var text = "{"
    private var first = true

    init() {}

    private mutating func key(_ k: String) {
        if !first { text += "," }
        first = false
        Self.appendString(k, to: &text)
        text += ":"
    }

    mutating func add(_ k: String, _ v: String?) {
        key(k)
        if let v { Self.appendString(v, to: &text) } else { text += "null" }
    }

    mutating func add(_ k: String, _ v: Int64?) {
        key(k)
        text += v.map { String($0) } ?? "null"
    }

    mutating func add(_ k: String, _ v: Int) { add(k, Int64(v)) }

    /// Adds an already-encoded JSON value (an object or array built elsewhere).
    mutating func addRaw(_ k: String, _ json: String) {
        key(k)
        text += json
    }

    /// Adds `"k":{"old":…,"new":…}` when the two values differ, nothing otherwise: the
    /// `changes` of an update, one field at a time.
    mutating func change(_ k: String, _ old: String?, _ new: String?) {
        guard old != new else { return }
        var c = JSONText()
        c.add("old", old)
        c.add("new", new)
        addRaw(k, c.json)
    }

    mutating func change(_ k: String, _ old: Int64?, _ new: Int64?) {
        guard old != new else { return }
        var c = JSONText()
        c.add("old", old)
        c.add("new", new)
        addRaw(k, c.json)
    }

    var json: String { text + "}" }

    static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }

    static func array(_ items: [String]) -> String {
        var out = "["
        for (i, s) in items.enumerated() {
            if i > 0 { out += "," }
            appendString(s, to: &out)
        }
        return out + "]"
    }
}
