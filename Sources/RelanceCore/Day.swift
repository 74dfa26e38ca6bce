/// A calendar date with no time and no time zone: the number of days since 1970-01-01.
///
/// Due dates, payment dates and the run's as-of date are calendar dates in the company's
/// time zone; keeping them as integers makes "days late" a subtraction and parsing a
/// handful of byte comparisons (Foundation's date formatters are two orders slower).
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible, Strideable {
    public let ordinal: Int32

    public init(ordinal: Int32) { self.ordinal = ordinal }

    /// Returns nil when the triple is not a real date (31 April, 29 February 2025…).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= Day.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        ordinal = Int32(era * 146097 + doe - 719468)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// (year, month, day) — Hinnant's civil_from_days.
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(ordinal) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public var year: Int { components.year }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        let w = (Int(ordinal) + 3) % 7  // 1970-01-01 was a Thursday (index 3 from Monday)
        return (w < 0 ? w + 7 : w) + 1
    }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + Int32(days)) }

    /// Adds calendar months, clamping the day to the end of the target month.
    public func adding(months: Int) -> Day {
        let c = components
        let total = c.year * 12 + (c.month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return Day(year: y, month: m, day: min(c.day, Day.daysIn(month: m, year: y)))!
    }

    public func distance(to other: Day) -> Int { Int(other.ordinal - ordinal) }
    public func advanced(by n: Int) -> Day { adding(days: n) }

    public static func < (l: Day, r: Day) -> Bool { l.ordinal < r.ordinal }

    /// `yyyy-mm-dd`.
    public var description: String {
        let c = components
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    /// `dd/mm/yyyy`, the French display form.
    public var frenchDescription: String {
        let c = components
        return (c.day < 10 ? "0" : "") + String(c.day) + "/" + (c.month < 10 ? "0" : "") + String(c.month) + "/" + String(c.year)
    }
}

/// The order of day and month in a numeric date whose year comes last.
public enum DateOrder: String, Sendable, Codable {
    /// `31/12/2024` — France and most of Europe (the default).
    case dayMonthYear = "dmy"
    /// `12/31/2024` — some US-made exports; only when a layout says so.
    case monthDayYear = "mdy"
}

extension Day {
    /// Parses the date forms found in French and EU exports, strictly and by hand:
    /// `yyyy-mm-dd` (also with `/` or `.`), `dd/mm/yyyy`, `dd.mm.yyyy`, `dd-mm-yyyy`, `yyyymmdd`,
    /// `dd/mm/yy` (two-digit years mean 20yy), unpadded `d/m/yyyy`, and date-times whose
    /// date part comes first (`2024-03-01T10:00:00`, `01/03/2024 10:00`), whose time is ignored.
    public static func parse<C: Collection>(_ bytes: C, order: DateOrder = .dayMonthYear) -> Day? where C.Element == UInt8 {
        // Up to three digit groups and the separator between them.
        var g0 = 0, g1 = 0, g2 = 0
        var l0 = 0, l1 = 0, l2 = 0
        var group = 0
        var sep: UInt8 = 0
        var started = false
        var ended = false
        for b in bytes {
            if ended {
                continue
            }
            switch b {
            case 0x30...0x39:
                started = true
                let d = Int(b - 0x30)
                switch group {
                case 0: g0 = g0 &* 10 &+ d; l0 += 1
                case 1: g1 = g1 &* 10 &+ d; l1 += 1
                default: g2 = g2 &* 10 &+ d; l2 += 1
                }
                if l0 > 8 || l1 > 4 || l2 > 4 { return nil }
            case 0x2D, 0x2F, 0x2E:
                guard started, group < 2 else { return nil }
                if sep == 0 { sep = b } else if sep != b { return nil }
                if (group == 0 && l0 == 0) || (group == 1 && l1 == 0) { return nil }
                group += 1
            case 0x20, 0x09, 0x54:  // space, tab, 'T': leading blanks, or the start of a time part
                if !started { if b == 0x54 { return nil } else { continue } }
                ended = true
            default:
                return nil
            }
        }
        if group == 0 {
            guard l0 == 8 else { return nil }
            return Day(year: g0 / 10000, month: g0 / 100 % 100, day: g0 % 100)
        }
        guard group == 2, l0 > 0, l1 > 0, l2 > 0, l1 <= 2 else { return nil }
        if l0 == 4 {
            guard l2 <= 2 else { return nil }
            return Day(year: g0, month: g1, day: g2)
        }
        guard l0 <= 2 else { return nil }
        let year: Int
        switch l2 {
        case 4: year = g2
        case 2: year = 2000 + g2
        default: return nil
        }
        switch order {
        case .dayMonthYear: return Day(year: year, month: g1, day: g0)
        case .monthDayYear: return Day(year: year, month: g0, day: g1)
        }
    }

    public static func parse(_ s: String, order: DateOrder = .dayMonthYear) -> Day? { parse(s.utf8, order: order) }
}
