#!/usr/bin/env bash
# Measures FECReader from file bytes to IngestBatch on a generated FEC, in an optimised build.
#
# The reader and Core are compiled straight with swiftc -O (whole module), which takes about
# a minute instead of a release build of the whole package and its dependencies.
# Usage: Benchmarks/fec/measure.sh [LINES] [RUNS]   (defaults: 1000000 lines, 5 runs)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
lines="${1:-1000000}"
runs="${2:-5}"
work="${TMPDIR:-/tmp}/relance-fec-bench"
mkdir -p "$work"
data="$work/fec-$lines.txt"
if [ ! -f "$data" ]; then
    python3 "$root/Benchmarks/fec/generate_fec.py" --lines "$lines" --seed 42 "$data"
fi
swiftc -O -wmo -parse-as-library -emit-library -static -module-name RelanceCore \
    "$root"/Sources/RelanceCore/*.swift -o "$work/libRelanceCore.a" \
    -emit-module -emit-module-path "$work/RelanceCore.swiftmodule"
swiftc -O -wmo -parse-as-library -module-name FECReadBench -I "$work" -L "$work" -lRelanceCore \
    "$root/Sources/RelanceFormats/InputReader.swift" "$root"/Sources/RelanceFormats/FEC/*.swift \
    "$root/Benchmarks/fec/FECReadBench.swift" -o "$work/fec-read-bench"
echo "file: $data ($(wc -c < "$data") bytes); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$work/fec-read-bench" "$data" "$runs"
