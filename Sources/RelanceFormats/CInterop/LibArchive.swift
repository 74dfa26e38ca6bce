import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// The only door to libarchive: a reader over bytes in memory and a ZIP writer into memory.
///
/// Policy (which entries are acceptable, how much may be decompressed) lives in
/// `BundleReader` and `ArchiveWriter`; this file only turns libarchive's C calls into Swift
/// values and errors, so every unsafe pointer stays here.
enum LibArchive {
    /// libarchive converts entry names through the C locale: in the default "C" locale a
    /// UTF-8 name (ZIP flag 11, pax `path`) cannot be converted and comes back as NULL.
    /// Called once, before the first archive object is created. `LC_CTYPE` only: numbers and
    /// dates are formatted by Relance itself, never through the C locale.
    static let utf8Locale: Bool = {
        let candidates: [String] = ["C.UTF-8", "C.utf8", "en_US.UTF-8"]
        return candidates.contains { setlocale(LC_CTYPE, $0) != nil }
    }()

    /// A libarchive failure, with libarchive's own message.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// What an entry is, from its header only.
    enum EntryKind: Sendable, Equatable {
        case regular, directory, symbolicLink, hardLink
        case characterDevice, blockDevice, fifo, socket
        /// A mode libarchive could not map to a known file type.
        case unknown(UInt32)
    }

    /// One entry header, as raw as libarchive gives it: names stay bytes so that the caller
    /// decides what an invalid name means.
    struct EntryHeader: Sendable {
        /// The path in the current (UTF-8) locale; nil when libarchive could not convert it.
        var pathBytes: [UInt8]?
        var kind: EntryKind
        /// Target of a symbolic or hard link.
        var linkTarget: [UInt8]?
        var isEncrypted: Bool
        var isSparse: Bool
    }

    // MARK: - Reading

    /// Bytes handed to libarchive in blocks of this size. Small blocks keep the count of
    /// compressed bytes read (`rawBytesHandedOut`) within one block of what the format has
    /// really used, which is what makes a progressive decompression-ratio check possible.
    static let readBlockSize = 64 * 1024

    /// Reads a ZIP, tar or gzip-compressed tar held in memory. Only those formats and that
    /// one filter are enabled: no 7z, RAR, ISO, cpio, xz, bzip2, uudecode, and no external
    /// decompression programs. ZIPs are read through their central directory only (the
    /// "seekable" reader), as unzip, 7-Zip and Python do: the streaming reader would accept a
    /// ZIP whose directory is cut off or disagrees with its local headers.
    final class MemoryReader {
        private let handle: OpaquePointer
        private let source: MemorySource
        /// Where the next data block of the current entry must start.
        private var entryOffset: Int64 = 0

        /// What the reader is for.
        enum Mode {
            /// A ZIP, tar or gzip-compressed tar, entry by entry.
            case archive
            /// A gzip stream read as one blob (libarchive's "raw" format), only to check the
            /// CRC-32 in its trailer, which libarchive's gzip filter never verifies.
            case gzipStream
        }

        /// Copies `bytes` (libarchive keeps pointers into the buffer between calls, so it must
        /// outlive the Swift array's borrow) and opens it. Throws libarchive's reason when no
        /// enabled format recognises the content.
        init(bytes: [UInt8], mode: Mode = .archive) throws(Failure) {
            _ = LibArchive.utf8Locale
            guard let a = archive_read_new() else {
                throw Failure(message: "libarchive could not allocate a reader")
            }
            handle = a
            source = MemorySource(bytes: bytes)
            switch mode {
            case .archive:
                archive_read_support_format_zip_seekable(a)
                archive_read_support_format_tar(a)
            case .gzipStream:
                archive_read_support_format_raw(a)
            }
            archive_read_support_filter_gzip(a)
            archive_read_set_read_callback(a, { _, context, buffer in
                guard let context, let buffer else { return -1 }
                return Unmanaged<MemorySource>.fromOpaque(context).takeUnretainedValue().nextBlock(buffer)
            })
            archive_read_set_seek_callback(a, { _, context, offset, whence in
                guard let context else { return -1 }
                return Unmanaged<MemorySource>.fromOpaque(context).takeUnretainedValue().seek(offset, whence: whence)
            })
            archive_read_set_callback_data(a, Unmanaged.passUnretained(source).toOpaque())
            guard archive_read_open1(a) == ARCHIVE_OK else {
                throw Failure(message: LibArchive.errorMessage(a, fallback: "libarchive could not open the data"))
            }
        }

        deinit {
            archive_read_free(handle)
        }

        /// Whether the archive went through the gzip filter.
        var isCompressedStream: Bool { archive_filter_count(handle) > 1 }

        /// Raw (still compressed) bytes given to libarchive so far, seeks included: never less
        /// than what it has really consumed, and at most one block more.
        var rawBytesHandedOut: Int64 { source.handedOut }

