#!/bin/sh
# grader similar: the command line, the report, similarity.csv, JSON, exit codes.
. "$(dirname "$0")/lib.sh"
F=$SRC/tests/fixtures/similar
K=$SRC/rubrics/known

expect_status 0 "$G" similar --help
expect_in "$T/out" "usage: grader similar"
expect_status 2 "$G" similar
expect_in "$T/err" "no posts given"
expect_status 2 "$G" similar --threshold 1.5 "$F/original.md"
expect_in "$T/err" "threshold"
expect_status 2 "$G" similar --format xml "$F/original.md"
expect_status 2 "$G" similar --bogus "$F/original.md"
expect_status 2 "$G" similar "$F/nope.md"
expect_in "$T/err" "nope.md"
expect_status 2 "$G" similar --known "$T/none" "$F/original.md"

# honest posts only: exit 0, nothing found, a CSV with a row per post
expect_status 0 "$G" similar --known "$K" -o "$T/r" "$F/original.md" "$F/honest-a.md" "$F/honest-b.md"
expect_in "$T/out" "0 groups"
[ "$(wc -l <"$T/r/similarity.csv")" -eq 4 ] || fail "expected a header and 3 rows"
expect_in "$T/r/similarity.csv" "^group,post,status,share"
expect_not_in "$T/r/similarity.csv" ",copy,"

# the whole fixture set: one group of four, task-text, link-only; exit 1
cd "$F" || fail "no fixtures"
expect_status 1 "$G" similar --known "$K" -o "$T/r" original.md honest-a.md honest-b.md \
    renamed.md reordered.md plain-headings.md task.md link.md
expect_in "$T/out" "group 1: 4 posts"
expect_in "$T/out" "longest shared passage lines"
expect_in "$T/out" "task-text"
expect_in "$T/out" "link-only"
expect_in "$T/out" "https://example.com/blog/pebble-login-outage"
expect_in "$T/r/similarity.csv" "^1,renamed.md,copy,"
expect_in "$T/r/similarity.csv" "^1,reordered.md,copy,"
expect_in "$T/r/similarity.csv" "^1,plain-headings.md,copy,"
expect_in "$T/r/similarity.csv" "^,honest-a.md,ok,"
expect_in "$T/r/similarity.csv" "^,task.md,task-text,"
expect_in "$T/r/similarity.csv" "^,link.md,link-only,.*https://example.com/blog/pebble-login-outage"

# JSON: the same findings, parseable
expect_status 1 "$G" similar --known "$K" -o "$T/r" --format json original.md renamed.md link.md
if command -v python3 >/dev/null; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["groups"][0]["posts"]==["original.md","renamed.md"]; assert d["posts"][2]["status"]=="link-only"; assert len(d["posts"][1]["passages"])>=1; assert d["posts"][1]["passages"][0]["other"]=="original.md"' "$T/out" ||
        fail "JSON output"
fi
expect_in "$T/out" '"status":"copy"'

# a failed run leaves the previous CSV in place
cp "$T/r/similarity.csv" "$T/before.csv"
expect_status 2 "$G" similar -o "$T/r" original.md missing.md
cmp -s "$T/r/similarity.csv" "$T/before.csv" || fail "similarity.csv changed by a failed run"

# a file name that looks like a formula is neutralised in the CSV
cp original.md "$T/=cmd.md"
cd "$T" || fail "no temp"
expect_status 1 "$G" similar -o "$T/r" "=cmd.md" "$F/renamed.md"
expect_in "$T/r/similarity.csv" "'=cmd.md"

# --roster: not yet (needs fetch); says so
expect_status 2 "$G" similar --roster roster.csv
expect_in "$T/err" "not available yet"
