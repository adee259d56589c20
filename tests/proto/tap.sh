# Sourced by the proto test scripts: TAP-style checks and the wait for a
# started `rsalab serve` to print its port.
n=0
failed=0
check() { # check CONDITION-STATUS WHAT
    n=$((n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $n - $2"
    else
        failed=$((failed + 1))
        echo "not ok $n - $2"
    fi
}
show() { sed 's/^/    | /' "$1" | head -n 20; }
# serve_port STDERR_FILE PID: the port `rsalab serve --port 0` listens on
# (empty if it died or said nothing in 30 s).
serve_port() {
    _i=0
    while [ $_i -lt 300 ]; do
        _p=$(sed -n 's/.*listening on 127\.0\.0\.1 port \([0-9][0-9]*\).*/\1/p' "$1")
        [ -n "$_p" ] && { echo "$_p"; return 0; }
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}
