import RelanceCore

/// What the byte scan of an FEC keeps: per-journal and per-entry totals for every line, and
/// the decoded fields of customer (receivable) lines only.
///
/// Everything else in the file (purchases, payroll, fixed assets) is checked (dates, amounts,
/// balance) but never decoded to text, which is what makes a million-line ledger cheap.
struct FECLedger: Sendable {
    /// A journal ("journal") as the file names it, with the counts that classify it.
    struct Journal: Sendable {
        var code: String
        var label: String
        var entries = 0
        /// Entries touching a revenue account (70x) or collected VAT (4457x).
        var revenueEntries = 0
        /// Entries touching a bank or cash account (51x, 53x).
        var treasuryEntries = 0
        /// The journal's label says it holds the opening entries ("A NOUVEAUX", "OUVERTURE").
        var openingLabel = false
    }

    /// One accounting entry ("écriture"): the lines sharing JournalCode and EcritureNum.
    /// (Fields ordered widest first: 56 bytes an entry instead of 64, for a third of a million.)
    struct Entry: Sendable {
        var debits: Int64 = 0
        var credits: Int64 = 0
        /// Revenue (70x) credits minus debits: the entry's amount before tax ("HT").
        var revenueNet: Int64 = 0
        /// Collected VAT (4457x) credits minus debits ("TVA").
        var vatNet: Int64 = 0
        var journal: Int32
        var firstLine: Int32
        var lineCount: Int32 = 0
        var receivableLines: Int32 = 0
        /// Lines on accounts that are neither receivable, revenue nor collected VAT.
        var unrelatedLines: Int32 = 0
        var touchesRevenue = false
        var touchesTreasury = false
        var overflow = false

        init(journal: Int32, firstLine: Int32) {
            self.journal = journal
            self.firstLine = firstLine
        }
    }

    /// A line on a customer receivable account, with the fields the reader keeps. Its texts
    /// are elsewhere (`texts`, `pieceRefs`, `labelRanges`): a line with no `String` inside copies
    /// without reference counting, and the builder walks the lines three times.
    struct ReceivableLine: Sendable {
        var line: Int32
        var entry: Int32
        /// 1-based position of the line inside its entry (for stable payment ids).
        var position: Int32
        /// The account number: its text is `texts[account]`; `accountKey` is equal for equal texts.
        var account: Int32
        var accountKey: Int32
        var customer: Int32
        /// The line names its customer by `CompAuxNum` (not by the account alone).
        var hasAuxiliary: Bool
        var pieceDate: Day?
        var date: Day
        /// The lettering code (`EcritureLet`): its text is `texts[letter]`; `letterKey` is equal
        /// for equal texts, and -1 when the line is not lettered.
        var letter: Int32
        var letterKey: Int32
        var dateLet: Day?
        /// Debit minus credit, in minor units: > 0 the customer owes more.
        var amount: Int64
        /// EcritureLib says "A nouveau" (an opening line outside an opening journal).
        var openingLabel: Bool
        /// Which of EcritureLib and PieceRef make a payment reference (bits below), decided
        /// on the bytes during the scan.
        var referenceParts: UInt8

        static let labelMeaningful: UInt8 = 1
        static let pieceMeaningful: UInt8 = 2
        static let labelHasPiece: UInt8 = 4
    }

    var encoding: FECTextEncoding
    var journals: [Journal] = []
    var entries: [Entry] = []
    /// EcritureNum of each entry; decoded only for entries with customer lines or that do
    /// not balance (empty for the others).
    var entryNumbers: [String] = []
    var lines: [ReceivableLine] = []
    /// Account numbers, customer ids and lettering codes met on customer lines, decoded once
    /// each (see `FECTextInterner`).
    var texts: [String] = []
    /// `PieceRef` of each customer line (same index as `lines`).
    var pieceRefs: [String] = []
    /// Each customer line's `EcritureLib` (trimmed) as a range of `labelBytes`, empty when the
    /// label says nothing. Only payments quote it, and which lines are payments is known only
    /// once every journal has been classified; the bytes are copied while the scan has them in
    /// cache, because going back to the file for them later cost a cache miss per payment.
    var labelRanges: [(start: Int, end: Int)] = []
    var labelBytes: [UInt8] = []
    var customers: [Customer] = []
    /// Data lines read (header and blank lines excluded).
    var lineCount = 0
}
