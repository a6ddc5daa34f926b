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

# --roster: a small cohort fetched with grader fetch, compared as grader
# grade reads it; then grade shows the same findings in its gradebook.
expect_status 2 "$G" similar --submissions "$T/subs" "$F/original.md"
expect_in "$T/err" "go with --roster"
expect_status 2 "$G" similar --roster "$T/nope.csv"
expect_in "$T/err" "nope.csv"
command -v git >/dev/null || { echo "git not installed: skipping --roster"; exit 0; }
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=s GIT_AUTHOR_EMAIL=s@example.invalid
export GIT_COMMITTER_NAME=s GIT_COMMITTER_EMAIL=s@example.invalid
C="$T/cohort"
mkdir -p "$C/students"
printf 'id,name,repo\n' >"$C/roster.csv"
# student ID FIXTURE: a repository whose Blog_Post.md is that fixture ("" none)
student() {
    git init -q -b main "$C/students/$1"
    echo "# repo" >"$C/students/$1/README.md"
    [ -z "$2" ] || cp "$F/$2" "$C/students/$1/Blog_Post.md"
    git -C "$C/students/$1" add -A
    git -C "$C/students/$1" commit -q -m post
    printf '%s,%s,%s\n' "$1" "Student $1" "$C/students/$1" >>"$C/roster.csv"
}
student ann original.md
student bob renamed.md
student cat link.md
student dan task.md
student eve honest-a.md
student fay ""
student gil reordered.md
cd "$C" || fail "cd"
expect_status 2 "$G" similar --roster roster.csv
expect_in "$T/err" "grader fetch"
"$G" fetch --roster roster.csv -j 2 >/dev/null 2>&1
[ -f submissions/manifest.csv ] || fail "the fetch wrote no manifest"
expect_status 1 "$G" similar --roster roster.csv --known "$K" -o "$T/ro"
expect_in "$T/out" "6 of 7 students have a post"
expect_in "$T/out" "group 1: 3 posts"
R="$T/ro/similarity.csv"
expect_in "$R" "^1,ann,copy,"
expect_in "$R" "^1,bob,copy,"
expect_in "$R" "^1,gil,copy,"
expect_in "$R" "^,cat,link-only,.*https://example.com/blog/pebble-login-outage"
expect_in "$R" "^,dan,task-text,"
expect_in "$R" "^,eve,ok,"
expect_not_in "$R" ",fay,"
# the same as FILE mode on the same posts
mkdir "$T/files"
for s in ann bob cat dan eve gil; do git -C "students/$s" show HEAD:Blog_Post.md >"$T/files/$s"; done
(cd "$T/files" && "$G" similar --known "$K" -o "$T/fo" ann bob cat dan eve gil >/dev/null)
cmp -s "$R" "$T/fo/similarity.csv" || fail "--roster and FILE mode differ"
# another submissions folder
mv submissions "$T/elsewhere"
expect_status 1 "$G" similar --roster roster.csv --known "$K" --submissions "$T/elsewhere" -o "$T/ro2"
cmp -s "$R" "$T/ro2/similarity.csv" || fail "--submissions read other posts"

# grade: the same findings as gradebook columns, statuses and feedback
expect_status 1 "$G" grade --roster roster.csv --known "$K" --submissions "$T/elsewhere" -o "$T/g"
cmp -s "$R" "$T/g/similarity.csv" || fail "grade's similarity.csv differs from grader similar's"
expect_in "$T/out" "similarity: 1 copy group (3 students), 1 task-text, 1 link-only"
GB="$T/g/gradebook.csv"
grow() { grep "^$1," "$GB" | tr -d '\r'; }
grow cat | grep -q ',link-only,.*,,100,,,,,link-only,https://example.com/blog/pebble-login-outage$' ||
    fail "cat: $(grow cat)"
grow dan | grep -q ',ok,.*,[0-9]*,100,[0-9.]*,[a-z]*,,,task-text,$' || fail "dan: $(grow dan)"
grow bob | grep -q ',1,[01]\.[0-9][0-9],,$' || fail "bob: $(grow bob)"
grow fay | grep -q ',no-post,.*,0,100,0.0,no,,,,$' || fail "fay: $(grow fay)"
expect_in "$T/g/feedback/cat.md" "to be given by your instructor"
expect_in "$T/g/feedback/cat.md" "https://example.com/blog/pebble-login-outage"
expect_in "$T/g/feedback/dan.md" "assignment's own text"
expect_not_in "$T/g/feedback/bob.md" "ann"
sed -n '/<table id="attention">/,/<\/table>/p' "$T/g/summary.html" >"$T/att.html"
expect_in "$T/att.html" 'feedback/cat.md'
expect_in "$T/att.html" 'tag flag">link-only'
expect_in "$T/att.html" 'feedback/dan.md'
expect_in "$T/att.html" 'tag flag">task-text'
expect_in "$T/g/summary.html" 'id="group-1" data-members="3"'
