#!/usr/bin/env python3
"""The aged balance ("balance âgée") computed by DuckDB: Relance's peer in `make bench`.

Same job as `relance-ingest` + `relance-report`: read the CSV exports of an inbox, apply the
exact-reference allocation rules, bucket the open invoices and write the aged balance in
the French Excel dialect (or rfc4180). Everything from CSV parsing to the formatted output
lines is SQL run by DuckDB; Python only recognises each file's layout by its header, loops
the allocation to its fixed point, and writes the bytes.

Allocation in SQL. Sources of credit are processed in a global order: payments by (date,
payment id), then credit notes by (issue date, number). A "claim" is one (source, invoice)
pair, ranked by (source order, position of the invoice in the source). Sequentially, a claim
receives min(what its source still has, what the invoice still owes). Two facts make that
set-based:
  * for one invoice, if each claim *requests* r (what its source still has on reaching it),
    the amount given to the first n claims is min(invoice amount, r1 + … + rn): the share of
    claim n is min(A, R_prev + r) − min(A, R_prev), a window sum;
  * a request depends only on the allocations of the same source's earlier positions, so
    each quantity depends only on strictly earlier claims. Iterating "requests from the last
    allocations, allocations from the requests" therefore reaches the unique sequential
    result after at most (longest dependency chain) rounds; we stop when nothing changes.
A claim alone on its source and on its invoice (nearly all) needs no round at all.

The French ERP export is Windows-1252. DuckDB's CSV reader knows cp1252 only through its
`encodings` extension; when that extension cannot be loaded (no network to install it), the
French files are transcoded to UTF-8 bytes beforehand with Python's codec and DuckDB reads
the copies. Nothing else is done outside DuckDB.

Usage: duckdb_aged_balance.py --inbox DIR --as-of YYYY-MM-DD --out FILE [--dialect excel-fr|rfc4180]
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time

import duckdb

from peer_layouts import COLUMNS, NAMES, detect, peer_arguments, write_result


# Blanks (ASCII whitespace, NBSP, narrow NBSP) and ,;:|() separate the tokens of a reference.
TOKEN_PATTERN = "[ \\t\\r\\n\\f\\v\\x{00A0}\\x{202F},;:|()]+"

MACROS = r"""
CREATE OR REPLACE MACRO minor_units(cur) AS
  CASE WHEN cur IN ('JPY','KRW','ISK','CLP','VND','XOF','XAF','XPF') THEN 0
       WHEN cur IN ('BHD','KWD','OMR','JOD','TND','LYD','IQD') THEN 3 ELSE 2 END;
CREATE OR REPLACE MACRO scale_of(cur) AS CAST(CASE minor_units(cur) WHEN 0 THEN 1 WHEN 3 THEN 1000 ELSE 100 END AS BIGINT);
CREATE OR REPLACE MACRO amount_text(txt, french) AS
  CASE WHEN french THEN replace(replace(replace(replace(trim(txt), chr(160), ''), chr(8239), ''), ' ', ''), ',', '.')
       ELSE trim(txt) END;
CREATE OR REPLACE MACRO scaled_amount(txt, cur, french) AS
  CAST(amount_text(txt, french) AS DECIMAL(18,6)) * scale_of(cur);
CREATE OR REPLACE MACRO to_minor(txt, cur, french) AS
  CASE WHEN scaled_amount(txt, cur, french) <> round(scaled_amount(txt, cur, french), 0)
       THEN error('amount ' || txt || ' has more decimals than ' || cur || ' allows')
       ELSE CAST(scaled_amount(txt, cur, french) AS BIGINT) END;
CREATE OR REPLACE MACRO to_day(txt, french) AS
  CASE WHEN french THEN CAST(strptime(trim(txt), '%d/%m/%Y') AS DATE) ELSE CAST(trim(txt) AS DATE) END;
