import Testing
@testable import RelanceCore

/// The distinct customer ids of a batch, as the store's customer passes need them.
@Suite struct CustomerReferencesTests {
    static let day = Day(year: 2026, month: 3, day: 1)!

    static func doc(_ number: String, _ customer: String, name: String? = nil) -> Document {
        Document(number: number, customerId: customer, customerName: name, kind: .invoice, issueDate: day, dueDate: day,
                 currency: .eur, amount: 100)
    }

    static func pay(_ id: String, _ customer: String?) -> Payment {
        Payment(paymentId: id, customerId: customer, date: day, amount: 100, currency: .eur)
    }

    @Test func idsOnceInOrderOfFirstAppearance() {
        var b = IngestBatch(format: "x")
        b.customers = [Customer(id: "C2", name: "Deux"), Customer(id: "C2", name: "Deux bis")]
        b.documents = [Self.doc("F1", "C1"), Self.doc("F2", "C2"), Self.doc("F3", "C1"), Self.doc("F4", "C3")]
        b.payments = [Self.pay("P1", "C4"), Self.pay("P2", nil), Self.pay("P3", "C1")]
        let r = CustomerReferences(of: b)
        #expect(r.ids == ["C2", "C1", "C3", "C4"])
        #expect(r.recordOnlyIds == ["C1", "C3", "C4"])
        #expect(r.documentNames.isEmpty)
    }

    @Test func firstNonEmptyDocumentNameWins() {
        var b = IngestBatch(format: "x")
        b.customers = [Customer(id: "C9", name: "Neuf")]
        b.documents = [Self.doc("F1", "C1"), Self.doc("F2", "C1", name: ""), Self.doc("F3", "C1", name: "Un SARL"),
                       Self.doc("F4", "C1", name: "Un SAS"), Self.doc("F5", "C9", name: "Pas celui-ci"),
                       Self.doc("F6", "C2", name: "Deux"), Self.doc("F7", "C2")]
        let r = CustomerReferences(of: b)
        // A customer record of the batch is settled: its documents' names do not count.
        #expect(r.documentNames == ["C1": "Un SARL", "C2": "Deux"])
        #expect(r.recordOnlyIds == ["C1", "C2"])
    }

    @Test func batchComputesThemWhenNotAhead() {
        var b = IngestBatch(format: "x")
        b.documents = [Self.doc("F1", "C1")]
        #expect(b.customerReferences == nil)
        #expect(b.resolvedCustomerReferences.ids == ["C1"])
        b.customerReferences = CustomerReferences(of: b)
        b.documents[0].customerId = "C7"
        #expect(b.resolvedCustomerReferences.ids == ["C1"])  // whoever changes ids resets them
    }
}
