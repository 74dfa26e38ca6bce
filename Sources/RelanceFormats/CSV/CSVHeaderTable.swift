/// The built-in header vocabulary: which labels mean which canonical field, per kind of file.
///
/// Labels are compared by `key(_:)`: case- and accent-insensitive, trimmed, punctuation and
/// spaces ignored (`N° TVA intracom` = `n tva intracom` = `No_TVA-Intracom`), French filler
/// words dropped (`Date d'échéance` = `Date échéance`), and the many ways of writing
/// "number" (`N°`, `No`, `Num`, `Numéro`, `Number`, `#`) made one. To teach Relance a new
/// export, add its labels to `entries`; to add a kind of file, add a `CSVFileKind` case, its
/// columns in `CSVColumn`, and entries here.
public enum CSVHeaderTable {
    /// One line of the vocabulary.
    struct Entry {
        /// Kinds of file in which the labels mean `column`.
        var kinds: [CSVFileKind]
        var column: CSVColumn
        /// A specific label belongs to its kind alone (`Date d'échéance` is a documents label,
        /// `Date de règlement` a payments one) and so tells the kind of the file; a generic one
        /// (`Date`, `Montant`) does not.
        var specific: Bool
        var labels: [String]
    }

    static let customerIdLabels = [
        "customer_id", "Code client", "Code tiers", "Compte client", "Compte tiers", "Compte auxiliaire", "N° client",
        "Identifiant client", "ID client", "Référence client", "Réf client", "Client", "Tiers", "Customer", "Customer ID",
        "Customer code", "Client ID", "Client code", "Account number",
    ]
    static let invoiceNumberLabels = [
        "invoice_number", "N° facture", "Facture", "N° pièce", "Pièce", "N° document", "Référence facture", "Réf facture",
        "Invoice number", "Invoice", "Invoice #", "Document number", "N° de pièce",
    ]
    static let currencyLabels = ["currency", "Devise", "Monnaie", "Code devise", "Currency code"]

