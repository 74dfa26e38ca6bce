/// The recommended procedural route for a claim in litigation (legal.md §6), with whether a
/// lawyer is required and the reasons, as written in a dossier's `synthese.pdf`.
///
/// Rules, first match wins:
/// 1. Contested claim (an open dispute on one of its invoices, or an opposition recorded) →
///    assignation en paiement: an injonction or a référé would fail on a serious dispute.
/// 2. Debtor established in another EU member state (not Denmark) → European order for
///    payment (Reg. 1896/2006, uncontested cross-border claims, no amount limit).
/// 3. Urgent and undisputable (the limitation deadline is within `urgentWithinDays`) →
///    référé-provision: the writ interrupts prescription at once (art. 2241), where an
///    injonction interrupts only when its order is served.
/// 4. Small claim, principal and interest ≤ €5,000 → procédure simplifiée de recouvrement
///    des petites créances by a commissaire de justice (L125-1 CPCE); exactly €5,000 is
///    treated as eligible with a note (legal.md §6.5 wording gap).
/// 5. Otherwise, an undisputed claim → injonction de payer (art. 1405 ff. CPC).
/// A lawyer is required before the tribunal de commerce and the tribunal judiciaire above
/// €10,000 (art. 853, 760–761 CPC), in référé too; the injonction-de-payer request itself,
/// the petites-créances procedure and the European order are exempt.
public enum ClaimRoute: String, Sendable, Equatable {
    case injunctionToPay = "injonction_de_payer"
    case summaryProvision = "refere_provision"
    case summons = "assignation_en_paiement"
    case smallClaimsProcedure = "petites_creances"
    case europeanOrderForPayment = "injonction_de_payer_europeenne"

    public var frenchLabel: String {
        switch self {
        case .injunctionToPay: return "Injonction de payer (art. 1405 et s. CPC)"
        case .summaryProvision: return "Référé-provision (art. 873 al. 2 / 835 al. 2 CPC)"
        case .summons: return "Assignation en paiement (action au fond)"
        case .smallClaimsProcedure: return "Procédure simplifiée de recouvrement des petites créances (L125-1 CPCE), par commissaire de justice"
        case .europeanOrderForPayment: return "Injonction de payer européenne (règlement CE 1896/2006)"
        }
    }

    /// Lawyer threshold of art. 853 and 761 CPC, in euro cents.
    public static let lawyerThreshold: Int64 = 1_000_000
    /// Petites-créances ceiling since 1 January 2020, in euro cents.
    public static let smallClaimsCeiling: Int64 = 500_000
    /// Claims above this at a tribunal des activités économiques owe the contribution pour la justice économique.
    public static let economicCourtContributionThreshold: Int64 = 5_000_000
    /// Member states where the European order for payment applies (all but Denmark).
    public static let europeanOrderStates: Set<String> = [
        "AT", "BE", "BG", "CY", "CZ", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
        "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ]

    public struct Input: Sendable, Equatable {
        /// Open principal of the invoices in the case, euro cents.
        public var principal: Int64
        /// Penalties or interest claimed on top (counted for the €5,000 ceiling), euro cents.
        public var interest: Int64
        public var contested: Bool
        /// Days before the earliest limitation deadline of the claim's invoices.
        public var daysToLimitation: Int?
        public var debtor: CustomerKind
        /// ISO 3166 alpha-2 of the debtor and of the creditor (`FR` when unknown).
        public var debtorCountry: String
        public var creditorCountry: String
        public var urgentWithinDays: Int

        public init(principal: Int64, interest: Int64 = 0, contested: Bool, daysToLimitation: Int?, debtor: CustomerKind,
                    debtorCountry: String = "FR", creditorCountry: String = "FR", urgentWithinDays: Int = 180) {
            self.principal = principal; self.interest = interest; self.contested = contested
            self.daysToLimitation = daysToLimitation; self.debtor = debtor
            self.debtorCountry = debtorCountry.uppercased(); self.creditorCountry = creditorCountry.uppercased()
            self.urgentWithinDays = urgentWithinDays
        }
    }

    public struct Recommendation: Sendable, Equatable {
        public var route: ClaimRoute
        public var lawyerRequired: Bool
        /// The court the route goes to (French wording).
        public var court: String
        /// Why this route, and what to watch (French, one sentence each).
        public var reasons: [String]
    }

    public static func recommend(_ input: Input) -> Recommendation {
        let court = input.debtor == .business
            ? "Tribunal de commerce (tribunal des activités économiques dans les 12 ressorts de l'expérimentation) du siège du débiteur"
            : "Tribunal judiciaire du domicile du débiteur"
        let aboveLawyer = input.principal > lawyerThreshold
        var reasons: [String] = []
        let crossBorder = input.debtorCountry != input.creditorCountry
            && europeanOrderStates.contains(input.debtorCountry) && europeanOrderStates.contains(input.creditorCountry)
        let urgent = input.daysToLimitation.map { $0 <= input.urgentWithinDays } ?? false
        let claimWithInterest = input.principal + input.interest
        let route: ClaimRoute
        var lawyer = false
        if input.contested {
            route = .summons
            reasons.append("La créance est contestée : une injonction ou un référé échouerait sur une contestation sérieuse ; action au fond.")
            lawyer = aboveLawyer
        } else if crossBorder {
            route = .europeanOrderForPayment
            reasons.append("Débiteur établi dans un autre État membre (\(input.debtorCountry)) : procédure européenne écrite, sans plafond, formulaire A.")
            if input.principal <= smallClaimsCeiling {
                reasons.append("Montant ≤ 5 000 € : le règlement des petits litiges européens (CE 861/2007) est aussi ouvert.")
            }
        } else if urgent {
            route = .summaryProvision
            reasons.append("Prescription proche (\(input.daysToLimitation ?? 0) jours) et créance non sérieusement contestable : l'assignation en référé interrompt la prescription dès sa délivrance (art. 2241 C. civ.).")
            lawyer = aboveLawyer
        } else if claimWithInterest <= smallClaimsCeiling {
            route = .smallClaimsProcedure
            reasons.append("Principal et intérêts ≤ 5 000 € : procédure simplifiée par commissaire de justice, titre exécutoire si le débiteur accepte (frais à la charge du créancier).")
            if claimWithInterest == smallClaimsCeiling {
                reasons.append("Montant exactement égal au plafond de 5 000 € : éligibilité à confirmer (L125-1 dit « inférieure à », R125-1 « n'excède pas »).")
            }
        } else {
            route = .injunctionToPay
            reasons.append("Créance non contestée, certaine, liquide et exigible : requête en injonction de payer, sans avocat obligatoire pour la requête.")
            if aboveLawyer { reasons.append("En cas d'opposition, l'avocat devient obligatoire (demande > 10 000 €).") }
        }
        if lawyer { reasons.append("Avocat obligatoire : demande supérieure à 10 000 € (art. 853 et 761 CPC).") }
        if input.debtor == .consumer {
            reasons.append("Débiteur consommateur : prescription de 2 ans (L218-2 C. conso.), ni pénalités L441-10 ni indemnité de 40 € ; frais de recouvrement à la charge du créancier (L111-8 CPCE).")
        }
        if input.principal > economicCourtContributionThreshold && input.debtor == .business {
            reasons.append("Demande > 50 000 € : si le tribunal compétent est un tribunal des activités économiques, la contribution pour la justice économique est due.")
        }
        return Recommendation(route: route, lawyerRequired: lawyer, court: route == .europeanOrderForPayment
                              ? "Juridiction compétente de l'État membre du débiteur (ou du créancier selon le règlement)" : court,
                              reasons: reasons)
    }
}
