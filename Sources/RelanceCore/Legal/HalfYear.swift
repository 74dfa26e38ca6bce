/// A calendar half-year ("semestre"): January–June (`H1`) or July–December (`H2`).
///
/// French rates are frozen per half-year: the L441-10 default penalty uses the ECB rate in force
/// on 1 January or 1 July, and the taux de l'intérêt légal is published per half-year by arrêté.
/// Every rate look-up therefore goes through this type, and every "rate not available" error
/// names one (`2026-H2`).
public struct HalfYear: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    /// 1 for January–June, 2 for July–December.
    public let half: Int

    /// Returns nil unless `half` is 1 or 2 and the year is one `Day` can hold.
    public init?(year: Int, half: Int) {
        guard half == 1 || half == 2, (1...9999).contains(year) else { return nil }
        self.year = year
        self.half = half
    }

    /// Reads `2026-H2` (the form of `description`); nil for anything else.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 7, u[4] == 0x2D, u[5] == 0x48 || u[5] == 0x68,
              u[0..<4].allSatisfy({ (0x30...0x39).contains($0) }), let year = Int(String(decoding: u[0..<4], as: UTF8.self)),
              u[6] == 0x31 || u[6] == 0x32 else { return nil }
        self.init(year: year, half: Int(u[6] - 0x30))
    }

    /// The half-year a day falls in.
    public init(containing day: Day) {
        let c = day.components
        year = c.year
        half = c.month <= 6 ? 1 : 2
    }

    /// 1 January or 1 July.
    public var firstDay: Day {
        // Both components are valid for every year `Day` accepts, so the fallback never runs.
        Day(year: year, month: half == 1 ? 1 : 7, day: 1) ?? Day(ordinal: 0)
    }

    /// 30 June or 31 December.
    public var lastDay: Day {
        Day(year: year, month: half == 1 ? 6 : 12, day: half == 1 ? 30 : 31) ?? Day(ordinal: 0)
    }

    /// The half-year after this one.
    public var next: HalfYear {
        half == 1 ? HalfYear(uncheckedYear: year, half: 2) : HalfYear(uncheckedYear: year + 1, half: 1)
    }

    private init(uncheckedYear: Int, half: Int) {
        self.year = uncheckedYear
        self.half = half
    }

    /// `2026-H2`, the form used in error messages and in the dossier's rate table.
    public var description: String { "\(year)-H\(half)" }

    public static func < (l: HalfYear, r: HalfYear) -> Bool {
        (l.year, l.half) < (r.year, r.half)
    }
}
