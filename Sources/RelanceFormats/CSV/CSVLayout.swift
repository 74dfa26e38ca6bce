import RelanceCore

/// A recognised header: what kind of file it is and where each canonical column sits.
public struct CSVLayout: Sendable, Equatable {
    public var kind: CSVFileKind
    /// Canonical column → 0-based field index in each record.
    public var index: [CSVColumn: Int]
    /// The header labels as written in the file (trimmed), for error messages.
    public var labels: [String]
    /// Physical line of the header.
    public var headerLine: Int
    /// From a user layout: wins over the per-column decision.
    public var decimalSeparator: DecimalSeparator?
    public var dateOrder: DateOrder
    /// The user layout that matched, nil for the built-in vocabulary.
    public var layoutName: String?

    public init(kind: CSVFileKind, index: [CSVColumn: Int], labels: [String], headerLine: Int,
                decimalSeparator: DecimalSeparator? = nil, dateOrder: DateOrder = .dayMonthYear, layoutName: String? = nil) {
        self.kind = kind; self.index = index; self.labels = labels; self.headerLine = headerLine
        self.decimalSeparator = decimalSeparator; self.dateOrder = dateOrder; self.layoutName = layoutName
    }

    /// The label of `column` as written in the file.
    public func label(_ column: CSVColumn) -> String {
        guard let i = index[column], i < labels.count else { return column.rawValue }
        return labels[i].isEmpty ? column.rawValue : labels[i]
    }
}

/// What a header line says.
public enum CSVHeaderRecognition: Sendable, Equatable {
    case layout(CSVLayout)
    /// Recognised, but a kind of file this reader refuses (action files, accounting journals),
    /// or a user layout that matched but is unusable. The reason is the whole message.
    case refused(String)
    /// The closest kind, the required columns it lacks, and how many columns were known at all.
    case incomplete(kind: CSVFileKind, missing: [CSVColumn], known: Int)

    public var unrecognisedReason: String? {
        guard case let .incomplete(kind, missing, _) = self else { return nil }
        return "unrecognised header: missing \(missing.map(\.rawValue).joined(separator: ", ")) for a \(kind.rawValue) file"
    }
}

/// Decides the kind of a CSV file from its header, never from its name.
///
/// The rule, in order:
/// 1. A column `action` makes an action file: the pipeline applies those itself (`ActionStage`),
///    so one reaching this reader was inside a bundle, and is refused.
/// 2. User layouts (`ReadContext.csvLayouts`) whose every label is in the header win, in order.
/// 3. A `Sens` (debit/credit direction) column, or one debit and one credit column, makes an
///    accounting journal export: refused, since reading its lines as payments or invoices would
///    count each entry twice (customer side and bank or revenue side). A user layout may still
///    read such a file (rule 2): its author knows which lines it holds.
/// 4. A payment-id column makes a payments file.
/// 5. Otherwise each column whose label is specific to one kind votes for it: due, delivery or
///    invoice dates, HT, TVA, TTC amounts, type and original invoice for documents; payment date,
///    amount paid, payer name or IBAN and payment method for payments. More votes wins; a tie with
///    votes goes to documents.
/// 6. With no votes, a file with an amount column is a payments file (a date and an amount, no
///    issue or due date: a list of receipts, whose `N° facture` is the invoice paid); without
///    one, a customers file.
/// The kind so chosen must then have its required columns (`CSVColumn.required`), else the header
/// is `unrecognised` naming what that kind lacks; when it has none of them, the explanation is
/// given for the kind with the largest share of its required columns present.
public enum CSVLayoutRecognizer {
    public static func recognise(labels: [String], headerLine: Int, mappings: [CSVLayoutMapping] = []) -> CSVHeaderRecognition {
        let keys = labels.map(CSVHeaderTable.key)
        if keys.contains("action") { return .refused("an action file (with an `action` column) is applied on its own from the inbox, not inside a bundle") }
        for mapping in mappings where mapping.skipLines + 1 == headerLine || mapping.skipLines == 0 {
            if let r = apply(mapping, labels: labels, keys: keys, headerLine: headerLine) { return r }
        }
        if keys.contains("sens") || (keys.contains { $0.contains("debit") } && keys.contains { $0.contains("credit") }) {
            return .refused("accounting journal export (debit/credit columns), not a list of invoices, payments or customers: export a FEC instead")
        }
        let maps = Dictionary(uniqueKeysWithValues: CSVFileKind.allCases.map { ($0, builtIn(keys: keys, kind: $0)) })
        let kind: CSVFileKind
        let payments = maps[.payments]!, documents = maps[.documents]!
        if payments.index[.paymentId] != nil {
            kind = .payments
        } else if payments.specific > documents.specific {
            kind = .payments
        } else if documents.specific > 0 {
            kind = .documents
        } else if payments.index[.amount] != nil {
            kind = .payments
        } else {
            kind = .customers
        }
        let chosen = maps[kind]!
        let missing = missingColumns(chosen.index, kind: kind)
        if missing.isEmpty {
            return .layout(CSVLayout(kind: kind, index: chosen.index, labels: labels, headerLine: headerLine))
        }
        let known = maps.values.map(\.index.count).max() ?? 0
        if missing.count < CSVColumn.required(of: kind).count {
            return .incomplete(kind: kind, missing: missing, known: known)
        }
        // The rule chose a kind of which nothing required is there: explain against the kind
        // with the largest share of its required columns present (documents first on a tie).
        let closest = [CSVFileKind.documents, .payments, .customers].map { k -> (CSVFileKind, [CSVColumn], Double) in
            let m = missingColumns(maps[k]!.index, kind: k)
            let total = CSVColumn.required(of: k).count
            return (k, m, Double(total - m.count) / Double(total))
        }.max { a, b in a.2 < b.2 }!
        return .incomplete(kind: closest.0, missing: closest.1, known: known)
    }

