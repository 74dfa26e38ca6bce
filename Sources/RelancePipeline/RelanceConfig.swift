import Foundation
import RelanceCore
import RelanceFormats
import Yams

/// The company's settings, read from `relance.yaml` (all keys optional; French defaults).
///
/// ```yaml
/// company:
///   name: Dupont Industrie SAS
///   siren: "552100554"
///   vat_number: FR40552100554
///   iban: FR7630006000011234567890189
///   email: compta@dupont.example
///   timezone: Europe/Paris
/// currency: EUR
/// payment_terms_days: 30          # used when a source has no due date (FEC)
/// customer_payment_terms: { C0042: 60 }
/// reports:
///   csv_dialect: excel-fr         # or rfc4180
/// csv:
///   layouts:
///     - name: sage
///       kind: documents           # customers | documents | payments
///       columns: { invoice_number: "Num pièce", customer_id: "Compte", amount: "Montant" }
///       decimal_separator: ","
///       date_order: dmy
///       skip_lines: 2
/// fec:
///   receivable_prefixes: ["411", "416"]
///   journals: { VE: sales, BQ1: bank }
/// ingest:
///   max_errors_listed: 100
/// reconciliation:                 # see ReconciliationSettings
///   writeoff_tolerance_minor: 500
/// reminders:                      # see ReminderSettings (scenarios, templates, mail, calendar…)
///   place: Lyon
/// ```
/// Unknown keys are refused, so a typo never silently falls back to a default.
public struct RelanceConfig: Sendable, Equatable {
    public var company: CompanyIdentity?
    public var timeZone: String = "Europe/Paris"
    public var currency: Currency = .eur
    public var paymentTermsDays: Int = 30
    public var customerPaymentTerms: [String: Int] = [:]
    public var reportDialect: CSVDialect = .excelFrench
    public var csvLayouts: [CSVLayoutMapping] = []
    public var fec = FECOptions()
    public var maxErrorsListed: Int = 100
    public var reconciliation = ReconciliationConfiguration()
    /// `disputes:` (categories), `partners:` and `litigation:` (see `DisputeSettings`).
    public var disputes = DisputeSettings()
    /// The `reminders:` section (scenarios, templates, mail, calendar…), see `ReminderSettings`.
    public var reminders = ReminderSettings()

    public init() {}

    /// Reads `path`; a missing file gives the defaults only when `required` is false.
    public static func load(path: String, required: Bool) throws(ConfigError) -> RelanceConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            if required { throw ConfigError(path: path, message: "file not found") }
            return RelanceConfig()
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError(path: path, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String = "relance.yaml") throws(ConfigError) -> RelanceConfig {
        let node: Any?
        do { node = try Yams.load(yaml: text) } catch {
            throw ConfigError(path: path, message: "not valid YAML: \(error)")
        }
        var config = RelanceConfig()
        guard let node else { return config }
        guard let root = node as? [String: Any] else { throw ConfigError(path: path, message: "the top level must be a mapping") }
        let r = Reader(path: path)
        try r.allowOnly(root, ["company", "currency", "payment_terms_days", "customer_payment_terms", "reports", "csv", "fec", "ingest",
                               "reconciliation", "reminders", "disputes", "partners", "litigation"], at: "")
        config.disputes = try DisputeSettings.parse(root, path: path)
        if let c = root["company"] {
            let m = try r.mapping(c, at: "company")
            try r.allowOnly(m, ["name", "siren", "vat_number", "iban", "address", "email", "timezone"], at: "company")
            config.company = CompanyIdentity(
                name: try r.string(m["name"], at: "company.name") ?? "",
                siren: try r.string(m["siren"], at: "company.siren"),
                vatNumber: try r.string(m["vat_number"], at: "company.vat_number"),
                iban: try r.string(m["iban"], at: "company.iban"),
                address: try r.string(m["address"], at: "company.address"),
                email: try r.string(m["email"], at: "company.email"))
            if let tz = try r.string(m["timezone"], at: "company.timezone") {
                guard TimeZone(identifier: tz) != nil else { throw ConfigError(path: path, message: "company.timezone: unknown time zone '\(tz)'") }
                config.timeZone = tz
            }
        }
        if let s = try r.string(root["currency"], at: "currency") {
            guard let cur = Currency(s) else { throw ConfigError(path: path, message: "currency: '\(s)' is not an ISO 4217 code") }
            config.currency = cur
        }
        if let v = try r.int(root["payment_terms_days"], at: "payment_terms_days") {
            guard (0...365).contains(v) else { throw ConfigError(path: path, message: "payment_terms_days: must be between 0 and 365") }
            config.paymentTermsDays = v
        }
        if let t = root["customer_payment_terms"] {
            for (k, v) in try r.mapping(t, at: "customer_payment_terms") {
                guard let days = try r.int(v, at: "customer_payment_terms.\(k)"), (0...365).contains(days) else {
                    throw ConfigError(path: path, message: "customer_payment_terms.\(k): must be a number of days between 0 and 365")
                }
                config.customerPaymentTerms[k] = days
            }
        }
        if let rep = root["reports"] {
            let m = try r.mapping(rep, at: "reports")
            try r.allowOnly(m, ["csv_dialect"], at: "reports")
            if let d = try r.string(m["csv_dialect"], at: "reports.csv_dialect") {
                guard let dialect = CSVDialect(rawValue: d) else {
                    throw ConfigError(path: path, message: "reports.csv_dialect: '\(d)' is not one of excel-fr, rfc4180")
                }
                config.reportDialect = dialect
            }
        }
        if let csv = root["csv"] {
            let m = try r.mapping(csv, at: "csv")
            try r.allowOnly(m, ["layouts"], at: "csv")
            if let layouts = m["layouts"] {
                guard let list = layouts as? [Any] else { throw ConfigError(path: path, message: "csv.layouts: must be a list") }
                for (i, item) in list.enumerated() {
                    config.csvLayouts.append(try r.layout(item, at: "csv.layouts[\(i)]"))
                }
            }
        }
        if let fec = root["fec"] {
            let m = try r.mapping(fec, at: "fec")
            try r.allowOnly(m, ["receivable_prefixes", "journals"], at: "fec")
            if let p = m["receivable_prefixes"] {
                guard let list = p as? [Any] else { throw ConfigError(path: path, message: "fec.receivable_prefixes: must be a list") }
                config.fec.receivablePrefixes = try list.map { v throws(ConfigError) in
                    guard let s = try r.string(v, at: "fec.receivable_prefixes"), !s.isEmpty, s.allSatisfy(\.isNumber) else {
                        throw ConfigError(path: path, message: "fec.receivable_prefixes: account prefixes are digits")
                    }
                    return s
                }
            }
            if let j = m["journals"] {
                for (code, v) in try r.mapping(j, at: "fec.journals") {
                    guard let s = try r.string(v, at: "fec.journals.\(code)"), ["sales", "bank", "other"].contains(s) else {
                        throw ConfigError(path: path, message: "fec.journals.\(code): must be sales, bank or other")
                    }
                    config.fec.journalOverrides[code] = s
                }
            }
        }
        if let ing = root["ingest"] {
            let m = try r.mapping(ing, at: "ingest")
            try r.allowOnly(m, ["max_errors_listed"], at: "ingest")
            if let v = try r.int(m["max_errors_listed"], at: "ingest.max_errors_listed") {
                guard v >= 1 else { throw ConfigError(path: path, message: "ingest.max_errors_listed: must be at least 1") }
                config.maxErrorsListed = v
            }
        }
        if let rec = root["reconciliation"] { config.reconciliation = try ReconciliationSettings.parse(rec, path: path) }
        config.reminders = try ReminderSettings.parse(root["reminders"], configPath: path)
        return config
    }

