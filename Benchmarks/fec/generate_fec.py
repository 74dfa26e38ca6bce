#!/usr/bin/env python3
"""Writes a synthetic FEC (tab-separated, 18 columns, UTF-8) for measuring FECReader.

Seeded, so the same arguments give the same bytes. The mix imitates a small French
wholesaler's year: sales entries (411 / 706 / 44571), purchases (401 / 60x / 44566),
customer receipts and supplier payments through the bank (512), a few payroll entries,
an opening journal, and lettering of settled customer invoices.

Usage: generate_fec.py [--lines N] [--seed S] [--customers C] OUTPUT
"""
import argparse
import random

HEADER = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
          "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
          "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise"]


def amount(cents):
    return "%d,%02d" % divmod(cents, 100) if cents else "0"


def letters(n):
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("output")
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--customers", type=int, default=5000)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    customers = [("C%06d" % i, "Client %d SARL" % i) for i in range(a.customers)]
    suppliers = [("F%05d" % i, "Fournisseur %d" % i) for i in range(400)]
    payable = []                # lettered invoices awaiting payment: (customer, piece, cents, code)
    next_letter = {}            # customer -> lettering counter
    counters = {}
    out = open(a.output, "w", encoding="utf-8", newline="\n")
    out.write("\t".join(HEADER) + "\n")
    written = 0

    def entry(journal, jlib, date, lines):
        nonlocal written
        counters[journal] = counters.get(journal, 0) + 1
        num = "%s%06d" % (journal, counters[journal])
        d = "%04d%02d%02d" % date
        for acct, alib, aux, auxlib, piece, lib, debit, credit, let in lines:
            out.write("\t".join([journal, jlib, num, d, acct, alib, aux, auxlib, piece, d, lib,
                                 amount(debit), amount(credit), let, "", d, "", ""]) + "\n")
            written += 1

    # Opening balances: one aggregate line per customer with a balance.
    opening = []
    for cid, cname in customers[: a.customers // 3]:
        cents = rnd.randint(5000, 500000)
        opening.append(("41100000", "Clients", cid, cname, "AN", "A nouveau", cents, 0, letters(next_letter.get(cid, 0))))
        n = next_letter.get(cid, 0)
        next_letter[cid] = n + 1
        payable.append((cid, "AN", cents, letters(n)))
    total = sum(l[6] for l in opening)
    opening.append(("10100000", "Capital", "", "", "AN", "A nouveau", 0, total, ""))
    entry("AN", "A NOUVEAUX", (2024, 1, 1), opening)

    invoice_no = 0
    while written < a.lines:
        month = rnd.randint(1, 12)
        date = (2024, month, rnd.randint(1, 28))
        kind = rnd.random()
        if kind < 0.40:
            invoice_no += 1
            cid, cname = rnd.choice(customers)
            ht = rnd.randint(1000, 2_000_000)
            tva = ht * 20 // 100
            piece = "FA%07d" % invoice_no
            lib = "Facture %s %s" % (piece, cname)
            let = ""
            if rnd.random() < 0.6:  # will be paid: lettered with its payment
                n = next_letter.get(cid, 0)
                next_letter[cid] = n + 1
                let = letters(n)
                payable.append((cid, piece, ht + tva, let))
            entry("VE", "VENTES", date, [
                ("41100000", "Clients", cid, cname, piece, lib, ht + tva, 0, let),
                ("70610000", "Prestations de services", "", "", piece, lib, 0, ht, ""),
                ("44571000", "TVA collectee 20 %", "", "", piece, lib, 0, tva, ""),
            ])
        elif kind < 0.65:
            if not payable:
                continue
            # Pay one of the oldest lettered invoices (swap-remove keeps this O(1)).
            k = rnd.randrange(min(len(payable), 200))
            payable[k], payable[-1] = payable[-1], payable[k]
            cid, piece, cents, let = payable.pop()
            cname = "Client %d SARL" % int(cid[1:])
            lib = "VIR %s %s" % (cname.upper(), piece)
            entry("BQ", "BANQUE", date, [
                ("41100000", "Clients", cid, cname, piece, lib, 0, cents, let),
                ("51200000", "Banque", "", "", piece, lib, cents, 0, ""),
            ])
        elif kind < 0.90:
            sid, sname = rnd.choice(suppliers)
            ht = rnd.randint(500, 800_000)
            tva = ht * 20 // 100
            piece = "F%06d" % rnd.randint(1, 999999)
            lib = "Facture %s" % sname
            entry("AC", "ACHATS", date, [
                ("60700000", "Achats de marchandises", "", "", piece, lib, ht, 0, ""),
                ("44566000", "TVA deductible", "", "", piece, lib, tva, 0, ""),
                ("40100000", "Fournisseurs", sid, sname, piece, lib, 0, ht + tva, ""),
            ])
        else:
            gross = rnd.randint(150_000, 600_000)
            social = gross * 22 // 100
            net = gross - social
            lib = "Salaires %02d/2024" % month
            entry("OD", "OPERATIONS DIVERSES", date, [
                ("64110000", "Salaires bruts", "", "", "PAIE", lib, gross, 0, ""),
                ("43100000", "URSSAF", "", "", "PAIE", lib, 0, social, ""),
                ("42100000", "Personnel remunerations dues", "", "", "PAIE", lib, 0, net, ""),
            ])
    out.close()


if __name__ == "__main__":
    main()
