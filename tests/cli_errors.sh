#!/bin/sh
# The rsalab command under bad input (issue 15, and the rough edges of
# issue 8): every case asserts the exit status AND the message.
#
# usage: cli_errors.sh RSALAB BACKEND SRCDIR
#        cli_errors.sh RSALAB general SRCDIR
#
# BACKEND runs the cases that load keys on that backend; "general" runs the
# ones that do not depend on a backend (--version, backends, vectors,
# interop, help texts).  SRCDIR is the source tree (fixtures in
# tests/fuzz/corpus/keyfile, the Wycheproof sample, README.md).  Each check
# prints "ok N - what" or "not ok N - what" with the output; skips are
# printed with their reason and never counted as passed.  Exit 0 only when
# every check passed.
set -u

RSALAB=${1:?usage: cli_errors.sh RSALAB BACKEND|general SRCDIR}
BE=${2:?usage: cli_errors.sh RSALAB BACKEND|general SRCDIR}
SRC=${3:?usage: cli_errors.sh RSALAB BACKEND|general SRCDIR}
CORPUS="$SRC/tests/fuzz/corpus/keyfile"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rsalab-clierr.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM HUP

n=0
failed=0
skipped=0

# op_why OP: nothing when `rsalab backends` says BE runs operation OP
# (checked there with SHA-256, 2048-bit keys, ...), else the backend's
# reason, as it prints it after "no: ".  Cases that need OP skip with it.
op_why() {
    "$RSALAB" backends | awk -v be="$BE" -v op="$1" '
        $0 == be { f = 1; next }
        /^[^ ]/ { f = 0 }
        f && $1 == op {
            $1 = ""
            sub(/^ +/, "")
            if ($0 != "yes") { sub(/^no: /, ""); print }
            exit
        }'
}

# check STATUS REGEX WHAT CMD...: run CMD (stdin from /dev/null, at most 60
# seconds: an input that never ends must not hang the test), keep its
# output in $tmp/out, and require exit STATUS and a line matching the
# extended regular expression REGEX ("" for any output).
check() {
    want=$1
    re=$2
    what=$3
    shift 3
    n=$((n + 1))
    timeout 60 "$@" </dev/null >"$tmp/out" 2>&1
    got=$?
    if [ "$got" -ne "$want" ]; then
        bad "$what: exit $got, expected $want" "$@"
    elif [ -n "$re" ] && ! grep -Eq -- "$re" "$tmp/out"; then
        bad "$what: no line matches /$re/" "$@"
    else
        echo "ok $n - $what"
    fi
}

# check_in FILE STATUS REGEX WHAT CMD...: check with standard input from FILE.
check_in() {
    infile=$1
    shift
    cp "$infile" "$tmp/stdin"
    want=$1
    re=$2
    what=$3
    shift 3
    n=$((n + 1))
    timeout 60 "$@" <"$tmp/stdin" >"$tmp/out" 2>&1
    got=$?
    if [ "$got" -ne "$want" ]; then
        bad "$what: exit $got, expected $want" "$@"
    elif [ -n "$re" ] && ! grep -Eq -- "$re" "$tmp/out"; then
        bad "$what: no line matches /$re/" "$@"
    else
        echo "ok $n - $what"
    fi
}

bad() {
    failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    echo "    command: $*"
    sed 's/^/    | /' "$tmp/out" | head -n 20
}

# not_in REGEX WHAT: the last output has no line matching REGEX.
not_in() {
    n=$((n + 1))
    if grep -Eq -- "$1" "$tmp/out"; then
        failed=$((failed + 1))
        echo "not ok $n - $2"
        sed 's/^/    | /' "$tmp/out" | head -n 20
    else
        echo "ok $n - $2"
    fi
}

# truth WHAT CMD...: CMD (a test) holds.
truth() {
    what=$1
    shift
    n=$((n + 1))
    if "$@"; then
        echo "ok $n - $what"
    else
        failed=$((failed + 1))
        echo "not ok $n - $what"
    fi
}

skip() {
    n=$((n + 1))
    skipped=$((skipped + 1))
    echo "ok $n # SKIP $1: $2"
}

have() { command -v "$1" >/dev/null 2>&1; }

finish() {
    echo "# cli errors $BE: $((n - failed - skipped)) passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
    exit
}

printf 'a message\n' >"$tmp/msg"

# ===========================================================================
if [ "$BE" = general ]; then
# ===========================================================================

# ---- --version and backends (issue 8) -------------------------------------
check 0 '^rsalab [0-9]+\.[0-9]+' "rsalab --version prints the version" "$RSALAB" --version
for be in $("$RSALAB" backends | awk '/^[^ ]/ { print $1 }'); do
    truth "--version names backend $be" grep -Eq "^  $be +[^ ]" "$tmp/out"
