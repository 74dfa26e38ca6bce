import Foundation
import RelanceCore
import RelanceTestSupport

/// The shipped rate datasets, read in place from the pipeline's resources, and small helpers
/// shared by the legal tests.
enum LegalTestData {
    static let folder = Fixtures.packageRoot.appendingPathComponent("Sources/RelancePipeline/Resources/legal")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// Parsed once: every legal test runs against the files as shipped.
    static let tables: Result<RateTables, any Error> = Result {
        try RateTables.parse(ecb: try text(RateTables.ecbFileName), legal: try text(RateTables.legalInterestFileName))
    }

    static func rates() throws -> RateTables { try tables.get() }
}

/// `ymd("2024-03-15")`: test dates are literals, so a typo is a test bug worth a crash.
func ymd(_ iso: String) -> Day {
    guard let d = Day.parse(iso) else { fatalError("bad test date \(iso)") }
    return d
}

func eurCents(_ cents: Int64) -> Money { Money(minor: cents, currency: .eur) }
