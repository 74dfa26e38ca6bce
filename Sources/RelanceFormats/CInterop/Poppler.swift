import CPopplerGlib

/// One file embedded in a PDF (a PDF/A-3 "associated file" or an older `/EmbeddedFiles` entry).
public struct PDFEmbeddedFile: Sendable, Equatable {
    /// The name the PDF gives the file (`factur-x.xml`), decoded to UTF-8.
    public var name: String
    /// The file's content, or only its beginning when `truncated` (see `PDFEmbeddedFiles.Limits`).
    public var bytes: [UInt8]
    /// True when the file was larger than the cap and only its beginning was kept.
    public var truncated: Bool
}

/// Why a PDF could not be opened.
public enum PDFOpenError: Error, Sendable, Equatable {
    /// Password protected: the embedded files cannot be read without the user password.
    case encrypted
    /// Not a PDF poppler can read (damaged, truncated, not a PDF at all), with poppler's message.
    case unreadable(String)
}

/// The only place that calls poppler-glib: reads the files embedded in a PDF.
///
/// Why poppler-glib: Factur-X / ZUGFeRD put the invoice XML in the PDF's embedded-file name
/// tree, whose names are PDF strings (octal escapes, UTF-16) inside possibly compressed object
/// streams; a byte search finds nothing in most real files. poppler resolves all of that.
///
/// Memory discipline: every `PopplerAttachment` in the list is `g_object_unref`'d and the list
/// `g_list_free`'d, the document is unref'd, the `GBytes` is unref'd, and any `GError` is freed,
/// on every path. The save callback is a non-capturing `@convention(c)` function that gets its
/// sink through the `gpointer` argument.
public enum PDFEmbeddedFiles {
    public struct Limits: Sendable {
        /// Bytes read of every embedded file, to recognise it (its name may not say what it is).
        public var headBytes: Int
        /// Bytes read of the one file chosen; beyond it the file is marked truncated.
        public var maxFileBytes: Int
        /// Embedded files looked at; a PDF with more is read up to this count.
        public var maxFiles: Int
        public init(headBytes: Int = 4096, maxFileBytes: Int = 32 << 20, maxFiles: Int = 64) {
            self.headBytes = headBytes; self.maxFileBytes = maxFileBytes; self.maxFiles = maxFiles
        }
    }

    /// Opens `pdf` from memory and returns its embedded files in document order, each cut to
    /// `headBytes` (flagged `truncated` when longer), and the file `choose` picks among those
    /// heads read whole up to `maxFileBytes`. Reading only heads first bounds the memory a PDF
    /// full of compressed attachments (a decompression bomb) can make us spend.
    public static func read(_ pdf: [UInt8], limits: Limits = Limits(),
                            choosing choose: ([PDFEmbeddedFile]) -> Int? = { _ in nil })
        -> Result<(files: [PDFEmbeddedFile], chosen: PDFEmbeddedFile?), PDFOpenError> {
        guard !pdf.isEmpty else { return .failure(.unreadable("empty file")) }
        // g_bytes_new copies: the document keeps its own reference to the copy.
        let gbytes: OpaquePointer? = pdf.withUnsafeBytes { raw in
            g_bytes_new(raw.baseAddress, gsize(raw.count))
        }
        guard let gbytes else { return .failure(.unreadable("out of memory")) }
        defer { g_bytes_unref(gbytes) }

        var error: UnsafeMutablePointer<GError>?
        guard let document = poppler_document_new_from_bytes(gbytes, nil, &error) else {
            defer { if let error { g_error_free(error) } }
            if let error, error.pointee.domain == poppler_error_quark(),
               error.pointee.code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) {
                return .failure(.encrypted)
            }
            let message = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "poppler could not open it"
            return .failure(.unreadable(message))
        }
        defer { g_object_unref(UnsafeMutableRawPointer(document)) }

        guard let list = poppler_document_get_attachments(document) else { return .success(([], nil)) }
        defer {
            var node: UnsafeMutablePointer<GList>? = list
            while let n = node {
                if let data = n.pointee.data { g_object_unref(data) }
                node = n.pointee.next
            }
            g_list_free(list)
        }
        var attachments: [UnsafeMutablePointer<PopplerAttachment>] = []
        var node: UnsafeMutablePointer<GList>? = list
        while let n = node, attachments.count < limits.maxFiles {
            node = n.pointee.next
            if let data = n.pointee.data { attachments.append(data.assumingMemoryBound(to: PopplerAttachment.self)) }
        }
        let heads = attachments.map { save($0, limit: limits.headBytes) }
        guard let index = choose(heads), heads.indices.contains(index) else { return .success((heads, nil)) }
        let chosen = heads[index].truncated ? save(attachments[index], limit: limits.maxFileBytes) : heads[index]
        return .success((heads, chosen))
    }

    /// Copies one attachment's content through poppler's save callback, up to `limit` bytes.
    private static func save(_ attachment: UnsafeMutablePointer<PopplerAttachment>, limit: Int) -> PDFEmbeddedFile {
        let name = decodeName(poppler_attachment_get_name(attachment))
        let sink = Sink(limit: limit)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        var saveError: UnsafeMutablePointer<GError>?
        let ok = poppler_attachment_save_to_callback(attachment, { buf, count, userData, _ in
            guard let userData else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(userData).takeUnretainedValue()
            guard let buf else { return count == 0 ? 1 : 0 }
            return sink.append(UnsafeRawBufferPointer(start: buf, count: Int(count))) ? 1 : 0
        }, context.toOpaque(), &saveError)
        if let saveError { g_error_free(saveError) }
        // A stream poppler could not decode is kept as far as it went, flagged truncated.
        return PDFEmbeddedFile(name: name, bytes: sink.bytes, truncated: sink.truncated || ok == 0)
    }

    /// Collects an attachment's bytes up to a cap; refusing more stops poppler's copy loop.
    private final class Sink {
        let limit: Int
        var bytes: [UInt8] = []
        var truncated = false
        init(limit: Int) { self.limit = limit }

        func append(_ chunk: UnsafeRawBufferPointer) -> Bool {
            let room = limit - bytes.count
            if chunk.count > room {
                bytes.append(contentsOf: chunk.prefix(max(room, 0)))
                truncated = true
                return false
            }
            bytes.append(contentsOf: chunk)
            return true
        }
    }

    /// poppler hands the name over as the PDF string's bytes: UTF-8/PDFDocEncoding, or UTF-16BE
    /// with a byte-order mark. Decodes both; unknown bytes become U+FFFD, never a crash.
    static func decodeName(_ p: UnsafePointer<gchar>?) -> String {
        guard let p else { return "" }
        let raw = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self)
        var n = 0
        while raw[n] != 0 && n < 4096 { n += 1 }
        let bytes = Array(UnsafeBufferPointer(start: raw, count: n))
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            var units: [UInt16] = []
            var i = 2
            while i + 1 < bytes.count {
                units.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
                i += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
