import RelanceFormats
import Testing

@Suite("PDF text templates")
struct PDFTextTemplateTests {
    @Test func boldItalicAndPlaceholders() throws {
        let t = try PDFTextTemplate.fill("Total : **{total}** pour *{count} factures*.",
                                         values: ["total": "1\u{202F}234,56\u{00A0}€", "count": "3"])
        #expect(t.plain == "Total : 1\u{202F}234,56\u{00A0}€ pour 3 factures.")
        #expect(t.spans.map(\.text) == ["Total : ", "1\u{202F}234,56\u{00A0}€", " pour ", "3 factures", "."])
        #expect(t.spans.map(\.bold) == [false, true, false, false, false])
        #expect(t.spans.map(\.italic) == [false, false, false, true, false])
    }

    @Test func valuesAreLiteralEvenWhenTheyLookLikeMarkup() throws {
        let t = try PDFTextTemplate.fill("Client : {name}", values: ["name": "**Dupont** & {Fils} <SARL> *x"])
        #expect(t.plain == "Client : **Dupont** & {Fils} <SARL> *x")
        #expect(t.spans.allSatisfy { !$0.bold && !$0.italic })
    }

    @Test func backslashEscapes() throws {
        let t = try PDFTextTemplate.fill(#"5 \* 3 \{pas un champ\} \\"#, values: [:])
        #expect(t.plain == #"5 * 3 {pas un champ} \"#)
    }

    @Test("errors name what is wrong", arguments: [
        ("Montant : {montant}", PDFTemplateError.unknownPlaceholder("montant")),
        ("Montant : {montant", PDFTemplateError.unbalanced("{")),
        ("**gras sans fin", PDFTemplateError.unbalanced("**")),
        ("*italique sans fin", PDFTemplateError.unbalanced("*")),
    ])
    func errors(template: String, expected: PDFTemplateError) {
        #expect(throws: expected) { _ = try PDFTextTemplate.fill(template, values: ["total": "1"]) }
    }
}
