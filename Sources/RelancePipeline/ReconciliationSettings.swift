import RelanceCore

/// The `reconciliation:` section of `relance.yaml`.
///
/// ```yaml
/// reconciliation:
///   writeoff_tolerance_minor: 500          # short payments up to 5,00 € proposed as write-offs
///   writeoff_tolerance_basis_points: 50    # …and at most 0.5 % of the invoice (both apply when both set)
///   reference_patterns:                    # the company's own references on remittance slips
///     - { prefix: "CMD", digits: 6 }
///     - { prefix: "REL-", min_digits: 6, max_digits: 8 }
///   apply_credit_oldest_first: [C0042]     # customers whose free credit notes pay their oldest invoices
///   combination: { max_items: 12, max_size: 4, node_budget: 5000 }
/// ```
/// Amounts are integer minor units (YAML would read `5.00` as a binary floating-point number).
/// Unknown keys are refused like everywhere else in the file.
public enum ReconciliationSettings {
    static let keys = ["writeoff_tolerance_minor", "writeoff_tolerance_basis_points", "reference_patterns",
                       "apply_credit_oldest_first", "combination"]

    /// Reads the section (`node` is the parsed YAML value of `reconciliation`).
    public static func parse(_ node: Any, path: String) throws(ConfigError) -> ReconciliationConfiguration {
        func fail(_ key: String, _ message: String) -> ConfigError { ConfigError(path: path, message: "reconciliation.\(key): \(message)") }
        func allowOnly(_ m: [String: Any], _ allowed: [String], at key: String) throws(ConfigError) {
            for k in m.keys.sorted() where !allowed.contains(k) {
                throw ConfigError(path: path, message: "\(key).\(k): unknown key (expected one of \(allowed.sorted().joined(separator: ", ")))")
            }
        }
        func int(_ v: Any?, _ key: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
            guard let v else { return nil }
            guard let i = v as? Int, range.contains(i) else {
                throw fail(key, "must be a whole number between \(range.lowerBound) and \(range.upperBound)")
            }
            return i
        }
        guard let m = node as? [String: Any] else { throw ConfigError(path: path, message: "reconciliation: must be a mapping") }
        try allowOnly(m, keys, at: "reconciliation")
        var c = ReconciliationConfiguration()
        if let v = try int(m["writeoff_tolerance_minor"], "writeoff_tolerance_minor", 0...100_000_000) { c.writeOffToleranceMinor = Int64(v) }
        if let v = try int(m["writeoff_tolerance_basis_points"], "writeoff_tolerance_basis_points", 0...10_000) {
            c.writeOffToleranceBasisPoints = Int64(v)
        }
        if let list = m["reference_patterns"] {
            guard let items = list as? [Any] else { throw fail("reference_patterns", "must be a list") }
            for (i, item) in items.enumerated() {
                let key = "reference_patterns[\(i)]"
                guard let p = item as? [String: Any] else { throw fail(key, "must be a mapping with prefix and digits") }
                try allowOnly(p, ["prefix", "digits", "min_digits", "max_digits"], at: "reconciliation.\(key)")
                guard let prefix = p["prefix"] as? String, !prefix.isEmpty,
                      prefix.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0 == "-" || $0 == "/" || $0 == " " || ("0"..."9").contains($0)) })
                else { throw fail("\(key).prefix", "must be ASCII letters, digits, dashes or slashes") }
                let exact = try int(p["digits"], "\(key).digits", 1...30)
                let low = try int(p["min_digits"], "\(key).min_digits", 1...30) ?? exact
                let high = try int(p["max_digits"], "\(key).max_digits", 1...30) ?? exact
                guard let low, let high, low <= high else { throw fail(key, "give digits, or min_digits ≤ max_digits") }
                c.referencePatterns.append(ReferencePattern(prefix: prefix, digits: low...high))
            }
        }
        if let list = m["apply_credit_oldest_first"] {
            guard let items = list as? [Any] else { throw fail("apply_credit_oldest_first", "must be a list of customer ids") }
            for item in items {
                switch item {
                case let s as String: c.applyCreditOldestFirst.insert(s)
                case let i as Int: c.applyCreditOldestFirst.insert(String(i))
                default: throw fail("apply_credit_oldest_first", "must be a list of customer ids")
                }
            }
        }
        if let comb = m["combination"] {
            guard let cm = comb as? [String: Any] else { throw fail("combination", "must be a mapping") }
            try allowOnly(cm, ["max_items", "max_size", "node_budget"], at: "reconciliation.combination")
            if let v = try int(cm["max_items"], "combination.max_items", 0...40) { c.combinationMaxItems = v }
            if let v = try int(cm["max_size"], "combination.max_size", 0...8) { c.combinationMaxSize = v }
            if let v = try int(cm["node_budget"], "combination.node_budget", 0...10_000_000) { c.combinationNodeBudget = v }
        }
        return c
    }
}
