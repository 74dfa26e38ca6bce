import RelanceCore

/// An MS-DOS date and time as ZIP headers store it, and the byte-level pass that writes it
/// into every local header and central-directory record of an archive.
///
/// Why: libarchive derives these fields from `localtime()`, so the same archive written
/// under `TZ=Europe/Paris` and `TZ=UTC` would differ. Setting them afterwards from a `Day`
/// makes the bytes independent of the machine's time zone. No checksum covers these fields
/// (not the CRC, not the AES authentication code), so rewriting them is safe.
struct ZipDOSTimestamp: Equatable {
    var date: UInt16
    var time: UInt16

    /// 1980-01-01 00:00:00, the earliest time the format can hold.
    static let minimum = ZipDOSTimestamp(date: 0x0021, time: 0)

    private init(date: UInt16, time: UInt16) {
        self.date = date; self.time = time
    }

    /// Midnight of `day`; nil outside 1980-01-01…2106-12-31 (DOS dates end in 2107, the Unix
    /// `UT` field, an unsigned 32-bit count of seconds, in February 2106).
    init?(day: Day) {
        let (y, m, d) = day.components
        guard (1980...2106).contains(y), day.ordinal >= 0, Int64(day.ordinal) * 86_400 <= Int64(UInt32.max) else { return nil }
        date = UInt16((y - 1980) << 9 | m << 5 | d)
        time = 0
    }

    /// Writes this timestamp into each central-directory record and the local header it points
    /// to. Returns false, leaving the job unfinished, if the layout is not the plain one
    /// libarchive writes (end record without comment, offsets below 4 GiB, matching signatures).
    func apply(to zip: inout [UInt8], expectedEntries: Int) -> Bool {
        let eocd = zip.count - 22
        guard eocd >= 0, Self.u32(zip, eocd) == 0x0605_4B50 else { return false }
        let directorySize = Int(Self.u32(zip, eocd + 12))
        let directoryOffset = Int(Self.u32(zip, eocd + 16))
        guard directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF,
              directoryOffset + directorySize <= eocd else { return false }
        let end = directoryOffset + directorySize
        var position = directoryOffset
        var records = 0
        while position < end {
            guard position + 46 <= end, Self.u32(zip, position) == 0x0201_4B50 else { return false }
            let local = Int(Self.u32(zip, position + 42))
            guard local != 0xFFFF_FFFF, local + 30 <= directoryOffset, Self.u32(zip, local) == 0x0403_4B50 else { return false }
            write(into: &zip, at: position + 12)
            write(into: &zip, at: local + 10)
            let variable = Int(Self.u16(zip, position + 28)) + Int(Self.u16(zip, position + 30)) + Int(Self.u16(zip, position + 32))
            position += 46 + variable
            records += 1
        }
        return position == end && records == expectedEntries
    }

    private func write(into zip: inout [UInt8], at offset: Int) {
        zip[offset] = UInt8(time & 0xFF)
        zip[offset + 1] = UInt8(time >> 8)
        zip[offset + 2] = UInt8(date & 0xFF)
        zip[offset + 3] = UInt8(date >> 8)
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> UInt16 {
        UInt16(b[i]) | UInt16(b[i + 1]) << 8
    }

    private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
}
