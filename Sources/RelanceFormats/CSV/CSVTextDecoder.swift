/// Turns the raw bytes of a CSV export into UTF-8 without a byte-order mark, or says why not.
///
/// French ERP exports come in three flavours: UTF-8 (often with a BOM, as Excel writes it),
/// Windows-1252 ("ANSI", what most French accounting tools still write) and, from Excel's
/// "texte Unicode" export, UTF-16 with a BOM. The rules:
///
/// - A UTF-8 BOM is dropped; valid UTF-8 is used as is.
/// - UTF-16 with a BOM (`FF FE` little-endian, `FE FF` big-endian) is **decoded** to UTF-8;
///   an unpaired surrogate rejects the file.
/// - Anything else that is not valid UTF-8 is read as Windows-1252 and transcoded in one byte
///   loop. Windows-1252 is a superset of ISO-8859-1 for every printable character, so Latin-1
///   files read the same. ISO-8859-15 differs on eight code points, notably `€` at 0xA4
///   (Windows-1252 has `¤` there and `€` at 0x80): such files are rare in exports and cannot be
///   told apart from the bytes, so 0xA4 reads as `¤`; an amount written `12,00 ¤` is then
///   rejected as a bad amount rather than silently misread.
/// - A NUL byte, a known binary signature (PDF, ZIP/XLSX, XLS, gzip, PNG…) or a head made mostly
///   of control characters rejects the file as "binary data, not a CSV export".
public enum CSVTextDecoder {
    /// The reason given for anything that is not text.
    public static let binaryReason = "binary data, not a CSV export"

    public enum Failure: Error, Equatable, Sendable {
        case binary
        case invalidUTF16(byteOffset: Int)

        public var reason: String {
            switch self {
            case .binary: return CSVTextDecoder.binaryReason
            case let .invalidUTF16(offset): return "invalid UTF-16 text (unpaired surrogate at byte \(offset))"
            }
        }
    }

    /// Which encoding the bytes were read in, for notes and tests.
    public enum SourceEncoding: String, Sendable, Equatable {
        case utf8, utf8BOM = "utf8-bom", utf16LE = "utf16le", utf16BE = "utf16be", windows1252
    }

    /// UTF-8 bytes without BOM, and the encoding they came from.
    public static func decode(_ bytes: [UInt8]) -> Result<(bytes: [UInt8], encoding: SourceEncoding), Failure> {
        if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE {
            return utf16ToUTF8(bytes, littleEndian: true).map { ($0, .utf16LE) }.flatMap(checkText)
        }
        if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF {
            return utf16ToUTF8(bytes, littleEndian: false).map { ($0, .utf16BE) }.flatMap(checkText)
        }
        if hasBinarySignature(bytes) { return .failure(.binary) }
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        let start = hasBOM ? 3 : 0
        let scan = scanUTF8(bytes, from: start)
        if scan.hasNUL { return .failure(.binary) }
        let result: ([UInt8], SourceEncoding)
        if scan.valid {
            result = (hasBOM ? Array(bytes[3...]) : bytes, hasBOM ? .utf8BOM : .utf8)
        } else {
            result = (windows1252ToUTF8(bytes), .windows1252)
        }
        return checkText(result)
    }

    /// Rejects a decoded text whose head is mostly control characters.
    private static func checkText(_ r: ([UInt8], SourceEncoding)) -> Result<(bytes: [UInt8], encoding: SourceEncoding), Failure> {
        if mostlyControl(r.0[...]) { return .failure(.binary) }
        if r.1 == .utf16LE || r.1 == .utf16BE {
            if r.0.contains(0) { return .failure(.binary) }
        }
        return .success((r.0, r.1))
    }

    /// True when more than one byte in ten of the first 64 KiB is a C0 control other than
    /// tab, CR, LF, FF and SUB (the DOS end-of-file mark some exports still append).
    static func mostlyControl(_ head: ArraySlice<UInt8>) -> Bool {
        let n = min(head.count, 65_536)
        if n == 0 { return false }
        var controls = 0
        var i = head.startIndex
        let end = head.startIndex + n
        while i < end {
            let b = head[i]
            if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1A { controls += 1 }
            i += 1
        }
        return controls * 10 > n
    }

    /// Signatures of file kinds that users drop into an inbox by mistake.
    static func hasBinarySignature<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8, C.Index == Int {
        func starts(_ sig: [UInt8]) -> Bool {
            guard bytes.count >= sig.count else { return false }
            var i = bytes.startIndex
            for s in sig {
                if bytes[i] != s { return false }
                i += 1
            }
            return true
        }
        return starts([0x25, 0x50, 0x44, 0x46, 0x2D])            // %PDF-
            || starts([0x50, 0x4B, 0x03, 0x04])                  // ZIP, XLSX, ODS
            || starts([0xD0, 0xCF, 0x11, 0xE0])                  // OLE2: XLS, DOC
            || starts([0x1F, 0x8B])                              // gzip
            || starts([0x89, 0x50, 0x4E, 0x47])                  // PNG
            || starts([0xFF, 0xD8, 0xFF])                        // JPEG
            || starts([0x53, 0x51, 0x4C, 0x69, 0x74, 0x65, 0x20]) // "SQLite "
    }

