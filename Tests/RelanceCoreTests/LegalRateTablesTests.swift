import Foundation
import Testing
import RelanceCore
import RelanceTestSupport

@Suite struct LegalRateTablesTests {
    @Test func shippedFilesParseWithTheirMetadata() throws {
        let t = try LegalTestData.rates()
        #expect(t.ecbChanges.count == 37)
        #expect(t.ecbChanges.first?.effectiveFrom == ymd("2007-06-13"))
        #expect(t.ecbChanges.first?.basisPoints == 400)
        #expect(t.ecbChanges.last?.effectiveFrom == ymd("2025-06-11"))
        #expect(t.ecbChanges.last?.basisPoints == 215)
        #expect(t.legalInterest.count == 23)
        #expect(t.legalInterest.last?.halfYear.description == "2026-H1")

        #expect(t.ecbMetadata.fileName == "ecb_mro_changes.csv")
        #expect(t.ecbMetadata.verifiedOn == ymd("2026-11-23"))
        #expect(t.ecbMetadata.verifiedThrough == ymd("2026-02-05"))
        #expect(t.ecbMetadata.sources.count == 3)
        #expect(t.ecbMetadata.notes.count == 3)
        #expect(t.legalInterestMetadata.verifiedOn == ymd("2026-11-23"))
        #expect(t.legalInterestMetadata.verifiedThrough == nil)
        #expect(t.legalInterestMetadata.sources.first?.hasPrefix("arrêtés fixing") == true)
        #expect(t.legalInterestMetadata.notes.contains { $0.contains("2026-H2 is absent") })
    }

    /// legal.md §2.2: ECB MRO in force on 1 January / 1 July, derived from the change list.
    @Test(arguments: [
        ("2008-H1", 400), ("2008-H2", 400), ("2009-H1", 250), ("2009-H2", 100), ("2010-H1", 100), ("2010-H2", 100),
        ("2011-H1", 100), ("2011-H2", 125), ("2012-H1", 100), ("2012-H2", 100), ("2013-H1", 75), ("2013-H2", 50),
        ("2014-H1", 25), ("2014-H2", 15), ("2015-H1", 5), ("2015-H2", 5), ("2016-H1", 5), ("2016-H2", 0),
        ("2017-H1", 0), ("2019-H2", 0), ("2021-H2", 0), ("2022-H1", 0), ("2022-H2", 0), ("2023-H1", 250),
        ("2023-H2", 400), ("2024-H1", 450), ("2024-H2", 425), ("2025-H1", 315), ("2025-H2", 215), ("2026-H1", 215),
    ])
    func semesterReferenceDerivedFromChanges(halfYear: String, ecb: Int) throws {
        let t = try LegalTestData.rates()
        let h = try #require(HalfYear(halfYear))
        #expect(h.description == halfYear)
        #expect(try t.ecbReferenceRate(for: h) == ecb)
        #expect(try t.statutoryPenaltyRate(for: h) == ecb + 1000)
    }

    /// legal.md §10 rate look-up list: accrual day → B2B default rate [ECB], C3 (semester freeze).
    @Test(arguments: [
        ("2022-07-27", 1000), ("2022-12-31", 1000), ("2023-01-01", 1250), ("2023-06-30", 1250), ("2023-07-01", 1400),
        ("2024-06-30", 1450), ("2024-07-01", 1425), ("2025-01-01", 1315), ("2025-06-30", 1315), ("2025-07-01", 1215),
        ("2026-03-15", 1215),
    ])
    func defaultPenaltyRateLookupBySemesterFreeze(date: String, rate: Int) throws {
        #expect(try LegalTestData.rates().statutoryPenaltyRate(on: ymd(date)) == rate)
    }

