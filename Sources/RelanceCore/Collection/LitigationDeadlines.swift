/// The procedural deadlines that follow from a case's stages (legal.md §6.1).
///
/// - An injonction-de-payer order must be served within six months of being issued, or it is
///   void (art. 1411 CPC): while it is issued and not served, the last day to serve it.
/// - Once served, the debtor may oppose within one month (art. 1416 CPC): the last day of the
///   opposition period, after which the creditor can have the order enforced.
/// A later stage (served, opposition, enforcement…) ends the deadline of the earlier one.
public enum LitigationDeadlines {
    public enum Kind: String, Sendable, Equatable {
        /// Last day to serve the order (issued + 6 months).
        case serveInjunctionOrder = "injunction_service_deadline"
        /// Last day of the debtor's opposition period (served + 1 month).
        case oppositionPeriodEnds = "opposition_period_ends"
    }

    public struct Deadline: Sendable, Equatable {
        public var kind: Kind
        public var day: Day
        /// The stage it follows from and that stage's date.
        public var from: LitigationStage
        public var fromDay: Day

        public init(kind: Kind, day: Day, from: LitigationStage, fromDay: Day) {
            self.kind = kind; self.day = day; self.from = from; self.fromDay = fromDay
        }
    }

    /// The deadlines still running after the recorded stages (in date order of recording).
    public static func open(stages: [(stage: LitigationStage, day: Day)]) -> [Deadline] {
        guard let last = stages.last else { return [] }
        switch last.stage {
        case .injunctionIssued:
            return [Deadline(kind: .serveInjunctionOrder, day: last.day.adding(months: 6), from: .injunctionIssued, fromDay: last.day)]
        case .injunctionServed:
            return [Deadline(kind: .oppositionPeriodEnds, day: last.day.adding(months: 1), from: .injunctionServed, fromDay: last.day)]
        default:
            return []
        }
    }

    /// The limitation interruptions that the stages themselves bring (legal.md §5): the
    /// signification of an injonction-de-payer order, a référé or a summons (art. 2241), an
    /// enforcement act (art. 2244). Filing the request or the order's issue do not interrupt.
    public static func interruptions(stages: [(stage: LitigationStage, day: Day)]) -> [Limitation.Interruption] {
        stages.compactMap { s in
            switch s.stage {
            case .injunctionServed, .summaryProvision, .summons: return Limitation.Interruption(day: s.day, kind: .courtClaim)
            case .enforcement: return Limitation.Interruption(day: s.day, kind: .enforcementMeasure)
            default: return nil
            }
        }
    }
}