done
if "$RSALAB" backends | grep -q '^gmp$'; then
    check 0 '^  library: +GMP [0-9]' "backends names gmp's library (GMP x.y.z)" \
        "$RSALAB" backends
else
    skip "backends names gmp's library" "gmp is not in this build"
fi
check 2 "unknown command '--frobnicate'" "an unknown command exits 2" "$RSALAB" --frobnicate

# ---- help texts (issue 8) ---------------------------------------------------
# (bench's help belongs to cmd_bench.c, checked by its own tests)
for c in backends keygen encrypt decrypt sign verify vectors interop; do
    "$RSALAB" "$c" --help >"$tmp/help" 2>&1
    n=$((n + 1))
    long=$(awk 'length($0) > 80' "$tmp/help")
    if [ -z "$long" ]; then
        echo "ok $n - $c --help fits 80 columns"
    else
        failed=$((failed + 1))
        echo "not ok $n - $c --help has lines over 80 columns:"
        printf '%s\n' "$long" | sed 's/^/    | /'
    fi
done
for c in decrypt sign; do
    check 0 'private key' "$c --help: the key is a private key" "$RSALAB" "$c" --help
    not_in 'SubjectPublicKeyInfo' "$c --help does not offer SubjectPublicKeyInfo for a private key"
done
check 0 '65537' "keygen --help states gmp's minimum e (65537)" "$RSALAB" keygen --help
truth "keygen --help: the gmp minimum is stated as e >= 65537" \
    grep -q 'gmp backend takes only e >= 65537' "$tmp/out"
truth "README shows keygen's --backend and --bits as optional" \
    grep -Eq 'rsalab keygen +\[--backend B\] \[--bits N\]' "$SRC/README.md"
truth "README says where the binary is (build/apps/rsalab)" \
    grep -q 'build/apps/rsalab' "$SRC/README.md"

# ---- vectors (issue 15, issue 8) -------------------------------------------
check 2 '/missing/x\.json: no such file' "vectors --file /missing/x.json: no such file" \
    "$RSALAB" vectors --file /missing/x.json
check 2 "--wycheproof $tmp/nonexistent: No such file" \
    "vectors --wycheproof DIR that does not exist exits 2" \
    "$RSALAB" vectors --wycheproof "$tmp/nonexistent"
check 2 "--vectors $tmp/nonexistent: No such file" \
    "vectors --vectors DIR that does not exist exits 2" \
    "$RSALAB" vectors --vectors "$tmp/nonexistent" --list
printf '{"schema": "rsassa_pss_verify_schema_v1.json", "testGroups": 5}\n' >"$tmp/shape1.json"
check 2 "shape1\.json: malformed input \(no testGroups array\)" \
    "vectors --file on a known schema with the wrong shape names the file and the fault" \
    "$RSALAB" vectors --file "$tmp/shape1.json"
printf '{"schema": "rsassa_pss_verify_schema_v1.json",
 "testGroups": [{"sha": "SHA-256", "tests": []}]}\n' >"$tmp/shape2.json"
check 2 "shape2\.json: malformed input \(testGroups\[0\]: group without a public key\)$" \
    "a nested detail is not garbled (rlab_error_set given its own detail)" \
    "$RSALAB" vectors --file "$tmp/shape2.json"
wp="$SRC/vectors/data/wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json"
if [ -f "$wp" ]; then
    # Every group asks for a mask function no standard defines: nothing can run.
    sed 's/"MGF1"/"MGF9"/g' "$wp" >"$tmp/rsa_pss_allskip_test.json"
    # (no ^: standard error, unbuffered, may land inside a line of the
    # report once it is longer than stdout's buffer, as with nine backends)
    check 0 'rsalab vectors: all skipped' \
        "vectors where every check is skipped: exit 0 and an 'all skipped' line" \
        "$RSALAB" vectors --file "$tmp/rsa_pss_allskip_test.json"
    truth "... and the reason is in the report" grep -q 'MGF9' "$tmp/out"
else
    skip "vectors: all skipped" "no $wp"
fi

# ---- interop (issue 15) ---------------------------------------------------------
check 0 '1025-bit: .* 0 failed' "interop --bits 1025: what a backend cannot make is skipped" \
    "$RSALAB" interop --bits 1025 --no-cli
if grep -q 'cannot make a 1025-bit key' "$tmp/out"; then
    truth "... with the reason in the legend" \
        grep -Eq '^  [a-z*]: [a-z]+ cannot make a 1025-bit key: .+' "$tmp/out"
