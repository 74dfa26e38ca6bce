import ArgumentParser
import Foundation
import RelanceFormats
import RelancePipeline
import RelanceStore

/// The command-line door of the collection actions: builds the same `ActionRow` an action file
/// would hold and applies it through `ActionStage.applyOne`, so both doors check, apply and
/// journal identically. A refused decision prints its reason and exits 65.
enum CollectionCommandDoor {
    /// Who decides: `RELANCE_ACTOR`, else the login name, for the journal.
    static var person: String {
        let env = ProcessInfo.processInfo.environment
        return env["RELANCE_ACTOR"] ?? env["USER"] ?? env["LOGNAME"] ?? "relance"
    }

    static func apply(_ options: StageOptions, action: String, fields: [String: String?],
                      then: ((RunContext, Store, inout CollectionSummary) throws -> Void)? = nil) throws -> Never {
        try StageRunner.run(options, actor: person) { ctx, store, summary in
            var c = CollectionSummary()
            var clean: [String: String] = [:]
            for (k, v) in fields {
                if let t = v?.trimmingCharacters(in: .whitespaces), !t.isEmpty { clean[k] = t }
            }
            switch try ActionStage.applyOne(ActionRow(line: 0, action: action, fields: clean), ctx: ctx, store: store) {
            case let .applied(message):
                c.applied.append(message)
                FileHandle.standardOutput.write(Data("\(message)\n".utf8))
                try then?(ctx, store, &c)
            case let .refused(refusal):
                c.refused.append("\(action): \(refusal)")
            }
            summary.collection = c
        }
    }
}
