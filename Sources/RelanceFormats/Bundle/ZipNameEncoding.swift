/// ZIP entry names written in an old DOS code page, found before libarchive reads the entries.
///
/// A ZIP name is UTF-8 only when general-purpose flag bit 11 says so (or an Info-ZIP Unicode
/// Path extra field, 0x7075, carries a UTF-8 copy); otherwise APPNOTE says it is in IBM code
/// page 437, and in practice it is in the OEM code page of the Windows that made it: CP850 in
/// France (Windows' built-in "compressed folder" before Windows 10 1903, old WinZip and
/// WinRAR). Such a name has no reliable reading: its bytes are not UTF-8, or worse, happen to
/// be (`├®` in CP850 is the two bytes of `é` in UTF-8), so a name ASCII alone is safe. The bundle
/// is refused, naming the entry as CP850 would show it and saying how to remake the archive.
enum ZipNameEncoding {
    /// The first entry of the central directory whose name is neither flagged UTF-8 nor
    /// ASCII: its raw name bytes. Nil for a ZIP without such an entry, and for anything the
    /// scan cannot follow (libarchive then reports the damage in its own words).
    static func firstLegacyName(_ zip: [UInt8]) -> [UInt8]? {
        guard let (start, count) = centralDirectory(zip) else { return nil }
        var p = start
        for _ in 0..<count {
            guard p + 46 <= zip.count, u32(zip, p) == 0x0201_4B50 else { return nil }
            let flags = u16(zip, p + 8)
            let nameLength = Int(u16(zip, p + 28))
            let extraLength = Int(u16(zip, p + 30))
            let commentLength = Int(u16(zip, p + 32))
            let nameStart = p + 46
            let extraStart = nameStart + nameLength
            let next = extraStart + extraLength + commentLength
            guard next <= zip.count else { return nil }
            let name = zip[nameStart..<extraStart]
            if flags & 0x0800 == 0, name.contains(where: { $0 >= 0x80 }),
               !hasUnicodePathField(zip, from: extraStart, to: extraStart + extraLength) {
                return Array(name)
            }
            p = next
        }
        return nil
    }

    /// The name as CP850 shows it, control characters as `?`.
    static func cp850(_ bytes: [UInt8]) -> String {
        var out = String.UnicodeScalarView()
        for b in bytes {
            if b < 0x20 || b == 0x7F {
                out.append("?")
            } else if b < 0x80 {
                out.append(Unicode.Scalar(b))
            } else if let s = Unicode.Scalar(cp850High[Int(b) - 0x80]) {
                out.append(s)
            }
        }
        return String(out)
    }

    static func reason(_ bytes: [UInt8]) -> String {
        "entry name is not UTF-8: the ZIP does not flag it as UTF-8 and it has bytes above 0x7F, so it is in an old "
            + "DOS code page (read as CP850: \(cp850(bytes))); re-create the bundle with UTF-8 names "
            + "(7-Zip, Info-ZIP zip 3, the Windows 10+ compressed folder, macOS Archive Utility)"
    }

    /// Offset and entry count of the central directory, from the end-of-central-directory
    /// record (searched back over a comment of at most 65,535 bytes). ZIP64 archives give
    /// 0xFFFF entries here: they are left to libarchive.
    private static func centralDirectory(_ zip: [UInt8]) -> (Int, Int)? {
        guard zip.count >= 22 else { return nil }
        var p = zip.count - 22
        let lowest = max(0, zip.count - 22 - 65_535)
        while p >= lowest {
            if zip[p] == 0x50, zip[p + 1] == 0x4B, zip[p + 2] == 0x05, zip[p + 3] == 0x06 {
                let count = Int(u16(zip, p + 10))
                let offset = Int(u32(zip, p + 16))
                guard count != 0xFFFF, offset < zip.count else { return nil }
                return (offset, count)
            }
            p -= 1
        }
        return nil
    }

    private static func hasUnicodePathField(_ zip: [UInt8], from: Int, to end: Int) -> Bool {
        var p = from
        while p + 4 <= end {
            let id = u16(zip, p)
            let size = Int(u16(zip, p + 2))
            if id == 0x7075 { return true }
            p += 4 + size
        }
        return false
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }

    /// Unicode scalars of CP850 bytes 0x80–0xFF.
    static let cp850High: [UInt32] = [
        0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
        0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
        0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
        0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192,
        0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
        0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
        0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0,
        0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510,
        0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3,
        0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4,
        0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x0131, 0x00CD, 0x00CE,
        0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580,
        0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE,
        0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4,
        0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8,
        0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0,
    ]
}
