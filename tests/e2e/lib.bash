# SPDX-License-Identifier: MIT
# Shared helpers for the end-to-end tests: each test script sources this,
# calls check/expect_* and ends with `finish`.
set -uo pipefail
SMSPROV=${1:?usage: $0 PATH-TO-smsprov}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0

ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }

# expect_rc CODE DESCRIPTION -- command...
expect_rc() {
    local want=$1 what=$2
    shift 3
    "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok; else
        bad "$what: exit $got, wanted $want"; cat "$TMP/err" >&2; fi
}

# expect_out PATTERN DESCRIPTION: stdout of the last command matches
expect_out() {
    if grep -qE -- "$1" "$TMP/out"; then ok; else
        bad "$2: stdout lacks /$1/"; head -20 "$TMP/out" >&2; fi
}

expect_err() {
    if grep -qE -- "$1" "$TMP/err"; then ok; else
        bad "$2: stderr lacks /$1/"; cat "$TMP/err" >&2; fi
}

# expect_json PYTHON-EXPR DESCRIPTION: expr over `d` (parsed stdout) is true
expect_json() {
    if python3 -c "import json,sys; d=json.load(open('$TMP/out')); sys.exit(0 if ($1) else 1)"; then
        ok; else bad "$2: JSON check failed: $1"; head -40 "$TMP/out" >&2; fi
}

finish() {
    echo "$(basename "$0" .sh): $PASS passed, $FAIL failed"
    [ "$FAIL" -eq 0 ]
}
