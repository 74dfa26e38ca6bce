import RelanceCore

/// The company running Relance: what tells its sales from its purchases in e-invoices
/// and bank statements (`company:` in `relance.yaml`).
public struct CompanyIdentity: Sendable, Equatable {
    public var name: String
    public var siren: String?
    public var vatNumber: String?
    public var iban: String?
    public var address: String?
    public var email: String?

    public init(name: String, siren: String? = nil, vatNumber: String? = nil, iban: String? = nil,
                address: String? = nil, email: String? = nil) {
        self.name = name; self.siren = siren; self.vatNumber = vatNumber; self.iban = iban
        self.address = address; self.email = email
    }
}

/// The kinds of CSV export Relance recognises by their header.
public enum CSVFileKind: String, Sendable, Codable, CaseIterable {
    case customers
    case documents  // invoices and credit notes
    case payments
}

/// A user-defined CSV layout from `relance.yaml` (`csv.layouts`): maps the export's own
/// header labels to Relance's canonical field names.
public struct CSVLayoutMapping: Sendable, Equatable {
    public var name: String
    public var kind: CSVFileKind
    /// canonical field (`invoice_number`, `amount`…) → header label in the file.
    public var columns: [String: String]
    public var decimalSeparator: DecimalSeparator?
    public var dateOrder: DateOrder
    /// Lines to skip before the header (exports with a title preamble).
    public var skipLines: Int

    public init(name: String, kind: CSVFileKind, columns: [String: String], decimalSeparator: DecimalSeparator? = nil,
                dateOrder: DateOrder = .dayMonthYear, skipLines: Int = 0) {
        self.name = name; self.kind = kind; self.columns = columns; self.decimalSeparator = decimalSeparator
        self.dateOrder = dateOrder; self.skipLines = skipLines
    }
}

/// FEC reading options (`fec:` in `relance.yaml`).
public struct FECOptions: Sendable, Equatable {
    /// Account prefixes that are customer receivables.
    public var receivablePrefixes: [String] = ["411", "413", "416", "4191"]
    /// Journal code → `sales`, `bank` or `other`, overriding the classification by counterpart accounts.
    public var journalOverrides: [String: String] = [:]

    public init(receivablePrefixes: [String] = ["411", "413", "416", "4191"], journalOverrides: [String: String] = [:]) {
        self.receivablePrefixes = receivablePrefixes; self.journalOverrides = journalOverrides
    }
}

/// What a reader may know beyond the bytes of its file.
public struct ReadContext: Sendable {
    /// The file's name as shown in error messages (`invoices.csv`, `bundle.zip/2024/f.xml`).
    public var fileName: String
    public var company: CompanyIdentity?
    /// Currency assumed when a file states none.
    public var defaultCurrency: Currency
    public var csvLayouts: [CSVLayoutMapping]
    public var fec: FECOptions
    /// How many problems a rejection lists before it only counts them.
    public var issueCap: Int

    public init(fileName: String, company: CompanyIdentity? = nil, defaultCurrency: Currency = .eur,
                csvLayouts: [CSVLayoutMapping] = [], fec: FECOptions = FECOptions(), issueCap: Int = 100) {
        self.fileName = fileName; self.company = company; self.defaultCurrency = defaultCurrency
        self.csvLayouts = csvLayouts; self.fec = fec; self.issueCap = issueCap
    }

    public func issue(line: Int? = nil, _ location: String? = nil, _ reason: String) -> InputIssue {
        InputIssue(file: fileName, line: line, location: location, reason: reason)
    }

    public func reject(line: Int? = nil, _ location: String? = nil, _ reason: String) -> InputRejection {
        InputRejection([issue(line: line, location, reason)])
    }
}

/// A reader turns the bytes of one file into core records, or rejects the whole file.
///
/// Readers are pure: no store, no file system (bundles hand their members' bytes over).
public protocol InputReader: Sendable {
    /// Short name for summaries: `CSV`, `FEC`, `camt.053`…
    var formatName: String { get }
    func read(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> IngestBatch
}
