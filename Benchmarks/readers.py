#!/usr/bin/env python3
"""Reader benchmark behind `make bench-readers` (and so `make bench`): camt and FEC readers,
from file bytes to domain records (before the store), on generated files.

1. camt: Benchmarks/camt/generate_camt.py writes a camt.053 of --camt-entries entries (400 000
   by default, about 134 MB); `relance-bench-reader camt FILE RUNS` times CamtReader; then
   Benchmarks/camt/lxml_parse.py times Python lxml.etree.iterparse on the same file, doing the
   same extraction (--lxml-runs runs) and bare (iterparse + clear only, the floor of any lxml
   peer). Both must find the same payments and credit total (checked: a difference fails the
   run). The ratio CamtReader / lxml is of CPU-time MB/s measured in this run.
2. FEC: Benchmarks/fec/generate_fec.py writes an FEC of --fec-lines lines (1 000 000 by default,
   about 150 MB); `relance-bench-reader fec FILE RUNS` times FECReader.

Figures are medians. CPU time (user + system of the process) is the figure to quote on a
shared machine: wall time there mostly measures the other jobs. Both are printed, with the
load average before and after. Generated files are kept in Benchmarks/data/readers/ (git-ignored)
and a copy of the output in Benchmarks/results/readers-<UTC time>.txt.

Usage: readers.py [--bin .build/release] [--camt-entries 400000] [--fec-lines 1000000]
                  [--runs 5] [--lxml-runs 1] [--skip-camt] [--skip-fec]
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, "data", "readers")
RESULTS = os.path.join(HERE, "results")

lines_out: list[str] = []


def say(text: str) -> None:
    print(text, flush=True)
    lines_out.append(text)


def load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def run(cmd: list[str]) -> str:
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"`{' '.join(cmd)}` exited with status {proc.returncode}\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return proc.stdout


def generate(kind: str, size: int) -> str:
    os.makedirs(DATA, exist_ok=True)
    if kind == "camt":
        path = os.path.join(DATA, f"camt053-{size}.xml")
        if not os.path.exists(path):
            run([sys.executable, os.path.join(HERE, "camt", "generate_camt.py"), "--entries", str(size),
                 "--seed", "20260101", "--out", path + ".part"])
            os.rename(path + ".part", path)
    else:
        path = os.path.join(DATA, f"fec-{size}.txt")
        if not os.path.exists(path):
            run([sys.executable, os.path.join(HERE, "fec", "generate_fec.py"), "--lines", str(size), "--seed", "42",
                 path + ".part"])
            os.rename(path + ".part", path)
    return path


def cpu_rate(output: str) -> float:
    m = re.search(r"CPU median [0-9.]+ s = ([0-9.]+) MB/s", output)
    if not m:
        sys.exit(f"no CPU figure in:\n{output}")
    return float(m.group(1))


def lxml_rate(output: str) -> float:
    m = re.search(r"median ([0-9.]+) MB/s CPU", output)
    if not m:
        sys.exit(f"no CPU figure in:\n{output}")
    return float(m.group(1))


def camt(args: argparse.Namespace) -> None:
    path = generate("camt", args.camt_entries)
    say(f"camt.053: {path} ({os.path.getsize(path) / 1e6:.1f} MB, {args.camt_entries} entries)")
    swift = run([os.path.join(args.bin, "relance-bench-reader"), "camt", path, str(args.runs)])
    for line in swift.strip().splitlines():
        say(f"  CamtReader: {line}")
    full = run([sys.executable, os.path.join(HERE, "camt", "lxml_parse.py"), path, "--repeat", str(args.lxml_runs)])
    say(f"  {full.strip()}")
    bare = run([sys.executable, os.path.join(HERE, "camt", "lxml_parse.py"), path, "--repeat", str(args.runs), "--bare"])
    say(f"  {bare.strip()}")
    ours = re.search(r"credits (\d+), credit total ([0-9.]+)", swift)
    theirs = re.search(r"(\d+) credits, credit total ([0-9.]+)", full)
    if not ours or not theirs or ours.groups() != theirs.groups():
        say(f"  MISMATCH: CamtReader found {ours and ours.groups()}, lxml {theirs and theirs.groups()}")
        raise SystemExit(1)
    say(f"  same credits and credit total found by both ({ours.group(1)} credits, {ours.group(2)} EUR)")
    r, f, b = cpu_rate(swift), lxml_rate(full), lxml_rate(bare)
    say(f"  => CamtReader {r:.1f} MB/s CPU (target >= 50): {r / f:.1f}x lxml with the same extraction ({f:.1f} MB/s), "
        f"{r / b:.2f}x lxml bare iterparse ({b:.1f} MB/s)")


def fec(args: argparse.Namespace) -> None:
    path = generate("fec", args.fec_lines)
    say(f"FEC: {path} ({os.path.getsize(path) / 1e6:.1f} MB, {args.fec_lines} lines)")
    out = run([os.path.join(args.bin, "relance-bench-reader"), "fec", path, str(args.runs)])
    for line in out.strip().splitlines():
        say(f"  FECReader: {line}")
    say(f"  => FECReader {cpu_rate(out):.0f} MB/s CPU (target >= 250)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=".build/release")
    ap.add_argument("--camt-entries", type=int, default=400_000)
    ap.add_argument("--fec-lines", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lxml-runs", type=int, default=1, help="lxml with extraction runs at ~4 MB/s: one run is 30 s")
    ap.add_argument("--skip-camt", action="store_true")
    ap.add_argument("--skip-fec", action="store_true")
    args = ap.parse_args()
    say(f"readers benchmark, {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC, load average {load()}")
    if not args.skip_camt:
        camt(args)
    if not args.skip_fec:
        fec(args)
    say(f"load average after: {load()}")
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, time.strftime("readers-%Y%m%dT%H%M%SZ.txt", time.gmtime())), "w") as f:
        f.write("\n".join(lines_out) + "\n")


if __name__ == "__main__":
    main()
