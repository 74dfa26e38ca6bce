import Testing
import RelanceCore

private func d(_ s: String) -> Day { Day.parse(s)! }

@Suite struct CollectionRulesTests {
    @Test func everyStageIsReachableFromTransmittedAndClosedEndsIt() {
        var reached: Set<LitigationStage> = [.transmitted]
        var frontier: [LitigationStage] = [.transmitted]
        while let s = frontier.popLast() {
            for n in s.allowedNext where reached.insert(n).inserted { frontier.append(n) }
        }
        #expect(reached == Set(LitigationStage.allCases).subtracting([.closed]))
        #expect(LitigationStage.closed.allowedNext.isEmpty)
        #expect(LitigationStage.enforcement.allowedNext.isEmpty)
    }

    @Test(arguments: [
        (LitigationStage.transmitted, LitigationStage.injunctionServed),   // an order must be issued first
        (.injunctionFiled, .injunctionServed),
        (.transmitted, .judgment),                                           // no judgment without a court claim
        (.injunctionIssued, .opposition),                                    // opposition only after service
        (.judgment, .summons),
        (.formalNotice, .formalNotice),                                      // never twice in a row
        (.formalNotice, .amicableCollection),                                // no going back
    ])
    func illegalTransitionsAreRefused(from: LitigationStage, to: LitigationStage) {
        #expect(!from.canMove(to: to))
    }

    @Test func stageNamesReadInEnglishOrFrench() {
        #expect(LitigationStage.parse("injunction_served") == .injunctionServed)
        #expect(LitigationStage.parse("Mise en demeure") == .formalNotice)
        #expect(LitigationStage.parse("référé-provision") == .summaryProvision)
        #expect(LitigationStage.parse("Assignation") == .summons)
        #expect(LitigationStage.parse("jugement rendu") == nil)
    }

    @Test func injunctionDeadlines() {
        let issued = LitigationDeadlines.open(stages: [(.transmitted, d("2026-01-05")), (.injunctionFiled, d("2026-01-10")), (.injunctionIssued, d("2026-02-28"))])
        #expect(issued == [.init(kind: .serveInjunctionOrder, day: d("2026-08-28"), from: .injunctionIssued, fromDay: d("2026-02-28"))])
        let served = LitigationDeadlines.open(stages: [(.injunctionIssued, d("2026-02-28")), (.injunctionServed, d("2026-01-31"))])
        #expect(served.map(\.day) == [d("2026-02-28")])   // 31 January + 1 month → 28 February
        #expect(LitigationDeadlines.open(stages: [(.injunctionServed, d("2026-03-02")), (.opposition, d("2026-03-20"))]).isEmpty)
        // Filing and issue do not interrupt limitation; service, summons and enforcement do.
        let kinds = LitigationDeadlines.interruptions(stages: [(.injunctionFiled, d("2026-01-10")), (.injunctionIssued, d("2026-02-01")),
                                                               (.injunctionServed, d("2026-03-01")), (.enforcement, d("2026-05-01"))]).map(\.kind)
        #expect(kinds == [.courtClaim, .enforcementMeasure])
    }

    @Test func routeRulesFirstMatchWins() {
        func route(_ principal: Int64, contested: Bool = false, days: Int? = 1000, debtor: CustomerKind = .business, country: String = "FR") -> ClaimRoute.Recommendation {
            ClaimRoute.recommend(.init(principal: principal, contested: contested, daysToLimitation: days, debtor: debtor, debtorCountry: country))
        }
        #expect(route(2_000_000, contested: true).route == .summons)
        #expect(route(2_000_000, contested: true).lawyerRequired)
        #expect(route(900_000, contested: true).lawyerRequired == false)
        #expect(route(2_000_000, country: "DE").route == .europeanOrderForPayment)
        #expect(route(2_000_000, country: "DK").route == .injunctionToPay)          // Denmark is outside Reg. 1896/2006
        #expect(route(2_000_000, days: 30).route == .summaryProvision)
        #expect(route(2_000_000, days: 30).lawyerRequired)
        #expect(route(500_000).route == .smallClaimsProcedure)
        #expect(route(500_000).reasons.contains { $0.contains("exactement égal") })
        #expect(route(500_001).route == .injunctionToPay)
        #expect(route(2_000_000).lawyerRequired == false)                           // the request itself needs no lawyer
        #expect(route(300_000, debtor: .consumer).court.hasPrefix("Tribunal judiciaire"))
    }

    @Test func tasksFromDisputesCasesPromisesAndPlans() {
        let asOf = d("2026-11-20")
        let tasks = CollectionTaskDerivation.derive(
            asOf: asOf, categories: DisputeCategory.defaults,
            disputes: [.init(invoiceNumber: "F-1", customerId: "C1", category: "Logistique", owner: "Alice", openedOn: d("2026-11-10"),
                             doneTasks: ["Demander au transporteur la preuve de livraison signée"])],
            cases: [.init(caseId: "L1", customerId: "C2", partnerId: "etude", stages: [.init(stage: .transmitted, day: d("2026-09-01")),
                     .init(stage: .injunctionFiled, day: d("2026-09-10")), .init(stage: .injunctionIssued, day: d("2026-10-15"))], allSettled: false)],
            watched: [.init(invoiceNumber: "F-9", customerId: "C2", caseId: "L1",
                            limitation: .init(debtor: .business, invoiceDate: d("2022-01-10"), dueDate: d("2022-02-10"),
                                              interruptions: [.init(day: d("2023-03-01"), kind: .partialPayment)]))],
            brokenPromises: [.init(invoiceNumber: "F-3", customerId: "C1", promisedOn: d("2026-11-15"))],
            brokenPlans: [])
        #expect(tasks.map(\.kind) == [.promiseBroken, .disputeFollowUp, .serveInjunctionOrder, .limitation])
        let followUp = tasks[1]
        #expect(followUp.due == d("2026-11-20") && followUp.owner == "logistique" && followUp.description.contains("Escalader"))
        #expect(tasks[2].due == d("2027-04-15"))
        // Partial payment on 2023-03-01 restarts the 5 years; the invoice date stood in for delivery.
        #expect(tasks[3].due == d("2028-03-01").adding(days: -90))
        #expect(tasks[3].description.contains("01/03/2028") && tasks[3].description.contains("estimation"))
    }
}
