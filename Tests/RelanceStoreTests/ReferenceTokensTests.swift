import Testing
import RelanceCore
@testable import RelanceStore

/// The byte tokenizer of the allocation pass must cut exactly where Core's Character
/// tokenizer cuts, and leave to Core every text where it could not be sure.
@Suite struct ReferenceTokensTests {
    private func byteTokens(_ text: String) -> [String]? {
        var text = text
        var out: [String] = []
        let handled = text.withUTF8 { bytes in
            ReferenceTokens.forEach(in: bytes) { token, ascii in
                let s = String(decoding: token, as: UTF8.self)
                #expect(ascii == s.utf8.allSatisfy { $0 < 0x80 })
                out.append(s)
            }
        }
        return handled ? out : nil
    }

    @Test(arguments: [
        "RGLT FACT F2026-0000001, F2026-0000002",
        "VIR SEPA CRÊPERIE LEFEBVRE SA F-1|F-2;F-3:F-4(F-5)",
        "  leading and trailing\t",
        "Œuvre\u{A0}F-9\u{A0}\u{A0}à régler",
        "CAFÉ F/2025/001 é",
        "ligne 1\r\nF-7",
        "",
        ",,;;",
        "ÿ\u{A0}ž ǅ ɐ ʰ F-1",  // Latin-1, Latin Extended-A/B, IPA, modifier letters: all below U+0300
    ])
    func cutsLikeCore(text: String) throws {
        let tokens = try #require(byteTokens(text))
        #expect(tokens == ExactReferenceAllocator.tokens(of: text).map(String.init))
    }

    @Test(arguments: [
        "F-1 \u{301}F-2",      // a combining accent after a blank makes one Character with it
        "F-1\u{37E}F-2",       // Greek question mark: canonically `;`, a separator for Core
        "FACTURE F-1 日本",
        "F-1 👍🏽 F-2",
    ])
    func leavesHigherScalarsToCore(text: String) {
        #expect(byteTokens(text) == nil)
    }

    @Test func combiningAccentAfterABlankIsNotASeparatorForCore() {
        // Why the bound exists: Core does not cut here, bytes would.
        #expect(ExactReferenceAllocator.tokens(of: "F-1 \u{301}F-2").count == 1)
        #expect(ExactReferenceAllocator.tokens(of: "F-1\u{37E}F-2").count == 2)
    }

    @Test func lengthFilterOnlyRulesOutASCIITokensWhenAllNumbersAreASCII() {
        func note(_ s: String, into l: inout InvoiceNumberLengths) {
            var s = s
            s.withUTF8 { l.note($0) }
        }
        var ascii = InvoiceNumberLengths()
        #expect(ascii.mayHold(3))  // not active before every number is noted
        note("F2026-0000001", into: &ascii)
        note("AV-12", into: &ascii)
        ascii.activate()
        #expect(ascii.mayHold(13))
        #expect(ascii.mayHold(5))
        #expect(!ascii.mayHold(3))
        #expect(!ascii.mayHold(4))
        #expect(ascii.mayHold(80))

        var mixed = InvoiceNumberLengths()
        note("F2026-0000001", into: &mixed)
        note("FÉ-1", into: &mixed)
        mixed.activate()
        #expect(mixed.mayHold(3))
    }
}

@Suite struct CustomerSlotsTests {
    private func slot(_ id: String, in slots: inout CustomerSlots) -> Int {
        var id = id
        return id.withUTF8 { slots.slot($0) }
    }

    @Test func numbersIdsInOrderOfFirstSightAndFindsThemAgain() {
        var slots = CustomerSlots()
        #expect(slot("C001", in: &slots) == 0)
        #expect(slot("C002", in: &slots) == 1)
        #expect(slot("C001", in: &slots) == 0)
        #expect(slot("", in: &slots) == 2)
        #expect(slot("", in: &slots) == 2)
        #expect(slots.ids == ["C001", "C002", ""])
    }

    @Test func keepsEveryIdAcrossGrowth() {
        var slots = CustomerSlots()
        let ids = (0..<5000).map { "CUST-\($0 * 7919)" }
        for (i, id) in ids.enumerated() { #expect(slot(id, in: &slots) == i) }
        for (i, id) in ids.enumerated().reversed() { #expect(slot(id, in: &slots) == i) }
        #expect(slots.count == 5000)
    }

    @Test func canonicallyEqualIdsShareTheFirstSlot() {
        var slots = CustomerSlots()
        let precomposed = slot("CLIENT-\u{E9}", in: &slots)
        let other = slot("CLIENT-X", in: &slots)
        let decomposed = slot("CLIENT-e\u{301}", in: &slots)
        #expect(precomposed != decomposed)  // different bytes, different slots…
        let canonical = slots.canonicalSlots()
        #expect(canonical[decomposed] == precomposed)  // …one customer, as String sees it
        #expect(canonical[other] == other)
    }
}

/// The allocation pass through both tokenizers: bytes for Latin text, Core for the rest.
@Suite struct ReferenceTokensAllocationTests {
    @Test(arguments: [false, true])
    func accentedReferenceNamesItsInvoicesOnceAndInOrder(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000), T.invoice("FÉ-2", amount: 500),
                                                T.invoice("F3", amount: 400)],
                                    payments: [T.payment("P1", amount: 1200, reference: "RÈGLEMENT CAFÉ FÉ-2\u{A0}F1 FÉ-2 F1;F1")]),
                     file: "a.csv")
        _ = try store.applyExactAllocations(at: "2025-03-01T11:00:00Z", preload: preload)
        // FÉ-2, named first, is paid in full; the rest goes to F1 (listed sorted by text).
        #expect(try T.allocations(store) == ["F1 <- P1 700 exact_invoice_number", "FÉ-2 <- P1 500 exact_invoice_number"])
    }

    @Test(arguments: [false, true])
    func referenceWithHigherScalarsGoesThroughCore(preload: Bool) throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000), T.invoice("F2", amount: 500)],
                                    payments: [T.payment("P1", amount: 1200, reference: "支払 F2 F1 \u{301}X")]),
                     file: "a.csv")
        _ = try store.applyExactAllocations(at: "2025-03-01T11:00:00Z", preload: preload)
        // The accent joins the blank before it into one Character that is no separator, so
        // "F1 \u{301}X" is one token for Core: F1 is not named (cutting bytes would name it).
        #expect(try T.allocations(store) == ["F2 <- P1 500 exact_invoice_number"])
    }
}
