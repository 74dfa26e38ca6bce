import RelanceCore

/// The disputes and litigation settings of `relance.yaml`:
///
/// ```yaml
/// disputes:
///   categories:                     # replaces the five defaults when given
///     - name: logistique
///       follow_ups:
///         - { task: "Demander la preuve de livraison au transporteur", owner: logistique, delay_days: 2 }
///         - { task: "Escalader au responsable logistique", delay_days: 10 }
/// partners:
///   - { id: cabinet-martin, name: "Cabinet Martin, avocats", email: contentieux@martin.example, kind: lawyer }
///   - { id: etude-roux, name: "Étude Roux", email: actes@roux.example, kind: commissaire_de_justice }
/// litigation:
///   transmittal_max_bytes: 10000000  # above, the transmittal e-mail says where the archive lies
///   urgent_within_days: 180          # limitation closer than this makes a claim urgent (route)
/// ```
public struct DisputeSettings: Sendable, Equatable {
    public var categories: [DisputeCategory] = DisputeCategory.defaults
    public var partners: [LitigationPartner] = []
    /// Largest archive attached to the transmittal e-mail (most mail servers refuse > 10–25 MB).
    public var transmittalMaxBytes: Int = 10_000_000
    public var urgentWithinDays: Int = 180

    public init() {}

    public func partner(_ id: String) -> LitigationPartner? { partners.first { $0.id == id } }

    /// Reads the `disputes`, `partners` and `litigation` keys of the root mapping.
    static func parse(_ root: [String: Any], path: String) throws(ConfigError) -> DisputeSettings {
        var s = DisputeSettings()
        func fail(_ message: String) -> ConfigError { ConfigError(path: path, message: message) }
        func text(_ v: Any?, _ key: String) throws(ConfigError) -> String? {
            guard let v else { return nil }
            if let t = v as? String { return t }
            if let i = v as? Int { return String(i) }
            throw fail("\(key): must be text")
        }
        func only(_ m: [String: Any], _ keys: Set<String>, _ at: String) throws(ConfigError) {
            for k in m.keys.sorted() where !keys.contains(k) {
                throw fail("\(at).\(k): unknown key (expected one of \(keys.sorted().joined(separator: ", ")))")
            }
        }
        if let d = root["disputes"] {
            guard let m = d as? [String: Any] else { throw fail("disputes: must be a mapping") }
            try only(m, ["categories"], "disputes")
            if let c = m["categories"] {
                guard let list = c as? [Any], !list.isEmpty else { throw fail("disputes.categories: must be a non-empty list") }
                var cats: [DisputeCategory] = []
                for (i, item) in list.enumerated() {
                    let at = "disputes.categories[\(i)]"
                    guard let cm = item as? [String: Any] else { throw fail("\(at): must be a mapping") }
                    try only(cm, ["name", "follow_ups"], at)
                    guard let name = try text(cm["name"], "\(at).name"), !name.isEmpty else { throw fail("\(at).name: missing") }
                    guard DisputeCategory.find(name, in: cats) == nil else { throw fail("\(at).name: category \(name) listed twice") }
                    var followUps: [DisputeCategory.FollowUp] = []
                    if let f = cm["follow_ups"] {
                        guard let fl = f as? [Any] else { throw fail("\(at).follow_ups: must be a list") }
                        for (j, fu) in fl.enumerated() {
                            let fat = "\(at).follow_ups[\(j)]"
                            guard let fm = fu as? [String: Any] else { throw fail("\(fat): must be a mapping") }
                            try only(fm, ["task", "owner", "delay_days"], fat)
                            guard let task = try text(fm["task"], "\(fat).task"), !task.isEmpty else { throw fail("\(fat).task: missing") }
                            guard let delay = fm["delay_days"] as? Int, (0...3650).contains(delay) else {
                                throw fail("\(fat).delay_days: a whole number of days between 0 and 3650")
                            }
                            followUps.append(.init(task: task, owner: try text(fm["owner"], "\(fat).owner"), delayDays: delay))
                        }
                    }
                    cats.append(DisputeCategory(name: name, followUps: followUps))
                }
                s.categories = cats
            }
        }
        if let p = root["partners"] {
            guard let list = p as? [Any] else { throw fail("partners: must be a list") }
            for (i, item) in list.enumerated() {
                let at = "partners[\(i)]"
                guard let pm = item as? [String: Any] else { throw fail("\(at): must be a mapping") }
                try only(pm, ["id", "name", "email", "kind"], at)
                guard let id = try text(pm["id"], "\(at).id"), !id.isEmpty else { throw fail("\(at).id: missing") }
                guard s.partner(id) == nil else { throw fail("\(at).id: partner \(id) listed twice") }
                guard let name = try text(pm["name"], "\(at).name"), !name.isEmpty else { throw fail("\(at).name: missing") }
                guard let email = try text(pm["email"], "\(at).email"), email.contains("@") else { throw fail("\(at).email: an e-mail address is required") }
                let kindText = try text(pm["kind"], "\(at).kind") ?? ""
                guard let kind = LitigationPartner.Kind(rawValue: kindText) else {
                    throw fail("\(at).kind: must be one of \(LitigationPartner.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                s.partners.append(LitigationPartner(id: id, name: name, email: email, kind: kind))
            }
        }
        if let l = root["litigation"] {
            guard let m = l as? [String: Any] else { throw fail("litigation: must be a mapping") }
            try only(m, ["transmittal_max_bytes", "urgent_within_days"], "litigation")
            if let v = m["transmittal_max_bytes"] {
                guard let n = v as? Int, n >= 0 else { throw fail("litigation.transmittal_max_bytes: a whole number of bytes") }
                s.transmittalMaxBytes = n
            }
            if let v = m["urgent_within_days"] {
                guard let n = v as? Int, (0...3650).contains(n) else { throw fail("litigation.urgent_within_days: a whole number of days between 0 and 3650") }
                s.urgentWithinDays = n
            }
        }
        return s
    }
}
