import Foundation
import RelanceCore

/// Everything one reminder is rendered from, recorded with it (`reminder_facts`), so that a
/// batch re-rendered after a crash is byte-identical whatever was ingested in between.
struct ReminderFacts: Codable, Sendable, Equatable {
    /// One invoice line: an item of the message, or a line of the customer's statement.
    struct Line: Codable, Sendable, Equatable {
        var number: String
        var issued: Int32
        var due: Int32
        var amount: Int64
        var open: Int64
        var daysLate: Int
        var step: String
        /// The invoice's id in the store (items of the message; nil for statement lines).
        var documentId: Int64?
        /// Formal notice only: L441-10 penalty, 40 € indemnity, rates per half-year.
        var penalty: Int64?
        var indemnity: Int64?
        var rates: [String]?
    }

    var id: String
    var asOf: Int32
    var customerId: String
    var customerName: String
    var kind: String
    var language: String
    var email: String?
    var phone: String?
    var address: [String]
    var step: String
    var template: String
    var channel: String
    var currency: String
    var items: [Line]
    /// Every open invoice of the customer on the as-of date (the statement attached to e-mails).
    var statement: [Line]

    var isBusiness: Bool { kind != CustomerKind.consumer.rawValue }
    var day: Day { Day(ordinal: asOf) }
    var money: Currency { Currency(currency) ?? .eur }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> ReminderFacts {
        try JSONDecoder().decode(ReminderFacts.self, from: Data(text.utf8))
    }
}
