/// One recorded stage of a litigation case: its date, comment and reference (court docket,
/// bailiff's act number…).
public struct LitigationStageRecord: Sendable, Equatable {
    public var stage: LitigationStage
    public var day: Day
    public var comment: String?
    public var reference: String?

    public init(stage: LitigationStage, day: Day, comment: String? = nil, reference: String? = nil) {
        self.stage = stage; self.day = day; self.comment = comment; self.reference = reference
    }
}
