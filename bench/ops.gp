# ops/s by backend and key size, one panel per operation, log scale.
load dir."/common.gp"
array opname[8] = ["oaep-sha256-encrypt", "oaep-sha256-decrypt", "pss-sha256-sign", "pss-sha256-verify", "pkcs1-sha256-sign", "pkcs1-sha256-verify", "raw-private", "raw-public"]
array optitle[8] = ["OAEP-SHA256 encrypt", "OAEP-SHA256 decrypt", "PSS-SHA256 sign", "PSS-SHA256 verify", "PKCS#1 v1.5 SHA-256 sign", "PKCS#1 v1.5 SHA-256 verify", "raw private (x^d mod n, CRT)", "raw public (x^e mod n)"]
set multiplot layout 2,4 title "rsalab: RSA operations per second by backend and modulus size (median of trials; bars: p10-p90)" font "Sans,15" margins 0.06,0.98,0.12,0.9 spacing 0.06,0.12
set logscale y
set format y "%.0s%c"
set xrange [768:4352]
set xtics ("1024" 1024, "2048" 2048, "3072" 3072, "4096" 4096)
set xlabel "modulus (bits)"
set ylabel "operations/s (log)"
set key top right font "Sans,10" box opaque
do for [i=1:8] {
  set title optitle[i]
  if (i == 1) { set label 99 caption at screen 0.5,0.02 center font "Sans,10" } else { unset label 99 }
  if (i > 1) { unset key }
  plot for [k=1:nb] csv using (is("ops", word(backends,k), opname[i]) ? $5 + dodge(k) : NaN):12:13:14 \
       with yerrorlines lw 2 pt k ps 1.2 lc rgb colour(k) title word(backends,k)
}
unset multiplot
