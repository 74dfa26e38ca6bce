import RelanceCore

/// Writes a ZIP for the later stages (litigation dossiers, "dossier de contentieux"), in
/// memory, reproducibly: the same entries, date and (absent) passphrase give the same bytes.
///
/// - Names are stored as UTF-8 with the ZIP "language encoding" flag (`zip:hdrcharset=UTF-8`),
///   so `Relevé œuvre.pdf` opens correctly in Windows Explorer, 7-Zip, unzip and Python.
/// - Every entry carries `entryDate` at 00:00:00 UTC: in the Unix `UT` extra field, and in
///   the DOS date/time fields, which libarchive fills from the process's local time zone and
///   this writer then overwrites, so the bytes do not depend on `TZ`. Without a date, the
///   entries carry the DOS minimum, 1980-01-01 00:00, and no `UT` time.
/// - Entries are regular files, mode 0644, owner 0:0, deflated, in the order added.
/// - With a passphrase, entries are WinZip AES-256 encrypted (`zip:encryption=aes256`).
///   7-Zip and bsdtar open them; Info-ZIP `unzip` and Python's `zipfile` cannot. Encryption
///   draws a random salt per entry, so encrypted archives differ from run to run.
///
/// The result is bytes, not a file: the caller publishes it the outbox way (temporary
/// name, fsync, rename).
public struct ArchiveWriter: Sendable {
    /// Why an archive could not be written.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public let encryptionPassphrase: String?
    public let entryDate: Day?
    private var entries: [BundleMember] = []

    public init(encryptionPassphrase: String? = nil, entryDate: Day? = nil) {
        self.encryptionPassphrase = encryptionPassphrase
        self.entryDate = entryDate
    }

    /// Queues a file. `name` is a relative `/`-separated path (`dossier/facture F-12.pdf`);
    /// names are checked by `zipBytes()`.
    public mutating func add(name: String, bytes: [UInt8]) {
        entries.append(BundleMember(name: name, bytes: bytes))
    }

    /// The names queued so far, in order.
    public var names: [String] { entries.map(\.name) }

    /// Builds the archive. Throws when a name is empty, absolute, holds `..`, `.`, empty
    /// components, a backslash or control characters, or repeats; when the passphrase is
    /// empty; when the date is outside 1980–2106; or when libarchive fails.
    public func zipBytes() throws(Failure) -> [UInt8] {
        var seen: Set<String> = []
        for entry in entries {
            guard case .valid(let normalized) = BundleEntryName.normalize(Array(entry.name.utf8)),
                  normalized == entry.name, !normalized.isEmpty, !entry.name.contains("\\") else {
                throw Failure(message: "\(entry.name): not a plain relative path inside the archive")
            }
            guard seen.insert(entry.name).inserted else {
                throw Failure(message: "\(entry.name): added twice")
            }
        }
        if let encryptionPassphrase, encryptionPassphrase.isEmpty {
            throw Failure(message: "the encryption passphrase is empty")
        }
        var dosDate = ZipDOSTimestamp.minimum
        var unixTime: Int64?
        if let entryDate {
            guard let stamp = ZipDOSTimestamp(day: entryDate) else {
                throw Failure(message: "entry date \(entryDate) is outside what ZIP can store (1980-01-01 to 2106-12-31)")
            }
            dosDate = stamp
            unixTime = Int64(entryDate.ordinal) * 86_400
        }
        var bytes: [UInt8]
        do {
            let writer = try LibArchive.ZipWriter(passphrase: encryptionPassphrase)
            for entry in entries {
                try writer.add(name: entry.name, bytes: entry.bytes, modificationTime: unixTime)
            }
            bytes = try writer.finish()
        } catch {
            throw Failure(message: "libarchive: \(error.message)")
        }
        guard dosDate.apply(to: &bytes, expectedEntries: entries.count) else {
            throw Failure(message: "the ZIP written by libarchive has an unexpected layout; its dates could not be set")
        }
        return bytes
    }
}
