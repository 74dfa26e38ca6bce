import RelanceCore

/// Reads a PDF: a Factur-X / ZUGFeRD / XRechnung hybrid invoice (PDF/A-3 with the invoice XML
/// embedded), or a plain PDF that belongs to an invoice known from elsewhere.
///
/// Hybrid: the embedded XML is read by `EInvoiceReader` exactly as if it had arrived alone,
/// and the PDF itself is attached to the document (`<number>.pdf`), so a dossier or a reminder
/// can carry the invoice the customer actually received.
///
/// Plain PDF (no embedded invoice XML): the batch holds only the attachment, its document
/// number being the file name without directory and extension (`F2024-001.pdf` → `F2024-001`);
/// the pipeline checks that such a document exists and parks the file otherwise.
public struct FacturXReader: InputReader {
    public init() {}

    public var formatName: String { "PDF (Factur-X / ZUGFeRD)" }

    /// Embedded-file names that carry the invoice, by priority (compared case-insensitively).
    public static let invoiceFileNames = ["factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"]

    /// `%PDF-` at the start of the file.
    public static func looksLikePDF(_ head: [UInt8]) -> Bool {
        head.count >= 5 && head[0] == 0x25 && head[1] == 0x50 && head[2] == 0x44 && head[3] == 0x46 && head[4] == 0x2D
    }

    public func read(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> IngestBatch {
        guard Self.looksLikePDF(bytes) else {
            throw context.reject("%PDF-", "not a PDF: the file does not start with %PDF-")
        }
        let embeddedInvoice: PDFEmbeddedFile?
        switch PDFEmbeddedFiles.read(bytes, choosing: Self.invoiceXMLIndex) {
        case .success(let r): embeddedInvoice = r.chosen
        case .failure(.encrypted):
            throw context.reject(nil, "the PDF is encrypted (password protected): its content and embedded invoice cannot be read")
        case .failure(.unreadable(let why)):
            throw context.reject(nil, "unreadable or damaged PDF: \(why)")
        }

        if let embedded = embeddedInvoice {
            if embedded.truncated {
                throw context.reject(embedded.name, "the embedded invoice '\(embedded.name)' is damaged or larger than the limit, and could not be read whole")
            }
            var inner = context
            inner.fileName = "\(context.fileName)/\(embedded.name)"
            let (invoiceBatch, number) = try EInvoiceReader().readInvoice(embedded.bytes, context: inner)
            var batch = invoiceBatch
            batch.format = "Factur-X PDF (\(invoiceBatch.format))"
            batch.attachments.append(Attachment(documentNumber: number, fileName: Self.pdfName(for: number),
                                                bytes: bytes, mediaType: "application/pdf"))
            return batch
        }

        let number = Self.documentNumber(fromFileName: context.fileName)
        guard !number.isEmpty else {
            throw context.reject(nil, "plain PDF without an embedded invoice, and no document number in its file name to attach it to")
        }
        var batch = IngestBatch(format: "PDF")
        batch.attachments.append(Attachment(documentNumber: number, fileName: Self.pdfName(for: number),
                                            bytes: bytes, mediaType: "application/pdf"))
        batch.notes.append("plain PDF, attached to document \(number)")
        return batch
    }

    /// The embedded invoice among the files' heads: a known name first, else the first file
    /// whose root element is UBL or CII.
    public static func invoiceXMLIndex(in files: [PDFEmbeddedFile]) -> Int? {
        for wanted in invoiceFileNames {
            if let i = files.firstIndex(where: { lowercasedASCII($0.name) == wanted }) { return i }
        }
        return files.firstIndex { EInvoiceReader.looksLikeEInvoice($0.bytes) }
    }

    /// `bundle.zip/2024/F2024-001.pdf` → `F2024-001`.
    public static func documentNumber(fromFileName name: String) -> String {
        let base = name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? name
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base.trimmingBlanks() }
        return String(base[..<dot]).trimmingBlanks()
    }

    /// A file name safe in a ZIP or a mail: the number with `/`, `\` and control characters replaced.
    static func pdfName(for number: String) -> String {
        let safe = String(number.unicodeScalars.map { s -> Character in
            (s == "/" || s == "\\" || s.value < 0x20 || s == ":") ? "_" : Character(s)
        })
        return safe + ".pdf"
    }

    static func lowercasedASCII(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
