# Timing: the worst |t| of each operation's first comparison (class A
# against all of class B) against the number of measurements, one panel per
# operation, one line per backend; the leak (10) and suspicious (4.5)
# thresholds as dashed lines.  A real difference grows like the square root
# of the measurements; noise wanders below the thresholds.
# Extra variable: timingops, the space-separated operations measured.
load dir."/common.gp"
array opname[5] = ["oaep-sha256-decrypt", "pkcs1-decrypt", "pss-sha256-sign", "raw-private", "handshake-oaep"]
array optitle[5] = ["OAEP-SHA256 decrypt: valid vs invalid", "PKCS#1 v1.5 decrypt: valid vs invalid", "PSS-SHA256 sign: two fixed digests", "raw private: full vs short result", "rsalab/1 server reading ClientKey: good vs bad ciphertext"]
no = words(timingops)
set multiplot layout (no > 3 ? 2 : 1), (no > 3 ? 3 : no) title "rsalab: dudect-style timing test, |t| (worst crop) against measurements" font "Sans,15" margins 0.06,0.98,0.12,0.9 spacing 0.07,0.13
set logscale x
set logscale y
set format x "%.0s%c"
set xlabel "measurements (both classes)"
set ylabel "|t| (log)"
set yrange [0.05:*]
set key top left font "Sans,10" box opaque
# The trace rows of an operation: its first comparison's name starts with it.
tr(b, op) = strcol(1) eq "timing-trace" && strcol(2) eq b && strcol(9) eq "ok" && strstrt(strcol(6), op.":") == 1
do for [j=1:no] {
  op = word(timingops, j)
  t = op
  do for [i=1:5] { if (opname[i] eq op) { t = optitle[i] } }
  set title t
  if (j == 1) { set label 99 caption at screen 0.5,0.02 center font "Sans,10" } else { unset label 99 }
  if (j > 1) { unset key }
  STATS_records = 0
  stats csv using ((strcol(1) eq "timing-trace" && strcol(9) eq "ok" && strstrt(strcol(6), op.":") == 1) ? $7 : NaN) nooutput
  if (STATS_records > 0) {
    # the invisible 30 keeps the leak line off the top border
    plot 30 with lines lt nodraw notitle, \
         10 with lines dt 2 lw 2 lc rgb "#d62728" title "leak (10)", \
         4.5 with lines dt 3 lw 2 lc rgb "#ff7f0e" title "suspicious (4.5)", \
         for [k=1:nb] csv using (tr(word(backends,k), op) ? $7 : NaN):12 \
         with linespoints lw 2 pt 7 ps 0.5 lc rgb colour(k) title word(backends,k)
  } else {
    set label 98 "no backend measured this operation" at graph 0.5,0.5 center
    set xrange [100:1000]
    plot NaN notitle
    unset label 98
    set autoscale x
  }
}
unset multiplot
