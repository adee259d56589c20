#!/bin/sh
# bench_output.sh RSALAB BENCH_CHECK GROUP [BACKENDS]: a tiny `rsalab bench
# GROUP` into a temporary folder, then bench_check on its CSV and JSON.
# Checks the output, never the timings.
set -eu
rsalab=$1 check=$2 group=$3 backends=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set -- "$group" --quick --seconds 0.001 --trials 2 --keys 2 --bits 1024 --no-speed \
       --out "$tmp/run" --csv "$tmp/copy.csv" --json "$tmp/copy.json"
[ -n "$backends" ] && set -- "$@" --backends "$backends"
st=0
"$rsalab" bench "$@" >"$tmp/out.txt" 2>&1 || st=$?
if [ "$st" -ne 0 ]; then
  cat "$tmp/out.txt"; echo "bench_output: rsalab bench exited $st"; exit 1
fi
for f in results.csv results.json REPORT.md; do
  [ -s "$tmp/run/$f" ] || { echo "bench_output: $f missing"; exit 1; }
done
cmp -s "$tmp/run/results.csv" "$tmp/copy.csv" || { echo "bench_output: --csv copy differs"; exit 1; }
cmp -s "$tmp/run/results.json" "$tmp/copy.json" || { echo "bench_output: --json copy differs"; exit 1; }
"$check" "$tmp/run/results.csv" "$tmp/run/results.json" "$group"
