#!/bin/sh
# Interop between `rsalab` on one backend and the openssl command-line tool.
#
# usage: cli_openssl.sh RSALAB BACKEND [OPENSSL]
#
# Each check prints "ok N - what" or "not ok N - what" (with the command's
# output); the script exits 0 only when every check passed.  Exit statuses
# of rsalab are checked exactly: 0 success, 1 "no", 2 usage or input error.
set -u

RSALAB=${1:?usage: cli_openssl.sh RSALAB BACKEND [OPENSSL]}
BE=${2:?usage: cli_openssl.sh RSALAB BACKEND [OPENSSL]}
OPENSSL=${3:-openssl}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rsalab-cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM HUP

n=0
failed=0

# expect STATUS WHAT CMD...: run CMD, its output kept in $tmp/out, and check
# its exit status.
expect() {
    want=$1
    what=$2
    shift 2
    n=$((n + 1))
    "$@" >"$tmp/out" 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then
        echo "ok $n - $what"
    else
        failed=$((failed + 1))
        echo "not ok $n - $what: exit $got, expected $want"
        echo "    command: $*"
        sed 's/^/    | /' "$tmp/out" | head -n 20
    fi
}

# same WHAT FILE1 FILE2: the two files are byte-identical.
same() {
    n=$((n + 1))
    if cmp -s "$2" "$3"; then
        echo "ok $n - $1"
    else
        failed=$((failed + 1))
        echo "not ok $n - $1: $2 and $3 differ"
    fi
}

# skip WHAT WHY: a check the backend cannot run (printed, never counted as
# passed).
skipped=0
skip() {
    n=$((n + 1))
    skipped=$((skipped + 1))
    echo "ok $n # SKIP $1: $2"
}

# has_cap CAP: `rsalab backends` lists CAP among BE's capabilities.
has_cap() {
    caps=$("$RSALAB" backends | awk -v be="$BE" '
        $0 == be { f = 1; next }
        /^[^ ]/ { f = 0 }
        f && $1 == "capabilities:" { $1 = ""; print }')
    case " $caps " in
    *" $1 "*) return 0 ;;
    *) return 1 ;;
    esac
}

# flip_byte IN OUT OFFSET: copy IN to OUT with the byte at OFFSET xor 1.
flip_byte() {
    cp "$1" "$2"
    b=$(od -An -tu1 -j "$3" -N1 "$1" | tr -d ' ')
    nb=$((b ^ 1))
    # shellcheck disable=SC2059
    printf "$(printf '\\%03o' "$nb")" | dd of="$2" bs=1 seek="$3" conv=notrunc 2>/dev/null
}

k="$tmp/k"
printf 'rsalab interop message for %s\n' "$BE" >"$tmp/msg"
printf 'a different message\n' >"$tmp/msg2"

echo "# rsalab $BE against $("$OPENSSL" version)"

# ---- keygen ----------------------------------------------------------------
expect 0 "rsalab keygen 2048" "$RSALAB" keygen --backend "$BE" --bits 2048 --out "$k"
n=$((n + 1))
if [ -f "$k.pem" ] && [ -f "$k.pub.pem" ] && [ "$(stat -c %a "$k.pem")" = 600 ]; then
    echo "ok $n - keygen wrote $k.pem (mode 600) and $k.pub.pem"
else
    failed=$((failed + 1))
    echo "not ok $n - keygen did not write $k.pem (mode 600) and $k.pub.pem"
fi
expect 0 "openssl pkey -check accepts the private key" \
    "$OPENSSL" pkey -in "$k.pem" -check -noout
expect 0 "openssl pkey -pubcheck accepts the public key" \
    "$OPENSSL" pkey -pubin -in "$k.pub.pem" -pubcheck -noout
expect 0 "openssl derives the public key" \
    "$OPENSSL" pkey -in "$k.pem" -pubout -out "$tmp/derived.pub.pem"
