/// How an SMS text will travel, and what it costs: GSM-7 septets or UCS-2 code units.
///
/// 3GPP TS 23.038: a message whose every character is in the GSM 7-bit default alphabet or
/// its extension table is sent in septets (160 per SMS; the extension characters
/// `€ [ ] { } \ ^ ~ |` and form feed take two, an escape plus the character). One character
/// outside that set (ê, ç, œ, the curly apostrophe ’, an emoji…) switches the whole message
/// to UCS-2: 70 UTF-16 code units per SMS. Concatenated messages lose room to the user data
/// header: 153 septets or 67 code units per part, and a part never splits an escape pair or a
/// surrogate pair. French text crosses that line easily: é, è, à, ù are GSM-7 but ê, â, î, ô,
/// û, ç and œ are not, nor is the typographic apostrophe; `nonGSMCharacters` names the culprits
/// so a template can be fixed (or its cost accepted).
public struct SMSText: Hashable, Sendable {
    public enum Encoding: String, Sendable {
        case gsm7
        case ucs2
    }

    public let text: String
    public let encoding: Encoding
    /// Septets for GSM-7, UTF-16 code units for UCS-2.
    public let units: Int
    /// Parts when sent as a concatenated SMS (1 when it fits one SMS, including the empty text).
    public let segments: Int
    /// The characters that forced UCS-2, in order of first appearance (empty for GSM-7).
    public let nonGSMCharacters: [Character]

    public var fitsInOneSMS: Bool { segments == 1 }

    public static let singleGSM7 = 160
    public static let concatenatedGSM7 = 153
    public static let singleUCS2 = 70
    public static let concatenatedUCS2 = 67

    public init(_ text: String) {
        self.text = text
        var foreign: [Character] = []
        for character in text where character.unicodeScalars.contains(where: { GSM7Alphabet.septets($0) == nil }) {
            if !foreign.contains(character) { foreign.append(character) }
        }
        nonGSMCharacters = foreign
        // Sizes of the indivisible pieces: one scalar each (1 or 2 septets, 1 or 2 UTF-16 units).
        let pieces: [Int]
        if foreign.isEmpty {
            encoding = .gsm7
            pieces = text.unicodeScalars.map { GSM7Alphabet.septets($0) ?? 0 }
        } else {
            encoding = .ucs2
            pieces = text.unicodeScalars.map { $0.utf16.count }
        }
        units = pieces.reduce(0, +)
        let single = encoding == .gsm7 ? SMSText.singleGSM7 : SMSText.singleUCS2
        let part = encoding == .gsm7 ? SMSText.concatenatedGSM7 : SMSText.concatenatedUCS2
        if units <= single {
            segments = 1
        } else {
            var count = 1
            var used = 0
            for piece in pieces {
                if used + piece > part { count += 1; used = 0 }
                used += piece
            }
            segments = count
        }
    }
}

/// The GSM 03.38 default alphabet and its extension table (3GPP TS 23.038 §6.2.1).
enum GSM7Alphabet {
    /// The 128 characters of the default table, in code order (0x1B, the escape, excluded).
    static let basic: Set<Unicode.Scalar> = {
        let table = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
        return Set(table.unicodeScalars)
    }()

    /// Reached through the escape 0x1B: two septets each.
    static let extended: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)

    /// 1 or 2 septets, or nil when the character is not in GSM-7.
    static func septets(_ scalar: Unicode.Scalar) -> Int? {
        if basic.contains(scalar) { return 1 }
        if extended.contains(scalar) { return 2 }
        return nil
    }
}
