/// How a litigation case ended.
public enum LitigationOutcome: String, Sendable, CaseIterable {
    /// Everything recovered.
    case recovered
    /// Part of the claim recovered (the amount says how much).
    case partial
    /// Given up and written off ("passé en perte").
    case writtenOff = "written_off"
    /// Settled by agreement ("transaction").
    case settled
}