    static let entries: [Entry] = [
        // Customers.
        Entry(kinds: [.customers, .documents, .payments], column: .customerId, specific: false, labels: customerIdLabels),
        Entry(kinds: [.customers], column: .name, specific: false, labels: [
            "name", "Raison sociale", "Nom", "Nom client", "Nom du client", "Dénomination", "Société", "Nom tiers",
            "Customer name", "Client name", "Company name", "Company",
        ]),
        Entry(kinds: [.customers], column: .siren, specific: false, labels: ["siren", "N° SIREN"]),
        Entry(kinds: [.customers], column: .vatNumber, specific: false, labels: [
            "vat_number", "N° TVA intracom", "N° TVA intracommunautaire", "TVA intracom", "TVA intracommunautaire",
            "N° TVA", "Identifiant TVA", "VAT number", "VAT ID", "VAT",
        ]),
        Entry(kinds: [.customers], column: .email, specific: false, labels: ["email", "E-mail", "Mail", "Courriel", "Adresse e-mail", "Email address"]),
        Entry(kinds: [.customers], column: .phone, specific: false, labels: ["phone", "Téléphone", "Tél", "Phone number", "Telephone"]),
        Entry(kinds: [.customers], column: .address, specific: false, labels: ["address", "Adresse", "Adresse 1", "Rue", "Street", "Billing address"]),
        Entry(kinds: [.customers], column: .postalCode, specific: false, labels: ["postal_code", "Code postal", "CP", "Zip", "Zip code", "Postcode", "Billing code"]),
        Entry(kinds: [.customers], column: .city, specific: false, labels: ["city", "Ville", "Commune", "Localité", "Billing city"]),
        Entry(kinds: [.customers], column: .country, specific: false, labels: ["country", "Pays", "Code pays", "Billing country"]),
        Entry(kinds: [.customers], column: .language, specific: false, labels: ["language", "Langue", "Langue de correspondance"]),
        Entry(kinds: [.customers], column: .kind, specific: false, labels: [
            "kind", "Type client", "Type de client", "Catégorie client", "Type", "Customer type",
        ]),

        // Documents.
        Entry(kinds: [.documents, .payments], column: .invoiceNumber, specific: false, labels: invoiceNumberLabels),
        Entry(kinds: [.documents], column: .customerName, specific: false, labels: [
            "customer_name", "Raison sociale", "Nom", "Nom client", "Nom du client", "Nom tiers", "Customer name",
            "Client name", "Company name",
        ]),
        Entry(kinds: [.documents], column: .issueDate, specific: false, labels: ["Date"]),
        Entry(kinds: [.documents], column: .issueDate, specific: true, labels: [
            "issue_date", "Date facture", "Date de facture", "Date d'émission", "Date pièce", "Date document",
            "Invoice date", "Date issued", "Issue date",
        ]),
        Entry(kinds: [.documents], column: .dueDate, specific: true, labels: [
            "due_date", "Échéance", "Date d'échéance", "Date limite de paiement", "Due date", "Payment due date",
        ]),
        Entry(kinds: [.documents], column: .deliveryDate, specific: true, labels: [
            "delivery_date", "Date livraison", "Date de livraison", "Date de prestation", "Delivery date",
        ]),
        Entry(kinds: [.documents, .payments], column: .currency, specific: false, labels: currencyLabels),
        Entry(kinds: [.documents], column: .amountExclTax, specific: true, labels: [
            "amount_excl_tax", "Montant HT", "Total HT", "HT", "Base HT", "Amount excl tax", "Subtotal", "Sub total",
            "Amount before tax",
        ]),
        Entry(kinds: [.documents], column: .tax, specific: true, labels: [
            "tax", "TVA", "Montant TVA", "Total TVA", "Tax amount", "VAT amount",
        ]),
        // Tax-inclusive labels say "invoice" (a payment has no HT/TTC), but a payments file may
        // still call its amount so: they are specific in documents and generic in payments.
        Entry(kinds: [.documents], column: .amount, specific: true, labels: [
            "Montant TTC", "Total TTC", "TTC", "Net à payer", "Amount incl tax",
        ]),
        Entry(kinds: [.documents, .payments], column: .amount, specific: false, labels: [
            "amount", "Montant", "Montant TTC", "Total TTC", "TTC", "Prix TTC", "Net à payer", "Montant total", "Total",
            "Amount incl tax", "Total amount",
        ]),
        Entry(kinds: [.documents], column: .type, specific: false, labels: ["type"]),
        Entry(kinds: [.documents], column: .type, specific: true, labels: [
            "Type de pièce", "Type pièce", "Type document", "Type de document", "Nature pièce", "Document type",
        ]),
        Entry(kinds: [.documents], column: .originalInvoice, specific: true, labels: [
            "original_invoice", "Facture d'origine", "Facture origine", "Facture initiale", "Facture liée", "Original invoice",
        ]),
        Entry(kinds: [.documents], column: .paymentReference, specific: true, labels: [
            "payment_reference", "Référence de paiement", "Réf paiement", "Payment reference",
        ]),

        // Payments.
        Entry(kinds: [.payments], column: .paymentId, specific: true, labels: [
            "payment_id", "N° règlement", "N° paiement", "N° encaissement", "ID règlement", "Payment ID", "Payment number",
        ]),
        Entry(kinds: [.payments], column: .date, specific: false, labels: ["Date"]),
        Entry(kinds: [.payments], column: .date, specific: true, labels: [
            "Date règlement", "Date de règlement", "Date paiement", "Date encaissement", "Payment date", "Date reçu",
        ]),
        Entry(kinds: [.payments], column: .amount, specific: true, labels: [
            "Montant réglé", "Montant payé", "Montant encaissé", "Amount paid", "Payment amount",
        ]),
        Entry(kinds: [.payments], column: .reference, specific: false, labels: [
            "reference", "Référence", "Libellé", "Libellé opération", "Communication", "Motif", "Remittance information",
        ]),
        Entry(kinds: [.payments], column: .payerName, specific: false, labels: ["Raison sociale", "Nom", "Nom client"]),
        Entry(kinds: [.payments], column: .payerName, specific: true, labels: [
            "payer_name", "Tireur", "Payeur", "Nom du payeur", "Donneur d'ordre", "Payer name", "Payer",
        ]),
        Entry(kinds: [.payments], column: .payerIban, specific: true, labels: ["payer_iban", "IBAN", "IBAN payeur", "IBAN du payeur", "Payer IBAN"]),
        Entry(kinds: [.payments], column: .paymentMethod, specific: true, labels: [
            "Mode de règlement", "Mode règlement", "Mode paiement", "Moyen de paiement", "Payment method", "Payment type",
        ]),
    ]

