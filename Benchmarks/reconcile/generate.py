#!/usr/bin/env python3
"""Seeded generator of reconciliation data with ground truth.

Writes, into --out:
  customers.csv         customer_id,name                       (canonical customers layout)
  customer_ibans.csv    customer_id,iban                       (IBANs of the master data)
  payer_knowledge.csv   iban,customer_id                       (learned from earlier confirmed matches)
  invoices.csv          invoice_number,customer_id,issue_date,due_date,currency,amount,payment_reference
  payments.csv          payment_id,customer_id,date,amount,currency,reference,invoice_number,payer_name,payer_iban
                        (customer_id EMPTY: bank lines)
  truth.csv             payment_id,invoice_number,amount,matchable,case
                        one row per intended allocation (several for a payment of several invoices,
                        one row with an empty invoice_number when nothing should be allocated).

Configuration assumed by the labels (the bench uses the same): write-off tolerance 5,00 EUR,
combination search of at most 12 candidate items and subsets of 2..4, no reference patterns.

THE WRITTEN RULE (what a careful accountant can decide from the data alone). Payments are
considered by date, then id; "open" means the invoice's amount minus what earlier MATCHABLE
payments of this list took. A payment is matchable when one of these holds, tried in order:

 A. Exact: its invoice_number column, or a blank-separated token of its reference, is exactly
    an invoice number with an open amount (the store's exact rule).
 B. Structured: its reference holds a creditor reference RF.. whose ISO 11649 check digits are
    valid and which equals one invoice's payment_reference; the amount equals the open amount.
 C. Messy number: its reference spells, after case, blanks, dashes, slashes and document words
    (FAC, Facture n°, INV, F, N°…) are ignored, the full number of open invoices of ONE customer
    (year and sequence; leading zeros of the sequence may be dropped), and either
      - the amount equals the sum of their open amounts, or
      - the payer is identified (rule D) as that customer and no other open invoice of the
        customer has exactly the amount: a partial payment goes to the single named invoice,
        an overpayment pays the named invoices and leaves credit, or
      - the shortfall is within the tolerance (bank fees): paid as far as it goes, the
        difference is a write-off PROPOSAL.
    A number naming another customer's invoice than the identified payer's is a conflict:
    not matchable. A short form "FAC 123" counts only if the payer is identified and exactly
    one invoice of that customer has sequence 123 (in any year).
 D. Payer identification: the payer IBAN is in the master data or learned for exactly one
    customer; else the payer name, upper-cased without accents, punctuation and legal forms
    (SARL, SAS, SA, EURL, SASU, GmbH, LTD…), equals exactly one customer's name so normalised.
 E. Amount: no invoice is named, the payer is identified, and exactly one open invoice of that
    customer has exactly the amount; or no such invoice, at most 12 open invoices of the customer
    are below the amount, and exactly one subset of 2..4 of them sums to it.
Not matchable: returns (negative amounts), duplicates (the named invoice is already settled),
unknown payers without usable reference, a name shared by two customers, two equal open
amounts, two fitting combinations, an RF reference with wrong check digits and no other
evidence, a reference naming another customer's invoice.

Cases (the `case` column): exact, rf, rf_invalid, messy, short_form, multi, partial,
overpayment, bank_fee, iban_amount, name_amount, name_ambiguous, amount_ambiguous, combination,
wrong_reference, typo, duplicate, return, unknown.
"""
import argparse, csv, os, random

TOLERANCE = 500
WRONG_EXACT_WEIGHT = 0
YEARS = (2025, 2026)

FIRST = ["Boulangerie", "Garage", "Cabinet", "Atelier", "Transports", "Menuiserie", "Pharmacie", "Hôtel",
         "Électricité", "Plomberie", "Librairie", "Imprimerie", "Fromagerie", "Café", "Société", "Groupe",
         "Laboratoire", "Clinique", "Agence", "Bureau", "Entreprise", "Maison", "Ferme", "Domaine", "Studio",
         "Comptoir", "Brasserie", "Scierie", "Quincaillerie", "Carrosserie", "Optique", "Institut", "Ateliers",
         "Éditions", "Chocolaterie", "Distillerie", "Verrerie", "Tannerie", "Forge", "Papeterie"]
SURNAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
            "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
            "Morel", "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez",
            "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
            "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
            "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier",
            "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand",
            "Dufour", "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin",
            "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal",
            "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe", "Leclercq", "Lacroix", "Fabre", "Dupuis"]
