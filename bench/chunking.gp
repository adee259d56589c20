# Chunking: MB/s of payload against the piece size, RSA-OAEP blocks (the
# original exercise) against AES-256-GCM chunks and the 16 KiB stream.
# Extra variable: aeadnames, the backends' names as the legend shows their
# AES-GCM ("gmp(+openssl-aead)" for one that borrows the default provider's).
load dir."/common.gp"
set title "rsalab: moving a payload in pieces: RSA-OAEP-SHA256 blocks vs AES-256-GCM chunks (encrypt + decrypt)" font "Sans,15"
set label 99 caption at screen 0.5,0.02 center font "Sans,10"
set bmargin 6
set logscale x 2
set logscale y
set format y "%g"
set xrange [96:2097152]
set xtics ("128 B" 128, "190 B" 190, "1 KiB" 1024, "4 KiB" 4096, "16 KiB" 16384, "64 KiB" 65536, "256 KiB" 262144, "1 MiB" 1048576)
set xlabel "piece size (bytes per RSA block or AEAD chunk, log)"
set ylabel "payload throughput (MB/s, log)"
set key outside right top font "Sans,11" box
plot for [k=1:nb] csv using (is("chunking", word(backends,k), "aes-256-gcm-chunks") ? $7 : NaN):12:13:14 \
       with yerrorlines lw 2 pt 7 lc rgb colour(k) title word(aeadnames,k)." AES-GCM", \
     for [k=1:nb] csv using (is("chunking", word(backends,k), "stream-cobblestone-256") ? $7 : NaN):12 \
       with points pt 12 ps 2.5 lw 2 lc rgb colour(k) notitle, \
     for [k=1:nb] csv using (is("chunking", word(backends,k), "rsa-oaep-sha256-blocks") ? $7 : NaN):12 \
       with points pt 9 ps 2 lc rgb colour(k) title word(backends,k)." RSA-OAEP", \
     NaN with points pt 12 ps 2.5 lw 2 lc rgb "black" title "core/stream, 16 KiB"