else
    skip "interop --bits 1025 skip reason" "every backend here makes 1025-bit keys"
fi

finish
fi

# ===========================================================================
# per backend
# ===========================================================================
if ! "$RSALAB" backends | grep -qx "$BE"; then
    echo "# backend $BE is not in this build"
    exit 77
fi
k="$tmp/k"
check 0 '' "keygen 2048 on $BE" "$RSALAB" keygen --backend "$BE" --out "$k"
# The default padding of encrypt is OAEP and of sign PSS; a backend without
# them (nettle 3.8 has no OAEP, BearSSL 0.6 no PSS) skips those cases.
oaep_why=$(op_why oaep-encrypt)
pss_why=$(op_why pss-sign)
[ -n "$pss_why" ] || pss_why=$(op_why pss-verify)

# ---- numbers: plain decimal only ---------------------------------------------
check 2 "--e: '010001' has a leading zero" "--e 010001 (octal elsewhere) is refused" \
    "$RSALAB" keygen --backend "$BE" --e 010001 --out "$tmp/n1"
check 2 "--e: '0x10001' is not a decimal number" "--e 0x10001 is refused" \
    "$RSALAB" keygen --backend "$BE" --e 0x10001 --out "$tmp/n1"
check 2 "--bits: '0x800' is not a decimal number" "--bits 0x800 is refused" \
    "$RSALAB" keygen --backend "$BE" --bits 0x800 --out "$tmp/n1"
check 2 "--bits: ' 2048' is not a decimal number" "--bits ' 2048' is refused" \
    "$RSALAB" keygen --backend "$BE" --bits ' 2048' --out "$tmp/n1"
check 2 "--bits: '\+2048' is not a decimal number" "--bits +2048 is refused" \
    "$RSALAB" keygen --backend "$BE" --bits +2048 --out "$tmp/n1"
check 2 "--bits: '-2048' is not a decimal number" "--bits=-2048 is refused" \
    "$RSALAB" keygen --backend "$BE" --bits=-2048 --out "$tmp/n1"
check 2 "--bits: 99999999999999999999999 is out of range|--bits: '99999999999999999999999' is not" \
    "--bits beyond unsigned long is refused" \
    "$RSALAB" keygen --backend "$BE" --bits 99999999999999999999999 --out "$tmp/n1"
check 2 "--salt-len: '020' has a leading zero" "--salt-len 020 is refused" \
    "$RSALAB" sign --backend "$BE" --key "$k.pem" --salt-len 020 --in "$tmp/msg" --out "$tmp/s"
check 2 "--salt-len: '' is not a decimal number" "--salt-len '' is refused" \
    "$RSALAB" sign --backend "$BE" --key "$k.pem" --salt-len '' --in "$tmp/msg" --out "$tmp/s"
truth "no key was written by the refused keygen calls" test ! -e "$tmp/n1.pem"
if [ "$BE" = gmp ]; then
    check 2 'at least 65537' "gmp keygen --e 3: its minimum e is named" \
        "$RSALAB" keygen --backend gmp --e 3 --out "$tmp/n1"
fi

# ---- one standard input --------------------------------------------------------
check_in "$k.pub.pem" 2 'would both read standard input' \
    "encrypt --key - with the message on standard input by default is refused" \
    "$RSALAB" encrypt --backend "$BE" --key - --out "$tmp/c"
check_in "$k.pem" 2 'would both read standard input' "sign --key - --in - is refused" \
    "$RSALAB" sign --backend "$BE" --key - --in - --out "$tmp/s"
check_in "$k.pem" 2 'would both read standard input' "decrypt --key - --in - is refused" \
    "$RSALAB" decrypt --backend "$BE" --key - --in - --out "$tmp/p"
check_in "$k.pub.pem" 2 '--sig and --key cannot both be standard input' \
    "verify --key - --sig - is refused" \
    "$RSALAB" verify --backend "$BE" --key - --sig - --in "$tmp/msg"
truth "nothing was written by the refused commands" test ! -e "$tmp/c" -a ! -e "$tmp/s"
if [ -z "$oaep_why" ]; then
    check_in "$k.pub.pem" 0 '' "encrypt --key - --in FILE works" \
        "$RSALAB" encrypt --backend "$BE" --key - --in "$tmp/msg" --out "$tmp/c"
else
    skip "encrypt --key - --in FILE works" "$oaep_why"
fi

# ---- keygen: all or nothing ----------------------------------------------------
mkdir "$tmp/d"
check 2 "--out '$tmp/d/' has an empty file name" "keygen --out dir/ is refused" \
    "$RSALAB" keygen --backend "$BE" --out "$tmp/d/"
