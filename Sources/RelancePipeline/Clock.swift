import Foundation
import RelanceCore

/// The only place that reads the wall clock: "today" and timestamps in the company's time zone.
public enum Clock {
    /// Today's calendar date in `timeZone` (the default `--as-of`).
    public static func today(in timeZone: String) -> Day {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/Paris")!
        let c = cal.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// An ISO 8601 timestamp with offset, for the journal (`2026-11-23T18:30:05+01:00`).
    public static func timestamp(in timeZone: String) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/Paris")!
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}
