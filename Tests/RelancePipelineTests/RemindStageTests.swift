import Foundation
import Testing
import RelanceCommands
import RelanceCore
import RelanceFormats
import RelancePipeline
@testable import RelanceStore
import RelanceTestSupport

/// The reminder stage end to end: store → plan → batch folder, checked by independent tools
/// (Python's email parser, pdftotext), never twice, recovery after a crash, delivery feedback.
@Suite(.serialized) struct RemindStageTests {
    static let asOf = "2026-03-16"   // a Monday; every rate of 2026-H1 is in the shipped data

    static let config = """
    company:
      name: Ateliers Rhône-Saône SAS
      siren: "552100554"
      iban: FR7630006000011234567890189
      address: 3 quai Saint-Vincent, 69001 Lyon
      email: compta@rhone-saone.example
    reminders:
      place: Lyon
      signature: { name: Claire Martin, title: Responsable du recouvrement }
      mail: { from: relances@rhone-saone.example, domain: rhone-saone.example }
      blocked_customers: [C5]
      assignments: { C7: texto }
      good_payer: off
      scenarios:
        texto:
          steps:
            - { offset: 3, channels: [sms], template: first_reminder }

    """

    static let customers = """
    customer_id,name,email,phone,address,postal_code,city,country,language,kind
    C1,Dupont & Fils SARL,compta@dupont.example,+33 4 78 00 00 01,12 rue de la République,69002,Lyon,FR,fr,business
    C2,Éloïse Hénaut,,,8 allée des Tilleuls,35000,Rennes,FR,fr,consumer
    C3,Garage Moreau,garage@moreau.example,,1 route de Lyon,01000,Bourg-en-Bresse,FR,fr,business
    C4,Café Noël,cafe@noel.example,,2 place Bellecour,69002,Lyon,FR,fr,business
    C5,Bistrot Béranger,bistrot@beranger.example,,5 rue Pasteur,75011,Paris,FR,fr,business
    C6,Brasserie du Parc SAS,brasserie@parc.example,,14 place Bellecour,69002,Lyon,FR,fr,business
    C7,Boulangerie Lætitia,,06 12 34 56 78,9 rue de l'Église,31000,Toulouse,FR,fr,business
    C8,Transports Girard,tr@girard.example,+33 1 40 00 00 08,4 quai de la Seine,75019,Paris,FR,en,business

    """

    static let invoices = """
    invoice_number,customer_id,issue_date,due_date,currency,amount,type
    F-101,C1,2025-12-31,2026-01-30,EUR,1200.00,invoice
    F-201,C2,2026-01-15,2026-02-14,EUR,350.00,invoice
    F-301,C3,2026-02-11,2026-03-13,EUR,800.00,invoice
    F-401,C4,2026-02-11,2026-03-13,EUR,640.00,invoice
    F-501,C5,2026-02-11,2026-03-13,EUR,90.00,invoice
    F-601,C6,2026-02-11,2026-03-13,EUR,500.00,invoice
    F-602,C6,2026-02-19,2026-03-21,EUR,250.50,invoice
    F-701,C7,2026-02-11,2026-03-13,EUR,75.00,invoice
    F-801,C8,2025-12-16,2026-01-15,EUR,2400.00,invoice

    """

    static let payments = """
    payment_id,customer_id,date,amount,currency,reference,invoice_number
    P-1,C1,2026-02-15,200.00,EUR,VIR F-101,F-101

    """

    /// A home with the data ingested, a dispute on F-301 and a promise on F-401 (written with
    /// plain SQL: the disputes stage builds their API in parallel).
    static func home() throws -> TestHome {
        let home = try TestHome()
        try home.writeConfig(config)
        try home.drop("customers.csv", customers)
        try home.drop("invoices.csv", invoices)
        try home.drop("payments.csv", payments)
        let (status, _) = try home.run(asOf: "2026-03-14")
        #expect(status == .ok)
        let store = try home.store()
        try store.queue.write { db in
            let f301 = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE number = 'F-301'") ?? 0
            let f401 = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE number = 'F-401'") ?? 0
            try db.execute(sql: """
                INSERT INTO disputes (document_id, category, status, opened_on, opened_by) VALUES (?, 'quality', 'open', ?, 'test')
                """, arguments: [f301, Int(Day.parse("2026-03-14")!.ordinal)])
            try db.execute(sql: """
                INSERT INTO promises (document_id, promised_on, status, created_on, actor) VALUES (?, ?, 'open', ?, 'test')
                """, arguments: [f401, Int(Day.parse("2026-03-20")!.ordinal), Int(Day.parse("2026-03-14")!.ordinal)])
        }
        return home
    }