truth "... and writes no hidden .pem / .pub.pem" test ! -e "$tmp/d/.pem" -a ! -e "$tmp/d/.pub.pem"
mkdir "$tmp/half.pub.pem"
check 2 'not a regular file; nothing written' \
    "keygen --force where PREFIX.pub.pem cannot be written exits 2" \
    "$RSALAB" keygen --backend "$BE" --out "$tmp/half" --force
truth "... and leaves no private key without its pair" test ! -e "$tmp/half.pem"
cp "$k.pem" "$tmp/old.pem"
mkdir "$tmp/old.pub.pem"
check 2 'nothing written' "keygen --force over a pair it cannot complete exits 2" \
    "$RSALAB" keygen --backend "$BE" --out "$tmp/old" --force
truth "... and the old private key is untouched" cmp -s "$k.pem" "$tmp/old.pem"

# The file and key checks below sign and verify with PKCS#1 v1.5, which every
# backend has (BearSSL 0.6 has no PSS, and the default PSS verification
# needs pss-auto-salt): they are about reading the key, not the padding.
v15="--padding pkcs1 --hash sha256"
# ---- inputs that never end -----------------------------------------------------
if have mkfifo && mkfifo "$tmp/fifo"; then
    check 2 "$tmp/fifo: not a regular file" "a FIFO as --key is refused (no hang)" \
        "$RSALAB" sign --backend "$BE" $v15 --key "$tmp/fifo" --in "$tmp/msg" --out "$tmp/s"
    check 2 "$tmp/fifo: not a regular file" "a FIFO as --in is refused (no hang)" \
        "$RSALAB" sign --backend "$BE" $v15 --key "$k.pem" --in "$tmp/fifo" --out "$tmp/s"
else
    skip "a FIFO as --key" "mkfifo is not available"
fi
check 2 '/dev/zero: not a regular file' "/dev/zero as --key is refused" \
    "$RSALAB" verify --backend "$BE" $v15 --key /dev/zero --sig "$tmp/msg" --in "$tmp/msg"
{ cat "$k.pem"; head -c 1048576 /dev/zero | tr '\0' ' '; } >"$tmp/big.pem"
check 2 'larger than the limit' "a key file over the 1 MiB cap is refused" \
    "$RSALAB" sign --backend "$BE" $v15 --key "$tmp/big.pem" --in "$tmp/msg" --out "$tmp/s"
# A detail longer than 256 characters arrives whole: a long path to a FIFO.
long="$tmp"
for i in 1 2 3; do
    long="$long/$(printf 'a%.0s' $(seq 1 120))"
done
mkdir -p "$long"
if mkfifo "$long/fifo" 2>/dev/null; then
    check 2 "$long/fifo: not a regular file" "an error detail of over 256 characters is not cut" \
        "$RSALAB" sign --backend "$BE" $v15 --key "$long/fifo" --in "$tmp/msg" --out "$tmp/s"
else
    skip "a detail longer than 256 characters" "mkfifo failed"
fi

# ---- the same key rules on every backend --------------------------------------------
check 2 'INTEGER' "an SPKI whose e is a negative INTEGER (02 01 FD) is refused" \
    "$RSALAB" verify --backend "$BE" $v15 --key "$CORPUS/divergence-spki-negative-e.pem" \
    --sig "$tmp/msg" --in "$tmp/msg"
check 2 'e is below 3|exponent out of range' "an SPKI with e = 1: the message names e" \
    "$RSALAB" verify --backend "$BE" $v15 --key "$CORPUS/invalid-spki-e1.pem" \
    --sig "$tmp/msg" --in "$tmp/msg"
not_in 'only RSA and EC' "... and does not blame the algorithm"
check 2 'n is 0|n has the small factor 2' "an SPKI with n = 0: the message names n" \
    "$RSALAB" verify --backend "$BE" $v15 --key "$CORPUS/invalid-spki-n0.pem" \
    --sig "$tmp/msg" --in "$tmp/msg"
