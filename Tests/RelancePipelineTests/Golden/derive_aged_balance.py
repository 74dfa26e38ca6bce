#!/usr/bin/env python3
"""Independent derivation of Relance's aged balance ("balance âgée") from an inbox of CSV exports.

Written with the standard library only and without looking at the Swift code, so that the
golden files in fixtures/demo/expected/ are a second opinion, not a copy of Relance's output.

Inputs: every `*.csv` directly in --inbox, recognised by its header line:
  * canonical English exports (`,`, UTF-8, dot decimals, ISO dates):
    customers.csv, invoices.csv, payments.csv headers;
  * the French ERP export (`;`, Windows-1252, decimal comma, NBSP/space thousands
    separators, dd/mm/yyyy): Code client… / N° facture… / N° règlement… headers.

Rules (the aged-balance contract):
  * a document is a credit note when its type is avoir/credit_note (any case) or its amount is
    negative; its absolute amount is used. Everything else is an invoice.
  * payments are processed in order of (date, payment id); a payment names the invoice in its
    invoice_number column, else every token of its reference (split on ASCII whitespace, NBSP,
    U+202F and `,;:|()`) that is exactly an existing invoice number, in order of appearance.
    Each named invoice of the same currency receives at most its open amount; the rest is the
    customer's unapplied credit. A payment without customer id belongs to the customer of the
    first invoice it names; one naming no existing invoice and no customer is left out.
  * then credit notes, in order of (issue date, number): one naming an existing invoice of the
    same currency offsets it up to its open amount; the rest is unapplied credit.
  * open invoice amounts are bucketed by as-of minus due date: <=0 not_due, 1-30, 31-60,
    61-90, 91-120, >120. disputed and litigation are 0 (no disputes exist yet).
  * one row per (customer, currency) with a non-zero column, sorted bytewise by customer id
    then currency.

Usage:
  derive_aged_balance.py --inbox fixtures/demo/inbox --as-of 2026-11-20 --out DIR
  derive_aged_balance.py --inbox fixtures/demo/inbox --as-of 2026-11-20 --check DIR
--out writes DIR/aged-balance.csv (French Excel dialect) and DIR/aged-balance.rfc4180.csv;
--check recomputes both and compares them with the files in DIR (exit 1 and a diff on mismatch).
--order-check also recomputes with credit notes applied before payments and fails if any row
changes: the fixtures are built so that the order of the two phases does not matter.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import difflib
import io
import os
import re
import sys
from decimal import Decimal, InvalidOperation

COLUMNS = ["customer_id", "customer_name", "currency", "not_due", "d1_30", "d31_60", "d61_90", "d91_120",
           "d121_plus", "total", "disputed", "litigation", "unapplied_credit", "net_balance"]
BUCKETS = ["not_due", "d1_30", "d31_60", "d61_90", "d91_120", "d121_plus"]

# ISO 4217 minor units for the currencies that do not use 2.
CURRENCY_DECIMALS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "XOF": 0, "XAF": 0, "XPF": 0,
                     "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3, "LYD": 3, "IQD": 3}

TOKEN_SPLIT = re.compile("[ \t\r\n\f\v\u00a0\u202f,;:|()]+")

HEADERS = {
    "customers_en": "customer_id,name,siren,vat_number,email,phone,address,postal_code,city,country,language,kind",
    "documents_en": "invoice_number,customer_id,issue_date,due_date,delivery_date,currency,amount_excl_tax,tax,amount,type,original_invoice",
    "payments_en": "payment_id,customer_id,date,amount,currency,reference,invoice_number,payer_name,payer_iban",
    "customers_fr": "Code client;Raison sociale;SIREN;N° TVA intracom;E-mail;Téléphone;Adresse;Code postal;Ville;Pays;Langue;Type client",
    "documents_fr": "N° facture;Code client;Raison sociale;Date;Échéance;Date livraison;Devise;Montant HT;TVA;Montant TTC;Type;Facture d'origine",
    "payments_fr": "N° règlement;Code client;Date;Montant;Devise;Libellé;N° facture;Tireur;IBAN",
}


class InputError(Exception):
    pass


def decimals(currency: str) -> int:
    return CURRENCY_DECIMALS.get(currency, 2)


def parse_amount(text: str, currency: str, french: bool, where: str) -> int:
    """Exact minor units; refuses more decimals than the currency has."""
    s = text.strip()
    if french:
        s = s.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise InputError(f"{where}: not an amount: {text!r}") from None
    scaled = value.scaleb(decimals(currency))
    if scaled != scaled.to_integral_value():
        raise InputError(f"{where}: {text!r} has more decimals than {currency} allows")
    return int(scaled)


def parse_date(text: str, french: bool, where: str) -> dt.date:
    try:
        if french:
            return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{where}: not a date: {text!r}") from None


def read_rows(path: str):
    """(layout, rows as dicts) for a file recognised by its header; (None, None) otherwise."""
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    first = raw.split(b"\n", 1)[0].rstrip(b"\r")
    for layout, header in HEADERS.items():
        french = layout.endswith("_fr")
        encoding = "cp1252" if french else "utf-8"
        try:
            if first.decode(encoding) != header:
                continue
        except UnicodeDecodeError:
            continue
        text = raw.decode(encoding)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if french else ",", quotechar='"', strict=True)
        names = next(reader)
        rows = []
        for line, cells in enumerate(reader, start=2):
            if not cells:
                continue
            if len(cells) != len(names):
                raise InputError(f"{os.path.basename(path)}:{line}: {len(cells)} fields, expected {len(names)}")
            rows.append((line, dict(zip(names, cells))))
        return layout, rows
    return None, None


class Ledger:
    def __init__(self):
        self.names: dict[str, str] = {}          # customer id -> name from a customers file
        self.doc_names: dict[str, str] = {}      # customer id -> name from a document row
        self.invoices: dict[str, dict] = {}      # number -> {customer, currency, due, amount, open}
        self.credits: list[dict] = []
        self.payments: list[dict] = []

    def load(self, inbox: str) -> None:
        for name in sorted(os.listdir(inbox)):
            path = os.path.join(inbox, name)
            if not name.lower().endswith(".csv") or not os.path.isfile(path):
                continue
            layout, rows = read_rows(path)
            if layout is None:
                raise InputError(f"{name}: header not recognised")
            french = layout.endswith("_fr")
            kind = layout.rsplit("_", 1)[0]
            getattr(self, "_" + kind)(name, rows, french)

    def _customers(self, name, rows, french):
        for line, r in rows:
            cid = (r["Code client"] if french else r["customer_id"]).strip()
            self.names[cid] = (r["Raison sociale"] if french else r["name"]).strip()

    def _documents(self, name, rows, french):
        for line, r in rows:
            where = f"{name}:{line}"
            if french:
                number, cid, cur = r["N° facture"].strip(), r["Code client"].strip(), r["Devise"].strip()
                amount = parse_amount(r["Montant TTC"], cur, True, where)
                doc_type, original = r["Type"].strip().lower(), r["Facture d'origine"].strip()
                due = parse_date(r["Échéance"], True, where)
                issue = parse_date(r["Date"], True, where)
                if r["Raison sociale"].strip():
                    self.doc_names.setdefault(cid, r["Raison sociale"].strip())
            else:
                number, cid, cur = r["invoice_number"].strip(), r["customer_id"].strip(), r["currency"].strip()
                amount = parse_amount(r["amount"], cur, False, where)
                doc_type, original = r["type"].strip().lower(), r["original_invoice"].strip()
                due = parse_date(r["due_date"], False, where)
                issue = parse_date(r["issue_date"], False, where)
            if doc_type in ("avoir", "credit_note") or amount < 0:
                self.credits.append(dict(number=number, customer=cid, currency=cur, issue=issue,
                                         amount=abs(amount), original=original))
            else:
                if number in self.invoices:
                    raise InputError(f"{where}: invoice {number} appears twice")
                self.invoices[number] = dict(customer=cid, currency=cur, due=due, amount=amount, open=amount)

    def _payments(self, name, rows, french):
        for line, r in rows:
            where = f"{name}:{line}"
            if french:
                pid, cid, cur = r["N° règlement"].strip(), r["Code client"].strip(), r["Devise"].strip()
                date = parse_date(r["Date"], True, where)
                amount = parse_amount(r["Montant"], cur, True, where)
                reference, column = r["Libellé"], r["N° facture"].strip()
            else:
                pid, cid, cur = r["payment_id"].strip(), r["customer_id"].strip(), r["currency"].strip()
                date = parse_date(r["date"], False, where)
                amount = parse_amount(r["amount"], cur, False, where)
                reference, column = r["reference"], r["invoice_number"].strip()
            if amount <= 0:
                raise InputError(f"{where}: payment amount {amount} is not positive; the rules cover receipts only")
            self.payments.append(dict(id=pid, customer=cid, date=date, amount=amount, currency=cur,
                                      reference=reference, column=column))

    def named_invoices(self, payment: dict) -> list[str]:
        if payment["column"]:
            return [payment["column"]]
        out = []
        for token in TOKEN_SPLIT.split(payment["reference"]):
            if token in self.invoices and token not in out:
                out.append(token)
        return out

    def name_of(self, cid: str) -> str:
        return self.names.get(cid) or self.doc_names.get(cid) or cid

    def aged_balance(self, as_of: dt.date, credit_notes_first: bool = False) -> list[dict]:
        """The rows; `credit_notes_first` reverses the two phases to show the data is order-free."""
        for inv in self.invoices.values():
            inv["open"] = inv["amount"]
        unapplied: dict[tuple[str, str], int] = {}

        def credit(key, amount):
            if amount:
                unapplied[key] = unapplied.get(key, 0) + amount

        def apply_payments():
            for p in sorted(self.payments, key=lambda p: (p["date"], p["id"].encode("utf-8"))):
                left = p["amount"]
                named = self.named_invoices(p)
                customer = p["customer"]
                if not customer:
                    existing = [n for n in named if n in self.invoices]
                    if not existing:
                        continue  # neither customer nor invoice: not in the aged balance
                    customer = self.invoices[existing[0]]["customer"]
                for n in named:
                    inv = self.invoices.get(n)
                    if inv is None or inv["currency"] != p["currency"]:
                        continue
                    take = min(inv["open"], left)
                    inv["open"] -= take
                    left -= take
                credit((customer, p["currency"]), left)

        def apply_credit_notes():
            for c in sorted(self.credits, key=lambda c: (c["issue"], c["number"].encode("utf-8"))):
                left = c["amount"]
                inv = self.invoices.get(c["original"]) if c["original"] else None
                if inv is not None and inv["currency"] == c["currency"]:
                    take = min(inv["open"], left)
                    inv["open"] -= take
                    left -= take
                credit((c["customer"], c["currency"]), left)

        for phase in ((apply_credit_notes, apply_payments) if credit_notes_first else (apply_payments, apply_credit_notes)):
            phase()

        rows: dict[tuple[str, str], dict] = {}

        def row(key):
            if key not in rows:
                rows[key] = dict({b: 0 for b in BUCKETS}, unapplied_credit=0)
            return rows[key]

        for inv in self.invoices.values():
            if inv["open"] <= 0:
                continue
            days = (as_of - inv["due"]).days
            bucket = ("not_due" if days <= 0 else "d1_30" if days <= 30 else "d31_60" if days <= 60
                      else "d61_90" if days <= 90 else "d91_120" if days <= 120 else "d121_plus")
            row((inv["customer"], inv["currency"]))[bucket] += inv["open"]
        for key, amount in unapplied.items():
            row(key)["unapplied_credit"] += amount

        out = []
        for (cid, cur) in sorted(rows, key=lambda k: (k[0].encode("utf-8"), k[1].encode("utf-8"))):
            r = rows[(cid, cur)]
            total = sum(r[b] for b in BUCKETS)
            r.update(customer_id=cid, customer_name=self.name_of(cid), currency=cur, total=total, disputed=0,
                     litigation=0, net_balance=total - r["unapplied_credit"])
            if any(r[c] for c in COLUMNS[3:]):
                out.append(r)
        return out


def format_amount(minor: int, currency: str, point: str) -> str:
    places = decimals(currency)
    sign = "-" if minor < 0 else ""
    units, frac = divmod(abs(minor), 10 ** places)
    return f"{sign}{units}{point}{frac:0{places}d}" if places else f"{sign}{units}"


def text_cell(value: str, separator: str) -> str:
    if value[:1] in ("=", "+", "-", "@"):
        value = "'" + value
    if any(ch in value for ch in (separator, '"', "\r", "\n")):
        value = '"' + value.replace('"', '""') + '"'
    return value


def render(rows: list[dict], dialect: str) -> bytes:
    sep, point, bom = (";", ",", "\ufeff") if dialect == "excel-fr" else (",", ".", "")
    lines = [sep.join(text_cell(c, sep) for c in COLUMNS)]
    for r in rows:
        cells = [text_cell(r["customer_id"], sep), text_cell(r["customer_name"], sep), text_cell(r["currency"], sep)]
        cells += [format_amount(r[c], r["currency"], point) for c in COLUMNS[3:]]
        lines.append(sep.join(cells))
    return (bom + "".join(line + "\r\n" for line in lines)).encode("utf-8")


OUTPUTS = {"aged-balance.csv": "excel-fr", "aged-balance.rfc4180.csv": "rfc4180"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Derive the aged balance from an inbox of CSV exports.")
    ap.add_argument("--inbox", required=True)
    ap.add_argument("--as-of", required=True, type=dt.date.fromisoformat)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--out", help="write the expected files into this folder")
    mode.add_argument("--check", help="compare with the files in this folder")
    ap.add_argument("--order-check", action="store_true",
                    help="also fail unless applying credit notes before payments gives the same rows")
    args = ap.parse_args(argv)

    ledger = Ledger()
    try:
        ledger.load(args.inbox)
    except InputError as e:
        print(f"derive_aged_balance: {e}", file=sys.stderr)
        return 2
    rows = ledger.aged_balance(args.as_of)
    if args.order_check:
        if ledger.aged_balance(args.as_of, credit_notes_first=True) != rows:
            print("derive_aged_balance: the result depends on applying payments before credit notes: "
                  "some invoice is covered by payments and credit notes beyond its amount", file=sys.stderr)
            return 1
        print("order check: same rows with credit notes applied first")
    rendered = {name: render(rows, dialect) for name, dialect in OUTPUTS.items()}

    if args.out:
        os.makedirs(args.out, exist_ok=True)
        for name, data in rendered.items():
            with open(os.path.join(args.out, name), "wb") as f:
                f.write(data)
        print(f"{len(rows)} rows -> {args.out}")
        return 0

    failed = False
    for name, data in rendered.items():
        path = os.path.join(args.check, name)
        try:
            actual = open(path, "rb").read()
        except OSError as e:
            print(f"{path}: {e}", file=sys.stderr)
            failed = True
            continue
        if actual != data:
            failed = True
            diff = difflib.unified_diff(actual.decode("utf-8", "replace").splitlines(keepends=True),
                                        data.decode("utf-8", "replace").splitlines(keepends=True),
                                        fromfile=path, tofile=f"derived {name}")
            sys.stdout.writelines(line.replace("\r", "\\r") for line in diff)
            if actual.replace(b"\r\n", b"\n") == data.replace(b"\r\n", b"\n"):
                print(f"{path}: line endings differ (expected CRLF)")
            elif actual.lstrip(b"\xef\xbb\xbf") == data.lstrip(b"\xef\xbb\xbf"):
                print(f"{path}: byte-order mark differs")
    if failed:
        return 1
    print(f"{args.check}: both files match ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