CREATE OR REPLACE MACRO fmt_amount(m, cur, point) AS
  CASE WHEN minor_units(cur) = 0 THEN CAST(m AS VARCHAR)
       ELSE (CASE WHEN m < 0 THEN '-' ELSE '' END) || CAST(abs(m) // scale_of(cur) AS VARCHAR) || point
            || lpad(CAST(abs(m) % scale_of(cur) AS VARCHAR), minor_units(cur), '0') END;
CREATE OR REPLACE MACRO formula_safe(v) AS CASE WHEN left(v, 1) IN ('=', '+', '-', '@') THEN '''' || v ELSE v END;
CREATE OR REPLACE MACRO text_cell(v, sep) AS
  CASE WHEN contains(v, sep) OR contains(v, '"') OR contains(v, chr(13)) OR contains(v, chr(10))
       THEN '"' || replace(formula_safe(v), '"', '""') || '"' ELSE formula_safe(v) END;
"""

SCHEMA = """
CREATE TABLE customers (customer_id VARCHAR, name VARCHAR, file_no INTEGER, row_no BIGINT);
CREATE TABLE documents (number VARCHAR, customer_id VARCHAR, customer_name VARCHAR, issue DATE, due DATE,
                        currency VARCHAR, amount BIGINT, type VARCHAR, original VARCHAR, file_no INTEGER, row_no BIGINT);
CREATE TABLE payments (payment_id VARCHAR, customer_id VARCHAR, date DATE, amount BIGINT, currency VARCHAR,
                       reference VARCHAR, column_invoice VARCHAR);
"""


def sql_string(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def reader(path: str, names: list[str], delim: str, encoding: str) -> str:
    columns = "{" + ", ".join(f"{sql_string(n)}: 'VARCHAR'" for n in names) + "}"
    return (f"read_csv({sql_string(path)}, delim={sql_string(delim)}, quote='\"', escape='\"', header=true, "
            f"columns={columns}, auto_detect=false, strict_mode=true, encoding={sql_string(encoding)}, "
            f"null_padding=false, nullstr='\\x01-no-null')")


def load(con, inbox: str, scratch: str) -> None:
    try:
        con.execute("LOAD encodings")
        cp1252 = "windows-1252"
    except duckdb.Error:
        cp1252 = None
    con.execute(SCHEMA)
    files = sorted(n for n in os.listdir(inbox) if n.lower().endswith(".csv") and os.path.isfile(os.path.join(inbox, n)))
    for file_no, name in enumerate(files):
        path = os.path.join(inbox, name)
        layout = detect(path)
        if layout is None:
            raise SystemExit(f"duckdb_aged_balance: {name}: header not recognised")
        french = layout.endswith("_fr")
        encoding = "utf-8"
        if french:
            if cp1252:
                encoding = cp1252
            else:
                path = os.path.join(scratch, name)
                with open(os.path.join(inbox, name), "rb") as src, open(path, "wb") as dst:
                    dst.write(src.read().decode("cp1252").encode("utf-8"))
        kind = layout.rsplit("_", 1)[0]
        names = NAMES["documents_fr" if layout == "documents_fr" else "documents_en" if kind == "documents" else kind]
        src = reader(path, names, ";" if french else ",", encoding)
        f = "true" if french else "false"
        if kind == "customers":
            con.execute(f"INSERT INTO customers SELECT trim(customer_id), trim(name), {file_no}, row_number() OVER () FROM {src}")
        elif kind == "documents":
            name_col = "trim(customer_name)" if french else "''"
            con.execute(f"""
                INSERT INTO documents
                SELECT trim(invoice_number), trim(customer_id), {name_col}, to_day(issue_date, {f}), to_day(due_date, {f}),
                       trim(currency), to_minor(amount, trim(currency), {f}), lower(trim(type)), trim(original_invoice),
                       {file_no}, row_number() OVER ()
                FROM {src}""")
        else:
            con.execute(f"""
                INSERT INTO payments
                SELECT trim(payment_id), trim(customer_id), to_day(date, {f}), to_minor(amount, trim(currency), {f}),
                       trim(currency), reference, trim(invoice_number)
                FROM {src}""")


ALLOCATION_SETUP = """
CREATE TABLE invoices AS
  SELECT number, customer_id, currency, due, amount FROM documents
  WHERE type NOT IN ('avoir', 'credit_note') AND amount >= 0;
CREATE TABLE credit_notes AS
  SELECT number, customer_id, currency, issue, abs(amount) AS amount, original FROM documents
  WHERE type IN ('avoir', 'credit_note') OR amount < 0;
-- Payments in processing order, with the invoices each one names (position = order of appearance).
CREATE TABLE ordered_payments AS
  SELECT *, row_number() OVER (ORDER BY date, payment_id) AS src FROM payments;
CREATE TABLE named AS
  WITH by_column AS (
    SELECT src, column_invoice AS invoice, 1 AS pos FROM ordered_payments WHERE column_invoice <> ''),
  tokens AS (
    SELECT src, unnest(parts) AS token, generate_subscripts(parts, 1) AS pos
    FROM (SELECT src, regexp_split_to_array(reference, $pattern) AS parts
          FROM ordered_payments WHERE column_invoice = '' AND reference <> '')),
  by_reference AS (
    SELECT t.src, t.token AS invoice, min(t.pos) AS pos FROM tokens t JOIN invoices i ON i.number = t.token
    GROUP BY t.src, t.token)
  SELECT * FROM by_column UNION ALL SELECT * FROM by_reference;
-- A payment without customer belongs to the customer of the first existing invoice it names.
CREATE TABLE payment_owner AS
  WITH first_named AS (
    SELECT n.src, arg_min(i.customer_id, n.pos) AS customer_id
    FROM named n JOIN invoices i ON i.number = n.invoice
    WHERE n.src IN (SELECT src FROM ordered_payments WHERE customer_id = '')
    GROUP BY n.src)
  SELECT p.src, p.amount, p.currency,
         CASE WHEN p.customer_id <> '' THEN p.customer_id ELSE f.customer_id END AS customer_id
  FROM ordered_payments p LEFT JOIN first_named f USING (src);
CREATE TABLE sources AS
  SELECT src, customer_id, currency, amount FROM payment_owner WHERE customer_id IS NOT NULL
  UNION ALL
  SELECT (SELECT count(*) FROM ordered_payments) + row_number() OVER (ORDER BY issue, number), customer_id, currency, amount
  FROM credit_notes;
CREATE TABLE all_claims AS
  SELECT n.src, n.pos, n.invoice, p.amount AS available, i.amount AS owed, CAST(0 AS BIGINT) AS alloc
  FROM named n JOIN ordered_payments p USING (src) JOIN invoices i ON i.number = n.invoice AND i.currency = p.currency
  UNION ALL
  SELECT s.src, 1, c.original, c.amount, i.amount, CAST(0 AS BIGINT)
  FROM (SELECT *, (SELECT count(*) FROM ordered_payments) + row_number() OVER (ORDER BY issue, number) AS src
        FROM credit_notes) c
  JOIN sources s ON s.src = c.src
  JOIN invoices i ON i.number = c.original AND i.currency = c.currency;
-- A claim alone on its source and alone on its invoice simply takes min(available, owed):
-- only the others (grouped transfers, invoices paid in several parts) go through the rounds.
CREATE TABLE multi_source AS SELECT src FROM all_claims GROUP BY src HAVING count(*) > 1;
CREATE TABLE multi_invoice AS SELECT invoice FROM all_claims GROUP BY invoice HAVING count(*) > 1;
CREATE TABLE settled AS
  SELECT src, invoice, least(available, owed) AS alloc FROM all_claims a
  WHERE a.src NOT IN (SELECT src FROM multi_source) AND a.invoice NOT IN (SELECT invoice FROM multi_invoice);
CREATE TABLE claims AS
  SELECT * FROM all_claims a
  WHERE a.src IN (SELECT src FROM multi_source) OR a.invoice IN (SELECT invoice FROM multi_invoice);
"""

ALLOCATION_ROUND = """
CREATE OR REPLACE TABLE claims AS
  WITH req AS (
    SELECT *, greatest(available - coalesce(sum(alloc) OVER (PARTITION BY src ORDER BY pos
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0) AS request
    FROM claims),
  cum AS (
    SELECT *, coalesce(sum(request) OVER (PARTITION BY invoice ORDER BY src, pos
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
    FROM req)
  SELECT cum.src, cum.pos, cum.invoice, cum.available, cum.owed, cum.alloc AS previous,
         CAST(least(cum.owed, cum.before + cum.request) - least(cum.owed, cum.before) AS BIGINT) AS alloc
  FROM cum;
"""

REPORT = """
WITH allocations AS (
  SELECT src, invoice, alloc FROM claims UNION ALL SELECT src, invoice, alloc FROM settled),
open_invoices AS (
  SELECT i.customer_id, i.currency, i.due, i.amount - coalesce(a.given, 0) AS open
  FROM invoices i LEFT JOIN (SELECT invoice, sum(alloc) AS given FROM allocations GROUP BY invoice) a ON a.invoice = i.number),
bucketed AS (
  SELECT customer_id, currency,
         CASE WHEN d <= 0 THEN 0 WHEN d <= 30 THEN 1 WHEN d <= 60 THEN 2 WHEN d <= 90 THEN 3 WHEN d <= 120 THEN 4 ELSE 5 END AS bucket,
         open
  FROM (SELECT *, date_diff('day', due, $as_of::DATE) AS d FROM open_invoices WHERE open > 0)),
unapplied AS (
  SELECT s.customer_id, s.currency, s.amount - coalesce(g.given, 0) AS credit
  FROM sources s LEFT JOIN (SELECT src, sum(alloc) AS given FROM allocations GROUP BY src) g USING (src)),
lines AS (
  SELECT customer_id, currency,
         sum(CASE WHEN bucket = 0 THEN open ELSE 0 END) AS b0, sum(CASE WHEN bucket = 1 THEN open ELSE 0 END) AS b1,
         sum(CASE WHEN bucket = 2 THEN open ELSE 0 END) AS b2, sum(CASE WHEN bucket = 3 THEN open ELSE 0 END) AS b3,
         sum(CASE WHEN bucket = 4 THEN open ELSE 0 END) AS b4, sum(CASE WHEN bucket = 5 THEN open ELSE 0 END) AS b5,
         sum(credit) AS credit
  FROM (SELECT customer_id, currency, bucket, open, 0 AS credit FROM bucketed
        UNION ALL SELECT customer_id, currency, NULL, 0, credit FROM unapplied WHERE credit <> 0)
  GROUP BY customer_id, currency),
listed AS (
  SELECT customer_id, arg_min(name, (file_no, row_no)) AS name FROM customers GROUP BY customer_id),
on_documents AS (
  SELECT customer_id, arg_min(customer_name, (file_no, row_no)) AS name FROM documents
  WHERE customer_name <> '' GROUP BY customer_id),
names AS (
  SELECT l.customer_id, coalesce(nullif(c.name, ''), d.name, l.customer_id) AS name
  FROM (SELECT DISTINCT customer_id FROM lines) l
  LEFT JOIN listed c USING (customer_id) LEFT JOIN on_documents d USING (customer_id)),
rows AS (
  SELECT l.*, n.name, b0 + b1 + b2 + b3 + b4 + b5 AS total FROM lines l JOIN names n USING (customer_id))
SELECT coalesce(string_agg(
         concat_ws($sep, text_cell(customer_id, $sep), text_cell(name, $sep), text_cell(currency, $sep),
                   fmt_amount(b0, currency, $point), fmt_amount(b1, currency, $point), fmt_amount(b2, currency, $point),
                   fmt_amount(b3, currency, $point), fmt_amount(b4, currency, $point), fmt_amount(b5, currency, $point),
                   fmt_amount(total, currency, $point), fmt_amount(0, currency, $point), fmt_amount(0, currency, $point),
                   fmt_amount(credit, currency, $point), fmt_amount(total - credit, currency, $point)) || chr(13) || chr(10),
         '' ORDER BY customer_id, currency), ''),
       count(*)
FROM rows WHERE total <> 0 OR credit <> 0
"""



def aged_balance(inbox: str, as_of: dt.date, dialect: str, threads: int | None = None, verbose: bool = False) -> tuple[bytes, int]:
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = true")
    con.execute(MACROS)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="duckdb-aged-") as scratch:
        load(con, inbox, scratch)
    t1 = time.perf_counter()
    for statement in ALLOCATION_SETUP.replace("$pattern", sql_string(TOKEN_PATTERN)).split(";\n"):
        if statement.strip():
            c0, w0 = time.process_time(), time.perf_counter()
            con.execute(statement)
            if verbose:
                label = statement.strip().splitlines()[-1][:60] if statement.strip().startswith("--") else statement.strip()[:60]
                print(f"  {time.perf_counter() - w0:6.2f}s wall {time.process_time() - c0:6.2f}s CPU  {' '.join(label.split())}", file=sys.stderr)
    rounds = 0
    while True:
        con.execute(ALLOCATION_ROUND)
        rounds += 1
        changed = con.execute("SELECT count(*) FROM claims WHERE alloc IS DISTINCT FROM previous").fetchone()[0]
        if changed == 0:
            break
    t2 = time.perf_counter()
    sep, point, bom = (";", ",", "\ufeff") if dialect == "excel-fr" else (",", ".", "")
    query = (REPORT.replace("$sep", sql_string(sep)).replace("$point", sql_string(point))
             .replace("$as_of", sql_string(as_of.isoformat())))
    body, count = con.execute(query).fetchone()
    t3 = time.perf_counter()
    if verbose:
        print(f"duckdb: load {t1 - t0:.2f}s, allocate {t2 - t1:.2f}s ({rounds} rounds), report {t3 - t2:.2f}s",
              file=sys.stderr)
    header = sep.join(COLUMNS) + "\r\n"
    return (bom + header + body).encode("utf-8"), count


def main(argv=None) -> int:
    ap = peer_arguments("Aged balance computed by DuckDB (benchmark peer).")
    ap.add_argument("--threads", type=int)
    args = ap.parse_args(argv)
    data, count = aged_balance(args.inbox, args.as_of, args.dialect, args.threads, args.verbose)
    write_result(args.out, data, count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
