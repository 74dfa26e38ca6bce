import Foundation
import RelanceCore
import RelanceFormats

/// Turns recorded reminder facts into the batch's bytes: e-mails (.eml with the statement
/// PDF), letters and formal notices (PDF), SMS and call rows. A pure function of the facts,
/// the settings, the company and the templates: the same inputs give the same bytes.
struct ReminderRenderer: Sendable {
    let settings: ReminderSettings
    let company: CompanyIdentity?
    let templates: CompiledReminderTemplates
    let timeZone: String

    /// One rendered message.
    enum Output: Sendable {
        case file(path: String, bytes: [UInt8])
        case sms(SMSRow)
        case call(CallRow)
    }

    struct SMSRow: Sendable {
        var reminderId: String, customerId: String, phone: String, text: String
        var encoding: String, units: Int, segments: Int
    }

    struct CallRow: Sendable {
        var reminderId: String, customerId: String, customerName: String, phone: String, amount: String, talkingPoints: String
    }

    struct RenderError: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Formatting per language

    func amount(_ minor: Int64, _ currency: Currency, _ language: String, plain: Bool = false) -> String {
        let m = Money(minor: minor, currency: currency)
        if plain {
            // Text messages: GSM-7 characters only (no U+202F, no €, which would cost two septets).
            return MinorUnits.format(minor, places: currency.minorUnits, decimalSeparator: language == "fr" ? "," : ".") + " " + currency.code
        }
        return language == "fr" ? FrenchDisplay.amount(m) : EnglishDisplay.amount(m)
    }

    func longDate(_ d: Day, _ language: String) -> String {
        language == "fr" ? FrenchDisplay.longDate(d) : EnglishDisplay.longDate(d)
    }

    func shortDate(_ d: Day, _ language: String) -> String {
        language == "fr" ? FrenchDisplay.shortDate(d) : EnglishDisplay.shortDate(d)
    }

    // MARK: Model

    func model(_ f: ReminderFacts, plain: Bool = false) -> [String: Any] {
        let lang = f.language, cur = f.money
        let business = f.isBusiness
        let invoices: [[String: Any]] = f.items.map { l in
            [
                "number": l.number, "issue_date": shortDate(Day(ordinal: l.issued), lang), "due_date": shortDate(Day(ordinal: l.due), lang),
                "days_late": l.daysLate, "amount": amount(l.amount, cur, lang, plain: plain), "open_amount": amount(l.open, cur, lang, plain: plain),
                "penalty": amount(l.penalty ?? 0, cur, lang, plain: plain), "indemnity": amount(l.indemnity ?? 0, .eur, lang, plain: plain),
                "rates": (l.rates ?? []).joined(separator: ", "), "step": l.step,
            ]
        }
        let total = f.items.reduce(Int64(0)) { $0 &+ $1.open }
        let penalties = f.items.reduce(Int64(0)) { $0 &+ ($1.penalty ?? 0) }
        let indemnities = f.items.reduce(Int64(0)) { $0 &+ ($1.indemnity ?? 0) }
        let claim = total &+ penalties &+ (cur == .eur ? indemnities : 0)
        return [
            "company_name": company?.name ?? "", "company_email": company?.email ?? "", "company_iban": company?.iban ?? "",
            "company_siren": company?.siren ?? "",
            "customer_id": f.customerId, "customer_name": f.customerName, "reminder_id": f.id, "step": f.step,
            "date": longDate(f.day, lang), "deadline": longDate(f.day.adding(days: settings.paymentDeadlineDays), lang),
            "invoice_count": f.items.count, "total_due": amount(total, cur, lang, plain: plain),
            "statement_total": amount(f.statement.reduce(Int64(0)) { $0 &+ $1.open }, cur, lang, plain: plain),
            "principal_total": amount(total, cur, lang, plain: plain), "penalties_total": amount(penalties, cur, lang, plain: plain),
            "indemnities_total": amount(indemnities, .eur, lang, plain: plain), "claim_total": amount(claim, cur, lang, plain: plain),
            "business": business, "consumer": !business,
            "signature_name": settings.signatureName ?? company?.name ?? "", "signature_title": settings.signatureTitle ?? "",
            "invoices": invoices,
        ]
    }

    func part(_ f: ReminderFacts, _ name: String, _ model: [String: Any]) -> String? {
        templates.render(language: f.language, template: f.template, part: name, model)
    }

    // MARK: Outputs

