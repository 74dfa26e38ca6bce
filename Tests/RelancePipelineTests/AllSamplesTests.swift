import Foundation
import Testing
import RelanceCore
import RelanceFormats
import RelancePipeline
import RelanceTestSupport

/// Every file under `../shared/samples/` is recognised and either read or rejected for a
/// stated reason, through the same dispatch the inbox uses. The readers' own test suites check
/// the facts inside each file (counts, totals, dates, references); e-invoices are read there
/// with the seller configured as the company. A new sample not listed here fails the test.
@Suite(.enabled(if: Samples.available, Samples.skipMessage))
struct AllSamplesTests {
    enum Expected {
        case read(String)          // batch format
        case rejected(String)      // fragment of the first reason
    }

    static let table: [String: Expected] = [
        "camt/dvbern_200519_camt.054_P_CH2909000000250094239_1111091335_0_2020061900081727_v2019.xml": .read("camt.054"),
        "camt/genkgo_camt052.v4.xml": .rejected("camt.052 intraday report: not a statement"),
        "camt/genkgo_camt053.v2.multi.statement.xml": .read("camt.053"),
        "camt/genkgo_camt054.v8.xml": .read("camt.054"),
        "camt/hbci4java_test-camt-ruecklastschrift.xml": .rejected("camt.052 intraday report: not a statement"),
        "camt/oca_test-camt053": .read("camt.053"),
        "camt/oca_test-camt054": .read("camt.054"),
        "camt/viafintech_053_valid_example.xml": .read("camt.053"),
        "camt/viafintech_053_valid_example_v4.xml": .read("camt.053"),
        "camt/viafintech_053_valid_example_v8.xml": .read("camt.053"),
        "cdar/phcii_UC1_F202500003_01-CDV-200_Deposee.xml": .rejected("lifecycle status (CDAR"),
        "cdar/phcii_UC1_F202500003_02-CDV-202_Recue.xml": .rejected("lifecycle status (CDAR"),
        "cdar/phcii_UC1_F202500003_04-CDV-204_Prise_en_charge.xml": .rejected("lifecycle status (CDAR"),
        "cdar/phcii_UC1_F202500003_05-CDV-205_Approuvee.xml": .rejected("lifecycle status (CDAR"),
        "cdar/phcii_UC1_F202500003_07-CDV-212_Encaissee.xml": .rejected("lifecycle status (CDAR"),
        "cdar/phcii_UC1_F202500003_07-CDV-212_Encaissee_POUR_PPF.xml": .rejected("lifecycle status (CDAR"),
        "cdar/phcii_UC4_F202500006_04-CDV-207_En_litige.xml": .rejected("lifecycle status (CDAR"),
        "cdar/phcii_slack1.xml": .rejected("lifecycle status (CDAR"),
        "cfonb120/akretion_bank_statement.cfo": .read("CFONB 120"),
        "cfonb120/oca_cfonb_classic.cfo": .read("CFONB 120"),
        "cfonb120/pennylane_example.txt": .read("CFONB 120"),
        "cfonb120/silarhi_complex-test.txt": .read("CFONB 120"),
        "cfonb120/silarhi_test-unused-parts.txt": .read("CFONB 120"),
        "csv_exports/ekylibre_incoming_payments.csv": .read("payments CSV"),
        "csv_exports/ekylibre_socleo_incoming_payments.csv": .rejected("accounting journal export"),
        "csv_exports/ekylibre_socleo_sales.csv": .rejected("accounting journal export"),
        "csv_exports/invoiceninja_freshbooks_invoices.csv": .rejected("missing amount"),
        "csv_exports/invoiceninja_invoice.csv": .rejected("invalid amount '$13.50'"),
        "csv_exports/invoiceninja_payments.csv": .rejected("invalid date '10/20/2019'"),
        "csv_exports/invoiceninja_wave_invoices.csv": .rejected("accounting journal export"),
        "csv_exports/invoiceninja_zoho_invoices.csv": .rejected("INV-000001"),
        "csv_exports/oca_paypal_activity_en.csv": .rejected("missing customer_id"),
        "facturx_pdf/akretion_invoice_EN16931.pdf": .rejected("company identity not configured"),
        "facturx_pdf/mustang_Facture_F20180027.pdf": .rejected("company identity not configured"),
        "facturx_pdf/mustang_validAvoir_FR_type380_BASICWL.pdf": .rejected("company identity not configured"),
        "facturx_pdf/mustang_zugferd_invoice.pdf": .rejected("company identity not configured"),
        "fec/ekylibre_istea_123456789FEC20201231.txt": .read("FEC"),
        "fec/ekylibre_quadra_123456789FEC20190731.txt": .read("FEC"),
        "fec/ekylibre_sage-coala_2020.txt": .read("FEC"),
        "mt940/hbci4java_test-mt940-001.sta": .rejected("MT940 statements are not supported"),
        "mt940/oca_test-rabo.swi": .rejected("MT940 statements are not supported"),
        "mt940/wolph-mt940_jejik_abnamro.sta": .rejected("MT940 statements are not supported"),
        "mt940/wolph-mt940_jejik_ing.sta": .rejected("MT940 statements are not supported"),
    ]

    /// E-invoices (UBL/CII) with no company configured: recognised, then refused because sales
    /// cannot be told from purchases. `UBLSampleTests`/`CIISampleTests` read each one as a sale.
    static let eInvoiceFolder = "ubl_cii/"

    @Test func everySampleIsReadOrRejectedForAStatedReason() throws {
        let files = ["camt", "cdar", "cfonb120", "csv_exports", "facturx_pdf", "fec", "mt940", "ubl_cii"].flatMap { Samples.files(in: $0) }
        #expect(files.count >= 50)
        for file in files {
            let bytes = try Samples.bytes(file)
            let context = ReadContext(fileName: file)
            var outcome: Result<IngestBatch, InputRejection>
            do { outcome = .success(try InputFormats.read(bytes, context: context)) } catch { outcome = .failure(error) }
            if file.hasPrefix(Self.eInvoiceFolder) {
                #expect(InputFormats.detect(bytes) == .eInvoice, "\(file)")
                guard case let .failure(r) = outcome else { Issue.record("\(file) was read without a company"); continue }
                #expect(r.issues.first?.reason.contains("company identity not configured") == true, "\(file): \(r)")
                continue
            }
            guard let expected = Self.table[file] else {
                Issue.record("\(file) is not in the table of samples: say whether it is read or why it is rejected")
                continue
            }
            switch (expected, outcome) {
            case let (.read(format), .success(batch)):
                #expect(batch.format.hasPrefix(format), "\(file): read as \(batch.format)")
                // Statements holding only debits read no payment, and say so in a note.
                #expect(batch.recordCount > 0 || !batch.notes.isEmpty, "\(file): nothing read and nothing said")
            case let (.rejected(fragment), .failure(r)):
                #expect(r.description.contains(fragment), "\(file): \(r.description.prefix(300))")
                #expect(r.issues.allSatisfy { $0.file.hasPrefix(file) }, "\(file): issues must name the file")
            case let (.read, .failure(r)):
                Issue.record("\(file) was expected to be read but was rejected: \(r.description.prefix(300))")
            case let (.rejected, .success(batch)):
                Issue.record("\(file) was expected to be rejected but was read as \(batch.format)")
            }
        }
    }
}