    /// legal.md §10 legal-rate look-ups [LEG].
    @Test(arguments: [
        ("2023-07-01", RateTables.LegalRateCategory.otherCases, 422), ("2024-02-29", .otherCases, 507),
        ("2025-12-31", .otherCases, 276), ("2026-01-01", .otherCases, 262), ("2026-01-01", .privateIndividualCreditor, 667),
    ])
    func legalInterestRateLookup(date: String, category: RateTables.LegalRateCategory, rate: Int) throws {
        #expect(try LegalTestData.rates().legalInterestRate(on: ymd(date), category: category) == rate)
    }

    /// legal.md §1.3 floor values (3 × "autres cas").
    @Test(arguments: [("2023-01-01", 618), ("2023-07-01", 1266), ("2024-01-01", 1521), ("2024-07-01", 1476),
                      ("2025-01-01", 1113), ("2025-07-01", 828), ("2026-01-01", 786)])
    func contractualFloorIsThreeTimesOtherCasesRate(date: String, floor: Int) throws {
        #expect(try LegalTestData.rates().contractualFloorRate(for: HalfYear(containing: ymd(date))) == floor)
    }

    @Test func halfYearBoundsAndText() throws {
        let h = HalfYear(containing: ymd("2024-06-30"))
        #expect(h.description == "2024-H1")
        #expect(h.firstDay == ymd("2024-01-01"))
        #expect(h.lastDay == ymd("2024-06-30"))
        #expect(h.next.firstDay == ymd("2024-07-01"))
        #expect(h.next.next.description == "2025-H1")
        #expect(HalfYear(containing: ymd("2024-07-01")).half == 2)
        for bad in ["2026-H3", "2026H2", "26-H1", "2026-h0", "abcd-H1", ""] { #expect(HalfYear(bad) == nil, "\(bad)") }
    }

    @Test func ecbReferenceRefusedBeyondVerifiedThroughNamingTheHalfYear() throws {
        let t = try LegalTestData.rates()
        let h2 = try #require(HalfYear(year: 2026, half: 2))
        #expect(throws: LegalComputationError.self) { try t.ecbReferenceRate(for: h2) }
        do {
            _ = try t.statutoryPenaltyRate(on: ymd("2026-07-01"))
            Issue.record("2026-H2 must not be extrapolated")
        } catch {
            guard case let .rateUnavailable(h, file, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(h.description == "2026-H2")
            #expect(file == "ecb_mro_changes.csv")
            #expect(error.description.contains("2026-H2") && error.description.contains("ecb_mro_changes.csv"))
        }
    }

    @Test func legalRateOfAbsentHalfYearIsAnErrorNamingIt() throws {
        let t = try LegalTestData.rates()
        do {
            _ = try t.legalInterestRate(on: ymd("2026-07-01"), category: .otherCases)
            Issue.record("2026-H2 legal rate must be refused")
        } catch {
            #expect(error == .rateUnavailable(halfYear: HalfYear(year: 2026, half: 2)!, file: "fr_legal_interest.csv",
                                              reason: "no row for this half-year (arrêté not recorded)"))
        }
        // Before the first row (2015-H1) too.
        #expect(throws: LegalComputationError.self) { try t.legalInterestRate(on: ymd("2014-12-31"), category: .otherCases) }
        // And before the first ECB change.
        #expect(throws: LegalComputationError.self) { try t.ecbReferenceRate(for: HalfYear(year: 2007, half: 1)!) }
    }

    @Test func provisionalRowsAreKeptButRefused() throws {
        let ecb = """
        # source: test
        # verified_on: 2026-11-23
        # verified_through: 2026-12-31
        effective_from,mro_pct,status
        2025-06-11,2.15,verified
        2026-06-10,2.00,provisional
        """
        let legal = """
        # source: test
        # verified_on: 2026-11-23
        from,to,particulier_pct,autres_cas_pct,status
        2026-01-01,2026-06-30,6.67,2.62,verified
        2026-07-01,2026-12-31,6.50,2.50,provisional
        """
        let t = try RateTables.parse(ecb: ecb, legal: legal)
        #expect(t.ecbChanges.last?.status == .provisional)
        #expect(try t.ecbReferenceRate(for: HalfYear(year: 2026, half: 1)!) == 215)
        #expect(throws: LegalComputationError.self) { try t.ecbReferenceRate(for: HalfYear(year: 2026, half: 2)!) }
        #expect(throws: LegalComputationError.self) { try t.legalInterestRate(for: HalfYear(year: 2026, half: 2)!, category: .otherCases) }
    }

