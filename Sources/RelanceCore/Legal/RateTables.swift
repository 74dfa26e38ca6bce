/// The two French rate datasets the legal computations depend on, parsed from their shipped
/// CSV files: the ECB main refinancing operations (MRO) rate changes, and the taux de
/// l'intérêt légal per half-year.
///
/// Rates change twice a year and must be data, not code (legal.md §0): the files carry their
/// source and "verified on" date as leading `# key: value` comment lines, kept here as
/// `Metadata`. Rates are integer basis points (4.50 % → 450), never floating point.
///
/// **Verified limit.** The ECB file must carry `# verified_through: yyyy-mm-dd`: the date up to
/// which the list of changes is known to be complete. A half-year's reference value is the
/// rate in force on its first day, so it is only known when that first day is on or before
/// `verified_through`; later half-years are refused (`2026-H2` with the shipped data, whose
/// list is verified through the 5 February 2026 decision). The legal-interest file has one row
/// per half-year, so coverage is simply the rows present. Either file may mark a row
/// `provisional`: it is kept for display but refused in computations.
public struct RateTables: Sendable, Equatable {
    /// File name of the ECB dataset, used in errors and in the dossier's citations.
    public static let ecbFileName = "ecb_mro_changes.csv"
    /// File name of the legal-interest dataset.
    public static let legalInterestFileName = "fr_legal_interest.csv"

    /// Whether a value was checked against an official or corroborated source.
    public enum Status: String, Sendable, Equatable {
        case verified
        case provisional
    }

    /// One change of the ECB MRO rate, with effect from the settlement date of the first
    /// operation at the new rate.
    public struct ECBChange: Sendable, Equatable {
        public var effectiveFrom: Day
        public var basisPoints: Int
        public var status: Status
        /// 1-based line in the file, for messages.
        public var line: Int

        public init(effectiveFrom: Day, basisPoints: Int, status: Status, line: Int = 0) {
            self.effectiveFrom = effectiveFrom; self.basisPoints = basisPoints; self.status = status; self.line = line
        }
    }

    /// The two legal interest rates of one half-year (art. L313-2 CMF).
    public struct LegalInterestRow: Sendable, Equatable {
        public var halfYear: HalfYear
        /// Rate when the creditor is a natural person not acting for professional purposes.
        public var privateIndividualCreditor: Int
        /// Rate "dans tous les autres cas": any company creditor, whatever the debtor.
        public var otherCases: Int
        public var status: Status
        public var line: Int

        public init(halfYear: HalfYear, privateIndividualCreditor: Int, otherCases: Int, status: Status, line: Int = 0) {
            self.halfYear = halfYear; self.privateIndividualCreditor = privateIndividualCreditor
            self.otherCases = otherCases; self.status = status; self.line = line
        }
    }

    /// The leading comment block of a dataset file.
    public struct Metadata: Sendable, Equatable {
        public var fileName: String
        /// Every `# key: value` line in file order (repeated keys such as `source` kept).
        public var entries: [(key: String, value: String)]
        /// `verified_on`: when a person last checked the file against its sources.
        public var verifiedOn: Day
        /// `verified_through` (ECB file): the change list is complete up to this day.
        public var verifiedThrough: Day?

        public init(fileName: String, entries: [(key: String, value: String)], verifiedOn: Day, verifiedThrough: Day? = nil) {
            self.fileName = fileName; self.entries = entries; self.verifiedOn = verifiedOn; self.verifiedThrough = verifiedThrough
        }

        public var sources: [String] { values(for: "source") }
        public var notes: [String] { values(for: "note") }

        public func values(for key: String) -> [String] {
            entries.filter { $0.key == key }.map(\.value)
        }

        public static func == (l: Metadata, r: Metadata) -> Bool {
            l.fileName == r.fileName && l.verifiedOn == r.verifiedOn && l.verifiedThrough == r.verifiedThrough
                && l.entries.map(\.key) == r.entries.map(\.key) && l.entries.map(\.value) == r.entries.map(\.value)
        }
    }

