#!/usr/bin/env python3
"""Benchmark harness behind `make bench`: Relance's aged-balance job against DuckDB on the same files.

For each size N (invoice rows): generate Benchmarks/data/N/ once (seeded, git-ignored), then
per repetition:
  1. a fresh home folder with a copy of the generated inbox in HOME/inbox (copy not timed);
  2. `relance-ingest --home HOME --as-of D`, then `relance-report --home HOME --as-of D`,
     each timed separately (wall time; peak RSS of the process from wait4's rusage);
  3. the DuckDB peer (duckdb_aged_balance.py) on the same inbox files, timed the same way;
  4. the pandas peer (pandas_aged_balance.py), timed the same way, when pandas can be
     imported (else it is skipped with a note, not an error);
then, once per size up to --python-max rows, the stdlib derivation (derive_aged_balance.py)
as a further peer. Prints one table per size: median seconds, input rows/s, input MB/s, peak
MB, and the ratio of Relance's total (ingest + report) to DuckDB and to pandas. CPU seconds
(user + system, all threads) are shown too: on a shared machine they move less than wall
time, and DuckDB uses every core while a single-threaded program cannot.

Correctness gate: Relance's HOME/outbox/reports/D/aged-balance.csv must equal DuckDB's
output byte for byte (and the pandas peer's and the Python derivation's, where they ran); any
difference, or a non-zero exit status, prints the first differing lines and ends the run with
exit status 1.

The machine's load average is printed before and after: on a shared machine wall times
are only comparable within one run.

Usage: run.py [--sizes 100000,1000000] [--repeat N] [--bin .build/release] [--skip-relance]
"""
from __future__ import annotations

import argparse
import difflib
import re
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DERIVE = os.path.join(ROOT, "Tests", "RelancePipelineTests", "Golden", "derive_aged_balance.py")
SEED = 1


def pandas_importable() -> bool:
    """Whether the pandas peer can run: pandas is installed (`make bench` installs it) and imports."""
    try:
        import pandas  # noqa: F401
    except Exception:
        return False
    return True


HAVE_PANDAS = pandas_importable()


class Failure(Exception):
    pass


def measure(cmd: list[str], log_dir: str, label: str) -> tuple[float, float, float]:
    """Runs cmd; returns (wall seconds, CPU seconds, peak RSS in MB). Raises Failure on a non-zero exit."""
    out_path = os.path.join(log_dir, f"{label}.out")
    err_path = os.path.join(log_dir, f"{label}.err")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = open(err_path, "rb").read()[-2000:].decode("utf-8", "replace")
        raise Failure(f"{label}: `{' '.join(cmd)}` exited with status {proc.returncode}\n{tail}")
    # ru_maxrss is in KiB on Linux; CPU = user + system, all threads.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def ensure_data(size: int, data_root: str) -> str:
    folder = os.path.join(data_root, str(size))
    marker = os.path.join(folder, "GENERATED")
    # Regenerate when the seed or the generator changed since the data was written.
    digest = hashlib.sha256(open(os.path.join(HERE, "generate.py"), "rb").read()).hexdigest()[:16]
    stamp = f"seed {SEED} generator {digest}"
    if os.path.exists(marker) and open(marker).read().strip() == stamp:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    print(f"generating {size} invoice rows into {folder} …", flush=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--invoices", str(size), "--seed", str(SEED),
                           "--out", folder])
    if done.returncode != 0:
        raise Failure(f"generate.py failed for {size} rows (status {done.returncode})")
    print(f"  generation took {time.perf_counter() - start:.1f}s", flush=True)
    with open(marker, "w") as f:
        f.write(stamp + "\n")
    return folder


def input_stats(inbox: str) -> tuple[int, int]:
    """(data rows, bytes) over the inbox CSVs; generated fields never contain line breaks."""
    rows = size = 0
    for name in os.listdir(inbox):
        path = os.path.join(inbox, name)
        with open(path, "rb") as f:
            data = f.read()
        size += len(data)
        rows += max(data.count(b"\n") - 1, 0)
    return rows, size


def data_rows(path: str) -> int:
    """Data rows of one generated CSV (a header line, no line breaks inside fields)."""
    with open(path, "rb") as f:
        return max(f.read().count(b"\n") - 1, 1)


def allocation_count(ingest_stderr: str, default: int) -> int:
    """Allocations the ingest reported on stderr ("Allocations: N from payments …, M from credit notes")."""
    try:
        text = open(ingest_stderr, encoding="utf-8", errors="replace").read()
    except OSError:
        return default
    m = re.search(r"Allocations: (\d+) from payments[^,]*, (\d+) from credit notes", text)
    return int(m.group(1)) + int(m.group(2)) if m else default


