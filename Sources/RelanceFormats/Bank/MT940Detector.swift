import RelanceCore

/// Recognises SWIFT MT940 statements so that the pipeline can refuse them with a useful
/// reason instead of "unknown format": MT940 is not read (its `:86:` remittance text has a
/// different sub-field layout at every bank), and every bank that sends MT940 can send
/// camt.053 or, in France, CFONB 120.
public enum MT940Detector {
    /// The rejection reason for a recognised MT940 file.
    public static let rejectionReason = "MT940 statements are not supported; ask the bank for camt.053 or CFONB 120"

    /// True when the head of a file has the MT940 statement tags: `:20:` (transaction
    /// reference), `:25:` (account) and an opening balance `:60F:`/`:60M:`, each at the start
    /// of a line (after any bank header lines such as `ABNANL2A` or `940 00`).
    public static func looksLikeMT940(_ head: [UInt8]) -> Bool {
        var has20 = false, has25 = false, has60 = false
        var i = 0
        let n = head.count
        while i < n {
            // At the start of a line: skip leading blanks, then look for a tag.
            var j = i
            while j < n, head[j] == 0x20 || head[j] == 0x09 { j += 1 }
            if j + 4 < n, head[j] == 0x3A {
                let tag = head[(j + 1)..<min(n, j + 5)]
                if tag.starts(with: [0x32, 0x30, 0x3A]) { has20 = true }                  // 20:
                if tag.starts(with: [0x32, 0x35, 0x3A]) { has25 = true }                  // 25:
                if tag.starts(with: [0x36, 0x30, 0x46, 0x3A]) || tag.starts(with: [0x36, 0x30, 0x4D, 0x3A]) { has60 = true }  // 60F: 60M:
            }
            while i < n, head[i] != 0x0A { i += 1 }
            i += 1
        }
        return has20 && has25 && has60
    }

    /// The rejection the pipeline files for `bytes` when they are an MT940 statement, else nil.
    public static func rejection(for bytes: [UInt8], context: ReadContext) -> InputRejection? {
        looksLikeMT940(Array(bytes.prefix(8192))) ? context.reject(line: 1, "MT940", rejectionReason) : nil
    }
}
