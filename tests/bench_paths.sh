#!/bin/sh
# bench_paths.sh RSALAB: outputs are checked before anything is measured
# (exit 2 at once, nothing printed on stdout), and a missing gnuplot leaves
# the data complete with a line saying the plots were skipped.
set -eu
rsalab=$1
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
mkdir "$tmp/ro" && chmod a-w "$tmp/ro"
fails=0
refuse() {  # refuse WHAT ARGS...: exit 2, no header on stdout
  what=$1; shift
  st=0
  "$rsalab" bench timing "$@" >"$tmp/o" 2>"$tmp/e" || st=$?
  if [ "$st" -ne 2 ] || [ -s "$tmp/o" ]; then
    echo "FAIL: $what: exit $st, stdout:"; cat "$tmp/o"; fails=1
  else
    echo "ok: $what: $(cat "$tmp/e")"
  fi
}
# root ignores permissions: test the unwritable cases only when they apply
if [ "$(id -u)" -ne 0 ]; then
  refuse "--out in a read-only folder" --out "$tmp/ro/run"
  refuse "--csv in a read-only folder" --out "$tmp/run0" --csv "$tmp/ro/x.csv"
fi
refuse "--out under a file" --out /dev/null/run
refuse "--csv in a missing folder" --out "$tmp/run1" --csv "$tmp/nope/x.csv"
refuse "--json is a folder" --out "$tmp/run2" --json "$tmp"
refuse "--csv under a file" --out "$tmp/run3" --csv /dev/null/x.csv
st=0
RSALAB_GNUPLOT="$tmp/no-such-gnuplot" "$rsalab" bench chunking --quick --seconds 0.001 \
  --trials 1 --backends "$2" --out "$tmp/np" >"$tmp/o" 2>&1 || st=$?
if [ "$st" -ne 0 ] || ! grep -q "Plots skipped" "$tmp/o" || ! [ -s "$tmp/np/results.csv" ] ||
   ! grep -q "Plots skipped" "$tmp/np/REPORT.md" || ls "$tmp/np"/*.png >/dev/null 2>&1; then
  echo "FAIL: without gnuplot (exit $st)"; cat "$tmp/o"; fails=1
else
  echo "ok: without gnuplot: data written, plots skipped"
fi
exit $fails
