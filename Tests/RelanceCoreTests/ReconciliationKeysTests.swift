import Testing
@testable import RelanceCore

@Suite("Reconciliation: references, keys and names")
struct ReconciliationKeysTests {
    @Test("ISO 11649 check digits", arguments: [
        ("RF18 5390 0754 7034", true), ("RF18539007547034", true), ("rf18 5390 0754 7034", true),
        ("RF19 5390 0754 7034", false), ("RF18 5390 0754 7035", false), ("RF18", false), ("XX18 5390 0754 7034", false),
        ("RF18 5390-0754 7034", true), ("RF18 5390 0754 70€4", false),
    ])
    func creditorReference(text: String, valid: Bool) {
        #expect((CreditorReference.validated(text) != nil) == valid)
    }

    @Test func creditorReferenceIsBuiltValid() throws {
        let made = try #require(CreditorReference.make(body: "539007547034"))
        #expect(made == "RF18539007547034")
        for body in ["1", "2026000123", "ABC123", "000000000000000000001"] {
            let r = try #require(CreditorReference.make(body: body))
            #expect(CreditorReference.validated(r) == r)
        }
    }

    @Test("Messy spellings of 2026-000123 share a key", arguments: [
        "2026-000123", "FAC 2026-000123", "fac2026000123", "Facture n° 2026/000123", "INV-2026-000123", "2026 000123",
        "F2026-123", "N°2026000123", "REF 2026.000123", "fact 2026 000123", "Inv 2026/123",
    ])
    func messyKeys(text: String) throws {
        let invoice = try #require(InvoiceNumberKeys.keys(of: "2026-000123".utf8))
        let k = try #require(InvoiceNumberKeys.keys(of: text.utf8))
        let invoiceKeys = Set([invoice.full] + (invoice.runs.map { [$0] } ?? []))
        let textKeys = Set([k.full] + (k.runs.map { [$0] } ?? []))
        #expect(!invoiceKeys.isDisjoint(with: textKeys))
    }

    @Test("A date is not an invoice number whose groups differ", arguments: ["2026-01-23", "23/01/2026", "20260123"])
    func datesDoNotCollide(text: String) throws {
        let invoice = try #require(InvoiceNumberKeys.keys(of: "2026-000123".utf8))
        let k = try #require(InvoiceNumberKeys.keys(of: text.utf8))
        #expect(k.full != invoice.full)
        #expect(k.runs == nil || k.runs != invoice.runs)
    }

    @Test func shortKeys() throws {
        #expect(InvoiceNumberKeys.shortKey(ofInvoice: "2026-000123") == "123")
        #expect(InvoiceNumberKeys.shortKey(ofInvoice: "FAC-2026-000123") == "123")
        #expect(InvoiceNumberKeys.shortKey(ofInvoice: "000123") == nil)
        for n in ["2026-000123", "FAC-2026-000123", "000123", "AB-12-C", "F2026/0007", "2026000123"] {
            let k = try #require(InvoiceNumberKeys.keys(of: n.utf8))
            #expect(InvoiceNumberKeys.shortKey(from: k) == InvoiceNumberKeys.shortKey(ofInvoice: n))
        }
        let k = try #require(InvoiceNumberKeys.keys(of: "FAC 00123".utf8))
        #expect(k.hadDocumentWord)
        #expect(k.shortDigits == "123")
        #expect(InvoiceNumberKeys.keys(of: "VIREMENT".utf8) == nil)
    }

    /// The engine reads numbers with `NumberKeyScanner` (bytes, packed keys); it must give
    /// exactly `InvoiceNumberKeys`' keys, including past the 24 characters a packed key holds.
    @Test("The byte scanner gives InvoiceNumberKeys' keys", arguments: [
        "2026-000123", "FAC 2026-000123", "fac2026000123", "Facture n° 2026/000123", "INV-2026-000123", "2026 000123",
        "F2026-123", "N°2026000123", "REF 2026.000123", "fact 2026 000123", "Inv 2026/123", "000123", "0000", "AB-12-C",
        "F2026/0007", "FAC 00123", "FAC FACT 12", "FAC", "12 FAC", "é2026-0001ü", "2026-01-23", "ref:  7  ",
        "123456789012345678901234567", "FAC-0001-0002-0003-0004-0005-0006-0007-0008", "A1B2C3D4E5F6G7H8I9J0K1L2M3",
    ])
    func scannerAgrees(text: String) {
        var scanner = NumberKeyScanner()
        let reference = InvoiceNumberKeys.keys(of: text.utf8)
        let scanned = scanner.keys(ofNumber: text)
        #expect((reference == nil) == (scanned == nil))
        guard let reference, let scanned else { return }
        #expect(scanned.full.text == reference.full)
        #expect(scanned.runs?.text == reference.runs)
        #expect(scanned.fullCount == reference.full.utf8.count)
        #expect(scanned.hadDocumentWord == reference.hadDocumentWord)
        #expect(scanned.groupCount == reference.groupCount)
        #expect((scanned.groupCount == 1 ? scanned.full.text : nil) == reference.shortDigits)
        #expect(scanned.lastDigits?.text == InvoiceNumberKeys.shortKey(from: reference))
    }

