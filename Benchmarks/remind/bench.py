#!/usr/bin/env python3
"""`make bench-remind`: the reminder stage on the 1M-invoice benchmark data.

Steps (release binaries from --bin):
  1. generate Benchmarks/data/remind-N/ once with Benchmarks/generate.py at as-of 2026-06-15
     (a Monday of 2026-H1, a half-year the shipped ECB table covers, so formal notices are
     computed rather than refused as they would be for 2026-H2);
  2. a fresh home with Benchmarks/remind/relance.yaml, the generated inbox copied in;
  3. `relance-ingest` (timed, reported separately: it is the ingest benchmark's business);
  4. `relance-remind --as-of 2026-06-15` (timed): the first run on a backlog, so every
     customer with an invoice past a step gets its late-entry reminder;
  5. counts what the batch holds (e-mails, letters, formal notices, SMS rows, call rows) and
     checks that the manifest lists every file with its SHA-256;
  6. `relance-remind` again on the same as-of date (timed): must add nothing.
Prints wall seconds and peak RSS per step. Exit status 1 when a step fails or a check does not hold.

Usage: bench.py [--invoices 1000000] [--bin .build/release] [--keep]
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
AS_OF = "2026-06-15"
# One customer per 20 invoices (generate.py's default, 50k at 1M) gets about 15k customers
# reminded at this as-of date (30 %); 60k customers bring it to the 20k.
CUSTOMERS = 60_000


def timed(cmd: list[str], log: str) -> tuple[float, float, int]:
    with open(log, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, code


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--invoices", type=int, default=1_000_000)
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"))
    ap.add_argument("--customers", type=int, default=CUSTOMERS,
                    help="customers in the generated data (the issue's case: about 20k of them reminded)")
    ap.add_argument("--keep", action="store_true", help="keep the home folder and print its path")
    args = ap.parse_args()

    data = os.path.join(ROOT, "Benchmarks", "data", f"remind-{args.invoices}-{args.customers}")
    if not os.path.exists(os.path.join(data, "AS_OF")):
        print(f"generating {args.invoices} invoices at as-of {AS_OF} into {data} …", flush=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate.py"), "--invoices", str(args.invoices),
                        "--customers", str(args.customers), "--as-of", AS_OF, "--out", data], check=True)
    home = tempfile.mkdtemp(prefix="relance-bench-remind-")
    logs = os.path.join(ROOT, "Benchmarks", "results")
    os.makedirs(logs, exist_ok=True)
    try:
        shutil.copytree(os.path.join(data, "inbox"), os.path.join(home, "inbox"))
        shutil.copy(os.path.join(HERE, "relance.yaml"), os.path.join(home, "relance.yaml"))
        common = ["--home", home, "--as-of", AS_OF]
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        wall, rss, code = timed([os.path.join(args.bin, "relance-ingest")] + common, os.path.join(logs, "remind-ingest.err"))
        print(f"ingest           {wall:8.2f} s  {rss:7.0f} MB  exit {code}")
        if code not in (0, 65):
            return 1
        wall, rss, code = timed([os.path.join(args.bin, "relance-remind")] + common, os.path.join(logs, "remind-run.err"))
        print(f"remind           {wall:8.2f} s  {rss:7.0f} MB  exit {code}")
        if code not in (0, 65):
            print(open(os.path.join(logs, "remind-run.err")).read()[-2000:])
            return 1
        folder = os.path.join(home, "outbox", "reminders", AS_OF)
        counts = {sub: len(os.listdir(os.path.join(folder, sub))) if os.path.isdir(os.path.join(folder, sub)) else 0
                  for sub in ("email", "letters", "registered")}
        with open(os.path.join(folder, "manifest.csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        customers = len({r["customer_id"] for r in rows})
        channels: dict[str, int] = {}
        for r in rows:
            channels[r["channel"]] = channels.get(r["channel"], 0) + 1
        bad = 0
        for r in rows:
            if r["file"].endswith((".eml", ".pdf")):
                with open(os.path.join(folder, r["file"]), "rb") as fh:
                    if hashlib.sha256(fh.read()).hexdigest() != r["sha256"]:
                        bad += 1
        print(f"batch: {len(rows)} message(s) to {customers} customer(s); by channel {channels}; files {counts}; "
              f"invoices {sum(len(r['invoices'].split('|')) for r in rows)}; digest mismatches {bad}")
        wall, rss, code = timed([os.path.join(args.bin, "relance-remind")] + common, os.path.join(logs, "remind-again.err"))
        again = open(os.path.join(logs, "remind-again.err")).read()
        print(f"remind again     {wall:8.2f} s  {rss:7.0f} MB  exit {code}  ({'nothing new' if 'already published' in again else 'UNEXPECTED'})")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        return 0 if bad == 0 and "already published" in again else 1
    finally:
        if args.keep:
            print(f"home kept: {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
