import Testing
import RelanceCore
@testable import RelanceFormats

@Suite struct XMLPullReaderTests {
    private func events(_ xml: String) throws -> [String] {
        let r = try XMLPullReader(bytes: Array(xml.utf8), fileName: "t.xml")
        var out: [String] = []
        while let n = try r.next() {
            switch n {
            case .start: out.append("<\(r.localName)@\(r.depth)")
            case .end: out.append("</\(r.localName)")
            case .text: out.append("'\(r.text)'")
            }
        }
        return out
    }

    @Test func walksElementsTextAndEmptyElements() throws {
        let xml = "<?xml version=\"1.0\"?><!-- c --><a xmlns=\"urn:x\"><b k=\"v\">1 &amp; 2</b><c/><d><![CDATA[x<y]]></d></a>"
        #expect(try events(xml) == ["<a@1", "<b@2", "'1 & 2'", "</b", "<c@2", "</c", "<d@2", "'x<y'", "</d", "</a"])
    }

    @Test func attributesNamespacesPathsAndElementText() throws {
        let r = try XMLPullReader(bytes: Array("<r xmlns:p=\"urn:p\"><p:x p:k=\"1\" j=\"2\">a<y>b</y>c</p:x><z/><w>t</w></r>".utf8), fileName: "t.xml")
        #expect(try r.next() == .start)
        #expect(try r.next() == .start)
        #expect(r.localNameIs("x") && !r.localNameIs("xx") && r.namespaceURI == "urn:p")
        #expect(r.attribute("k") == "1" && r.attribute("j") == "2" && r.attribute("q") == nil)
        #expect(r.path == "/r/x")
        #expect(try r.readElementText() == "abc")
        #expect(try r.next() == .start && r.localName == "z")
        #expect(try r.readElementText() == "")
        #expect(try r.next() == .start && r.localName == "w")
        try r.skipElement()
        #expect(try r.next() == .end && r.localName == "r")
        #expect(try r.next() == nil)
    }

    @Test(arguments: [
        ("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<r>&x;</r>", 2),
        ("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><lolz>&lol1;</lolz>", 1),
        ("<?xml version=\"1.0\"?><!doctype r SYSTEM \"http://example.invalid/x.dtd\"><r/>", 1),
    ])
    func refusesAnyDoctype(xml: String, line: Int) {
        #expect {
            _ = try events(xml)
        } throws: { error in
            guard let r = error as? InputRejection else { return false }
            return r.issues.first?.line == line && r.issues.first!.reason.contains("document type declarations are refused")
        }
    }

    @Test func quadraticBlowupIsRefusedFast() {
        let big = String(repeating: "a", count: 100_000)
        let xml = "<!DOCTYPE r [<!ENTITY a \"\(big)\">]><r>" + String(repeating: "&a;", count: 100_000) + "</r>"
        #expect(throws: InputRejection.self) { _ = try events(xml) }
    }

    @Test func malformedDocumentNamesLineAndReason() {
        #expect {
            _ = try events("<a>\n<b>\n</a>")
        } throws: { error in
            guard let r = error as? InputRejection, let i = r.issues.first else { return false }
            return i.file == "t.xml" && i.line == 3 && i.reason.hasPrefix("malformed XML")
        }
    }

    @Test func undeclaredEntityIsAnError() {
        #expect(throws: InputRejection.self) { _ = try events("<a>&ext;</a>") }
    }

    @Test func depthAndTextCaps() throws {
        let deep = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        #expect(throws: InputRejection.self) { _ = try events(deep) }
        let r = try XMLPullReader(bytes: Array(("<a>" + String(repeating: "x", count: 2000) + "</a>").utf8), fileName: "t.xml",
                                  limits: XMLLimits(maxTextBytes: 1000))
        _ = try r.next()
        #expect(throws: InputRejection.self) { _ = try r.next() }
    }
}
