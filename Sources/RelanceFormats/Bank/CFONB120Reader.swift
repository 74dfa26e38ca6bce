import RelanceCore

/// Reads the French banks' 120-character statement ("relevé de compte CFONB 120"): balance
/// records 01 (old) and 07 (new), movements 04 and their complements 05 (see `CFONB120Record`
/// for the zones).
///
/// - Credits (positive 04 amounts) become payments. Debits are money paid out and are
///   ignored, except a debit that gives back a customer's payment — recognisable by a reject
///   reason code (zone 41–42) or a label starting `IMPAYE`/`REJET` (unpaid cheque, bill or
///   direct debit) — which becomes a negative payment. Ignored debits are counted in a note.
/// - 05 records belong to the 04 just before them (by position: some banks put a different
///   operation code or entry number on them). `NPY` gives the payer's name; the free text of
///   `LIB`, `LCC`, `LC2`, `LCS`, `RCN`, `REF`, `RUM`, `MMO` and unknown qualifiers is appended
///   to the reference; party names and identifiers of the beneficiary (`NBE`, `IBE`, `NBU`,
///   `IBU`, `NPO`, `IPO`) and the payer's id (`IPY`) are left out.
/// - Balances that do not reconcile (old + movements ≠ new) are accepted with a note: the
///   movements are what the bank booked, and a missing movement only delays a match, while
///   rejecting would block every payment of the file.
/// - `paymentId` = `CFONB/<bank>-<branch>-<account>/<booking date>/<n>`, n counting that
///   account's movements (credits and debits) of that booking date in file order: the same
///   day's statement sent twice gives the same ids.
/// - Blank lines are skipped; any other line must be exactly 120 characters.
public struct CFONB120Reader: InputReader {
    public init() {}

    public var formatName: String { "CFONB 120" }

    /// True when the first non-blank line is a 120-character 01 (old balance) record whose
    /// amount zone is 13 digits and an overpunch character.
    public static func looksLikeCFONB120(_ head: [UInt8]) -> Bool {
        var i = 0
        while i < head.count {
            var j = i
            while j < head.count, head[j] != 0x0A { j += 1 }
            var end = j
            if end > i, head[end - 1] == 0x0D { end -= 1 }
            if head[i..<end].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                i = j + 1
                continue
            }
            // A file without line breaks holds back-to-back 120-byte records.
            if j == head.count, end - i > 120 { end = i + 120 }
            guard end - i == 120 else { return false }
            let line = Array(head[i..<end])
            guard line[0] == 0x30, line[1] == 0x31 else { return false }
            guard line[90..<103].allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
            return CFONB120Record.overpunch(line[103]) != nil
        }
        return false
    }

    public func read(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> IngestBatch {
        var parser = CFONB120Parser(context: context)
        return try parser.run(bytes)
    }
}
