#!/bin/sh
# Regenerates the multi-prime RSA fixtures (RFC 8017 3.2, RSAPrivateKey
# version 1) with the openssl CLI; run once, the files are committed.
#   NAME.pkcs1.{pem,der}  RSAPrivateKey version 1 with otherPrimeInfos
#   NAME.pkcs8.{pem,der}  PrivateKeyInfo around it
#   NAME.spki.der         its SubjectPublicKeyInfo
set -eu
cd "$(dirname "$0")"
gen() {
  n=$1
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$2" \
          -pkeyopt rsa_keygen_primes:"$3" -out "$n.pkcs8.pem"
  openssl pkcs8 -topk8 -nocrypt -in "$n.pkcs8.pem" -outform DER -out "$n.pkcs8.der"
  openssl rsa -in "$n.pkcs8.pem" -traditional -out "$n.pkcs1.pem"
  openssl rsa -in "$n.pkcs8.pem" -traditional -outform DER -out "$n.pkcs1.der"
  openssl pkey -in "$n.pkcs8.pem" -pubout -outform DER -out "$n.spki.der"
}
gen rsa2048-3p 2048 3
gen rsa4096-4p 4096 4
