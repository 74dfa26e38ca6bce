import Testing
import RelanceCore
import RelanceFormats
import RelanceTestSupport

/// Every Factur-X / ZUGFeRD PDF of the shared samples: the embedded XML read as a sale of its
/// seller, and the PDF attached to the document. Facts read by hand (pdfdetach + the XML).
@Suite struct FacturXSampleTests {
    static let samples: [ExpectedInvoice] = [
        ExpectedInvoice(
            file: "facturx_pdf/akretion_invoice_EN16931.pdf", seller: CIISampleTests.leFournisseur,
            format: "Factur-X PDF (CII)", number: "F20260023", kind: .invoice, issue: "2026-01-31", due: "2026-03-02", currency: "EUR",
            excl: 10000, tax: 490, amount: 10490, prepaid: 0, payable: 10490,
            buyerId: "987654321", buyerName: "LE CLIENT", buyerSIREN: "987654321", buyerVAT: "FR05987654321",
            original: nil, paymentReference: "F20260023BUYER"),
        ExpectedInvoice(
            // SIRET filed under scheme 0002 (12345678900014); the VAT FR32123456789 holds the same SIREN.
            file: "facturx_pdf/mustang_Facture_F20180027.pdf",
            seller: CompanyIdentity(name: "LE FOURNISSEUR", siren: "123456789"),
            format: "Factur-X PDF (CII)", number: "F20180027", kind: .invoice, issue: "2018-12-31", due: "2019-01-30", currency: "EUR",
            excl: 10000, tax: 1000, amount: 11000, prepaid: 1000, payable: 10000,
            buyerId: "987654321", buyerName: "LE CLIENT", buyerSIREN: "987654321", buyerVAT: "FR05987654321",
            original: nil, paymentReference: "F20180023BUYER"),
        ExpectedInvoice(
            // An "avoir" sent as 380 with negative totals.
            file: "facturx_pdf/mustang_validAvoir_FR_type380_BASICWL.pdf",
            seller: CompanyIdentity(name: "Au bon moulin", siren: "999999998"),
            format: "Factur-X PDF (CII)", number: "AV-2017-0005", kind: .creditNote, issue: "2017-11-16", due: "2017-11-16", currency: "EUR",
            excl: 21848, tax: 1499, amount: 23347, prepaid: 0, payable: 23347,
            buyerId: "787878784", buyerName: "Ma jolie boutique", buyerSIREN: "787878784", buyerVAT: "FR19787878784",
            original: "FA-2017-0010", paymentReference: "AV-2017-0005", notes: ["negative totals, read as a credit note"]),
        ExpectedInvoice(
            file: "facturx_pdf/mustang_zugferd_invoice.pdf",
            seller: CompanyIdentity(name: "Kraxi GmbH", vatNumber: "DE123456789"),
            format: "Factur-X PDF (CII (ZUGFeRD 1.0))", number: "2014-03", kind: .invoice, issue: "2014-07-11", due: nil, currency: "EUR",
            excl: 84500, tax: 16055, amount: 100555, prepaid: 0, payable: 100555,
            buyerId: "Papierflieger-Vertriebs-GmbH", buyerName: "Papierflieger-Vertriebs-GmbH", buyerSIREN: nil, buyerVAT: nil,
            original: nil, paymentReference: "2014-03", notes: ["Zahlbar innerhalb von 30 Tagen"]),
    ]

