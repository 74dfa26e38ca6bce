import Testing
import RelanceCore
import RelanceFormats
import RelanceTestSupport

/// Every file of `shared/samples/csv_exports` is either read (facts checked against the file by
/// hand) or rejected with the stated reason (the first issue line).
@Suite(.enabled(if: Samples.available, Samples.skipMessage))
struct CSVSampleExportTests {
    /// file → first line of the rejection. Files not listed here must be read.
    static let rejected: [String: String] = [
        // Double-entry journals: each receipt appears on the customer account and on the bank (512).
        "ekylibre_socleo_incoming_payments.csv":
            "ekylibre_socleo_incoming_payments.csv:1: accounting journal export (debit/credit columns), not a list of invoices, payments or customers: export a FEC instead",
        "ekylibre_socleo_sales.csv":
            "ekylibre_socleo_sales.csv:1: accounting journal export (debit/credit columns), not a list of invoices, payments or customers: export a FEC instead",
        "invoiceninja_wave_invoices.csv":
            "invoiceninja_wave_invoices.csv:1: accounting journal export (debit/credit columns), not a list of invoices, payments or customers: export a FEC instead",
        // Line-item export: only a per-line total, no invoice total.
        "invoiceninja_freshbooks_invoices.csv":
            "invoiceninja_freshbooks_invoices.csv:1: unrecognised header: missing amount for a documents file",
        // Header found after the three preamble lines; amounts carry a '$' with no currency stated.
        "invoiceninja_invoice.csv":
            "invoiceninja_invoice.csv:5: Amount: invalid amount '$13.50': unexpected character '$' in amount",
        // US month/day/year dates (10/20/2019) without a layout saying so.
        "invoiceninja_payments.csv":
            "invoiceninja_payments.csv:5: Date: invalid date '10/20/2019'",
        // One row per invoice line: the invoice number repeats.
        "invoiceninja_zoho_invoices.csv":
            "invoiceninja_zoho_invoices.csv:3: Invoice Number: duplicate document number 'INV-000001' (first on line 2)",
        // A PayPal activity report: Gross/Fee/Net, currency conversions. No known amount column, so by
        // the kind rule its "Name" column makes it the closest to a customers file.
        "oca_paypal_activity_en.csv":
            "oca_paypal_activity_en.csv:1: unrecognised header: missing customer_id for a customers file",
    ]

    static let files = Samples.files(in: "csv_exports")

    @Test func everySampleIsClassified() {
        let names = Self.files.map { String($0.split(separator: "/").last!) }
        #expect(!names.isEmpty)
        for name in names {
            #expect(Self.rejected[name] != nil || name == "ekylibre_incoming_payments.csv", "unclassified sample \(name)")
        }
    }

    @Test(arguments: rejected.keys.sorted())
    func rejectedWithStatedReason(name: String) throws {
        let bytes = try Samples.bytes("csv_exports/\(name)")
        do {
            let batch = try CSVReader().read(bytes, context: ReadContext(fileName: name))
            Issue.record("\(name) was read: \(batch.recordCount) records")
        } catch {
            #expect(error.issues.first?.description == Self.rejected[name])
        }
    }

    @Test func ekylibreIncomingPayments() throws {
        // Date,Tiers,Reference,mode paiement,Prix TTC,...: 9 SEPA receipts from TERRILACTI,
        // quoted decimal-comma amounts in a comma-separated file, totalling 26 615,89.
        let name = "ekylibre_incoming_payments.csv"
        let batch = try CSVReader().read(try Samples.bytes("csv_exports/\(name)"), context: ReadContext(fileName: name))
        #expect(batch.format == "payments CSV")
        #expect(batch.payments.count == 9)
        #expect(batch.payments.reduce(0) { $0 + $1.amount } == 2_661_589)
        let first = try #require(batch.payments.first)
        #expect(first.date == Day(year: 2019, month: 1, day: 31)!)
        #expect(first.amount == 171_926)
        #expect(first.customerId == "TERRILACTI")
        #expect(first.reference == "2019015026600")
        #expect(first.paymentId == "ekylibre_incoming_payments.csv#2")
        #expect(batch.payments.last?.date == Day(year: 2019, month: 9, day: 30)!)
        #expect(batch.payments.last?.sourceLocation == "line 10")
    }

    @Test func invoiceNinjaPaymentsReadWithAUSLayout() throws {
        // With a layout saying month/day/year and a point, the dates read; the '$' still rejects.
        let name = "invoiceninja_payments.csv"
        let layout = CSVLayoutMapping(name: "ninja", kind: .payments, columns: ["date": "Date", "amount": "Amount"],
                                      decimalSeparator: .point, dateOrder: .monthDayYear, skipLines: 3)
        let bytes = try Samples.bytes("csv_exports/\(name)")
        do {
            _ = try CSVReader().read(bytes, context: ReadContext(fileName: name, csvLayouts: [layout]))
            Issue.record("read")
        } catch {
            #expect(error.issues.first?.description == "invoiceninja_payments.csv:5: Amount: invalid amount '$13.50': unexpected character '$' in amount")
            #expect(!error.issues.contains { $0.location == "Date" })
        }
    }
}
