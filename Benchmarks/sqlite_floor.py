#!/usr/bin/env python3
"""The floor under Relance's ingest: SQLite writing the same rows with nothing else to do.

`make bench` runs this beside Relance and DuckDB. It creates a fresh store with the same three
tables Relance bulk-loads (documents, payments, allocations: Relance's column lists, and text
columns as wide as the generated data's on average), the same settings (WAL,
`synchronous=FULL`, 4 KiB pages, 128 MiB cache, sorter threads, memory-mapped reads) and the same shape of
work: one transaction per input file (documents, then payments, then the allocation pass),
secondary indexes built after each append, a durable commit after each. The rows come from
`generate_series` inside SQLite: no file is read, no CSV parsed, nothing bound from a host
language, no query answered. What this takes is what the SQLite library needs to write that
data on this machine: the part of Relance's ingest that no change in Relance's own code can
remove while the store is SQLite. It is run by the `sqlite3` shell (Debian's, on the same
libsqlite3 as Relance).

Usage: sqlite_floor.py --documents N --payments N --allocations N --db FILE
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

SCHEMA = """
PRAGMA page_size = 4096;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA cache_size = -131072;
PRAGMA temp_store = MEMORY;
PRAGMA threads = {threads};
PRAGMA mmap_size = 1073741824;
CREATE TABLE documents (id INTEGER PRIMARY KEY, number TEXT NOT NULL, customer_id TEXT NOT NULL, kind TEXT NOT NULL,
    issue_date INTEGER NOT NULL, due_date INTEGER, due_date_derived INTEGER NOT NULL DEFAULT 0, delivery_date INTEGER,
    currency TEXT NOT NULL, amount_excl_tax INTEGER, tax INTEGER, amount INTEGER NOT NULL, original_invoice TEXT,
    payment_reference TEXT, collection_status INTEGER NOT NULL DEFAULT 0, source_file_id INTEGER, source_location TEXT);
CREATE TABLE payments (id INTEGER PRIMARY KEY, payment_ref TEXT NOT NULL, customer_id TEXT, date INTEGER NOT NULL,
    value_date INTEGER, amount INTEGER NOT NULL, currency TEXT NOT NULL, reference TEXT, invoice_number TEXT,
    payer_name TEXT, payer_iban TEXT, structured_reference TEXT, end_to_end_id TEXT, reverses TEXT,
    source_file_id INTEGER, source_location TEXT);
CREATE TABLE allocations (id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL, payment_id INTEGER, credit_note_id INTEGER,
    amount INTEGER NOT NULL CHECK (amount > 0), currency TEXT NOT NULL, rule TEXT NOT NULL, evidence TEXT NOT NULL,
    confirmed_by TEXT, created_at TEXT NOT NULL, source_file_id INTEGER,
    CHECK (payment_id IS NULL OR credit_note_id IS NULL));
"""

# Text widths as in Benchmarks/generate.py's data (averages read from a loaded store): invoice
# numbers 13 bytes, customer ids 8, payment ids 9, references about 38, payer names about 20,
# IBANs 27, evidence about 43.
LOAD = """
BEGIN;
INSERT INTO documents (number, customer_id, kind, issue_date, due_date, delivery_date, currency, amount_excl_tax, tax,
                       amount, source_file_id, source_location)
SELECT printf('F2026-%07d', value), printf('C%07d', (value * 7919) % 50000), 'invoice', 20500 + value % 300,
       20530 + value % 300, 20499 + value % 300, 'EUR', value * 7, value, value * 8, 2, 'line ' || value
FROM generate_series(1, {documents});
CREATE UNIQUE INDEX documents_number ON documents(number);
CREATE INDEX documents_credit_notes ON documents(original_invoice) WHERE kind = 'credit_note' AND original_invoice IS NOT NULL;
COMMIT;
BEGIN;
INSERT INTO payments (payment_ref, customer_id, date, amount, currency, reference, invoice_number, payer_name, payer_iban,
                      source_file_id, source_location)
SELECT printf('P%08d', value), printf('C%07d', (value * 7919) % 50000), 20520 + value % 300, value * 8, 'EUR',
       'VIR SEPA CREPERIE LEFEBVRE SA ' || value, printf('F2026-%07d', value), 'Creperie Lefebvre SA',
       'FR2521581623764025499179726', 3, 'line ' || value
FROM generate_series(1, {payments});
CREATE UNIQUE INDEX payments_ref ON payments(payment_ref);
COMMIT;
BEGIN;
INSERT INTO allocations (invoice_id, payment_id, amount, currency, rule, evidence, created_at)
SELECT (value * 48271) % {documents} + 1, value % {payments} + 1, value, 'EUR', 'exact_invoice_number',
       'payment invoice_number field: ' || printf('F2026-%07d', value), '2026-11-24T00:53:33+01:00'
FROM generate_series(1, {allocations});
CREATE INDEX allocations_invoice ON allocations(invoice_id, amount);
CREATE INDEX allocations_payment ON allocations(payment_id, amount) WHERE payment_id IS NOT NULL;
CREATE INDEX allocations_credit_note ON allocations(credit_note_id, amount) WHERE credit_note_id IS NOT NULL;
COMMIT;
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, required=True)
    ap.add_argument("--payments", type=int, required=True)
    ap.add_argument("--allocations", type=int, required=True)
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    if min(args.documents, args.payments) < 1 or args.allocations < 0:
        print("sqlite_floor.py: counts must be positive", file=sys.stderr)
        return 64
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)
    script = (SCHEMA.format(threads=min(max(os.cpu_count() or 1, 1), 4))
              + LOAD.format(documents=args.documents, payments=args.payments, allocations=args.allocations))
    done = subprocess.run(["sqlite3", "-bail", args.db], input=script.encode(), stdout=subprocess.DEVNULL)
    if done.returncode != 0:
        return done.returncode
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(args.db + suffix):
            os.remove(args.db + suffix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