    /// Which legal rate applies: it depends on the creditor (legal.md §3).
    public enum LegalRateCategory: String, Sendable, Equatable {
        /// "Taux 1": the creditor is a private individual.
        case privateIndividualCreditor
        /// "Taux 2": all other cases, i.e. any business creditor.
        case otherCases
    }

    public let ecbChanges: [ECBChange]
    public let legalInterest: [LegalInterestRow]
    public let ecbMetadata: Metadata
    public let legalInterestMetadata: Metadata
    private let legalByHalfYear: [HalfYear: LegalInterestRow]

    /// Builds tables from values already checked elsewhere: rows are sorted by date, not
    /// re-validated (a repeated half-year keeps its last row). Files go through `parse`.
    public init(ecbChanges: [ECBChange], legalInterest: [LegalInterestRow], ecbMetadata: Metadata, legalInterestMetadata: Metadata) {
        self.ecbChanges = ecbChanges.sorted { $0.effectiveFrom < $1.effectiveFrom }
        self.legalInterest = legalInterest.sorted { $0.halfYear < $1.halfYear }
        self.ecbMetadata = ecbMetadata
        self.legalInterestMetadata = legalInterestMetadata
        var map: [HalfYear: LegalInterestRow] = [:]
        for row in legalInterest { map[row.halfYear] = row }
        legalByHalfYear = map
    }

    public static func == (l: RateTables, r: RateTables) -> Bool {
        l.ecbChanges == r.ecbChanges && l.legalInterest == r.legalInterest
            && l.ecbMetadata == r.ecbMetadata && l.legalInterestMetadata == r.legalInterestMetadata
    }

    // MARK: Look-ups

    /// The ECB MRO rate in force on the first day of `halfYear` (1 January or 1 July), the
    /// reference value of L441-10 II.
    public func ecbReferenceRate(for halfYear: HalfYear) throws(LegalComputationError) -> Int {
        let file = ecbMetadata.fileName
        let start = halfYear.firstDay
        if let limit = ecbMetadata.verifiedThrough, start > limit {
            throw .rateUnavailable(halfYear: halfYear, file: file,
                                   reason: "the ECB rate changes are verified through \(limit) only; add the decisions up to \(start) and move verified_through")
        }
        // Last change with effect on or before the first day of the half-year.
        var lo = 0, hi = ecbChanges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ecbChanges[mid].effectiveFrom <= start { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else {
            throw .rateUnavailable(halfYear: halfYear, file: file, reason: "the dataset starts after \(start)")
        }
        let change = ecbChanges[lo - 1]
        guard change.status == .verified else {
            throw .rateUnavailable(halfYear: halfYear, file: file,
                                   reason: "the rate in force on \(start) (line \(change.line)) is marked provisional")
        }
        return change.basisPoints
    }

    /// The L441-10 default penalty rate ("taux supplétif") for a half-year: ECB reference + 10 points.
    public func statutoryPenaltyRate(for halfYear: HalfYear) throws(LegalComputationError) -> Int {
        try ecbReferenceRate(for: halfYear) + 1000
    }

    /// The default penalty rate applying to an accrual day (the rate of that day's half-year).
    public func statutoryPenaltyRate(on day: Day) throws(LegalComputationError) -> Int {
        try statutoryPenaltyRate(for: HalfYear(containing: day))
    }

    /// The taux de l'intérêt légal of a half-year for the given creditor category.
    public func legalInterestRate(for halfYear: HalfYear, category: LegalRateCategory) throws(LegalComputationError) -> Int {
        let file = legalInterestMetadata.fileName
        guard let row = legalByHalfYear[halfYear] else {
            throw .rateUnavailable(halfYear: halfYear, file: file, reason: "no row for this half-year (arrêté not recorded)")
        }
        guard row.status == .verified else {
            throw .rateUnavailable(halfYear: halfYear, file: file, reason: "the row on line \(row.line) is marked provisional")
        }
        switch category {
        case .privateIndividualCreditor: return row.privateIndividualCreditor
        case .otherCases: return row.otherCases
        }
    }

    /// The legal rate applying to an accrual day.
    public func legalInterestRate(on day: Day, category: LegalRateCategory) throws(LegalComputationError) -> Int {
        try legalInterestRate(for: HalfYear(containing: day), category: category)
    }

    /// The floor of an agreed L441-10 rate: 3 × the "autres cas" legal rate of the half-year (§1.3).
    public func contractualFloorRate(for halfYear: HalfYear) throws(LegalComputationError) -> Int {
        try 3 * legalInterestRate(for: halfYear, category: .otherCases)
    }

    /// `1450` → `14.50 %`: display form of a rate in basis points (machine form, point decimal).
    public static func percentText(basisPoints: Int) -> String {
        MinorUnits.format(Int64(basisPoints), places: 2) + " %"
    }
}

// MARK: - Parsing

extension RateTables {
    /// Parses the two shipped files. Each must start with `# key: value` comment lines holding
    /// at least `source` and `verified_on` (and `verified_through` for the ECB file), followed
    /// by the exact header of legal.md §10.1 and its rows. Blank lines are ignored; a comment
    /// after the header is refused (a commented-out row would otherwise vanish silently).
    ///
    /// - Throws: `InputRejection` listing every problem of both files with its line.
    public static func parse(ecb: String, legal: String) throws(InputRejection) -> RateTables {
        var issues = IssueCollector()
        let ecbResult = parseECB(ecb, issues: &issues)
        let legalResult = parseLegal(legal, issues: &issues)
        if let rejection = issues.rejection() { throw rejection }
        guard let ecbParsed = ecbResult, let legalParsed = legalResult else {
            // Unreachable: a nil result always records an issue. Kept as an error, not a trap.
            throw InputRejection(file: ecbFileName, reason: "rate tables could not be read")
        }
        return RateTables(ecbChanges: ecbParsed.1, legalInterest: legalParsed.1,
                          ecbMetadata: ecbParsed.0, legalInterestMetadata: legalParsed.0)
    }