    @discardableResult
    static func remind(_ home: TestHome, asOf: String = asOf) throws -> (RelanceCommands.ExitStatus, RemindSummary?) {
        var out: RemindSummary?
        let status = StageRunner.execute(try home.options(asOf: asOf), actor: "test") { ctx, store, summary in
            summary.ingest = try IngestStage.run(ctx, store: store)
            summary.remind = try RemindStage.run(ctx, store: store)
            out = summary.remind
        }
        return (status, out)
    }

    static func preview(_ home: TestHome, asOf: String = asOf) throws -> ReminderPreview? {
        var out: ReminderPreview?
        _ = StageRunner.execute(try home.options(asOf: asOf), actor: "test") { ctx, store, _ in
            out = try RemindStage.preview(ctx, store: store)
        }
        return out
    }

    static func manifest(_ home: TestHome, _ asOf: String = asOf) throws -> [[String: String]] {
        let text = try String(contentsOf: home.outbox.appendingPathComponent("reminders/\(asOf)/manifest.csv"), encoding: .utf8)
        let lines = text.split(separator: "\r\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        return lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
        }
    }

    /// One RFC 4180 line's fields (quotes removed, doubled quotes undone).
    static func csvFields(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false, prev: Character = " "
        for ch in line {
            if ch == "\"" { if quoted { quoted = false } else { if prev == "\"" { cur.append("\"") }; quoted = true } }
            else if ch == "," && !quoted { out.append(cur); cur = "" }
            else { cur.append(ch) }
            prev = ch
        }
        out.append(cur)
        return out
    }

