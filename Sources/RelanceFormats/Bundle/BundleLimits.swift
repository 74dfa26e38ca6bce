/// How much a bundle may cost before it is refused as a decompression bomb.
///
/// Every limit counts bytes actually produced by decompression, never the sizes an archive
/// header claims: a forged header is the oldest trick of zip bombs. The defaults fit an
/// accountant's monthly export (a few hundred files, a few hundred MB at most) with room
/// to spare; tests lower them to exercise each one cheaply.
public struct BundleLimits: Sendable, Equatable {
    /// Bytes decompressed over the whole bundle, nested bundles and ignored entries included.
    public var maxTotalBytes: Int
    /// Bytes decompressed for one entry.
    public var maxEntryBytes: Int
    /// Entries of any kind (files, folders, ignored dotfiles), nested bundles included.
    public var maxEntries: Int
    /// Largest accepted ratio of decompressed to compressed bytes for one entry…
    public var maxCompressionRatio: Int
    /// …once that entry has produced more than this many bytes (small files compress
    /// absurdly well without being dangerous).
    public var ratioAppliesAbove: Int

    public init(maxTotalBytes: Int = 512 * 1024 * 1024, maxEntryBytes: Int = 256 * 1024 * 1024,
                maxEntries: Int = 10_000, maxCompressionRatio: Int = 200, ratioAppliesAbove: Int = 1024 * 1024) {
        self.maxTotalBytes = maxTotalBytes; self.maxEntryBytes = maxEntryBytes; self.maxEntries = maxEntries
        self.maxCompressionRatio = maxCompressionRatio; self.ratioAppliesAbove = ratioAppliesAbove
    }

    /// `512 MiB`, `64 KiB`, `1000 bytes`: limits as they appear in rejection reasons.
    static func describe(bytes: Int) -> String {
        let mebi = 1024 * 1024
        if bytes >= mebi && bytes % mebi == 0 { return "\(bytes / mebi) MiB" }
        if bytes >= 1024 && bytes % 1024 == 0 { return "\(bytes / 1024) KiB" }
        return "\(bytes) bytes"
    }
}
