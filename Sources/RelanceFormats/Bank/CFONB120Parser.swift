import RelanceCore

/// The line-by-line work behind `CFONB120Reader`: statements opened by 01 and closed by 07,
/// each 04 movement held until its 05 complements have been read.
struct CFONB120Parser {
    private let context: ReadContext
    private var issues: IssueCollector
    private var batch = IngestBatch(format: "CFONB 120")

    /// The statement being read (between an 01 and its 07).
    private struct Statement {
        var line: Int
        var currency: Currency
        var opening: Int64  // minor units
        var movements: Int64 = 0
    }
    private var statement: Statement?
    private var statements = 0

    /// A 04 movement waiting for its 05 records.
    private struct Movement {
        var line: Int
        var account: String
        var date: Day
        var valueDate: Day?
        var amount: Int64
        var currency: Currency
        var label: String
        var rejectCode: String
        var referenceZone: String
        var texts: [String] = []
        var payerName: String?
    }
    private var movement: Movement?
    private var movementCount = 0
    private var ordinals: [String: Int] = [:]
    private var debitsIgnored = 0, returnsBooked = 0, zeroMovements = 0
    private var currencyAssumed = false
    private var unbalanced: [String] = []

    init(context: ReadContext) {
        self.context = context
        issues = IssueCollector(cap: context.issueCap)
    }

    /// Qualifiers of 05 records that name or identify the company itself or are ids, not remittance text.
    private static let partyQualifiers: Set<String> = ["NBE", "IBE", "NBU", "IBU", "NPO", "IPO", "IPY", "NPY"]

    mutating func run(_ bytes: [UInt8]) throws(InputRejection) -> IngestBatch {
        for (line, record) in CFONB120Parser.lines(bytes) {
            guard let record else { continue }
            guard record.count == 120 else {
                issues.add(context.issue(line: line, "record", "line is \(record.count) characters long; CFONB 120 records are exactly 120"))
                continue
            }
            read(CFONB120Record(bytes: record[...], line: line))
        }
        flushMovement()
        if let s = statement {
            issues.add(context.issue(line: s.line, "01", "statement has no closing balance record (07)"))
        }
        if statements == 0 && issues.isEmpty {
            issues.add(context.issue(line: 1, "01", "no statement (01 record) in the file"))
        }
        if let rejection = issues.rejection() { throw rejection }
        var notes = ["CFONB 120: \(statements) statement\(statements == 1 ? "" : "s"), \(movementCount) movements, \(batch.payments.count) payments"]
        if debitsIgnored > 0 { notes.append("\(debitsIgnored) debit movements ignored (money paid out; no reject code or IMPAYE/REJET label marking a returned customer payment)") }
        if returnsBooked > 0 { notes.append("\(returnsBooked) rejected or unpaid debit movements read as negative payments (returned customer payments)") }
        if zeroMovements > 0 { notes.append("\(zeroMovements) movements of zero amount skipped") }
        if currencyAssumed { notes.append("records without a currency code (zone 17-19): \(context.defaultCurrency) assumed (the default currency)") }
        notes += unbalanced
        batch.notes = notes
        return batch
    }

