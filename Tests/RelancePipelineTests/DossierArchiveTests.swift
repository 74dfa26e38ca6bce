import Foundation
import Testing
import RelanceCommands
import RelanceCore
import RelanceFormats
import RelancePipeline
@testable import RelanceStore
import RelanceTestSupport

/// Dossiers opened by tools that share no code with Relance: Info-ZIP `unzip`, Python's
/// `zipfile`, `email` and openpyxl, poppler's `pdftotext`, 7-Zip and bsdtar for the encrypted one.
@Suite(.serialized) struct DossierArchiveTests {
    static let tools = ["unzip", "pdftotext", "7z", "bsdtar"].allSatisfy { Self.which($0) != nil } && ProcessRunner.python3 != nil
    static func which(_ name: String) -> URL? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return URL(fileURLWithPath: p) }
        }
        return nil
    }

    static let reminderEML = Array("From: recouvrement@maison-test.example\r\nTo: compta@parc.example\r\nSubject: Relance F-1 F-2\r\n\r\nBonjour, ...\r\n".utf8)
    static let invoicePDF = InvoicePDFBuilder.pdf()
    static let proof = Array("%PDF-1.4 preuve de dépôt LRE 2026-10-16".utf8)

    /// C1 with an invoice PDF, a credit note PDF, one reminder whose file is in the outbox
    /// (with a delivery proof) and one whose file is gone; then the case opened by command.
    func prepared() throws -> CollectionHome {
        let h = try CollectionHome()
        let store = try h.home.store()
        try store.queue.write { db in
            try db.execute(sql: "INSERT INTO attachments (document_number, file_name, media_type, sha256, content) VALUES (?, ?, 'application/pdf', ?, ?)",
                           arguments: ["F-1", "F-1.pdf", FileOps.sha256Hex(Self.invoicePDF), Data(Self.invoicePDF)])
            try db.execute(sql: "INSERT INTO attachments (document_number, file_name, media_type, sha256, content) VALUES (?, ?, 'application/pdf', ?, ?)",
                           arguments: ["AV-1", "avoir AV-1.pdf", FileOps.sha256Hex(Self.proof), Data(Self.proof)])
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM documents WHERE number IN ('F-1', 'F-2') ORDER BY number")
            try db.execute(sql: """
                INSERT INTO reminders (id, as_of, customer_id, step, channel, amount, currency, file, sha256, status, created_at)
                VALUES ('R1', ?, 'C1', 'formal_notice', 'email', 190000, 'EUR', 'reminders/2026-10-15/email/R1.eml', ?, 'acknowledged', '2026-10-15T09:00:00'),
                       ('R0', ?, 'C1', 'first', 'email', 120000, 'EUR', 'reminders/2026-09-01/email/R0.eml', 'deadbeef', 'published', '2026-09-01T09:00:00')
                """, arguments: [Day.parse("2026-10-15")!.ordinal, FileOps.sha256Hex(Self.reminderEML), Day.parse("2026-09-01")!.ordinal])
            for id in ids {
                try db.execute(sql: "INSERT INTO reminder_items VALUES ('R1', ?, 'formal_notice', 'email', 100, 20)", arguments: [id])
            }
            try db.execute(sql: "INSERT INTO reminder_items VALUES ('R0', ?, 'first', 'email', 100, 5)", arguments: [ids[0]])
            try db.execute(sql: """
                INSERT INTO delivery_events (reminder_id, event, date, provider_ref, proof_name, proof_sha256, proof_content, recorded_at)
                VALUES ('R1', 'acknowledged', ?, 'LRE-42', 'ar.pdf', ?, ?, '2026-10-17T10:00:00')
                """, arguments: [Day.parse("2026-10-16")!.ordinal, FileOps.sha256Hex(Self.proof), Data(Self.proof)])
        }
        try FileOps.writeAtomically(Self.reminderEML, to: h.home.outbox.appendingPathComponent("reminders/2026-10-15/email/R1.eml"))
        #expect(h.command(LitigationCommand.self, ["open", "C1", "--invoices", "F-1,F-2", "--partner", "cabinet-martin", "--comment", "mise en demeure sans effet"]) == 0)
        return h
    }

    func python(_ script: String, _ args: [String]) throws -> String {
        let py = try #require(ProcessRunner.python3)
        let r = try ProcessRunner.run(py, ["-c", script] + args)
        #expect(r.status == 0, "python: \(r.output)")
        return r.output
    }

    @Test(.enabled(if: DossierArchiveTests.tools, "needs unzip, pdftotext, 7z, bsdtar and python3 with openpyxl"))
    func plainDossierCheckedByIndependentTools() throws {
        let h = try prepared()
        let folder = h.home.outbox.appendingPathComponent("dossiers/\(CollectionHome.asOf)")
        #expect(h.home.files(in: "outbox/dossiers/\(CollectionHome.asOf)") == ["C1-L20261120-1.eml", "C1-L20261120-1.zip"])
        let zip = folder.appendingPathComponent("C1-L20261120-1.zip")

        let test = try ProcessRunner.run(try #require(Self.which("unzip")), ["-t", zip.path])
        #expect(test.status == 0 && test.output.contains("No errors detected"))

        // zipfile: every entry's SHA-256 equals index.csv's, which lists every other entry.
        let listing = try python("""
        import sys, zipfile, hashlib, csv, io
        z = zipfile.ZipFile(sys.argv[1])
        names = z.namelist()
        rows = list(csv.reader(io.StringIO(z.read('index.csv').decode('utf-8'))))
        assert rows[0] == ['entry', 'sha256', 'size', 'description'], rows[0]
        idx = {r[0]: (r[1], int(r[2])) for r in rows[1:]}
        assert sorted(idx) == sorted(n for n in names if n != 'index.csv'), (sorted(idx), names)
        for n, (digest, size) in idx.items():
            data = z.read(n)
            assert hashlib.sha256(data).hexdigest() == digest and len(data) == size, n
        print('\\n'.join(sorted(names)))
        """, [zip.path])
        #expect(listing.split(separator: "\n").map(String.init) == [
            "avoirs/AV-1/avoir AV-1.pdf", "creances.xlsx", "factures/F-1/F-1.pdf", "index.csv",
            "preuves/distribution/R1-acknowledged-2026-10-16-ar.pdf", "preuves/relances/2026-10-15-formal_notice-email-R1.eml", "synthese.pdf",
        ])
        // The exact bytes of the reminder, the invoice PDF and the proof.
        let bytes = try python("""
        import sys, zipfile, hashlib
        z = zipfile.ZipFile(sys.argv[1])
        for n in ['preuves/relances/2026-10-15-formal_notice-email-R1.eml', 'factures/F-1/F-1.pdf', 'preuves/distribution/R1-acknowledged-2026-10-16-ar.pdf']:
            print(hashlib.sha256(z.read(n)).hexdigest())
        """, [zip.path])
        #expect(bytes.split(separator: "\n").map(String.init) == [FileOps.sha256Hex(Self.reminderEML), FileOps.sha256Hex(Self.invoicePDF), FileOps.sha256Hex(Self.proof)])

        // openpyxl: the claim against the store; penalty of F-1 by hand: 1200 × 12.15 % × 30 / 365
        // (1–30 June 2026; the ECB rate of 2026-H2 is not verified, so accrual stops on 30 June).
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        #expect(try ProcessRunner.run(try #require(Self.which("unzip")), ["-q", zip.path, "-d", tmp.path]).status == 0)
        let sheets = try python("""
        import sys, openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        print(wb.sheetnames)
        ws = wb['Créances']
        for r in ws.iter_rows(min_row=2, values_only=True):
            print(r[0], r[5], r[6], r[7], r[9], r[10], r[11], r[13], r[14].date() if r[14] else None, r[15])
        d = dict(wb['Débiteur'].iter_rows(min_row=2, values_only=True))
        print(d['SIREN'], d['N° TVA intracommunautaire'], d['Ville'], d['Qualité'])
        h = [r for r in wb['Historique'].iter_rows(min_row=2, values_only=True)]
        print(sum(1 for r in h if r[1] == 'relance'), sum(1 for r in h if r[1] == 'preuve de distribution'), [r[6] for r in h if r[3] == 'R1'][0])
        """, [tmp.appendingPathComponent("creances.xlsx").path])
        let lines = sheets.split(separator: "\n").map(String.init)
        let r1sha = FileOps.sha256Hex(Self.reminderEML)
        #expect(lines == [
            "['Créances', 'Débiteur', 'Historique']",
            "F-1 1200 0 0 1200 173 11.98 40 2031-04-28 non",
            "F-2 800 0 100 700 142 None 40 2031-06-01 oui",
            "Total EUR 2000 0 100 1900 None 11.98 80 None None",
            "895165785 FR84895165785 Lyon professionnel",
            "2 1 \(r1sha)",
        ])

        let pdf = try ProcessRunner.run(try #require(Self.which("pdftotext")), [tmp.appendingPathComponent("synthese.pdf").path, "-"])
        let text = pdf.output.replacingOccurrences(of: "\n", with: " ")
        #expect(text.contains("Synthèse du dossier de contentieux L20261120-1"))
        #expect(text.contains("petites créances"))                 // 1 900 € + penalties ≤ 5 000 €
        #expect(text.contains("Avocat obligatoire : non"))
        #expect(text.contains("28/04/2031"))
        #expect(text.contains("R0") && text.contains("absent de l'outbox"))

        // The transmittal, read by Python's email package: to the partner, the archive attached.
        let mail = try python("""
        import sys, email, email.policy, hashlib
        m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
        print(m['To'])
        print(m['X-Relance-Case'])
        for part in m.iter_attachments():
            print(part.get_filename(), hashlib.sha256(part.get_content()).hexdigest())
        """, [folder.appendingPathComponent("C1-L20261120-1.eml").path])
        let zipSHA = FileOps.sha256Hex(try FileOps.readBytes(zip))
        #expect(mail.split(separator: "\n").map(String.init) == ["\"Cabinet Martin, avocats\" <contentieux@martin.example>", "L20261120-1",
                                                                 "C1-L20261120-1.zip \(zipSHA)"])
        let journal = try h.home.store().events(kind: "litigation.dossier")
        #expect(journal.map(\.detail) == ["dossiers/2026-11-20/C1-L20261120-1.zip sha256 \(zipSHA)"])
        // `relance run` does not rebuild a dossier that exists; `relance dossier C1` does, with the same bytes.
        #expect(h.run() == 0)
        #expect(try h.home.store().events(kind: "litigation.dossier").count == 1)
        #expect(h.command(DossierCommand.self, ["C1"]) == 0)
        #expect(FileOps.sha256Hex(try FileOps.readBytes(zip)) == zipSHA)
        #expect(h.command(DossierCommand.self, ["C3"]) == 65)
    }

    @Test(.enabled(if: DossierArchiveTests.tools, "needs unzip, pdftotext, 7z, bsdtar and python3 with openpyxl"))
    func encryptedDossierOpensWith7ZipAndBsdtarOnly() throws {
        let h = try prepared()
        let plainIndex = try python("import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('index.csv').decode())",
                                    [h.home.outbox.appendingPathComponent("dossiers/\(CollectionHome.asOf)/C1-L20261120-1.zip").path])
        let out = try DossierStage.run(try h.context(), store: try h.home.store(), customerId: "C1", passphrase: "mot de passe é")
        let zip = try #require(out.first).archive
        #expect(out.first?.encrypted == true)
        for (tool, args) in [("7z", ["x", "-pmot de passe é", "-o%@", zip.path]), ("bsdtar", ["-xf", zip.path, "--passphrase", "mot de passe é", "-C", "%@"])] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("enc-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let a = args.map { $0 == "-o%@" ? "-o" + dir.path : ($0 == "%@" ? dir.path : $0) }
            let r = try ProcessRunner.run(try #require(Self.which(tool)), a)
            #expect(r.status == 0, "\(tool): \(r.output)")
            let index = try String(contentsOf: dir.appendingPathComponent("index.csv"), encoding: .utf8)
            #expect(index == plainIndex, "\(tool)")
            #expect(try FileOps.readBytes(dir.appendingPathComponent("factures/F-1/F-1.pdf")) == Self.invoicePDF)
        }
        // A wrong passphrase, and tools without AES support, get nothing.
        let wrong = try ProcessRunner.run(try #require(Self.which("7z")), ["t", "-pwrong", zip.path])
        #expect(wrong.status != 0)
        let py = try ProcessRunner.run(try #require(ProcessRunner.python3),
                                       ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).read('index.csv')", zip.path])
        #expect(py.status != 0)
        let mail = try String(contentsOf: try #require(out.first).transmittal, encoding: .utf8)
        #expect(mail.contains("Content-Type: application/zip"))
    }

    @Test func aboveTheSizeLimitTheTransmittalSaysWhereTheArchiveLies() throws {
        let h = try prepared()
        try h.home.writeConfig(CollectionHome.config.replacingOccurrences(of: "transmittal_max_bytes: 10000000", with: "transmittal_max_bytes: 1000"))
        let out = try #require(try DossierStage.run(try h.context(), store: try h.home.store(), customerId: "C1", passphrase: nil).first)
        #expect(out.attached == false)
        let mail = try String(contentsOf: out.transmittal, encoding: .utf8)
        #expect(!mail.contains("application/zip"))
        #expect(mail.contains("outbox/dossiers/2026-11-20/C1-L20261120-1.zip"))
    }

    @Test func hostileAttachmentNamesBecomeSafeEntries() throws {
        let h = try CollectionHome()
        try h.execute("INSERT INTO attachments (document_number, file_name, media_type, sha256, content) VALUES ('F-5', '..', 'application/pdf', 'a', x'25504446')")
        try h.execute("INSERT INTO attachments (document_number, file_name, media_type, sha256, content) VALUES ('F-5', '../../etc/passwd', 'text/plain', 'b', x'41')")
        #expect(try h.act("litigation_open", ["customer_id": "C2", "partner": "cabinet-martin", "invoice_number": "F-5"]).isApplied)
        let out = try #require(try DossierStage.run(try h.context(), store: try h.home.store(), customerId: "C2", passphrase: nil).first)
        #expect(out.entries.filter { $0.hasPrefix("factures/") }.sorted() == ["factures/F-5/.._.._etc_passwd", "factures/F-5/piece"])
    }

    @Test func crossBorderAndLargeClaimRoutes() throws {
        let h = try CollectionHome()
        #expect(try h.act("litigation_open", ["customer_id": "C2", "partner": "cabinet-martin", "invoice_number": "F-5"]).isApplied)
        let data = try #require(try h.home.store().litigationDossierData(caseId: "L20261120-1"))
        let claim = DossierClaim(data: data, asOf: Day.parse(CollectionHome.asOf)!, rates: try CollectionRates.load())
        let ctx = try h.context()
        let route = DossierSynthesis.recommendation(data: data, claim: claim, company: ctx.config.company, urgentWithinDays: 180)
        #expect(route.route == .europeanOrderForPayment)
        // Disputed: assignation, and above €10,000 a lawyer.
        #expect(try h.act("dispute_open", ["invoice_number": "F-5", "category": "technique"]).isApplied)
        let disputed = try #require(try h.home.store().litigationDossierData(caseId: "L20261120-1"))
        let r2 = DossierSynthesis.recommendation(data: disputed, claim: DossierClaim(data: disputed, asOf: claim.asOf, rates: nil),
                                                 company: ctx.config.company, urgentWithinDays: 180)
        #expect(r2.route == .summons && r2.lawyerRequired)
        // Litigation keeps the invoice in the litigation column even while disputed.
        #expect(try h.collectionStatus("F-5") == Int64(CollectionStatus.litigation.rawValue))
    }
}