    /// Maps header keys to columns with the built-in vocabulary; the first column with a given
    /// meaning wins. `specific` counts the columns whose label is specific to `kind`.
    static func builtIn(keys: [String], kind: CSVFileKind) -> (index: [CSVColumn: Int], specific: Int) {
        var index: [CSVColumn: Int] = [:]
        var specific = 0
        let table = CSVHeaderTable.byKind[kind] ?? [:]
        for (i, key) in keys.enumerated() where !key.isEmpty {
            guard let hit = table[key], index[hit.column] == nil else { continue }
            index[hit.column] = i
            if hit.specific { specific += 1 }
        }
        return (index, specific)
    }

    static func missingColumns(_ index: [CSVColumn: Int], kind: CSVFileKind) -> [CSVColumn] {
        CSVColumn.required(of: kind).filter { col in
            if index[col] != nil { return false }
            // A documents file may name its customers without codes.
            if kind == .documents && col == .customerId && index[.customerName] != nil { return false }
            return true
        }
    }

    /// A user layout applies when every label it names is in the header. Columns it does not
    /// name are filled from the built-in vocabulary of its kind.
    static func apply(_ mapping: CSVLayoutMapping, labels: [String], keys: [String], headerLine: Int) -> CSVHeaderRecognition? {
        var index: [CSVColumn: Int] = [:]
        var used = Set<Int>()
        for (field, label) in mapping.columns.sorted(by: { $0.key < $1.key }) {
            guard let i = keys.firstIndex(of: CSVHeaderTable.key(label)) else { return nil }
            guard let column = CSVColumn(rawValue: field), CSVColumn.columns(of: mapping.kind).contains(column) else {
                return .refused("layout '\(mapping.name)' maps unknown \(mapping.kind.rawValue) field '\(field)'")
            }
            index[column] = i
            used.insert(i)
        }
        for (column, i) in builtIn(keys: keys, kind: mapping.kind).index where index[column] == nil && !used.contains(i) {
            index[column] = i
        }
        let missing = missingColumns(index, kind: mapping.kind)
        if !missing.isEmpty {
            return .refused("unrecognised header: missing \(missing.map(\.rawValue).joined(separator: ", ")) for a \(mapping.kind.rawValue) file (layout '\(mapping.name)')")
        }
        return .layout(CSVLayout(kind: mapping.kind, index: index, labels: labels, headerLine: headerLine,
                                 decimalSeparator: mapping.decimalSeparator, dateOrder: mapping.dateOrder, layoutName: mapping.name))
    }
}
