import Foundation
import RelanceCore

/// The `reminders:` section of `relance.yaml` (all keys optional; French defaults).
///
/// ```yaml
/// reminders:
///   language: fr                      # fr | en: default language of the messages
///   calendar: alsace-moselle          # metropolitan-france (default) | alsace-moselle | belgium | germany | italy
///   min_interval_days: 5              # days between two reminders to one customer
///   payment_deadline_days: 8          # deadline written in the formal notice
///   place: Lyon                       # place of the letters' "Lyon, le …" line
///   signature: { name: Claire Martin, title: Responsable du recouvrement }
///   mail: { from: relances@dupont.example, from_name: Dupont Industrie, reply_to: compta@dupont.example,
///           domain: dupont.example, utc_offset_minutes: 60 }
///   blocked_customers: [C0007]
///   segments: { C0042: key_accounts }            # customer → segment
///   assignments: { C0099: gentle }               # customer → scenario (explicit)
///   segment_scenarios: { key_accounts: gentle }  # segment → scenario
///   good_payer: { max_average_days_late: 5, scenario: gentle }   # or `good_payer: off`
///   default_scenario: standard
///   semester_mode: split                         # split | fixed_at_due_date
///   scenarios:                                   # added to (or replacing) the built-in standard and gentle
///     strict:
///       group_lower_steps: true
///       steps:
///         - { offset: 3, channels: [email, sms], template: first_reminder }
///         - { name: MED, offset: 30, channels: [registered_letter], template: formal_notice,
///             min_amount: "15.00", kind: business, segments: [key_accounts],
///             amount_min: "100.00", amount_max: "100000.00" }
/// ```
/// Templates are read from `templates/<lang>/<name>.mustache` next to `relance.yaml` when
/// such a file exists, else from the built-in ones; every template a scenario uses is checked
/// when the configuration is read (a missing part or an unknown field stops the run, exit 64).
public struct ReminderSettings: Sendable, Equatable {
    public var assignment = ScenarioAssignment()
    public var region: BusinessCalendar.Region = .metropolitanFrance
    public var minimumIntervalDays = 5
    public var paymentDeadlineDays = 8
    public var language = "fr"
    public var place: String?
    public var signatureName: String?
    public var signatureTitle: String?
    public var mailFrom: String?
    public var mailFromName: String?
    public var replyTo: String?
    public var mailDomain: String?
    /// Company time zone offset for the `Date:` header (the as-of date at 08:00).
    public var utcOffsetMinutes = 60
    public var blockedCustomers: Set<String> = []
    public var segments: [String: String] = [:]
    public var semesterMode: LatePaymentPenalty.SemesterMode = .split
    /// The templates in force, by `<lang>/<name>` (built-in, replaced by files next to relance.yaml).
    public var templates: ReminderTemplates = .builtIn

    public init() {}

    public var calendar: BusinessCalendar { BusinessCalendar(region: region) }

    public var planner: ReminderPlanner {
        ReminderPlanner(assignment: assignment, calendar: calendar, minimumIntervalDays: minimumIntervalDays)
    }

    static func parse(_ node: Any?, configPath path: String) throws(ConfigError) -> ReminderSettings {
        var s = ReminderSettings()
        let folder = (path as NSString).deletingLastPathComponent
        s.templates = try ReminderTemplates.load(overridesIn: (folder.isEmpty ? "." : folder) + "/templates", configPath: path)
        if let node {
            guard let m = node as? [String: Any] else { throw ConfigError(path: path, message: "reminders: must be a mapping") }
            try s.read(m, path: path)
        }
        try s.templates.validate(scenarios: Array(s.assignment.scenarios.values), configPath: path)
        return s
    }

