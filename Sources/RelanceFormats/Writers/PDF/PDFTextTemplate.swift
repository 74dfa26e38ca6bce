/// Why a letter template could not be filled.
public enum PDFTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `{name}` with no value given.
    case unknownPlaceholder(String)
    /// A `**` or `*` opened and never closed, or a `{` never closed.
    case unbalanced(String)

    public var description: String {
        switch self {
        case let .unknownPlaceholder(name): return "the template uses {\(name)}, which has no value"
        case let .unbalanced(what): return "the template has an unclosed \(what)"
        }
    }
}

/// A tiny markup for letter templates written by people (the reminder texts of `relance.yaml`):
/// `**bold**`, `*italic*`, `{placeholder}`, and `\` to take the next character literally.
///
/// The markup is read from the template only; values are inserted afterwards as literal text
/// in the style around them. A customer called `**Dupont** & {Fils}` therefore prints exactly
/// that way: data can never open a bold span or name a placeholder.
///
/// ```swift
/// try PDFTextTemplate.fill("Nous restons dans l'attente de **{total}** au titre de {count} factures.",
///                          values: ["total": "1 234,56 €", "count": "3"])
/// ```
public enum PDFTextTemplate {
    public static func fill(_ template: String, values: [String: String]) throws(PDFTemplateError) -> PDFText {
        var spans: [PDFText.Span] = []
        var bold = false, italic = false
        var current = ""
        func flush() {
            if !current.isEmpty { spans.append(PDFText.Span(current, bold: bold, italic: italic)) }
            current = ""
        }
        let chars = Array(template)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\" where i + 1 < chars.count:
                current.append(chars[i + 1])
                i += 2
                continue
            case "*":
                flush()
                if i + 1 < chars.count && chars[i + 1] == "*" {
                    bold.toggle()
                    i += 2
                } else {
                    italic.toggle()
                    i += 1
                }
                continue
            case "{":
                guard let close = chars[(i + 1)...].firstIndex(of: "}") else { throw .unbalanced("{") }
                let name = String(chars[(i + 1)..<close]).trimmingSpaces
                guard let value = values[name] else { throw .unknownPlaceholder(name) }
                current += value
                i = close + 1
                continue
            default:
                current.append(c)
                i += 1
            }
        }
        if bold { throw .unbalanced("**") }
        if italic { throw .unbalanced("*") }
        flush()
        return PDFText(spans: spans)
    }
}

private extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