PLACES = ["Lyon", "Nantes", "Lille", "Rennes", "Brest", "Nîmes", "Dijon", "Tours", "Metz", "Reims", "Caen", "Pau",
          "Albi", "Agen", "Vannes", "Annecy", "Chambéry", "Valence", "Béziers", "Sète", "Colmar", "Troyes", "Niort",
          "Poitiers", "Limoges", "Angers", "Laval", "Évreux", "Rouen", "Amiens", "Arras", "Calais", "Dunkerque",
          "Nancy", "Épinal", "Belfort", "Besançon", "Mâcon", "Vichy", "Aurillac", "Rodez", "Cahors", "Tarbes",
          "Bayonne", "Biarritz", "Dax", "Périgueux", "Bergerac", "Cognac", "Saintes", "Royan", "Vienne", "Gap",
          "Digne", "Grasse", "Antibes", "Fréjus", "Hyères", "Toulon", "Ajaccio"]
FORMS = ["SARL", "SAS", "SA", "EURL", "SASU", "", "", "GmbH", "LTD"]
FOLD = str.maketrans("ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿ",
                     "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyy")
LEGAL = {"SARL", "SAS", "SA", "EURL", "SASU", "GMBH", "LTD", "SCI", "SNC", "SCOP", "SELARL", "SCA", "SCS", "SE",
         "AG", "BV", "NV", "LLC", "INC", "PLC", "SRL", "SPA", "SL"}


def normalise(name):
    s = name.upper().translate(FOLD).replace("Œ", "OE").replace("Æ", "AE")
    s = s.replace(".", "").replace("'", "").replace("’", "")
    s = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in s)
    return " ".join(w for w in s.split() if w not in LEGAL)


def rf_make(body):
    def num(s):
        return "".join(str(int(c, 36)) for c in s)
    check = 98 - int(num(body + "RF00")) % 97
    return "RF%02d%s" % (check, body)


def rf_group(ref):
    return " ".join(ref[i:i + 4] for i in range(0, len(ref), 4))


