/// Which scenario a customer follows: an explicit assignment first, then the customer's
/// segment, then the payment-behaviour score (good payers get a gentler scenario), else the
/// default.
public struct ScenarioAssignment: Sendable, Hashable {
    public var scenarios: [String: ReminderScenario]
    public var defaultScenario: String
    /// Customer id → scenario name.
    public var explicit: [String: String]
    /// Segment → scenario name.
    public var bySegment: [String: String]
    /// Customers whose past payments were on average at most `maxAverageDaysLate` days late
    /// follow `scenario`.
    public var goodPayer: GoodPayerRule?

    public struct GoodPayerRule: Sendable, Hashable {
        public var maxAverageDaysLate: Int
        public var scenario: String
        public init(maxAverageDaysLate: Int, scenario: String) {
            self.maxAverageDaysLate = maxAverageDaysLate; self.scenario = scenario
        }
    }

    public init(scenarios: [ReminderScenario] = [.standard, .gentle], defaultScenario: String = "standard",
                explicit: [String: String] = [:], bySegment: [String: String] = [:],
                goodPayer: GoodPayerRule? = GoodPayerRule(maxAverageDaysLate: 5, scenario: "gentle")) {
        self.scenarios = Dictionary(scenarios.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.defaultScenario = defaultScenario; self.explicit = explicit; self.bySegment = bySegment
        self.goodPayer = goodPayer
    }

    /// Scenario names referenced but not defined (checked when the configuration is read).
    public var undefinedReferences: [String] {
        var names = Set(explicit.values).union(bySegment.values).union([defaultScenario])
        if let goodPayer { names.insert(goodPayer.scenario) }
        return names.filter { scenarios[$0] == nil }.sorted()
    }

    /// The scenario of `customer` and how it was chosen ("explicit", "segment", "good payer", "default").
    public func scenario(for customer: ReminderCustomerState) -> (scenario: ReminderScenario, basis: String)? {
        if let name = explicit[customer.id], let s = scenarios[name] { return (s, "explicit") }
        if let seg = customer.segment, let name = bySegment[seg], let s = scenarios[name] { return (s, "segment") }
        if let rule = goodPayer, let avg = customer.averageDaysLate, avg <= rule.maxAverageDaysLate,
           let s = scenarios[rule.scenario] {
            return (s, "good payer")
        }
        return scenarios[defaultScenario].map { ($0, "default") }
    }
}
