# The real-cohort walk-through in one command: students keep the post in
# 0x19-postmortem/, some as Blog_Post.md, others as the folder's README.md,
# postmortem.md, Postmortem.md, blog_post.md or a descriptive name; some
# README.md files are only the assignment's text or only a link.
#   grader grade --roster R --fetch --path 0x19-postmortem/Blog_Post.md
# grades every real post, flags the misnamed ones with their path, never
# takes the task text or the link for a post; --misnamed zero and grade;
# grade --fetch parses the options of fetch.
. "$(dirname "$0")/lib.sh"
command -v git >/dev/null || { echo "SKIP: git not installed"; exit 0; }
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME="$T" \
    GIT_AUTHOR_NAME=s GIT_AUTHOR_EMAIL=s@x GIT_COMMITTER_NAME=s GIT_COMMITTER_EMAIL=s@x
F=$SRC/tests/fixtures
P=0x19-postmortem

# student ID FILE:FIXTURE...: a repository with the usual other folders and
# each FIXTURE committed as 0x19-postmortem/FILE.
printf 'id,name,repo\n' >"$T/roster.csv"
student() {
    id=$1; shift
    r="$T/students/$id"
    git init -q -b main "$r" || fail "git init"
    mkdir -p "$r/$P" "$r/0x0A-configuration_management"
    printf '# alx-system_engineering-devops\n' >"$r/README.md"
    printf '# 0x0A. Configuration management\n' >"$r/0x0A-configuration_management/README.md"
    for spec; do cp "$F/${spec#*:}" "$r/$P/${spec%%:*}" || fail "fixture $spec"; done
    git -C "$r" add -A && git -C "$r" commit -qm work || fail "git commit"
    printf '%s,%s,file://%s\n' "$id" "$id" "$r" >>"$T/roster.csv"
}
student ann Blog_Post.md:demo/excellent.md README.md:misnamed/folder-readme.md
student ben README.md:demo/dns.md
student cat postmortem.md:demo/queue.md
student dan blog_post.md:demo/final.md
student eve README.md:similar/task.md
student fay README.md:similar/link.md
student gus README.md:misnamed/folder-readme.md "My outage story.md:misnamed/cache-outage.md"
student hal Postmortem.md:demo/bold-headings.md
student ivy notes.txt:demo/weak.md
cd "$T" || fail "cd"

# One command: fetch with the options of fetch, then grade.
expect_status 1 "$G" grade --roster roster.csv --fetch --path "$P/Blog_Post.md" -j 3 \
    --timeout 60 --retries 0 --max-size 200000 --into subs -o rep