    static func bytes(_ home: TestHome, _ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: home.outbox.appendingPathComponent(relative)))
    }

    static func pdftotext(_ pdf: [UInt8]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("remind-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("in.pdf")
        try Data(pdf).write(to: file)
        let r = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/pdftotext"), ["-layout", file.path, "-"])
        #expect(r.status == 0)
        // pdftotext turns U+202F and U+00A0 into plain spaces; squeeze runs of spaces.
        return r.output.replacingOccurrences(of: " {2,}", with: " ", options: .regularExpression)
    }

    static var toolsAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") && ProcessRunner.python3 != nil
    }

    /// Reads an .eml with Python's `email` package (policy.default, the RFC 5322/MIME parser)
    /// and prints what it sees as JSON.
    static let emailParser = """
    import email, email.policy, json, sys, hashlib
    msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
    out = {k: str(msg[k]) for k in ['From', 'To', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'X-Relance-Reminder-Ids']}
    out['content_type'] = msg.get_content_type()
    parts = []
    for part in msg.walk():
        if part.is_multipart():
            parts.append(part.get_content_type()); continue
        body = part.get_payload(decode=True)
        parts.append(part.get_content_type())
        if part.get_content_type() == 'text/plain': out['text'] = body.decode(part.get_content_charset())
        if part.get_content_type() == 'text/html': out['html'] = body.decode(part.get_content_charset())
        if part.get_filename():
            out['attachment'] = part.get_filename()
            out['attachment_head'] = body[:5].decode('latin-1')
            open(sys.argv[2], 'wb').write(body)
    out['parts'] = parts
    out['defects'] = [str(d) for p in msg.walk() for d in p.defects]
    print(json.dumps(out))
    """

    static func parseEmail(_ eml: [UInt8]) throws -> (fields: [String: Any], attachment: [UInt8]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("remind-eml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(eml).write(to: dir.appendingPathComponent("m.eml"))
        try Data(emailParser.utf8).write(to: dir.appendingPathComponent("p.py"))
        let r = try ProcessRunner.run(try #require(ProcessRunner.python3),
                                      [dir.appendingPathComponent("p.py").path, dir.appendingPathComponent("m.eml").path,
                                       dir.appendingPathComponent("a.pdf").path])
        #expect(r.status == 0, "\(r.output)")
        let json = try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any] ?? [:]
        let attachment = (try? Data(contentsOf: dir.appendingPathComponent("a.pdf"))).map { [UInt8]($0) } ?? []
        return (json, attachment)
    }

    @Test(.enabled(if: toolsAvailable, "python3 or pdftotext absent (make deps): skipped"))
    func batchHoldsEveryChannelReadableByIndependentTools() throws {
        let home = try Self.home()
        let (status, summary) = try Self.remind(home)
        #expect(status == .ok)
        let s = try #require(summary)
        #expect(s.messages == [ReminderChannel.email: 1, .letter: 1, .registeredLetter: 1, .sms: 1, .call: 1])
        #expect(s.invoices == 6)

        let rows = try Self.manifest(home)
        let byCustomer = Dictionary(uniqueKeysWithValues: rows.map { ($0["customer_id"] ?? "", $0) })
        #expect(byCustomer.keys.sorted() == ["C1", "C2", "C6", "C7", "C8"])
        #expect(byCustomer["C1"]?["step"] == "D+45" && byCustomer["C1"]?["channel"] == "registered_letter")
        #expect(byCustomer["C2"]?["step"] == "D+30" && byCustomer["C2"]?["channel"] == "letter")
        #expect(byCustomer["C6"]?["invoices"] == "F-601|F-602")   // the D-5 courtesy rides in the D+3 e-mail
        #expect(byCustomer["C6"]?["amount"] == "750.50")
        #expect(byCustomer["C8"]?["channel"] == "call")
        for row in rows {
            let file = try #require(row["file"])
            if file.hasSuffix(".eml") || file.hasSuffix(".pdf") {
                let b = try Self.bytes(home, "reminders/\(Self.asOf)/\(file)")
                #expect(FileOps.sha256Hex(b) == row["sha256"], "digest of \(file)")
            }
        }

        // The e-mail, through Python's parser.
        let c6 = try #require(byCustomer["C6"])
        let (mail, statement) = try Self.parseEmail(try Self.bytes(home, "reminders/\(Self.asOf)/\(c6["file"]!)"))
        #expect(mail["defects"] as? [String] == [])
        #expect(mail["content_type"] as? String == "multipart/mixed")
        #expect((mail["parts"] as? [String])?.contains("multipart/alternative") == true)
        #expect(mail["Subject"] as? String == "Ateliers Rhône-Saône SAS – relance : 2 facture(s) échue(s)")
        #expect(mail["To"] as? String == "Brasserie du Parc SAS <brasserie@parc.example>")
        #expect(mail["Date"] as? String == "Mon, 16 Mar 2026 08:00:00 +0100")
        #expect(mail["Message-ID"] as? String == "<\(c6["reminder_id"]!)@rhone-saone.example>")
        #expect(mail["X-Relance-Reminder-Ids"] as? String == c6["reminder_id"])
        let text = try #require(mail["text"] as? String)
        #expect(text.contains("F-601 du 11/02/2026, échéance le 13/03/2026 (3 jours de retard) : 500,00\u{00A0}€"))
        #expect(text.contains("F-602"))
        #expect(text.contains("Total dû : 750,50\u{00A0}€"))
        #expect((mail["html"] as? String)?.contains("<p>") == true)
        #expect(mail["attachment"] as? String == "releve-C6.pdf")
        let statementText = try Self.pdftotext(statement)
        #expect(statementText.contains("Brasserie du Parc SAS"))
        #expect(statementText.contains("F-601") && statementText.contains("F-602") && statementText.contains("750,50"))

        // The formal notice: F-101, 1 200 € due 30 January, 200 € paid 15 February.
        // 31 Jan–15 Feb: 16 days on 1 200 €, 16 Feb–16 Mar: 29 days on 1 000 €, at 12.15 % (2026-H1):
        // (19 200 + 29 000) × 0.1215 / 365 = 16.0447 → 16.04 €; + 40 € → claim 1 056.04 €.
        let c1 = try #require(byCustomer["C1"])
        #expect(c1["amount"] == "1000.00")
        let notice = try Self.pdftotext(try Self.bytes(home, "reminders/\(Self.asOf)/\(c1["file"]!)"))
        for needle in ["Mise en demeure", "Lettre recommandée avec accusé de réception", "Dupont & Fils SARL", "F-101",
                       "1 056,04 €", "16,04 €", "40,00 €", "12,15 % (1er semestre 2026)", "1 000,00 €", "SIREN 552100554",
                       "Claire Martin", "24 mars 2026", "juridiction compétente"] {
            #expect(notice.contains(needle), "formal notice lacks \(needle)")
        }
        // The consumer's letter: no penalty talk, her address in the window.
        let c2 = try #require(byCustomer["C2"])
        let letter = try Self.pdftotext(try Self.bytes(home, "reminders/\(Self.asOf)/\(c2["file"]!)"))
        for needle in ["Éloïse Hénaut", "8 allée des Tilleuls", "35000 Rennes", "F-201", "350,00 €", "Relance – factures impayées"] {
            #expect(letter.contains(needle), "letter lacks \(needle)")
        }

        // SMS: E.164, GSM-7 within one message.
        let sms = try String(contentsOf: home.outbox.appendingPathComponent("reminders/\(Self.asOf)/sms.csv"), encoding: .utf8)
        let smsRow = Self.csvFields(String(try #require(sms.split(separator: "\r\n").dropFirst().first)))
        #expect(smsRow[1] == "C7" && smsRow[2] == "+33612345678", "\(smsRow)")
        #expect(smsRow[3] == "Ateliers Rhône-Saône SAS : 1 facture(s) impayee(s), total 75,00 EUR. Merci de regulariser. Ref C7")
        let measured = SMSText(smsRow[3])
        // "ô" is outside GSM-7: the whole text is UCS-2, limited to 70 characters, so this
        // 95-character text takes two segments and is flagged for the person who sends it.
        #expect(smsRow[4] == measured.encoding.rawValue && Int(smsRow[5]) == measured.units && Int(smsRow[6]) == measured.segments)
        #expect(measured.encoding == .ucs2 && measured.units == smsRow[3].count && measured.segments == 2 && smsRow[7] == "NO")
        // Calls: the English customer gets English talking points.
        let calls = try String(contentsOf: home.outbox.appendingPathComponent("reminders/\(Self.asOf)/calls.csv"), encoding: .utf8)
        #expect(calls.contains("Call Transports Girard (C8): EUR 2400.00 unpaid on 1 invoice(s)"))
    }

    @Test func holdsAreReportedWithTheirReasons() throws {
        let home = try Self.home()
        let p = try #require(try Self.preview(home))
        let reasons = Dictionary(uniqueKeysWithValues: p.plan.exclusions.map { ($0.documentNumber, $0.reason.code) })
        #expect(reasons == ["F-301": "disputed", "F-401": "promise", "F-501": "blocked"])
        let text = PlanCommand.render(p)
        #expect(text.contains("C4  F-401  D+3  promise: promise to pay by 2026-03-20, not yet due"))
        #expect(text.contains("To send: 5 message(s)"))
        #expect(home.files(in: "outbox/reminders").isEmpty, "plan writes nothing")
    }

    @Test func sameAsOfAgainAddsNothingAndNextDayRespectsTheInterval() throws {
        let home = try Self.home()
        try Self.remind(home)
        let first = try Self.manifest(home)
        let (status, again) = try Self.remind(home)
        #expect(status == .ok)
        #expect(again?.alreadyPublished == true)
        #expect(try Self.manifest(home) == first)
        #expect(try home.store().queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reminders") } == 5)
        // Next day: everyone reminded yesterday is within the 5-day interval; nothing else is due.
        let (_, next) = try Self.remind(home, asOf: "2026-03-17")
        #expect(next?.messages.isEmpty == true)
        #expect(home.files(in: "outbox/reminders/2026-03-17") == ["NOTES.txt", "manifest.csv"])
    }

    @Test func crashBetweenRecordAndPublishIsCompletedWithTheSameBytes() throws {
        let home = try Self.home()
        try Self.remind(home)
        let folder = home.outbox.appendingPathComponent("reminders/\(Self.asOf)")
        var before: [String: [UInt8]] = [:]
        for sub in ["", "email", "letters", "registered"] {
            for name in home.files(in: "outbox/reminders/\(Self.asOf)/\(sub)") where name.contains(".") {
                before[sub + "/" + name] = [UInt8](try Data(contentsOf: folder.appendingPathComponent(sub).appendingPathComponent(name)))
            }
        }
        // The crash: recorded, folder never renamed into place; meanwhile a payment arrives.
        try FileManager.default.removeItem(at: folder)
        try home.store().queue.write { db in try db.execute(sql: "UPDATE reminders SET status = 'recorded', published_at = NULL") }
        try home.drop("payments2.csv", "payment_id,customer_id,date,amount,currency,reference,invoice_number\nP-2,C6,2026-03-16,500.00,EUR,VIR,F-601\n")
        let (status, summary) = try Self.remind(home)
        #expect(status == .ok)
        #expect(summary?.recovered == true)
        #expect(summary?.notes.isEmpty == true, "re-rendered bytes identical to the recorded digests")
        for (path, bytes) in before {
            let again = [UInt8](try Data(contentsOf: folder.appendingPathComponent(path)))
            #expect(again == bytes, "\(path) differs after recovery")
        }
        #expect(try home.store().queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reminders WHERE status = 'published'")
        } == 5)
    }

    @Test func deliveryFeedbackUpdatesTheReminderAndKeepsTheProof() throws {
        let home = try Self.home()
        try Self.remind(home)
        let id = try #require(try Self.manifest(home).first { $0["customer_id"] == "C1" }?["reminder_id"])
        let proof = Array("%PDF-1.4 avis de reception\n%%EOF\n".utf8)
        try home.drop("ar-101.pdf", bytes: proof)
        try home.drop("feedback.csv", """
            reminder_id,event,date,provider_ref,proof_file
            \(id),deposited,2026-03-17,LR-42,
            \(id),acknowledged,2026-03-19,LR-42,ar-101.pdf
            R-unknown,delivered,2026-03-19,,

            """)
        let (status, _) = try home.run(asOf: "2026-03-20")
        #expect(status == .dataError)   // the unknown reminder's row is refused alone
        let state = try #require(try home.store().reminderStatus(id: id))
        #expect(state.status == "acknowledged")
        #expect(state.events.map(\.event) == ["deposited", "acknowledged"])
        #expect(state.events.last?.proofBytes == proof)
        #expect(home.archived().contains("ar-101.pdf"))
        let errors = try String(contentsOf: home.inbox.appendingPathComponent("rejected/feedback.csv.errors.txt"), encoding: .utf8)
        #expect(errors.contains("reminder_id: unknown reminder R-unknown"))
    }

    @Test func missingRateRefusesTheFormalNoticeNamingHalfYearAndFile() throws {
        let home = try TestHome()
        try home.writeConfig(Self.config)
        try home.drop("customers.csv", Self.customers)
        try home.drop("invoices.csv", "invoice_number,customer_id,issue_date,due_date,currency,amount,type\nF-9,C1,2026-07-01,2026-07-31,EUR,900.00,invoice\n")
        // 2026-09-14 (Monday) = D+45: the 2026-H2 ECB rate is not in the shipped data.
        let (status, summary) = try Self.remind(home, asOf: "2026-09-14")
        #expect(status == .dataError)
        let refusal = try #require(summary?.refusals.first)
        #expect(refusal.contains("2026-H2") && refusal.contains("ecb_mro_changes.csv"))
        #expect(summary?.messages.isEmpty == true)
        #expect(try home.store().queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reminders") } == 0)
    }

    @Test func unknownTemplateFieldStopsTheRunAtStart() throws {
        let home = try TestHome()
        try home.writeConfig(Self.config)
        let dir = home.root.appendingPathComponent("templates/fr")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("{{! part: subject }}\nRelance {{numero_client}}\n{{! part: text }}\nBonjour\n".utf8)
            .write(to: dir.appendingPathComponent("first_reminder.mustache"))
        let (status, _) = try Self.remind(home)
        #expect(status == .usage)
        #expect(throws: ConfigError.self) {
            _ = try RelanceConfig.load(path: home.root.appendingPathComponent("relance.yaml").path, required: true)
        }
        do {
            _ = try RelanceConfig.load(path: home.root.appendingPathComponent("relance.yaml").path, required: true)
        } catch {
            #expect(error.description.contains("first_reminder.mustache"))
            #expect(error.description.contains("unknown field `numero_client`"))
        }
    }

    @Test func builtInTemplatesPassValidationAndRenderEveryField() throws {
        let settings = ReminderSettings()
        #expect(settings.templates.sources.count == 12)   // 6 templates × fr, en
        let config = try RelanceConfig.parse("reminders:\n  language: en\n  calendar: alsace-moselle\n")
        #expect(config.reminders.language == "en")
        #expect(config.reminders.region == .alsaceMoselle)
        #expect(throws: ConfigError.self) { _ = try RelanceConfig.parse("reminders:\n  scenarios:\n    x:\n      steps:\n        - { offset: 3, channels: [fax], template: first_reminder }\n") }
        #expect(throws: ConfigError.self) { _ = try RelanceConfig.parse("reminders:\n  default_scenario: nope\n") }
        #expect(throws: ConfigError.self) { _ = try RelanceConfig.parse("reminders:\n  scenarios:\n    x:\n      steps:\n        - { offset: 3, channels: [sms], template: formal_notice }\n") }
    }
}
