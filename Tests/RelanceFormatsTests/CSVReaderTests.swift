import Testing
import RelanceCore
import RelanceFormats

/// Reads `text` (UTF-8) as `name`.
func readCSV(_ text: String, name: String = "in.csv", layouts: [CSVLayoutMapping] = [], cap: Int = 100) throws(InputRejection) -> IngestBatch {
    try CSVReader().read(Array(text.utf8), context: ReadContext(fileName: name, csvLayouts: layouts, issueCap: cap))
}

/// The rejection's text, or nil when the file was read.
func rejection(_ text: String, name: String = "in.csv", layouts: [CSVLayoutMapping] = [], cap: Int = 100) -> String? {
    rejection(bytes: Array(text.utf8), name: name, layouts: layouts, cap: cap)
}

func rejection(bytes: [UInt8], name: String = "in.csv", layouts: [CSVLayoutMapping] = [], cap: Int = 100) -> String? {
    do {
        _ = try CSVReader().read(bytes, context: ReadContext(fileName: name, csvLayouts: layouts, issueCap: cap))
        return nil
    } catch {
        return error.description
    }
}

@Suite struct CSVReaderTests {
    static let frenchCustomers = """
        Code client;Raison sociale;SIREN;N° TVA intracom;E-mail;Téléphone;Adresse;Code postal;Ville;Pays;Langue;Type client
        C001;Boulangerie Dupré;552100554;FR40552100554;compta@dupre.fr;01 23 45 67 89;"12, rue de l'Église";75004;Paris;FR;fr;professionnel
        C002;Jeanne Martin;;;jeanne@example.org;;3 place du Marché;69001;Lyon;France;Français;particulier
        C003;Acme Ltd;;GB123456789;ap@acme.co.uk;;1 High Street;SW1A 1AA;London;GB;en;

        """

