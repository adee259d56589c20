#!/bin/sh
# Regenerates the fixtures of tests/gmp/test_gmp_der.c with the openssl CLI
# (run once; the files are committed so the test needs no CLI).  For each key:
#   NAME.pkcs1.{pem,der}   RSAPrivateKey        (openssl rsa -traditional)
#   NAME.rsapub.{pem,der}  RSAPublicKey         (openssl rsa -RSAPublicKey_out)
#   NAME.pkcs8.{pem,der}   PrivateKeyInfo       (openssl genpkey / pkcs8 -topk8)
#   NAME.spki.{pem,der}    SubjectPublicKeyInfo (openssl pkey -pubout)
#   NAME.txt               the components in hex, from `openssl rsa -text`
set -eu
cd "$(dirname "$0")"
gen() {
  n=$1
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$2" \
          -pkeyopt rsa_keygen_pubexp:"$3" -out "$n.pkcs8.pem"
  openssl pkcs8 -topk8 -nocrypt -in "$n.pkcs8.pem" -outform DER -out "$n.pkcs8.der"
  openssl rsa -in "$n.pkcs8.pem" -traditional -out "$n.pkcs1.pem"
  openssl rsa -in "$n.pkcs8.pem" -traditional -outform DER -out "$n.pkcs1.der"
  openssl pkey -in "$n.pkcs8.pem" -pubout -out "$n.spki.pem"
  openssl pkey -in "$n.pkcs8.pem" -pubout -outform DER -out "$n.spki.der"
  openssl rsa -in "$n.pkcs8.pem" -RSAPublicKey_out -out "$n.rsapub.pem"
  openssl rsa -in "$n.pkcs8.pem" -RSAPublicKey_out -outform DER -out "$n.rsapub.der"
  # One "name=HEX" line per component, minimal big-endian, in PKCS#1 order.
  openssl rsa -in "$n.pkcs8.pem" -text -noout | awk '
    /^modulus:/         { f = "n" ; next }
    /^publicExponent:/  { printf "e=%x\n", $2; f = ""; next }
    /^privateExponent:/ { f = "d" ; next }
    /^prime1:/          { f = "p" ; next }
    /^prime2:/          { f = "q" ; next }
    /^exponent1:/       { f = "dp"; next }
    /^exponent2:/       { f = "dq"; next }
    /^coefficient:/     { f = "qinv"; next }
    /^ / && f != ""     { gsub(/[ :]/, ""); v[f] = v[f] $0; next }
    END { split("n d p q dp dq qinv", o, " ");
          for (i = 1; i <= 7; i++) { s = v[o[i]]; sub(/^(00)+/, "", s); print o[i] "=" toupper(s) } }' \
    > "$n.txt"
}
gen rsa512 512 3
gen rsa1024 1024 65537
gen rsa2048 2048 65537