    /// The file's lines with their 1-based numbers, one byte per character; nil for a blank line.
    static func lines(_ bytes: [UInt8]) -> [(Int, [UInt8]?)] {
        var out: [(Int, [UInt8]?)] = []
        // A file with no line break at all holds back-to-back 120-character records.
        if !bytes.contains(0x0A), bytes.count > 120, bytes.count % 120 == 0 {
            var i = 0, n = 1
            while i < bytes.count {
                out.append((n, Array(bytes[i..<(i + 120)])))
                i += 120; n += 1
            }
            return out
        }
        var start = 0, n = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            n += 1
            var stop = end
            if stop > start, bytes[stop - 1] == 0x0D { stop -= 1 }
            let raw = bytes[start..<stop]
            start = end + 1
            if raw.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x1A }) {  // 0x1A: DOS end-of-file mark
                out.append((n, nil))
                continue
            }
            out.append((n, latin1(raw)))
        }
        return out
    }

    /// UTF-8 lines (a re-encoded file) folded to one byte per character so positions hold.
    private static func latin1(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        guard raw.contains(where: { $0 >= 0x80 }), let s = String(validating: raw, as: UTF8.self) else { return Array(raw) }
        return s.unicodeScalars.map { $0.value < 0x100 ? UInt8($0.value) : 0x3F }
    }

    private mutating func read(_ r: CFONB120Record) {
        switch r.code {
        case "01":
            flushMovement()
            if let s = statement {
                issues.add(context.issue(line: r.line, "01", "new statement before the closing balance (07) of the one opened line \(s.line)"))
            }
            guard let currency = currency(of: r, fallback: nil),
                  let opening = balance(r, currency: currency, what: "old balance") else { statement = nil; return }
            statement = Statement(line: r.line, currency: currency, opening: opening)
            statements += 1
        case "04":
            flushMovement()
            guard let s = statement else {
                issues.add(context.issue(line: r.line, "04", "movement outside a statement (no 01 record before it)"))
                return
            }
            guard let currency = currency(of: r, fallback: s.currency),
                  let amount = minor(r, currency: currency, what: "movement amount") else { return }
            guard let date = r.date(at: 35) else {
                issues.add(context.issue(line: r.line, "04 booking date (35-40)", "not a JJMMAA date: '\(r.field(35, 40))'"))
                return
            }
            movementCount += 1
            statement?.movements &+= amount
            let account = [r.trimmed(3, 7), r.trimmed(12, 16), r.trimmed(22, 32)].joined(separator: "-")
            movement = Movement(line: r.line, account: account, date: date, valueDate: r.date(at: 43), amount: amount,
                                currency: currency, label: r.trimmed(49, 79), rejectCode: r.trimmed(41, 42),
                                referenceZone: r.trimmed(105, 120))
        case "05":
            guard movement != nil else {
                issues.add(context.issue(line: r.line, "05", "complement record without a movement (04) before it"))
                return
            }
            let qualifier = r.field(46, 48)
            let text = r.trimmed(49, 118)
            guard !text.isEmpty else { return }
            if qualifier == "NPY" {
                movement?.payerName = text
            } else if !CFONB120Parser.partyQualifiers.contains(qualifier) {
                movement?.texts.append(text)
            }
        case "07":
            flushMovement()
            guard let s = statement else {
                issues.add(context.issue(line: r.line, "07", "closing balance without a statement (no 01 record before it)"))
                return
            }
            statement = nil
            guard let currency = currency(of: r, fallback: s.currency),
                  let closing = balance(r, currency: currency, what: "new balance") else { return }
            let expected = s.opening &+ s.movements
            if expected != closing {
                let f = { (v: Int64) in Money(minor: v, currency: currency).description }
                unbalanced.append("statement of lines \(s.line)-\(r.line) does not reconcile: old balance \(f(s.opening)) + movements \(f(s.movements)) = \(f(expected)), but the new balance is \(f(closing)); accepted, the movements are read as booked")
            }
        default:
            issues.add(context.issue(line: r.line, "record code (1-2)", "unknown CFONB 120 record code '\(r.code)' (expected 01, 04, 05 or 07)"))
        }
    }

    private mutating func flushMovement() {
        guard let m = movement else { return }
        movement = nil
        // Every movement takes its place in the day's sequence, paid out or not, so a credit's id
        // does not depend on how the debits around it are classified.
        let key = m.account + "/" + m.date.description
        let n = (ordinals[key] ?? 0) + 1
        ordinals[key] = n
        if m.amount == 0 {
            zeroMovements += 1
            return
        }
        if m.amount < 0 {
            let label = m.label.uppercased()
            let rejected = !m.rejectCode.isEmpty && m.rejectCode != "00"
            guard rejected || label.hasPrefix("IMPAYE") || label.hasPrefix("REJET") else {
                debitsIgnored += 1
                return
            }
            returnsBooked += 1
        }
        var pieces: [String] = []
        for piece in [m.label] + m.texts + [m.referenceZone] where !piece.isEmpty && !pieces.contains(piece) {
            pieces.append(piece)
        }
        batch.payments.append(Payment(
            paymentId: "CFONB/\(key)/\(n)", date: m.date, valueDate: m.valueDate, amount: m.amount, currency: m.currency,
            reference: pieces.isEmpty ? nil : pieces.joined(separator: " "), payerName: m.payerName,
            sourceLocation: "line \(m.line)"))
    }

    /// The record's currency, else the statement's, else the default currency (noted).
    private mutating func currency(of r: CFONB120Record, fallback: Currency?) -> Currency? {
        let code = r.currencyField
        if code.isEmpty {
            if let fallback { return fallback }
            currencyAssumed = true
            return context.defaultCurrency
        }
        guard let c = Currency(code) else {
            issues.add(context.issue(line: r.line, "currency (17-19)", "not an ISO 4217 currency code: '\(code)'"))
            return nil
        }
        return c
    }

    private mutating func balance(_ r: CFONB120Record, currency: Currency, what: String) -> Int64? {
        minor(r, currency: currency, what: what)
    }

    /// The amount zone 91–104 in the currency's minor units, using the record's decimals
    /// (zone 20; the currency's own when blank).
    private mutating func minor(_ r: CFONB120Record, currency: Currency, what: String) -> Int64? {
        guard let raw = r.amount else {
            issues.add(context.issue(line: r.line, "\(r.code) amount (91-104)", "\(what) is not 13 digits and a sign character ({, A-I, }, J-R): '\(r.field(91, 104))'"))
            return nil
        }
        let places = currency.minorUnits
        let decimals = r.decimals ?? places
        var v = raw
        if decimals < places {
            for _ in decimals..<places { v *= 10 }
        } else if decimals > places {
            var d: Int64 = 1
            for _ in places..<decimals { d *= 10 }
            guard v % d == 0 else {
                issues.add(context.issue(line: r.line, "\(r.code) decimals (20)", "\(what) has \(decimals) decimals, more than \(currency) allows"))
                return nil
            }
            v /= d
        }
        return v
    }
}