    @Test(.enabled(if: Samples.available, Samples.skipMessage), arguments: samples)
    func readsEmbeddedInvoiceAndAttachesThePDF(_ e: ExpectedInvoice) throws {
        let bytes = try Samples.bytes(e.file)
        #expect(FacturXReader.looksLikePDF(Array(bytes.prefix(16))))
        #expect(!EInvoiceReader.looksLikeEInvoice(Array(bytes.prefix(4096))))
        let batch = try FacturXReader().read(bytes, context: ReadContext(fileName: e.file, company: e.seller))
        try e.check(batch)
        let attachment = try #require(batch.attachments.first)
        #expect(batch.attachments.count == 1)
        #expect(attachment.documentNumber == e.number)
        #expect(attachment.fileName == e.number + ".pdf")
        #expect(attachment.mediaType == "application/pdf")
        #expect(attachment.bytes == bytes)
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage), arguments: samples)
    func rejectsPDFOfAnotherSellerAsPurchase(_ e: ExpectedInvoice) throws {
        let bytes = try Samples.bytes(e.file)
        #expect {
            _ = try FacturXReader().read(bytes, context: ReadContext(fileName: e.file, company: OtherCompany.french))
        } throws: { error in
            guard let issue = (error as? InputRejection)?.issues.first else { return false }
            // The message names the embedded file inside the PDF.
            return issue.reason.contains("is not the company: this is a purchase") && issue.file.hasPrefix(e.file + "/")
        }
    }

    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func everyPDFSampleIsInTheTable() {
        #expect(Set(Samples.files(in: "facturx_pdf")) == Set(Self.samples.map(\.file)))
    }

    /// Octal-escaped names in the PDF name tree come out decoded; the second attachment is a PDF.
    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func listsEmbeddedFilesWithDecodedNames() throws {
        let read = try PDFEmbeddedFiles.read(try Samples.bytes("facturx_pdf/akretion_invoice_EN16931.pdf"),
                                             choosing: { $0.firstIndex { $0.name == "Bon_de_livraison.pdf" } }).get()
        #expect(Set(read.files.map(\.name)) == ["factur-x.xml", "Bon_de_livraison.pdf"])
        // Heads only (4 KB), flagged truncated; the chosen file whole.
        #expect(read.files.allSatisfy { $0.bytes.count == 4096 && $0.truncated })
        let pdf = try #require(read.chosen)
        #expect(pdf.bytes.count == 30382 && !pdf.truncated && FacturXReader.looksLikePDF(pdf.bytes))
        let xml = try PDFEmbeddedFiles.read(try Samples.bytes("facturx_pdf/akretion_invoice_EN16931.pdf"),
                                            choosing: FacturXReader.invoiceXMLIndex).get().chosen
        #expect(xml?.name == "factur-x.xml" && xml?.bytes.count == 41914)
    }

    /// The same invoice as a bare XML and inside the PDF: the same document and customer.
    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func hybridPDFGivesTheSameDocumentAsItsXML() throws {
        let company = CIISampleTests.leFournisseur
        let fromXML = try EInvoiceReader().read(try Samples.bytes("ubl_cii/akretion-facturx_factur-x-en16931.xml"),
                                                context: ReadContext(fileName: "x.xml", company: company))
        let fromPDF = try FacturXReader().read(try Samples.bytes("facturx_pdf/akretion_invoice_EN16931.pdf"),
                                               context: ReadContext(fileName: "x.pdf", company: company))
        var a = try #require(fromXML.documents.first), b = try #require(fromPDF.documents.first)
        a.sourceLocation = nil; b.sourceLocation = nil
        #expect(a == b)
        #expect(fromXML.customers == fromPDF.customers)
        #expect(fromXML.attachments.isEmpty && fromPDF.attachments.count == 1)
    }

    /// A PDF without invoice XML (the delivery note inside the akretion sample) attaches to the
    /// document its file name names.
    @Test(.enabled(if: Samples.available, Samples.skipMessage))
    func realPDFWithoutInvoiceIsAttachedByFileName() throws {
        let read = try PDFEmbeddedFiles.read(try Samples.bytes("facturx_pdf/akretion_invoice_EN16931.pdf"),
                                             choosing: { $0.firstIndex { $0.name == "Bon_de_livraison.pdf" } }).get()
        let note = try #require(read.chosen)
        let batch = try FacturXReader().read(note.bytes, context: ReadContext(fileName: "scans/F20260023.pdf", company: CIISampleTests.leFournisseur))
        #expect(batch.documents.isEmpty && batch.customers.isEmpty)
        #expect(batch.attachments.map(\.documentNumber) == ["F20260023"])
        #expect(batch.notes == ["plain PDF, attached to document F20260023"])
    }
}

/// Damaged copies of every PDF sample (cut short, bytes changed): read, attached, or refused; never a crash.
@Suite struct FacturXDamagedSampleTests {
    @Test(.enabled(if: Samples.available, Samples.skipMessage), arguments: FacturXSampleTests.samples)
    func damagedPDFIsReadOrRefused(_ e: ExpectedInvoice) throws {
        let bytes = try Samples.bytes(e.file)
        var rng = SplitMix(seed: 7)
        var variants: [[UInt8]] = (1...10).map { Array(bytes.prefix(bytes.count * $0 / 11)) }
        for _ in 0..<20 {
            var v = bytes
            for _ in 0..<8 { v[Int(rng.next() % UInt64(v.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            variants.append(v)
        }
        var outcomes = 0
        for v in variants {
            do {
                let batch = try FacturXReader().read(v, context: ReadContext(fileName: e.file, company: e.seller))
                // Either the invoice with its PDF, or (XML lost) the PDF alone, attached by file name.
                #expect(batch.attachments.count == 1)
                outcomes += 1
            } catch {
                #expect(!error.issues.isEmpty)
                outcomes += 1
            }
        }
        #expect(outcomes == 30)
    }
}
