import Crypto

/// SHA-256 of content (attachments, archive members, published files): the identity used in
/// manifests, MIME boundaries and proofs. Backed by swift-crypto.
public enum ContentDigest {
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// Lower-case hexadecimal digest.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in SHA256.hash(data: bytes) {
            out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
