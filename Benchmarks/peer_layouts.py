"""The inbox layouts both benchmark peers read, and the aged balance's columns.

`duckdb_aged_balance.py` and `pandas_aged_balance.py` are two independent implementations of
the aged-balance job; what they must agree on without reimplementing it is here: the header of
each accepted export (canonical English, and the French ERP layout in Windows-1252), the
canonical names given to its columns, and the output's columns.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os

HEADERS = {
    "customers_en": "customer_id,name,siren,vat_number,email,phone,address,postal_code,city,country,language,kind",
    "documents_en": "invoice_number,customer_id,issue_date,due_date,delivery_date,currency,amount_excl_tax,tax,amount,type,original_invoice",
    "payments_en": "payment_id,customer_id,date,amount,currency,reference,invoice_number,payer_name,payer_iban",
    "customers_fr": "Code client;Raison sociale;SIREN;N° TVA intracom;E-mail;Téléphone;Adresse;Code postal;Ville;Pays;Langue;Type client",
    "documents_fr": "N° facture;Code client;Raison sociale;Date;Échéance;Date livraison;Devise;Montant HT;TVA;Montant TTC;Type;Facture d'origine",
    "payments_fr": "N° règlement;Code client;Date;Montant;Devise;Libellé;N° facture;Tireur;IBAN",
}
# Canonical column names given to each layout's columns, in file order.
NAMES = {
    "customers": ["customer_id", "name", "siren", "vat_number", "email", "phone", "address", "postal_code", "city",
                  "country", "language", "kind"],
    "documents_en": ["invoice_number", "customer_id", "issue_date", "due_date", "delivery_date", "currency",
                     "amount_excl_tax", "tax", "amount", "type", "original_invoice"],
    "documents_fr": ["invoice_number", "customer_id", "customer_name", "issue_date", "due_date", "delivery_date",
                     "currency", "amount_excl_tax", "tax", "amount", "type", "original_invoice"],
    "payments": ["payment_id", "customer_id", "date", "amount", "currency", "reference", "invoice_number",
                 "payer_name", "payer_iban"],
}

COLUMNS = ["customer_id", "customer_name", "currency", "not_due", "d1_30", "d31_60", "d61_90", "d91_120", "d121_plus",
           "total", "disputed", "litigation", "unapplied_credit", "net_balance"]


def detect(path: str) -> str | None:
    with open(path, "rb") as f:
        first = f.readline()
    first = first.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
    for layout, header in HEADERS.items():
        try:
            if first.decode("cp1252" if layout.endswith("_fr") else "utf-8") == header:
                return layout
        except UnicodeDecodeError:
            pass
    return None


def write_result(out: str, data: bytes, count: int) -> None:
    """Writes a peer's aged balance to `out` (its folder created) and says how many rows."""
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "wb") as f:
        f.write(data)
    print(f"{count} rows -> {out}")


def peer_arguments(description: str) -> argparse.ArgumentParser:
    """The command line both peers take (the benchmark calls them alike); a peer may add more."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--inbox", required=True)
    ap.add_argument("--as-of", required=True, type=dt.date.fromisoformat)
    ap.add_argument("--out", required=True, help="output file")
    ap.add_argument("--dialect", choices=["excel-fr", "rfc4180"], default="excel-fr")
    ap.add_argument("--verbose", action="store_true", help="print stage timings on stderr")
    return ap