    func render(_ f: ReminderFacts, folder: String, writer: PDFDocumentWriter) throws -> Output {
        guard let channel = ReminderChannel(rawValue: f.channel) else { throw RenderError(description: "unknown channel \(f.channel)") }
        switch channel {
        case .email:
            return .file(path: "\(folder)/email/\(f.id).eml", bytes: try email(f, writer: writer))
        case .letter:
            return .file(path: "\(folder)/letters/\(f.id).pdf", bytes: try writer.render(letter(f, registered: false)))
        case .registeredLetter:
            return .file(path: "\(folder)/registered/\(f.id).pdf", bytes: try writer.render(letter(f, registered: true)))
        case .sms:
            let text = (part(f, "sms", model(f, plain: true)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let sms = SMSText(text)
            let phone = f.phone.flatMap { PhoneNumber.e164($0) } ?? ""
            return .sms(SMSRow(reminderId: f.id, customerId: f.customerId, phone: phone, text: text,
                               encoding: sms.encoding.rawValue, units: sms.units, segments: sms.segments))
        case .call:
            let m = model(f)
            let points = (part(f, "call", m) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return .call(CallRow(reminderId: f.id, customerId: f.customerId, customerName: f.customerName,
                                 phone: f.phone.flatMap { PhoneNumber.e164($0) } ?? (f.phone ?? ""),
                                 amount: m["total_due"] as? String ?? "", talkingPoints: points))
        }
    }

    var sender: LetterLayout.Sender {
        let lines = (company?.address ?? "").split(whereSeparator: { $0 == "\n" || $0 == "," }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        return LetterLayout.Sender(name: company?.name ?? "", addressLines: lines, siren: company?.siren,
                                   vatNumber: company?.vatNumber, email: company?.email)
    }

    static func paragraphs(_ text: String?) -> [PDFText] {
        guard let text else { return [] }
        return text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }.map { PDFText($0.replacingOccurrences(of: "\n", with: " ")) }
    }

    func lines(_ ls: [ReminderFacts.Line], currency: Currency) -> [LetterLayout.InvoiceLine] {
        ls.map { l in
            LetterLayout.InvoiceLine(number: l.number, issued: Day(ordinal: l.issued), due: Day(ordinal: l.due),
                                     amount: Money(minor: l.amount, currency: currency), open: Money(minor: l.open, currency: currency))
        }
    }

    func letter(_ f: ReminderFacts, registered: Bool) -> LetterLayout {
        let m = model(f)
        let subject = (part(f, "subject", m) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let body = part(f, "body", m) ?? part(f, "text", m)
        let fr = f.language == "fr"
        return LetterLayout(
            sender: sender, recipient: [f.customerName] + f.address, place: settings.place ?? "Paris", date: f.day,
            subject: subject,
            references: [(fr ? "Réf. client : " : "Customer ref.: ") + f.customerId, (fr ? "N/Réf. : " : "Our ref.: ") + f.id],
            registeredMail: registered, salutation: fr ? "Madame, Monsieur," : "Dear Sir or Madam,",
            paragraphs: Self.paragraphs(body), invoices: lines(f.items, currency: f.money),
            afterTable: Self.paragraphs(part(f, "after_table", m)),
            closing: PDFText(fr ? "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées."
                                : "Yours faithfully,"),
            signature: .init(name: settings.signatureName ?? company?.name ?? "", title: settings.signatureTitle),
            language: fr ? .french : .english)
    }

    /// The customer's statement ("relevé de compte"): every open invoice on the as-of date.
    func statement(_ f: ReminderFacts) -> LetterLayout {
        let fr = f.language == "fr"
        let total = amount(f.statement.reduce(Int64(0)) { $0 &+ $1.open }, f.money, f.language)
        return LetterLayout(
            sender: sender, recipient: [f.customerName] + f.address, place: settings.place ?? "Paris", date: f.day,
            subject: fr ? "Relevé de compte au \(FrenchDisplay.longDate(f.day))" : "Statement of account as of \(longDate(f.day, "en"))",
            references: [(fr ? "Réf. client : " : "Customer ref.: ") + f.customerId],
            paragraphs: [PDFText(fr ? "Voici la liste de vos factures non réglées à ce jour, pour un total de \(total)."
                                    : "Here are your invoices still unpaid today, for a total of \(total).")],
            invoices: lines(f.statement, currency: f.money),
            closing: PDFText(fr ? "Avec nos salutations distinguées." : "Kind regards,"),
            signature: .init(name: settings.signatureName ?? company?.name ?? "", title: settings.signatureTitle),
            language: fr ? .french : .english)
    }

    func email(_ f: ReminderFacts, writer: PDFDocumentWriter) throws -> [UInt8] {
        let m = model(f)
        let fromAddress = settings.mailFrom ?? company?.email ?? "relance@localhost"
        let domain = settings.mailDomain ?? fromAddress.split(separator: "@").last.map(String.init) ?? "localhost"
        let text = part(f, "text", m) ?? ""
        let html = part(f, "html", m) ?? Self.html(fromText: text)
        let statementPDF = try writer.render(statement(f))
        let message = MIMEMessage(
            from: MailAddress(fromAddress, displayName: settings.mailFromName ?? company?.name),
            to: [MailAddress(f.email ?? "", displayName: f.customerName)],
            replyTo: settings.replyTo.map { MailAddress($0) } ?? company?.email.map { MailAddress($0) },
            subject: (part(f, "subject", m) ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            date: try MailDate(day: f.day, hour: 8, minute: 0, utcOffsetMinutes: utcOffsetMinutes(f.day)),
            messageID: MessageID(id: f.id, domain: domain),
            customHeaders: [.init(name: "X-Relance-Reminder-Ids", value: f.id)],
            textBody: text + "\n", htmlBody: html,
            attachments: [MailAttachment(filename: (f.language == "fr" ? "releve-" : "statement-") + f.customerId + ".pdf",
                                         contentType: "application/pdf", bytes: statementPDF)])
        return try EMLWriter.render(message)
    }

    /// Company time at 08:00 on `day`: the offset of the configured time zone that day.
    func utcOffsetMinutes(_ day: Day) -> Int {
        guard let tz = TimeZone(identifier: timeZone) else { return 0 }
        let c = day.components
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        guard let date = cal.date(from: DateComponents(year: c.year, month: c.month, day: c.day, hour: 8)) else { return 0 }
        return tz.secondsFromGMT(for: date) / 60
    }

    /// The HTML alternative of a text-only template: paragraphs, line breaks kept, escaped.
    static func html(fromText text: String) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let paras = text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        let body = paras.map { "<p>" + esc($0).replacingOccurrences(of: "\n", with: "<br>\n") + "</p>" }.joined(separator: "\n")
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n\(body)\n</body></html>\n"
    }
}
