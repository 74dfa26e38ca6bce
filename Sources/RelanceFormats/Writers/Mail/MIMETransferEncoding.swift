/// Base64 with no line breaks, for encoded-words and the base64 body lines.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: encodeBytes(bytes), as: UTF8.self)
    }

    static func encodeBytes<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let a = iterator.next() {
            let b = iterator.next(), c = iterator.next()
            let n = UInt32(a) << 16 | UInt32(b ?? 0) << 8 | UInt32(c ?? 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(b == nil ? UInt8(ascii: "=") : alphabet[Int(n >> 6 & 63)])
            out.append(c == nil ? UInt8(ascii: "=") : alphabet[Int(n & 63)])
        }
        return out
    }
}

/// The two Content-Transfer-Encodings the writer uses, both 7-bit safe for any relay.
public enum MIMETransferEncoding {
    /// Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 §6.8).
    public static func base64Lines(_ bytes: [UInt8]) -> [UInt8] {
        let flat = Base64.encodeBytes(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(flat.count + flat.count / 76 * 2 + 2)
        var i = 0
        while i < flat.count {
            let end = min(i + 76, flat.count)
            out += flat[i..<end]
            out += [0x0D, 0x0A]
            i = end
        }
        return out
    }

    /// Quoted-printable (RFC 2045 §6.7) of text whose line breaks (LF, CR or CRLF) become CRLF.
    ///
    /// Lines stay within 76 characters through soft breaks (75 + the "="); trailing blanks are encoded so
    /// that no relay can strip them. Two defensive extras: a `.` at the start of a physical
    /// line is written `=2E` (a lone dot ends the message for `sendmail` run without `-i`) and a
    /// line starting `From ` gets `=46` (mbox files would otherwise mangle it to `>From `).
    public static func quotedPrintable(_ text: String) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        var lines: [[UInt8]] = [[]]
        var previousCR = false
        for b in text.utf8 {
            if b == 0x0A {
                if !previousCR { lines.append([]) }
                previousCR = false
            } else if b == 0x0D {
                lines.append([])
                previousCR = true
            } else {
                lines[lines.count - 1].append(b)
                previousCR = false
            }
        }
        for (index, line) in lines.enumerated() {
            var lineLength = 0
            for (i, b) in line.enumerated() {
                let last = i == line.count - 1
                let startsFrom = lineLength == 0 && b == UInt8(ascii: "F") && line[i...].starts(with: "From ".utf8)
                let literal: Bool
                switch b {
                case 0x09, 0x20: literal = !last
                case UInt8(ascii: "="): literal = false
                case UInt8(ascii: "."): literal = lineLength != 0
                case 0x21...0x7E: literal = !startsFrom
                default: literal = false
                }
                let token: [UInt8] = literal ? [b] : [UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
                // Keep room for a soft-break "=" on every line (also the last, see `EMLWriter`).
                if lineLength + token.count > 75 {
                    out += [UInt8(ascii: "="), 0x0D, 0x0A]
                    lineLength = 0
                    if b == UInt8(ascii: ".") || startsFromAfterBreak(line, i) {
                        let escaped: [UInt8] = [UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
                        out += escaped
                        lineLength = 3
                        continue
                    }
                }
                out += token
                lineLength += token.count
            }
            if index < lines.count - 1 { out += [0x0D, 0x0A] }
        }
        return out
    }

    private static func startsFromAfterBreak(_ line: [UInt8], _ i: Int) -> Bool {
        line[i...].starts(with: "From ".utf8)
    }
}