def day(ordinal_2025):
    import datetime
    d = datetime.date(2025, 1, 1) + datetime.timedelta(days=ordinal_2025)
    return d.isoformat()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--invoices", type=int, default=100_000)
    ap.add_argument("--payments", type=int, default=None, help="default: 80 %% of invoices")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--wrong-exact-weight", type=int, default=0,
                    help="weight of payments quoting ANOTHER customer's invoice number exactly (the store's exact rule allocates them)")
    a = ap.parse_args()
    global WRONG_EXACT_WEIGHT
    WRONG_EXACT_WEIGHT = a.wrong_exact_weight
    rng = random.Random(a.seed)
    n_inv = a.invoices
    n_pay = a.payments if a.payments is not None else n_inv * 8 // 10
    n_cust = max(10, n_inv // 5)
    os.makedirs(a.out, exist_ok=True)

    # Customers: unique normalised names, except deliberate twins (same name, other legal form).
    customers = []  # (id, name)
    names_seen = set()
    twins = {}
    while len(customers) < n_cust:
        base = "%s %s %s" % (rng.choice(FIRST), rng.choice(SURNAMES), rng.choice(PLACES))
        if rng.random() < 0.3:
            base = "%s %s" % (base, rng.choice(SURNAMES))
        if normalise(base) in names_seen:
            continue
        names_seen.add(normalise(base))
        cid = "C%07d" % (len(customers) + 1)
        customers.append((cid, (base + " " + rng.choice(FORMS)).strip()))
        if rng.random() < 0.01 and len(customers) < n_cust:
            tid = "C%07d" % (len(customers) + 1)
            customers.append((tid, (base + " " + rng.choice(["SAS", "SARL", "SA"])).strip()))
            twins[cid] = tid
            twins[tid] = cid
    name_of = dict(customers)
    norm_count = {}
    for cid, nm in customers:
        norm_count[normalise(nm)] = norm_count.get(normalise(nm), 0) + 1

    def iban():
        return "FR76" + "".join(rng.choice("0123456789") for _ in range(23))
    master_iban, learned_iban = {}, {}
    iban_owner = {}
    for cid, _ in customers:
        r = rng.random()
        if r < 0.45:
            master_iban[cid] = iban(); iban_owner[master_iban[cid]] = cid
        elif r < 0.75:
            learned_iban[cid] = iban(); iban_owner[learned_iban[cid]] = cid
    known_iban = {**master_iban, **learned_iban}

    # Invoices: numbers YEAR-SEQ (sequence restarting each year), amounts unique per customer
    # except deliberate equal-amount twins.
    cust_ids = [c for c, _ in customers]
    invoices = []  # dict
    seq = {y: 0 for y in YEARS}
    by_customer = {}
    for i in range(n_inv):
        y = YEARS[0] if i < n_inv * 2 // 5 else YEARS[1]
        seq[y] += 1
        number = "%d-%06d" % (y, seq[y])
        cid = cust_ids[min(int(rng.paretovariate(1.2)) - 1, 5) * 0 + rng.randrange(len(cust_ids))] if rng.random() < 0.97 else cust_ids[rng.randrange(min(50, len(cust_ids)))]
        issue = (0 if y == 2025 else 365) + rng.randrange(0, 330)
        amount = rng.randrange(5_000, 2_000_000)
        inv = dict(number=number, customer=cid, issue=issue, due=issue + 30, amount=amount, ref="", year=y, seq=seq[y])
        if rng.random() < 0.2:
            inv["ref"] = rf_make("%012d" % rng.randrange(10 ** 12))
        invoices.append(inv)
        by_customer.setdefault(cid, []).append(inv)
    # Equal-amount twins for the ambiguity case.
    twin_amount_customers = set()
    for cid, invs in by_customer.items():
        if len(invs) >= 2 and rng.random() < 0.03:
            invs[1]["amount"] = invs[0]["amount"]
            twin_amount_customers.add(cid)
    number_set = {inv["number"] for inv in invoices}
    by_number = {inv["number"]: inv for inv in invoices}

    # Payments: intents first.
    untargeted = list(range(len(invoices)))
    rng.shuffle(untargeted)
    pos = [0]

    targeted = set()

    def take(pred=lambda inv: True, tries=50):
        for _ in range(tries):
            if pos[0] >= len(untargeted):
                return None
            k = rng.randrange(pos[0], len(untargeted))
            untargeted[pos[0]], untargeted[k] = untargeted[k], untargeted[pos[0]]
            inv = invoices[untargeted[pos[0]]]
            if inv["number"] in targeted:
                pos[0] += 1
                continue
            if pred(inv):
                pos[0] += 1
                targeted.add(inv["number"])
                return inv
        return None

    def free_others(inv, n):
        others = [o for o in by_customer[inv["customer"]] if o is not inv and o["number"] not in targeted]
        rng.shuffle(others)
        chosen = others[:n]
        for o in chosen:
            targeted.add(o["number"])
        return chosen

    def payer_fields(cid, identified):
        """Payer name and IBAN for customer cid; identified: 'iban', 'name', 'none', 'any'."""
        if identified == "iban" and cid in known_iban:
            return (name_variant(name_of[cid]) if rng.random() < 0.7 else "", known_iban[cid])
        if identified == "name":
            return (name_variant(name_of[cid]), iban())
        if identified == "none":
            return ("", iban())
        # any: like a real bank line
        nm = name_variant(name_of[cid]) if rng.random() < 0.85 else ""
        ib = known_iban.get(cid, iban()) if rng.random() < 0.9 else ""
        return (nm, ib)

    def name_variant(nm):
        r = rng.random()
        if r < 0.3:
            return nm.upper()
        if r < 0.5:
            return nm.translate(FOLD).upper()
        if r < 0.6:
            words = nm.split()
            if words[-1].upper() in LEGAL:
                return " ".join(words[:-1]) + " " + ".".join(words[-1].upper()) + "."
        if r < 0.7:
            return nm.replace(" ", "  ").lower()
        return nm

    def messy(number, short=False, exact_token=True):
        y, s = number.split("-")
        if short:
            return rng.choice(["FAC %d" % int(s), "Facture n°%d" % int(s), "INV-%s" % s, "F%d" % int(s), "N° %d" % int(s)])
        forms = ["FAC %s-%s" % (y, s), "fac%s%s" % (y, s), "Facture n° %s/%s" % (y, s), "INV-%s-%s" % (y, s),
                 "%s %s" % (y, s), "F%s-%d" % (y, int(s)), "N°%s%s" % (y, s), "REF:%s.%s" % (y, s), "fact %s - %s" % (y, s),
                 "Inv %s/%d" % (y, int(s))]
        if not exact_token:
            forms = [f for f in forms if number not in f.split()]
        return rng.choice(forms)

    def noise(core):
        pre = rng.choice(["VIR SEPA RECU", "VIREMENT", "PRLV", "VIR INST", "Règlement", "PAIEMENT", ""])
        post = rng.choice(["", "MERCI", "DATE %02d/%02d/2026" % (rng.randint(1, 28), rng.randint(1, 12)), "/ECHEANCE", "cordialement"])
        return " ".join(x for x in (pre, core, post) if x)

    def short_ok(inv, cid):
        return sum(1 for o in by_customer[cid] if o["seq"] == inv["seq"]) == 1

    weights = [("exact", 24), ("rf", 5), ("rf_invalid", 1), ("messy", 18), ("short_form", 3), ("multi", 5), ("partial", 4),
               ("overpayment", 2), ("bank_fee", 2), ("iban_amount", 9), ("name_amount", 4), ("name_ambiguous", 1),
               ("amount_ambiguous", 2), ("combination", 3), ("wrong_reference", 2), ("wrong_reference_exact", WRONG_EXACT_WEIGHT), ("typo", 3), ("duplicate", 2),
               ("return", 1), ("unknown", 3)]
    cases = [c for c, w in weights for _ in range(w)]
    payments = []  # dict(id, date, amount, reference, invoice_number, payer_name, payer_iban, case, targets=[(inv, amount)], claim)
    paid_for_dup = []
    for k in range(n_pay):
        pid = "P%08d" % (k + 1)
        case = rng.choice(cases)
        date = 365 + rng.randrange(0, 330)
        p = dict(id=pid, date=date, reference="", invoice_number="", payer_name="", payer_iban="", case=case, targets=[], named=[], kind=None)
        inv = None
        if case == "exact":
            inv = take()
            if inv:
                if rng.random() < 0.4:
                    p["invoice_number"] = inv["number"]
                else:
                    p["reference"] = noise(inv["number"])
                p["payer_name"], p["payer_iban"] = payer_fields(inv["customer"], "any")
                p["amount"] = inv["amount"]; p["named"] = [inv]; p["kind"] = "exact"
                paid_for_dup.append((inv, p))
        elif case in ("rf", "rf_invalid"):
            inv = take(lambda i: i["ref"] != "")
            if inv:
                ref = inv["ref"]
                if case == "rf_invalid":
                    d = ref[2:4]
                    ref = "RF%02d%s" % ((int(d) + rng.randint(1, 50)) % 100, ref[4:])
                p["reference"] = noise(rf_group(ref) if rng.random() < 0.5 else ref)
                p["payer_name"], p["payer_iban"] = payer_fields(inv["customer"], "none" if case == "rf_invalid" else "any")
                p["amount"] = inv["amount"]; p["named"] = [inv] if case == "rf" else []; p["kind"] = "rf" if case == "rf" else "none"
        elif case in ("messy", "partial", "overpayment", "bank_fee", "short_form"):
            inv = take()
            if inv:
                short = case == "short_form"
                p["reference"] = noise(messy(inv["number"], short))
                p["payer_name"], p["payer_iban"] = payer_fields(inv["customer"], "any")
                amt = inv["amount"]
                if case == "partial":
                    amt = amt * rng.randint(20, 80) // 100
                elif case == "overpayment":
                    amt = amt + rng.randint(1_000, 50_000)
                elif case == "bank_fee":
                    amt = amt - rng.randint(1, TOLERANCE)
                p["amount"] = amt; p["named"] = [inv]; p["kind"] = "short" if short else "messy"
        elif case == "multi":
            first = take()
            if first:
                group = [first] + free_others(first, rng.randint(1, 2))
                inv = first
                sep = rng.choice([" ", " / ", ", ", " + ", " et "])
                exact = rng.random() < 0.3
                p["reference"] = noise(sep.join(g["number"] if exact else messy(g["number"]) for g in group))
                p["payer_name"], p["payer_iban"] = payer_fields(first["customer"], "any")
                p["amount"] = sum(g["amount"] for g in group); p["named"] = group; p["kind"] = "exact" if exact else "messy"
        elif case in ("iban_amount", "amount_ambiguous", "combination", "typo"):
            if case == "amount_ambiguous":
                pred = lambda i: i["customer"] in twin_amount_customers and i["customer"] in known_iban and i is by_customer[i["customer"]][0]
            else:
                pred = lambda i: i["customer"] in known_iban
            inv = take(pred, tries=200)
            if inv:
                cid = inv["customer"]
                p["payer_name"], p["payer_iban"] = payer_fields(cid, "iban")
                p["amount"] = inv["amount"]
                p["reference"] = noise(rng.choice(["", "", "Règlement factures", "ACOMPTE"]))
                p["kind"] = "amount"
                if case == "combination":
                    p["combo"] = [inv] + free_others(inv, rng.randint(1, 2))
                    if len(p["combo"]) < 2:
                        p["combo"] = None
                    else:
                        p["amount"] = sum(o["amount"] for o in p["combo"])
                if case == "typo":
                    y, s = inv["number"].split("-")
                    for _ in range(20):
                        digits = list(s)
                        j = rng.randrange(len(digits))
                        digits[j] = rng.choice([d for d in "0123456789" if d != digits[j]])
                        t = "%s-%s" % (y, "".join(digits))
                        if t not in number_set:
                            p["reference"] = noise(rng.choice([t, "FAC " + t]))
                            break
                    else:
                        inv = None
        elif case in ("name_amount", "name_ambiguous"):
            if case == "name_ambiguous":
                inv = take(lambda i: i["customer"] in twins, tries=300)
            else:
                inv = take(lambda i: i["customer"] not in twins)
            if inv:
                p["payer_name"], p["payer_iban"] = payer_fields(inv["customer"], "name")
                p["amount"] = inv["amount"]; p["kind"] = "amount"
                p["reference"] = noise("")
        elif case in ("wrong_reference", "wrong_reference_exact"):
            inv = take(lambda i: i["customer"] in known_iban)
            other = take(lambda i, c=inv: c is not None and i["customer"] != c["customer"]) if inv else None
            if inv and other:
                targeted.discard(other["number"])  # the other invoice stays available
                p["reference"] = noise(other["number"] if case == "wrong_reference_exact" else messy(other["number"], exact_token=False))
                p["payer_name"], p["payer_iban"] = payer_fields(inv["customer"], "iban")
                p["amount"] = inv["amount"]; p["kind"] = "wrong"; p["named"] = [other]
            else:
                inv = None
        elif case == "duplicate":
            if paid_for_dup:
                orig_inv, orig = paid_for_dup.pop(rng.randrange(len(paid_for_dup)))
                inv = orig_inv
                p.update(reference=orig["reference"], invoice_number=orig["invoice_number"], payer_name=orig["payer_name"],
                         payer_iban=orig["payer_iban"], amount=orig["amount"], date=max(orig["date"] + rng.randint(1, 20), date),
                         kind="duplicate", dup_of=orig["id"])
        elif case == "return":
            inv = take()
            if inv:
                p["reference"] = "RETOUR IMPAYE " + inv["number"]
                p["amount"] = -inv["amount"]; p["kind"] = "return"
                p["payer_name"], p["payer_iban"] = payer_fields(inv["customer"], "any")
        if inv is None or p.get("combo", 1) is None:
            case = p["case"] = "unknown"
            p.update(reference=noise(rng.choice(["", "DIVERS", "REGLEMENT"])), invoice_number="", payer_name="Particulier %d" % k,
                     payer_iban=iban(), amount=rng.randrange(1_000, 500_000), kind="none", named=[], combo=None)
            inv = None
        p["intent"] = inv
        payments.append(p)

    # Labels: by date then id, "open" reduced by matchable payments only.
    open_amt = {inv["number"]: inv["amount"] for inv in invoices}
    payments.sort(key=lambda p: (p["date"], p["id"]))

    def identify(p):
        ib = p["payer_iban"]
        if ib and ib in iban_owner:
            return iban_owner[ib]
        nm = normalise(p["payer_name"]) if p["payer_name"] else ""
        if nm and norm_count.get(nm, 0) == 1:
            for cid, full in customers_by_norm.get(nm, []):
                return cid
        return None
    customers_by_norm = {}
    for cid, nm in customers:
        customers_by_norm.setdefault(normalise(nm), []).append((cid, nm))

    def open_of(cid):
        return [o for o in by_customer.get(cid, []) if open_amt[o["number"]] > 0]

    truth = []
    for p in payments:
        kind, amount, cid_payer = p["kind"], p["amount"], identify(p)
        rows, matchable = [], 0
        if kind == "return" or kind == "none":
            rows = [("", 0)]
        elif kind == "duplicate":
            rows = [("", 0)]
        elif kind in ("exact", "rf", "messy", "short", "wrong"):
            named = p["named"]
            opens = [open_amt[n["number"]] for n in named]
            cust = {n["customer"] for n in named}
            ok = len(cust) == 1 and all(o > 0 for o in opens)
            c = named[0]["customer"]
            if kind == "wrong":
                ok = False
            if kind == "short":
                ok = ok and cid_payer == c and short_ok(named[0], c)
            if ok and kind != "exact" and cid_payer is not None and cid_payer != c:
                ok = False
            s = sum(opens)
            if ok and kind == "exact":
                # The store's rule: pays in order up to the open amounts, the rest is credit.
                left = amount
                for n, o in zip(named, opens):
                    t = min(o, max(left, 0)); left -= t
                    if t > 0:
                        rows.append((n["number"], t))
                matchable = 1
            elif ok:
                short_by = s - amount
                within = 0 < short_by <= TOLERANCE
                if amount == s or within:
                    pass
                elif cid_payer != c:
                    ok = False
                elif any(open_amt[o["number"]] == amount for o in open_of(c) if o not in named):
                    ok = False
                elif amount < s and len(named) > 1:
                    ok = False
                if ok:
                    left = amount
                    for n, o in zip(named, opens):
                        t = min(o, max(left, 0)); left -= t
                        if t > 0:
                            rows.append((n["number"], t))
                    matchable = 1
            if not ok:
                rows = [(p["intent"]["number"], min(amount, open_amt[p["intent"]["number"]]))] if p["intent"] and amount > 0 else [("", 0)]
        elif kind == "amount":
            combo = p.get("combo")
            c = cid_payer
            intended = combo or [p["intent"]]
            ok = c is not None and c == intended[0]["customer"]
            if ok:
                opens = open_of(c)
                exact = [o for o in opens if open_amt[o["number"]] == amount]
                if len(exact) == 1:
                    ok = exact[0] in intended and len(intended) == 1
                    intended = exact
                elif len(exact) > 1:
                    ok = False
                else:
                    below = [o for o in opens if open_amt[o["number"]] < amount]
                    below.sort(key=lambda o: (o["due"], o["issue"], o["number"]))
                    if len(below) > 12 or len(below) < 2:
                        ok = False
                    else:
                        fits = []
                        import itertools
                        for size in range(2, 5):
                            for sub in itertools.combinations(below, size):
                                if sum(open_amt[o["number"]] for o in sub) == amount:
                                    fits.append(sub)
                        ok = len(fits) == 1 and set(o["number"] for o in fits[0]) == set(o["number"] for o in intended)
            if ok:
                rows = [(o["number"], open_amt[o["number"]]) for o in intended]
                matchable = 1
            else:
                rows = [(o["number"], open_amt[o["number"]]) for o in intended if open_amt[o["number"]] > 0] or [("", 0)]
        if matchable:
            for number, t in rows:
                open_amt[number] -= t
        for number, t in rows:
            truth.append((p["id"], number, t, matchable, p["case"]))

    with open(os.path.join(a.out, "customers.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f); w.writerow(["customer_id", "name"])
        for cid, nm in customers:
            w.writerow([cid, nm])
    with open(os.path.join(a.out, "customer_ibans.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f); w.writerow(["customer_id", "iban"])
        for cid, ib in master_iban.items():
            w.writerow([cid, ib[:4] + " " + ib[4:8] + " " + ib[8:]])
    with open(os.path.join(a.out, "payer_knowledge.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f); w.writerow(["iban", "customer_id"])
        for cid, ib in learned_iban.items():
            w.writerow([ib, cid])
    with open(os.path.join(a.out, "invoices.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f); w.writerow(["invoice_number", "customer_id", "issue_date", "due_date", "currency", "amount", "payment_reference"])
        for inv in invoices:
            w.writerow([inv["number"], inv["customer"], day(inv["issue"]), day(inv["due"]), "EUR", "%d.%02d" % divmod(inv["amount"], 100), inv["ref"]])
    with open(os.path.join(a.out, "payments.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f); w.writerow(["payment_id", "customer_id", "date", "amount", "currency", "reference", "invoice_number", "payer_name", "payer_iban"])
        for p in sorted(payments, key=lambda p: p["id"]):
            amt = p["amount"]
            sign = "-" if amt < 0 else ""
            w.writerow([p["id"], "", day(p["date"]), sign + "%d.%02d" % divmod(abs(amt), 100), "EUR", p["reference"], p["invoice_number"], p["payer_name"], p["payer_iban"]])
    with open(os.path.join(a.out, "truth.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f); w.writerow(["payment_id", "invoice_number", "amount", "matchable", "case"])
        for row in sorted(truth):
            w.writerow(row)
    print("wrote %d customers, %d invoices, %d payments, %d truth rows to %s" % (len(customers), len(invoices), len(payments), len(truth), a.out))


if __name__ == "__main__":
    main()
