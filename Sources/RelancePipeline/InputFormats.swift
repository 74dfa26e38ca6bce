import RelanceCore
import RelanceFormats

/// Recognises an input file by its content (never its name) and hands it to its reader.
///
/// The order of the checks matters: magic numbers first (archives, PDF), then XML by root
/// namespace, then the line-oriented formats, CSV last (almost any text "looks like" a CSV).
public enum InputFormats {
    public enum Kind: String, Equatable, Sendable {
        case bundle = "bundle"
        case pdf = "PDF"
        case eInvoice = "e-invoice XML"
        case fec = "FEC"
        case camt = "camt"
        case cfonb120 = "CFONB 120"
        case mt940 = "MT940"
        case lifecycleStatus = "CDAR lifecycle status"
        case csv = "CSV"
        case empty = "empty"
        case unknown = "unknown"
    }

    /// Looks at the first bytes only.
    public static func detect(_ bytes: [UInt8]) -> Kind {
        if bytes.isEmpty { return .empty }
        let head = Array(bytes.prefix(4096))
        if BundleReader.looksLikeBundle(head) { return .bundle }
        if FacturXReader.looksLikePDF(head) { return .pdf }
        if EInvoiceReader.looksLikeEInvoice(head) { return .eInvoice }
        if CamtReader.looksLikeCamt(head) { return .camt }
        if contains(head, "CrossDomainAcknowledgementAndResponse") { return .lifecycleStatus }
        if MT940Detector.looksLikeMT940(head) { return .mt940 }
        if CFONB120Reader.looksLikeCFONB120(head) { return .cfonb120 }
        if FECReader.looksLikeFEC(head) { return .fec }
        if CSVReader.looksLikeCSV(head) { return .csv }
        return .unknown
    }

    static func contains(_ head: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard head.count >= needle.count else { return false }
        for i in 0...(head.count - needle.count) where head[i] == needle[0] && Array(head[i..<(i + needle.count)]) == needle {
            return true
        }
        return false
    }

    /// Reads a file into a batch, or rejects it with every problem found.
    public static func read(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> IngestBatch {
        switch detect(bytes) {
        case .bundle:
            return try readBundle(bytes, context: context)
        case .pdf:
            return try FacturXReader().read(bytes, context: context)
        case .eInvoice:
            return try EInvoiceReader().read(bytes, context: context)
        case .camt:
            return try CamtReader().read(bytes, context: context)
        case .cfonb120:
            return try CFONB120Reader().read(bytes, context: context)
        case .mt940:
            throw MT940Detector.rejection(for: bytes, context: context) ?? context.reject(nil, MT940Detector.rejectionReason)
        case .lifecycleStatus:
            throw context.reject(nil, "e-invoicing lifecycle status (CDAR, statuses 200-213) is not read yet: a status is not an invoice nor a payment; the platform's invoice and the bank statement carry the amounts")
        case .fec:
            return try FECReader().read(bytes, context: context)
        case .csv:
            if AttachmentManifest.looksLikeManifest(Array(bytes.prefix(4096))) {
                throw context.reject(nil, "an attachment manifest (invoice_number,file) only makes sense inside a bundle next to the PDFs it names")
            }
            return try CSVReader().read(bytes, context: context)
        case .empty:
            throw context.reject(nil, "empty file (0 bytes)")
        case .unknown:
            throw context.reject(nil, "unrecognised content: not a CSV export, FEC, e-invoice (UBL/CII), bank statement, PDF or ZIP/tar bundle")
        }
    }

    /// A bundle is one unit: every member goes through `read` as if dropped loose, named
    /// `bundle.zip/inner/path` in messages, and the bundle is ingested only if all of them are.
    /// PDFs without embedded invoice XML are attached to the document their file name — or the
    /// bundle's manifest (`invoice_number,file`) — names.
    static func readBundle(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> IngestBatch {
        let contents = try BundleReader().contents(of: bytes, fileName: context.fileName)
        var collector = IssueCollector(cap: context.issueCap)
        var manifestNumbers: [String: String] = [:]
        var members: [BundleMember] = []
        for m in contents.members {
            let head = Array(m.bytes.prefix(4096))
            if detect(m.bytes) == .csv && AttachmentManifest.looksLikeManifest(head) {
                var mc = context
                mc.fileName = "\(context.fileName)/\(m.name)"
                do {
                    for e in try AttachmentManifest.parse(m.bytes, context: mc).entries { manifestNumbers[e.fileName] = e.documentNumber }
                } catch {
                    for i in error.issues { collector.add(i) }
                }
            } else {
                members.append(m)
            }
        }
        var merged = IngestBatch(format: "bundle of \(members.count) file(s)")
        if let note = contents.note { merged.notes.append(note) }
        for m in members {
            var mc = context
            mc.fileName = "\(context.fileName)/\(m.name)"
            do {
                var batch = try read(m.bytes, context: mc)
                let baseName = m.name.split(separator: "/").last.map(String.init) ?? m.name
                if batch.documents.isEmpty, let number = manifestNumbers[m.name] ?? manifestNumbers[baseName] {
                    for i in batch.attachments.indices { batch.attachments[i].documentNumber = number }
                }
                merged.customers += batch.customers
                merged.documents += batch.documents
                merged.payments += batch.payments
                merged.allocations += batch.allocations
                merged.attachments += batch.attachments
                merged.notes += batch.notes.map { "\(m.name): \($0)" }
            } catch {
                for i in error.issues { collector.add(i) }
            }
        }
        if let rejection = collector.rejection() { throw rejection }
        return merged
    }
}