def first_difference(expected: bytes, actual: bytes, expected_name: str, actual_name: str) -> str:
    diff = difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(keepends=True),
                                actual.decode("utf-8", "replace").splitlines(keepends=True),
                                fromfile=expected_name, tofile=actual_name, n=1)
    lines = [line.replace("\r", "\\r") for _, line in zip(range(40), diff)]
    if not lines:
        return f"{actual_name}: same text, different bytes (BOM or line endings)"
    return "".join(lines)


def run_size(size: int, args, results_root: str) -> list[str]:
    folder = ensure_data(size, args.data)
    inbox = os.path.join(folder, "inbox")
    as_of = open(os.path.join(folder, "AS_OF")).read().strip()
    rows, nbytes = input_stats(inbox)
    counts = {kind: data_rows(os.path.join(inbox, f"{name}.csv")) for kind, name in (("documents", "invoices"), ("payments", "payments"))}
    repeat = args.repeat or (3 if size < 1_000_000 else 1)
    out_dir = os.path.join(results_root, str(size))
    os.makedirs(out_dir, exist_ok=True)
    times: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    peaks: dict[str, float] = {}
    failures: list[str] = []

    def record(stage: str, wall: float, cpu: float, peak: float) -> None:
        times.setdefault(stage, []).append(wall)
        cpus.setdefault(stage, []).append(cpu)
        peaks[stage] = max(peaks.get(stage, 0.0), peak)

    duck_out = os.path.join(out_dir, "duckdb", "aged-balance.csv")
    pandas_out = os.path.join(out_dir, "pandas", "aged-balance.csv")
    relance_report = None
    for r in range(repeat):
        print(f"[{size}] repetition {r + 1}/{repeat}", flush=True)
        if not args.skip_relance:
            home = tempfile.mkdtemp(prefix=f"home-{size}-", dir=out_dir)
            shutil.copytree(inbox, os.path.join(home, "inbox"))
            total = total_cpu = 0.0
            for stage in ("relance-ingest", "relance-report"):
                exe = os.path.join(args.bin, stage)
                wall, cpu, peak = measure([exe, "--home", home, "--as-of", as_of], out_dir, f"{stage}-{r + 1}")
                record(stage, wall, cpu, peak)
                total += wall
                total_cpu += cpu
            record("relance total", total, total_cpu, max(peaks["relance-ingest"], peaks["relance-report"]))
            report = os.path.join(home, "outbox", "reports", as_of, "aged-balance.csv")
            if not os.path.isfile(report):
                raise Failure(f"relance-report exited 0 but wrote no {report}")
            relance_report = os.path.join(out_dir, "relance-aged-balance.csv")
            shutil.copyfile(report, relance_report)
            if not args.keep_homes:
                shutil.rmtree(home)
        # The SQLite floor: the same rows written by SQLite alone (sqlite_floor.py), with the
        # allocation count Relance's ingest reported (else one per payment row).
        allocations = allocation_count(os.path.join(out_dir, f"relance-ingest-{r + 1}.err"), default=counts["payments"])
        cmd = [sys.executable, os.path.join(HERE, "sqlite_floor.py"), "--documents", str(counts["documents"]),
               "--payments", str(counts["payments"]), "--allocations", str(allocations),
               "--db", os.path.join(out_dir, "floor.sqlite")]
        wall, cpu, peak = measure(cmd, out_dir, f"sqlite-floor-{r + 1}")
        record("sqlite floor", wall, cpu, peak)
        cmd = [sys.executable, os.path.join(HERE, "duckdb_aged_balance.py"), "--inbox", inbox, "--as-of", as_of,
               "--out", duck_out]
        wall, cpu, peak = measure(cmd, out_dir, f"duckdb-{r + 1}")
        record("duckdb", wall, cpu, peak)
        if HAVE_PANDAS:
            cmd = [sys.executable, os.path.join(HERE, "pandas_aged_balance.py"), "--inbox", inbox, "--as-of", as_of,
                   "--out", pandas_out]
            wall, cpu, peak = measure(cmd, out_dir, f"pandas-{r + 1}")
            record("pandas", wall, cpu, peak)

    python_dir = None
    if not args.no_python and size <= args.python_max:
        python_dir = os.path.join(out_dir, "python")
        cmd = [sys.executable, DERIVE, "--inbox", inbox, "--as-of", as_of, "--out", python_dir]
        wall, cpu, peak = measure(cmd, out_dir, "python-derive")
        record("python derive", wall, cpu, peak)

    duck = open(duck_out, "rb").read()
    if relance_report:
        mine = open(relance_report, "rb").read()
        if mine != duck:
            failures.append(f"[{size}] Relance's aged balance differs from DuckDB's:\n"
                            + first_difference(duck, mine, duck_out, relance_report))
    if HAVE_PANDAS:
        computed = open(pandas_out, "rb").read()
        if computed != duck:
            failures.append(f"[{size}] the pandas peer differs from DuckDB:\n"
                            + first_difference(duck, computed, duck_out, pandas_out))
    if python_dir:
        derived = open(os.path.join(python_dir, "aged-balance.csv"), "rb").read()
        if derived != duck:
            failures.append(f"[{size}] the Python derivation differs from DuckDB:\n"
                            + first_difference(duck, derived, duck_out, os.path.join(python_dir, "aged-balance.csv")))

    out_rows = duck.count(b"\r\n") - 1
    lines = [f"size {size}: {rows} input rows, {nbytes / 1e6:.1f} MB, as-of {as_of}, "
             f"median of {repeat}{' (python derive: 1 run)' if python_dir else ''}; output rows {out_rows}",
             f"{'stage':<16} {'seconds':>9} {'CPU s':>8} {'rows/s':>12} {'MB/s':>8} {'peak MB':>9}"]
    for stage in ("relance-ingest", "relance-report", "relance total", "sqlite floor", "duckdb", "pandas",
                  "python derive"):
        if stage not in times:
            continue
        med = statistics.median(times[stage])
        cpu = statistics.median(cpus[stage])
        lines.append(f"{stage:<16} {med:>9.2f} {cpu:>8.2f} {rows / med:>12,.0f} {nbytes / 1e6 / med:>8.1f} {peaks[stage]:>9.0f}")
    if "relance total" in times:
        ratio = statistics.median(times["relance total"]) / statistics.median(times["duckdb"])
        cpu_ratio = statistics.median(cpus["relance total"]) / statistics.median(cpus["duckdb"])
        lines.append(f"Relance total / DuckDB = {ratio:.2f} (wall), {cpu_ratio:.2f} (CPU)")
        if "pandas" in times:
            ratio = statistics.median(times["relance total"]) / statistics.median(times["pandas"])
            cpu_ratio = statistics.median(cpus["relance total"]) / statistics.median(cpus["pandas"])
            lines.append(f"Relance total / pandas = {ratio:.2f} (wall), {cpu_ratio:.2f} (CPU)")
        floor = statistics.median(times["sqlite floor"])
        lines.append(f"SQLite floor (the same rows written by SQLite alone, sqlite_floor.py) = {floor:.2f} s: "
                     f"Relance's ingest is {statistics.median(times['relance-ingest']) / floor:.2f}x it")
    else:
        lines.append("Relance skipped (--skip-relance): no ratio")
    if not HAVE_PANDAS:
        lines.append("pandas peer skipped: pandas cannot be imported (python3 -m pip install pandas)")
    lines.append("outputs: " + ("identical" if not failures else "MISMATCH"))
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        raise Failure("\n".join(lines))
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description="Times Relance's aged balance against DuckDB on generated inboxes.")
    ap.add_argument("--sizes", default="100000,1000000", help="comma-separated invoice-row counts")
    ap.add_argument("--repeat", type=int, help="repetitions (default 3 below 1M rows, 1 from 1M)")
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"), help="folder of relance-ingest/-report")
    ap.add_argument("--data", default=os.path.join(HERE, "data"), help="generated data (git-ignored)")
    ap.add_argument("--results", default=os.path.join(HERE, "results"), help="outputs and logs (git-ignored)")
    ap.add_argument("--skip-relance", action="store_true", help="only the generator and the peers")
    ap.add_argument("--no-python", action="store_true", help="do not time the Python derivation")
    ap.add_argument("--python-max", type=int, default=100_000, help="largest size the Python derivation runs on")
    ap.add_argument("--keep-homes", action="store_true", help="keep the Relance home folders for inspection")
    args = ap.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if not args.skip_relance:
        for exe in ("relance-ingest", "relance-report"):
            if not os.access(os.path.join(args.bin, exe), os.X_OK):
                print(f"run.py: {os.path.join(args.bin, exe)} is missing: build with `swift build -c release` "
                      f"or pass --skip-relance", file=sys.stderr)
                return 1
    os.makedirs(args.results, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    results_root = os.path.join(args.results, stamp)
    os.makedirs(results_root, exist_ok=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs", flush=True)
    report: list[str] = []
    status = 0
    for size in sizes:
        try:
            report += run_size(size, args, results_root) + [""]
        except Failure as e:
            report += [f"FAILED size {size}:", str(e), ""]
            status = 1
            break
    report.append(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    text = "\n".join(report)
    print("\n" + text)
    with open(os.path.join(results_root, "summary.txt"), "w") as f:
        f.write(text + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
