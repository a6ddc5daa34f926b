# grader fetch from the command line: help, usage errors, a roster error
# with its line, a local cohort, deterministic output whatever -j is.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$G" fetch --help
expect_in "$T/out" "usage: grader fetch"
expect_in "$T/out" "--deadline"
expect_in "$T/out" "--token-host"
expect_status 2 "$G" fetch
expect_in "$T/err" "--roster"
expect_status 2 "$G" fetch --roster x.csv --bogus
expect_in "$T/err" "unknown option"
expect_status 2 "$G" fetch --roster x.csv -j 0
expect_status 2 "$G" fetch --roster x.csv --deadline 2024-04-12T23:59
expect_in "$T/err" "time zone"
expect_status 2 "$G" fetch --roster "$T/missing.csv"
expect_in "$T/err" "missing.csv"

printf 'id,name,repo\nalice,A,/r/a\nbob,"B\nB",/r/b\n../evil,E,/r/e\n' >"$T/bad.csv"
expect_status 2 "$G" fetch --roster "$T/bad.csv" --into "$T/sub"
expect_in "$T/err" "bad.csv:5: "
expect_in "$T/err" "may not start with '.'"
[ ! -e "$T/sub/manifest.csv" ] || fail "a bad roster wrote a manifest"

command -v git >/dev/null || { echo "git not installed: skipping the cohort run"; exit 0; }
export GIT_CONFIG_NOSYSTEM=1 HOME="$T" GIT_AUTHOR_NAME=s GIT_AUTHOR_EMAIL=s@x \
    GIT_COMMITTER_NAME=s GIT_COMMITTER_EMAIL=s@x
printf 'id,repo\n' >"$T/roster.csv"
for s in ann ben cat dan eve; do
    git init -q -b main "$T/src/$s" || fail "git init"
    mkdir -p "$T/src/$s/0x19-postmortem"
    [ "$s" = dan ] || echo "# $s" >"$T/src/$s/0x19-postmortem/Blog_Post.md"
    [ "$s" = dan ] && echo x >"$T/src/$s/README.md"
    (cd "$T/src/$s" && git add -A && git commit -qm post) || fail "git commit"
    printf '%s,file://%s\n' "$s" "$T/src/$s" >>"$T/roster.csv"
done
cd "$T"

# all ok but dan: exit 1, the problem and the summary on stdout, no
# progress line (stderr is not a terminal)
expect_status 1 "$G" fetch --roster roster.csv --path 0x19-postmortem/Blog_Post.md -j 1
expect_in "$T/out" "^dan  *no-post"
expect_in "$T/out" "5 students: 4 ok"
expect_not_in "$T/out" "^ann "
[ ! -s "$T/err" ] || { cat "$T/err"; fail "stderr not empty"; }
cp "$T/out" "$T/out-j1"
expect_in submissions/manifest.csv "^ann,file://.*,ok,[0-9a-f]\{40\},"
[ -d submissions/ann.git ] && [ ! -e submissions/ann.git/0x19-postmortem ] || fail "not bare"

# same output with 8 workers, from scratch; -v lists everyone in roster order
rm -rf submissions
expect_status 1 "$G" fetch --roster roster.csv --path 0x19-postmortem/Blog_Post.md -j 8
cmp -s "$T/out" "$T/out-j1" || { diff "$T/out-j1" "$T/out"; fail "output depends on -j"; }
expect_status 1 "$G" fetch --roster roster.csv --path 0x19-postmortem/Blog_Post.md -v
[ "$(awk 'NF && $1 != "manifest:" {print $1}' "$T/out" | head -5 | tr '\n' ' ')" = "ann ben cat dan eve " ] ||
    { cat "$T/out"; fail "-v does not list students in roster order"; }

# the post's path from the rubric's document: (the bundled one says Blog_Post.md)
sed 's|^document:.*|document: 0x19-postmortem/Blog_Post.md|' "$SRC/rubrics/postmortem.yml" >my.yml
expect_status 1 "$G" fetch --roster roster.csv --rubric my.yml --into sub-rubric
expect_in "$T/out" "5 students: 4 ok"
expect_status 1 "$G" fetch --roster roster.csv --into sub-default
expect_in "$T/out" "5 students: 0 ok"
expect_in "$T/out" "no-post *5"

# a GitHub Classroom export, URLs from a template
printf '"identifier","github_username","github_id","name"\n' >classroom.csv
printf '"s1@uni.edu","ann","1","Ann"\n"s2@uni.edu","","","Not Linked"\n' >>classroom.csv
expect_status 1 "$G" fetch --roster classroom.csv --repo-template "file://$T/src/{github}" \
    --path 0x19-postmortem/Blog_Post.md --into sub-classroom -v
expect_in "$T/out" "^s1@uni.edu  *ok"
expect_in "$T/out" "^s2@uni.edu  *no-repo"
expect_in sub-classroom/manifest.csv "^s1@uni.edu,file://$T/src/ann,ok,"

# -q: nothing on stdout; all fixed: exit 0
(cd "$T/src/dan" && mkdir -p 0x19-postmortem && echo "# dan" >0x19-postmortem/Blog_Post.md &&
    git add -A && git commit -qm fix) || fail "git commit"
expect_status 0 "$G" fetch --roster roster.csv --path 0x19-postmortem/Blog_Post.md -q
[ ! -s "$T/out" ] || fail "-q printed on stdout"
expect_in submissions/manifest.csv "^dan,.*,ok,"
exit 0
