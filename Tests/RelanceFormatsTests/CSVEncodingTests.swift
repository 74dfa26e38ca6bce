import Testing
import RelanceCore
import RelanceFormats

@Suite struct CSVEncodingTests {
    @Test func windows1252IsTranscoded() throws {
        // "é è ç œ € " then NBSP, in Windows-1252.
        let bytes: [UInt8] = [0xE9, 0x20, 0xE8, 0x20, 0xE7, 0x20, 0x9C, 0x20, 0x80, 0x20, 0xA0]
        let d = try CSVTextDecoder.decode(bytes).get()
        #expect(d.encoding == .windows1252)
        #expect(String(decoding: d.bytes, as: UTF8.self) == "é è ç œ € \u{A0}")
    }

    @Test func validUTF8IsKeptAndBOMDropped() throws {
        let text = Array("Échéance;Montant\n".utf8)
        let plain = try CSVTextDecoder.decode(text).get()
        #expect(plain.encoding == .utf8)
        #expect(plain.bytes == text)
        let bom = try CSVTextDecoder.decode([0xEF, 0xBB, 0xBF] + text).get()
        #expect(bom.encoding == .utf8BOM)
        #expect(bom.bytes == text)
    }

    @Test func utf16WithBOMIsDecoded() throws {
        let text = "N° facture\tMontant €\n"
        var le: [UInt8] = [0xFF, 0xFE], be: [UInt8] = [0xFE, 0xFF]
        for u in text.utf16 {
            le += [UInt8(u & 0xFF), UInt8(u >> 8)]
            be += [UInt8(u >> 8), UInt8(u & 0xFF)]
        }
        #expect(try CSVTextDecoder.decode(le).get().bytes == Array(text.utf8))
        #expect(try CSVTextDecoder.decode(be).get().encoding == .utf16BE)
        #expect(try CSVTextDecoder.decode(be).get().bytes == Array(text.utf8))
        // An unpaired high surrogate.
        let bad: [UInt8] = [0xFF, 0xFE, 0x41, 0x00, 0x00, 0xD8, 0x41, 0x00]
        #expect(throws: CSVTextDecoder.Failure.invalidUTF16(byteOffset: 4)) { try CSVTextDecoder.decode(bad).get() }
    }

    @Test(arguments: [
        [0x61, 0x3B, 0x62, 0x00, 0x63] as [UInt8],
        Array("%PDF-1.7\n".utf8),
        [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00],
        [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x3B, 0x07, 0x08, 0x0E, 0x0F, 0x10],
    ])
    func binaryIsRejected(bytes: [UInt8]) {
        #expect(throws: CSVTextDecoder.Failure.binary) { try CSVTextDecoder.decode(bytes).get() }
    }

    @Test func windows1252FileReadsAccentsAndNBSPThousands() throws {
        // Code client;Raison sociale;... in Windows-1252 with NBSP (0xA0) thousands separators.
        var bytes = latin1("N° facture;Code client;Raison sociale;Date;Échéance;Montant TTC\r\n")
        bytes += latin1("F1;C1;Société Générale d'Œuvres;01/02/2024;02/03/2024;1") + [0xA0] + latin1("234,56\r\n")
        bytes += latin1("F2;C2;Crème brûlée & Cie;01/02/2024;02/03/2024;12,5\r\n")
        let batch = try CSVReader().read(bytes, context: ReadContext(fileName: "f.csv"))
        #expect(batch.documents.count == 2)
        #expect(batch.documents[0].customerName == "Société Générale d'Œuvres")
        #expect(batch.documents[0].amount == 123_456)
        #expect(batch.documents[1].customerName == "Crème brûlée & Cie")
        #expect(batch.documents[1].amount == 1250)
    }

    /// Encodes text as Windows-1252 (the characters these tests use).
    func latin1(_ s: String) -> [UInt8] {
        s.unicodeScalars.map { u -> UInt8 in
            switch u.value {
            case 0x152: return 0x8C
            case 0x153: return 0x9C
            case 0x20AC: return 0x80
            case 0x2013: return 0x96
            default: return UInt8(u.value)
            }
        }
    }

    @Test func euroSignAndOEInWindows1252Amounts() throws {
        let bytes = latin1("N° facture;Client;Date facture;Montant TTC;Libellé\nA1;C;2024-01-05;1 000,00 €;cœur\n")
        let batch = try CSVReader().read(bytes, context: ReadContext(fileName: "e.csv"))
        #expect(batch.documents.first?.amount == 100_000)
    }

    @Test func frenchDemoHeadersInWindows1252() throws {
        let customers = latin1("Code client;Raison sociale;SIREN;N° TVA intracom;E-mail;Téléphone;Adresse;Code postal;Ville;Pays;Langue;Type client\r\n"
            + "C1;Hôtel Bellevue;;;;;;;;FR;fr;Particulier\r\n")
        #expect(try CSVReader().read(customers, context: ReadContext(fileName: "c.csv")).customers.first?.kind == .consumer)
        let payments = latin1("N° règlement;Code client;Date;Montant;Devise;Libellé;N° facture;Tireur;IBAN\r\n"
            + "R1;C1;03/04/2024;2") + [0xA0] + latin1("500,00;EUR;Chèque n° 12 – œuvre;F1;Hôtel;\r\n")
        let p = try CSVReader().read(payments, context: ReadContext(fileName: "p.csv")).payments
        #expect(p.first?.amount == 250_000)
        #expect(p.first?.reference == "Chèque n° 12 – œuvre")
    }

    @Test func utf8BOMFileReadsItsFirstHeader() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Code client;Raison sociale\r\nC1;Été & Cie\r\n".utf8)
        let batch = try CSVReader().read(bytes, context: ReadContext(fileName: "bom.csv"))
        #expect(batch.customers == [Customer(id: "C1", name: "Été & Cie", kindStated: false)])
    }

    @Test func utf16ExcelUnicodeTextIsRead() throws {
        // Excel's "Texte Unicode": UTF-16LE with BOM, tab-separated.
        let text = "N° facture\tCode client\tDate\tÉchéance\tMontant TTC\r\nF-1\tC1\t05/01/2024\t04/02/2024\t1\u{A0}500,00\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for u in text.utf16 { bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        let batch = try CSVReader().read(bytes, context: ReadContext(fileName: "u16.txt"))
        #expect(batch.documents.first?.amount == 150_000)
        #expect(batch.documents.first?.dueDate == Day(year: 2024, month: 2, day: 4)!)
    }

    @Test(arguments: [
        (Array("a;b\n1;2\n".utf8), true),
        ([0xEF, 0xBB, 0xBF] + Array("Code client,Nom\n".utf8), true),
        (Array("%PDF-1.4\n".utf8), false),
        (Array("<?xml version=\"1.0\"?><a;b/>".utf8), false),
        (Array("just one column\nx\n".utf8), false),
        ([0xFF, 0xFE, 0x61, 0x00, 0x09, 0x00, 0x62, 0x00], true),
        ([0xFF, 0xFE, 0x61, 0x00, 0x09, 0x00, 0x62, 0x00, 0x3D, 0xD8], true),  // cut inside a surrogate pair
        ([0x61, 0x00, 0x3B, 0x00], false),
        ([], false),
    ])
    func sniff(head: [UInt8], expected: Bool) {
        #expect(CSVReader.looksLikeCSV(head) == expected)
    }
}
