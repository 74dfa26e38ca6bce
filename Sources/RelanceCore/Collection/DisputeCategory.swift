/// A kind of dispute ("motif de litige") and the follow-up actions it calls for.
///
/// Why a sequence per category: a logistics dispute is settled by the carrier's proof of
/// delivery, a pricing one by the sales rep, a quality one by a technician's report. Each
/// follow-up becomes a dated task (opening day + delay) in `outbox/tasks/<as-of>/tasks.csv`
/// until someone records it as done (`dispute_update` with `task`).
public struct DisputeCategory: Sendable, Equatable {
    /// The name used in commands and action files (`logistique`), matched case-insensitively.
    public var name: String
    public var followUps: [FollowUp]

    public init(name: String, followUps: [FollowUp]) {
        self.name = name; self.followUps = followUps
    }

    /// One follow-up action: who does what, how many days after the dispute was opened.
    public struct FollowUp: Sendable, Equatable {
        public var task: String
        /// A role or person (`commercial`, `logistique`); nil means the dispute's owner.
        public var owner: String?
        public var delayDays: Int

        public init(task: String, owner: String? = nil, delayDays: Int) {
            self.task = task; self.owner = owner; self.delayDays = delayDays
        }
    }

    /// The five default categories of issue 6 and their follow-ups (used when `relance.yaml`
    /// has no `disputes.categories`).
    public static let defaults: [DisputeCategory] = [
        DisputeCategory(name: "commercial", followUps: [
            FollowUp(task: "Faire confirmer par le commercial les conditions accordées (prix, remise)", owner: "commercial", delayDays: 2),
            FollowUp(task: "Proposer un avoir ou confirmer la facture au client", owner: "commercial", delayDays: 10),
        ]),
        DisputeCategory(name: "logistique", followUps: [
            FollowUp(task: "Demander au transporteur la preuve de livraison signée", owner: "logistique", delayDays: 2),
            FollowUp(task: "Escalader au responsable logistique si la preuve manque", owner: "logistique", delayDays: 10),
        ]),
        DisputeCategory(name: "technique", followUps: [
            FollowUp(task: "Obtenir le rapport du technicien sur la réclamation", owner: "technique", delayDays: 5),
            FollowUp(task: "Décider réparation, remplacement ou avoir", owner: "technique", delayDays: 15),
        ]),
        DisputeCategory(name: "facturation", followUps: [
            FollowUp(task: "Vérifier la facture (quantités, prix, TVA, bon de commande)", owner: "comptabilité", delayDays: 2),
            FollowUp(task: "Émettre l'avoir ou la facture rectificative", owner: "comptabilité", delayDays: 7),
        ]),
        DisputeCategory(name: "autre", followUps: [
            FollowUp(task: "Qualifier le litige avec le client", delayDays: 3),
        ]),
    ]

    /// The category named `name` (case-insensitive) among `categories`.
    public static func find(_ name: String, in categories: [DisputeCategory]) -> DisputeCategory? {
        let key = name.lowercased()
        return categories.first { $0.name.lowercased() == key }
    }
}