        /// Raw bytes libarchive reports as consumed (`archive_filter_bytes(a, -1)`): exact at
        /// entry boundaries, lagging by up to one block in the middle of an entry.
        var rawBytesConsumed: Int64 { archive_filter_bytes(handle, -1) }

        /// Decompressed bytes the format has consumed from the gzip filter (equal to
        /// `rawBytesConsumed` when there is no filter).
        var decompressedBytesConsumed: Int64 { archive_filter_bytes(handle, 0) }

        /// The next entry header, or nil at the end of the archive. A header libarchive could
        /// only partly understand (`ARCHIVE_WARN`, e.g. a name it could not convert) is returned
        /// so that the caller judges it; anything worse throws.
        func nextEntry() throws(Failure) -> EntryHeader? {
            var entry: OpaquePointer?
            entryOffset = 0
            let status = archive_read_next_header(handle, &entry)
            if status == ARCHIVE_EOF { return nil }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
                throw Failure(message: LibArchive.errorMessage(handle, fallback: "unreadable entry header"))
            }
            let path = archive_entry_pathname(entry) ?? archive_entry_pathname_utf8(entry)
            let hardLink = archive_entry_hardlink(entry)
            let symbolicLink = archive_entry_symlink(entry)
            let kind: EntryKind
            if hardLink != nil {
                kind = .hardLink
            } else {
                let type = UInt32(archive_entry_filetype(entry)) & relance_AE_IFMT
                switch type {
                case relance_AE_IFREG: kind = .regular
                case relance_AE_IFDIR: kind = .directory
                case relance_AE_IFLNK: kind = .symbolicLink
                case relance_AE_IFCHR: kind = .characterDevice
                case relance_AE_IFBLK: kind = .blockDevice
                case relance_AE_IFIFO: kind = .fifo
                case relance_AE_IFSOCK: kind = .socket
                default: kind = .unknown(type)
                }
            }
            return EntryHeader(
                pathBytes: path.map(LibArchive.bytes(of:)),
                kind: kind,
                linkTarget: (hardLink ?? symbolicLink).map(LibArchive.bytes(of:)),
                isEncrypted: archive_entry_is_encrypted(entry) != 0,
                isSparse: archive_entry_sparse_count(entry) > 0
            )
        }

