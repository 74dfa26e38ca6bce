/// A partner of the partners directory (`partners:` in `relance.yaml`) to whom a litigation
/// case is handed: the transmittal e-mail goes to its address.
public struct LitigationPartner: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// "Avocat".
        case lawyer
        /// "Commissaire de justice" (ex-huissier).
        case commissaireDeJustice = "commissaire_de_justice"
        /// "Société de recouvrement".
        case collectionAgency = "collection_agency"

        public var frenchLabel: String {
            switch self {
            case .lawyer: return "avocat"
            case .commissaireDeJustice: return "commissaire de justice"
            case .collectionAgency: return "société de recouvrement"
            }
        }
    }

    public var id: String
    public var name: String
    public var email: String
    public var kind: Kind

    public init(id: String, name: String, email: String, kind: Kind) {
        self.id = id; self.name = name; self.email = email; self.kind = kind
    }
}
