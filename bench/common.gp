# Shared by every bench/*.gp script: loaded after the caller set
#   csv      the run's results.csv
#   out      the PNG to write
#   backends space-separated backend names, in run order
#   caption  machine, build and date, printed under the plot
# Rows are picked with filters on the CSV's columns (docs/BENCHMARKS.md):
#   1 group, 2 backend, 3 peer, 4 library, 5 bits, 6 operation, 7 size,
#   8 unit, 9 status, 10 samples, 11 iters, 12 median, 13 p10, 14 p90,
#   15 p99, 16 max, 17 ratio, 18 ratio_to, 19 note
set datafile separator comma
set datafile commentschars "#"
# Rows filtered out evaluate to NaN; "missing" lets lines join across them.
set datafile missing NaN
set terminal pngcairo size 1600,1000 font "Sans,11" noenhanced
set output out
set grid back lc rgb "#dddddd"
set border lw 1
# One colour and point type per backend position, the same in every plot.
colour(i) = word("#1f77b4 #d62728 #2ca02c #ff7f0e #9467bd #8c564b #e377c2 #17becf #7f7f7f #bcbd22 #000000 #aec7e8", i)
nb = words(backends)
# Side-by-side offset of backend k around a shared x position (in x units of 1/1000 of the range).
dodge(k) = (k - (nb + 1) / 2.0) * 40
# The column value when the row is ours, else NaN (the point is left out).
is(g, b, op) = strcol(1) eq g && strcol(2) eq b && strcol(6) eq op && strcol(9) eq "ok"
