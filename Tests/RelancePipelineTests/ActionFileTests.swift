import Foundation
import Testing
import RelanceCommands
import RelanceCore
import RelanceFormats
import RelancePipeline
import RelanceStore
import RelanceTestSupport

/// A handler for these tests only: `note` journals a comment on a known invoice, `explode`
/// fails with an error that is not a refusal, `delivery` claims its proof file.
private struct NoteHandler: ActionHandler {
    struct Boom: Error {}
    var actions: [String] { ["note", "explode", "delivery"] }

    func claimedFiles(_ row: ActionRow) -> [String] { row["proof_file"].map { [$0] } ?? [] }

    func apply(_ row: ActionRow, context: ActionContext) throws -> String {
        if row.action == "explode" { throw Boom() }
        if row.action == "delivery" {
            let proof = try row.required("proof_file")
            guard FileManager.default.fileExists(atPath: context.folder.appendingPathComponent(proof).path) else {
                throw ActionRefusal("no file \(proof) beside the feedback file", field: "proof_file")
            }
            try context.transaction.appendEvent(kind: "test.delivery", subjectType: "reminder", subjectId: try row.required("reminder_id"), detail: proof)
            return "proof \(proof)"
        }
        let number = try row.required("invoice_number")
        try context.transaction.appendEvent(kind: "test.note", subjectType: "document", subjectId: number, detail: row["comment"])
        guard try context.transaction.documentId(number: number) != nil else {
            throw ActionRefusal("unknown invoice \(number)", field: "invoice_number")
        }
        return "noted \(number)"
    }
}

@Suite struct ActionFileTests {
    let registry = ActionRegistry([NoteHandler()])
    let invoices = """
    invoice_number,customer_id,issue_date,due_date,currency,amount,type
    F-1,C1,2026-09-01,2026-10-01,EUR,1200.00,invoice

    """

    func run(_ home: TestHome) throws -> (RelanceCommands.ExitStatus, IngestReport?) {
        var report: IngestReport?
        let status = StageRunner.execute(try home.options(), actor: "test") { ctx, store, summary in
            summary.ingest = try IngestStage.run(ctx, store: store, registry: registry)
            report = summary.ingest
        }
        return (status, report)
    }

    @Test func recognisesActionAndFeedbackHeadersOnly() {
        #expect(ActionFileReader.recognise(Array("Action;N° facture\nnote;F-1\n".utf8)) == .actions)
        #expect(ActionFileReader.recognise(Array("\u{FEFF}reminder_id,event,date\n".utf8)) == .deliveryFeedback)
        #expect(ActionFileReader.recognise(Array("invoice_number,customer_id,amount\n".utf8)) == nil)
        #expect(ActionFile.key(" Payment ID ") == "payment_id")
        #expect(ActionFile.key("N° facture") == "n_facture")
    }

    @Test func refusedRowIsUndoneAloneAndCopiedAsideWithItsReason() throws {
        let home = try TestHome()
        try home.drop("invoices.csv", invoices)
        // The action file sorts first: it must still be applied after the invoices it names.
        try home.drop("a-actions.csv", "action;invoice_number;comment\nnote;F-1;appelé le client\nNote;F-404;inconnue\n\nnote;F-1;\"relancé; sans réponse\"\n")
        let (status, report) = try run(home)
        #expect(status == .dataError)
        let file = try #require(report?.files.first { $0.name == "a-actions.csv" })
        #expect(file.records == 2)
        #expect(file.refusedRows == ["a-actions.csv:3: invoice_number: unknown invoice F-404"])
        let notes = try home.store().events(kind: "test.note")
        #expect(notes.map(\.subjectId) == [Optional("F-1"), Optional("F-1")])  // the refused row's event was rolled back
        #expect(home.files(in: "inbox/rejected") == ["a-actions.csv", "a-actions.csv.errors.txt"])
        let copy = try String(contentsOf: home.inbox.appendingPathComponent("rejected/a-actions.csv"), encoding: .utf8)
        #expect(copy == "action,invoice_number,comment\r\nNote,F-404,inconnue\r\n")
        #expect(home.archived() == ["a-actions.csv", "invoices.csv"])

        // The same bytes again: nothing new.
        try home.drop("a-actions.csv", "action;invoice_number;comment\nnote;F-1;appelé le client\nNote;F-404;inconnue\n\nnote;F-1;\"relancé; sans réponse\"\n")
        let (again, report2) = try run(home)
        #expect(again == .ok)
        #expect(report2?.files.map { $0.outcome } == [FileReport.Outcome.alreadyIngested])
        #expect(try home.store().events(kind: "test.note").count == 2)
    }

    @Test func unexpectedFailureLeavesTheWholeFileUnapplied() throws {
        let home = try TestHome()
        try home.drop("invoices.csv", invoices)
        try home.drop("z.csv", "action,invoice_number\nnote,F-1\nexplode,F-1\n")
        let (status, _) = try run(home)
        #expect(status == .failure)
        #expect(try home.store().events(kind: "test.note").isEmpty)
        #expect(home.files(in: "inbox").contains("z.csv"))
    }

    @Test func unknownActionAndMalformedFile() throws {
        let home = try TestHome()
        try home.drop("x.csv", "action,invoice_number\nfrobnicate,F-1\n")
        try home.drop("y.csv", "action,invoice_number\nnote,F-1,extra\n")
        let (status, report) = try run(home)
        #expect(status == .dataError)
        #expect(report?.files.first { $0.name == "x.csv" }?.refusedRows.first?.contains("unknown action \"frobnicate\" (known: delivery, explode, note)") == true)
        let y = try #require(report?.files.first { $0.name == "y.csv" })
        #expect(y.outcome == FileReport.Outcome.rejected)
        #expect(y.issues == ["y.csv:2: 3 fields, the header has 2"])
    }

    @Test func feedbackFileTakesItsProofAlongInsteadOfIngestingIt() throws {
        let home = try TestHome()
        try home.drop("ar-123.pdf", bytes: Array("%PDF-1.4\n%%EOF\n".utf8))
        try home.drop("feedback.csv", "reminder_id,event,date,provider_ref,proof_file\nR1,acknowledged,2026-11-19,LR42,ar-123.pdf\n")
        let (status, report) = try run(home)
        #expect(status == .ok)
        #expect(report?.files.map { $0.name } == ["feedback.csv"])
        #expect(home.archived() == ["ar-123.pdf", "feedback.csv"])
        #expect(try home.store().events(kind: "test.delivery").first?.detail == "ar-123.pdf")
    }

    @Test func commandLineDoorUsesTheSameHandler() throws {
        let home = try TestHome()
        try home.drop("invoices.csv", invoices)
        _ = try run(home)
        let store = try home.store()
        let ctx = RunContext(home: RelanceHome(home: home.root.path), config: RelanceConfig(), asOf: Day.parse("2026-11-20")!, actor: "marie")
        let ok = try ActionStage.applyOne(ActionRow(line: 0, action: "note", fields: ["invoice_number": "F-1"]), ctx: ctx, store: store, registry: registry)
        #expect(ok == .applied("noted F-1"))
        let refused = try ActionStage.applyOne(ActionRow(line: 0, action: "note", fields: [:]), ctx: ctx, store: store, registry: registry)
        #expect(refused == .refused(ActionRefusal("missing (the action `note` needs it)", field: "invoice_number")))
        #expect(try store.events(kind: "test.note").map(\.actor) == ["marie"])
    }
}