not_in 'only RSA and EC' "... and does not blame the algorithm"
if have openssl; then
    if openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
        -pkeyopt rsa_keygen_primes:3 -out "$tmp/k3.pem" 2>/dev/null; then
        if "$RSALAB" backends | grep -A4 "^$BE\$" | grep -q 'capabilities:.* multi-prime'; then
            check 0 '' "a valid 3-prime PKCS#8 key signs on a backend with multi-prime keys" \
                "$RSALAB" sign --backend "$BE" $v15 --key "$tmp/k3.pem" --in "$tmp/msg" \
                --out "$tmp/s"
        else
            check 2 'multi-prime' "a valid 3-prime PKCS#8 key: the message says multi-prime" \
                "$RSALAB" sign --backend "$BE" $v15 --key "$tmp/k3.pem" --in "$tmp/msg" \
                --out "$tmp/s"
        fi
    else
        skip "3-prime key" "openssl genpkey cannot make one"
    fi
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ec.pem" 2>/dev/null
    check 2 'rsaEncryption' "a valid EC PKCS#8 key: the message says it is not RSA" \
        "$RSALAB" sign --backend "$BE" $v15 --key "$tmp/ec.pem" --in "$tmp/msg" --out "$tmp/s"
    not_in 'not exactly one DER' "... rather than 'not exactly one DER'"
    if openssl genpkey -algorithm ED25519 -out "$tmp/ed.pem" 2>/dev/null; then
        check 2 'rsaEncryption' "a valid Ed25519 PKCS#8 key: the message says it is not RSA" \
            "$RSALAB" sign --backend "$BE" $v15 --key "$tmp/ed.pem" --in "$tmp/msg" --out "$tmp/s"
        not_in 'not exactly one DER' "... rather than 'not exactly one DER'"
    else
        skip "Ed25519 key" "openssl genpkey cannot make one"
    fi
else
    skip "3-prime, EC and Ed25519 keys" "the openssl command-line tool is not installed"
fi

# ---- PSS salt too long: exit 2 for sign and verify alike ------------------------------
if [ -z "$pss_why" ]; then
    salt_msg='a PSS salt of 256 bytes is too long for a 2048-bit key with sha256 \(at most 222\)'
    check 2 "$salt_msg" "sign --salt-len 256 on a 2048-bit key: exit 2, the salt named" \
        "$RSALAB" sign --backend "$BE" --key "$k.pem" --salt-len 256 --in "$tmp/msg" --out "$tmp/s"
    check 0 '' "sign with the default salt" \
        "$RSALAB" sign --backend "$BE" --key "$k.pem" --in "$tmp/msg" --out "$tmp/s"
    check 2 "$salt_msg" "verify --salt-len 256: exit 2 like sign" \
        "$RSALAB" verify --backend "$BE" --key "$k.pub.pem" --salt-len 256 --sig "$tmp/s" \
        --in "$tmp/msg"
    check 2 'a PSS salt of 300 bytes is too long for a 2048-bit key' \
        "sign --salt-len 300: the salt is too long for the key" \
        "$RSALAB" sign --backend "$BE" --key "$k.pem" --salt-len 300 --in "$tmp/msg" --out "$tmp/s"
    not_in 'message too long' "... not 'message too long'"
    check 0 '' "sign --salt-len 222 (the most a 2048-bit key takes with SHA-256)" \
        "$RSALAB" sign --backend "$BE" --key "$k.pem" --salt-len 222 --in "$tmp/msg" --out "$tmp/s"
    check 0 'signature ok' "verify --salt-len 222" \
        "$RSALAB" verify --backend "$BE" --key "$k.pub.pem" --salt-len 222 --sig "$tmp/s" \
        --in "$tmp/msg"
else
    skip "PSS salt lengths" "$pss_why"
fi

# ---- binary output never to a terminal ----------------------------------------------
if have script && script -qec true /dev/null >/dev/null 2>&1; then
    for c in encrypt sign; do
        kf="$k.pem"
        [ "$c" = encrypt ] && kf="$k.pub.pem"
        opts=""
        [ "$c" = sign ] && opts="$v15"
        if [ "$c" = encrypt ] && [ -n "$oaep_why" ]; then
            skip "encrypt (OAEP) to a terminal, refused and with --out" "$oaep_why"
            continue
        fi
        check 2 'will not write binary output to a terminal' \
            "$c to a terminal (standard output a pty) is refused" \
            script -qec "'$RSALAB' $c --backend $BE $opts --key '$kf' --in '$tmp/msg'" /dev/null
        check 0 '' "$c with --out FILE from a terminal works" \
            script -qec "'$RSALAB' $c --backend $BE $opts --key '$kf' --in '$tmp/msg' --out '$tmp/$c.out'" \
            /dev/null
        truth "... and wrote the file" test -s "$tmp/$c.out"
    done
else
    skip "binary output to a terminal" "script(1) cannot make a pty here"
fi
if [ -z "$oaep_why" ]; then
    "$RSALAB" encrypt --backend "$BE" --key "$k.pub.pem" --in "$tmp/msg" | cat >"$tmp/piped"
    truth "encrypt to a pipe works" test "$(wc -c <"$tmp/piped")" -eq 256
else
    skip "encrypt to a pipe works" "$oaep_why"
fi

finish
