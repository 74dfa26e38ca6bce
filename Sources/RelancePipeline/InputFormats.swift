import RelanceCore
import RelanceFormats

/// Recognises an input file by its content (never its name) and hands it to its reader.
public enum InputFormats {
    public enum Kind: Equatable, Sendable {
        case csv, unknown
        var name: String {
            switch self {
            case .csv: return "CSV"
            case .unknown: return "unknown"
            }
        }
    }

    public struct Detected: Sendable {
        public var kind: Kind
        public var name: String { kind.name }
    }

    /// Looks at the first bytes only.
    public static func detect(_ bytes: [UInt8]) -> Detected {
        let head = Array(bytes.prefix(4096))
        if CSVReader.looksLikeCSV(head) { return Detected(kind: .csv) }
        return Detected(kind: .unknown)
    }

    /// Reads a file into a batch, or rejects it with every problem found.
    public static func read(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> IngestBatch {
        switch detect(bytes).kind {
        case .csv:
            return try CSVReader().read(bytes, context: context)
        case .unknown:
            throw context.reject(nil, "unrecognised file: not a CSV export, FEC, e-invoice, bank statement, PDF or bundle")
        }
    }
}
