/// One step of a dunning scenario ("étape de relance"): a day relative to the due date, the
/// channels it uses, the template that words it, and when it applies.
public struct ReminderStep: Sendable, Hashable {
    /// The step's name as recorded in the store and shown to people ("D+15"). Unique in a
    /// scenario; the "never twice" rule is per (invoice, step name, channel).
    public var name: String
    /// Days from the due date (negative: before it, a courtesy reminder).
    public var offsetDays: Int
    /// One message per channel; a step may both e-mail and text.
    public var channels: [ReminderChannel]
    /// Template base name (`first_reminder` → `templates/<lang>/first_reminder.mustache`).
    public var template: String
    /// The message is not sent when the customer's total at this step is below this amount
    /// (minor units): nobody sends a registered letter for 3 €.
    public var minimumAmount: Int64
    public var conditions: ReminderStepConditions

    public init(name: String, offsetDays: Int, channels: [ReminderChannel], template: String,
                minimumAmount: Int64 = 0, conditions: ReminderStepConditions = .always) {
        self.name = name; self.offsetDays = offsetDays; self.channels = channels; self.template = template
        self.minimumAmount = minimumAmount; self.conditions = conditions
    }

    /// "D-5", "D+3", "D+0".
    public static func defaultName(offset: Int) -> String { offset < 0 ? "D\(offset)" : "D+\(offset)" }
}
