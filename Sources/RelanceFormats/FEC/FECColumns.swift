import RelanceCore

/// Where each FEC column sits in this file's header.
///
/// Article A47 A-1 of the Livre des procédures fiscales fixes 18 columns in a fixed order, but
/// the BA/BNC variants add columns (`DateRglt`, `ModeRglt`, `NatOp`, `IdClient`) and some
/// replace `Debit`/`Credit` by `Montant` + `Sens`; columns are therefore found by name
/// (case-insensitively), never by position.
struct FECColumns: Sendable {
    /// The 18 standard columns, in the order of the legal text.
    static let standard = [
        "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
        "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
        "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
    ]

    /// How the amount of a line is written.
    enum AmountLayout: Sendable {
        case debitCredit(debit: Int, credit: Int)
        /// `Montant` and `Sens` (`D`/`C`, or `+1`/`-1`).
        case amountAndDirection(amount: Int, direction: Int)
    }

    var count: Int
    var separator: UInt8
    var journalCode = 0, journalLib = 0, ecritureNum = 0, ecritureDate = 0
    var compteNum = 0, compteLib = 0, compAuxNum = 0, compAuxLib = 0
    var pieceRef = 0, pieceDate = 0, ecritureLib = 0
    var amounts: AmountLayout = .debitCredit(debit: 0, credit: 0)
    var ecritureLet = 0, dateLet = 0, validDate = 0, montantDevise = 0, idevise = 0
    /// Column labels by index, as written in the header (for error messages).
    var labels: [String]

    /// Splits a header line (without its end of line, BOM removed) on `separator`.
    static func names(of header: [UInt8], separator: UInt8) -> [String] {
        header.split(separator: separator, omittingEmptySubsequences: false).map { field in
            var s = field.startIndex, e = field.endIndex
            while s < e, field[s] == 0x20 || field[s] == 0x09 || field[s] == 0x22 { s += 1 }
            while e > s, field[e - 1] == 0x20 || field[e - 1] == 0x09 || field[e - 1] == 0x0D || field[e - 1] == 0x22 { e -= 1 }
            return String(decoding: field[s..<e], as: UTF8.self)
        }
    }

    /// Picks the separator (tab or pipe) under which the header names the most FEC columns.
    static func separator(of header: [UInt8]) -> UInt8 {
        func score(_ sep: UInt8) -> Int {
            let known = Set((standard + ["Montant", "Sens"]).map { $0.lowercased() })
            return names(of: header, separator: sep).filter { known.contains($0.lowercased()) }.count
        }
        return score(0x7C) > score(0x09) ? 0x7C : 0x09
    }

    /// Resolves the columns, or explains which are missing.
    init(header: [UInt8], context: ReadContext) throws(InputRejection) {
        separator = FECColumns.separator(of: header)
        labels = FECColumns.names(of: header, separator: separator)
        count = labels.count
        var index: [String: Int] = [:]
        for (i, name) in labels.enumerated() {
            let key = name.lowercased()
            if key.isEmpty { continue }
            if let first = index[key] {
                throw context.reject(line: 1, name, "column appears twice in the header (columns \(first + 1) and \(i + 1))")
            }
            index[key] = i
        }
        var missing: [String] = []
        func col(_ name: String) -> Int {
            if let i = index[name.lowercased()] { return i }
            missing.append(name)
            return 0
        }
        journalCode = col("JournalCode"); journalLib = col("JournalLib")
        ecritureNum = col("EcritureNum"); ecritureDate = col("EcritureDate")
        compteNum = col("CompteNum"); compteLib = col("CompteLib")
        compAuxNum = col("CompAuxNum"); compAuxLib = col("CompAuxLib")
        pieceRef = col("PieceRef"); pieceDate = col("PieceDate"); ecritureLib = col("EcritureLib")
        if let d = index["debit"], let c = index["credit"] {
            amounts = .debitCredit(debit: d, credit: c)
        } else if let m = index["montant"], let s = index["sens"] {
            amounts = .amountAndDirection(amount: m, direction: s)
        } else {
            let hasDebit = index["debit"] != nil, hasCredit = index["credit"] != nil
            let hasAmount = index["montant"] != nil, hasSens = index["sens"] != nil
            if hasAmount && !hasSens { missing.append("Sens (beside Montant)") }
            else if hasSens && !hasAmount { missing.append("Montant (beside Sens)") }
            else if hasDebit { missing.append("Credit") }
            else if hasCredit { missing.append("Debit") }
            else { missing.append("Debit and Credit (or Montant and Sens)") }
        }
        ecritureLet = col("EcritureLet"); dateLet = col("DateLet"); validDate = col("ValidDate")
        montantDevise = col("Montantdevise"); idevise = col("Idevise")
        if !missing.isEmpty {
            let sepName = separator == 0x09 ? "tab" : "pipe"
            let list = missing.joined(separator: ", ")
            throw context.reject(line: 1, "header",
                                 "missing FEC column\(missing.count > 1 ? "s" : ""): \(list) (header read as \(sepName)-separated, \(labels.count) columns)")
        }
    }

    /// Header label of a column, for `file:line: Column: reason`.
    func label(_ i: Int) -> String { i < labels.count ? labels[i] : "column \(i + 1)" }
}
