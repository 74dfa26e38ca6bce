import Foundation
import RelanceCore
import RelanceFormats
import RelanceStore

/// One dossier written.
public struct DossierOutput: Sendable {
    public var caseId: String
    public var customerId: String
    public var archive: URL
    public var transmittal: URL
    public var encrypted: Bool
    /// Whether the archive is attached to the transmittal (else it is above the size limit).
    public var attached: Bool
    public var entries: [String]
    /// Proofs named by the store that could not be found (reminder files missing from the outbox…).
    public var missing: [String]
}

/// The litigation dossier stage (`relance-dossier`): for a case, the archive
/// `outbox/dossiers/<as-of>/<customer_id>-<case_id>.zip` and its transmittal `.eml`.
///
/// The archive holds `synthese.pdf`, `creances.xlsx`, the PDFs of the invoices and credit
/// notes (and any document attached to the case), the reminder files exactly as published
/// (`reminders.file` under the outbox, checked against their SHA-256), the delivery proofs kept
/// in the store, and `index.csv` listing every entry with its SHA-256. With
/// `RELANCE_DOSSIER_PASSPHRASE` set, entries are AES-256 encrypted (7-Zip opens them).
/// Files are written under a temporary name and renamed (the archive before the e-mail that
/// names it); each build is journaled (`litigation.dossier`).
public enum DossierStage {
    public static let passphraseVariable = "RELANCE_DOSSIER_PASSPHRASE"

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Builds the dossier of `customerId`'s open case, or, when nil, of every open case that
    /// has none yet (a case gets its dossier in the run after it opens).
    public static func run(_ ctx: RunContext, store: Store, customerId: String? = nil,
                           passphrase: String? = ProcessInfo.processInfo.environment[passphraseVariable]) throws -> [DossierOutput] {
        let caseIds: [String]
        if let customerId {
            guard let id = try store.openCaseId(customerId: customerId) else {
                throw Failure(description: "customer \(customerId) has no open litigation case (open one with `relance litigation open`)")
            }
            caseIds = [id]
        } else {
            caseIds = try store.caseIdsWithoutDossier()
        }
        guard !caseIds.isEmpty else { return [] }
        let rates = try? CollectionRates.load()
        let key = passphrase.flatMap { $0.isEmpty ? nil : $0 }
        return try caseIds.map { try build(caseId: $0, ctx: ctx, store: store, rates: rates, passphrase: key) }
    }

    static func build(caseId: String, ctx: RunContext, store: Store, rates: RateTables?, passphrase: String?) throws -> DossierOutput {
        guard let data = try store.litigationDossierData(caseId: caseId) else { throw Failure(description: "case \(caseId) not found") }
        let company = ctx.config.company
        let settings = ctx.config.disputes
        let partner = settings.partner(data.litigationCase.partnerId)
        let claim = DossierClaim(data: data, asOf: ctx.asOf, rates: rates)
        let route = DossierSynthesis.recommendation(data: data, claim: claim, company: company, urgentWithinDays: settings.urgentWithinDays)

        var entries: [(name: String, bytes: [UInt8], description: String)] = []
        var missing: [String] = []
        var used = Set<String>()
        func add(_ name: String, _ bytes: [UInt8], _ description: String) {
            var candidate = name
            var n = 2
            while used.contains(candidate.lowercased()) {
                let ext = (name as NSString).pathExtension
                let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
                candidate = stem + "-\(n)" + (ext.isEmpty ? "" : "." + ext)
                n += 1
            }
            used.insert(candidate.lowercased())
            entries.append((candidate, bytes, description))
        }
        /// One path component from a stored name (attachment, invoice number): no separators,
        /// control characters or dot-only names, which the archive writer refuses.
        func safe(_ s: String) -> String {
            let cleaned = String(s.map { $0 == "/" || $0 == "\\" || $0 == ":" || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } ? "_" : $0 })
                .trimmingCharacters(in: .whitespaces)
            return cleaned.isEmpty || cleaned.allSatisfy({ $0 == "." }) ? "piece" : cleaned
        }

