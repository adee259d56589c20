# Throughput through the protocol against the payload size, with the
# ceilings of the same run as horizontal lines.
load dir."/common.gp"
stats csv using ((strcol(1) eq "ceiling" && strcol(6) eq "memcpy" && strcol(9) eq "ok") ? $12 : NaN) nooutput
memcpy = STATS_max
stats csv using ((strcol(1) eq "ceiling" && strcol(6) eq "tcp-loopback" && strcol(9) eq "ok") ? $12 : NaN) nooutput
tcp = STATS_max
inbox = NaN
stats csv using ((strcol(1) eq "ceiling" && strcol(6) eq "inbox-write" && strcol(9) eq "ok") ? $12 : NaN) nooutput
inbox = STATS_max
set title "rsalab: transfer throughput through rsalab/1 over loopback, with this run's ceilings" font "Sans,15"
set label 99 caption at screen 0.5,0.02 center font "Sans,10"
set bmargin 6
set logscale x 2
set logscale y
set format y "%g"
set xrange [524288:2147483648.0]
set xtics ("1 MiB" 1048576, "4 MiB" 4194304, "16 MiB" 16777216, "64 MiB" 67108864, "256 MiB" 268435456, "1 GiB" 1073741824)
set xlabel "payload (bytes, log)"
set ylabel "MB/s (10^6 bytes/s, log)"
set key outside right top font "Sans,11" box
plot memcpy with lines lw 2 dt 2 lc rgb "black" title sprintf("memcpy %.0f MB/s", memcpy), \
     tcp with lines lw 2 dt 3 lc rgb "#555555" title sprintf("loopback TCP %.0f MB/s", tcp), \
     inbox with lines lw 2 dt 5 lc rgb "#8a5a00" title sprintf("inbox write %.0f MB/s", inbox), \
     for [k=1:nb] csv using (is("ceiling", word(backends,k), "stream-seal-open") ? 524288 : NaN):12:(2147483648.0 - 524288):(0) \
       with vectors nohead lw 1.5 dt 4 lc rgb colour(k) title word(backends,k)." stream in memory", \
     for [k=1:nb] csv using ((is("throughput", word(backends,k), "transfer") && strcol(3) eq word(backends,k)) ? $7 : NaN):12:13:14 \
       with yerrorlines lw 2 pt 7 lc rgb colour(k) title word(backends,k)." transfer"
