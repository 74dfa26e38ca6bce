import RelanceCore

/// One pass over a bundle and, at most, over the bundles it holds: the members found so far
/// and the budget already spent, shared by both levels so that nesting cannot multiply the
/// limits.
struct BundleExtraction {
    let limits: BundleLimits
    let fileName: String
    private(set) var members: [BundleMember] = []
    private(set) var ignored: [String] = []
    private var names: Set<String> = []
    private var entryCount = 0
    private var totalBytes = 0

    init(limits: BundleLimits, fileName: String) {
        self.limits = limits; self.fileName = fileName
    }

    /// Reads every entry of `bytes`. `prefix` is `""` for the bundle itself and
    /// `"inner.zip/"` for a bundle found inside it (`depth` 1); a bundle inside that one is
    /// refused: one level covers "a zip of monthly zips", deeper is only seen in attacks.
    mutating func extract(_ bytes: [UInt8], prefix: String, depth: Int) throws(InputRejection) {
        let archiveLocation: String? = prefix.isEmpty ? nil : String(prefix.dropLast())
        let reader: LibArchive.MemoryReader
        do {
            reader = try LibArchive.MemoryReader(bytes: bytes)
        } catch {
            // An empty ZIP is only an end-of-directory record, which libarchive's
            // central-directory reader does not bid on: it holds nothing, say so.
            if bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return }
            throw reject(archiveLocation, Self.unreadableReason(bytes, error.message))
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), let legacy = ZipNameEncoding.firstLegacyName(bytes) {
            throw reject(prefix + ZipNameEncoding.cp850(legacy), ZipNameEncoding.reason(legacy))
        }
        var previous: String?
        while true {
            let header: LibArchive.EntryHeader?
            do {
                header = try reader.nextEntry()
            } catch {
                let after = previous.map { " (after \($0))" } ?? ""
                throw reject(archiveLocation, "archive is damaged or truncated\(after): \(error.message)")
            }
            guard let header else {
                if reader.isCompressedStream {
                    try verifyGzipTrailer(bytes, tarBytes: reader.decompressedBytesConsumed, location: archiveLocation)
                }
                return
            }

            entryCount += 1
            if entryCount > limits.maxEntries {
                throw reject(archiveLocation, "bundle holds more than \(limits.maxEntries) entries")
            }
            let path: String
            switch BundleEntryName.normalize(header.pathBytes) {
            case .invalid(let display, let reason):
                throw reject(prefix + display, reason)
            case .valid(let normalized):
                path = normalized
            }
            let name = prefix + path
            previous = name
            try checkKind(header, name: name)
            if header.isEncrypted {
                throw reject(name, "entry is encrypted; encrypted bundles are not accepted")
            }
            if header.isSparse {
                throw reject(name, "entry is a sparse file; only regular files are accepted")
            }
            // Read before deciding to skip: folders and ignored files count against the
            // limits too, or a bomb could hide behind a `.`-name.
            let data = try readEntry(reader, name: name)
            if header.kind == .directory { continue }
            if path.isEmpty { throw reject(name.isEmpty ? "(empty name)" : name, "entry has an empty name") }
            if BundleEntryName.isSystemLitter(path) {
                ignored.append(name)
                continue
            }
            guard names.insert(name).inserted else {
                throw reject(name, "entry name appears twice in the bundle")
            }
            if BundleReader.looksLikeBundle(Array(data.prefix(BundleReader.headLength))) {
                if depth >= 1 {
                    throw reject(name, "bundle nested more than one level deep")
                }
                var inner = self
                try inner.extract(data, prefix: name + "/", depth: depth + 1)
                let added = inner.members.dropFirst(members.count).map(\.name)
                if Self.isOfficePackage(added.map { String($0.dropFirst(name.count + 1)) }) {
                    // An XLSX or ODS the head check could not tell apart: it is a document.
                    members.append(BundleMember(name: name, bytes: data))
                } else {
                    self = inner
                }
                continue
            }
            members.append(BundleMember(name: name, bytes: data))
        }
    }

    /// An OOXML (XLSX, DOCX) or OpenDocument package, judged from its member names.
    static func isOfficePackage(_ names: [String]) -> Bool {
        names.first == "mimetype" || names.contains("[Content_Types].xml")
    }

    private func checkKind(_ header: LibArchive.EntryHeader, name: String) throws(InputRejection) {
        let target = header.linkTarget.map { " to \(String(decoding: $0, as: UTF8.self))" } ?? ""
        let what: String
        switch header.kind {
        case .regular, .directory: return
        case .symbolicLink: what = "a symbolic link\(target)"
        case .hardLink: what = "a hard link\(target)"
        case .characterDevice: what = "a character device"
        case .blockDevice: what = "a block device"
        case .fifo: what = "a FIFO (named pipe)"
        case .socket: what = "a socket"
        case .unknown(let mode): what = "of unknown type (mode \(String(mode, radix: 8)))"
        }
        throw reject(name, "entry is \(what); only regular files are accepted")
    }

    /// Decompresses one entry, counting what comes out, not what the header says.
    ///
    /// The ratio is checked twice. While reading, against the raw bytes libarchive has been
    /// handed since the entry began plus two blocks of slack (read-ahead may have fetched
    /// the entry's first compressed bytes with its header): this can never refuse an honest
    /// entry and stops a bomb after ~26 MB. At the end, against the raw bytes libarchive
    /// reports consumed for the entry, exact for ZIP and within one 64 KiB gzip block for
    /// `.tar.gz`, which enforces the stated ratio on entries above `ratioAppliesAbove`.
    private mutating func readEntry(_ reader: LibArchive.MemoryReader, name: String) throws(InputRejection) -> [UInt8] {
        var data: [UInt8] = []
        let handedAtStart = reader.rawBytesHandedOut
        let consumedAtStart = reader.rawBytesConsumed
        let slack = Int64(2 * LibArchive.readBlockSize)
        while true {
            let n: Int
            do {
                n = try reader.readData(appendingTo: &data)
            } catch {
                throw reject(name, "archive is damaged or truncated: \(error.message)")
            }
            if n == 0 { break }
            totalBytes += n
            if data.count > limits.maxEntryBytes {
                throw reject(name, "entry expands beyond the per-entry limit of \(BundleLimits.describe(bytes: limits.maxEntryBytes))")
            }
            if totalBytes > limits.maxTotalBytes {
                throw reject(name, "bundle expands beyond the total limit of \(BundleLimits.describe(bytes: limits.maxTotalBytes))")
            }
            if data.count > limits.ratioAppliesAbove,
               exceedsRatio(data.count, compressed: reader.rawBytesHandedOut - handedAtStart + slack) {
                throw reject(name, ratioReason)
            }
        }
        if data.count > limits.ratioAppliesAbove,
           exceedsRatio(data.count, compressed: max(reader.rawBytesConsumed - consumedAtStart, 1)) {
            throw reject(name, ratioReason)
        }
        return data
    }

    /// Decompresses a `.tar.gz` a second time, as one blob, to check the CRC-32 and length in
    /// the gzip trailer: libarchive never checks them, and tar has no checksum over file data,
    /// so a damaged `.tar.gz` would otherwise yield silently altered files. The second pass
    /// may run at most 1 MiB past the end of the tar archive (tar pads to 10 KiB records);
    /// more would be data hidden after the archive, or a bomb.
    private func verifyGzipTrailer(_ bytes: [UInt8], tarBytes: Int64, location: String?) throws(InputRejection) {
        let allowance: Int64 = 1024 * 1024
        var crc = CRC32()
        var total: Int64 = 0
        var end = 0
        do {
            let stream = try LibArchive.MemoryReader(bytes: bytes, mode: .gzipStream)
            _ = try stream.nextEntry()
            var block: [UInt8] = []
            while try stream.readData(appendingTo: &block) > 0 {
                crc.update(block)
                total += Int64(block.count)
                block.removeAll(keepingCapacity: true)
                if total > tarBytes + allowance {
                    throw reject(location, "gzip stream holds more than 1 MiB of data after the end of the tar archive")
                }
            }
            end = Int(stream.rawBytesConsumed)
        } catch let rejection as InputRejection {
            throw rejection
        } catch {
            throw reject(location, "archive is damaged or truncated: \(error)")
        }
        guard end >= 8, end <= bytes.count,
              Self.u32(bytes, end - 8) == crc.value, Self.u32(bytes, end - 4) == UInt32(truncatingIfNeeded: total) else {
            throw reject(location, "archive is damaged or truncated: gzip CRC-32 or length mismatch (or several gzip members, which are not supported)")
        }
    }

    private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }

    private var ratioReason: String {
        "entry expands more than \(limits.maxCompressionRatio):1 (decompression bomb)"
    }

    private func exceedsRatio(_ produced: Int, compressed: Int64) -> Bool {
        let (bound, overflow) = Int64(limits.maxCompressionRatio).multipliedReportingOverflow(by: max(compressed, 1))
        return !overflow && Int64(produced) > bound
    }

    private func reject(_ location: String?, _ reason: String) -> InputRejection {
        InputRejection(file: fileName, location: location, reason: reason)
    }

    private static func unreadableReason(_ bytes: [UInt8], _ message: String) -> String {
        if bytes.isEmpty { return "not a ZIP or tar archive: the file is empty" }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return "archive is damaged or truncated: ZIP without a readable central directory (libarchive: \(message))"
        }
        if bytes.starts(with: [0x1F, 0x8B]) {
            return "gzip-compressed data that is truncated, damaged or not a tar archive (libarchive: \(message))"
        }
        return "not a readable ZIP or tar archive (libarchive: \(message))"
    }
}