        add("creances.xlsx", try DossierWorkbook.build(data: data, claim: claim, company: company, asOf: ctx.asOf), "créances, débiteur, historique")
        for f in data.invoices {
            let files = try store.attachments(of: f.number)
            if files.isEmpty { missing.append("PDF de la facture \(f.number)") }
            for a in files { add("factures/\(safe(f.number))/\(safe(a.fileName))", a.bytes, "facture \(f.number)") }
        }
        for number in data.creditNoteNumbers {
            for a in try store.attachments(of: number) { add("avoirs/\(safe(number))/\(safe(a.fileName))", a.bytes, "avoir \(number)") }
        }
        for a in try store.attachments(of: caseId) { add("pieces/\(safe(a.fileName))", a.bytes, "pièce du dossier \(caseId)") }
        for r in data.reminders {
            if let file = r.file {
                let url = ctx.home.outbox.appendingPathComponent(file)
                if let bytes = try? FileOps.readBytes(url) {
                    let digest = FileOps.sha256Hex(bytes)
                    if let expected = r.sha256, expected.lowercased() != digest {
                        missing.append("relance \(r.id) : \(file) ne correspond plus à son empreinte enregistrée")
                    }
                    add("preuves/relances/\(r.asOf)-\(safe(r.step))-\(safe(r.channel))-\(safe(url.lastPathComponent))", bytes,
                        "relance \(r.id) du \(r.asOf) (\(r.step), \(r.channel)), sha256 enregistré \(r.sha256 ?? "aucun")")
                } else {
                    missing.append("relance \(r.id) : fichier \(file) absent de l'outbox")
                }
            }
            for d in r.deliveries {
                guard let proof = d.proofContent else { continue }
                add("preuves/distribution/\(safe(r.id))-\(d.event)-\(d.day)-\(safe(d.proofName ?? "preuve"))", proof,
                    "preuve \(d.event) du \(d.day) pour la relance \(r.id)")
            }
        }
        add("synthese.pdf", try DossierSynthesis.build(data: data, claim: claim, route: route, partner: partner, company: company,
                                                      asOf: ctx.asOf, missingProofs: missing), "synthèse et voie recommandée")
        var index = CSVTableWriter(dialect: ctx.config.reportDialect)
        index.header(["entry", "sha256", "size", "description"])
        for e in entries { index.row([.text(e.name), .text(FileOps.sha256Hex(e.bytes)), .integer(e.bytes.count), .text(e.description)]) }

        var writer = ArchiveWriter(encryptionPassphrase: passphrase, entryDate: ctx.asOf)
        for e in entries { writer.add(name: e.name, bytes: e.bytes) }
        writer.add(name: "index.csv", bytes: index.bytes)
        let archive: [UInt8]
        do { archive = try writer.zipBytes() } catch { throw Failure(description: "dossier \(caseId): \(error)") }

        let base = "\(safe(data.customer.id))-\(caseId)"
        let folderPath = "dossiers/\(ctx.asOf)"
        let folder = ctx.home.outbox.appendingPathComponent(folderPath)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let zipURL = folder.appendingPathComponent(base + ".zip")
        let emlURL = folder.appendingPathComponent(base + ".eml")
        let eml = try DossierTransmittal.build(data: data, claim: claim, route: route, partner: partner, company: company, asOf: ctx.asOf,
                                               archiveName: base + ".zip", archivePath: "outbox/\(folderPath)/\(base).zip", archive: archive,
                                               encrypted: passphrase != nil, maxBytes: settings.transmittalMaxBytes)
        try FileOps.writeAtomically(archive, to: zipURL)
        try FileOps.writeAtomically(eml, to: emlURL)
        try store.transaction(actor: ctx.actor, at: ctx.timestamp) { tx in
            try tx.recordDossier(caseId: caseId, file: "\(folderPath)/\(base).zip", sha256: passphrase == nil ? FileOps.sha256Hex(archive) : nil)
        }
        return DossierOutput(caseId: caseId, customerId: data.customer.id, archive: zipURL, transmittal: emlURL, encrypted: passphrase != nil,
                             attached: archive.count <= settings.transmittalMaxBytes, entries: entries.map(\.name) + ["index.csv"], missing: missing)
    }
}
