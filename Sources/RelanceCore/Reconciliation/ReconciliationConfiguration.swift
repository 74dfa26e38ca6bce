/// A company's own payment reference scheme, without regular expressions: a fixed prefix
/// followed by a number of digits ("CMD" + 6 digits, "REL-" + 8 digits).
///
/// Found in remittance text (case, blanks and dashes between prefix and digits ignored) and
/// compared with the invoices' `paymentReference` in the same canonical form.
public struct ReferencePattern: Sendable, Equatable {
    public var prefix: String
    public var digits: ClosedRange<Int>

    public init(prefix: String, digits: ClosedRange<Int>) {
        self.prefix = prefix; self.digits = digits
    }
}

/// The knobs of reconciliation, per company (and per customer for credit application).
public struct ReconciliationConfiguration: Sendable, Equatable {
    /// Largest short payment proposed as a write-off, in minor units (0: no absolute limit set).
    public var writeOffToleranceMinor: Int64
    /// Largest short payment proposed as a write-off, in basis points of the invoice's open
    /// amount (50 = 0.5 %; 0: no percentage limit set). When both limits are set, both apply.
    public var writeOffToleranceBasisPoints: Int64
    public var referencePatterns: [ReferencePattern]
    /// Customers whose free credit notes are applied to their invoices, oldest first.
    public var applyCreditOldestFirst: Set<String>
    /// Combination search bounds (rule 5): at most this many open items considered…
    public var combinationMaxItems: Int
    /// …subsets of at most this size…
    public var combinationMaxSize: Int
    /// …and at most this many subsets visited; an exhausted budget refuses the match.
    public var combinationNodeBudget: Int

    public init(writeOffToleranceMinor: Int64 = 0, writeOffToleranceBasisPoints: Int64 = 0,
                referencePatterns: [ReferencePattern] = [], applyCreditOldestFirst: Set<String> = [],
                combinationMaxItems: Int = 12, combinationMaxSize: Int = 4, combinationNodeBudget: Int = 5_000) {
        self.writeOffToleranceMinor = writeOffToleranceMinor
        self.writeOffToleranceBasisPoints = writeOffToleranceBasisPoints
        self.referencePatterns = referencePatterns
        self.applyCreditOldestFirst = applyCreditOldestFirst
        self.combinationMaxItems = combinationMaxItems
        self.combinationMaxSize = combinationMaxSize
        self.combinationNodeBudget = combinationNodeBudget
    }

    /// Whether a shortfall of `difference` on an invoice open for `open` may be proposed as a
    /// write-off ("écart de règlement": bank fees, rounding, escompte).
    public func withinTolerance(_ difference: Int64, of open: Int64) -> Bool {
        guard difference > 0 else { return false }
        let absoluteSet = writeOffToleranceMinor > 0
        let percentSet = writeOffToleranceBasisPoints > 0
        guard absoluteSet || percentSet else { return false }
        if absoluteSet && difference > writeOffToleranceMinor { return false }
        if percentSet {
            // difference ≤ open × bp / 10 000, compared without division and without overflow.
            let (lhs, o1) = difference.multipliedReportingOverflow(by: 10_000)
            let (rhs, o2) = open.multipliedReportingOverflow(by: writeOffToleranceBasisPoints)
            if o1 || o2 || lhs > rhs { return false }
        }
        return true
    }
}
