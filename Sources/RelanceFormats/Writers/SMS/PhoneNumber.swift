/// A phone number in E.164 form (`+33612345678`), the only form SMS gateways take.
///
/// Customer files hold numbers as people type them: `06 12 34 56 78`, `+33 6 12 34 56 78`,
/// `0033 6…`, `+33 (0)6…`, `06.12.34.56.78`. `parse` accepts those for France (the default
/// country) and a handful of neighbours, and refuses anything else with the reason, rather
/// than sending reminders to a guessed number.
///
/// French overseas departments dial as French numbers at home (`0692 …`) but have their own
/// country codes: national numbers of Réunion/Mayotte, Guadeloupe, Guyane and Martinique are
/// mapped to +262, +590, +594 and +596 (ARCEP numbering plan).
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    /// Country calling code, digits only (`33`).
    public let countryCode: String
    /// National significant number, digits only, without trunk prefix (`612345678`).
    public let nationalNumber: String

    /// `+` country code national number.
    public var e164: String { "+" + countryCode + nationalNumber }
    public var description: String { e164 }

    /// The E.164 string, or nil when `raw` is not a valid number (see `parse` for the reason).
    public static func e164(_ raw: String, defaultCountry: String = "FR") -> String? {
        try? parse(raw, defaultCountry: defaultCountry).e164
    }

    /// The number, or why it is refused.
    public static func parse(_ raw: String, defaultCountry: String = "FR") throws(PhoneNumberError) -> PhoneNumber {
        guard let home = PhoneNumberPlan.byISO[defaultCountry.uppercased()] else {
            throw .unsupportedCountry(defaultCountry)
        }
        let scalars = Array(raw.unicodeScalars)
        var digits: [UInt8] = []
        var plus = false
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            i += 1
            switch scalar {
            case "0"..."9": digits.append(UInt8(scalar.value - 48))
            case "+":
                guard digits.isEmpty, !plus else { throw .misplacedPlus }
                plus = true
            case "(" where i + 1 < scalars.count && scalars[i] == "0" && scalars[i + 1] == ")":
                // "(0)" is the national trunk prefix shown beside an international form: drop it.
                i += 2
            case " ", "\u{00A0}", "\u{202F}", "\t", ".", "-", "/", "(", ")": continue
            default: throw .invalidCharacter(Character(scalar))
            }
        }
        guard !digits.isEmpty else { throw .empty }
        if !plus && digits.count > 2 && digits[0] == 0 && digits[1] == 0 {
            digits.removeFirst(2)
            plus = true
        }
        if plus {
            for length in 1...3 where digits.count > length {
                let code = digitString(digits[..<length])
                if let plan = PhoneNumberPlan.byCode[code] {
                    var national = Array(digits[length...])
                    // "+33 06…": a trunk 0 left after the country code, where the plan has one.
                    if plan.trunkZero && national.first == 0 { national.removeFirst() }
                    return try plan.validated(national)
                }
            }
            throw .unsupportedCountryCode(digitString(digits.prefix(3)))
        }
        return try home.national(digits)
    }

    static func digitString<C: Collection>(_ digits: C) -> String where C.Element == UInt8 {
        String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
    }
}

/// Why a phone number is refused.
public enum PhoneNumberError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case invalidCharacter(Character)
    case misplacedPlus
    case unsupportedCountry(String)
    case unsupportedCountryCode(String)
    /// Wrong number of digits after the country code.
    case wrongLength(countryCode: String, digits: Int, expected: String)
    /// A national number must start with the trunk prefix 0 in this country.
    case missingTrunkPrefix(country: String)
    /// The first digit after the country code is not used (+33 0…, +34 1…).
    case invalidLeadingDigit(countryCode: String, digit: Int)

    public var description: String {
        switch self {
        case .empty: return "no digits"
        case let .invalidCharacter(c): return "character \(String(c).debugDescription) is not part of a phone number"
        case .misplacedPlus: return "'+' may only start the number"
        case let .unsupportedCountry(iso): return "default country \(iso) is not supported"
        case let .unsupportedCountryCode(code): return "country code starting \(code) is not supported"
        case let .wrongLength(code, digits, expected): return "+\(code) numbers have \(expected) digits after the country code, found \(digits)"
        case let .missingTrunkPrefix(country): return "a national \(country) number starts with 0 (or give +country code)"
        case let .invalidLeadingDigit(code, digit): return "+\(code) numbers do not start with \(digit) after the country code"
        }
    }
}

