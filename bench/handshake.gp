# Handshakes per second of each backend (as both sides) against the bound
# from the same run's operation costs.
load dir."/common.gp"
set title "rsalab: rsalab/1 handshakes per second over loopback vs the bound from RSA operation costs" font "Sans,15"
set label 99 caption at screen 0.5,0.02 center font "Sans,10"
set bmargin 7
set style fill solid 0.85 border -1
set boxwidth 0.35
set xrange [0.4:nb + 0.6]
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set xtics () rotate by 0
do for [k=1:nb] { set xtics add (word(backends,k) k) }
set xlabel "backend (server and client)"
set ylabel "handshakes/s"
set key top right font "Sans,11" box opaque
plot for [k=1:nb] csv using ((strcol(1) eq "handshake" && strcol(2) eq word(backends,k) && strcol(3) eq word(backends,k) && strcol(6) eq "bound" && strcol(9) eq "ok") ? k - 0.18 : NaN):12 \
       with boxes lc rgb "#bbbbbb" title (k == 1 ? "bound" : ""), \
     for [k=1:nb] csv using ((is("handshake", word(backends,k), "handshakes") && strcol(3) eq word(backends,k)) ? k + 0.18 : NaN):12 \
       with boxes lc rgb colour(k) title (k == 1 ? "measured (median)" : ""), \
     for [k=1:nb] csv using ((is("handshake", word(backends,k), "handshakes") && strcol(3) eq word(backends,k)) ? k + 0.18 : NaN):12:13:14 \
       with yerrorbars lc rgb "black" pt 0 notitle, \
     for [k=1:nb] csv using ((is("handshake", word(backends,k), "handshakes") && strcol(3) eq word(backends,k)) ? k + 0.18 : NaN):($14 * 1.03):(sprintf("%.2fx", $17)) \
       with labels font "Sans,10" notitle