    /// Each malformed input gives a rejection naming the file, the line and the column.
    @Test(arguments: [
        ("effective_from,mro_pct,status\n2025-06-11,2.15,verified", "ecb_mro_changes.csv:1: source: missing"),
        ("# source: x\n# verified_on: 2026-11-23\neffective_from,mro_pct,status\n2025-06-11,2.15,verified", "ecb_mro_changes.csv:1: verified_through: missing"),
        ("# source: x\n# verified_on: 23/11/2026\n# verified_through: 2026-02-05\neffective_from,mro_pct,status\n2025-06-11,2.15,verified", "ecb_mro_changes.csv:2: verified_on: '23/11/2026' is not a yyyy-mm-dd date"),
        ("# source: x\n# verified_on: 2026-11-23\n# verified_through: 2026-02-05\neffective,mro,status\n2025-06-11,2.15,verified", "ecb_mro_changes.csv:4: header is"),
        ("# source: x\n# verified_on: 2026-11-23\n# verified_through: 2026-02-05\neffective_from,mro_pct,status\n2025-06-11,2.15,verified\n2025-02-05,2.90,verified", "ecb_mro_changes.csv:6: effective_from: 2025-02-05 is not after the previous change"),
        ("# source: x\n# verified_on: 2026-11-23\n# verified_through: 2026-02-05\neffective_from,mro_pct,status\n2025-06-11,2,15,verified", "ecb_mro_changes.csv:5: 4 fields, expected 3"),
        ("# source: x\n# verified_on: 2026-11-23\n# verified_through: 2026-02-05\neffective_from,mro_pct,status\n2025-06-11,2.155,verified", "ecb_mro_changes.csv:5: mro_pct: '2.155': more than 2 decimal places"),
        ("# source: x\n# verified_on: 2026-11-23\n# verified_through: 2026-02-05\neffective_from,mro_pct,status\n2025-06-11,2.15 %,verified", "ecb_mro_changes.csv:5: mro_pct: '2.15 %' is not a percentage"),
        ("# source: x\n# verified_on: 2026-11-23\n# verified_through: 2026-02-05\neffective_from,mro_pct,status\n2025-06-11,2.15,checked", "ecb_mro_changes.csv:5: status: 'checked' is not"),
        ("# source: x\n# verified_on: 2026-11-23\n# verified_through: 2026-02-05\neffective_from,mro_pct,status\n2025-06-11,2.15,verified\n#2026-03-11,2.00,verified", "ecb_mro_changes.csv:6: comment after the header"),
        ("# source: x\n# verified_on: 2026-11-23\n# verified_through: 2026-02-05\neffective_from,mro_pct,status\n2026-03-11,2.00,verified", "ecb_mro_changes.csv:5: status: change of 2026-03-11 is marked verified but lies after verified_through"),
        ("# source: x\n# verified_on: 2026-11-23\n# verified_through: 2026-02-05\neffective_from,mro_pct,status\n2025-02-30,2.15,verified", "ecb_mro_changes.csv:5: effective_from: '2025-02-30' is not a yyyy-mm-dd date"),
    ])
    func ecbFileErrorsAreLineNumbered(ecb: String, expectedPrefix: String) throws {
        let legal = try LegalTestData.text(RateTables.legalInterestFileName)
        do {
            _ = try RateTables.parse(ecb: ecb, legal: legal)
            Issue.record("accepted a bad file")
        } catch {
            #expect(error.issues.contains { $0.description.hasPrefix(expectedPrefix) }, "\(error)")
            #expect(error.issues.allSatisfy { $0.file == "ecb_mro_changes.csv" })
        }
    }

