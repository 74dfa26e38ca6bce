/// A file of decisions dropped in the inbox by a person or an ERP: one decision per row.
///
/// Two kinds share the shape. An *action file* has a mandatory `action` column (`allocate`,
/// `refund`, `dispute_open`…), so that it can never be mistaken for a payments or invoices
/// export. A *delivery feedback file* is what a mailer or registered-letter provider sends
/// back (`reminder_id, event, date, provider_ref, proof_file`); each of its rows is the action
/// `delivery`.
public struct ActionFile: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case actions = "action file"
        case deliveryFeedback = "delivery feedback"
    }

    public var kind: Kind
    /// The header as the file writes it, and the normalised keys (`ActionFile.key`), in order.
    public var labels: [String]
    public var keys: [String]
    public var rows: [ActionRow]

    public init(kind: Kind, labels: [String], keys: [String], rows: [ActionRow]) {
        self.kind = kind; self.labels = labels; self.keys = keys; self.rows = rows
    }

    /// The key of a header label: lower case, Latin accents removed, every run of other
    /// characters one `_`, none at either end ("Payment ID" → `payment_id`, "N° facture" →
    /// `n_facture`).
    public static func key(_ label: String) -> String {
        var out = ""
        var pendingSeparator = false
        for scalar in label.unicodeScalars {
            if let folded = CSVHeaderTable.fold(scalar) {
                if pendingSeparator && !out.isEmpty { out += "_" }
                pendingSeparator = false
                out += folded
            } else {
                pendingSeparator = true
            }
        }
        return out
    }
}

/// One row of an action file: its line, its action (normalised like a key, so `Dispute open`
/// and `dispute_open` are the same), and its fields by key, trimmed, empty ones left out.
public struct ActionRow: Sendable, Equatable {
    public var line: Int
    public var action: String
    public var fields: [String: String]
    /// The row's values in header order, as written (to copy refused rows back out).
    public var values: [String]

    public init(line: Int, action: String, fields: [String: String], values: [String] = []) {
        self.line = line; self.action = action; self.fields = fields; self.values = values
    }

    /// The trimmed value of a field, nil when absent or empty.
    public subscript(_ key: String) -> String? { fields[key] }
}
