import Testing
import RelanceCore
import RelanceFormats
import RelanceTestSupport

/// What a sample e-invoice says, as read by hand from the file (not from the reader's output),
/// and the company that must be configured for it to be a sale (its seller).
struct ExpectedInvoice: Sendable, CustomTestStringConvertible {
    var file: String
    var seller: CompanyIdentity
    var format: String
    var number: String
    var kind: DocumentKind
    var issue: String
    var due: String?
    var currency: String
    var excl: Int64?
    var tax: Int64?
    /// The document's recorded amount (tax-inclusive total; a credit note's credit).
    var amount: Int64
    /// The prepaid amount recorded as an allocation (0: none).
    var prepaid: Int64
    /// The file's own amount due (PayableAmount / DuePayableAmount), made positive.
    var payable: Int64
    var buyerId: String
    var buyerName: String
    var buyerSIREN: String?
    var buyerVAT: String?
    var original: String?
    var paymentReference: String?
    /// Fragments some note of the batch must contain.
    var notes: [String] = []

    var testDescription: String { file }

    /// Reads `bytes` as the company `seller` and checks every fact.
    func check(_ batch: IngestBatch) throws {
        #expect(batch.format == format)
        let doc = try #require(batch.documents.first)
        #expect(batch.documents.count == 1)
        #expect(doc.number == number)
        #expect(doc.kind == kind)
        #expect(doc.issueDate == Day.parse(issue))
        #expect(doc.dueDate == due.flatMap { Day.parse($0) })
        #expect(doc.currency == Currency(currency))
        #expect(doc.amountExclTax == excl)
        #expect(doc.tax == tax)
        #expect(doc.amount == amount)
        #expect(doc.originalInvoice == original)
        #expect(doc.paymentReference == paymentReference)
        #expect(doc.customerId == buyerId)

        let customer = try #require(batch.customers.first)
        #expect(batch.customers.count == 1)
        #expect(customer.id == buyerId)
        #expect(customer.name == buyerName)
        #expect(customer.siren == buyerSIREN)
        #expect(customer.vatNumber == buyerVAT)

        let allocated = batch.allocations.reduce(Int64(0)) { $0 + $1.amount }
        #expect(allocated == prepaid)
        for a in batch.allocations {
            #expect(a.credit == .prepaid && a.rule == .prepayment && a.invoiceNumber == number && a.currency == doc.currency)
        }
        // What stays open is what the file asks the customer to pay.
        #expect(doc.amount - allocated == payable)
        for fragment in notes {
            #expect(batch.notes.contains { $0.contains(fragment) }, "no note contains '\(fragment)': \(batch.notes)")
        }
    }
}

/// Companies that are nobody's seller in the samples, for the purchase-invoice cases.
enum OtherCompany {
    static let french = CompanyIdentity(name: "Relance Démo SAS", siren: "552100554", vatNumber: "FR66552100554")
}