    @Test("The byte scanner cuts texts into InvoiceNumberKeys' raw tokens")
    func scannerTokens() {
        let text = "VIR: FAC 2026/000123;2026-000124 (merci) -- N° F. 'x'+7 VIREMENTS"
        var scanner = NumberKeyScanner()
        scanner.read(text)
        let reference = InvoiceNumberKeys.rawTokens(text).filter { $0.contains(where: PaymentReader.isAlnum) }
        #expect(scanner.tokens.indices.map { scanner.label($0..<($0 + 1)) } == reference.map { String(decoding: $0, as: UTF8.self) })
        #expect(scanner.tokens.map(\.numberish) == reference.map(InvoiceNumberKeys.isNumberish))
    }

    /// Packed keys round-trip, and keys of different lengths never share a code.
    @Test func packedKeys() {
        var seen: [UInt128: String] = [:]
        for key in ["0", "00", "1", "A", "Z", "-", "10", "01", "ZZZZZZZZZZZZZZZZZZZZZZZZ", "2026-123", "2026123"] {
            var k = PackedKey()
            for b in key.utf8 { k.append(b) }
            #expect(k.overflow == nil)
            #expect(k.text == key)
            #expect(seen.updateValue(key, forKey: k.code) == nil)
        }
        var long = PackedKey()
        for b in "1234567890123456789012345".utf8 { long.append(b) }
        #expect(long.overflow != nil)
        #expect(long.text == "1234567890123456789012345")
    }

    @Test func rawTokensKeepDashesAndSlashes() {
        let t = InvoiceNumberKeys.rawTokens("VIR: FAC 2026/000123;2026-000124 (merci)").map { String(decoding: $0, as: UTF8.self) }
        #expect(t == ["VIR", "FAC", "2026/000123", "2026-000124", "merci"])
    }

    @Test("Payer names", arguments: [
        ("Établissements Dupont S.A.R.L.", "ETABLISSEMENTS DUPONT"),
        ("ETABLISSEMENTS DUPONT", "ETABLISSEMENTS DUPONT"),
        ("Müller GmbH", "MULLER"),
        ("  l'Œuf  d'Or  SAS ", "LOEUF DOR"),
        ("Boulangerie-Pâtisserie Martin & Fils SA", "BOULANGERIE PATISSERIE MARTIN FILS"),
        ("SARL", ""),
    ])
    func payerNames(raw: String, normalised: String) {
        #expect(PayerName.normalise(raw) == normalised)
    }

    @Test func bytePathAgreesWithCharacterPath() throws {
        let names = ["Établissements Dupont S.A.R.L.", "Müller GmbH", "  l'Œuf  d'Or  SAS ", "l’atelier çà et là", "Fromagerie Noël Nîmes",
                     "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿß", "Société Générale SA", "plain ascii ltd"]
        for n in names {
            let fast = try #require(PayerName.normaliseBytes(n))
            #expect(fast == PayerName.normaliseCharacters(n), "\(n)")
        }
        #expect(PayerName.normaliseBytes("Δέλτα") == nil)
        #expect(PayerName.normalise("Δέλτα SA") == PayerName.normaliseCharacters("Δέλτα SA"))
    }

    @Test func normalisingIntoBuffersAgreesWithStrings() {
        let names = ["Établissements Dupont S.A.R.L.", "Müller GmbH", "  l'Œuf  d'Or  SAS ", "Δέλτα SA", "SARL", "", "a",
                     "Boulangerie-Pâtisserie Martin & Fils SA", "x"]
        // The buffers are reused: a long name then a short one must not leave bytes behind.
        var out: [UInt8] = [], word: [UInt8] = []
        for n in names + names.reversed() {
            PayerName.normalise(n, into: &out, word: &word)
            #expect(String(decoding: out, as: UTF8.self) == PayerName.normalise(n), "\(n)")
        }
        for iban in ["fr76 3000 6000 0112 3456 7890 189", "DE89-3704-0044-0532-0130-00", "", "FR76\u{00A0}3000"] {
            PayerName.compactIBAN(iban, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == PayerName.compactIBAN(iban))
        }
    }