    @Test(arguments: [
        ("# source: x\n# verified_on: 2026-11-23\nfrom,to,particulier_pct,autres_cas_pct,status\n2026-01-01,2026-06-29,6.67,2.62,verified", "fr_legal_interest.csv:4: from: 2026-01-01…2026-06-29 is not a calendar half-year"),
        ("# source: x\n# verified_on: 2026-11-23\nfrom,to,particulier_pct,autres_cas_pct,status\n2026-01-01,2026-06-30,6.67,2.62,verified\n2026-01-01,2026-06-30,6.67,2.62,verified", "fr_legal_interest.csv:5: from: 2026-H1 is not after the previous row"),
        ("# source: x\n# verified_on: 2026-11-23\nfrom,to,particulier_pct,autres_cas_pct,status\n2026-01-01,2026-06-30,6,67,2.62,verified", "fr_legal_interest.csv:4: 6 fields, expected 5"),
        ("# source: x\n# verified_on: 2026-11-23\nfrom,to,particulier_pct,autres_cas_pct,status\n2026-01-01,2026-06-30,6.67,,verified", "fr_legal_interest.csv:4: autres_cas_pct:"),
        ("# source: x\n# verified_on: 2026-11-23\n# verified_on: 2026-11-24\nfrom,to,particulier_pct,autres_cas_pct,status\n2026-01-01,2026-06-30,6.67,2.62,verified", "fr_legal_interest.csv:3: verified_on: 'verified_on' given more than once"),
        ("# source: x\n# verified_on: 2026-11-23\nfrom,to,particulier_pct,autres_cas_pct,status\n", "fr_legal_interest.csv:3: no rate rows"),
        ("# source: x\n# verified_on: 2026-11-23\n", "fr_legal_interest.csv: no header line"),
        ("# source: x\n# verified on 2026-11-23\nfrom,to,particulier_pct,autres_cas_pct,status\n2026-01-01,2026-06-30,6.67,2.62,verified", "fr_legal_interest.csv:2: comment line is not of the form"),
    ])
    func legalFileErrorsAreLineNumbered(legal: String, expectedPrefix: String) throws {
        let ecb = try LegalTestData.text(RateTables.ecbFileName)
        do {
            _ = try RateTables.parse(ecb: ecb, legal: legal)
            Issue.record("accepted a bad file")
        } catch {
            #expect(error.issues.contains { $0.description.hasPrefix(expectedPrefix) }, "\(error)")
        }
    }

    @Test func bothFilesReportedTogetherAndCRLFAccepted() throws {
        do {
            _ = try RateTables.parse(ecb: "x", legal: "y")
            Issue.record("accepted garbage")
        } catch {
            #expect(Set(error.issues.map(\.file)) == ["ecb_mro_changes.csv", "fr_legal_interest.csv"])
        }
        let crlf = try LegalTestData.text(RateTables.ecbFileName).replacingOccurrences(of: "\n", with: "\r\n")
        let t = try RateTables.parse(ecb: "\u{FEFF}" + crlf, legal: try LegalTestData.text(RateTables.legalInterestFileName))
        #expect(t == (try LegalTestData.rates()))
    }

    /// The data rows are exactly the seed blocks of legal.md §10.1 (read in place when the
    /// shared folder is present).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: legalNote.path), "../shared/legal.md is absent"))
    func dataRowsMatchLegalNoteSection10_1() throws {
        let note = try String(contentsOf: legalNote, encoding: .utf8)
        for name in [RateTables.ecbFileName, RateTables.legalInterestFileName] {
            let rows = try LegalTestData.text(name).split(separator: "\n").filter { !$0.hasPrefix("#") }
            let marker = "`\(name)`"
            let start = try #require(note.range(of: marker))
            let block = note[start.upperBound...].components(separatedBy: "```")[1]
            let seed = block.split(separator: "\n").filter { !$0.isEmpty }
            #expect(rows == seed, "\(name) differs from legal.md §10.1")
        }
    }
}

private let legalNote = Fixtures.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/legal.md")
