/// The checks an entry's path must pass before a single byte of it is read.
///
/// Why so strict: a bundle's names end up in messages, in the store and, later, as paths in
/// litigation dossiers. A name that climbs out of its folder (`../../etc/x`), starts at a
/// root (`/x`, `C:\x`, `\\server\x`), hides control characters or is not UTF-8 is a sign of a
/// forged archive, so the whole bundle is refused rather than the entry skipped.
enum BundleEntryName {
    enum Outcome: Equatable {
        /// The normalised path: `/`-separated, no empty or `.` components. Empty for `./`.
        case valid(String)
        /// `display` is the name made printable (invalid UTF-8 and control characters replaced).
        case invalid(display: String, reason: String)
    }

    static func normalize(_ raw: [UInt8]?) -> Outcome {
        guard let raw else {
            return .invalid(display: "(unreadable name)", reason: "entry name is not valid UTF-8")
        }
        let display = printable(raw)
        guard let name = String(validating: raw, as: UTF8.self) else {
            return .invalid(display: display, reason: "entry name is not valid UTF-8")
        }
        if name.isEmpty {
            return .invalid(display: "(empty name)", reason: "entry has an empty name")
        }
        if name.unicodeScalars.contains(where: isControl) {
            return .invalid(display: display, reason: "entry name contains control characters")
        }
        if isAbsolute(name) {
            return .invalid(display: display, reason: "entry path is absolute")
        }
        let components = name.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "\\" })
        if components.contains("..") {
            return .invalid(display: display, reason: "entry path contains a `..` component (path traversal)")
        }
        return .valid(components.filter { !$0.isEmpty && $0 != "." }.joined(separator: "/"))
    }

    /// `.DS_Store`, `._invoice.csv` (AppleDouble), `.git/…`, `__MACOSX/…`: operating-system
    /// and tool litter, skipped and listed in a note.
    static func isSystemLitter(_ normalized: String) -> Bool {
        let components = normalized.split(separator: "/")
        if components.first == "__MACOSX" { return true }
        return components.contains { $0.hasPrefix(".") }
    }

    /// `/x`, `\x`, `\\server\share`, `C:\x`, `C:x`, `C:/x`.
    private static func isAbsolute(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars.prefix(2))
        guard let first = scalars.first else { return false }
        if first == "/" || first == "\\" { return true }
        if scalars.count == 2, scalars[1] == ":", first.isASCII, first.properties.isAlphabetic { return true }
        return false
    }

    private static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || s.value == 0x7F || (0x80...0x9F).contains(s.value)
    }

    /// The name as it can be shown in a message: invalid bytes become U+FFFD, control
    /// characters `?`, so a forged name cannot break a line of an `.errors.txt`.
    private static func printable(_ raw: [UInt8]) -> String {
        var out = String.UnicodeScalarView()
        for s in String(decoding: raw, as: UTF8.self).unicodeScalars {
            out.append(isControl(s) ? "?" : s)
        }
        return out.isEmpty ? "(empty name)" : String(out)
    }
}