    @Test func frenchCustomersFile() throws {
        let batch = try readCSV(Self.frenchCustomers, name: "clients.csv")
        #expect(batch.format == "customers CSV")
        #expect(batch.customers.count == 3)
        let c = batch.customers[0]
        #expect(c == Customer(id: "C001", name: "Boulangerie Dupré", siren: "552100554", vatNumber: "FR40552100554",
                              email: "compta@dupre.fr", phone: "01 23 45 67 89", address: "12, rue de l'Église", postalCode: "75004",
                              city: "Paris", country: "FR", language: "fr", kind: .business))
        #expect(batch.customers[1].kind == .consumer)
        #expect(batch.customers[1].country == "FR")
        #expect(batch.customers[1].language == "fr")
        #expect(batch.customers[1].siren == nil)
        #expect(batch.customers[2].kind == .business)
        #expect(batch.documents.isEmpty && batch.payments.isEmpty)
    }

    static let frenchDocuments = """
        N° facture;Code client;Raison sociale;Date;Échéance;Date livraison;Devise;Montant HT;TVA;Montant TTC;Type;Facture d'origine
        FA-2024-001;C001;Boulangerie Dupré;15/01/2024;14/02/2024;10/01/2024;EUR;1 000,00;200,00;1 200,00;F;
        FA-2024-002;C002;Jeanne Martin;20/01/24;19/02/24;;;100;20;120;;
        AV-2024-001;C001;Boulangerie Dupré;01/02/2024;01/02/2024;;EUR;-100,00;-20,00;-120,00;Avoir;FA-2024-001
        FA-2024-003;C003;Acme Ltd;05/02/2024;06/03/2024;;GBP;50,00;10,00;60,00;facture;
        AV-2024-002;C001;Boulangerie Dupré;06/02/2024;06/02/2024;;EUR;10,00;2,00;12,00;AV;FA-2024-001
        FA-2024-004;C002;Jeanne Martin;07/02/2024;07/03/2024;;EUR;-8,00;-1,60;-9,60;;
        """

    @Test func frenchDocumentsFile() throws {
        let batch = try readCSV(Self.frenchDocuments, name: "factures.csv")
        #expect(batch.format == "documents CSV")
        #expect(batch.customers.isEmpty)
        #expect(batch.documents.count == 6)
        let d = batch.documents
        #expect(d[0] == Document(number: "FA-2024-001", customerId: "C001", customerName: "Boulangerie Dupré", kind: .invoice,
                                 issueDate: Day(year: 2024, month: 1, day: 15)!, dueDate: Day(year: 2024, month: 2, day: 14)!,
                                 deliveryDate: Day(year: 2024, month: 1, day: 10)!, currency: .eur, amountExclTax: 100_000,
                                 tax: 20_000, amount: 120_000, originalInvoice: nil, paymentReference: nil, sourceLocation: "line 2"))
        // Two-digit years are 20yy; an empty currency is the default.
        #expect(d[1].issueDate == Day(year: 2024, month: 1, day: 20)!)
        #expect(d[1].currency == .eur)
        #expect(d[1].amount == 12_000)
        // A negative credit note: positive amounts.
        #expect(d[2].kind == .creditNote)
        #expect(d[2].amount == 12_000 && d[2].amountExclTax == 10_000 && d[2].tax == 2_000)
        #expect(d[2].originalInvoice == "FA-2024-001")
        #expect(d[3].currency == Currency("GBP")!)
        // A positive AV: credit note.
        #expect(d[4].kind == .creditNote && d[4].amount == 1_200)
        // A negative invoice: credit note.
        #expect(d[5].kind == .creditNote && d[5].amount == 960 && d[5].amountExclTax == 800 && d[5].tax == 160)
        #expect(d[5].sourceLocation == "line 7")
    }

    static let frenchPayments = """
        N° règlement;Code client;Date;Montant;Devise;Libellé;N° facture;Tireur;IBAN
        RG-001;C001;20/02/2024;1 080,00;EUR;VIR SEPA DUPRE FA-2024-001;FA-2024-001;BOULANGERIE DUPRE;FR76 3000 6000 0112 3456 7890 189
        RG-002;C002;21/02/2024;-120,00;;Rejet prélèvement;;;
        RG-003;;22/02/2024;50;EUR;Chèque 1234;;M. Martin;

        """

    @Test func frenchPaymentsFile() throws {
        let batch = try readCSV(Self.frenchPayments, name: "reglements.csv")
        #expect(batch.format == "payments CSV")
        #expect(batch.payments.count == 3)
        #expect(batch.payments[0] == Payment(paymentId: "RG-001", customerId: "C001", date: Day(year: 2024, month: 2, day: 20)!,
                                            amount: 108_000, currency: .eur, reference: "VIR SEPA DUPRE FA-2024-001",
                                            invoiceNumber: "FA-2024-001", payerName: "BOULANGERIE DUPRE",
                                            payerIban: "FR7630006000011234567890189", sourceLocation: "line 2"))
        #expect(batch.payments[1].amount == -12_000)
        #expect(batch.payments[2].customerId == nil)
        #expect(batch.payments[2].amount == 5_000)
        #expect(batch.notes.isEmpty)
    }

    @Test func canonicalEnglishHeaders() throws {
        let docs = try readCSV("""
            invoice_number,customer_id,issue_date,due_date,delivery_date,currency,amount_excl_tax,tax,amount,type,original_invoice,customer_name,payment_reference
            INV-1,K1,2024-03-01,2024-03-31,,EUR,"1,000.00",200.00,"1,200.00",invoice,,"Smith, Jones & Co",RF18539007547034
            CN-1,K1,2024-03-05,,,EUR,100.00,20.00,120.00,credit-note,INV-1,"Smith, Jones & Co",
            """)
        #expect(docs.documents.count == 2)
        #expect(docs.documents[0].amount == 120_000)
        #expect(docs.documents[0].customerName == "Smith, Jones & Co")
        #expect(docs.documents[0].paymentReference == "RF18539007547034")
        #expect(docs.documents[1].kind == .creditNote)
        #expect(docs.documents[1].dueDate == nil)

        let pays = try readCSV("payment_id\tcustomer_id\tdate\tamount\tcurrency\treference\tinvoice_number\tpayer_name\tpayer_iban\nP1\tK1\t2024-03-10\t1200.00\tEUR\tINV-1\tINV-1\tSmith\t\n")
        #expect(pays.payments.map(\.amount) == [120_000])

        let customers = try readCSV("customer_id,name,siren,vat_number,email,phone,address,postal_code,city,country,language,kind\nK1,Smith,,,a@b.c,,,,,BE,en,consumer\n")
        #expect(customers.customers.first?.kind == .consumer)
        #expect(customers.customers.first?.country == "BE")
    }

    @Test func synonymsAndPreamble() throws {
        let batch = try readCSV("""
            Export des factures clients
            Édité le 01/03/2024

            Numéro de facture;Compte client;Nom;Date facture;Date d'échéance;Net à payer;Mode de règlement
            F1;411DUP;Dupré;01/03/2024;31/03/2024;1.234,50;Virement
            """)
        #expect(batch.format == "documents CSV")
        #expect(batch.documents.first?.number == "F1")
        #expect(batch.documents.first?.customerId == "411DUP")
        #expect(batch.documents.first?.customerName == "Dupré")
        #expect(batch.documents.first?.amount == 123_450)
        #expect(batch.documents.first?.sourceLocation == "line 5")
    }

    @Test func paymentsWithoutIdGetFileAndLine() throws {
        let batch = try readCSV("Date règlement;Client;Montant réglé;Référence\n05/03/2024;C1;100,00;VIR 1\n06/03/2024;C2;0,00;\n", name: "bank.csv")
        #expect(batch.payments.map(\.paymentId) == ["bank.csv#2"])
        #expect(batch.notes == [
            "no payment id column: each payment is identified by the file name and its line (bank.csv#LINE)",
            "1 zero-amount payment(s) skipped (line 3)",
        ])
    }

    @Test func documentsNamedOnlyByCustomerName() throws {
        let batch = try readCSV("Invoice Number,Customer Name,Invoice Date,Due Date,Total\nI-1,Globex,2024-01-02,2024-02-01,10.00\n")
        #expect(batch.documents.first?.customerId == "Globex")
        #expect(batch.notes == ["no customer code column: customers are identified by their name"])
    }

    @Test func userLayoutIsTriedFirst() throws {
        let layout = CSVLayoutMapping(name: "sage", kind: .documents,
                                      columns: ["invoice_number": "Pièce", "customer_id": "Tiers", "issue_date": "Jour", "amount": "Solde"],
                                      decimalSeparator: .comma, dateOrder: .monthDayYear, skipLines: 1)
        let batch = try readCSV("Titre\nPièce;Tiers;Jour;Solde;Échéance\nX1;T1;03/01/2024;1.234;04/15/2024\n", layouts: [layout])
        #expect(batch.documents.first?.amount == 123_400)
        #expect(batch.documents.first?.issueDate == Day(year: 2024, month: 3, day: 1)!)
        #expect(batch.documents.first?.dueDate == Day(year: 2024, month: 4, day: 15)!)
        #expect(batch.notes == ["read with layout 'sage'"])
    }

    @Test func configuredDecimalSeparatorWinsOverTheValues() {
        let layout = CSVLayoutMapping(name: "fr", kind: .payments, columns: ["amount": "Montant"], decimalSeparator: .comma)
        #expect(rejection("Date;Montant\n01/02/2024;12.50\n", layouts: [layout])
                == "in.csv:2: Montant: invalid amount '12.50': misplaced thousands separator in amount")
    }

    @Test func userLayoutWithUnknownField() {
        let layout = CSVLayoutMapping(name: "bad", kind: .payments, columns: ["amout": "Somme"])
        #expect(rejection("Somme;Date\n1;01/01/2024\n", layouts: [layout]) == "in.csv:1: layout 'bad' maps unknown payments field 'amout'")
    }

    @Test func blankRowsAndUnknownColumnsAreIgnored() throws {
        let batch = try readCSV("Code client;Nom;Commentaire;\r\nC1;A;x;\r\n;;;\r\n\r\nC2;B;;\r\n\u{1A}")
        #expect(batch.customers.map(\.id) == ["C1", "C2"])
    }

    // MARK: - Rejections

    @Test(arguments: [
        // Broken quoting.
        ("Code client;Nom\nC1;\"Dupré\nC2;Martin\n", "in.csv:2: unterminated quoted field: the quote opened on line 2 is never closed"),
        ("Code client;Nom\nC1;Du\"pré\n", "in.csv:2: stray quote inside unquoted field 2"),
        ("Code \"client;Nom\n", "in.csv:1: stray quote inside unquoted field 1"),
        // Missing required column.
        ("N° facture;Code client;Échéance;Montant TTC\nF1;C1;01/01/2024;12,00\n", "in.csv:1: unrecognised header: missing issue_date for a documents file"),
        ("Code client;SIREN\nC1;552100554\n", "in.csv:1: unrecognised header: missing name for a customers file"),
        // Unknown layout.
        ("foo;bar;baz\n1;2;3\n", "in.csv:1: unrecognised header: missing invoice_number, customer_id, issue_date, amount for a documents file"),
        // Bad date, bad amount, bad currency, bad type, missing value.
        ("N° facture;Code client;Date;Montant\nF1;C1;31/02/2024;12,00\n",
         "in.csv:2: Date: invalid date '31/02/2024'"),
        ("N° facture;Code client;Date;Échéance;Montant\nF1;C1;01/02/2024;;12,0x\n",
         "in.csv:2: Montant: invalid amount '12,0x': unexpected character 'x' in amount"),
        ("N° facture;Code client;Date;Échéance;Montant;Devise\nF1;C1;01/02/2024;;12,00;EURO\n",
         "in.csv:2: Devise: invalid currency code 'EURO'"),
        ("N° facture;Code client;Date;Échéance;Montant;Type\nF1;C1;01/02/2024;;12,00;Proforma\n",
         "in.csv:2: Type: unknown document type 'Proforma' (expected invoice, facture, F, FA, or credit note, avoir, AV)"),
        ("N° facture;Code client;Date;Échéance;Montant\nF1;;01/02/2024;;12,00\n",
         "in.csv:2: Code client: required value is missing"),
        ("Code client;Nom;Type client\nC1;A;grossiste\n",
         "in.csv:2: Type client: unknown customer kind 'grossiste' (expected business or consumer, professionnel or particulier)"),
        // Duplicates.
        ("N° facture;Code client;Date;Échéance;Montant\nF1;C1;01/02/2024;;12,00\nF1;C2;01/02/2024;;13,00\n",
         "in.csv:3: N° facture: duplicate document number 'F1' (first on line 2)"),
        ("N° règlement;Date;Montant\nR1;01/02/2024;12,00\nR1;02/02/2024;13,00\n",
         "in.csv:3: N° règlement: duplicate payment id 'R1' (first on line 2)"),
        // Decimal separators.
        ("N° facture;Code client;Date;Échéance;Montant\nF1;C1;01/02/2024;;12,50\nF2;C1;01/02/2024;;7.5\n",
         "in.csv:3: Montant: inconsistent decimal separator: decimal comma on line 2, decimal point on line 3"),
        ("N° facture;Code client;Date;Échéance;Montant\nF1;C1;01/02/2024;;1.234\nF2;C1;01/02/2024;;2.500\n",
         "in.csv:2: Montant: ambiguous amount '1.234': every value of the column reads with a decimal comma or a decimal point; set the layout's decimal separator"),
        // Width.
        ("invoice_number,customer_id,issue_date,amount\nF1,C1,2024-01-01,12,50\n",
         "in.csv:2: row has 5 fields but the header has 4 (a delimiter inside an unquoted value?)"),
        // Empty, header only, blank only.
        ("", "in.csv: empty file"),
        ("\n\r\n  \n", "in.csv: empty file"),
        ("Code client;Nom\n\n", "in.csv:1: header only: no data rows after the header"),
        // Refused kinds.
        ("action;N° facture;Motif\nlitige;F1;contesté\n", "in.csv:1: an action file (with an `action` column) is applied on its own from the inbox, not inside a bundle"),
        ("Date;Compte;Libellé;Débit;Crédit\n01/01/2024;411;x;1;\n",
         "in.csv:1: accounting journal export (debit/credit columns), not a list of invoices, payments or customers: export a FEC instead"),
    ])
    func rejects(text: String, message: String) {
        #expect(rejection(text) == message)
    }

    @Test func binaryJunkIsRejected() {
        var junk: [UInt8] = []
        var x: UInt32 = 12345
        for _ in 0..<4096 { x = x &* 1_103_515_245 &+ 12345; junk.append(UInt8(truncatingIfNeeded: x >> 16)) }
        #expect(rejection(bytes: junk) == "in.csv: binary data, not a CSV export")
        #expect(rejection(bytes: Array("%PDF-1.7\n%âãÏÓ\n".utf8)) == "in.csv: binary data, not a CSV export")
    }

    @Test func everyIssueIsListedUpToTheCap() {
        var text = "N° facture;Code client;Date;Échéance;Montant\n"
        for i in 0..<5 { text += "F\(i);C;xx;;1,00\n" }
        let all = rejection(text)
        #expect(all?.split(separator: "\n").count == 5)
        let capped = rejection(text, cap: 2)
        #expect(capped == """
            in.csv:2: Date: invalid date 'xx'
            in.csv:3: Date: invalid date 'xx'
            … and 3 more problems
            """)
    }

    @Test func duplicatesAmongManyRows() {
        var text = "payment_id;date;amount\n"
        for i in 0..<5000 {
            let id = i == 3000 || i == 4500 ? "P8" : i == 4000 ? "\"P1\"" : "P\(i)"
            text += "\(id);2024-01-01;1,00\n"
        }
        #expect(rejection(text) == """
            in.csv:3002: payment_id: duplicate payment id 'P8' (first on line 10)
            in.csv:4002: payment_id: duplicate payment id 'P1' (first on line 3)
            in.csv:4502: payment_id: duplicate payment id 'P8' (first on line 10)
            """)
    }

    @Test func amountIssuesPastTheCapAreCounted() {
        var text = "N° facture;Code client;Date;Échéance;Montant\n"
        for i in 0..<5 { text += "F\(i);C;01/01/2024;;1,0z\n" }
        #expect(rejection(text, cap: 2) == """
            in.csv:2: Montant: invalid amount '1,0z': unexpected character 'z' in amount
            in.csv:3: Montant: invalid amount '1,0z': unexpected character 'z' in amount
            … and 3 more problems
            """)
    }

    @Test func userLayoutMayReadAJournalLikeFile() throws {
        let layout = CSVLayoutMapping(name: "bank", kind: .payments, columns: ["date": "Date", "amount": "Montant", "reference": "Libellé"])
        let batch = try readCSV("Date;Libellé;Montant;Sens\n02/01/2024;VIR X;10,00;C\n", layouts: [layout])
        #expect(batch.payments.map(\.amount) == [1000])
        #expect(rejection("Date;Libellé;Montant;Sens\n02/01/2024;VIR X;10,00;C\n")?.hasSuffix("export a FEC instead") == true)
    }

    @Test func issuesFromBothPassesAreInLineOrder() {
        let text = "N° facture;Code client;Date;Échéance;Montant\nF1;C1;01/01/2024;;1,0y\nF2;C1;bad;;1,00\n"
        #expect(rejection(text) == """
            in.csv:2: Montant: invalid amount '1,0y': unexpected character 'y' in amount
            in.csv:3: Date: invalid date 'bad'
            """)
    }

    @Test func kindRule() {
        func kind(_ header: String) -> String {
            let labels = header.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            switch CSVLayoutRecognizer.recognise(labels: labels, headerLine: 1) {
            case let .layout(l): return l.kind.rawValue
            case let .refused(r): return r
            case let .incomplete(k, m, _): return "\(k.rawValue) missing \(m.map(\.rawValue))"
            }
        }
        #expect(kind("N° facture;Client;Date;Montant") == "payments")          // no issue/due date column: receipts
        #expect(kind("N° facture;Client;Date;Montant TTC") == "documents")     // TTC says invoice
        #expect(kind("N° facture;Client;Date;Échéance;Montant") == "documents")
        #expect(kind("N° règlement;Code client;Date;Montant") == "payments")
        #expect(kind("N° facture;Client;Date;Échéance;Montant;Mode de règlement") == "documents")  // tie goes to documents
        #expect(kind("Date;Client;Montant;Mode de paiement") == "payments")
        #expect(kind("Code client;Raison sociale;Ville") == "customers")
        #expect(kind("Client;Échéance") == "documents missing [\"invoice_number\", \"issue_date\", \"amount\"]")
    }

    @Test(arguments: [
        ("N° TVA intracom", "ntvaintracom"), ("No_TVA-Intracom", "ntvaintracom"), ("Facture n°", "nfacture"),
        ("Numéro de facture", "nfacture"), ("Invoice #", "ninvoice"), ("Invoice No.", "ninvoice"),
        ("Date d'échéance", "dateecheance"), ("  ÉCHÉANCE ", "echeance"), ("Net à payer", "netpayer"),
        ("Téléphone", "telephone"), ("Cœur", "coeur"),
    ])
    func headerKeys(label: String, key: String) {
        #expect(CSVHeaderTable.key(label) == key)
    }
}
