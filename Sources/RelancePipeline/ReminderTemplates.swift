import Foundation
import Mustache
import RelanceCore

/// The Mustache templates of the reminders, per language: built in (Resources/templates/<lang>/
/// <name>.mustache) and replaced by files of the same name in `templates/<lang>/` next to
/// `relance.yaml`.
///
/// A template file holds several *parts*, each introduced by a Mustache comment line
/// `{{! part: NAME }}` (so the file stays valid Mustache as a whole):
/// - `subject` — e-mail subject, letter object (one line);
/// - `text` — e-mail plain text (also the letter body when `body` is absent);
/// - `html` — optional e-mail HTML; when absent, the HTML is the text's paragraphs, escaped;
/// - `body`, `after_table` — letter paragraphs before and after the invoice table (blank-line separated);
/// - `sms` — one text message; `call` — the talking points of a call task.
///
/// Every field a template may use is listed in `fields` (documented in the README). A part
/// that a scenario needs but a template lacks, or a field outside the list, is an error when
/// the configuration is read — never a blank in a letter.
public struct ReminderTemplates: Sendable, Equatable {
    /// `<lang>/<name>` → file text.
    public private(set) var sources: [String: String]
    /// `<lang>/<name>` → where it came from ("built-in" or the file's path).
    public private(set) var origins: [String: String]

    public static let languages = ["fr", "en"]

    /// Top-level fields, with what they hold.
    public static let fields: [(name: String, meaning: String)] = [
        ("company_name", "the company's name (company.name)"),
        ("company_email", "the company's e-mail (company.email)"),
        ("company_iban", "the IBAN payments go to (company.iban)"),
        ("company_siren", "the company's SIREN"),
        ("customer_id", "the customer's account id"),
        ("customer_name", "the customer's name"),
        ("reminder_id", "the reminder's id (R<as-of>-<hash>)"),
        ("step", "the step's name (D+15)"),
        ("date", "the as-of date, long form (20 novembre 2026)"),
        ("deadline", "as-of + reminders.payment_deadline_days, long form"),
        ("invoice_count", "number of invoices in the message"),
        ("total_due", "sum of their open amounts"),
        ("statement_total", "everything the customer owes (all open invoices)"),
        ("principal_total", "formal notice: principal claimed"),
        ("penalties_total", "formal notice: L441-10 penalties (business customers)"),
        ("indemnities_total", "formal notice: 40 € × invoices (business customers)"),
        ("claim_total", "formal notice: principal + penalties + indemnities (consumers: principal)"),
        ("business", "section: the customer is a business"),
        ("consumer", "section: the customer is a consumer"),
        ("signature_name", "signatory (reminders.signature.name)"),
        ("signature_title", "signatory's title"),
        ("invoices", "section: one entry per invoice of the message"),
    ]
    /// Fields of each entry of `invoices`.
    public static let invoiceFields: [(name: String, meaning: String)] = [
        ("number", "invoice number"),
        ("issue_date", "issue date (dd/mm/yyyy)"),
        ("due_date", "due date (dd/mm/yyyy)"),
        ("days_late", "days from the due date to the as-of date"),
        ("amount", "amount incl. tax"),
        ("open_amount", "amount still open"),
        ("penalty", "formal notice: penalties of this invoice"),
        ("indemnity", "formal notice: 40 € indemnity of this invoice"),
        ("rates", "formal notice: penalty rate(s) per half-year"),
        ("step", "the invoice's own step"),
    ]

    static let builtIn: ReminderTemplates = {
        var t = ReminderTemplates(sources: [:], origins: [:])
        for lang in languages {
            guard let dir = ReminderRates.resource("templates/\(lang)"),
                  let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { continue }
            for n in names.sorted() where n.hasSuffix(".mustache") {
                if let text = try? String(contentsOf: dir.appendingPathComponent(n), encoding: .utf8) {
                    let key = "\(lang)/\(n.dropLast(".mustache".count))"
                    t.sources[key] = text
                    t.origins[key] = "built-in templates/\(lang)/\(n)"
                }
            }
        }
        return t
    }()