        /// Decompresses the next block of the current entry (libarchive's own buffer, at most
        /// a few hundred KiB) and appends it to `output` (which the caller may empty between
        /// calls). Returns how many bytes were appended,
        /// 0 at the end of the entry. Any libarchive complaint — bad CRC, truncated data, corrupt
        /// deflate stream — throws, warnings included: a bundle is accepted whole or not at all.
        /// A block that does not start where the previous one ended (a hole) throws too.
        func readData(appendingTo output: inout [UInt8]) throws(Failure) -> Int {
            // Empty blocks are legal mid-entry; a long run of them is not progress.
            for _ in 0..<1024 {
                var block: UnsafeRawPointer?
                var size = 0
                var offset: Int64 = 0
                let status = archive_read_data_block(handle, &block, &size, &offset)
                if status == ARCHIVE_EOF { return 0 }
                guard status == ARCHIVE_OK else {
                    throw Failure(message: LibArchive.errorMessage(handle, fallback: "unreadable entry data"))
                }
                guard offset == entryOffset else {
                    throw Failure(message: "entry data has a hole at offset \(entryOffset)")
                }
                if size > 0, let block {
                    output.append(contentsOf: UnsafeRawBufferPointer(start: block, count: size))
                    entryOffset += Int64(size)
                    return size
                }
            }
            throw Failure(message: "entry data makes no progress")
        }
    }

    /// The archive bytes and the client read position libarchive drives through callbacks.
    private final class MemorySource {
        let buffer: UnsafeMutableRawBufferPointer
        let count: Int
        var position = 0
        var handedOut: Int64 = 0

        init(bytes: [UInt8]) {
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
            buffer.copyBytes(from: bytes)
            count = bytes.count
        }

        deinit { buffer.deallocate() }

        func nextBlock(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
            let n = min(LibArchive.readBlockSize, count - position)
            guard n > 0, let base = buffer.baseAddress else {
                out.pointee = nil
                return 0
            }
            out.pointee = UnsafeRawPointer(base + position)
            position += n
            handedOut += Int64(n)
            return n
        }

        func seek(_ offset: Int64, whence: Int32) -> Int64 {
            let origin: Int64
            switch whence {
            case 0: origin = 0                    // SEEK_SET
            case 1: origin = Int64(position)      // SEEK_CUR
            case 2: origin = Int64(count)         // SEEK_END
            default: return -1
            }
            let (target, overflow) = origin.addingReportingOverflow(offset)
            guard !overflow else { return -1 }
            position = Int(min(max(target, 0), Int64(count)))
            return Int64(position)
        }
    }

    // MARK: - Writing

    /// Writes a ZIP into memory: UTF-8 names (`zip:hdrcharset=UTF-8`, flag bit 11), deflate,
    /// optional WinZip AES-256 (`zip:encryption=aes256`, through nettle on Debian).
    final class ZipWriter {
        private let handle: OpaquePointer
        private let sink = Sink()
        private var closed = false

        init(passphrase: String?) throws(Failure) {
            _ = LibArchive.utf8Locale
            guard let a = archive_write_new() else {
                throw Failure(message: "libarchive could not allocate a writer")
            }
            handle = a
            guard archive_write_set_format_zip(a) == ARCHIVE_OK else {
                throw Failure(message: LibArchive.errorMessage(a, fallback: "ZIP format unavailable"))
            }
            // Unblocked output: the default pads the last block with zeros up to 10 240 bytes,
            // which ZIP readers report as trailing garbage.
            archive_write_set_bytes_per_block(a, 0)
            for option in ["zip:hdrcharset=UTF-8", "zip:compression=deflate"] {
                guard archive_write_set_options(a, option) == ARCHIVE_OK else {
                    throw Failure(message: LibArchive.errorMessage(a, fallback: "option \(option) refused"))
                }
            }
            if let passphrase {
                guard archive_write_set_options(a, "zip:encryption=aes256") == ARCHIVE_OK else {
                    throw Failure(message: LibArchive.errorMessage(a, fallback: "AES-256 encryption unavailable in this libarchive"))
                }
                guard archive_write_set_passphrase(a, passphrase) == ARCHIVE_OK else {
                    throw Failure(message: LibArchive.errorMessage(a, fallback: "passphrase refused"))
                }
            }
            let status = archive_write_open2(a, Unmanaged.passUnretained(sink).toOpaque(), nil, { _, context, buffer, length in
                guard let context else { return -1 }
                guard length > 0, let buffer else { return 0 }
                Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
                    .bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
                return length
            }, nil, nil)
            guard status == ARCHIVE_OK else {
                throw Failure(message: LibArchive.errorMessage(a, fallback: "could not open the ZIP output"))
            }
        }

        deinit {
            archive_write_free(handle)
        }

        /// Adds one regular file, mode 0644, owner 0:0. `modificationTime` is seconds since
        /// 1970 (UTC); nil leaves the time unset, which libarchive writes as 1980-01-01 00:00.
        func add(name: String, bytes: [UInt8], modificationTime: Int64?) throws(Failure) {
            guard let entry = archive_entry_new() else {
                throw Failure(message: "libarchive could not allocate an entry")
            }
            defer { archive_entry_free(entry) }
            guard archive_entry_update_pathname_utf8(entry, name) != 0 else {
                throw Failure(message: "name \(name) cannot be stored")
            }
            archive_entry_set_filetype(entry, relance_AE_IFREG)
            archive_entry_set_perm(entry, 0o644)
            archive_entry_set_uid(entry, 0)
            archive_entry_set_gid(entry, 0)
            archive_entry_set_size(entry, Int64(bytes.count))
            if let modificationTime {
                archive_entry_set_mtime(entry, time_t(modificationTime), 0)
            }
            let status = archive_write_header(handle, entry)
            guard status == ARCHIVE_OK else {
                throw Failure(message: LibArchive.errorMessage(handle, fallback: "could not write the header of \(name)"))
            }
            var failure: Failure?
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count, let base = raw.baseAddress {
                    let written = archive_write_data(handle, base + offset, raw.count - offset)
                    if written <= 0 {
                        failure = Failure(message: LibArchive.errorMessage(handle, fallback: "could not write the data of \(name)"))
                        return
                    }
                    offset += written
                }
            }
            if let failure { throw failure }
            guard archive_write_finish_entry(handle) == ARCHIVE_OK else {
                throw Failure(message: LibArchive.errorMessage(handle, fallback: "could not finish \(name)"))
            }
        }

        /// Writes the central directory and returns the whole archive.
        func finish() throws(Failure) -> [UInt8] {
            if !closed {
                closed = true
                guard archive_write_close(handle) == ARCHIVE_OK else {
                    throw Failure(message: LibArchive.errorMessage(handle, fallback: "could not close the ZIP"))
                }
            }
            return sink.bytes
        }
    }

    private final class Sink {
        var bytes: [UInt8] = []
    }

    // MARK: - Helpers

    private static func errorMessage(_ a: OpaquePointer, fallback: String) -> String {
        guard let message = archive_error_string(a) else { return fallback }
        let text = String(decoding: bytes(of: message), as: UTF8.self)
        return text.isEmpty ? fallback : text
    }

    private static func bytes(of cString: UnsafePointer<CChar>) -> [UInt8] {
        let length = strlen(cString)
        return UnsafeRawPointer(cString).withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }
}
