#!/bin/sh
# grader-shards.sh - grade a cohort as N shards run by GNU parallel, then
# merge them into the reports one run would have written (docs/shards.md).
#
#   contrib/grader-shards.sh N ROSTER OUT [grade options...]
#
# runs, N at a time (JOBS=... to change), for K in 1..N:
#   grader grade --roster ROSTER --shard K/N -o OUT/shard-K-of-N [grade options...]
# (each shard fetches into submissions/shard-K-of-N with --fetch), then
#   grader merge --roster ROSTER -o OUT [the options merge shares] OUT/shard-*-of-N
# GRADER names the binary (default: grader on PATH). The exit code is the
# merge's (0 all passed, 1 some student failed, 2 bad input, 3 trouble), or
# the first shard's that could not complete (2 or 3).
set -u
G=${GRADER:-grader}

if [ "${1:-}" = --shard-job ]; then
    # one job of parallel: a shard whose students merely failed (exit 1) is
    # a shard done
    shift
    k=$1 n=$2 out=$3
    shift 3
    "$G" grade --roster "$ROSTER" --shard "$k/$n" -o "$out/shard-$k-of-$n" -q "$@"
    rc=$?
    [ "$rc" -le 1 ] || { echo "grader-shards: shard $k/$n failed (exit $rc)" >&2; exit "$rc"; }
    exit 0
fi

[ $# -ge 3 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
n=$1 ROSTER=$2 out=$3
shift 3
case $n in '' | *[!0-9]* | 0) echo "grader-shards: N is a number of shards, not '$n'" >&2; exit 2 ;; esac
command -v parallel >/dev/null || { echo "grader-shards: GNU parallel is needed (apt-get install parallel)" >&2; exit 3; }
export ROSTER GRADER="$G"

# quote WORD: WORD as one shell word, for eval
quote() { printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"; }

# The options merge takes too (the rest only matter to the shards).
merge_opts=
keep_next=
for a in "$@"; do
    if [ -n "$keep_next" ]; then
        merge_opts="$merge_opts $(quote "$a")" keep_next=
        continue
    fi
    case $a in
    --rubric | --known | --threshold | --misnamed | --lms | --repo-template | --format)
        merge_opts="$merge_opts $a" keep_next=1 ;;
    --rubric=* | --known=* | --threshold=* | --misnamed=* | --lms=* | --repo-template=* | --format=* | --no-similar | -q | --quiet)
        merge_opts="$merge_opts $(quote "$a")" ;;
    esac
done

mkdir -p "$out" || exit 3
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
seq 1 "$n" | parallel --will-cite --halt now,fail=1 -j "${JOBS:-$n}" -q \
    sh "$self" --shard-job {} "$n" "$out" "$@" || exit 3

shards=
k=1
while [ "$k" -le "$n" ]; do
    shards="$shards $(quote "$out/shard-$k-of-$n")"
    k=$((k + 1))
done
eval "set -- $merge_opts $shards"
"$G" merge --roster "$ROSTER" -o "$out" "$@"