same "k.pub.pem is the public half of k.pem, byte for byte" "$k.pub.pem" "$tmp/derived.pub.pem"
expect 0 "k.pem is PKCS#8 PEM (BEGIN PRIVATE KEY)" grep -q -- "-----BEGIN PRIVATE KEY-----" "$k.pem"
expect 0 "k.pub.pem is SubjectPublicKeyInfo PEM (BEGIN PUBLIC KEY)" \
    grep -q -- "-----BEGIN PUBLIC KEY-----" "$k.pub.pem"

cp "$k.pem" "$tmp/k.before"
cp "$k.pub.pem" "$tmp/k.pub.before"
expect 2 "keygen refuses to overwrite without --force (exit 2)" \
    "$RSALAB" keygen --backend "$BE" --bits 1024 --out "$k"
same "k.pem unchanged after the refusal" "$k.pem" "$tmp/k.before"
same "k.pub.pem unchanged after the refusal" "$k.pub.pem" "$tmp/k.pub.before"
expect 0 "keygen --force on a new prefix" \
    "$RSALAB" keygen --backend "$BE" --bits 1024 --out "$tmp/f" --force
cp "$tmp/f.pem" "$tmp/f.before"
expect 0 "keygen --force on an existing prefix" \
    "$RSALAB" keygen --backend "$BE" --bits 1024 --out "$tmp/f" --force
n=$((n + 1))
if cmp -s "$tmp/f.pem" "$tmp/f.before"; then
    failed=$((failed + 1))
    echo "not ok $n - keygen --force wrote the same key again"
else
    echo "ok $n - keygen --force wrote a new key"
fi
expect 0 "openssl pkey -check accepts the forced key" \
    "$OPENSSL" pkey -in "$tmp/f.pem" -check -noout

# ---- OAEP: openssl encrypts, rsalab decrypts, and back -----------------------
# OAEP itself is optional (nettle 3.8 has none): skipped when not listed.
if has_cap oaep; then
    expect 0 "openssl pkeyutl -encrypt OAEP sha256" \
        "$OPENSSL" pkeyutl -encrypt -pubin -inkey "$k.pub.pem" -in "$tmp/msg" -out "$tmp/ct" \
        -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256
    expect 0 "rsalab decrypt of openssl's OAEP ciphertext" \
        "$RSALAB" decrypt --backend "$BE" --key "$k.pem" --in "$tmp/ct" --out "$tmp/pt"
    same "rsalab decrypt gives the plaintext back" "$tmp/msg" "$tmp/pt"

    # Labels are optional too (Botan 2's FFI takes them only as text inside
    # the padding name): skipped when oaep-label is not listed.
    if has_cap oaep-label; then
        label=rsalab-label
        label_hex=$(printf '%s' "$label" | od -An -tx1 | tr -d ' \n')
        expect 0 "openssl pkeyutl -encrypt OAEP sha384 with a label" \
            "$OPENSSL" pkeyutl -encrypt -pubin -inkey "$k.pub.pem" -in "$tmp/msg" -out "$tmp/ct2" \
            -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha384 -pkeyopt rsa_mgf1_md:sha384 \
            -pkeyopt "rsa_oaep_label:$label_hex"
        expect 0 "rsalab decrypt --hash sha384 --label" \
            "$RSALAB" decrypt --backend "$BE" --key "$k.pem" --hash sha384 --label "$label" \
            --in "$tmp/ct2" --out "$tmp/pt2"
        same "labelled plaintext back" "$tmp/msg" "$tmp/pt2"
    else
        skip "OAEP with a label" "$BE has no oaep-label capability"
    fi

    # An MGF1 hash other than the hash is optional (mbedTLS 2.28 cannot).
    if has_cap oaep-mgf1; then
        expect 0 "openssl pkeyutl -encrypt OAEP sha512/mgf1 sha1" \
            "$OPENSSL" pkeyutl -encrypt -pubin -inkey "$k.pub.pem" -in "$tmp/msg" -out "$tmp/ct4" \
            -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha512 -pkeyopt rsa_mgf1_md:sha1
        expect 0 "rsalab decrypt --hash sha512 --mgf1-hash sha1" \
            "$RSALAB" decrypt --backend "$BE" --key "$k.pem" --hash sha512 --mgf1-hash sha1 \
            --in "$tmp/ct4" --out "$tmp/pt4"
        same "plaintext back with MGF1-SHA1" "$tmp/msg" "$tmp/pt4"
    else
        skip "OAEP with an MGF1 hash other than the hash" \
            "rsalab backends lists no oaep-mgf1 for $BE"
    fi

    expect 0 "rsalab encrypt (default OAEP sha256) with the public key" \
        "$RSALAB" encrypt --backend "$BE" --key "$k.pub.pem" --in "$tmp/msg" --out "$tmp/ct3"
    expect 0 "openssl pkeyutl -decrypt of rsalab's ciphertext" \
        "$OPENSSL" pkeyutl -decrypt -inkey "$k.pem" -in "$tmp/ct3" -out "$tmp/pt3" \
        -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256
    same "openssl gets rsalab's plaintext" "$tmp/msg" "$tmp/pt3"

    flip_byte "$tmp/ct" "$tmp/ct.bad" 100
    n=$((n + 1))
    "$RSALAB" decrypt --backend "$BE" --key "$k.pem" --in "$tmp/ct.bad" --out "$tmp/pt.bad" \
        >"$tmp/out" 2>&1
    got=$?
    if { [ "$got" -eq 1 ] || [ "$got" -eq 2 ]; } && ! cmp -s "$tmp/pt.bad" "$tmp/msg"; then
        echo "ok $n - rsalab decrypt of a corrupted ciphertext fails (exit $got)"
    else
        failed=$((failed + 1))
        echo "not ok $n - rsalab decrypt of a corrupted ciphertext: exit $got"
    fi
