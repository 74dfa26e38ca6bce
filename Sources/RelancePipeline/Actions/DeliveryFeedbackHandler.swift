import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore

/// Applies delivery feedback (`reminder_id, event, date, provider_ref, proof_file`): the
/// mailer's or registered-letter provider's report that a reminder was delivered, bounced,
/// deposited at the post office, or acknowledged by the recipient ("avis de réception").
///
/// The reminder's status follows the event, and the event is kept in `delivery_events` with
/// the proof's bytes (the signed acknowledgement, the provider's deposit receipt), so that the
/// litigation dossier can show them even after the inbox is archived. The proof file lies
/// beside the feedback file in the inbox; it is claimed (kept out of the data ingest) and
/// archived with it.
public struct DeliveryFeedbackHandler: ActionHandler {
    public init() {}

    public var actions: [String] { ["delivery"] }

    public func claimedFiles(_ row: ActionRow) -> [String] { row["proof_file"].map { [$0] } ?? [] }

    public func apply(_ row: ActionRow, context: ActionContext) throws -> String {
        let id = try row.required("reminder_id")
        let event = try row.required("event").lowercased()
        guard let date = try row.day("date") else { throw ActionRefusal("missing (the action `delivery` needs it)", field: "date") }
        var proofBytes: [UInt8]?
        let proofName = row["proof_file"]
        if let proofName {
            guard !proofName.contains("/"), !proofName.hasPrefix(".") else {
                throw ActionRefusal("\"\(proofName)\" must be a plain file name beside the feedback file", field: "proof_file")
            }
            let url = context.folder.appendingPathComponent(proofName)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw ActionRefusal("no file \(proofName) beside the feedback file", field: "proof_file")
            }
            proofBytes = [UInt8](data)
        }
        do {
            return try context.transaction.recordDelivery(reminderId: id, event: event, date: date, providerRef: row["provider_ref"],
                                                          proofName: proofName, proof: proofBytes)
        } catch let refusal as StoreTransaction.DeliveryRefusal {
            switch refusal {
            case let .unknownReminder(r): throw ActionRefusal("unknown reminder \(r)", field: "reminder_id")
            case let .unknownEvent(e): throw ActionRefusal("\"\(e)\" is not one of delivered, bounced, deposited, acknowledged", field: "event")
            }
        }
    }
}
