import RelanceCore
import RelanceFormats
import RelanceStore

/// The transmittal e-mail of a dossier to its partner ("bordereau de transmission"): the
/// archive attached, or — above `litigation.transmittal_max_bytes` — a note of where it lies,
/// since most mail servers refuse large messages. The passphrase of an encrypted archive is
/// never in the message: it goes to the partner by another channel.
enum DossierTransmittal {
    static func build(data: LitigationDossierData, claim: DossierClaim, route: ClaimRoute.Recommendation, partner: LitigationPartner?,
                      company: CompanyIdentity?, asOf: Day, archiveName: String, archivePath: String, archive: [UInt8],
                      encrypted: Bool, maxBytes: Int) throws -> [UInt8] {
        let fromAddress = company?.email ?? "recouvrement@localhost"
        let domain = fromAddress.split(separator: "@").last.map(String.init) ?? "localhost"
        let k = data.litigationCase
        let attach = archive.count <= maxBytes
        let totals = claim.openTotal.sorted { $0.key < $1.key }.map { FrenchDisplay.amount(Money(minor: $0.value, currency: $0.key)) }.joined(separator: ", ")
        var body = """
        Bonjour,

        Nous vous transmettons le dossier de contentieux \(k.id) concernant \(data.customer.name ?? data.customer.id) (code client \(data.customer.id)\(data.customer.siren.map { ", SIREN \($0)" } ?? "")).

        Créance en principal restant due au \(asOf.frenchDescription) : \(totals.isEmpty ? "0" : totals), sur \(claim.lines.count) facture(s).
        Voie recommandée : \(route.route.frenchLabel) ; avocat obligatoire : \(route.lawyerRequired ? "oui" : "non").

        """
        if let lim = claim.earliestLimitation {
            body += "Première date de prescription : \(lim.conservativeLastDay.frenchDescription)\(lim.startIsEstimate ? " (estimation)" : "").\n\n"
        }
        if attach {
            body += "Le dossier complet est joint (\(archiveName), \(archive.count) octets) : synthese.pdf, creances.xlsx, factures, preuves des relances et index.csv avec l'empreinte SHA-256 de chaque pièce.\n"
        } else {
            body += "Le dossier (\(archiveName), \(archive.count) octets) dépasse la taille admise par la messagerie (\(maxBytes) octets) : il n'est pas joint. Il se trouve à l'emplacement \(archivePath) ; nous vous le remettons par le moyen de transfert convenu.\n"
        }
        if encrypted { body += "L'archive est chiffrée (AES-256) ; le mot de passe vous est communiqué par un autre canal.\n" }
        body += "\nCordialement,\n\(company?.name ?? "")\n"
        let message = MIMEMessage(
            from: MailAddress(fromAddress, displayName: company?.name),
            to: [MailAddress(partner?.email ?? "partenaire-inconnu@\(domain)", displayName: partner?.name)],
            subject: "Transmission du dossier de contentieux \(k.id) — \(data.customer.name ?? data.customer.id)",
            date: try MailDate(day: asOf, hour: 9, minute: 0, utcOffsetMinutes: 0),
            messageID: MessageID(id: "dossier-\(k.id)-\(asOf)", domain: domain),
            customHeaders: [.init(name: "X-Relance-Case", value: k.id)],
            textBody: body,
            attachments: attach ? [MailAttachment(filename: archiveName, contentType: "application/zip", bytes: archive)] : [])
        return try EMLWriter.render(message)
    }
}
