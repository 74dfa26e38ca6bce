/// The character encoding of an FEC file, decided once for the whole file.
///
/// The legal text allows any encoding the administration can read; in practice FECs are
/// UTF-8 or Windows-1252 ("ANSI", older Sage and Cegid exports). A file that is not valid
/// UTF-8 is read as Windows-1252, which maps every byte, so decoding never fails.
enum FECTextEncoding: Sendable, Equatable {
    case utf8
    case windows1252

    /// Decides from the whole file: UTF-8 when every byte sequence is valid UTF-8.
    static func detect(_ base: UnsafePointer<UInt8>, _ count: Int) -> FECTextEncoding {
        isValidUTF8(base, count) ? .utf8 : .windows1252
    }

    /// A strict UTF-8 validator (no overlongs, no surrogates, nothing above U+10FFFF) with a
    /// word-at-a-time fast path over ASCII, which is most of an FEC.
    static func isValidUTF8(_ base: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i < count {
            // Thirty-two ASCII bytes per test while they last (one branch instead of four:
            // 3.4 % of an FEC read went here with eight), then eight, then one.
            if i + 32 <= count {
                let w0 = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let w1 = raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                let w2 = raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)
                let w3 = raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
                if (w0 | w1 | w2 | w3) & 0x8080_8080_8080_8080 == 0 { i += 32; continue }
            }
            if i + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            let b0 = base[i]
            if b0 < 0x80 { i += 1; continue }
            @inline(__always) func cont(_ k: Int) -> Bool { i + k < count && base[i + k] & 0xC0 == 0x80 }
            switch b0 {
            case 0xC2...0xDF:
                guard cont(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard cont(1), cont(2) else { return false }
                let b1 = base[i + 1]
                if b0 == 0xE0 && b1 < 0xA0 { return false }   // overlong
                if b0 == 0xED && b1 > 0x9F { return false }   // surrogate
                i += 3
            case 0xF0...0xF4:
                guard cont(1), cont(2), cont(3) else { return false }
                let b1 = base[i + 1]
                if b0 == 0xF0 && b1 < 0x90 { return false }
                if b0 == 0xF4 && b1 > 0x8F { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }

    /// Windows-1252 code points for bytes 0x80–0x9F (the five unassigned bytes keep their
    /// C1 value, as Python's and WHATWG's decoders do).
    private static let cp1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Decodes a field, trimmed of surrounding spaces.
    @inline(__always)
    func string(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let (s, e) = FECFieldParsing.trim(base, start, end)
        if s == e { return "" }
        let bytes = UnsafeBufferPointer(start: base + s, count: e - s)
        switch self {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .windows1252:
            var ascii = true
            for b in bytes where b >= 0x80 { ascii = false; break }
            if ascii { return String(decoding: bytes, as: UTF8.self) }
            var out = String.UnicodeScalarView()
            for b in bytes {
                let v: UInt32 = (b >= 0x80 && b <= 0x9F) ? FECTextEncoding.cp1252High[Int(b - 0x80)] : UInt32(b)
                if let scalar = Unicode.Scalar(v) { out.append(scalar) }
            }
            return String(out)
        }
    }
}
