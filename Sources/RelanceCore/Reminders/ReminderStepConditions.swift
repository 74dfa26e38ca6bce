/// When a step applies to an invoice: conditions on the customer and the invoice's open amount.
///
/// A step whose conditions do not hold is not part of that invoice's path: the planner looks
/// at the other steps (for instance a registered formal notice kept for business customers
/// owing at least 500 €, while consumers go from the letter to the call).
public struct ReminderStepConditions: Sendable, Hashable {
    /// Customer segments the step is for; nil: every segment (and customers without one).
    public var segments: Set<String>?
    /// Business or consumer customers only; nil: both.
    public var kind: CustomerKind?
    /// Open amount of the invoice at least this (minor units), when set.
    public var minimumOpenAmount: Int64?
    /// Open amount of the invoice at most this (minor units), when set.
    public var maximumOpenAmount: Int64?

    public init(segments: Set<String>? = nil, kind: CustomerKind? = nil,
                minimumOpenAmount: Int64? = nil, maximumOpenAmount: Int64? = nil) {
        self.segments = segments; self.kind = kind
        self.minimumOpenAmount = minimumOpenAmount; self.maximumOpenAmount = maximumOpenAmount
    }

    public static let always = ReminderStepConditions()

    public func holds(segment: String?, kind customerKind: CustomerKind, openAmount: Int64) -> Bool {
        if let segments {
            guard let segment, segments.contains(segment) else { return false }
        }
        if let kind, kind != customerKind { return false }
        if let minimumOpenAmount, openAmount < minimumOpenAmount { return false }
        if let maximumOpenAmount, openAmount > maximumOpenAmount { return false }
        return true
    }
}