    /// The built-in templates, replaced by `<folder>/<lang>/<name>.mustache` files.
    static func load(overridesIn folder: String, configPath: String) throws(ConfigError) -> ReminderTemplates {
        var t = builtIn
        for lang in languages {
            let dir = folder + "/" + lang
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for n in names.sorted() where n.hasSuffix(".mustache") {
                let path = dir + "/" + n
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw ConfigError(path: path, message: "cannot read the template (UTF-8 text expected)")
                }
                let key = "\(lang)/\(n.dropLast(".mustache".count))"
                t.sources[key] = text
                t.origins[key] = path
            }
        }
        return t
    }

    /// The parts of a template file, by part name.
    static func parts(of text: String) -> [String: String] {
        var out: [String: String] = [:]
        var current: String?
        var lines: [Substring] = []
        func flush() {
            if let current {
                var body = lines.joined(separator: "\n")
                while body.hasSuffix("\n") { body.removeLast() }
                out[current] = body
            }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("{{!"), t.hasSuffix("}}"), let r = t.range(of: "part:") {
                flush()
                current = t[r.upperBound...].dropLast(2).trimmingCharacters(in: .whitespaces)
                lines = []
            } else {
                lines.append(line)
            }
        }
        flush()
        return out
    }

    /// Parts a channel needs (alternatives separated by `|`).
    static func requiredParts(_ channel: ReminderChannel) -> [[String]] {
        switch channel {
        case .email: return [["subject"], ["text"]]
        case .letter, .registeredLetter: return [["subject"], ["body", "text"]]
        case .sms: return [["sms"]]
        case .call: return [["call"]]
        }
    }

    /// Checks every template the scenarios use, in every language: present, the parts their
    /// channels need, valid Mustache, known fields only. An e-mail step may fall back to a
    /// letter (customer without an address), so e-mail templates need a letter's parts too;
    /// they have them through `text`.
    func validate(scenarios: [ReminderScenario], configPath: String) throws(ConfigError) {
        let known = Set(Self.fields.map(\.name)).union(Self.invoiceFields.map(\.name)).union(["."])
        var checked = Set<String>()
        for scenario in scenarios.sorted(by: { $0.name < $1.name }) {
            for step in scenario.steps {
                for channel in step.channels {
                    for lang in Self.languages {
                        let key = "\(lang)/\(step.template)"
                        guard checked.insert("\(key)|\(channel)").inserted else { continue }
                        let origin = origins[key] ?? "templates/\(key).mustache"
                        guard let text = sources[key] else {
                            throw ConfigError(path: configPath, message: "reminders: template \(key).mustache (step \(step.name) of scenario \(scenario.name)) does not exist, neither built in nor in templates/\(lang)/ next to the configuration")
                        }
                        let parts = Self.parts(of: text)
                        for alternatives in Self.requiredParts(channel) where !alternatives.contains(where: { parts[$0] != nil }) {
                            throw ConfigError(path: origin, message: "part `\(alternatives.joined(separator: "` or `"))` missing (needed by step \(step.name) of scenario \(scenario.name), channel \(channel)); start it with a line {{! part: \(alternatives[0]) }}")
                        }
                        for (name, body) in parts.sorted(by: { $0.key < $1.key }) {
                            do { _ = try MustacheTemplate(string: body) } catch {
                                throw ConfigError(path: origin, message: "part `\(name)` is not valid Mustache: \(error)")
                            }
                            for field in Self.tagNames(body) where !known.contains(field) {
                                throw ConfigError(path: origin, message: "part `\(name)` uses the unknown field `\(field)` (fields: \(Self.fields.map(\.name).joined(separator: ", ")); in invoices: \(Self.invoiceFields.map(\.name).joined(separator: ", ")))")
                            }
                        }
                    }
                }
            }
        }
    }

    /// The field names of a template's tags (first component of dotted names); partials and
    /// delimiter changes are reported as fields so that they are refused.
    static func tagNames(_ text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            var tag = rest[..<close.lowerBound]
            rest = rest[close.upperBound...]
            if tag.hasPrefix("{") { tag = tag.dropFirst(); if rest.hasPrefix("}") { rest = rest.dropFirst() } }
            guard let first = tag.first else { continue }
            switch first {
            case "!", "%": continue
            case "#", "^", "/", "&": tag = tag.dropFirst()
            case ">", "=", "<", "$": out.append(String(tag)); continue
            default: break
            }
            let name = tag.trimmingCharacters(in: .whitespaces)
            if name == "." { continue }
            out.append(String(name.split(separator: ".").first ?? Substring(name)))
        }
        return out
    }

    /// The compiled parts of every template, text parts without HTML escaping.
    func compiled() throws -> CompiledReminderTemplates {
        var out: [String: MustacheTemplate] = [:]
        for (key, text) in sources {
            for (part, body) in Self.parts(of: text) {
                let prefix = part == "html" ? "" : "{{% CONTENT_TYPE: TEXT}}"
                out["\(key)#\(part)"] = try MustacheTemplate(string: prefix + body)
            }
        }
        return CompiledReminderTemplates(parts: out)
    }
}

/// Templates ready to render, keyed `<lang>/<name>#<part>`.
struct CompiledReminderTemplates: Sendable {
    let parts: [String: MustacheTemplate]

    func render(language: String, template: String, part: String, _ model: [String: Any]) -> String? {
        parts["\(language)/\(template)#\(part)"]?.render(model)
    }
}
