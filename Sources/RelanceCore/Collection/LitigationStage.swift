/// The stages of a litigation case ("contentieux") and which stage may follow which.
///
/// Why a transition table: a case cannot be "order served" before the order was issued, nor
/// reach judgment without a court claim; an impossible move is refused with the allowed ones
/// named, so a mistyped stage never corrupts the history the dossier and the deadlines read.
/// A case may skip the amicable steps (a partner can go straight to court), and a stage may
/// not be recorded twice in a row.
public enum LitigationStage: String, Sendable, CaseIterable, Comparable {
    /// Handed to the partner (lawyer, commissaire de justice, agency): the opening stage.
    case transmitted
    /// "Recouvrement amiable externe" by an agency or commissaire de justice.
    case amicableCollection = "amicable_collection"
    /// "Mise en demeure" sent by the partner.
    case formalNotice = "formal_notice"
    /// "Requête en injonction de payer" filed (art. 1405 ff. CPC).
    case injunctionFiled = "injunction_filed"
    /// "Ordonnance d'injonction de payer" issued: it must be served within six months (art. 1411).
    case injunctionIssued = "injunction_issued"
    /// Order served ("signifiée"): the debtor has one month to oppose (art. 1416).
    case injunctionServed = "injunction_served"
    /// "Opposition" by the debtor: the case becomes contradictory proceedings.
    case opposition
    /// "Référé-provision" (art. 873 al. 2 / 835 al. 2 CPC).
    case summaryProvision = "summary_provision"
    /// "Assignation en paiement" (action au fond).
    case summons
    /// "Jugement" (or order in référé).
    case judgment
    /// "Exécution forcée" by a commissaire de justice.
    case enforcement
    /// The case is over (see the outcome).
    case closed

    /// Order of the procedure as listed (for sorting and display only; transitions use `allowedNext`).
    public static func < (l: LitigationStage, r: LitigationStage) -> Bool {
        (allCases.firstIndex(of: l) ?? 0) < (allCases.firstIndex(of: r) ?? 0)
    }

    /// The stages that may be recorded after this one (`closed` is reached by closing the case).
    public var allowedNext: [LitigationStage] {
        let court: [LitigationStage] = [.injunctionFiled, .summaryProvision, .summons]
        switch self {
        case .transmitted: return [.amicableCollection, .formalNotice] + court
        case .amicableCollection: return [.formalNotice] + court
        case .formalNotice: return court
        case .injunctionFiled: return [.injunctionIssued, .summons]
        case .injunctionIssued: return [.injunctionServed]
        case .injunctionServed: return [.opposition, .enforcement]
        case .opposition: return [.judgment, .summons]
        case .summaryProvision: return [.judgment, .summons]
        case .summons: return [.judgment]
        case .judgment: return [.enforcement]
        case .enforcement: return []
        case .closed: return []
        }
    }

    public func canMove(to next: LitigationStage) -> Bool { allowedNext.contains(next) }

    /// Reads a stage name as typed: the snake_case name, or the French term
    /// (`injonction_depose`, `referé-provision`…), case and accents ignored.
    public static func parse(_ text: String) -> LitigationStage? {
        let key = LitigationStage.normalise(text)
        if let s = LitigationStage(rawValue: key) { return s }
        return aliases[key]
    }

    private static let aliases: [String: LitigationStage] = [
        "transmis": .transmitted, "transmission": .transmitted,
        "recouvrement_amiable": .amicableCollection, "amiable": .amicableCollection,
        "mise_en_demeure": .formalNotice,
        "injonction_de_payer_deposee": .injunctionFiled, "injonction_deposee": .injunctionFiled, "requete_injonction": .injunctionFiled,
        "ordonnance_rendue": .injunctionIssued, "ordonnance_injonction": .injunctionIssued,
        "ordonnance_signifiee": .injunctionServed, "signification": .injunctionServed,
        "refere_provision": .summaryProvision, "refere": .summaryProvision,
        "assignation": .summons, "assignation_en_paiement": .summons,
        "jugement": .judgment, "execution": .enforcement, "execution_forcee": .enforcement,
        "clos": .closed, "cloture": .closed,
    ]

    static func normalise(_ text: String) -> String {
        var out = ""
        var pending = false
        for ch in text.lowercased().unicodeScalars {
            let folded: Character?
            switch ch {
            case "à", "â", "ä": folded = "a"
            case "é", "è", "ê", "ë": folded = "e"
            case "î", "ï": folded = "i"
            case "ô", "ö": folded = "o"
            case "ù", "û", "ü": folded = "u"
            case "ç": folded = "c"
            default: folded = (ch.properties.isAlphabetic || ("0"..."9").contains(ch)) && ch.isASCII ? Character(ch) : nil
            }
            if let folded {
                if pending && !out.isEmpty { out.append("_") }
                pending = false
                out.append(folded)
            } else {
                pending = true
            }
        }
        return out
    }

    /// The French label shown in the dossier, exports and `relance show`.
    public var frenchLabel: String {
        switch self {
        case .transmitted: return "Transmis au partenaire"
        case .amicableCollection: return "Recouvrement amiable externe"
        case .formalNotice: return "Mise en demeure"
        case .injunctionFiled: return "Requête en injonction de payer déposée"
        case .injunctionIssued: return "Ordonnance d'injonction de payer rendue"
        case .injunctionServed: return "Ordonnance signifiée"
        case .opposition: return "Opposition du débiteur"
        case .summaryProvision: return "Référé-provision"
        case .summons: return "Assignation en paiement"
        case .judgment: return "Jugement"
        case .enforcement: return "Exécution forcée"
        case .closed: return "Clos"
        }
    }
}
