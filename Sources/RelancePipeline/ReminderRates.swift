import Foundation
import RelanceCore

/// The ECB and legal-interest tables the formal notices use: the shipped files
/// (Resources/legal/), or files of the same names in `legal/` next to `relance.yaml`, which a
/// user updates when a new half-year's rate is published (the shipped ones name their source
/// and verification date; a half-year beyond it is refused, never extrapolated).
enum ReminderRates {
    static func load(configPath: String) throws -> RateTables {
        let folder = (configPath as NSString).deletingLastPathComponent
        func text(_ name: String) throws -> String {
            let local = (folder.isEmpty ? "." : folder) + "/legal/" + name
            if FileManager.default.fileExists(atPath: local) { return try String(contentsOfFile: local, encoding: .utf8) }
            guard let url = resource("legal/\(name)") else {
                throw StageError("the shipped rate file \(name) is missing from the installation")
            }
            return try String(contentsOf: url, encoding: .utf8)
        }
        return try RateTables.parse(ecb: try text(RateTables.ecbFileName), legal: try text(RateTables.legalInterestFileName))
    }

    /// A file of the pipeline's copied `Resources` folder. Foundation's `resourceURL` points at
    /// the bundle itself on some platforms and at its `Resources/` on others: try both.
    static func resource(_ relative: String) -> URL? {
        let bases = [Bundle.module.resourceURL, Bundle.module.bundleURL].compactMap { $0 }
        for base in bases {
            for candidate in [base.appendingPathComponent(relative), base.appendingPathComponent("Resources/" + relative)]
            where FileManager.default.fileExists(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }
}