    @Test func byteKeyIndexFindsEveryKeyAndNothingElse() {
        var index = ByteKeyIndex()
        // Enough keys to grow the table several times; keys that are prefixes of others.
        let keys = (0..<5_000).map { "FR76\($0 * 7919)" } + ["A", "AB", "ABC", ""]
        for (i, k) in keys.enumerated() { index.insert(Array(k.utf8), Int32(i)) }
        #expect(index.count == keys.count)
        for (i, k) in keys.enumerated() { #expect(Array(index.lookup(Array(k.utf8))) == [Int32(i)], "\(k)") }
        for k in ["FR765", "ABCD", "B", "FR76 0"] { #expect(index.lookup(Array(k.utf8)).isEmpty, "\(k)") }
        // Several items under one key, each once, in insertion order.
        index.insert(Array("AB".utf8), 9_000)
        index.insert(Array("AB".utf8), 9_001)
        index.insert(Array("AB".utf8), 9_000)
        #expect(Array(index.lookup(Array("AB".utf8))) == [Int32(keys.firstIndex(of: "AB")!), 9_000, 9_001])
        #expect(ByteKeyIndex().lookup(Array("A".utf8)).isEmpty)
    }

    @Test func integerKeyIndexFindsEveryKeyAndNothingElse() {
        // From no capacity: the table grows many times.
        var index = IntegerKeyIndex<CustomerAmountKey>()
        var keys: [CustomerAmountKey] = []
        for c in 0..<300 { for a in 0..<40 { keys.append(CustomerAmountKey(customer: Int32(c), currency: .eur, amount: Int64(a * 1_000))) } }
        keys.append(CustomerAmountKey(customer: 0, currency: Currency("USD")!, amount: 0))
        for (i, k) in keys.enumerated() { index.insert(k, Int32(i)) }
        for (i, k) in keys.enumerated() { #expect(Array(index.lookup(k)) == [Int32(i)]) }
        #expect(index.lookup(CustomerAmountKey(customer: 300, currency: .eur, amount: 0)).isEmpty)
        #expect(index.lookup(CustomerAmountKey(customer: 0, currency: .eur, amount: 1)).isEmpty)
        #expect(index.lookup(CustomerAmountKey(customer: 1, currency: Currency("USD")!, amount: 0)).isEmpty)
        // Several items under one key, each once, in insertion order.
        let k = keys[17]
        index.insert(k, 90_000)
        index.insert(k, 17)
        index.insert(k, 90_001)
        index.insert(k, 90_000)
        #expect(Array(index.lookup(k)) == [17, 90_000, 90_001])

        var packed = IntegerKeyIndex<PackedCode>(capacity: 10)
        let high = UInt128(1) << 100
        for (i, v) in [UInt128(0), 1, high, high + 1, UInt128.max].enumerated() { packed.insert(PackedCode(v), Int32(i)) }
        #expect(Array(packed.lookup(PackedCode(high + 1))) == [3])
        #expect(Array(packed.lookup(PackedCode(UInt128.max))) == [4])
        #expect(packed.lookup(PackedCode(2)).isEmpty && packed.lookup(PackedCode(high + 2)).isEmpty)
    }

    @Test func ibanCompaction() {
        #expect(PayerName.compactIBAN("fr76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189")
    }

    @Test func combinationUnique() {
        let r = AmountCombinationSearch.search(amounts: [1_000, 2_500, 4_000, 7_300], target: 6_500, maxSize: 4, nodeBudget: 1_000)
        #expect(r == .unique([1, 2]))
    }

    @Test func combinationTwoFitsRefused() {
        let r = AmountCombinationSearch.search(amounts: [1_000, 2_000, 3_000, 4_000], target: 5_000, maxSize: 4, nodeBudget: 1_000)
        #expect(r == .ambiguous([0, 3], [1, 2]))
    }

    @Test func combinationNoneAndSizeLimit() {
        #expect(AmountCombinationSearch.search(amounts: [1_000, 2_000], target: 5_000, maxSize: 4, nodeBudget: 100) == .none)
        // 1+2+3+4+5 = 15 needs five items: out of reach with subsets of at most four.
        #expect(AmountCombinationSearch.search(amounts: [1, 2, 3, 4, 5].map { Int64($0) * 1_000 + 1 }, target: 15_005, maxSize: 4, nodeBudget: 10_000) == .none)
    }

    @Test func combinationBudgetExhausted() {
        let amounts = (1...12).map { Int64($0) * 1_001 }
        #expect(AmountCombinationSearch.search(amounts: amounts, target: 1_001 * 11 + 1_001 * 12, maxSize: 4, nodeBudget: 10) == .budgetExhausted)
    }

    @Test("Write-off tolerance", arguments: [
        (Int64(500), Int64(0), Int64(499), Int64(10_000), true),
        (500, 0, 500, 10_000, true),
        (500, 0, 501, 10_000, false),
        (0, 100, 100, 10_000, true),
        (0, 100, 101, 10_000, false),
        (500, 100, 200, 10_000, false),
        (0, 0, 1, 10_000, false),
        (500, 0, 0, 10_000, false),
    ])
    func tolerance(absolute: Int64, basisPoints: Int64, difference: Int64, open: Int64, within: Bool) {
        let c = ReconciliationConfiguration(writeOffToleranceMinor: absolute, writeOffToleranceBasisPoints: basisPoints)
        #expect(c.withinTolerance(difference, of: open) == within)
    }
}
