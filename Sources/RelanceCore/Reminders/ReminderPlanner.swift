/// Decides, for an as-of date, which reminder each open invoice is due for ("plan de relance").
///
/// Rules, in the order they apply:
/// 1. **Business days.** No reminder leaves on a weekend or a public holiday of the configured
///    calendar: an as-of date that is not a business day gives an empty plan with a note. A
///    step whose day (due date + offset) is not a business day is reached on the next business
///    day.
/// 2. **Late entry.** An invoice is due for the *highest* step it has reached (among the steps
///    whose conditions hold for it) if no step at or above it was sent. Earlier steps never
///    sent are skipped, not fired all at once: an invoice imported 40 days late, or a company
///    that installs Relance with a backlog, enters at the D+30 letter, not with three e-mails
///    and a letter on the same morning.
/// 3. **Exclusions.** A reached step is not sent when the invoice is settled, disputed, in
///    litigation, in an active payment plan, under a promise to pay not yet due, or when the
///    customer is blocked, has an unapplied payment, was reminded within the minimum interval,
///    lacks the contact the channel needs, or owes less than the step's minimum. Each is listed
///    with its reason.
/// 4. **Grouping.** One message per customer, step, channel and currency listing every invoice
///    at that step; with `groupLowerSteps`, invoices at lower steps ride in the customer's
///    highest e-mail/letter/SMS message of the day (never in a formal notice or a call task,
///    whose content is specific to their step).
/// 5. **Channels.** An e-mail step for a customer without an e-mail address becomes a letter.
public struct ReminderPlanner: Sendable {
    public var assignment: ScenarioAssignment
    public var calendar: BusinessCalendar
    /// Minimum days between two reminders to the same customer (0: no minimum).
    public var minimumIntervalDays: Int

    public init(assignment: ScenarioAssignment = ScenarioAssignment(), calendar: BusinessCalendar = BusinessCalendar(),
                minimumIntervalDays: Int = 5) {
        self.assignment = assignment; self.calendar = calendar; self.minimumIntervalDays = minimumIntervalDays
    }

    /// The day a step is reached for an invoice due on `due`: due + offset, moved to the next
    /// business day.
    public func stepDay(_ step: ReminderStep, due: Day) -> Day {
        calendar.nextBusinessDay(onOrAfter: due.adding(days: step.offsetDays))
    }

