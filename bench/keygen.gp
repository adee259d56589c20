# Key generation time as a cumulative distribution, one panel per size.
# Extra variable: kbits, the space-separated keygen sizes of the run.
load dir."/common.gp"
nk = words(kbits)
set multiplot layout (nk > 2 ? 2 : 1), (nk > 1 ? 2 : 1) title "rsalab: key generation time, cumulative distribution per backend (each step is one key)" font "Sans,15" margins 0.07,0.98,0.13,0.9 spacing 0.08,0.13
set logscale x
set xlabel "time per key (ms, log)"
set ylabel "fraction of keys generated within"
set yrange [0:1.05]
set ytics 0,0.25,1
set key bottom right font "Sans,10" box opaque
do for [i=1:nk] {
  bits = word(kbits, i) + 0
  set title sprintf("RSA-%d, e = 65537", bits)
  if (i == 1) { set label 99 caption at screen 0.5,0.02 center font "Sans,10" } else { unset label 99 }
  plot for [k=1:nb] csv using ((strcol(1) eq "keygen-cdf" && strcol(2) eq word(backends,k) && $5 == bits) ? $12 : NaN):17 \
       with steps lw 2 lc rgb colour(k) title word(backends,k), \
       for [k=1:nb] csv using ((strcol(1) eq "keygen-cdf" && strcol(2) eq word(backends,k) && $5 == bits) ? $12 : NaN):17 \
       with points pt 7 ps 0.7 lc rgb colour(k) notitle
}
unset multiplot
