import RelanceCore
import Testing

/// The planner on its own: timeline, late entry, exclusions, business days, grouping.
@Suite struct ReminderPlannerTests {
    static func d(_ s: String) -> Day { Day.parse(s) ?? Day(ordinal: 0) }
    static func eur(_ cents: Int64) -> Money { Money(minor: cents, currency: .eur) }

    static func invoice(_ id: Int64, _ customer: String = "C1", due: String, cents: Int64 = 100_000, open: Int64? = nil,
                        sent: Set<String> = [], holds: [ReminderHold] = []) -> ReminderInvoiceState {
        ReminderInvoiceState(documentId: id, number: "F-\(id)", customerId: customer, amount: eur(cents), openAmount: open ?? cents,
                             issueDate: d(due).adding(days: -30), dueDate: d(due), sentSteps: sent, holds: holds)
    }

    /// A company that runs Relance every day for 120 days, with payments, a dispute and a
    /// promise arriving on the way. Expected days computed by hand from the 2026 calendar
    /// (1 January 2026 is a Thursday; 1 May is a Friday).
    @Test func timelineOver120Days() {
        let planner = ReminderPlanner()
        var invoices = [
            Self.invoice(1, due: "2026-01-15"),                 // goes through every step
            Self.invoice(2, "C2", due: "2026-01-20"),           // paid on 2026-02-02
            Self.invoice(3, "C3", due: "2026-01-20"),           // disputed 2026-01-25 … 2026-02-20
            Self.invoice(4, "C4", due: "2026-01-20"),           // promise to pay by 2026-02-10, broken
        ]
        var customers = ["C1", "C2", "C3", "C4"].map { ReminderCustomerState(id: $0) }
        var sends: [String: [(String, Day, ReminderChannel)]] = [:]
        var day = Self.d("2026-01-05")
        for _ in 0..<120 {
            if day == Self.d("2026-02-02") { invoices[1].openAmount = 0 }
            if day == Self.d("2026-01-25") { invoices[2].holds = [.disputed] }
            if day == Self.d("2026-02-20") { invoices[2].holds = [] }
            if day == Self.d("2026-01-22") { invoices[3].holds = [.promise(until: Self.d("2026-02-10"))] }
            if day == Self.d("2026-02-11") { invoices[3].holds = [] }   // the maintenance marks it broken
            let plan = planner.plan(asOf: day, customers: customers, invoices: invoices)
            for m in plan.messages {
                for item in m.items {
                    sends[item.number, default: []].append((item.step, day, m.channel))
                    if let i = invoices.firstIndex(where: { $0.number == item.number }) { invoices[i].sentSteps.insert(item.step) }
                }
                if let c = customers.firstIndex(where: { $0.id == m.customerId }) { customers[c].lastReminder = day }
            }
            day = day.adding(days: 1)
        }
        func seq(_ n: String) -> [String] { (sends[n] ?? []).map { "\($0.0)@\($0.1)/\($0.2)" } }
        #expect(seq("F-1") == [
            "D-5@2026-01-12/email",              // 10 Jan is a Saturday
            "D+3@2026-01-19/email",              // 18 Jan is a Sunday
            "D+15@2026-01-30/email",
            "D+30@2026-02-16/letter",            // 14 Feb is a Saturday
            "D+45@2026-03-02/registered_letter", // 1 Mar is a Sunday
            "D+60@2026-03-16/call",
        ])
        // Paid on 2 Feb, before D+15 (4 Feb): nothing after D+3.
        #expect(seq("F-2") == ["D-5@2026-01-15/email", "D+3@2026-01-23/email"])
        // Disputed from 25 Jan to 20 Feb: D+15 (4 Feb) held; released on 20 Feb it enters at
        // D+30 (19 Feb, reached) without the skipped D+15.
        #expect(seq("F-3") == ["D-5@2026-01-15/email", "D+3@2026-01-23/email", "D+30@2026-02-20/letter",
                               "D+45@2026-03-06/registered_letter", "D+60@2026-03-23/call"])
        // Promise until 10 Feb, broken: chased on 11 Feb at D+15, then the usual path.
        #expect(seq("F-4") == ["D-5@2026-01-15/email", "D+15@2026-02-11/email", "D+30@2026-02-19/letter",
                               "D+45@2026-03-06/registered_letter", "D+60@2026-03-23/call"])
    }

    @Test func lateEntrySkipsEarlierStepsInsteadOfFiringThemAll() {
        let plan = ReminderPlanner().plan(asOf: Self.d("2026-03-04"), customers: [ReminderCustomerState(id: "C1")],
                                          invoices: [Self.invoice(1, due: "2026-01-30")])   // 33 days late
        #expect(plan.messages.count == 1)
        #expect(plan.messages.first?.step.name == "D+30")
        #expect(plan.messages.first?.channel == .letter)
        #expect(plan.lateEntries == 1)
        #expect(plan.notes.contains { $0.contains("entered their scenario late") })
    }

    @Test func nonBusinessAsOfGivesAnEmptyPlanWithANote() {
        let inv = [Self.invoice(1, due: "2026-04-20")]
        let c = [ReminderCustomerState(id: "C1")]
        let saturday = ReminderPlanner().plan(asOf: Self.d("2026-05-02"), customers: c, invoices: inv)
        #expect(saturday.messages.isEmpty)
        #expect(saturday.notes.first?.contains("weekend") == true)
        let mayDay = ReminderPlanner().plan(asOf: Self.d("2026-05-01"), customers: c, invoices: inv)
        #expect(mayDay.messages.isEmpty)
        #expect(mayDay.notes.first?.contains("public holiday") == true)
        #expect(mayDay.notes.first?.contains("2026-05-04") == true)
        // Good Friday is a holiday in Alsace-Moselle only.
        let goodFriday = Self.d("2026-04-03")
        #expect(ReminderPlanner().plan(asOf: goodFriday, customers: c, invoices: [Self.invoice(1, due: "2026-03-31")]).messages.count == 1)
        let alsace = ReminderPlanner(calendar: BusinessCalendar(region: .alsaceMoselle))
        #expect(alsace.plan(asOf: goodFriday, customers: c, invoices: [Self.invoice(1, due: "2026-03-31")]).messages.isEmpty)
    }

    @Test func stepOnAHolidayMovesToTheNextBusinessDay() {
        // Due 28 April: D+3 = 1 May (Fête du Travail, a Friday) → Monday 4 May.
        let planner = ReminderPlanner()
        #expect(planner.stepDay(ReminderScenario.standard.steps[1], due: Self.d("2026-04-28")) == Self.d("2026-05-04"))
        let c = [ReminderCustomerState(id: "C1")]
        let sent: Set<String> = ["D-5"]
        #expect(planner.plan(asOf: Self.d("2026-04-30"), customers: c, invoices: [Self.invoice(1, due: "2026-04-28", sent: sent)]).messages.isEmpty)
        #expect(planner.plan(asOf: Self.d("2026-05-04"), customers: c, invoices: [Self.invoice(1, due: "2026-04-28", sent: sent)]).messages.first?.step.name == "D+3")
    }

    @Test func groupingPerCustomerStepAndLowerStepsRidingAlong() {
        let c = [ReminderCustomerState(id: "C1"), ReminderCustomerState(id: "C2")]
        let asOf = Self.d("2026-03-05")
        let invoices = [
            Self.invoice(1, due: "2026-03-02", sent: ["D-5"]),          // D+3
            Self.invoice(2, due: "2026-03-02", sent: ["D-5"]),          // D+3
            Self.invoice(3, due: "2026-02-18", sent: ["D-5", "D+3"]),   // D+15
            Self.invoice(4, "C2", due: "2026-03-02", sent: ["D-5"]),
        ]
        let plan = ReminderPlanner().plan(asOf: asOf, customers: c, invoices: invoices)
        #expect(plan.messages.map { "\($0.customerId) \($0.step.name) \($0.items.map(\.number))" } == [
            "C1 D+15 [\"F-3\", \"F-1\", \"F-2\"]", "C2 D+3 [\"F-4\"]",
        ])
        #expect(plan.messages[0].items.map(\.step) == ["D+15", "D+3", "D+3"])
        #expect(plan.messages[0].total == 300_000)
        // Without riding along: one message per step.
        var separate = ScenarioAssignment()
        separate.scenarios["standard"] = ReminderScenario(name: "standard", steps: ReminderScenario.standard.steps, groupLowerSteps: false)
        let plan2 = ReminderPlanner(assignment: separate).plan(asOf: asOf, customers: c, invoices: invoices)
        #expect(plan2.messages.map { "\($0.customerId) \($0.step.name) \($0.items.count)" } == ["C1 D+3 2", "C1 D+15 1", "C2 D+3 1"])
        #expect(Set(plan2.messages.map(\.id)).count == 3)
        #expect(plan2.messages.allSatisfy { $0.id.hasPrefix("R20260305-") && $0.id.count == 26 })
    }

    @Test func everyExclusionHasItsReason() {
        let asOf = Self.d("2026-03-05")
        let due = "2026-02-18"   // D+15 reached
        let customers = [
            ReminderCustomerState(id: "A"), ReminderCustomerState(id: "B", blocked: true),
            ReminderCustomerState(id: "C", unappliedCredit: [.eur: 5_000]),
            ReminderCustomerState(id: "D", lastReminder: Self.d("2026-03-03")),
            ReminderCustomerState(id: "E", hasEmail: false, hasPostalAddress: false),
        ]
        let invoices = [
            Self.invoice(1, "A", due: due, open: 0),
            Self.invoice(2, "A", due: due, holds: [.disputed]),
            Self.invoice(3, "A", due: due, holds: [.inLitigation]),
            Self.invoice(4, "A", due: due, holds: [.paymentPlan]),
            Self.invoice(5, "A", due: due, holds: [.promise(until: Self.d("2026-03-10"))]),
            Self.invoice(6, "B", due: due),
            Self.invoice(7, "C", due: due),
            Self.invoice(8, "D", due: due),
            Self.invoice(9, "E", due: due),
            Self.invoice(10, "A", due: "2026-01-15", cents: 1_000, sent: ["D-5", "D+3", "D+15", "D+30"]),  // formal notice for 10 €
        ]
        let plan = ReminderPlanner().plan(asOf: asOf, customers: customers, invoices: invoices)
        #expect(plan.messages.isEmpty)
        let codes = Dictionary(uniqueKeysWithValues: plan.exclusions.map { ($0.documentNumber, $0.reason.code) })
        #expect(codes == ["F-1": "settled", "F-2": "disputed", "F-3": "litigation", "F-4": "payment_plan", "F-5": "promise",
                          "F-6": "blocked", "F-7": "unapplied_payment", "F-8": "minimum_interval", "F-9": "no_contact",
                          "F-10": "below_threshold"])
        let text = Dictionary(uniqueKeysWithValues: plan.exclusions.map { ($0.documentNumber, $0.reason.description) })
        #expect(text["F-5"] == "promise to pay by 2026-03-10, not yet due")
        #expect(text["F-8"] == "last reminder on 2026-03-03; next allowed on 2026-03-09")
        #expect(text["F-10"] == "total 10.00 EUR below the step's minimum 15.00 EUR")
        #expect(text["F-7"] == "unapplied payment of 50.00 EUR pending on the customer")
    }

    @Test func scenarioBySegmentExplicitAndPaymentBehaviour() {
        let a = ScenarioAssignment(explicit: ["X": "standard"], bySegment: ["vip": "gentle"])
        #expect(a.scenario(for: ReminderCustomerState(id: "X", segment: "vip"))?.basis == "explicit")
        #expect(a.scenario(for: ReminderCustomerState(id: "Y", segment: "vip"))?.scenario.name == "gentle")
        #expect(a.scenario(for: ReminderCustomerState(id: "Z", averageDaysLate: 2))?.basis == "good payer")
        #expect(a.scenario(for: ReminderCustomerState(id: "Z", averageDaysLate: 20))?.scenario.name == "standard")
        // The gentle scenario has no courtesy e-mail: a good payer's invoice due in 3 days gets nothing.
        let planner = ReminderPlanner(assignment: a)
        let plan = planner.plan(asOf: Self.d("2026-03-04"), customers: [ReminderCustomerState(id: "Z", averageDaysLate: 1)],
                                invoices: [Self.invoice(1, "Z", due: "2026-03-06")])
        #expect(plan.messages.isEmpty)
    }

    @Test func stepConditionsAndEmailFallingBackToLetter() {
        var assignment = ScenarioAssignment()
        assignment.scenarios["standard"] = ReminderScenario(name: "standard", steps: [
            ReminderStep(name: "D+3", offsetDays: 3, channels: [.email, .sms], template: "first_reminder"),
            ReminderStep(name: "MED", offsetDays: 10, channels: [.registeredLetter], template: "formal_notice",
                         conditions: ReminderStepConditions(kind: .business, minimumOpenAmount: 50_000)),
        ])
        let planner = ReminderPlanner(assignment: assignment)
        let asOf = Self.d("2026-03-16")
        let customers = [ReminderCustomerState(id: "B"), ReminderCustomerState(id: "P", kind: .consumer, hasEmail: false, hasPhone: false)]
        let plan = planner.plan(asOf: asOf, customers: customers,
                                invoices: [Self.invoice(1, "B", due: "2026-03-02"), Self.invoice(2, "P", due: "2026-03-02"),
                                           Self.invoice(3, "B", due: "2026-03-02", cents: 10_000)])
        // F-1 (1 000 €) enters at the formal notice; F-3 (100 €) is below its amount condition.
        #expect(plan.messages.map { "\($0.customerId) \($0.step.name) \($0.channel) \($0.items.map(\.number))" } == [
            "B D+3 email [\"F-3\"]", "B D+3 sms [\"F-3\"]", "B MED registered_letter [\"F-1\"]", "P D+3 letter [\"F-2\"]",
        ])
        #expect(plan.exclusions.map { "\($0.documentNumber) \($0.reason.code)" } == ["F-2 no_contact"])
    }
}
