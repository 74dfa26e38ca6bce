#!/usr/bin/env bash
# Measures FECReader from file bytes to IngestBatch on a generated FEC, in an optimised build
# (`make bench-readers` does it through the package's relance-bench-fec; this is the quick way
# while working on the reader).
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
    $(find "$root/Sources/RelanceCore" -name "*.swift" | sort) -o "$work/libRelanceCore.a" \
    -emit-module -emit-module-path "$work/RelanceCore.swiftmodule"
swiftc -O -wmo -parse-as-library -module-name FECReadBench -I "$work" -L "$work" -lRelanceCore \
    "$root/Sources/RelanceFormats/InputReader.swift" "$root"/Sources/RelanceFormats/FEC/*.swift \
    "$root/Benchmarks/fec/FECReadBench.swift" -o "$work/fec-read-bench"
echo "file: $data ($(wc -c < "$data") bytes); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$work/fec-read-bench" "$data" "$runs"
