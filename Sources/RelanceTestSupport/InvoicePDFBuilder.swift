import Foundation

/// Writes a minimal valid PDF (one empty page) with optional embedded files, so the tests can
/// make hybrid invoices out of any XML and plain PDFs without shipping binary fixtures.
public enum InvoicePDFBuilder {
    public static func pdf(embedding files: [(name: String, bytes: [UInt8])] = []) -> [UInt8] {
        var out: [UInt8] = Array("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        func object(_ body: [UInt8]) {
            offsets.append(out.count)
            out += Array("\(offsets.count) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        func literal(_ s: String) -> String {
            "(" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)") + ")"
        }
        // Objects 1-3: catalog, pages, page; then a filespec and a stream per embedded file.
        var names = ""
        for (i, f) in files.enumerated() {
            names += "\(literal(f.name)) \(4 + 2 * i) 0 R "
        }
        let namesEntry = files.isEmpty ? "" : " /Names << /EmbeddedFiles << /Names [\(names)] >> >>"
        object(Array("<< /Type /Catalog /Pages 2 0 R\(namesEntry) >>".utf8))
        object(Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8))
        object(Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".utf8))
        for (i, f) in files.enumerated() {
            object(Array("<< /Type /Filespec /F \(literal(f.name)) /UF \(literal(f.name)) /EF << /F \(5 + 2 * i) 0 R >> >>".utf8))
            object(Array("<< /Type /EmbeddedFile /Subtype /text#2Fxml /Length \(f.bytes.count) >>\nstream\n".utf8) + f.bytes + Array("\nendstream".utf8))
        }
        let xref = out.count
        var table = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"
        for o in offsets {
            let s = String(o)
            table += String(repeating: "0", count: 10 - s.count) + s + " 00000 n \n"
        }
        table += "trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Array(table.utf8)
    }
}
