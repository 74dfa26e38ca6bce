/// Agreed payment terms ("délais de paiement") and the caps of art. L441-10 I Code de commerce
/// (legal.md §4.1).
///
/// The due date printed on the invoice is the one penalties run from, even when it breaks a
/// cap: the cap checks therefore only warn, they never move a date.
public struct PaymentTerms: Sendable, Equatable, CustomStringConvertible {
    /// The two accepted readings of "N jours fin de mois"; which one applies is a matter of
    /// agreement between the parties, so it must be stated (EX-10).
    public enum EndOfMonthMethod: String, Sendable, Equatable, Codable, CaseIterable {
        /// Method A: end of the invoice month, then N days (2025-01-20, 45 j → 2025-03-17).
        case endOfMonthThenDays
        /// Method B: invoice date + N days, then the end of that month (2025-01-20, 45 j → 2025-03-31).
        case daysThenEndOfMonth
    }

    public enum Rule: Sendable, Equatable {
        /// "N jours date de facture".
        case net(days: Int)
        /// "N jours fin de mois" with the agreed computation.
        case endOfMonth(days: Int, method: EndOfMonthMethod)
    }

    public var rule: Rule
    /// Recapitulative invoice (art. 289 I 3 CGI): capped at 45 days from the invoice date.
    public var isPeriodicInvoice: Bool

    public init(_ rule: Rule, isPeriodicInvoice: Bool = false) {
        self.rule = rule
        self.isPeriodicInvoice = isPeriodicInvoice
    }

    /// "45 jours fin de mois", the derogatory maximum, with its computation method.
    public static func fortyFiveDaysEndOfMonth(_ method: EndOfMonthMethod) -> PaymentTerms {
        PaymentTerms(.endOfMonth(days: 45, method: method))
    }

    /// The due date these terms give for an invoice issued on `invoiceDate`.
    public func dueDate(invoiceDate: Day) -> Day {
        switch rule {
        case let .net(days):
            return invoiceDate.adding(days: days)
        case let .endOfMonth(days, .endOfMonthThenDays):
            return Self.endOfMonth(invoiceDate).adding(days: days)
        case let .endOfMonth(days, .daysThenEndOfMonth):
            return Self.endOfMonth(invoiceDate.adding(days: days))
        }
    }

    /// With no agreement, the statutory term: 30 days after receipt of the goods or
    /// performance of the service (L441-10 I).
    public static func statutoryDefaultDueDate(receiptOrPerformance: Day) -> Day {
        receiptOrPerformance.adding(days: 30)
    }

    /// A cap the due date goes beyond.
    public enum CapWarning: Sendable, Equatable, CustomStringConvertible {
        /// Beyond 60 days from the invoice date, and (when end-of-month was agreed) beyond
        /// 45 days end of month by the agreed method too.
        case beyondGeneralCap(dueDate: Day, sixtyDays: Day, fortyFiveEndOfMonth: Day?)
        /// Periodic invoice beyond 45 days from the invoice date.
        case beyondPeriodicInvoiceCap(dueDate: Day, cap: Day)

        public var description: String {
            switch self {
            case let .beyondGeneralCap(due, sixty, eom):
                var s = "due date \(due) is beyond the L441-10 I cap of 60 days from the invoice date (\(sixty))"
                if let eom { s += " and beyond 45 days end of month (\(eom))" }
                return s
            case let .beyondPeriodicInvoiceCap(due, cap):
                return "due date \(due) of a periodic invoice is beyond 45 days from the invoice date (\(cap))"
            }
        }
    }

    /// Checks the due date these terms give (or the one printed on the invoice, which prevails).
    public func capWarnings(invoiceDate: Day, printedDueDate: Day? = nil) -> [CapWarning] {
        let due = printedDueDate ?? dueDate(invoiceDate: invoiceDate)
        var endOfMonthMethod: EndOfMonthMethod?
        if case let .endOfMonth(_, method) = rule { endOfMonthMethod = method }
        return Self.capWarnings(invoiceDate: invoiceDate, dueDate: due, isPeriodicInvoice: isPeriodicInvoice,
                                agreedEndOfMonthMethod: endOfMonthMethod)
    }

    /// Checks a due date against the caps of L441-10 I.
    ///
    /// - Parameter agreedEndOfMonthMethod: set when an end-of-month term was expressly agreed,
    ///   which allows up to 45 days end of month (computed by that method) instead of 60 days.
    public static func capWarnings(invoiceDate: Day, dueDate: Day, isPeriodicInvoice: Bool,
                                   agreedEndOfMonthMethod: EndOfMonthMethod?) -> [CapWarning] {
        if isPeriodicInvoice {
            let cap = invoiceDate.adding(days: 45)
            return dueDate > cap ? [.beyondPeriodicInvoiceCap(dueDate: dueDate, cap: cap)] : []
        }
        let sixty = invoiceDate.adding(days: 60)
        let eom = agreedEndOfMonthMethod.map { fortyFiveDaysEndOfMonth($0).dueDate(invoiceDate: invoiceDate) }
        let limit = max(sixty, eom ?? sixty)
        return dueDate > limit ? [.beyondGeneralCap(dueDate: dueDate, sixtyDays: sixty, fortyFiveEndOfMonth: eom)] : []
    }

    static func endOfMonth(_ day: Day) -> Day {
        let c = day.components
        return Day(year: c.year, month: c.month, day: Day.daysIn(month: c.month, year: c.year)) ?? day
    }

    /// `45 jours fin de mois (méthode B)`: the wording printed next to the due date.
    public var description: String {
        switch rule {
        case let .net(days): return "\(days) jours date de facture"
        case let .endOfMonth(days, method):
            return "\(days) jours fin de mois (méthode \(method == .endOfMonthThenDays ? "A" : "B"))"
        }
    }
}
