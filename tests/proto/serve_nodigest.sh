#!/bin/sh
# proto.nodigest: `rsalab serve --no-digest` stores a received file exactly
# (a size that is not a multiple of the server's 256 KiB write buffer) and
# logs it without a SHA-256; the default server logs the SHA-256.
#
# usage: serve_nodigest.sh RSALAB BACKEND
# Each check prints "ok N - what" or "not ok N - what"; exit 0 only when
# every check passed.
set -u

RSALAB=${1:?usage: serve_nodigest.sh RSALAB BACKEND}
BE=${2:?usage: serve_nodigest.sh RSALAB BACKEND}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rsalab-nodigest.XXXXXX") || exit 2
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

. "$(dirname "$0")/tap.sh"

mkdir "$tmp/authorized" || exit 2
for k in server alice; do
    "$RSALAB" keygen --backend "$BE" --bits 2048 --out "$tmp/$k" >"$tmp/keygen.out" 2>&1 ||
        { show "$tmp/keygen.out"; echo "not ok - keygen"; exit 1; }
done
cp "$tmp/alice.pub.pem" "$tmp/authorized/"
# 700,001 bytes: two whole 256 KiB buffers and a part, and not a whole
# number of 16 KiB chunks either.
head -c 700001 /dev/urandom >"$tmp/file.bin"
want=$(sha256sum "$tmp/file.bin" | cut -d' ' -f1)

for mode in digest no-digest; do
    rm -rf "$tmp/inbox" && mkdir "$tmp/inbox"
    flag=
    [ $mode = no-digest ] && flag=--no-digest
    "$RSALAB" serve --backend "$BE" --key "$tmp/server.pem" --authorized "$tmp/authorized" \
        --inbox "$tmp/inbox" --port 0 $flag </dev/null >"$tmp/serve.out" 2>"$tmp/serve.err" &
    server_pid=$!
    port=$(serve_port "$tmp/serve.err" "$server_pid")
    [ -n "$port" ]
    check $? "rsalab serve $flag listens ($BE)"
    "$RSALAB" send --backend "$BE" --key "$tmp/alice.pem" --server-key "$tmp/server.pub.pem" \
        --port "${port:-1}" "$tmp/file.bin" >"$tmp/send.out" 2>"$tmp/send.err"
    st=$?
    check $st "rsalab send to serve $flag: exit $st"
    [ $st -eq 0 ] || show "$tmp/send.err"
    i=0
    while [ $i -lt 100 ] && ! grep -q 'result=' "$tmp/serve.err"; do
        sleep 0.1
        i=$((i + 1))
    done
    kill -INT "$server_pid"
    wait "$server_pid"
    server_pid=
    cmp -s "$tmp/file.bin" "$tmp/inbox/file.bin"
    check $? "serve $flag: the inbox copy is the file sent, byte for byte"
    if [ $mode = digest ]; then
        grep -q "file.bin from alice: 700001 bytes, sha256 $want" "$tmp/serve.err"
        check $? "the default server logs the file's SHA-256"
    else
        grep -q "file.bin from alice: 700001 bytes, sha256 not computed" "$tmp/serve.err"
        check $? "serve --no-digest logs the file without its SHA-256"
        ! grep -q "$want" "$tmp/serve.err"
        check $? "serve --no-digest computed no SHA-256"
    fi
    [ $failed -eq 0 ] || show "$tmp/serve.err"
done

echo "$n checks, $failed failed"
[ $failed -eq 0 ]
