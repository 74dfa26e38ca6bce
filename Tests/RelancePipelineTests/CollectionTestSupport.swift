import ArgumentParser
import Foundation
import GRDB
import RelanceCommands
import RelanceCore
import RelanceFormats
import RelancePipeline
@testable import RelanceStore
import RelanceTestSupport

/// A Relance home with two business customers (C1 in France, C2 in Germany), a consumer (C3),
/// their invoices ingested, and a partners directory, for the dispute, litigation and dossier
/// tests. Decisions go through the same doors as in production: `ActionStage.applyOne`, the
/// command types, and action files dropped in the inbox.
final class CollectionHome {
    let home: TestHome
    static let asOf = "2026-11-20"

    static let config = """
    company:
      name: Maison Test SAS
      siren: "732829320"
      vat_number: FR44732829320
      email: recouvrement@maison-test.example
    currency: EUR
    reports:
      csv_dialect: rfc4180
    partners:
      - { id: cabinet-martin, name: "Cabinet Martin, avocats", email: contentieux@martin.example, kind: lawyer }
      - { id: etude-roux, name: "Étude Roux", email: actes@roux.example, kind: commissaire_de_justice }
    litigation:
      transmittal_max_bytes: 10000000
    """

    static let customers = """
    customer_id,name,siren,vat_number,email,phone,address,postal_code,city,country,language,kind
    C1,Brasserie du Parc SARL,895165785,FR84895165785,compta@parc.example,+33 4 78 59 47 37,14 place Bellecour,69002,Lyon,FR,fr,business
    C2,Müller GmbH,,DE811907980,buchhaltung@mueller.example,,Hauptstraße 5,10115,Berlin,DE,en,business
    C3,Jeanne Martin,,,jeanne@example.org,,2 rue Neuve,69001,Lyon,FR,fr,consumer

    """

    /// F-1: due 2026-05-31, delivered 2026-04-28; F-2 no delivery date; F-3 not yet due on as-of;
    /// F-5 for C2 above €10,000; F-7 for the consumer.
    static let invoices = """
    invoice_number,customer_id,issue_date,due_date,delivery_date,currency,amount,type,original_invoice
    F-1,C1,2026-05-01,2026-05-31,2026-04-28,EUR,1200.00,invoice,
    F-2,C1,2026-06-01,2026-07-01,,EUR,800.00,invoice,
    F-3,C1,2026-11-01,2026-12-01,2026-10-30,EUR,300.00,invoice,
    AV-1,C1,2026-06-15,,,EUR,100.00,credit_note,F-2
    F-5,C2,2026-08-01,2026-08-31,2026-07-30,EUR,15000.00,invoice,
    F-7,C3,2026-08-01,2026-08-31,2026-08-01,EUR,450.00,invoice,

    """

    init() throws {
        home = try TestHome()
        try home.writeConfig(Self.config)
        try home.drop("customers.csv", Self.customers)
        try home.drop("invoices.csv", Self.invoices)
        let (status, _) = try home.run(asOf: Self.asOf)
        guard status == .ok else { throw CollectionTestError("setup ingest ended with \(status)") }
    }

    func context(asOf: String = asOf, actor: String = "test") throws -> RunContext {
        let h = RelanceHome(home: home.root.path)
        return RunContext(home: h, config: try RelanceConfig.load(path: h.config.path, required: true), asOf: Day.parse(asOf)!, actor: actor)
    }

    /// Applies one decision through the command-line door.
    @discardableResult
    func act(_ action: String, _ fields: [String: String], asOf: String = asOf) throws -> ActionStage.RowOutcome {
        try ActionStage.applyOne(ActionRow(line: 0, action: action, fields: fields), ctx: try context(asOf: asOf), store: try home.store())
    }

    /// Runs a command type as the binary would and returns its exit status.
    func command<C: ParsableCommand>(_ type: C.Type, _ args: [String], asOf: String = asOf) -> Int32 {
        do {
            var c = try type.parseAsRoot(args + ["--home", home.root.path, "--as-of", asOf])
            try c.run()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            return type.exitCode(for: error).rawValue
        }
    }

    /// `relance run` (ingest, maintenance, dossiers, tasks, reports, litigation exports).
    func run(asOf: String = asOf) -> Int32 { command(RelanceCommand.self, ["run"], asOf: asOf) }

    func sql<T: DatabaseValueConvertible>(_ query: String, _ args: StatementArguments = []) throws -> T? {
        try home.store().queue.read { db in try T.fetchOne(db, sql: query, arguments: args) }
    }

    func execute(_ query: String, _ args: StatementArguments = []) throws {
        try home.store().queue.write { db in try db.execute(sql: query, arguments: args) }
    }

    func text(_ relative: String) throws -> String {
        try String(contentsOf: home.root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// The rows of a CSV written in the rfc4180 dialect (no quoted commas in these tests).
    func csvRows(_ relative: String) throws -> [[String]] {
        try text(relative).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func collectionStatus(_ number: String) throws -> Int64? {
        try sql("SELECT collection_status FROM documents WHERE number = ?", [number])
    }
}

struct CollectionTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

extension ActionStage.RowOutcome {
    var refusal: ActionRefusal? { if case let .refused(r) = self { return r } else { return nil } }
    var isApplied: Bool { if case .applied = self { return true } else { return false } }
}
