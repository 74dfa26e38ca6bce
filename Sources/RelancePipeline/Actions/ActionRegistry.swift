/// The handlers of every action Relance knows, by action name.
public struct ActionRegistry: Sendable {
    private var byAction: [String: any ActionHandler] = [:]

    public init(_ handlers: [any ActionHandler]) {
        for h in handlers {
            for a in h.actions {
                precondition(byAction[a] == nil, "action \(a) has two handlers")
                byAction[a] = h
            }
        }
    }

    public func handler(for action: String) -> (any ActionHandler)? { byAction[action] }

    /// The known action names, sorted (for messages).
    public var actionNames: [String] { byAction.keys.sorted() }

    /// Every handler of the product. A stage adds its handler here when it does real work.
    public static let standard = ActionRegistry([
        PaymentDecisionHandler(), DisputeActionHandler(), LitigationActionHandler(), PromiseActionHandler(), PaymentPlanActionHandler(),
        DeliveryFeedbackHandler(),
    ])
}
