#!/bin/sh
# Bounded memory (proto.memory): a 1 GiB file sent with `rsalab send` to
# `rsalab serve`, each its own process, keeps each side's peak resident set
# (VmHWM, which both commands print at exit) under 64 MiB; the inbox copy has
# the size and SHA-256 of the file sent.
#
# usage: bounded_memory.sh RSALAB BACKEND [plain|sanitize]
#
# "sanitize" (the ASan+UBSan build): the bound means nothing there (shadow
# memory, quarantine), so the test says so and exits 77 (skip).
# Each check prints "ok N - what" or "not ok N - what"; exit 0 only when
# every check passed.
set -u

RSALAB=${1:?usage: bounded_memory.sh RSALAB BACKEND [plain|sanitize]}
BE=${2:?usage: bounded_memory.sh RSALAB BACKEND [plain|sanitize]}
MODE=${3:-plain}
LIMIT_KIB=65536         # 64 MiB
SIZE=1G
SIZE_BYTES=1073741824

if [ "$MODE" = sanitize ]; then
    echo "SKIP: built with RSALAB_SANITIZE: ASan's shadow memory and quarantine make a"
    echo "      resident-set bound meaningless (run proto.memory in a plain build)"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rsalab-mem.XXXXXX") || exit 2
server_pid=
send_pid=
cleanup() {
    for p in $send_pid $server_pid; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

. "$(dirname "$0")/tap.sh"
die() { # a step the rest depends on failed
    check 1 "$1"
    [ -n "${2:-}" ] && show "$2"
    echo "$n checks, $failed failed"
    exit 1
}

# Keys: the server's and the client's identities (2048 bits, by the openssl
# tool; by `rsalab keygen` where there is none), the client authorized by its
# public key.
mkdir "$tmp/authorized" "$tmp/inbox" || die "scratch folders"
for k in server alice; do
    if command -v openssl >/dev/null 2>&1; then
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/$k.pem" \
            >"$tmp/keygen.out" 2>&1 &&
            openssl pkey -in "$tmp/$k.pem" -pubout -out "$tmp/$k.pub.pem" >>"$tmp/keygen.out" 2>&1
    else
        "$RSALAB" keygen --backend "$BE" --bits 2048 --out "$tmp/$k" >"$tmp/keygen.out" 2>&1
    fi || die "make the $k key" "$tmp/keygen.out"
done
cp "$tmp/alice.pub.pem" "$tmp/authorized/" || die "authorize alice"

# A 1 GiB sparse file: what is measured is the channel, not the disk.
truncate -s "$SIZE" "$tmp/big.bin" || die "truncate -s $SIZE"

"$RSALAB" serve --backend "$BE" --key "$tmp/server.pem" --authorized "$tmp/authorized" \
    --inbox "$tmp/inbox" --port 0 </dev/null >"$tmp/serve.out" 2>"$tmp/serve.err" &
server_pid=$!
port=$(serve_port "$tmp/serve.err" "$server_pid")
[ -n "$port" ] || die "rsalab serve is listening" "$tmp/serve.err"
check 0 "rsalab serve --port 0 listens on port $port ($BE)"

"$RSALAB" send --backend "$BE" --key "$tmp/alice.pem" --server-key "$tmp/server.pub.pem" \
    --port "$port" "$tmp/big.bin" >"$tmp/send.out" 2>"$tmp/send.err" &
send_pid=$!
wait "$send_pid" # (in the background so that a signal to us is handled at once)
st=$?
send_pid=
check $st "rsalab send of a 1 GiB file: exit $st"
[ $st -eq 0 ] || { show "$tmp/send.out"; show "$tmp/send.err"; }

# The server logs the connection's end once the client's close is handled.
i=0
while [ $i -lt 100 ] && ! grep -q 'result=' "$tmp/serve.err"; do
    sleep 0.1
    i=$((i + 1))
done
kill -INT "$server_pid"
wait "$server_pid"
st=$?
server_pid=
check $st "rsalab serve stops on SIGINT with exit 0 (exit $st)"
grep -q 'name=alice .*result=ok (1 files' "$tmp/serve.err"
check $? "the server logs alice's connection: result=ok (1 files ...)"
[ $st -eq 0 ] && grep -q 'result=ok' "$tmp/serve.err" || show "$tmp/serve.err"

# The inbox copy: the same size and SHA-256 as the file sent, and nothing else.
want=$(sha256sum "$tmp/big.bin" | cut -d' ' -f1)
got=$(sha256sum "$tmp/inbox/big.bin" 2>/dev/null | cut -d' ' -f1)
size=$(stat -c %s "$tmp/inbox/big.bin" 2>/dev/null || echo 0)
printed=$(sed -n 's/.*sha256 \([0-9a-f]\{64\}\) .*/\1/p' "$tmp/send.out")
[ "$size" = "$SIZE_BYTES" ]
check $? "the inbox file has $SIZE_BYTES bytes (it has $size)"
[ -n "$want" ] && [ "$got" = "$want" ]
check $? "the inbox file's SHA-256 is the sent file's ($want; got ${got:-none})"
[ "$printed" = "$want" ]
check $? "rsalab send printed the same SHA-256 (${printed:-none})"
grep -q "big.bin from alice: $SIZE_BYTES bytes, sha256 $want" "$tmp/serve.err"
check $? "the server logged the file with the same size and SHA-256"
extra=$(ls -A "$tmp/inbox" | grep -vx 'big.bin')
[ -z "$extra" ]
check $? "nothing else in the inbox${extra:+: $extra}"

# Each side's peak resident set.
srv_kib=$(sed -n 's/^rsalab serve: peak resident set \([0-9][0-9]*\) KiB$/\1/p' "$tmp/serve.err")
cli_kib=$(sed -n 's/^rsalab send: peak resident set \([0-9][0-9]*\) KiB$/\1/p' "$tmp/send.err")
for side in serve send; do
    if [ $side = serve ]; then kib=$srv_kib; else kib=$cli_kib; fi
    if [ -z "$kib" ] || [ "$kib" -eq 0 ]; then
        check 1 "rsalab $side reports its peak resident set (VmHWM)"
        continue
    fi
    [ "$kib" -lt "$LIMIT_KIB" ]
    check $? "rsalab $side: peak resident set $kib KiB < $LIMIT_KIB KiB"
done
rate=$(sed -n 's/.*  \([0-9.]* MB\/s\)$/\1/p' "$tmp/send.out")
echo "# figures: serve VmHWM ${srv_kib:-?} KiB, send VmHWM ${cli_kib:-?} KiB, send rate ${rate:-?} ($BE)"

echo "$n checks, $failed failed"
[ $failed -eq 0 ]