    public func plan(asOf: Day, customers: [ReminderCustomerState], invoices: [ReminderInvoiceState]) -> ReminderPlan {
        var plan = ReminderPlan(asOf: asOf)
        guard calendar.isBusinessDay(asOf) else {
            let why = BusinessCalendar.isWeekend(asOf) ? "a weekend day" : "a public holiday (\(calendar.holidays(in: asOf.year).first { $0.day == asOf }?.name ?? "holiday"))"
            plan.notes.append("\(asOf) is \(why): no reminder is sent on a non-business day, the batch is empty. Steps reached today are sent on the next business day, \(calendar.nextBusinessDay(onOrAfter: asOf)).")
            return plan
        }
        let customersById = Dictionary(customers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var byCustomer: [String: [ReminderInvoiceState]] = [:]
        for inv in invoices { byCustomer[inv.customerId, default: []].append(inv) }

        for customerId in byCustomer.keys.sorted() {
            let customer = customersById[customerId] ?? ReminderCustomerState(id: customerId)
            guard let (scenario, _) = assignment.scenario(for: customer) else { continue }
            var due: [(item: PlannedReminderItem, stepIndex: Int)] = []
            for inv in byCustomer[customerId] ?? [] {
                guard let (stepIndex, skipped) = dueStep(inv, customer: customer, scenario: scenario, asOf: asOf) else { continue }
                let step = scenario.steps[stepIndex]
                func exclude(_ r: ReminderExclusion) {
                    plan.exclusions.append(ReminderExclusionEntry(customerId: customerId, documentNumber: inv.number, step: step.name, reason: r))
                }
                if inv.openAmount <= 0 { exclude(.settled); continue }
                if let hold = inv.holds.first { exclude(hold.exclusion); continue }
                if customer.blocked { exclude(.customerBlocked); continue }
                if let credit = customer.unappliedCredit[inv.amount.currency], credit > 0 {
                    exclude(.unappliedPayment(Money(minor: credit, currency: inv.amount.currency))); continue
                }
                if minimumIntervalDays > 0, let last = customer.lastReminder, last < asOf,
                   asOf < last.adding(days: minimumIntervalDays) {
                    exclude(.minimumInterval(lastSent: last, nextAllowed: calendar.nextBusinessDay(onOrAfter: last.adding(days: minimumIntervalDays))))
                    continue
                }
                if skipped { plan.lateEntries += 1 }
                due.append((PlannedReminderItem(documentId: inv.documentId, number: inv.number, step: step.name, amount: inv.amount,
                                                openAmount: inv.openAmount, issueDate: inv.issueDate, dueDate: inv.dueDate,
                                                daysLate: inv.dueDate.distance(to: asOf)), stepIndex))
            }
            plan.messages += group(due, customer: customer, scenario: scenario, asOf: asOf, exclusions: &plan.exclusions)
        }
        plan.messages.sort { a, b in
            (a.customerId, a.step.offsetDays, a.channel, a.currency) < (b.customerId, b.step.offsetDays, b.channel, b.currency)
        }
        plan.exclusions.sort { ($0.customerId, $0.documentNumber) < ($1.customerId, $1.documentNumber) }
        if plan.lateEntries > 0 {
            plan.notes.append("\(plan.lateEntries) invoice(s) entered their scenario late: they receive the step their lateness calls for; earlier steps never sent are skipped, not sent all at once.")
        }
        return plan
    }

    /// The step an invoice is due for today (index in the scenario) and whether earlier
    /// applicable steps were skipped (late entry); nil when nothing is due.
    func dueStep(_ inv: ReminderInvoiceState, customer: ReminderCustomerState, scenario: ReminderScenario,
                 asOf: Day) -> (Int, Bool)? {
        var reached: [Int] = []
        for (i, step) in scenario.steps.enumerated()
        where step.conditions.holds(segment: customer.segment, kind: customer.kind, openAmount: inv.openAmount)
            && stepDay(step, due: inv.dueDate) <= asOf {
            reached.append(i)
        }
        guard let candidate = reached.last else { return nil }
        let lastSent = scenario.steps.indices.last { inv.sentSteps.contains(scenario.steps[$0].name) }
        if let lastSent, lastSent >= candidate { return nil }
        let skipped = reached.dropLast().contains { i in lastSent.map { i > $0 } ?? true }
        return (candidate, skipped)
    }

    private func group(_ due: [(item: PlannedReminderItem, stepIndex: Int)], customer: ReminderCustomerState,
                       scenario: ReminderScenario, asOf: Day, exclusions: inout [ReminderExclusionEntry]) -> [PlannedReminder] {
        struct Key: Hashable { var stepIndex: Int; var currency: Currency }
        var groups: [Key: [PlannedReminderItem]] = [:]
        func ridesAlong(_ i: Int) -> Bool {
            scenario.steps[i].channels.allSatisfy { $0 == .email || $0 == .letter || $0 == .sms }
        }
        for currency in Set(due.map(\.item.amount.currency)) {
            let mine = due.filter { $0.item.amount.currency == currency }
            let host = scenario.groupLowerSteps ? mine.map(\.stepIndex).filter(ridesAlong).max() : nil
            for d in mine {
                var target = d.stepIndex
                if let host, d.stepIndex < host, ridesAlong(d.stepIndex) { target = host }
                groups[Key(stepIndex: target, currency: currency), default: []].append(d.item)
            }
        }
        var out: [PlannedReminder] = []
        for key in groups.keys.sorted(by: { ($0.stepIndex, $0.currency) < ($1.stepIndex, $1.currency) }) {
            let step = scenario.steps[key.stepIndex]
            let items = (groups[key] ?? []).sorted { ($0.dueDate, $0.number) < ($1.dueDate, $1.number) }
            let total = items.reduce(Int64(0)) { $0 &+ $1.openAmount }
            if total < step.minimumAmount {
                for it in items {
                    exclusions.append(ReminderExclusionEntry(
                        customerId: customer.id, documentNumber: it.number, step: it.step,
                        reason: .belowThreshold(total: Money(minor: total, currency: key.currency),
                                                minimum: Money(minor: step.minimumAmount, currency: key.currency))))
                }
                continue
            }
            var channels: [ReminderChannel] = []
            for channel in step.channels {
                switch channel {
                case .email where !customer.hasEmail:
                    if customer.hasPostalAddress { channels.append(.letter) } else { excludeAll(items, .noContact(.email)) }
                case .letter where !customer.hasPostalAddress, .registeredLetter where !customer.hasPostalAddress:
                    excludeAll(items, .noContact(channel))
                case .sms where !customer.hasPhone:
                    excludeAll(items, .noContact(.sms))
                default:
                    channels.append(channel)
                }
            }
            for channel in Set(channels).sorted() {
                out.append(PlannedReminder(
                    id: ReminderID.make(asOf: asOf, customerId: customer.id, step: step.name, channel: channel, currency: key.currency),
                    customerId: customer.id, scenario: scenario.name, step: step, channel: channel,
                    currency: key.currency, items: items))
            }
        }
        return out

        func excludeAll(_ items: [PlannedReminderItem], _ reason: ReminderExclusion) {
            for it in items {
                exclusions.append(ReminderExclusionEntry(customerId: customer.id, documentNumber: it.number, step: it.step, reason: reason))
            }
        }
    }
}
