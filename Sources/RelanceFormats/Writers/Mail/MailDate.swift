import RelanceCore

/// The value of a `Date:` header, built from a calendar `Day`, a wall-clock time and the
/// company's UTC offset on that day: `Fri, 20 Nov 2026 08:00:00 +0100`.
///
/// The date is an input, never the clock: reminders are dated at the run's as-of date (08:00
/// company time by convention), so a re-run of the same day renders the same bytes.
public struct MailDate: Hashable, Sendable, CustomStringConvertible {
    public let day: Day
    public let hour: Int
    public let minute: Int
    public let second: Int
    /// Minutes east of UTC: +60 for Paris in winter, +120 in summer.
    public let utcOffsetMinutes: Int

    public init(day: Day, hour: Int, minute: Int, second: Int = 0, utcOffsetMinutes: Int) throws(MailHeaderError) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            throw .invalidDate("time \(hour):\(minute):\(second) out of range")
        }
        guard abs(utcOffsetMinutes) < 24 * 60 else { throw .invalidDate("UTC offset \(utcOffsetMinutes) minutes out of range") }
        let year = day.year
        guard (1900...9999).contains(year) else { throw .invalidDate("year \(year) out of range") }
        self.day = day; self.hour = hour; self.minute = minute; self.second = second
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 5322 §3.3 date-time, English names, two-digit day, four-digit signed offset.
    public var headerValue: String {
        let c = day.components
        func two(_ v: Int) -> String { v < 10 ? "0" + String(v) : String(v) }
        let sign = utcOffsetMinutes < 0 ? "-" : "+"
        let offset = abs(utcOffsetMinutes)
        return MailDate.weekdays[day.isoWeekday - 1] + ", " + two(c.day) + " " + MailDate.months[c.month - 1] + " "
            + String(c.year) + " " + two(hour) + ":" + two(minute) + ":" + two(second) + " "
            + sign + two(offset / 60) + two(offset % 60)
    }

    public var description: String { headerValue }
}
