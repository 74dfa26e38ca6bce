/// Turns the collection state (open disputes, open cases, missed promises and plans) into the
/// dated task list. Pure: the same state and as-of date give the same list, in the same order
/// (due date, customer, invoice, kind, text).
public enum CollectionTaskDerivation {
    /// An open dispute and the follow-ups already done.
    public struct OpenDispute: Sendable, Equatable {
        public var invoiceNumber: String
        public var customerId: String
        public var category: String
        public var owner: String?
        public var openedOn: Day
        /// Task texts recorded as done (`dispute_update` with `task`).
        public var doneTasks: Set<String>
        public init(invoiceNumber: String, customerId: String, category: String, owner: String?, openedOn: Day, doneTasks: Set<String>) {
            self.invoiceNumber = invoiceNumber; self.customerId = customerId; self.category = category
            self.owner = owner; self.openedOn = openedOn; self.doneTasks = doneTasks
        }
    }

    /// An invoice whose limitation date is watched, with what interrupted it.
    public struct WatchedInvoice: Sendable, Equatable {
        public var invoiceNumber: String
        public var customerId: String
        public var caseId: String?
        public var limitation: Limitation.Input
        public init(invoiceNumber: String, customerId: String, caseId: String?, limitation: Limitation.Input) {
            self.invoiceNumber = invoiceNumber; self.customerId = customerId; self.caseId = caseId; self.limitation = limitation
        }
    }

    public struct OpenCase: Sendable, Equatable {
        public var caseId: String
        public var customerId: String
        public var partnerId: String
        public var stages: [LitigationStageRecord]
        /// True when every invoice of the case has nothing left to pay.
        public var allSettled: Bool
        public init(caseId: String, customerId: String, partnerId: String, stages: [LitigationStageRecord], allSettled: Bool) {
            self.caseId = caseId; self.customerId = customerId; self.partnerId = partnerId; self.stages = stages; self.allSettled = allSettled
        }
    }

    public struct BrokenPromise: Sendable, Equatable {
        public var invoiceNumber: String
        public var customerId: String
        public var promisedOn: Day
        public init(invoiceNumber: String, customerId: String, promisedOn: Day) {
            self.invoiceNumber = invoiceNumber; self.customerId = customerId; self.promisedOn = promisedOn
        }
    }

    public struct BrokenPlan: Sendable, Equatable {
        public var planId: Int64
        public var customerId: String
        /// The first instalment that was missed.
        public var missedInstalment: Day
        public init(planId: Int64, customerId: String, missedInstalment: Day) {
            self.planId = planId; self.customerId = customerId; self.missedInstalment = missedInstalment
        }
    }

    /// How long before the limitation date the task appears (its due date).
    public static let limitationAlertDays = 90

    public static func derive(asOf: Day, categories: [DisputeCategory], disputes: [OpenDispute], cases: [OpenCase],
                              watched: [WatchedInvoice], brokenPromises: [BrokenPromise], brokenPlans: [BrokenPlan]) -> [CollectionTask] {
        var tasks: [CollectionTask] = []
        for d in disputes {
            let followUps = DisputeCategory.find(d.category, in: categories)?.followUps ?? []
            for f in followUps where !d.doneTasks.contains(f.task) {
                tasks.append(CollectionTask(due: d.openedOn.adding(days: f.delayDays), kind: .disputeFollowUp, customerId: d.customerId,
                                            invoiceNumber: d.invoiceNumber, owner: f.owner ?? d.owner,
                                            description: "Litige \(d.category) : \(f.task)"))
            }
        }
        for c in cases {
            for dl in LitigationDeadlines.open(stages: c.stages.map { ($0.stage, $0.day) }) {
                switch dl.kind {
                case .serveInjunctionOrder:
                    tasks.append(CollectionTask(due: dl.day, kind: .serveInjunctionOrder, customerId: c.customerId, caseId: c.caseId, owner: c.partnerId,
                                                description: "Faire signifier l'ordonnance d'injonction de payer du \(dl.fromDay.frenchDescription) au plus tard le \(dl.day.frenchDescription), sinon elle est non avenue (art. 1411 CPC)"))
                case .oppositionPeriodEnds:
                    tasks.append(CollectionTask(due: dl.day, kind: .oppositionPeriodEnds, customerId: c.customerId, caseId: c.caseId, owner: c.partnerId,
                                                description: "Fin du délai d'opposition le \(dl.day.frenchDescription) (signification du \(dl.fromDay.frenchDescription), art. 1416 CPC) : sans opposition, faire exécuter l'ordonnance"))
                }
            }
            if c.allSettled {
                tasks.append(CollectionTask(due: asOf, kind: .caseSettled, customerId: c.customerId, caseId: c.caseId, owner: c.partnerId,
                                            description: "Toutes les factures du dossier sont soldées : clore le dossier (relance litigation close)"))
            }
        }
        for w in watched {
            let result = Limitation.compute(w.limitation)
            let last = result.conservativeLastDay
            let estimate = result.startIsEstimate ? " (estimation : date de livraison inconnue, point de départ = date de facture)" : ""
            let restarted = result.lastInterruption.map { " ; délai reparti le \($0.day.frenchDescription)" } ?? ""
            tasks.append(CollectionTask(due: last.adding(days: -limitationAlertDays), kind: .limitation, customerId: w.customerId,
                                        invoiceNumber: w.invoiceNumber, caseId: w.caseId,
                                        description: "Prescription (\(result.statute), \(result.years) ans) le \(last.frenchDescription)\(estimate)\(restarted) : agir avant cette date"))
        }
        for p in brokenPromises {
            tasks.append(CollectionTask(due: p.promisedOn.adding(days: 1), kind: .promiseBroken, customerId: p.customerId, invoiceNumber: p.invoiceNumber,
                                        description: "Promesse de paiement du \(p.promisedOn.frenchDescription) non tenue : rappeler le client (la facture reprend son scénario de relance)"))
        }
        for p in brokenPlans {
            tasks.append(CollectionTask(due: p.missedInstalment.adding(days: 1), kind: .planBroken, customerId: p.customerId,
                                        description: "Échéancier n° \(p.planId) rompu (échéance du \(p.missedInstalment.frenchDescription) impayée) : contacter le client, les factures reprennent leur scénario"))
        }
        return tasks.sorted { a, b in
            if a.due != b.due { return a.due < b.due }
            if a.customerId != b.customerId { return a.customerId < b.customerId }
            if (a.invoiceNumber ?? "") != (b.invoiceNumber ?? "") { return (a.invoiceNumber ?? "") < (b.invoiceNumber ?? "") }
            if a.kind.rawValue != b.kind.rawValue { return a.kind.rawValue < b.kind.rawValue }
            return a.description < b.description
        }
    }
}
