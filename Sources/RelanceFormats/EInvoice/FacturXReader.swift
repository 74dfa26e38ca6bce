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

    /// Bytes of an embedded XML looked at when sniffing an attachment with another name.
    static let sniffBytes = 4096

    /// `%PDF-` at the start of the file.
    public static func looksLikePDF(_ head: [UInt8]) -> Bool {
        head.count >= 5 && head[0] == 0x25 && head[1] == 0x50 && head[2] == 0x44 && head[3] == 0x46 && head[4] == 0x2D
    }

    public func read(_ bytes: [UInt8], context: ReadContext) throws(InputRejection) -> IngestBatch {
        guard Self.looksLikePDF(bytes) else {
            throw context.reject("%PDF-", "not a PDF: the file does not start with %PDF-")
        }
        let files: [PDFEmbeddedFile]
        switch PDFEmbeddedFiles.read(bytes) {
        case .success(let f): files = f
        case .failure(.encrypted):
            throw context.reject(nil, "the PDF is encrypted (password protected): its content and embedded invoice cannot be read")
        case .failure(.unreadable(let why)):
            throw context.reject(nil, "unreadable or damaged PDF: \(why)")
        }

        if let embedded = Self.invoiceXML(in: files) {
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

    /// The embedded invoice: a known name first, else the first XML whose root is UBL or CII.
    static func invoiceXML(in files: [PDFEmbeddedFile]) -> PDFEmbeddedFile? {
        for wanted in invoiceFileNames {
            if let f = files.first(where: { lowercasedASCII($0.name) == wanted }) { return f }
        }
        return files.first { EInvoiceReader.looksLikeEInvoice(Array($0.bytes.prefix(sniffBytes))) }
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
