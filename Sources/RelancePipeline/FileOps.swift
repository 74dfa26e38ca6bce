import Foundation
import RelanceFormats
#if canImport(Glibc)
import Glibc
#endif

/// File-system moves that never lose a file: write under a temporary name, fsync, rename.
public enum FileOps {
    /// Writes `bytes` to `url` atomically: a reader sees the old file or the new one, never half.
    public static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try writeAndSync(bytes, to: tmp)
        guard Glibc.rename(tmp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp.path)
            throw FileOpsError(message: "cannot rename \(tmp.path) to \(url.path): \(reason)")
        }
        syncDirectory(dir)
    }

    /// Writes and fsyncs a file (no rename).
    public static func writeAndSync(_ bytes: [UInt8], to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileOpsError(message: "cannot create \(url.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        try bytes.withUnsafeBytes { p in
            while written < p.count {
                let n = write(fd, p.baseAddress! + written, p.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileOpsError(message: "cannot write \(url.path): \(String(cString: strerror(errno)))")
                }
                written += n
            }
        }
        guard fsync(fd) == 0 else { throw FileOpsError(message: "cannot sync \(url.path): \(String(cString: strerror(errno)))") }
    }

    /// fsync a directory so a rename inside it survives a power cut.
    public static func syncDirectory(_ dir: URL) {
        let fd = open(dir.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Moves `source` into `folder`, keeping its name; when that name is taken by another
    /// file, appends `-2`, `-3`… before the extension. Returns the final URL.
    @discardableResult
    public static func move(_ source: URL, into folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent(freeName(for: source.lastPathComponent, in: folder))
        try rename(source, to: target)
        return target
    }

    /// `name`, or `stem-2.ext`, `stem-3.ext`… : the first name not taken in `folder`.
    public static func freeName(for name: String, in folder: URL) -> String {
        var candidate = name
        var n = 2
        let ext = (name as NSString).pathExtension
        let stem = (name as NSString).deletingPathExtension
        while FileManager.default.fileExists(atPath: folder.appendingPathComponent(candidate).path) {
            candidate = ext.isEmpty ? "\(stem)-\(n)" : "\(stem)-\(n).\(ext)"
            n += 1
        }
        return candidate
    }

    /// Atomic rename, then both directories synced.
    public static func rename(_ source: URL, to target: URL) throws {
        guard Glibc.rename(source.path, target.path) == 0 else {
            throw FileOpsError(message: "cannot move \(source.path) to \(target.path): \(String(cString: strerror(errno)))")
        }
        syncDirectory(target.deletingLastPathComponent())
        syncDirectory(source.deletingLastPathComponent())
    }

    public static func readBytes(_ url: URL) throws -> [UInt8] {
        do { return [UInt8](try Data(contentsOf: url, options: .alwaysMapped)) } catch {
            throw FileOpsError(message: "cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    /// The first `count` bytes of a file (fewer if shorter): enough to recognise its kind
    /// without reading a 100 MB export twice.
    public static func readHead(_ url: URL, count: Int) throws -> [UInt8] {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        } catch {
            throw FileOpsError(message: "cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    /// Lower-case hex SHA-256, the identity of a file's content.
    public static func sha256Hex(_ bytes: [UInt8]) -> String { ContentDigest.sha256Hex(bytes) }
}

public struct FileOpsError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
