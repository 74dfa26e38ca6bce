import GRDB
import Testing
import RelanceCore
@testable import RelanceStore

@Suite struct IngestTests {
    @Test func newRecordsAreInsertedAndTheSameBatchTwiceChangesNothing() throws {
        let store = try Store.inMemory()
        let batch = T.batch(
            customers: [Customer(id: "C1", name: "Alpha SARL", email: "compta@alpha.fr")],
            documents: [T.invoice("F1", amount: 12000), T.invoice("F2", customer: "C2", name: "Beta SAS", amount: 500),
                        T.creditNote("A1", amount: 2000, original: "F1")],
            payments: [T.payment("P1", amount: 12000, invoice: "F1"), T.payment("P2", customer: nil, amount: 700, reference: "VIR")])
        let first = try T.ingest(store, batch, file: "one.csv")
        #expect(first.customers == .init(inserted: 2))
        #expect(first.documents == .init(inserted: 3))
        #expect(first.payments == .init(inserted: 2))
        let before = try store.counts()

        let second = try T.ingest(store, batch, file: "one-again.csv")
        #expect(second.customers == .init(unchanged: 1))
        #expect(second.documents == .init(unchanged: 3))
        #expect(second.payments == .init(unchanged: 2))
        #expect(try store.counts() == before)
        #expect(try T.events(store, kind: "document.updated").isEmpty)
        #expect(try T.events(store, kind: "payment.updated").isEmpty)
        #expect(try T.events(store, kind: "file.ingested").count == 2)
        let name = try store.queue.read { db in try String.fetchOne(db, sql: "SELECT name FROM customers WHERE id = 'C2'") }
        #expect(name == "Beta SAS")
    }