    /// key → (column, specific) for each kind, built once.
    static let byKind: [CSVFileKind: [String: (column: CSVColumn, specific: Bool)]] = {
        var out: [CSVFileKind: [String: (column: CSVColumn, specific: Bool)]] = [:]
        for kind in CSVFileKind.allCases { out[kind] = [:] }
        for entry in entries {
            for label in entry.labels {
                let k = key(label)
                for kind in entry.kinds where out[kind]?[k] == nil {
                    out[kind]?[k] = (entry.column, entry.specific)
                }
            }
        }
        return out
    }()

    /// The column a label means in a file of `kind`, and whether it is specific to that kind.
    public static func lookup(_ label: String, kind: CSVFileKind) -> (column: CSVColumn, specific: Bool)? {
        byKind[kind]?[key(label)]
    }

    /// Words dropped when comparing labels: French filler ("de", "d'", "à"…) and English "of", "the".
    static let fillerWords: Set<String> = ["de", "du", "d", "des", "la", "le", "l", "a", "en", "of", "the"]
    /// Ways of writing "number"; `#` and `°` are punctuation and leave "n" or nothing.
    static let numberWords: Set<String> = ["n", "no", "num", "numero", "nr", "nro", "number", "nb"]

    /// The comparison key of a header label (see the type's documentation).
    public static func key(_ label: String) -> String {
        var words: [String] = []
        var current = ""
        var sawHash = false
        func flush() {
            guard !current.isEmpty else { return }
            if fillerWords.contains(current) {
            } else if numberWords.contains(current) {
                words.append("n")
            } else {
                words.append(current)
            }
            current = ""
        }
        for scalar in label.unicodeScalars {
            if scalar == "#" { sawHash = true }
            if let folded = fold(scalar) {
                current += folded
            } else {
                flush()
            }
        }
        flush()
        // "Invoice #" means "Invoice number".
        if sawHash && words.last != "n" { words.append("n") }
        // "Facture n°" and "N° facture" are the same label: the number word goes first.
        if words.count > 1, words.last == "n" { words.removeLast(); words.insert("n", at: 0) }
        return words.joined()
    }

    /// Lower-case ASCII letters and digits, with Latin accents removed; nil for anything else
    /// (punctuation, spaces, `°`, `º`, symbols: all word separators).
    static func fold(_ s: Unicode.Scalar) -> String? {
        let v = s.value
        switch v {
        case 0x30...0x39, 0x61...0x7A: return String(s)
        case 0x41...0x5A: return String(Unicode.Scalar(v + 0x20)!)
        case 0xC0...0xC5, 0xE0...0xE5: return "a"
        case 0xC6, 0xE6: return "ae"
        case 0xC7, 0xE7: return "c"
        case 0xC8...0xCB, 0xE8...0xEB: return "e"
        case 0xCC...0xCF, 0xEC...0xEF: return "i"
        case 0xD1, 0xF1: return "n"
        case 0xD2...0xD6, 0xD8, 0xF2...0xF6, 0xF8: return "o"
        case 0xD9...0xDC, 0xF9...0xFC: return "u"
        case 0xDD, 0xFD, 0xFF, 0x178: return "y"
        case 0xDF: return "ss"
        case 0x152, 0x153: return "oe"
        default: return nil
        }
    }

    /// A value key: the same folding as labels, for enumerated values (`Avoir`, `credit-note`, `B2B`).
    public static func valueKey(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if let f = fold(scalar) { out += f }
        }
        return out
    }
}
