/// One problem found in an input file: where, and why.
///
/// Rendered as `file:line: column: reason` (or `file: element: reason` for XML), the form
/// the `.errors.txt` beside a rejected file uses, one problem a line.
public struct InputIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line number, when the format has lines.
    public var line: Int?
    /// Column name, XML element path, or record kind.
    public var location: String?
    public var reason: String

    public init(file: String, line: Int? = nil, location: String? = nil, reason: String) {
        self.file = file; self.line = line; self.location = location; self.reason = reason
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ":"
        if let location, !location.isEmpty { s += " \(location):" }
        return s + " " + reason
    }
}

/// A file that cannot be ingested, with every problem found (up to a cap).
public struct InputRejection: Error, Sendable, CustomStringConvertible {
    public var issues: [InputIssue]
    /// How many problems were found beyond the ones listed.
    public var omitted: Int

    public init(_ issues: [InputIssue], omitted: Int = 0) {
        self.issues = issues; self.omitted = omitted
    }

    public init(file: String, line: Int? = nil, location: String? = nil, reason: String) {
        self.init([InputIssue(file: file, line: line, location: location, reason: reason)])
    }

    public var description: String {
        var lines = issues.map(\.description)
        if omitted > 0 { lines.append("… and \(omitted) more problems") }
        return lines.joined(separator: "\n")
    }
}

/// Collects issues up to a cap, so a file with a million bad rows still gets a short report.
public struct IssueCollector: Sendable {
    public let cap: Int
    public private(set) var issues: [InputIssue] = []
    public private(set) var omitted = 0

    public init(cap: Int = 100) { self.cap = cap }

    public var isEmpty: Bool { issues.isEmpty }

    public mutating func add(_ issue: InputIssue) {
        if issues.count < cap { issues.append(issue) } else { omitted += 1 }
    }

    public func rejection() -> InputRejection? {
        issues.isEmpty ? nil : InputRejection(issues, omitted: omitted)
    }
}