    private mutating func read(_ m: [String: Any], path: String) throws(ConfigError) {
        func fail(_ key: String, _ message: String) -> ConfigError { ConfigError(path: path, message: "reminders.\(key): \(message)") }
        func text(_ v: Any?, _ key: String) throws(ConfigError) -> String? {
            guard let v else { return nil }
            if let s = v as? String { return s }
            if let i = v as? Int { return String(i) }
            throw fail(key, "must be text")
        }
        func int(_ v: Any?, _ key: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
            guard let v else { return nil }
            guard let i = v as? Int, range.contains(i) else { throw fail(key, "must be a whole number between \(range.lowerBound) and \(range.upperBound)") }
            return i
        }
        func map(_ v: Any?, _ key: String) throws(ConfigError) -> [String: Any] {
            guard let v else { return [:] }
            guard let d = v as? [String: Any] else { throw fail(key, "must be a mapping") }
            return d
        }
        func stringMap(_ v: Any?, _ key: String) throws(ConfigError) -> [String: String] {
            var out: [String: String] = [:]
            for (k, val) in try map(v, key) { out[k] = try text(val, "\(key).\(k)") }
            return out
        }
        func amount(_ v: Any?, _ key: String) throws(ConfigError) -> Int64? {
            guard let v else { return nil }
            let raw: String
            if let i = v as? Int { raw = String(i) } else if let d = v as? Double { raw = String(d) } else if let s = v as? String { raw = s } else {
                throw fail(key, "must be an amount such as \"15.00\"")
            }
            guard let minor = Self.parseAmount(raw) else { throw fail(key, "\"\(raw)\" is not an amount (write 15.00 or 15,00)") }
            return minor
        }
        func allowOnly(_ d: [String: Any], _ keys: Set<String>, _ at: String) throws(ConfigError) {
            for k in d.keys.sorted() where !keys.contains(k) {
                throw fail(at.isEmpty ? k : "\(at).\(k)", "unknown key (expected one of \(keys.sorted().joined(separator: ", ")))")
            }
        }

        try allowOnly(m, ["language", "calendar", "min_interval_days", "payment_deadline_days", "place", "signature", "mail",
                          "blocked_customers", "segments", "assignments", "segment_scenarios", "good_payer", "default_scenario",
                          "semester_mode", "scenarios"], "")
        if let l = try text(m["language"], "language") {
            guard ["fr", "en"].contains(l) else { throw fail("language", "must be fr or en") }
            language = l
        }
        if let c = try text(m["calendar"], "calendar") {
            switch c {
            case "metropolitan-france", "france": region = .metropolitanFrance
            case "alsace-moselle": region = .alsaceMoselle
            case "belgium": region = .belgium
            case "germany": region = .germany
            case "italy": region = .italy
            default: throw fail("calendar", "must be metropolitan-france, alsace-moselle, belgium, germany or italy")
            }
        }
        if let v = try int(m["min_interval_days"], "min_interval_days", 0...365) { minimumIntervalDays = v }
        if let v = try int(m["payment_deadline_days"], "payment_deadline_days", 1...90) { paymentDeadlineDays = v }
        place = try text(m["place"], "place")
        let sig = try map(m["signature"], "signature")
        try allowOnly(sig, ["name", "title"], "signature")
        signatureName = try text(sig["name"], "signature.name")
        signatureTitle = try text(sig["title"], "signature.title")
        let mail = try map(m["mail"], "mail")
        try allowOnly(mail, ["from", "from_name", "reply_to", "domain", "utc_offset_minutes"], "mail")
        mailFrom = try text(mail["from"], "mail.from")
        mailFromName = try text(mail["from_name"], "mail.from_name")
        replyTo = try text(mail["reply_to"], "mail.reply_to")
        mailDomain = try text(mail["domain"], "mail.domain")
        if let v = try int(mail["utc_offset_minutes"], "mail.utc_offset_minutes", -720...840) { utcOffsetMinutes = v }
        if let b = m["blocked_customers"] {
            guard let list = b as? [Any] else { throw fail("blocked_customers", "must be a list of customer ids") }
            for (i, v) in list.enumerated() { if let id = try text(v, "blocked_customers[\(i)]") { blockedCustomers.insert(id) } }
        }
        segments = try stringMap(m["segments"], "segments")
        if let sm = try text(m["semester_mode"], "semester_mode") {
            switch sm {
            case "split": semesterMode = .split
            case "fixed_at_due_date": semesterMode = .fixedAtDueDate
            default: throw fail("semester_mode", "must be split or fixed_at_due_date")
            }
        }
        var scenarios = Array(assignment.scenarios.values)
        for (name, v) in try map(m["scenarios"], "scenarios") {
            let sm = try map(v, "scenarios.\(name)")
            try allowOnly(sm, ["steps", "group_lower_steps"], "scenarios.\(name)")
            guard let list = sm["steps"] as? [Any], !list.isEmpty else { throw fail("scenarios.\(name).steps", "must be a non-empty list") }
            var steps: [ReminderStep] = []
            for (i, item) in list.enumerated() {
                let at = "scenarios.\(name).steps[\(i)]"
                let st = try map(item, at)
                try allowOnly(st, ["name", "offset", "channels", "template", "min_amount", "kind", "segments", "amount_min", "amount_max"], at)
                guard let offset = try int(st["offset"], "\(at).offset", -60...3650) else { throw fail("\(at).offset", "missing (days from the due date, e.g. 15 or -5)") }
                guard let chans = st["channels"] as? [Any], !chans.isEmpty else { throw fail("\(at).channels", "must be a non-empty list of email, letter, registered_letter, sms, call") }
                var channels: [ReminderChannel] = []
                for c in chans {
                    guard let t = c as? String, let ch = ReminderChannel(rawValue: t) else {
                        throw fail("\(at).channels", "\"\(c)\" is not one of email, letter, registered_letter, sms, call")
                    }
                    channels.append(ch)
                }
                guard let template = try text(st["template"], "\(at).template"), !template.isEmpty else { throw fail("\(at).template", "missing") }
                var kind: CustomerKind?
                if let k = try text(st["kind"], "\(at).kind") {
                    guard let v = CustomerKind(rawValue: k) else { throw fail("\(at).kind", "must be business or consumer") }
                    kind = v
                }
                var segs: Set<String>?
                if let sl = st["segments"] {
                    guard let l = sl as? [Any] else { throw fail("\(at).segments", "must be a list") }
                    segs = Set(l.compactMap { $0 as? String })
                }
                let stepName = try text(st["name"], "\(at).name") ?? ReminderStep.defaultName(offset: offset)
                guard !steps.contains(where: { $0.name == stepName }) else { throw fail("\(at).name", "two steps named \(stepName)") }
                steps.append(ReminderStep(name: stepName, offsetDays: offset, channels: channels, template: template,
                                          minimumAmount: try amount(st["min_amount"], "\(at).min_amount") ?? 0,
                                          conditions: ReminderStepConditions(
                                            segments: segs, kind: kind,
                                            minimumOpenAmount: try amount(st["amount_min"], "\(at).amount_min"),
                                            maximumOpenAmount: try amount(st["amount_max"], "\(at).amount_max"))))
            }
            let group = (sm["group_lower_steps"] as? Bool) ?? false
            scenarios.removeAll { $0.name == name }
            scenarios.append(ReminderScenario(name: name, steps: steps, groupLowerSteps: group))
        }
        var goodPayer = assignment.goodPayer
        if let g = m["good_payer"] {
            if let b = g as? Bool, b == false {
                goodPayer = nil
            } else if let s = g as? String, s == "off" {
                goodPayer = nil
            } else {
                let gm = try map(g, "good_payer")
                try allowOnly(gm, ["max_average_days_late", "scenario"], "good_payer")
                goodPayer = ScenarioAssignment.GoodPayerRule(
                    maxAverageDaysLate: try int(gm["max_average_days_late"], "good_payer.max_average_days_late", -365...365) ?? 5,
                    scenario: try text(gm["scenario"], "good_payer.scenario") ?? "gentle")
            }
        }
        assignment = ScenarioAssignment(
            scenarios: scenarios, defaultScenario: try text(m["default_scenario"], "default_scenario") ?? "standard",
            explicit: try stringMap(m["assignments"], "assignments"), bySegment: try stringMap(m["segment_scenarios"], "segment_scenarios"),
            goodPayer: goodPayer)
        if let missing = assignment.undefinedReferences.first {
            throw fail("scenarios", "scenario \"\(missing)\" is referenced but not defined (built-in: standard, gentle)")
        }
    }

    /// "15", "15.00", "15,50" → minor units (cents) through Core's strict `AmountParser`;
    /// nil when not a non-negative amount.
    static func parseAmount(_ raw: String) -> Int64? {
        let t = raw.trimmingCharacters(in: .whitespaces)
        let separator: DecimalSeparator = t.contains(",") ? .comma : .point
        guard case let .success(minor) = AmountParser.parse(Array(t.utf8), decimal: separator, places: 2), minor >= 0 else { return nil }
        return minor
    }
}
