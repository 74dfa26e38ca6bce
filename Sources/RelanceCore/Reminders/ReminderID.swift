/// The deterministic id of a reminder: `R<yyyymmdd>-<16 hex>`, from the as-of date, the
/// customer, the step, the channel and the currency.
///
/// Deterministic so that a batch re-rendered after a crash carries the same ids (and the same
/// Message-IDs) as the recorded one; FNV-1a 64 keeps the core free of a crypto dependency
/// (the ids are names, not secrets; a collision would be refused by the primary key).
public enum ReminderID {
    public static func make(asOf: Day, customerId: String, step: String, channel: ReminderChannel, currency: Currency) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in [customerId, step, channel.rawValue, currency.code] {
            for byte in part.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            hash ^= 0x1F
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        let (y, m, d) = asOf.components
        let date = pad(y, 4) + pad(m, 2) + pad(d, 2)
        return "R\(date)-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