B=rep/gradebook.csv
row() { grep "^$1," "$B" | tr -d '\r'; }
col() { head -1 "$B" | tr -d '\r' | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
cell() { row "$1" | awk -F, -v c="$(col "$2")" '{print $c}'; }
# every real post graded, at the path it was found at
for s in ann ben cat dan gus hal; do
    [ "$(cell $s status)" = ok ] || fail "$s not graded: $(row $s)"
    [ "$(cell $s score)" -gt 40 ] || fail "$s scored $(cell $s score): $(row $s)"
done
[ "$(cell ann path)" = "$P/Blog_Post.md" ] || fail "ann: $(row ann)"
[ "$(cell ben path)" = "$P/README.md" ] || fail "ben: $(row ben)"
[ "$(cell cat path)" = "$P/postmortem.md" ] || fail "cat: $(row cat)"
[ "$(cell dan path)" = "$P/blog_post.md" ] || fail "dan: $(row dan)"
[ "$(cell gus path)" = "$P/My outage story.md" ] || fail "gus: $(row gus)"
[ "$(cell hal path)" = "$P/Postmortem.md" ] || fail "hal: $(row hal)"
# the misnamed ones flagged; the exact name and a case variant are not
for s in ben cat gus hal; do
    cell $s flags | grep -qw misnamed || fail "$s not flagged misnamed: $(row $s)"
done
for s in ann dan; do
    ! cell $s flags | grep -qw misnamed || fail "$s flagged misnamed: $(row $s)"
done
# the task text and the link are not graded as a post; notes.txt is not Markdown
for s in eve fay ivy; do
    [ "$(cell $s status)" = no-post ] || fail "$s: $(row $s)"
    [ -z "$(cell $s title)" ] || fail "$s was scored: $(row $s)"
done
M=subs/manifest.csv
grep "^eve," $M | grep -q "README.md (the assignment's own text)" || fail "eve: $(grep '^eve,' $M)"
grep "^fay," $M | grep -q "README.md (only a link)" || fail "fay: $(grep '^fay,' $M)"
grep "^ben," $M | tr -d '\r' | grep -q ",$P/README.md,.*misnamed: .*,yes$" || fail "manifest ben: $(grep '^ben,' $M)"
grep "^ann," $M | tr -d '\r' | grep -q ',no$' || fail "manifest ann: $(grep '^ann,' $M)"
# the instructor sees it on stdout and the summary page, the student in the feedback
expect_in "$T/out" "^ben .*misnamed: graded $P/README.md"
expect_in rep/summary.html 'misnamed'
expect_in rep/feedback/ben.md "Misnamed:"
expect_in rep/feedback/ben.md "found it as \`$P/README.md\`"
expect_not_in rep/feedback/ann.md "Misnamed"
expect_in rep/feedback/eve.md "assignment's own text"

# --misnamed zero: the misnamed ones are not graded; grade: graded, not flagged
cp $M "$T/manifest.before"
expect_status 1 "$G" grade --roster roster.csv --into subs -o zero --misnamed zero -q
cmp -s $M "$T/manifest.before" || fail "re-grading rewrote the manifest"
grep '^ben,' zero/gradebook.csv | grep -q ',misnamed,.*,0,100,0.0,no,' || fail "zero: $(grep '^ben,' zero/gradebook.csv)"
grep '^ann,' zero/gradebook.csv | grep -q ',ok,' || fail "zero: ann"
expect_in zero/feedback/ben.md "Rename it"
expect_status 1 "$G" grade --roster roster.csv --submissions subs -o asis --misnamed grade -q
grep '^ben,' asis/gradebook.csv | grep -q ',ok,' || fail "grade: ben"
! grep '^ben,' asis/gradebook.csv | grep -q 'misnamed' || fail "grade: ben still flagged"
expect_status 2 "$G" grade --roster roster.csv --misnamed maybe
expect_in "$T/err" "grade, flag or zero"

# one parser: a bad fetch option fails grade --fetch the way it fails fetch
for cmd in fetch "grade --fetch"; do
    expect_status 2 "$G" $cmd --roster roster.csv --timeout soon
    expect_in "$T/err" "timeout takes a number from 0 to 86400, not 'soon'"
    expect_status 2 "$G" $cmd --roster roster.csv --max-size 0
    expect_in "$T/err" "max-size takes a number"
done
expect_status 1 "$G" grade --roster roster.csv --fetch --path "$P/Blog_Post.md" --into subs4 -o rep4 --token-host git.example.edu -q
grep "^ben," rep4/gradebook.csv | grep -q misnamed || fail "--token-host run: $(grep "^ben," rep4/gradebook.csv)"
expect_status 1 "$G" grade --roster roster.csv --into subs -o rep2 --timeout 5
expect_in "$T/err" "note: --timeout only matters with --fetch"
expect_status 0 "$G" grade --help
for o in --path --deadline --timeout --retries --max-size --jobs --into --repo-template --token-host --misnamed; do
    expect_in "$T/out" "$o"
done
# grader fetch alone finds the same posts
expect_status 1 "$G" fetch --roster roster.csv --path "$P/Blog_Post.md" --into subs2
expect_in "$T/out" "4 misnamed"
[ "$(cut -d, -f1,3,8 subs2/manifest.csv)" = "$(cut -d, -f1,3,8 $M)" ] || fail "fetch and grade --fetch differ"
# the self-check warns a student whose post is found only under another name
expect_status 0 "$G" check --repo students/ben "$P/Blog_Post.md"
expect_in "$T/err" "warning: $P/Blog_Post.md is not committed at HEAD; the grader will only find your post under another name, $P/README.md, and flag it misnamed"
expect_in "$T/err" "git mv '$P/README.md' '$P/Blog_Post.md'"
expect_in "$T/out" "students/ben/$P/README.md: Postmortem rubric"
expect_status 0 "$G" check --repo students/ann "$P/Blog_Post.md"
expect_not_in "$T/err" "misnamed"
expect_status 2 "$G" check --repo students/eve "$P/Blog_Post.md"
expect_in "$T/err" "README.md (the assignment's own text)"

# a rubric that names the README as an alternative: ben's is no longer misnamed
sed 's|^document:.*|document:\n  path: 0x19-postmortem/Blog_Post.md\n  alternatives: [README.md]\n  search: false|' \
    "$SRC/rubrics/postmortem.yml" >alt.yml
expect_status 1 "$G" grade --roster roster.csv --fetch --rubric alt.yml --into subs3 -o rep3 -q
[ "$(grep '^ben,' subs3/manifest.csv | tr -d '\r' | awk -F, '{print $3, $NF}')" = "ok no" ] ||
    fail "alternative: $(grep '^ben,' subs3/manifest.csv)"
grep '^cat,' subs3/manifest.csv | grep -q ',no-post,' || fail "search: false still searched: $(grep '^cat,' subs3/manifest.csv)"
grep '^fay,' subs3/manifest.csv | grep -q ',no-post,' || fail "a link-only README taken as an alternative"
exit 0
