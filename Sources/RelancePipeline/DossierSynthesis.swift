import RelanceCore
import RelanceFormats
import RelanceStore

/// `synthese.pdf` of a litigation dossier: the claim in one page for the partner — amounts,
/// penalties and indemnities, stages, the recommended route by the rules of legal.md §6
/// (`ClaimRoute`), whether a lawyer is required, and the limitation date.
public enum DossierSynthesis {
    public static func recommendation(data: LitigationDossierData, claim: DossierClaim, company: CompanyIdentity?, urgentWithinDays: Int) -> ClaimRoute.Recommendation {
        let penalties = claim.penaltyTotal[.eur] ?? 0
        let contested = !data.disputed.isEmpty || data.litigationCase.stages.contains { $0.stage == .opposition }
        return ClaimRoute.recommend(ClaimRoute.Input(
            principal: claim.openTotal[.eur] ?? claim.openTotal.values.reduce(0, +), interest: penalties, contested: contested,
            daysToLimitation: claim.earliestLimitation?.daysRemaining(asOf: claim.asOf), debtor: data.customer.kind,
            debtorCountry: data.customer.country ?? "FR", creditorCountry: company.flatMap { CollectionCountry.of(vat: $0.vatNumber) } ?? "FR",
            urgentWithinDays: urgentWithinDays))
    }

    static func build(data: LitigationDossierData, claim: DossierClaim, route: ClaimRoute.Recommendation, partner: LitigationPartner?,
                      company: CompanyIdentity?, asOf: Day, missingProofs: [String]) throws -> [UInt8] {
        let c = data.customer
        let k = data.litigationCase
        var blocks: [PDFBlock] = [
            .heading("Synthèse du dossier de contentieux \(k.id)", level: 1),
            .text("Établie le \(FrenchDisplay.longDate(asOf)) par \(company?.name ?? "le créancier")" + (company?.siren.map { " (SIREN \($0))" } ?? "") + "."),
            .heading("Débiteur", level: 2),
            .text("\(c.name ?? c.id) — code client \(c.id)" + (c.siren.map { ", SIREN \($0)" } ?? "") + (c.vatNumber.map { ", TVA \($0)" } ?? "")
                  + ". " + [c.address, c.postalCode, c.city, c.country].compactMap { $0 }.joined(separator: " ")
                  + (c.kind == .consumer ? " Débiteur consommateur." : " Débiteur professionnel.")),
            .heading("Créance", level: 2),
        ]
        var rows: [[PDFText]] = []
        for l in claim.lines {
            let f = l.facts
            rows.append([PDFText(f.number), PDFText(f.effectiveDueDate.frenchDescription),
                         PDFText(FrenchDisplay.amount(Money(minor: f.amount, currency: f.currency))),
                         PDFText(FrenchDisplay.amount(Money(minor: f.open, currency: f.currency))), PDFText(String(l.daysLate)),
                         PDFText(l.penalty.map(FrenchDisplay.amount) ?? "—"), PDFText(FrenchDisplay.amount(l.indemnity))])
        }
        var totals: [[PDFText]] = []
        for (currency, open) in claim.openTotal.sorted(by: { $0.key < $1.key }) {
            totals.append([PDFText.bold("Total"), "", "", PDFText.bold(FrenchDisplay.amount(Money(minor: open, currency: currency))), "",
                           PDFText.bold(FrenchDisplay.amount(Money(minor: claim.penaltyTotal[currency] ?? 0, currency: currency))),
                           PDFText.bold(FrenchDisplay.amount(Money(minor: claim.indemnityTotal, currency: .eur)))])
        }
        blocks.append(.table(PDFTable(columns: [
            .init("Facture", weight: 1.4), .init("Échéance"), .amount("Montant TTC"), .amount("Reste dû"), .amount("Jours", weight: 0.6),
            .amount("Pénalités"), .amount("Indemnité"),
        ], rows: rows, totalRows: totals)))
        let notes = Set(claim.lines.compactMap(\.penaltyNote)).sorted()
        for n in notes { blocks.append(.text(PDFText.italic(n))) }
        blocks.append(.text("Pénalités de retard au taux BCE + 10 points (art. L441-10 C. com.), indemnité forfaitaire de 40 € par facture (art. D441-5), sommes arrêtées au \(asOf.frenchDescription)."))

        blocks.append(.heading("Voie recommandée", level: 2))
        blocks.append(.text(PDFText.bold(route.route.frenchLabel)))
        blocks.append(.text("Juridiction : \(route.court)."))
        blocks.append(.text("Avocat obligatoire : " + (route.lawyerRequired ? "oui" : "non") + "."))
        for r in route.reasons { blocks.append(.text("• " + r, alignment: .left)) }

        blocks.append(.heading("Prescription", level: 2))
        if let lim = claim.earliestLimitation {
            blocks.append(.text("Première date de prescription : \(PDFText.bold(lim.conservativeLastDay.frenchDescription)) (\(lim.statute), \(lim.years) ans)"
                                + (lim.startIsEstimate ? " — estimation : date de livraison inconnue, point de départ = date de facture." : ".")
                                + (lim.lastInterruption.map { " Délai reparti le \($0.day.frenchDescription) (paiement partiel ou acte interruptif)." } ?? "")))
        } else {
            blocks.append(.text("Aucune facture du dossier ne reste due."))
        }

        blocks.append(.heading("Étapes", level: 2))
        for s in k.stages {
            blocks.append(.text("\(s.day.frenchDescription) — \(s.stage.frenchLabel)" + (s.reference.map { " (réf. \($0))" } ?? "")
                                + (s.comment.map { " : \($0)" } ?? ""), alignment: .left))
        }
        blocks.append(.heading("Partenaire et pièces", level: 2))
        blocks.append(.text(partner.map { "\($0.name) (\($0.kind.frenchLabel)), \($0.email)." } ?? "Partenaire \(k.partnerId) absent de l'annuaire de relance.yaml."))
        blocks.append(.text("\(data.reminders.count) relance(s) et leurs preuves de distribution, les factures et avoirs disponibles, creances.xlsx et index.csv (SHA-256 de chaque pièce) sont joints."))
        if !missingProofs.isEmpty {
            blocks.append(.text(PDFText.bold("Pièces manquantes : ") + missingProofs.joined(separator: " ; ")))
        }
        let doc = PDFDocument(info: PDFDocumentInfo(title: "Synthèse du dossier \(k.id)", author: company?.name ?? "Relance", date: asOf),
                              footer: PDFFooter(legalMentions: [company?.name, company?.siren.map { "SIREN \($0)" }].compactMap { $0 }),
                              blocks: blocks)
        do { return try PDFDocumentWriter().render(doc) } catch { throw FileOpsError(message: "synthese.pdf: \(error)") }
    }
}

/// The country of a company from its intra-EU VAT number prefix (`FR44…` → `FR`).
enum CollectionCountry {
    static func of(vat: String?) -> String? {
        guard let v = vat, v.count >= 2 else { return nil }
        let p = String(v.prefix(2)).uppercased()
        guard p.allSatisfy({ $0.isLetter }) else { return nil }
        return p == "EL" ? "GR" : p
    }
}