    /// One pass: is it valid UTF-8 (shortest forms, no surrogates, ≤ U+10FFFF), and is there a NUL?
    static func scanUTF8(_ bytes: [UInt8], from start: Int) -> (valid: Bool, hasNUL: Bool) {
        bytes.withUnsafeBufferPointer { buf -> (Bool, Bool) in
            let n = buf.count
            var i = start
            var valid = true
            var nul = false
            guard let base = buf.baseAddress else { return (true, false) }
            let raw = UnsafeRawPointer(base)
            while i < n {
                // ASCII fast path, eight bytes at a time.
                if i + 8 <= n {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if w & 0x8080_8080_8080_8080 == 0 {
                        // Any zero byte in w?
                        if (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080 != 0 { nul = true; if !valid { break } }
                        i += 8
                        continue
                    }
                }
                let b = base[i]
                if b < 0x80 {
                    if b == 0 { nul = true }
                    i += 1
                    continue
                }
                guard valid else { i += 1; continue }
                var need = 0
                var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
                switch b {
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; lower = 0xA0
                case 0xE1...0xEC, 0xEE, 0xEF: need = 2
                case 0xED: need = 2; upper = 0x9F
                case 0xF0: need = 3; lower = 0x90
                case 0xF1...0xF3: need = 3
                case 0xF4: need = 3; upper = 0x8F
                default: valid = false; i += 1; continue
                }
                if i + need >= n { valid = false; i += 1; continue }
                let c1 = base[i + 1]
                if c1 < lower || c1 > upper { valid = false; i += 1; continue }
                var ok = true
                var k = 2
                while k <= need {
                    if base[i + k] & 0xC0 != 0x80 { ok = false; break }
                    k += 1
                }
                if !ok { valid = false; i += 1; continue }
                i += need + 1
            }
            return (valid, nul)
        }
    }

    /// Windows-1252 code points for 0x80–0x9F. The five unassigned bytes keep their C1 value,
    /// as ISO-8859-1 would read them.
    static let cp1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Transcodes Windows-1252 to UTF-8 (a leading UTF-8 BOM cannot occur: the file was not
    /// UTF-8). One pass sizes the output exactly, a second writes it, ASCII eight bytes at a time.
    public static func windows1252ToUTF8(_ bytes: [UInt8]) -> [UInt8] {
        // UTF-8 length of each byte's character.
        var size = 0
        for b in bytes {
            size += b < 0x80 ? 1 : (b >= 0xA0 ? 2 : (cp1252High[Int(b - 0x80)] < 0x800 ? 2 : 3))
        }
        return bytes.withUnsafeBufferPointer { src -> [UInt8] in
            [UInt8](unsafeUninitializedCapacity: size) { dst, count in
                guard let s = src.baseAddress, let d = dst.baseAddress else { count = 0; return }
                let n = src.count
                var i = 0, o = 0
                while i < n {
                    if i + 8 <= n {
                        let w = UnsafeRawPointer(s + i).loadUnaligned(as: UInt64.self)
                        if w & 0x8080_8080_8080_8080 == 0 {
                            UnsafeMutableRawPointer(d + o).storeBytes(of: w, as: UInt64.self)
                            i += 8; o += 8
                            continue
                        }
                    }
                    let b = s[i]
                    i += 1
                    if b < 0x80 {
                        d[o] = b; o += 1
                    } else if b >= 0xA0 {
                        d[o] = 0xC0 | (b >> 6); d[o + 1] = 0x80 | (b & 0x3F); o += 2
                    } else {
                        let v = UInt32(cp1252High[Int(b - 0x80)])
                        if v < 0x800 {
                            d[o] = UInt8(0xC0 | (v >> 6)); d[o + 1] = UInt8(0x80 | (v & 0x3F)); o += 2
                        } else {
                            d[o] = UInt8(0xE0 | (v >> 12)); d[o + 1] = UInt8(0x80 | ((v >> 6) & 0x3F)); d[o + 2] = UInt8(0x80 | (v & 0x3F)); o += 3
                        }
                    }
                }
                count = o
            }
        }
    }

    @inline(__always)
    static func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 {
            out.append(UInt8(v))
        } else if v < 0x800 {
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Decodes UTF-16 after its two-byte BOM. An odd trailing byte or an unpaired surrogate fails.
    static func utf16ToUTF8(_ bytes: [UInt8], littleEndian: Bool) -> Result<[UInt8], Failure> {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count / 2 + 16)
        var i = 2
        let n = bytes.count
        @inline(__always) func unit(_ at: Int) -> UInt32 {
            littleEndian ? UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 : UInt32(bytes[at]) << 8 | UInt32(bytes[at + 1])
        }
        while i + 1 < n {
            let u = unit(i)
            if u >= 0xD800 && u <= 0xDBFF {
                guard i + 3 < n else { return .failure(.invalidUTF16(byteOffset: i)) }
                let l = unit(i + 2)
                guard l >= 0xDC00 && l <= 0xDFFF else { return .failure(.invalidUTF16(byteOffset: i)) }
                appendScalar(0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00), to: &out)
                i += 4
            } else if u >= 0xDC00 && u <= 0xDFFF {
                return .failure(.invalidUTF16(byteOffset: i))
            } else {
                appendScalar(u, to: &out)
                i += 2
            }
        }
        if i < n { return .failure(.invalidUTF16(byteOffset: i)) }
        return .success(out)
    }
}