else
    skip "OAEP in both directions with openssl" "rsalab backends lists no oaep for $BE"
fi

# ---- PSS ---------------------------------------------------------------------
# PSS itself is optional (BearSSL 0.6 has none): skipped when not listed.
if has_cap pss; then
    # Verification recovers the salt length by default; a backend that cannot
    # (no pss-auto-salt) is given the length rsalab signs with (the hash length).
    salt_opt=""
    has_cap pss-auto-salt || salt_opt="--salt-len 32"
    expect 0 "rsalab sign PSS sha256" \
        "$RSALAB" sign --backend "$BE" --key "$k.pem" --padding pss --hash sha256 \
        --in "$tmp/msg" --out "$tmp/sig"
    expect 0 "openssl dgst -verify accepts rsalab's PSS signature" \
        "$OPENSSL" dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:-2 \
        -verify "$k.pub.pem" -signature "$tmp/sig" "$tmp/msg"
    expect 0 "openssl dgst -verify with salt length 32 (the default is the hash length)" \
        "$OPENSSL" dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
        -verify "$k.pub.pem" -signature "$tmp/sig" "$tmp/msg"
    expect 0 "rsalab verify of its own PSS signature" \
        "$RSALAB" verify --backend "$BE" --key "$k.pub.pem" $salt_opt --sig "$tmp/sig" --in "$tmp/msg"

    expect 0 "openssl dgst -sign PSS sha256 salt 32" \
        "$OPENSSL" dgst -sha256 -sign "$k.pem" -sigopt rsa_padding_mode:pss \
        -sigopt rsa_pss_saltlen:32 -out "$tmp/osig" "$tmp/msg"
    expect 0 "rsalab verify accepts openssl's PSS signature" \
        "$RSALAB" verify --backend "$BE" --key "$k.pub.pem" $salt_opt --sig "$tmp/osig" --in "$tmp/msg"
    expect 0 "rsalab verify --salt-len 32" \
        "$RSALAB" verify --backend "$BE" --key "$k.pub.pem" --sig "$tmp/osig" --salt-len 32 \
        --in "$tmp/msg"
    expect 0 "openssl dgst -sign PSS sha512 salt max" \
        "$OPENSSL" dgst -sha512 -sign "$k.pem" -sigopt rsa_padding_mode:pss \
        -sigopt rsa_pss_saltlen:max -out "$tmp/osig512" "$tmp/msg"
    if has_cap pss-auto-salt; then
        expect 0 "rsalab verify --hash sha512 --salt-len auto of a max-salt signature" \
            "$RSALAB" verify --backend "$BE" --key "$k.pub.pem" --hash sha512 --salt-len auto \
            --sig "$tmp/osig512" --in "$tmp/msg"
    else
        skip "rsalab verify --salt-len auto" "rsalab backends lists no pss-auto-salt for $BE"
    fi

    flip_byte "$tmp/sig" "$tmp/sig.bad" 17
    expect 1 "rsalab verify of a corrupted signature exits 1" \
        "$RSALAB" verify --backend "$BE" --key "$k.pub.pem" $salt_opt --sig "$tmp/sig.bad" --in "$tmp/msg"
    expect 1 "openssl agrees the corrupted signature is bad" \
        "$OPENSSL" dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:-2 \
        -verify "$k.pub.pem" -signature "$tmp/sig.bad" "$tmp/msg"
    expect 1 "rsalab verify of another message exits 1" \
        "$RSALAB" verify --backend "$BE" --key "$k.pub.pem" $salt_opt --sig "$tmp/sig" --in "$tmp/msg2"
