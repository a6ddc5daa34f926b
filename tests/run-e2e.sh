#!/bin/sh
# Runs every tests/e2e_*.sh against the built binary ($GRADER_BIN) and
# prints one closing line "e2e: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${GRADER_BIN:?GRADER_BIN must name the built grader}"
: "${GRADER_SRCDIR:=$(dirname "$here")}"
export GRADER_BIN GRADER_SRCDIR
pass=0 fail=0
for t in "$here"/e2e_*.sh; do
    [ -f "$t" ] || continue
    out=$(mktemp)
    if sh "$t" >"$out" 2>&1; then
        pass=$((pass + 1)); echo "PASS $(basename "$t")"
        grep '^SKIP' "$out" | sed 's/^/    /'   # a skip is never silent
    else
        fail=$((fail + 1)); echo "FAIL $(basename "$t")"; sed 's/^/    /' "$out"
    fi
    rm -f "$out"
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
