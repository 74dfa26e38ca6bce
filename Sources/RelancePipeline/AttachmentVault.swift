import Foundation
import RelanceCore

/// Keeps attachment files (invoice PDFs…) by content: `state/attachments/<sha256>`.
///
/// Written before the store transaction that references them, so a crash leaves at worst an
/// unreferenced file, never a reference to a missing one; writing the same content twice is a no-op.
public struct AttachmentVault: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public func url(forSHA256 sha: String) -> URL { root.appendingPathComponent(sha) }

    /// Saves each attachment; returns their SHA-256 in the same order.
    @discardableResult
    public func save(_ attachments: [Attachment]) throws -> [String] {
        try attachments.map { a in
            let sha = FileOps.sha256Hex(a.bytes)
            let url = url(forSHA256: sha)
            if !FileManager.default.fileExists(atPath: url.path) {
                try FileOps.writeAtomically(a.bytes, to: url)
            }
            return sha
        }
    }

    public func bytes(sha256: String) throws -> [UInt8] { try FileOps.readBytes(url(forSHA256: sha256)) }
}