    /// Payment terms for a customer: its own, else the company's.
    public func paymentTerms(for customerId: String) -> Int { customerPaymentTerms[customerId] ?? paymentTermsDays }

    /// The values of YAML scalars, with errors that name the key.
    private struct Reader {
        let path: String

        func mapping(_ v: Any, at key: String) throws(ConfigError) -> [String: Any] {
            guard let m = v as? [String: Any] else { throw ConfigError(path: path, message: "\(key): must be a mapping") }
            return m
        }

        func allowOnly(_ m: [String: Any], _ keys: Set<String>, at key: String) throws(ConfigError) {
            for k in m.keys.sorted() where !keys.contains(k) {
                let place = key.isEmpty ? k : "\(key).\(k)"
                throw ConfigError(path: path, message: "\(place): unknown key (expected one of \(keys.sorted().joined(separator: ", ")))")
            }
        }

        func string(_ v: Any?, at key: String) throws(ConfigError) -> String? {
            guard let v else { return nil }
            switch v {
            case let s as String: return s
            case let i as Int: return String(i)
            default: throw ConfigError(path: path, message: "\(key): must be text")
            }
        }

        func int(_ v: Any?, at key: String) throws(ConfigError) -> Int? {
            guard let v else { return nil }
            guard let i = v as? Int else { throw ConfigError(path: path, message: "\(key): must be a whole number") }
            return i
        }

        func layout(_ v: Any, at key: String) throws(ConfigError) -> CSVLayoutMapping {
            let m = try mapping(v, at: key)
            try allowOnly(m, ["name", "kind", "columns", "decimal_separator", "date_order", "skip_lines"], at: key)
            guard let kindText = try string(m["kind"], at: "\(key).kind"), let kind = CSVFileKind(rawValue: kindText) else {
                throw ConfigError(path: path, message: "\(key).kind: must be customers, documents or payments")
            }
            var columns: [String: String] = [:]
            for (field, label) in try mapping(m["columns"] ?? [String: Any](), at: "\(key).columns") {
                guard let l = try string(label, at: "\(key).columns.\(field)") else { continue }
                columns[field] = l
            }
            guard !columns.isEmpty else { throw ConfigError(path: path, message: "\(key).columns: map at least one field to a header label") }
            var decimal: DecimalSeparator?
            if let d = try string(m["decimal_separator"], at: "\(key).decimal_separator") {
                guard let sep = DecimalSeparator(rawValue: d) else {
                    throw ConfigError(path: path, message: "\(key).decimal_separator: must be \",\" or \".\"")
                }
                decimal = sep
            }
            var order = DateOrder.dayMonthYear
            if let o = try string(m["date_order"], at: "\(key).date_order") {
                guard let v = DateOrder(rawValue: o) else { throw ConfigError(path: path, message: "\(key).date_order: must be dmy or mdy") }
                order = v
            }
            let skip = try int(m["skip_lines"], at: "\(key).skip_lines") ?? 0
            return CSVLayoutMapping(name: try string(m["name"], at: "\(key).name") ?? "layout \(key)", kind: kind, columns: columns,
                                    decimalSeparator: decimal, dateOrder: order, skipLines: skip)
        }
    }
}

/// A configuration problem: the file and the key at fault.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
