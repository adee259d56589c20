#!/bin/sh
# `rsalab vectors --file F` on malformed Wycheproof files: each is exit 2
# with the file named and what is wrong with it, on one line that is not
# garbled.  Run under valgrind (the memcheck label) this also catches the
# error API reading the buffer it writes (issue 15).
#
# usage: cli_vectors_bad.sh RSALAB [WRAPPER ARGS...]
#   e.g. cli_vectors_bad.sh build/apps/rsalab valgrind -q --error-exitcode=99
# A wrapper's own error status must not be 2 (99 above), so that a memory
# error can never pass for the expected exit.
set -u

RSALAB=${1:?usage: cli_vectors_bad.sh RSALAB [WRAPPER ARGS...]}
shift

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rsalab-vecbad.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM HUP

n=0
failed=0

# case NAME REGEX JSON: write NAME.json, run vectors on it, require exit 2
# and a line "rsalab vectors: .../NAME.json: malformed input (REGEX)".
case_() {
    name=$1
    re=$2
    printf '%s\n' "$3" >"$tmp/$name.json"
    n=$((n + 1))
    # shellcheck disable=SC2086
    $WRAP "$RSALAB" vectors --backend "$BE" --file "$tmp/$name.json" \
        >"$tmp/out" 2>&1
    got=$?
    line="rsalab vectors: $tmp/$name.json: malformed input \\($re\\)\$"
    if [ "$got" -ne 2 ]; then
        failed=$((failed + 1))
        echo "not ok $n - $name: exit $got, expected 2"
        sed 's/^/    | /' "$tmp/out" | head -n 30
    elif ! grep -Eq -- "$line" "$tmp/out"; then
        failed=$((failed + 1))
        echo "not ok $n - $name: no line matches /$line/"
        sed 's/^/    | /' "$tmp/out" | head -n 30
    else
        echo "ok $n - $name: exit 2, $(grep -E -- "$line" "$tmp/out" | sed 's/.*malformed input //')"
    fi
}

WRAP="$*"
BE=$("$RSALAB" backends | awk '/^[^ ]/ { print $1; exit }')
[ -n "$BE" ] || { echo "no backend in this build"; exit 77; }

S='"schema": "rsassa_pss_verify_schema_v1.json"'
E='"schema": "rsaes_oaep_decrypt_schema_v1.json"'
case_ not-json 'JSON line [0-9]+: .+' "{ $S, \"testGroups\": ["
case_ no-groups 'no testGroups array' "{ $S, \"testGroups\": 5 }"
case_ group-no-key 'testGroups\[0\]: group without a public key' \
    "{ $S, \"testGroups\": [ { \"sha\": \"SHA-256\", \"sLen\": 0, \"tests\": [] } ] }"
case_ group-no-private-key 'testGroups\[1\]: group without a private key' \
    "{ $E, \"testGroups\": [ {\"n\": \"00c5\", \"e\": \"03\", \"d\": \"01\", \"tests\": [] },
                              { \"sha\": \"SHA-256\", \"tests\": [] } ] }"
case_ bad-hex 'testGroups\[0\]: bad hex in "modulus"' \
    "{ $S, \"testGroups\": [ { \"publicKey\": { \"modulus\": \"zz\",
       \"publicExponent\": \"010001\" }, \"tests\": [] } ] }"
case_ bad-slen 'testGroups\[0\]: bad sLen' \
    "{ $S, \"testGroups\": [ { \"publicKey\": { \"modulus\": \"00c5\",
       \"publicExponent\": \"03\" }, \"sha\": \"SHA-256\", \"sLen\": -1, \"tests\": [] } ] }"
case_ unknown-result 'testGroups\[0\]: tcId 7: unknown result' \
    "{ $S, \"testGroups\": [ { \"publicKey\": { \"modulus\": \"00c5\",
       \"publicExponent\": \"03\" }, \"sha\": \"SHA-256\", \"sLen\": 0,
       \"tests\": [ { \"tcId\": 7, \"msg\": \"\", \"sig\": \"00\", \"result\": \"maybe\" } ] } ] }"
case_ no-sig 'testGroups\[0\]: tcId 8: no msg or sig' \
    "{ $S, \"testGroups\": [ { \"publicKey\": { \"modulus\": \"00c5\",
       \"publicExponent\": \"03\" }, \"sha\": \"SHA-256\", \"sLen\": 0,
       \"tests\": [ { \"tcId\": 8, \"msg\": \"\", \"result\": \"valid\" } ] } ] }"
case_ no-cases '.*no test cases found' \
    "{ $S, \"testGroups\": [ { \"publicKey\": { \"modulus\": \"00c5\",
       \"publicExponent\": \"03\" }, \"sha\": \"SHA-256\", \"sLen\": 0, \"tests\": [] } ] }"

echo "# vectors on malformed files: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
