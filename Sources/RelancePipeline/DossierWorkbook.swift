import RelanceCore
import RelanceFormats
import RelanceStore

/// `creances.xlsx` of a litigation dossier: the claim invoice by invoice with totals, the
/// debtor's legal identity, and the history of reminders, deliveries, stages and exchanges.
enum DossierWorkbook {
    static let claimColumns = [
        "Facture", "Date facture", "Date livraison", "Échéance", "Devise", "Montant TTC", "Payé", "Avoirs", "Passé en perte",
        "Reste dû", "Jours de retard", "Pénalités de retard", "Pénalités arrêtées au", "Indemnité 40 €", "Prescription le",
        "Prescription estimée", "Litige ouvert", "Note",
    ]

    static func build(data: LitigationDossierData, claim: DossierClaim, company: CompanyIdentity?, asOf: Day) throws -> [UInt8] {
        var book = XLSXWorkbook(properties: .init(title: "Créances — dossier \(data.litigationCase.id)", author: company?.name ?? "Relance",
                                                  company: company?.name, created: asOf))
        var claims = XLSXSheet(name: "Créances", columns: claimColumns.map { XLSXColumn($0, width: $0.count > 12 ? 16 : 12) })
        for l in claim.lines {
            let f = l.facts
            func money(_ v: Int64) -> XLSXCell { .amount(Money(minor: v, currency: f.currency)) }
            claims.append([
                .text(f.number), .date(f.issueDate), f.deliveryDate.map { .date($0) } ?? .empty, .date(f.effectiveDueDate), .text(f.currency.code),
                money(f.amount), money(f.paidByPayments), money(f.credited), money(f.writtenOff), money(f.open),
                .integer(Int64(l.daysLate)), l.penalty.map { .amount($0) } ?? .empty, l.penaltyThrough.map { .date($0) } ?? .empty,
                .amount(l.indemnity), .date(l.limitation.conservativeLastDay), .text(l.limitation.startIsEstimate ? "oui" : "non"),
                .text(l.disputed ? "oui" : "non"), .text(l.penaltyNote ?? ""),
            ])
        }
        let penalties = claim.penaltyTotal
        for (currency, open) in claim.openTotal.sorted(by: { $0.key < $1.key }) {
            let these = claim.lines.filter { $0.facts.currency == currency }
            func sum(_ key: (CollectionInvoiceFacts) -> Int64) -> XLSXCell {
                .amount(Money(minor: these.reduce(0) { $0 + key($1.facts) }, currency: currency))
            }
            claims.append([
                .text("Total \(currency.code)"), .empty, .empty, .empty, .text(currency.code), sum(\.amount), sum(\.paidByPayments), sum(\.credited),
                sum(\.writtenOff), .amount(Money(minor: open, currency: currency)), .empty,
                .amount(Money(minor: penalties[currency] ?? 0, currency: currency)), .empty,
                .amount(Money(minor: these.reduce(0) { $0 + $1.indemnity.minor }, currency: .eur)), .empty, .empty, .empty, .empty,
            ])
        }
        book.add(claims)

        let c = data.customer
        var debtor = XLSXSheet(name: "Débiteur", columns: [XLSXColumn("Champ", width: 24), XLSXColumn("Valeur", width: 60)])
        let rows: [(String, String?)] = [
            ("Code client", c.id), ("Raison sociale / nom", c.name), ("SIREN", c.siren),
            ("SIRET", c.siren.map { _ in "non communiqué par l'ERP (SIREN ci-dessus)" }), ("N° TVA intracommunautaire", c.vatNumber),
            ("Adresse", c.address), ("Code postal", c.postalCode), ("Ville", c.city), ("Pays", c.country ?? "FR"),
            ("E-mail", c.email), ("Téléphone", c.phone), ("Qualité", c.kind == .business ? "professionnel" : "consommateur"),
            ("Dossier", data.litigationCase.id), ("Partenaire", data.litigationCase.partnerId),
            ("Ouvert le", data.litigationCase.openedOn.frenchDescription), ("Étape", LitigationStage(rawValue: data.litigationCase.stage)?.frenchLabel ?? data.litigationCase.stage),
        ]
        for (k, v) in rows { debtor.append([.text(k), .text(v ?? "")]) }
        book.add(debtor)

        var history = XLSXSheet(name: "Historique", columns: [
            XLSXColumn("Date", width: 12), XLSXColumn("Type", width: 22), XLSXColumn("Étape / canal", width: 24), XLSXColumn("Référence", width: 30),
            XLSXColumn("Détail", width: 60), XLSXColumn("Fichier", width: 40), XLSXColumn("SHA-256", width: 66),
        ])
        var entries: [(Day, Int, [XLSXCell])] = []
        for r in data.reminders {
            entries.append((r.asOf, 0, [.date(r.asOf), .text("relance"), .text("\(r.step) / \(r.channel)"), .text(r.id),
                                        .text("\(r.invoiceNumbers.joined(separator: ", ")) — \(MinorUnits.format(r.amount, places: 2)) \(r.currency), statut \(r.status)"),
                                        .text(r.file ?? ""), .text(r.sha256 ?? "")]))
            for d in r.deliveries {
                entries.append((d.day, 1, [.date(d.day), .text("preuve de distribution"), .text(d.event), .text(d.providerRef ?? r.id),
                                           .text("relance \(r.id)"), .text(d.proofName ?? ""), .text(d.proofSHA256 ?? "")]))
            }
        }
        for s in data.litigationCase.stages {
            entries.append((s.day, 2, [.date(s.day), .text("contentieux"), .text(s.stage.frenchLabel), .text(s.reference ?? ""),
                                       .text(s.comment ?? ""), .empty, .empty]))
        }
        // The journal of exchanges, without the records of earlier builds of this very dossier,
        // so that rebuilding an unchanged case gives the same bytes.
        for e in data.history where e.kind != "litigation.dossier" {
            let day = Day.parse(String(e.at.prefix(10))) ?? asOf
            entries.append((day, 3, [.date(day), .text("journal: \(e.kind)"), .text(e.actor), .text(e.subjectId ?? ""),
                                     .text(e.detail ?? ""), .empty, .empty]))
        }
        for e in entries.enumerated().sorted(by: { ($0.element.0, $0.element.1, $0.offset) < ($1.element.0, $1.element.1, $1.offset) }) {
            history.append(e.element.2)
        }
        book.add(history)
        do { return try book.bytes() } catch { throw FileOpsError(message: "creances.xlsx: \(error)") }
    }
}
