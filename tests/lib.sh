# Sourced by tests/e2e_*.sh: a temporary folder, assertions that say what
# they expected. Each assertion failure exits 1 with a message.
set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/grader-e2e-XXXXXX")
trap 'rm -rf "$T"' EXIT
G=$GRADER_BIN
SRC=$GRADER_SRCDIR

fail() { echo "FAILED: $*" >&2; exit 1; }
# expect_status CODE cmd...: run, keep stdout in $T/out and stderr in $T/err
expect_status() {
    want=$1; shift
    "$@" >"$T/out" 2>"$T/err"; got=$?
    [ "$got" -eq "$want" ] || { cat "$T/out" "$T/err" >&2; fail "$* exited $got, expected $want"; }
}
expect_in() { grep -q -- "$2" "$1" || { cat "$1" >&2; fail "expected '$2' in $1"; }; }
expect_not_in() { ! grep -q -- "$2" "$1" || { cat "$1" >&2; fail "did not expect '$2' in $1"; }; }
