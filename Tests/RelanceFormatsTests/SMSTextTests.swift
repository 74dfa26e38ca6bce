import Testing
@testable import RelanceFormats

@Suite("SMS text: GSM-7 or UCS-2, units and segments")
struct SMSTextTests {
    @Test func frenchReminderIsGSM7WithEuroCountingTwo() {
        // "Relance : facture F-1 de 12,50 € échue" is 38 characters:
        //   Relance(7) ␠(1) :(1) ␠(1) facture(7) ␠(1) F-1(3) ␠(1) de(2) ␠(1) 12,50(5) ␠(1) €(1) ␠(1) échue(5) = 38.
        // Every one is in the GSM 03.38 default table (é is, at 0x05) except €, which is in the
        // extension table (escape 0x1B + 0x65): 37 × 1 + 1 × 2 = 39 septets.
        let sms = SMSText("Relance : facture F-1 de 12,50 € échue")
        #expect(sms.encoding == .gsm7)
        #expect(sms.units == 39)
        #expect(sms.fitsInOneSMS)
        #expect(sms.segments == 1)
        #expect(sms.nonGSMCharacters.isEmpty)
    }

    @Test func oneCircumflexSwitchesToUCS2() {
        // "Échéance dépassée : merci de régulariser" has 40 characters; É, é are GSM-7 …
        let gsm = SMSText("Échéance dépassée : merci de régulariser")
        #expect(gsm.encoding == .gsm7)
        #expect(gsm.units == 40)
        // … but "ê" is not: the whole text becomes UCS-2, one UTF-16 unit per character (42).
        let ucs = SMSText("Échéance dépassée : merci de régulariser ê")
        #expect(ucs.encoding == .ucs2)
        #expect(ucs.units == 42)
        #expect(ucs.nonGSMCharacters == ["ê"])
    }

    static let nonGSM: [Character] = ["ê", "â", "î", "ô", "û", "ç", "œ", "’", "«", "😀"]
    static let gsmSingle: [Character] = ["é", "è", "à", "ù", "ì", "ò", "Ç", "É", "Ö", "Ñ", "Ü", "ß", "@", "£", "¤", "§", "¿", "¡", "Δ", "\n"]
    static let gsmDouble: [Character] = ["€", "[", "]", "{", "}", "\\", "^", "~", "|", "\u{0C}"]

    @Test(arguments: nonGSM) func outsideGSM7(character: Character) {
        let sms = SMSText("Relance " + String(character))
        #expect(sms.encoding == .ucs2)
        #expect(sms.units == 8 + String(character).utf16.count)
        #expect(sms.nonGSMCharacters == [character])
    }

    @Test(arguments: gsmSingle) func basicTable(character: Character) {
        let sms = SMSText("Relance " + String(character))
        #expect(sms.encoding == .gsm7)
        #expect(sms.units == 9)
    }

    @Test(arguments: gsmDouble) func extensionTable(character: Character) {
        let sms = SMSText("Relance " + String(character))
        #expect(sms.encoding == .gsm7)
        #expect(sms.units == 10)
    }

    @Test func gsm7Segments() {
        #expect(SMSText(String(repeating: "a", count: 160)).segments == 1)
        #expect(SMSText(String(repeating: "a", count: 161)).segments == 2)   // 153 + 8
        #expect(SMSText(String(repeating: "a", count: 306)).segments == 2)   // 153 + 153
        #expect(SMSText(String(repeating: "a", count: 307)).segments == 3)
        // 80 euro signs are 160 septets: one SMS.
        #expect(SMSText(String(repeating: "€", count: 80)).units == 160)
        #expect(SMSText(String(repeating: "€", count: 80)).segments == 1)
        // 305 septets where the "€" escape pair straddles the 153-septet boundary: the first
        // part holds 152 "a", the second "€" (2) + 151 "a" = 153: still 2 parts.
        let straddle = SMSText(String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 151))
        #expect(straddle.units == 305)
        #expect(straddle.segments == 2)
        // One more "a": 306 septets, which naive ceil(306 / 153) would put in 2 parts, needs 3
        // because the escape pair cannot be cut: 152 | 2 + 151 | 1.
        let straddle3 = SMSText(String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 152))
        #expect(straddle3.units == 306)
        #expect(straddle3.segments == 3)
    }

    @Test func ucs2Segments() {
        #expect(SMSText(String(repeating: "ê", count: 70)).segments == 1)
        #expect(SMSText(String(repeating: "ê", count: 71)).segments == 2)
        #expect(SMSText(String(repeating: "ê", count: 134)).segments == 2)   // 67 + 67
        #expect(SMSText(String(repeating: "ê", count: 135)).segments == 3)
        // Emoji are surrogate pairs: 2 units, never split across parts.
        let emoji = SMSText(String(repeating: "ê", count: 66) + "😀" + "ê")
        #expect(emoji.units == 69)
        #expect(emoji.segments == 1)
        let emojiSplit = SMSText(String(repeating: "ê", count: 66) + "😀" + String(repeating: "ê", count: 66))
        #expect(emojiSplit.units == 134)
        #expect(emojiSplit.segments == 3)   // 66 | 2 + 65 | 1
    }

    @Test func emptyText() {
        let sms = SMSText("")
        #expect(sms.encoding == .gsm7)
        #expect(sms.units == 0)
        #expect(sms.segments == 1)
    }
}
