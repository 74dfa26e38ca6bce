import Testing
import RelanceFormats

@Suite struct CSVTokenizerTests {
    /// All records of `text` as (line, [field text]).
    func records(_ text: String, delimiter: UInt8 = 0x3B) throws -> [(Int, [String])] {
        var t = CSVTokenizer(bytes: Array(text.utf8), delimiter: delimiter)
        var fields: [CSVField] = []
        var out: [(Int, [String])] = []
        while let line = try t.nextRecord(into: &fields) {
            out.append((line, fields.map { t.text(of: $0) }))
        }
        return out
    }

    func syntaxError(_ text: String, delimiter: UInt8 = 0x3B) -> CSVSyntaxError? {
        do {
            _ = try records(text, delimiter: delimiter)
            return nil
        } catch let e as CSVSyntaxError {
            return e
        } catch {
            return nil
        }
    }

    @Test func plainRecordsAndLineNumbers() throws {
        let r = try records("a;b;c\n1;2;3\n")
        #expect(r.map(\.0) == [1, 2])
        #expect(r[0].1 == ["a", "b", "c"])
        #expect(r[1].1 == ["1", "2", "3"])
    }

    @Test func quotedFieldsWithDelimiterNewlineAndDoubledQuote() throws {
        let r = try records("id;text;n\n1;\"a;b\";x\n2;\"line one\nline two\";y\n3;\"say \"\"hi\"\"\";z\n4;end;w")
        #expect(r.map(\.0) == [1, 2, 3, 5, 6])
        #expect(r[1].1 == ["1", "a;b", "x"])
        #expect(r[2].1 == ["2", "line one\nline two", "y"])
        #expect(r[3].1 == ["3", "say \"hi\"", "z"])
        #expect(r[4].1 == ["4", "end", "w"])
    }

    @Test func crlfAndCROnly() throws {
        let crlf = try records("a;b\r\n1;2\r\n3;4\r\n")
        #expect(crlf.map(\.1) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(crlf.map(\.0) == [1, 2, 3])
        let cr = try records("a;b\r1;2\r\"x\ry\";4\r5;6")
        #expect(cr.map(\.1) == [["a", "b"], ["1", "2"], ["x\ry", "4"], ["5", "6"]])
        #expect(cr.map(\.0) == [1, 2, 3, 5])
    }

    @Test func emptyFieldsTrailingDelimiterAndLastLineWithoutNewline() throws {
        let r = try records("a;;c;\n;;;\n1;2;3")
        #expect(r[0].1 == ["a", "", "c", ""])
        #expect(r[1].1 == ["", "", "", ""])
        #expect(r[2].1 == ["1", "2", "3"])
        let blank = try records("a\n\nb\n")
        #expect(blank.map(\.1) == [["a"], [""], ["b"]])
        #expect(blank.map(\.0) == [1, 2, 3])
    }

    @Test func fieldsAreRangesOverTheBuffer() throws {
        var t = CSVTokenizer(bytes: Array("ab;\"c\"\"d\"".utf8), delimiter: 0x3B)
        var fields: [CSVField] = []
        _ = try t.nextRecord(into: &fields)
        #expect(fields[0] == CSVField(start: 0, end: 2))
        #expect(fields[1] == CSVField(start: 4, end: 8, quoted: true, hasEscapedQuotes: true))
        #expect(t.unescapedBytes(of: fields[1]) == Array("c\"d".utf8))
        #expect(t.isAtEnd)
    }

    @Test func blanksAfterClosingQuoteAreAllowed() throws {
        #expect(try records("\"a\"  ;b")[0].1 == ["a", "b"])
    }

    @Test func unterminatedQuoteNamesTheOpeningLine() {
        let e = syntaxError("a;b\n1;2\n3;\"open\nmore\nstill")
        #expect(e == CSVSyntaxError(.unterminatedQuote, line: 3, reason: "unterminated quoted field: the quote opened on line 3 is never closed"))
    }

    @Test func strayQuoteInsideUnquotedField() {
        let e = syntaxError("a;b\n1;12\" screen\n")
        #expect(e == CSVSyntaxError(.strayQuote, line: 2, reason: "stray quote inside unquoted field 2"))
    }

    @Test func textAfterClosingQuote() {
        let e = syntaxError("a;b\n\"x\"y;2\n")
        #expect(e == CSVSyntaxError(.textAfterQuote, line: 2, reason: "unexpected text after the closing quote of field 1"))
    }

    @Test(arguments: [
        ("a;b;c", UInt8(0x3B)), ("a,b,c", 0x2C), ("a\tb\tc", 0x09), ("\"x;y\",b,c", 0x2C),
        ("a;b,c;d", 0x3B), ("one", 0x3B), ("a,b;c,d\n1;2;3;4;5;6", 0x2C),
    ])
    func delimiterDetection(header: String, expected: UInt8) {
        #expect(CSVTokenizer.detectDelimiter(Array(header.utf8)) == expected)
    }

    @Test func tabDelimitedKeepsSpaces() throws {
        let r = try records("a\tb\n x \t\"y\"\n", delimiter: 0x09)
        #expect(r[1].1 == [" x ", "y"])
    }
}
