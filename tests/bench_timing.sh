#!/bin/sh
# bench_timing.sh RSALAB BENCH_CHECK [BACKENDS]: a small `rsalab bench
# timing` (every operation, every backend given, 1024-bit keys, 200
# measurements per class) into a temporary folder, then bench_check on its CSV and JSON:
# a row per backend and operation, each a comparison with a finite |t| or
# a skip with its reason, and the trace for the plot.  Never the size of t:
# on a shared machine that is noise.
set -eu
rsalab=$1 check=$2 backends=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set -- timing --samples 200 --bits 1024 --out "$tmp/run" --json "$tmp/copy.json"
[ -n "$backends" ] && set -- "$@" --backends "$backends"
st=0
"$rsalab" bench "$@" >"$tmp/out.txt" 2>&1 || st=$?
if [ "$st" -ne 0 ]; then
  cat "$tmp/out.txt"; echo "bench_timing: rsalab bench exited $st"; exit 1
fi
for f in results.csv results.json REPORT.md; do
  [ -s "$tmp/run/$f" ] || { echo "bench_timing: $f missing"; exit 1; }
done
grep -q "^timing: worst |t|" "$tmp/out.txt" || { cat "$tmp/out.txt"; echo "bench_timing: no table"; exit 1; }
grep -q "^## Timing" "$tmp/run/REPORT.md" || { echo "bench_timing: no Timing section in REPORT.md"; exit 1; }
cmp -s "$tmp/run/results.json" "$tmp/copy.json" || { echo "bench_timing: --json copy differs"; exit 1; }
"$check" "$tmp/run/results.csv" "$tmp/run/results.json" timing