    /// One file split into its comment block (as metadata) and its data rows.
    private struct RawFile {
        var entries: [(key: String, value: String, line: Int)] = []
        var header: (text: String, line: Int)?
        var rows: [(fields: [String], line: Int)] = []
    }

    private static func split(_ text: String, file: String, issues: inout IssueCollector) -> RawFile {
        var raw = RawFile()
        var lineNumber = 0
        // "\r\n" is a single Character in Swift, hence the two separators.
        for var line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("#") {
                guard raw.header == nil else {
                    issues.add(InputIssue(file: file, line: lineNumber, reason: "comment after the header: comments belong in the leading block; delete the line rather than commenting out a rate"))
                    continue
                }
                let body = trimmed.dropFirst()
                guard let colon = body.firstIndex(of: ":") else {
                    issues.add(InputIssue(file: file, line: lineNumber, reason: "comment line is not of the form '# key: value'"))
                    continue
                }
                let key = body[..<colon].trimmingBlanks()
                let value = body[body.index(after: colon)...].trimmingBlanks()
                guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0 == "_" }) else {
                    issues.add(InputIssue(file: file, line: lineNumber, reason: "comment key '\(key)' is not a word (expected source, verified_on, verified_through, note…)"))
                    continue
                }
                raw.entries.append((key, value, lineNumber))
                continue
            }
            if raw.header == nil {
                raw.header = (String(line), lineNumber)
            } else {
                raw.rows.append((line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingBlanks() }, lineNumber))
            }
        }
        return raw
    }

    private static func metadata(_ raw: RawFile, file: String, needsVerifiedThrough: Bool, issues: inout IssueCollector) -> Metadata? {
        var ok = true
        func single(_ key: String) -> (String, Int)? {
            let found = raw.entries.filter { $0.key == key }
            if found.count > 1 {
                issues.add(InputIssue(file: file, line: found[1].line, location: key, reason: "'\(key)' given more than once"))
                ok = false
            }
            return found.first.map { ($0.value, $0.line) }
        }
        if !raw.entries.contains(where: { $0.key == "source" && !$0.value.isEmpty }) {
            issues.add(InputIssue(file: file, line: 1, location: "source", reason: "missing '# source: …' comment naming where the rates come from"))
            ok = false
        }
        var verifiedOn: Day?
        if let (text, line) = single("verified_on") {
            verifiedOn = isoDay(text)
            if verifiedOn == nil {
                issues.add(InputIssue(file: file, line: line, location: "verified_on", reason: "'\(text)' is not a yyyy-mm-dd date"))
                ok = false
            }
        } else {
            issues.add(InputIssue(file: file, line: 1, location: "verified_on", reason: "missing '# verified_on: yyyy-mm-dd' comment"))
            ok = false
        }
        var verifiedThrough: Day?
        if let (text, line) = single("verified_through") {
            verifiedThrough = isoDay(text)
            if verifiedThrough == nil {
                issues.add(InputIssue(file: file, line: line, location: "verified_through", reason: "'\(text)' is not a yyyy-mm-dd date"))
                ok = false
            }
        } else if needsVerifiedThrough {
            issues.add(InputIssue(file: file, line: 1, location: "verified_through", reason: "missing '# verified_through: yyyy-mm-dd' comment: the date up to which the list of rate changes is known to be complete"))
            ok = false
        }
        guard ok, let verifiedOn else { return nil }
        return Metadata(fileName: file, entries: raw.entries.map { ($0.key, $0.value) },
                        verifiedOn: verifiedOn, verifiedThrough: verifiedThrough)
    }

    /// The header line, when it is exactly `expected` (blanks ignored); else an issue and nil.
    private static func checkedHeader(_ raw: RawFile, expected: String, file: String,
                                      issues: inout IssueCollector) -> (text: String, line: Int)? {
        guard let header = raw.header else {
            issues.add(InputIssue(file: file, reason: "no header line '\(expected)'"))
            return nil
        }
        guard header.text.filter({ $0 != " " }) == expected else {
            issues.add(InputIssue(file: file, line: header.line, reason: "header is '\(header.text)', expected '\(expected)'"))
            return nil
        }
        return (header.text, header.line)
    }

    private static func parseECB(_ text: String, issues: inout IssueCollector) -> (Metadata, [ECBChange])? {
        let file = ecbFileName
        let before = issues.issues.count + issues.omitted
        let raw = split(text, file: file, issues: &issues)
        let meta = metadata(raw, file: file, needsVerifiedThrough: true, issues: &issues)
        let expected = "effective_from,mro_pct,status"
        guard let header = checkedHeader(raw, expected: expected, file: file, issues: &issues) else { return nil }
        var changes: [ECBChange] = []
        for (fields, line) in raw.rows {
            guard fields.count == 3 else {
                issues.add(InputIssue(file: file, line: line, reason: "\(fields.count) fields, expected 3 (\(expected))"))
                continue
            }
            let day = isoDay(fields[0])
            if day == nil { issues.add(InputIssue(file: file, line: line, location: "effective_from", reason: "'\(fields[0])' is not a yyyy-mm-dd date")) }
            let bp = basisPoints(fields[1], file: file, line: line, column: "mro_pct", issues: &issues)
            let status = Status(rawValue: fields[2])
            if status == nil { issues.add(InputIssue(file: file, line: line, location: "status", reason: "'\(fields[2])' is not 'verified' or 'provisional'")) }
            guard let day, let bp, let status else { continue }
            if let last = changes.last, day <= last.effectiveFrom {
                issues.add(InputIssue(file: file, line: line, location: "effective_from", reason: "\(day) is not after the previous change (\(last.effectiveFrom), line \(last.line)): rows must be in increasing date order"))
                continue
            }
            if let limit = meta?.verifiedThrough, day > limit, status == .verified {
                issues.add(InputIssue(file: file, line: line, location: "status", reason: "change of \(day) is marked verified but lies after verified_through (\(limit))"))
                continue
            }
            changes.append(ECBChange(effectiveFrom: day, basisPoints: bp, status: status, line: line))
        }
        if raw.rows.isEmpty { issues.add(InputIssue(file: file, line: header.line, reason: "no rate rows after the header")) }
        guard let meta, issues.issues.count + issues.omitted == before else { return nil }
        return (meta, changes)
    }

    private static func parseLegal(_ text: String, issues: inout IssueCollector) -> (Metadata, [LegalInterestRow])? {
        let file = legalInterestFileName
        let before = issues.issues.count + issues.omitted
        let raw = split(text, file: file, issues: &issues)
        let meta = metadata(raw, file: file, needsVerifiedThrough: false, issues: &issues)
        let expected = "from,to,particulier_pct,autres_cas_pct,status"
        guard let header = checkedHeader(raw, expected: expected, file: file, issues: &issues) else { return nil }
        var rows: [LegalInterestRow] = []
        for (fields, line) in raw.rows {
            guard fields.count == 5 else {
                issues.add(InputIssue(file: file, line: line, reason: "\(fields.count) fields, expected 5 (\(expected))"))
                continue
            }
            let from = isoDay(fields[0]), to = isoDay(fields[1])
            if from == nil { issues.add(InputIssue(file: file, line: line, location: "from", reason: "'\(fields[0])' is not a yyyy-mm-dd date")) }
            if to == nil { issues.add(InputIssue(file: file, line: line, location: "to", reason: "'\(fields[1])' is not a yyyy-mm-dd date")) }
            let individual = basisPoints(fields[2], file: file, line: line, column: "particulier_pct", issues: &issues)
            let others = basisPoints(fields[3], file: file, line: line, column: "autres_cas_pct", issues: &issues)
            let status = Status(rawValue: fields[4])
            if status == nil { issues.add(InputIssue(file: file, line: line, location: "status", reason: "'\(fields[4])' is not 'verified' or 'provisional'")) }
            guard let from, let to, let individual, let others, let status else { continue }
            let halfYear = HalfYear(containing: from)
            guard from == halfYear.firstDay, to == halfYear.lastDay else {
                issues.add(InputIssue(file: file, line: line, location: "from", reason: "\(from)…\(to) is not a calendar half-year (1 Jan–30 Jun or 1 Jul–31 Dec)"))
                continue
            }
            if let last = rows.last, halfYear <= last.halfYear {
                issues.add(InputIssue(file: file, line: line, location: "from", reason: "\(halfYear) is not after the previous row (\(last.halfYear), line \(last.line)): rows must be in increasing order, once each"))
                continue
            }
            rows.append(LegalInterestRow(halfYear: halfYear, privateIndividualCreditor: individual, otherCases: others, status: status, line: line))
        }
        if raw.rows.isEmpty { issues.add(InputIssue(file: file, line: header.line, reason: "no rate rows after the header")) }
        guard let meta, issues.issues.count + issues.omitted == before else { return nil }
        return (meta, rows)
    }

    /// Strict `yyyy-mm-dd`: the dataset has one date form, so nothing else is guessed.
    private static func isoDay(_ text: String) -> Day? {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        return Day.parse(u)
    }

    /// `4.50` → 450. Digits, one point, at most two decimals, optional leading minus.
    private static func basisPoints(_ text: String, file: String, line: Int, column: String, issues: inout IssueCollector) -> Int? {
        let u = Array(text.utf8)
        let allowed = !u.isEmpty && u.enumerated().allSatisfy { i, b in
            (0x30...0x39).contains(b) || b == 0x2E || (b == 0x2D && i == 0)
        }
        guard allowed else {
            issues.add(InputIssue(file: file, line: line, location: column, reason: "'\(text)' is not a percentage like 4.50"))
            return nil
        }
        switch AmountParser.parse(u, decimal: .point, places: 2) {
        case let .success(v):
            guard abs(v) <= 100_000 else {
                issues.add(InputIssue(file: file, line: line, location: column, reason: "'\(text)' % is not a plausible rate"))
                return nil
            }
            return Int(v)
        case let .failure(e):
            issues.add(InputIssue(file: file, line: line, location: column, reason: "'\(text)': \(e)"))
            return nil
        }
    }
}

extension Substring {
    fileprivate func trimmingBlanks() -> String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
