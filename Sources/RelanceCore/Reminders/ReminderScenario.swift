/// A dunning scenario ("scénario de relance"): the ordered steps an unpaid invoice goes through.
public struct ReminderScenario: Sendable, Hashable {
    public var name: String
    /// Sorted by offset (the initialiser sorts them).
    public private(set) var steps: [ReminderStep]
    /// When true, an invoice due for a lower step on the same day as a higher one of the same
    /// customer rides in the higher step's message (one letter instead of an e-mail and a
    /// letter on the same morning); it is recorded at its own step.
    public var groupLowerSteps: Bool

    public init(name: String, steps: [ReminderStep], groupLowerSteps: Bool = false) {
        self.name = name
        self.steps = steps.sorted { ($0.offsetDays, $0.name) < ($1.offsetDays, $1.name) }
        self.groupLowerSteps = groupLowerSteps
    }

    /// Index of the step with this name.
    public func index(of stepName: String) -> Int? { steps.firstIndex { $0.name == stepName } }

    /// The French default: courtesy e-mail five days before the due date, e-mails at D+3 and
    /// D+15, a letter at D+30, the formal notice by registered letter at D+45 (business
    /// customers; consumers get it too, worded for them), and at D+60 a call task proposing
    /// to hand the file to litigation.
    public static let standard = ReminderScenario(name: "standard", steps: [
        ReminderStep(name: "D-5", offsetDays: -5, channels: [.email], template: "courtesy"),
        ReminderStep(name: "D+3", offsetDays: 3, channels: [.email], template: "first_reminder"),
        ReminderStep(name: "D+15", offsetDays: 15, channels: [.email], template: "second_reminder"),
        ReminderStep(name: "D+30", offsetDays: 30, channels: [.letter], template: "letter"),
        ReminderStep(name: "D+45", offsetDays: 45, channels: [.registeredLetter], template: "formal_notice", minimumAmount: 1500),
        ReminderStep(name: "D+60", offsetDays: 60, channels: [.call], template: "litigation_proposal"),
    ], groupLowerSteps: true)

    /// For good payers: no courtesy e-mail, later and fewer reminders before the formal notice.
    public static let gentle = ReminderScenario(name: "gentle", steps: [
        ReminderStep(name: "D+7", offsetDays: 7, channels: [.email], template: "first_reminder"),
        ReminderStep(name: "D+21", offsetDays: 21, channels: [.email], template: "second_reminder"),
        ReminderStep(name: "D+40", offsetDays: 40, channels: [.letter], template: "letter"),
        ReminderStep(name: "D+55", offsetDays: 55, channels: [.registeredLetter], template: "formal_notice", minimumAmount: 1500),
        ReminderStep(name: "D+75", offsetDays: 75, channels: [.call], template: "litigation_proposal"),
    ], groupLowerSteps: true)
}
