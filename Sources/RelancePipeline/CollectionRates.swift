import Foundation
import RelanceCore

/// The ECB and legal-interest tables shipped in `Resources/legal/`, loaded once per process
/// for the penalties of the litigation dossiers.
public enum CollectionRates {
    public static func load() throws -> RateTables {
        guard let dir = Bundle.module.url(forResource: "legal", withExtension: nil, subdirectory: "Resources")
                ?? Bundle.module.resourceURL?.appendingPathComponent("Resources/legal") else {
            throw FileOpsError(message: "the rate tables (Resources/legal) are missing from the build")
        }
        let ecb = try String(contentsOf: dir.appendingPathComponent(RateTables.ecbFileName), encoding: .utf8)
        let legal = try String(contentsOf: dir.appendingPathComponent(RateTables.legalInterestFileName), encoding: .utf8)
        return try RateTables.parse(ecb: ecb, legal: legal)
    }
}
