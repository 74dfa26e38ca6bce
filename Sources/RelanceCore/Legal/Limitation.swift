/// Limitation of the action for payment ("prescription", legal.md §5).
///
/// Between professionals 5 years (art. L110-4 C. com.); a professional against a consumer
/// 2 years (art. L218-2 C. conso.). The period runs from completion of the delivery or service
/// (Cass. com. 26 Feb 2020; Civ. 1re 19 May 2021); when that date is unknown the invoice date
/// stands in for it and the result says it is an estimate. Because case law leaves open
/// whether an agreed payment term delays the start, two deadlines are reported: the
/// conservative one (earliest known start) to act on, and the one counted from the due date.
///
/// Counting: the last day to act is the start date plus N years on the same calendar day
/// (29 February → 28 February), the period being acquired once that day has elapsed
/// (art. 2228–2229). An interruption (art. 2231) restarts a full period from its date if it
/// happens on or before the current last day; a later one does not revive the claim. A mise en
/// demeure never interrupts, so it is not a kind here.
public enum Limitation {
    /// What interrupts the period (the list is limitative, art. 2240–2244).
    public enum InterruptionKind: String, Sendable, Equatable, Codable {
        /// A partial payment or instalment: an acknowledgment of the whole debt (art. 2240).
        case partialPayment
        /// Another acknowledgment by the debtor (art. 2240).
        case acknowledgment
        /// A claim in court; for an injonction de payer, the signification of the order (art. 2241).
        case courtClaim
        /// A conservatory measure or an enforcement act (art. 2244).
        case enforcementMeasure
    }

    public struct Interruption: Sendable, Equatable {
        public var day: Day
        public var kind: InterruptionKind
        public init(day: Day, kind: InterruptionKind) { self.day = day; self.kind = kind }
    }

    public struct Input: Sendable, Equatable {
        public var debtor: CustomerKind
        /// Completion of delivery or service, when known.
        public var performanceDate: Day?
        public var invoiceDate: Day
        public var dueDate: Day?
        public var interruptions: [Interruption]

        public init(debtor: CustomerKind, performanceDate: Day? = nil, invoiceDate: Day, dueDate: Day? = nil,
                    interruptions: [Interruption] = []) {
            self.debtor = debtor; self.performanceDate = performanceDate; self.invoiceDate = invoiceDate
            self.dueDate = dueDate; self.interruptions = interruptions
        }
    }

    public struct Result: Sendable, Equatable {
        /// 5 (L110-4) or 2 (L218-2).
        public var years: Int
        /// "L110-4 C. com." or "L218-2 C. conso.".
        public var statute: String
        /// Earliest of the known start dates (performance, invoice, due date).
        public var conservativeStart: Day
        /// True when the performance date was unknown and the invoice date stood in for it.
        public var startIsEstimate: Bool
        /// Last day to act counted from `conservativeStart`, after interruptions: alert on this one.
        public var conservativeLastDay: Day
        /// Last day to act counted from the due date, after interruptions (nil without a due date).
        public var dueDateBasedLastDay: Day?
        /// The interruption that set the conservative deadline, if any.
        public var lastInterruption: Interruption?
        /// Interruptions dated after the conservative deadline had passed: they do not revive the claim.
        public var lateInterruptions: [Interruption]

        /// Days left on `asOf` before the conservative deadline passes (negative once time-barred).
        public func daysRemaining(asOf: Day) -> Int { asOf.distance(to: conservativeLastDay) }

        public func isTimeBarred(asOf: Day) -> Bool { asOf > conservativeLastDay }
    }

    public static func compute(_ input: Input) -> Result {
        let years = input.debtor == .business ? 5 : 2
        let statute = input.debtor == .business ? "L110-4 C. com." : "L218-2 C. conso."
        var starts = [input.invoiceDate]
        if let p = input.performanceDate { starts.append(p) }
        if let d = input.dueDate { starts.append(d) }
        let start = starts.min() ?? input.invoiceDate
        let interruptions = input.interruptions.sorted { $0.day < $1.day }

        func deadline(from start: Day) -> (last: Day, by: Interruption?, late: [Interruption]) {
            var last = start.adding(months: 12 * years)
            var by: Interruption?
            var late: [Interruption] = []
            for i in interruptions {
                guard i.day <= last else { late.append(i); continue }
                let restarted = i.day.adding(months: 12 * years)
                if restarted > last { last = restarted; by = i }
            }
            return (last, by, late)
        }
        let conservative = deadline(from: start)
        return Result(years: years, statute: statute, conservativeStart: start,
                      startIsEstimate: input.performanceDate == nil,
                      conservativeLastDay: conservative.last,
                      dueDateBasedLastDay: input.dueDate.map { deadline(from: $0).last },
                      lastInterruption: conservative.by, lateInterruptions: conservative.late)
    }
}
