/// Attachment file names in `Content-Disposition`: RFC 2231 `filename*` (UTF-8, percent-encoded,
/// cut into `filename*0*`, `filename*1*`… so no line passes 78 columns) followed by an ASCII
/// `filename=` for mail readers that ignore RFC 2231.
///
/// `filename*` comes first because readers that take the first `filename` they meet (Python's
/// `email` among them) then pick the exact name; the ones that know RFC 2231 prefer it anyway.
/// A name that is already short plain ASCII gets `filename=` alone.
enum AttachmentFilename {
    /// Percent-encoded characters per continuation line.
    static let chunkLength = 48

    static func dispositionParameters(_ name: String, fallback: String) -> [String] {
        if name == fallback && isPlainASCII(name) { return ["filename=\"" + name + "\""] }
        let encoded = percentEncoded(name)
        var params: [String] = []
        if encoded.count <= chunkLength {
            params.append("filename*=UTF-8''" + String(decoding: encoded, as: UTF8.self) + ";")
        } else {
            var start = 0
            var index = 0
            while start < encoded.count {
                var end = min(start + chunkLength, encoded.count)
                // Never cut a %XX triplet.
                if end < encoded.count {
                    if encoded[end - 1] == UInt8(ascii: "%") { end -= 1 } else if end >= 2 && encoded[end - 2] == UInt8(ascii: "%") { end -= 2 }
                }
                let prefix = index == 0 ? "UTF-8''" : ""
                params.append("filename*\(index)*=" + prefix + String(decoding: encoded[start..<end], as: UTF8.self) + ";")
                start = end
                index += 1
            }
        }
        params.append("filename=\"" + fallback + "\"")
        return params
    }

    /// Short printable ASCII without quotes or backslashes: safe inside a quoted-string as is.
    static func isPlainASCII(_ name: String) -> Bool {
        name.utf8.count <= 60 && !name.isEmpty
            && name.utf8.allSatisfy { (0x20...0x7E).contains($0) && $0 != 0x22 && $0 != 0x5C }
    }

    /// RFC 2231 / RFC 5987 attr-char kept, every other byte `%XX`.
    static func percentEncoded(_ name: String) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        let kept = Array("!#$&+-.^_`|~".utf8)
        var out: [UInt8] = []
        for b in name.utf8 {
            if (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || kept.contains(b) {
                out.append(b)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            }
        }
        return out
    }

    /// An ASCII stand-in: French accents folded to their base letter (é → e, œ → oe, € → EUR,
    /// — → -, n° → no),
    /// anything else → `_`, cut to 60 characters keeping the extension.
    static func asciiFallback(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            if (0x20...0x7E).contains(scalar.value) && scalar != "\"" && scalar != "\\" {
                out.unicodeScalars.append(scalar)
            } else if let folded = folding[scalar] {
                out += folded
            } else {
                out += "_"
            }
        }
        if out.utf8.count > 60 {
            let dot = out.lastIndex(of: ".")
            let ext = dot.map { String(out[$0...]) } ?? ""
            let keep = ext.count <= 10 ? ext : ""
            out = String(out.prefix(60 - keep.count)) + keep
        }
        return out.isEmpty ? "attachment" : out
    }

    private static let folding: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        let groups: [(String, String)] = [
            ("àáâãäå", "a"), ("ÀÁÂÃÄÅ", "A"), ("èéêë", "e"), ("ÈÉÊË", "E"), ("ìíîï", "i"), ("ÌÍÎÏ", "I"),
            ("òóôõöø", "o"), ("ÒÓÔÕÖØ", "O"), ("ùúûü", "u"), ("ÙÚÛÜ", "U"), ("ýÿ", "y"), ("ÝŸ", "Y"),
            ("ç", "c"), ("Ç", "C"), ("ñ", "n"), ("Ñ", "N"),
        ]
        for (letters, base) in groups { for s in letters.unicodeScalars { table[s] = base } }
        table["œ"] = "oe"; table["Œ"] = "OE"; table["æ"] = "ae"; table["Æ"] = "AE"; table["ß"] = "ss"
        table["€"] = "EUR"; table["’"] = "'"; table["\u{00A0}"] = " "; table["\u{202F}"] = " "
        table["–"] = "-"; table["—"] = "-"; table["°"] = "o"
        return table
    }()
}
