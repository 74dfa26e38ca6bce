#!/usr/bin/env python3
"""Seeded generator of large canonical English CSV inboxes for the aged-balance benchmark.

Writes DIR/inbox/customers.csv, invoices.csv, payments.csv (`,`, UTF-8 without BOM, LF, dot
decimals, ISO dates, text fields quoted) and DIR/AS_OF. With N invoice rows: N/20
customers, 0.8×N payments, ~3 % of the documents credit notes; issue dates over the two years
before the as-of date.

What the data exercises:
  * names with accents, commas, semicolons, double quotes, and a few starting with + or =;
  * credit notes as type credit_note with a positive amount, or as a negative invoice, most
    naming their original invoice, some not (unapplied credit);
  * payments naming one invoice in the invoice_number column, or one to three invoices as
    tokens of the reference; partial payments, small overpayments, payments on account
    naming nothing, payments without customer_id (they name an invoice), and a few with
    neither (left out of the aged balance);
  * some invoices in USD (paid in USD), some customers missing from customers.csv.
No invoice is covered by payments and credit notes beyond its amount, so the order in which
a store applies payments and credit notes cannot change the aged balance.

The output is a pure function of (--invoices, --seed, --as-of). Rows are built as strings in
batches (the csv module per row is several times slower): 1M invoice rows take ~18 s of CPU here.

Usage: generate.py [--invoices 1000000] [--seed 1] [--as-of 2026-11-20] --out DIR
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time

PREFIXES = ["Boulangerie", "Brasserie", "Hôtel", "Restaurant", "Café", "Épicerie", "Société", "Établissements",
            "Crêperie", "Pâtisserie", "Traiteur", "Boucherie", "Fromagerie", "Cave", "Garage", "Atelier", "Pharmacie",
            "Librairie", "Auberge", "Bistrot", "Clinique", "Cabinet", "Laboratoire", "Menuiserie", "Transports"]
SURNAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
            "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
            "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martínez",
            "Légaré", "Gaëlle", "Noël", "Béranger", "Çelik", "Müller", "Œuvray", "Châtelain", "Hébert", "Lætitia"]
FORMS = ["SARL", "SAS", "SA", "EURL", "SNC", "& Fils", "et Associés", "", ""]
FIRST = ["Jean", "Marie", "Élodie", "Hélène", "François", "Zoé", "Noé", "Loïc", "Anaïs", "Jérôme", "Chloé", "Gaël"]
CITIES = [("69002", "Lyon"), ("75011", "Paris"), ("13001", "Marseille"), ("31000", "Toulouse"), ("06000", "Nice"),
          ("44000", "Nantes"), ("67000", "Strasbourg"), ("34000", "Montpellier"), ("33000", "Bordeaux"),
          ("59000", "Lille"), ("35000", "Rennes"), ("01000", "Bourg-en-Bresse"), ("74000", "Annecy"),
          ("42000", "Saint-Étienne"), ("97400", "Saint-Denis")]
STREETS = ["rue de la République", "avenue Jean Jaurès", "place Bellecour", "boulevard Haussmann", "rue Pasteur",
           "chemin des Vignes", "quai Saint-Vincent", "allée des Tilleuls", "rue de l'Église", "route de Lyon"]


def quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def money(cents: int) -> str:
    if cents < 0:
        return "-" + money(-cents)
    return f"{cents // 100}.{cents % 100:02d}"


def siren_for(n: int) -> str:
    """A 9-digit SIREN whose Luhn key is valid, distinct for each n below 9×10⁷."""
    base = f"{(n * 7919 + 30000000) % 90000000 + 10000000:08d}"
    total = 0
    for k, ch in enumerate(base):  # the key is digit 9: base digits at even k are doubled
        d = int(ch) * (2 if k % 2 == 1 else 1)
        total += d - 9 if d > 9 else d
    return base + str((10 - total % 10) % 10)


def iban_for(rng: random.Random) -> str:
    bban = f"{rng.randrange(10000, 99999)}{rng.randrange(10000, 99999)}{rng.randrange(10**10, 10**11)}{rng.randrange(10, 97)}"
    check = 98 - int(bban + "152700") % 97
    iban = f"FR{check:02d}{bban}"
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


def customer_name(rng: random.Random, n: int) -> tuple[str, str]:
    """(name, kind); about 1 in 12 names holds a comma, semicolon or double quote."""
    r = rng.random()
    s1, s2 = rng.choice(SURNAMES), rng.choice(SURNAMES)
    if r < 0.05:
        return f"{rng.choice(['M.', 'Mme'])} {rng.choice(FIRST)} {s1}", "consumer"
    if r < 0.08:
        return f"{s1}, {s2} {rng.choice(FORMS)}".rstrip(), "business"
    if r < 0.10:
        return f'{rng.choice(PREFIXES)} "{s1}"', "business"
    if r < 0.12:
        return f"{rng.choice(PREFIXES)} {s1}; {s2}", "business"
    if r < 0.13:
        return f'{rng.choice(["+", "=", "@", "-"])}{s1} {rng.choice(FORMS)}'.rstrip(), "business"
    return f"{rng.choice(PREFIXES)} {s1} {rng.choice(FORMS)}".rstrip(), "business"


def short_of(name: str) -> str:
    return "".join(ch for ch in name.upper() if ch.isalnum() or ch == " ")[:24].strip()


def generate(n_invoices: int, seed: int, as_of: dt.date, out: str, n_customers: int | None = None) -> dict:
    rng = random.Random(seed)
    rnd = rng.random  # int(rnd() * n) is several times faster than randrange(n)
    inbox = os.path.join(out, "inbox")
    os.makedirs(inbox, exist_ok=True)
    iso = [(as_of - dt.timedelta(days=k)).isoformat() for k in range(0, 800)]  # index = days before as-of
    after = [(as_of + dt.timedelta(days=k)).isoformat() for k in range(0, 80)]  # due dates after as-of
    year_of = [d[:4] for d in iso]
    # A lognormal table (median ~600 EUR excl. tax) sampled by index: cheaper than lognormvariate per row.
    amounts = [min(max(int(rng.lognormvariate(11.0, 1.1)), 500), 50_000_000) for _ in range(65536)]
    terms = (30, 30, 45, 60)

    # Customers ------------------------------------------------------------------------------
    n_customers = n_customers or max(1, n_invoices // 20)
    qnames, shorts, ibans = [], [], []
    with open(os.path.join(inbox, "customers.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("customer_id,name,siren,vat_number,email,phone,address,postal_code,city,country,language,kind\n")
        buf = []
        for c in range(n_customers):
            name, kind = customer_name(rng, c)
            qnames.append(quote(name))
            shorts.append(short_of(name))
            ibans.append(iban_for(rng))
            if kind == "business":
                siren = siren_for(c)
                vat = f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
            else:
                siren = vat = ""
            postal, city = CITIES[int(rnd() * len(CITIES))]
            buf.append(f"C{c:07d},{qnames[c]},{siren},{vat},compta{c}@example.fr,+33 4 {10 + int(rnd() * 90)} "
                       f"{10 + int(rnd() * 90)} {10 + int(rnd() * 90)} {10 + int(rnd() * 90)},"
                       f"\"{1 + int(rnd() * 200)} {STREETS[int(rnd() * len(STREETS))]}\",{postal},\"{city}\",FR,"
                       f"{'en' if rnd() < 0.03 else 'fr'},{kind}\n")
        f.write("".join(buf))

    # Invoices and credit notes ------------------------------------------------------------------
    # Kept per document for the payment pass: customer (None for a credit note), amount (TTC
    # cents), USD flag, issue and due as days before as-of (negative due: after as-of),
    # amount credited by credit notes, number.
    inv_cust, inv_amount, inv_usd, inv_issue, inv_due, inv_credit, inv_number = [], [], [], [], [], [], []
    last_invoice_of: dict[int, int] = {}
    n_credit = n_plain = 0
    with open(os.path.join(inbox, "invoices.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("invoice_number,customer_id,issue_date,due_date,delivery_date,currency,amount_excl_tax,tax,amount,type,original_invoice\n")
        buf = []
        for i in range(n_invoices):
            # 0.2 % of the documents belong to 50 customer ids missing from customers.csv.
            cust = int(rnd() * n_customers) if rnd() > 0.002 else n_customers + int(rnd() * 50)
            issue = int(rnd() * 730)
            if rnd() < 0.03 and cust in last_invoice_of:
                # Credit note: most take back part of the customer's latest invoice.
                n_credit += 1
                orig = last_invoice_of[cust] if rnd() < 0.7 else -1
                if orig >= 0:
                    room = inv_amount[orig] - inv_credit[orig]
                    if room <= 100:
                        orig = -1
                if orig >= 0:
                    ttc = max(1, room * (10 + int(rnd() * 91)) // 100)
                    inv_credit[orig] += ttc
                    issue = min(issue, inv_issue[orig])
                    original = inv_number[orig]
                    currency = "USD" if inv_usd[orig] else "EUR"
                else:
                    ttc = 1000 + int(rnd() * 49000)
                    original = ""
                    currency = "EUR"
                tax = ttc - (ttc * 10000 + 6000) // 12000  # 20 % VAT included
                ht = ttc - tax
                number = f"A{year_of[issue]}-{i + 1:07d}"
                if rnd() < 0.35:
                    buf.append(f"{number},C{cust:07d},{iso[issue]},{iso[issue]},,{currency},-{ht // 100}.{ht % 100:02d},"
                               f"-{tax // 100}.{tax % 100:02d},-{ttc // 100}.{ttc % 100:02d},invoice,{original}\n")
                else:
                    buf.append(f"{number},C{cust:07d},{iso[issue]},{iso[issue]},,{currency},{ht // 100}.{ht % 100:02d},"
                               f"{tax // 100}.{tax % 100:02d},{ttc // 100}.{ttc % 100:02d},credit_note,{original}\n")
                inv_cust.append(None); inv_amount.append(0); inv_usd.append(False); inv_issue.append(issue)
                inv_due.append(issue); inv_credit.append(0); inv_number.append(number)
                continue
            n_plain += 1
            number = f"F{year_of[issue]}-{i + 1:07d}"
            ht = amounts[int(rnd() * 65536)]
            rr = rnd()
            rate = 2000 if rr < 0.8 else (550 if rr < 0.95 else 1000)
            tax = (ht * rate + 5000) // 10000
            ttc = ht + tax
            due = issue - terms[int(rnd() * 4)]
            usd = rnd() < 0.005
            delivery = "" if rnd() < 0.1 else iso[issue + int(rnd() * 6)]
            buf.append(f"{number},C{cust:07d},{iso[issue]},{iso[due] if due >= 0 else after[-due]},{delivery},"
                       f"{'USD' if usd else 'EUR'},{ht // 100}.{ht % 100:02d},{tax // 100}.{tax % 100:02d},"
                       f"{ttc // 100}.{ttc % 100:02d},invoice,\n")
            last_invoice_of[cust] = i
            inv_cust.append(cust); inv_amount.append(ttc); inv_usd.append(usd); inv_issue.append(issue)
            inv_due.append(due); inv_credit.append(0); inv_number.append(number)
            if len(buf) >= 100000:
                f.write("".join(buf))
                buf.clear()
        f.write("".join(buf))

    # Payments ------------------------------------------------------------------------------------
    target = int(n_invoices * 0.8)
    pending: dict[int, list[int]] = {}
    stats = {"column": 0, "token": 0, "group": 0, "partial": 0, "over": 0, "on_account": 0, "no_customer": 0, "orphan": 0}
    seps = (", ", " ", "; ", "|")
    rows: list[str] = []
    with open(os.path.join(inbox, "payments.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("payment_id,customer_id,date,amount,currency,reference,invoice_number,payer_name,payer_iban\n")

        def party(cust: int, hide_id: bool) -> tuple[str, str, str, str]:
            """customer_id, payer name, IBAN, short name as bank texts write it."""
            if cust < n_customers:
                return ("" if hide_id else f"C{cust:07d}"), qnames[cust], ibans[cust], shorts[cust]
            cid = f"C{cust:07d}"
            return ("" if hide_id else cid), f'"{cid}"', "", cid

        for i in range(n_invoices):
            if len(rows) >= target:
                break
            cust = inv_cust[i]
            if cust is None or inv_issue[i] < 2:
                continue
            open_amount = inv_amount[i] - inv_credit[i]
            if open_amount <= 0:
                continue
            currency = "USD" if inv_usd[i] else "EUR"
            # Paid from 10 days early to 60 days late, never before the issue nor after as-of.
            when = min(max(0, inv_due[i] - int(rnd() * 70) + 10), inv_issue[i] - 1)
            r = rnd()
            if r < 0.66:
                hide = rnd() < 0.02
                stats["no_customer"] += hide
                cid, payer, iban, short = party(cust, hide)
                amt = open_amount
                if r < 0.36:
                    stats["column"] += 1
                    ref, col = f"VIR SEPA {short}", inv_number[i]
                else:
                    stats["token"] += 1
                    ref, col = f"VIR SEPA FACT {inv_number[i]} {short}", ""
            elif r < 0.72:
                stats["partial"] += 1
                cid, payer, iban, short = party(cust, False)
                amt = max(1, open_amount * (25 + int(rnd() * 40)) // 100)
                if rnd() < 0.5:
                    ref, col = f"ACOMPTE {short}", inv_number[i]
                else:
                    ref, col = f"VIR ACOMPTE FACT {inv_number[i]}", ""
            elif r < 0.73 and inv_credit[i] == 0:
                stats["over"] += 1
                cid, payer, iban, short = party(cust, False)
                amt = open_amount + 1 + int(rnd() * 5000)
                ref, col = f"VIR {short} REF:{inv_number[i]}", ""
            elif r < 0.86 and not inv_usd[i] and inv_credit[i] == 0:  # a credit-noted invoice in a group would make order matter
                group = pending.setdefault(cust, [])
                group.append(i)
                amt = 0
                if len(group) >= 2 + int(rnd() * 2):
                    stats["group"] += 1
                    cid, payer, iban, short = party(cust, False)
                    amt = sum(inv_amount[j] - inv_credit[j] for j in group)
                    refs = seps[int(rnd() * 4)].join(inv_number[j] for j in reversed(group))
                    ref, col = f"RGLT FACT {refs} ({short})", ""
                    when = min(when, *(inv_issue[j] - 1 for j in group))
                    del pending[cust]
            else:
                amt = 0
            if amt:
                rows.append(f"{cid},{iso[when]},{amt // 100}.{amt % 100:02d},{currency},\"{ref}\",{col},{payer},{iban}\n")
            if rnd() < 0.035:
                stats["on_account"] += 1
                cid, payer, iban, short = party(cust, False)
                amt = 5000 + int(rnd() * 295000)
                rows.append(f"{cid},{iso[max(0, inv_issue[i] - 1 - int(rnd() * 30))]},{amt // 100}.{amt % 100:02d},EUR,"
                            f"\"VIR SEPA ACOMPTE COMMANDE {1000 + int(rnd() * 9000)} {short}\",,{payer},{iban}\n")
            if rnd() < 0.003:
                stats["orphan"] += 1
                amt = 1000 + int(rnd() * 99000)
                rows.append(f",{iso[int(rnd() * 730)]},{amt // 100}.{amt % 100:02d},EUR,"
                            f"\"VIR SEPA DON {100 + int(rnd() * 900)}\",,\"ASSOCIATION DES AMIS\",\n")
        while len(rows) < target:  # top up with payments on account
            stats["on_account"] += 1
            cust = int(rnd() * n_customers)
            amt = 5000 + int(rnd() * 295000)
            rows.append(f"C{cust:07d},{iso[int(rnd() * 730)]},{amt // 100}.{amt % 100:02d},EUR,"
                        f"\"VIR SEPA {shorts[cust]}\",,{qnames[cust]},{ibans[cust]}\n")
        del rows[target:]
        for start in range(0, len(rows), 100000):
            f.write("".join(f"P{start + k + 1:08d},{row}" for k, row in enumerate(rows[start:start + 100000])))

    with open(os.path.join(out, "AS_OF"), "w", encoding="ascii") as f:
        f.write(as_of.isoformat() + "\n")
    return {"customers": n_customers, "invoices": n_plain, "credit_notes": n_credit, "payments": len(rows), **stats}


def main() -> None:
    ap = argparse.ArgumentParser(description="Seeded generator of benchmark inboxes (canonical English CSVs).")
    ap.add_argument("--invoices", type=int, default=1_000_000, help="invoice and credit-note rows")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 11, 20))
    ap.add_argument("--customers", type=int, default=None, help="customer count (default: one per 20 invoices)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    stats = generate(args.invoices, args.seed, args.as_of, args.out, args.customers)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    size = sum(os.path.getsize(os.path.join(args.out, "inbox", n)) for n in os.listdir(os.path.join(args.out, "inbox")))
    print(f"generated in {seconds:.1f}s wall, {cpu:.1f}s CPU, {size / 1e6:.1f} MB: " + ", ".join(f"{k} {v}" for k, v in stats.items()))


if __name__ == "__main__":
    main()