else
    skip "PSS in both directions with openssl" "rsalab backends lists no pss for $BE"
fi

# ---- PKCS#1 v1.5 signatures: deterministic, so byte-identical ---------------------
expect 0 "rsalab sign --padding pkcs1" \
    "$RSALAB" sign --backend "$BE" --key "$k.pem" --padding pkcs1 --hash sha256 \
    --in "$tmp/msg" --out "$tmp/v15"
expect 0 "openssl dgst -sign v1.5" \
    "$OPENSSL" dgst -sha256 -sign "$k.pem" -out "$tmp/ov15" "$tmp/msg"
same "v1.5 signatures byte-identical" "$tmp/v15" "$tmp/ov15"
expect 0 "openssl dgst -verify accepts rsalab's v1.5 signature" \
    "$OPENSSL" dgst -sha256 -verify "$k.pub.pem" -signature "$tmp/v15" "$tmp/msg"
expect 0 "rsalab verify --padding pkcs1 accepts openssl's" \
    "$RSALAB" verify --backend "$BE" --key "$k.pub.pem" --padding pkcs1 --hash sha256 \
    --sig "$tmp/ov15" --in "$tmp/msg"

# ---- input errors exit 2 -------------------------------------------------------------
expect 2 "a text file as a key exits 2" \
    "$RSALAB" decrypt --backend "$BE" --key "$tmp/msg" --in "$tmp/ct" --out "$tmp/x"
head -c 700 /dev/urandom >"$tmp/random.key"
expect 2 "random bytes as a key exit 2" \
    "$RSALAB" verify --backend "$BE" --key "$tmp/random.key" --sig "$tmp/sig" --in "$tmp/msg"
: >"$tmp/empty.key"
expect 2 "an empty key file exits 2" \
    "$RSALAB" sign --backend "$BE" --key "$tmp/empty.key" --in "$tmp/msg" --out "$tmp/x"
expect 2 "a missing key file exits 2" \
    "$RSALAB" sign --backend "$BE" --key "$tmp/does-not-exist.pem" --in "$tmp/msg" --out "$tmp/x"
expect 2 "an unknown option exits 2" \
    "$RSALAB" sign --backend "$BE" --key "$k.pem" --no-such-option
expect 2 "decrypt with a public key exits 2" \
    "$RSALAB" decrypt --backend "$BE" --key "$k.pub.pem" --in "$tmp/ct" --out "$tmp/x"

echo "# cli $BE: $((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
