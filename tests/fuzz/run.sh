#!/bin/sh
# tests/fuzz/run.sh TARGET SECONDS [BUILD]: run one fuzz target (built by
# `make fuzz-build`) for SECONDS on its corpus, seeded from the tests' own
# fixtures. Exit status non-zero on a crash, a leak, a timeout (an input
# taking over 10 s) or undefined behaviour; the input is saved under
# BUILD/artifacts/TARGET/ and the log is BUILD/TARGET.log. Prints
# libFuzzer's totals: runs, coverage (cov: edges, ft: features), seconds.
set -u
t=$1 secs=$2 b=${3:-build-fuzz}
src=$(dirname "$0")
corpus=$b/corpus/$t art=$b/artifacts/$t
mkdir -p "$corpus" "$art"

# Seeds: fixtures of the tests (never the real corpus), copied once.
seed() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$corpus/seed-$(basename "$(dirname "$f")")-$(basename "$f")"; done; }
sep=$(printf '\036')
# Every target: tests/fuzz/seeds/TARGET/ when there is one; some more:
[ -d "$src/seeds/$t" ] && seed "$src/seeds/$t"/*
case $t in
score | outline) seed tests/fixtures/check/*.md tests/fixtures/demo/*.md "$src"/seeds/outline/* ;;
rubric) seed rubrics/*.yml ;;
similar)
    # format text, then a few posts: copies, reorderings, honest pairs, links
    f=tests/fixtures/similar
    i=0
    for set in "original renamed reordered" "honest-a honest-b link" "task original plain-headings"; do
        i=$((i + 1))
        { cat rubrics/known/format.md; for p in $set; do printf '%s' "$sep"; cat "$f/$p.md"; done; } \
            >"$corpus/seed-set$i"
    done
    ;;
esac

set --
[ -f "$src/$t.dict" ] && set -- "$@" -dict="$src/$t.dict"
[ -d "$src/regress/$t" ] && extra=$src/regress/$t || extra=
log=$b/$t.log
# shellcheck disable=SC2086 # $extra: one folder or none
"$b/fuzz_$t" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$art/" "$@" "$corpus" $extra >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
cov=$(printf '%s' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
ft=$(printf '%s' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
printf 'fuzz %-9s runs %-9s cov %-6s ft %-6s seconds %s\n' "$t" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${took:-?}"
if [ "$rc" != 0 ]; then
    echo "fuzz $t: FAILED (exit $rc); input in $art/, log $log:" >&2
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written|==[0-9]+==' "$log" | head -n 20 >&2
    exit 1
fi