    @Test func changedDocumentIsUpdatedAndJournaledWithOldAndNewValues() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 12000, due: "2025-01-31")]), file: "v1.csv")
        let stats = try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 11000, due: "2025-02-28"), T.invoice("F9", amount: 1)]),
                                 file: "v2.csv")
        #expect(stats.documents == .init(inserted: 1, updated: 1))
        #expect(try T.scalar(store, "SELECT amount FROM documents WHERE number = 'F1'") == 11000)
        #expect(try T.scalar(store, "SELECT due_date FROM documents WHERE number = 'F1'") == Int64(T.day("2025-02-28").ordinal))
        let events = try T.events(store, kind: "document.updated")
        #expect(events == [#"{"number":"F1","changes":{"due_date":{"old":"2025-01-31","new":"2025-02-28"},"amount":{"old":12000,"new":11000}}}"#])
    }

    @Test func anEmptyFieldNeverBlanksAKnownOne() throws {
        let store = try Store.inMemory()
        var doc = T.invoice("F1", amount: 100, reference: "RF18539007547034")
        doc.amountExclTax = 80
        try T.ingest(store, T.batch(documents: [doc]), file: "ubl.xml")
        let bare = T.invoice("F1", amount: 100)  // no reference, no excl. tax amount
        let stats = try T.ingest(store, T.batch(documents: [bare]), file: "export.csv")
        #expect(stats.documents == .init(unchanged: 1))
        let ref = try store.queue.read { db in try String.fetchOne(db, sql: "SELECT payment_reference FROM documents") }
        #expect(ref == "RF18539007547034")
        #expect(try T.scalar(store, "SELECT amount_excl_tax FROM documents") == 80)
    }

    @Test func documentOfAnotherCustomerThrowsNamingItAndLeavesNothing() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", customer: "C1", amount: 100)]), file: "a.csv")
        let before = try store.counts()
        let events = try T.scalar(store, "SELECT COUNT(*) FROM events")
        let bad = T.batch(customers: [Customer(id: "C7", name: "New")],
                          documents: [T.invoice("F2", customer: "C7", amount: 5), T.invoice("F1", customer: "C2", amount: 100)])
        #expect(throws: StoreError.documentCustomerConflict(number: "F1", storedCustomer: "C1", newCustomer: "C2")) {
            try T.ingest(store, bad, file: "b.csv")
        }
        #expect(try store.counts() == before)
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM events") == events)
        #expect(try store.fileOutcome(sha256: T.file("b.csv").sha256) == nil)
        #expect(StoreError.documentCustomerConflict(number: "F1", storedCustomer: "C1", newCustomer: "C2").description.contains("F1"))
    }

    @Test func invoiceArrivingAsCreditNoteThrows() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 100)]), file: "a.csv")
        #expect(throws: StoreError.documentKindConflict(number: "F1", stored: "invoice", new: "credit_note")) {
            try T.ingest(store, T.batch(documents: [T.creditNote("F1", amount: 100, original: nil)]), file: "b.csv")
        }
    }

    @Test(arguments: [true, false])
    func repeatsInsideOneBatch(intoEmptyTable: Bool) throws {
        let store = try Store.inMemory()
        if !intoEmptyTable {
            try T.ingest(store, T.batch(documents: [T.invoice("F0", amount: 1)], payments: [T.payment("P0", amount: 1)]), file: "seed.csv")
        }
        let same = try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 100), T.invoice("F1", amount: 100)],
                                               payments: [T.payment("P1", amount: 5), T.payment("P1", amount: 5)]), file: "dup.csv")
        #expect(same.documents == .init(inserted: 1, unchanged: 1))
        #expect(same.payments == .init(inserted: 1, unchanged: 1))
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM documents WHERE number = 'F1'") == 1)
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM payments WHERE payment_ref = 'P1'") == 1)
        #expect(throws: StoreError.conflictingDuplicateDocument(number: "F2")) {
            try T.ingest(store, T.batch(documents: [T.invoice("F2", amount: 100), T.invoice("F2", amount: 90)]), file: "bad.csv")
        }
        #expect(throws: StoreError.conflictingDuplicatePayment(paymentId: "P2")) {
            try T.ingest(store, T.batch(payments: [T.payment("P2", amount: 100), T.payment("P2", amount: 90)]), file: "bad2.csv")
        }
        #expect(try T.scalar(store, "SELECT COUNT(*) FROM documents WHERE number = 'F2'") == 0)
        // The indexes dropped for a bulk load are back, even after a failed batch.
        let indexes = try store.queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('documents', 'payments') AND sql IS NOT NULL ORDER BY name")
        }
        #expect(indexes == ["documents_credit_notes", "documents_number", "payments_ref"])
    }

    @Test func customerFromADocumentIsCompletedByALaterCustomersFile() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", customer: "C1", name: "Alpha", amount: 100)]), file: "fec.txt")
        let s1 = try T.ingest(store, T.batch(customers: [Customer(id: "C1", name: "Alpha SARL", siren: "123456789", email: "a@alpha.fr")]),
                              file: "customers.csv")
        #expect(s1.customers == .init(updated: 1))
        // A later file with empty fields blanks nothing; a changed e-mail is taken.
        let s2 = try T.ingest(store, T.batch(customers: [Customer(id: "C1", name: "", siren: nil, email: "ar@alpha.fr")]),
                              file: "customers2.csv")
        #expect(s2.customers == .init(updated: 1))
        let row = try store.queue.read { db in try Row.fetchOne(db, sql: "SELECT name, siren, email FROM customers WHERE id = 'C1'") }
        #expect(row?[0] as String? == "Alpha SARL")
        #expect(row?[1] as String? == "123456789")
        #expect(row?[2] as String? == "ar@alpha.fr")
        #expect(try T.events(store, kind: "customer.updated").count == 2)
        // A document row naming the customer differently does not override the customers file.
        try T.ingest(store, T.batch(documents: [T.invoice("F2", customer: "C1", name: "ALPHA", amount: 1)]), file: "fec2.txt")
        let name = try store.queue.read { db in try String.fetchOne(db, sql: "SELECT name FROM customers WHERE id = 'C1'") }
        #expect(name == "Alpha SARL")
    }

    @Test func paymentsUpsertOnTheirIdAndKeepAKnownCustomer() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(payments: [T.payment("P1", customer: nil, amount: 100, reference: "VIR F1")]), file: "camt1.xml")
        let s1 = try T.ingest(store, T.batch(payments: [T.payment("P1", customer: "C1", amount: 100, reference: "VIR F1")]), file: "erp.csv")
        #expect(s1.payments == .init(updated: 1))
        let s2 = try T.ingest(store, T.batch(payments: [T.payment("P1", customer: nil, amount: 100, reference: "VIR F1")]), file: "camt2.xml")
        #expect(s2.payments == .init(unchanged: 1))
        #expect(throws: StoreError.paymentCustomerConflict(paymentId: "P1", storedCustomer: "C1", newCustomer: "C2")) {
            try T.ingest(store, T.batch(payments: [T.payment("P1", customer: "C2", amount: 100)]), file: "other.csv")
        }
        #expect(try T.events(store, kind: "payment.updated") == [#"{"payment_id":"P1","changes":{"customer_id":{"old":null,"new":"C1"}}}"#])
    }

    @Test func statedAllocationsResolveTheirReferences() throws {
        let store = try Store.inMemory()
        try T.ingest(store, T.batch(documents: [T.invoice("F1", amount: 1000), T.invoice("F2", amount: 500),
                                                T.creditNote("A1", amount: 200, original: nil)],
                                    payments: [T.payment("P1", amount: 600)]), file: "erp.csv")
        let stated = [
            StatedAllocation(credit: .payment(id: "P1"), invoiceNumber: "F1", amount: 600, currency: .eur, rule: .sourceLettering, evidence: "FEC lettrage AB"),
            StatedAllocation(credit: .creditNote(number: "A1"), invoiceNumber: "F1", amount: 200, currency: .eur, rule: .sourceLettering, evidence: "FEC lettrage AB"),
            StatedAllocation(credit: .prepaid, invoiceNumber: "F2", amount: 100, currency: .eur, rule: .sourceLettering, evidence: "PrepaidAmount"),
        ]
        let s1 = try T.ingest(store, T.batch(allocations: stated), file: "fec.txt")
        #expect(s1.allocations == .init(inserted: 3))
        #expect(try T.allocations(store) == ["F1 <- A1 200 source_lettering", "F1 <- P1 600 source_lettering", "F2 <- - 100 prepayment"])
        let s2 = try T.ingest(store, T.batch(allocations: stated), file: "fec-again.txt")
        #expect(s2.allocations == .init(unchanged: 3))

        let unknown = [
            StatedAllocation(credit: .payment(id: "P404"), invoiceNumber: "F1", amount: 1, currency: .eur, rule: .sourceLettering, evidence: "x"),
            StatedAllocation(credit: .creditNote(number: "F2"), invoiceNumber: "F404", amount: 1, currency: .eur, rule: .sourceLettering, evidence: "x"),
        ]
        #expect(throws: StoreError.unknownReferences(["payment P404", "invoice F404", "credit note F2"])) {
            try T.ingest(store, T.batch(allocations: unknown), file: "bad.txt")
        }
        #expect(try store.counts().allocations == 3)
    }

    @Test func rejectionsAreRecordedAndUpdatedWhenTheFileComesBack() throws {
        let store = try Store.inMemory()
        let file = T.file("broken.csv")
        #expect(try store.fileOutcome(sha256: file.sha256) == nil)
        try store.recordRejection(file: file, issues: ["broken.csv:3: amount: not a number"], at: "2025-03-01T10:00:00Z")
        #expect(try store.fileOutcome(sha256: file.sha256) == .rejected)
        try store.recordRejection(file: file, issues: ["broken.csv:4: date: 31/02/2025"], at: "2025-03-02T10:00:00Z")
        let row = try store.queue.read { db in try Row.fetchAll(db, sql: "SELECT errors, processed_at FROM ingested_files") }
        #expect(row.count == 1)
        #expect(row.first?[0] as String? == "broken.csv:4: date: 31/02/2025")
        #expect(row.first?[1] as String? == "2025-03-02T10:00:00Z")
        _ = try store.ingest(T.batch(documents: [T.invoice("F1", amount: 1)]), file: file, at: "2025-03-03T10:00:00Z", actor: "test")
        #expect(try store.fileOutcome(sha256: file.sha256) == .ingested)
        // Its data is in the store now: a later rejection of the same bytes does not hide that.
        try store.recordRejection(file: file, issues: ["again"], at: "2025-03-04T10:00:00Z")
        #expect(try store.fileOutcome(sha256: file.sha256) == .ingested)
        #expect(try T.events(store, kind: "file.rejected").count == 3)
    }

    @Test func derivedDueDatesAreFilledOnceAndKeptWhenTheSourceStillHasNone() throws {
        let store = try Store.inMemory()
        let fec = T.batch(documents: [T.invoice("F1", customer: "C1", amount: 100, issue: "2025-01-10", due: nil),
                                      T.invoice("F2", customer: "C2", amount: 100, issue: "2025-01-10", due: nil),
                                      T.invoice("F3", customer: "C2", amount: 100, issue: "2025-01-10", due: "2025-01-20")])
        try T.ingest(store, fec, file: "fec.txt")
        #expect(try store.setDerivedDueDates(termsDays: 30, perCustomer: ["C2": 45]) == 2)
        #expect(try T.scalar(store, "SELECT due_date FROM documents WHERE number = 'F1'") == Int64(T.day("2025-02-09").ordinal))
        #expect(try T.scalar(store, "SELECT due_date FROM documents WHERE number = 'F2'") == Int64(T.day("2025-02-24").ordinal))
        #expect(try T.scalar(store, "SELECT due_date FROM documents WHERE number = 'F3'") == Int64(T.day("2025-01-20").ordinal))
        #expect(try T.scalar(store, "SELECT SUM(due_date_derived) FROM documents") == 2)
        let again = try T.ingest(store, fec, file: "fec-again.txt")
        #expect(again.documents == .init(unchanged: 3))
        #expect(try store.setDerivedDueDates(termsDays: 30, perCustomer: [:]) == 0)
    }

    @Test func attachmentsWaitForTheirDocumentAndAreStoredOnce() throws {
        let store = try Store.inMemory()
        var batch = T.batch()
        batch.attachments = [Attachment(documentNumber: "F9", fileName: "F9.pdf", bytes: Array("abc".utf8), mediaType: "application/pdf")]
        #expect(try T.ingest(store, batch, file: "f9.zip").attachments == .init(inserted: 1))
        #expect(try T.ingest(store, batch, file: "f9-again.zip").attachments == .init(unchanged: 1))
        let sha = try store.queue.read { db in try String.fetchOne(db, sql: "SELECT sha256 FROM attachments") }
        #expect(sha == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")  // FIPS 180-2 "abc"
    }
}
