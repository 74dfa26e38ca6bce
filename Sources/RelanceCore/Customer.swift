/// Whether a customer is a professional or a private person: the law differs
/// (late-payment penalties and the 40 € indemnity apply between professionals only).
public enum CustomerKind: String, Sendable, Codable, CaseIterable {
    case business
    case consumer
}

/// A customer ("client", "tiers") as the ERP or the ledger names it.
public struct Customer: Sendable, Equatable {
    /// The ERP's customer code, or the FEC auxiliary account (`CompAuxNum`).
    public var id: String
    public var name: String
    public var siren: String?
    public var vatNumber: String?
    public var email: String?
    public var phone: String?
    public var address: String?
    public var postalCode: String?
    public var city: String?
    /// ISO 3166 alpha-2, `FR` when unknown.
    public var country: String?
    /// `fr` or `en`: the language of the letters.
    public var language: String?
    public var kind: CustomerKind
    /// False when the source does not say (no kind column, empty cell): then `kind` is only the
    /// default and must not overwrite what the store knows — the law differs for consumers.
    public var kindStated: Bool

    public init(id: String, name: String, siren: String? = nil, vatNumber: String? = nil, email: String? = nil,
                phone: String? = nil, address: String? = nil, postalCode: String? = nil, city: String? = nil,
                country: String? = nil, language: String? = nil, kind: CustomerKind = .business,
                kindStated: Bool = true) {
        self.id = id; self.name = name; self.siren = siren; self.vatNumber = vatNumber; self.email = email
        self.phone = phone; self.address = address; self.postalCode = postalCode; self.city = city
        self.country = country; self.language = language; self.kind = kind
        self.kindStated = kindStated
    }
}
