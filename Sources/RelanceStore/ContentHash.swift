import Crypto

/// SHA-256 of attachment bytes, which the store keeps content-addressed (swift-crypto).
enum ContentHash {
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { b in
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }.joined()
    }
}
