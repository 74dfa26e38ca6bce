/// How a reminder reaches the customer. The raw values are the store's (`reminders.channel`)
/// and the configuration's spelling.
public enum ReminderChannel: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// An e-mail (`.eml`, ready for `sendmail -t`).
    case email
    /// A printed letter ("lettre simple") for the print service.
    case letter
    /// A registered letter with acknowledgement ("lettre recommandée avec AR"): the formal notice.
    case registeredLetter = "registered_letter"
    /// A text message.
    case sms
    /// A call task for a person, with talking points (the litigation proposal).
    case call

    public var description: String { rawValue }

    /// Output order: sorted so that manifests list e-mails, then letters, and so on.
    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (l: ReminderChannel, r: ReminderChannel) -> Bool { l.rank < r.rank }
}
