import Foundation
import Testing
import RelanceCore
import RelanceFormats
@testable import RelancePipeline

/// Rendering is a pure function of the recorded facts: the thread count cannot change a byte.
@Suite struct RemindRenderingTests {
    static func facts(_ i: Int) -> ReminderFacts {
        let channels = ["email", "letter", "registered_letter", "sms", "call"]
        let line = ReminderFacts.Line(number: "F-\(i)", issued: 20_500, due: 20_530, amount: 10_000 + Int64(i), open: 9_000 + Int64(i),
                                      daysLate: 15, step: "D+15", documentId: Int64(i), penalty: 123, indemnity: 4_000,
                                      rates: ["12,15 % (1er semestre 2026)"])
        return ReminderFacts(id: String(format: "R20260316-%016d", i), asOf: 20_545, customerId: "C\(i)", customerName: "Client n° \(i) & Cie",
                             kind: i % 3 == 0 ? "consumer" : "business", language: i % 4 == 0 ? "en" : "fr",
                             email: "c\(i)@example.fr", phone: "06 12 34 56 \(10 + i % 80)", address: ["\(i) rue de la Paix", "75002 Paris"],
                             step: "D+15", template: ["second_reminder", "letter", "formal_notice", "first_reminder", "litigation_proposal"][i % 5],
                             channel: channels[i % 5], currency: "EUR", items: [line], statement: [line, line])
    }

    @Test func oneThreadAndFourThreadsGiveTheSameBytes() throws {
        let settings = ReminderSettings()
        let renderer = ReminderRenderer(settings: settings, company: CompanyIdentity(name: "Société Test SAS", siren: "552100554"),
                                        templates: try settings.templates.compiled(), timeZone: "Europe/Paris")
        let all = (0..<40).map(Self.facts)
        func digests(_ workers: Int) throws -> [String] {
            try RemindStage.renderAll(all, renderer: renderer, folder: "reminders/2026-03-16", workers: workers).map { f, out in
                switch out {
                case let .file(path, bytes): return "\(f.id) \(path) \(ContentDigest.sha256Hex(bytes))"
                case let .sms(row): return "\(f.id) sms \(row.phone) \(row.text)"
                case let .call(row): return "\(f.id) call \(row.talkingPoints)"
                }
            }
        }
        let one = try digests(1)
        #expect(one.count == 40)
        #expect(one.filter { $0.contains(".pdf ") }.count == 16)
        #expect(try digests(4) == one)
    }
}
