import RelanceCore

/// Opens the archives accountants send instead of loose files — `.zip`, `.tar`, `.tar.gz` /
/// `.tgz` — and hands back their files, each to be read like a loose file named
/// `bundle.zip/inner/path.csv`.
///
/// Recognised by content, never by extension, and read through libarchive with only the
/// ZIP and tar formats and the gzip filter enabled. A bundle is accepted whole or refused
/// whole, with a reason naming the offending entry, when any entry:
/// - climbs out of the archive (`..`) or is absolute (`/x`, `C:\x`, `\\server\x`);
/// - is a symbolic or hard link, a device, a FIFO, a socket or a sparse file;
/// - is encrypted;
/// - has a name that is not UTF-8 or holds control characters, or repeats an earlier name;
/// - is itself a bundle inside a nested bundle: one level of nesting is read (members of
///   `outer.zip/2024.zip` are named `2024.zip/f.csv`), a second level is refused;
/// - or when decompression exceeds `BundleLimits` (total bytes, bytes per entry, entries,
///   compression ratio), counted on the bytes actually produced.
/// It is refused too when it is damaged: a ZIP must have an intact central directory and
/// every entry must match its CRC-32 (libarchive checks); a `.tar.gz` must match the CRC-32
/// and length of its gzip trailer (Relance checks, libarchive does not; a gzip file made of
/// several members is refused for that reason).
/// Dotfiles and `__MACOSX/` entries are skipped and listed in `BundleContents.ignored`.
/// A bundle that yields no file at all is refused ("bundle holds no files").
///
/// Names are taken as UTF-8 (libarchive converts flagged ZIP names and pax names; others
/// must already be UTF-8). A ZIP made by an old Windows Explorer stores accented names in
/// the OEM code page (CP850 in France) without the UTF-8 flag: such a bundle is refused,
/// naming the entry, rather than read with guessed names.
public struct BundleReader: Sendable {
    public let limits: BundleLimits

    /// How many leading bytes `looksLikeBundle` needs to see at most.
    public static let headLength = 512

    public init(limits: BundleLimits = .init()) {
        self.limits = limits
    }

    /// Whether a file's first bytes (pass at least `headLength` when the file has them) are
    /// a ZIP (`PK\3\4`, or `PK\5\6` for an empty one), gzip (`1F 8B`) or tar (`ustar` at 257).
    ///
    /// XLSX, DOCX, ODS and EPUB files are ZIPs too: a ZIP whose first entry is
    /// `[Content_Types].xml`, `_rels/`, `docProps/`, `xl/`, `word/`, `ppt/`, `customXml/`,
    /// `mimetype` or `META-INF/` is taken for such a document and answers false.
    public static func looksLikeBundle(_ head: [UInt8]) -> Bool {
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return !startsLikeOfficePackage(head)
        }
        if head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return true }
        if head.starts(with: [0x1F, 0x8B]) { return true }
        if head.count >= 262 && Array(head[257..<262]) == Array("ustar".utf8) { return true }
        return false
    }

    /// The files of the bundle in archive order, folders skipped, ignored entries dropped.
    public func members(of bytes: [UInt8], fileName: String) throws(InputRejection) -> [BundleMember] {
        try contents(of: bytes, fileName: fileName).members
    }

    /// The files of the bundle and the entries left aside (for the run summary's note).
    public func contents(of bytes: [UInt8], fileName: String) throws(InputRejection) -> BundleContents {
        var extraction = BundleExtraction(limits: limits, fileName: fileName)
        try extraction.extract(bytes, prefix: "", depth: 0)
        if BundleExtraction.isOfficePackage(extraction.members.map(\.name)) {
            throw InputRejection(file: fileName, reason: "this is an office document (XLSX, DOCX, ODS…), not a bundle")
        }
        if extraction.members.isEmpty {
            let reason = extraction.ignored.isEmpty
                ? "bundle holds no files"
                : "bundle holds no files (only ignored entries: \(extraction.ignored.prefix(10).joined(separator: ", ")))"
            throw InputRejection(file: fileName, reason: reason)
        }
        return BundleContents(members: extraction.members, ignored: extraction.ignored)
    }

    private static let officePrefixes: [[UInt8]] = [
        "[Content_Types].xml", "_rels/", "docProps/", "xl/", "word/", "ppt/", "customXml/", "mimetype", "META-INF/",
    ].map { Array($0.utf8) }

    /// Reads the first local header's name (length at offset 26, name at 30).
    private static func startsLikeOfficePackage(_ head: [UInt8]) -> Bool {
        guard head.count >= 30 else { return false }
        let length = Int(head[26]) | Int(head[27]) << 8
        let name = head[30..<min(head.count, 30 + length)]
        return officePrefixes.contains { name.starts(with: $0) }
    }
}
