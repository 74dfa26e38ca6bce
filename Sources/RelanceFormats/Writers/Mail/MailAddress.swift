/// A mailbox: an optional display name ("Zoé Durand", "Service recouvrement") and an address.
///
/// The address is checked when the message is rendered: plain ASCII `local@domain` only
/// (dot-atom local part, letters/digits/hyphens/dots domain). Quoted local parts and
/// internationalised addresses (SMTPUTF8) are refused rather than half-supported: a reminder
/// that a relay rejects later is worse than one refused now with the reason.
public struct MailAddress: Hashable, Sendable {
    public var address: String
    public var displayName: String?

    public init(_ address: String, displayName: String? = nil) {
        self.address = address
        self.displayName = displayName
    }

    /// RFC 5322 `atext`: the characters an unquoted local part or phrase word may hold.
    static func isAtext(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return "!#$%&'*+-/=?^_`{|}~".utf8.contains(b)
        }
    }

    /// A dot-atom: atext runs separated by single dots, no leading or trailing dot.
    static func isDotAtom<S: Sequence>(_ bytes: S) -> Bool where S.Element == UInt8 {
        var previousDot = true
        var any = false
        for b in bytes {
            if b == UInt8(ascii: ".") {
                if previousDot { return false }
                previousDot = true
            } else if isAtext(b) {
                previousDot = false
            } else {
                return false
            }
            any = true
        }
        return any && !previousDot
    }

    /// Host names: letters, digits, hyphens, in dot-separated labels.
    static func isDomain<S: Sequence>(_ bytes: S) -> Bool where S.Element == UInt8 {
        var previousDot = true
        var any = false
        for b in bytes {
            switch b {
            case UInt8(ascii: "."):
                if previousDot { return false }
                previousDot = true
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"):
                previousDot = false
            default:
                return false
            }
            any = true
        }
        return any && !previousDot
    }

    func validated(field: String) throws(MailHeaderError) {
        if MailHeaderEncoder.hasLineBreak(address) || MailHeaderEncoder.hasLineBreak(displayName ?? "") {
            throw .lineBreak(field: field)
        }
        let bytes = Array(address.utf8)
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")),
              MailAddress.isDotAtom(bytes[..<at]), MailAddress.isDomain(bytes[(at + 1)...]) else {
            throw .invalidAddress(field: field, address: address)
        }
    }
}
