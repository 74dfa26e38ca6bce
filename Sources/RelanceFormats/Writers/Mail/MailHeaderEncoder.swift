/// Header-field encoding: RFC 2047 encoded-words for non-ASCII text, RFC 5322 quoting of
/// display names, and folding under 78 columns.
///
/// A header value is built as a list of "atoms" (pieces without a place to break inside)
/// that are joined by one space or, when the line would pass 78 columns, by CRLF + space.
/// Encoded-words are cut on character boundaries (never inside a UTF-8 sequence, and
/// whole grapheme clusters when they fit) so every word decodes on its own.
///
/// Never a break right after `Name:`: Python's parser keeps the folding space as a leading
/// space of the value. The first encoded-word is made short enough to share the name's line.
enum MailHeaderEncoder {
    /// RFC 5322 §2.1.1: lines SHOULD stay within 78 characters, CRLF excluded.
    static let maxLineLength = 78
    /// UTF-8 bytes per encoded-word on a continuation line: 45 bytes → 60 base64 characters →
    /// a 72-character word (RFC 2047's limit is 75), 73 columns with the leading space,
    /// 74 with an address list's comma.
    static let encodedWordBytes = 45
    /// `=?UTF-8?B?` + `?=`.
    static let encodedWordOverhead = 12

    static func hasLineBreak(_ s: String) -> Bool {
        s.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    /// Columns left for the first atom after `Name: `.
    static func firstLineRoom(_ name: String) -> Int { maxLineLength - name.utf8.count - 2 }

    /// `Name: atom atom` folded: a new line (CRLF + one space) starts before an atom that
    /// would push the line past 78 columns, never before the first atom.
    static func fold(name: String, atoms: [String]) -> String {
        var out = name + ":"
        var lineLength = out.utf8.count
        for (i, atom) in atoms.enumerated() {
            let length = atom.utf8.count
            if i > 0 && lineLength + 1 + length > maxLineLength {
                out += "\r\n " + atom
                lineLength = 1 + length
            } else {
                out += " " + atom
                lineLength += 1 + length
            }
        }
        return out + "\r\n"
    }

    /// `=?UTF-8?B?…?=` words covering `text` exactly (RFC decoders drop the spaces between
    /// adjacent encoded-words). The first word fits in `firstRoom` columns when given.
    static func encodedWords(_ text: String, firstRoom: Int? = nil) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        var budget = encodedWordBytes
        if let firstRoom { budget = max(3, min(encodedWordBytes, (firstRoom - encodedWordOverhead) / 4 * 3)) }
        func flush() {
            if !chunk.isEmpty { words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=") }
            chunk.removeAll(keepingCapacity: true)
            budget = encodedWordBytes
        }
        for character in text {
            let bytes = Array(character.utf8)
            if bytes.count <= budget {
                if chunk.count + bytes.count > budget { flush() }
                chunk += bytes
            } else {
                // A grapheme cluster longer than a word (long emoji sequences): cut between scalars.
                for scalar in character.unicodeScalars {
                    let scalarBytes = Array(String(scalar).utf8)
                    if chunk.count + scalarBytes.count > budget { flush() }
                    chunk += scalarBytes
                }
            }
        }
        flush()
        return words
    }

    /// Atoms for an unstructured value (Subject, X- headers): the plain words when the text is
    /// printable ASCII that survives folding and unfolding unchanged, encoded-words otherwise.
    static func unstructuredAtoms(_ text: String, firstRoom: Int) -> [String] {
        if isFoldableASCII(text) { return text.split(separator: " ").map(String.init) }
        return encodedWords(text, firstRoom: firstRoom)
    }

    /// Printable ASCII with single spaces between words, no edge spaces, no word longer than
    /// a continuation line, and nothing a decoder would take for an encoded-word (`=?`).
    static func isFoldableASCII(_ text: String) -> Bool {
        if text.isEmpty { return true }
        var previousSpace = true
        var wordLength = 0
        var previous: UInt8 = 0
        for b in text.utf8 {
            guard (0x20...0x7E).contains(b) else { return false }
            if b == 0x20 {
                if previousSpace { return false }
                previousSpace = true
                wordLength = 0
            } else {
                previousSpace = false
                wordLength += 1
                if wordLength > maxLineLength - 2 { return false }
            }
            if previous == UInt8(ascii: "=") && b == UInt8(ascii: "?") { return false }
            previous = b
        }
        return !previousSpace
    }

    /// Atoms for a display name: plain words when they are all atext, one quoted-string when
    /// the name is short printable ASCII with specials (`"Dupont, Jean"`); otherwise atext words
    /// stay plain and each run of other words becomes encoded-words (`=?UTF-8?B?Wm/DqQ==?= Durand`).
    ///
    /// Runs keep their inner spaces inside the encoded text, and a run is only cut into several
    /// encoded-words when longer than one word: Python's address parser (3.11) wrongly keeps
    /// the whitespace between adjacent encoded-words of a phrase (RFC 2047 §6.2 says drop it),
    /// so keeping names in as few words as possible keeps both kinds of reader exact.
    static func phraseAtoms(_ name: String, firstRoom: Int?) -> [String] {
        if isFoldableASCII(name) {
            let words = name.split(separator: " ")
            if words.allSatisfy({ $0.utf8.allSatisfy(MailAddress.isAtext) }) { return words.map(String.init) }
            if name.utf8.count <= 60 {
                var quoted = "\""
                for ch in name.unicodeScalars {
                    if ch == "\"" || ch == "\\" { quoted += "\\" }
                    quoted.unicodeScalars.append(ch)
                }
                return [quoted + "\""]
            }
        }
        // Single spaces between words and none at the edges, else the spaces would not survive.
        let words = name.split(separator: " ", omittingEmptySubsequences: false)
        guard !words.contains(where: \.isEmpty) else { return encodedWords(name, firstRoom: firstRoom) }
        var atoms: [String] = []
        var run: [Substring] = []
        func flushRun() {
            if !run.isEmpty { atoms += encodedWords(run.joined(separator: " "), firstRoom: atoms.isEmpty ? firstRoom : nil) }
            run.removeAll()
        }
        for word in words {
            if word.utf8.allSatisfy(MailAddress.isAtext) && !word.contains("=?") {
                flushRun()
                atoms.append(String(word))
            } else {
                run.append(word)
            }
        }
        flushRun()
        return atoms
    }

    /// Atoms for a list of mailboxes, a comma after each but the last.
    static func mailboxAtoms(_ boxes: [MailAddress], headerName: String) -> [String] {
        var atoms: [String] = []
        for (i, box) in boxes.enumerated() {
            var piece: [String]
            if let name = box.displayName, !name.isEmpty {
                piece = phraseAtoms(name, firstRoom: i == 0 ? firstLineRoom(headerName) : nil) + ["<" + box.address + ">"]
            } else {
                piece = [box.address]
            }
            if i < boxes.count - 1 { piece[piece.count - 1] += "," }
            atoms += piece
        }
        return atoms
    }
}