/// The numbering rules the parser knows: lengths of the national significant number and
/// whether a national number carries a trunk 0 (Italy and Spain, Portugal, Luxembourg do not).
struct PhoneNumberPlan: Sendable {
    let iso: String
    let code: String
    let lengths: ClosedRange<Int>
    let trunkZero: Bool
    /// Allowed first digits of the national significant number.
    let leadingDigits: ClosedRange<UInt8>

    static let all: [PhoneNumberPlan] = [
        PhoneNumberPlan(iso: "FR", code: "33", lengths: 9...9, trunkZero: true, leadingDigits: 1...9),
        PhoneNumberPlan(iso: "BE", code: "32", lengths: 8...9, trunkZero: true, leadingDigits: 1...9),
        PhoneNumberPlan(iso: "LU", code: "352", lengths: 4...11, trunkZero: false, leadingDigits: 1...9),
        PhoneNumberPlan(iso: "CH", code: "41", lengths: 9...9, trunkZero: true, leadingDigits: 1...9),
        PhoneNumberPlan(iso: "MC", code: "377", lengths: 8...9, trunkZero: false, leadingDigits: 3...9),
        PhoneNumberPlan(iso: "DE", code: "49", lengths: 6...13, trunkZero: true, leadingDigits: 1...9),
        PhoneNumberPlan(iso: "NL", code: "31", lengths: 9...9, trunkZero: true, leadingDigits: 1...9),
        PhoneNumberPlan(iso: "ES", code: "34", lengths: 9...9, trunkZero: false, leadingDigits: 6...9),
        PhoneNumberPlan(iso: "IT", code: "39", lengths: 6...11, trunkZero: false, leadingDigits: 0...9),
        PhoneNumberPlan(iso: "PT", code: "351", lengths: 9...9, trunkZero: false, leadingDigits: 2...9),
        PhoneNumberPlan(iso: "AT", code: "43", lengths: 4...13, trunkZero: true, leadingDigits: 1...9),
        PhoneNumberPlan(iso: "IE", code: "353", lengths: 7...9, trunkZero: true, leadingDigits: 1...9),
        // French overseas departments: reached by these codes from abroad.
        PhoneNumberPlan(iso: "RE", code: "262", lengths: 9...9, trunkZero: true, leadingDigits: 2...9),
        PhoneNumberPlan(iso: "GP", code: "590", lengths: 9...9, trunkZero: true, leadingDigits: 5...6),
        PhoneNumberPlan(iso: "GF", code: "594", lengths: 9...9, trunkZero: true, leadingDigits: 5...6),
        PhoneNumberPlan(iso: "MQ", code: "596", lengths: 9...9, trunkZero: true, leadingDigits: 5...6),
    ]
    static let byISO: [String: PhoneNumberPlan] = Dictionary(uniqueKeysWithValues: all.map { ($0.iso, $0) })
    static let byCode: [String: PhoneNumberPlan] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    /// French national prefixes (after the trunk 0) that belong to an overseas country code.
    private static let frenchOverseas: [(prefix: [UInt8], code: String)] = [
        ([2, 6, 2], "262"), ([6, 9, 2], "262"), ([6, 9, 3], "262"), ([2, 6, 9], "262"), ([6, 3, 9], "262"),
        ([5, 9, 0], "590"), ([6, 9, 0], "590"), ([6, 9, 1], "590"),
        ([5, 9, 4], "594"), ([6, 9, 4], "594"),
        ([5, 9, 6], "596"), ([6, 9, 6], "596"), ([6, 9, 7], "596"),
    ]

    /// A number written without country code in this plan's country.
    func national(_ digits: [UInt8]) throws(PhoneNumberError) -> PhoneNumber {
        var national = digits
        if trunkZero {
            guard national.first == 0 else { throw .missingTrunkPrefix(country: iso) }
            national.removeFirst()
        }
        if iso == "FR", national.count == 9,
           let overseas = PhoneNumberPlan.frenchOverseas.first(where: { national.starts(with: $0.prefix) }),
           let plan = PhoneNumberPlan.byCode[overseas.code] {
            return try plan.validated(national)
        }
        return try validated(national)
    }

    func validated(_ national: [UInt8]) throws(PhoneNumberError) -> PhoneNumber {
        guard lengths.contains(national.count) else {
            let expected = lengths.count == 1 ? String(lengths.lowerBound) : "\(lengths.lowerBound) to \(lengths.upperBound)"
            throw .wrongLength(countryCode: code, digits: national.count, expected: expected)
        }
        guard let first = national.first, leadingDigits.contains(first) else {
            throw .invalidLeadingDigit(countryCode: code, digit: Int(national.first ?? 0))
        }
        return PhoneNumber(countryCode: code, nationalNumber: PhoneNumber.digitString(national))
    }
}
