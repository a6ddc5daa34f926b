# grader grade from the command line on the demo cohort: usage errors, every
# status in the gradebook, formula and HTML neutralised, feedback for every
# student, JSON, an LMS file, re-grading with another rubric without a
# re-fetch, a run killed mid-way leaves the old gradebook byte-identical, and
# summary.html rendered in a real headless browser.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$G" grade --help
expect_in "$T/out" "usage: grader grade"
expect_in "$T/out" "--lms canvas|moodle"
expect_status 2 "$G" grade
expect_in "$T/err" "--roster"
expect_status 2 "$G" grade --roster x.csv --bogus
expect_in "$T/err" "unknown option"
expect_status 2 "$G" grade --roster x.csv --lms blackboard
expect_in "$T/err" "canvas or moodle"
expect_status 2 "$G" grade --roster x.csv --format xml
expect_status 2 "$G" grade --roster x.csv extra
expect_status 2 "$G" grade --roster "$T/missing.csv"
expect_in "$T/err" "missing.csv"
printf 'id,name,repo\nann,Ann,/nowhere\n' >"$T/r.csv"
expect_status 2 "$G" grade --roster "$T/r.csv" --submissions "$T/none" -o "$T/rep"
expect_in "$T/err" "grader fetch"
[ ! -e "$T/rep/gradebook.csv" ] || fail "a run with no manifest wrote a gradebook"

command -v git >/dev/null || { echo "git not installed: skipping the cohort run"; exit 0; }
DEMO_DIR="$T/demo" sh "$SRC/tests/demo.sh" "$G" >"$T/demo.out" 2>&1 || {
    cat "$T/demo.out" >&2
    fail "the demo did not run"
}
expect_in "$T/demo.out" "summary.html"
D="$T/demo"
B="$D/reports/gradebook.csv"
[ -f "$B" ] || fail "no gradebook"

# Header, roster order, every student, each status where expected.
head -1 "$B" | tr -d '\r' | grep -q '^id,name,github,repository,status,commit,commit_time,late,path,title,.*,score,max,percent,passed,copy_group,copy_share,flags,links$' ||
    fail "gradebook header: $(head -1 "$B")"
[ "$(cut -d, -f1 "$B" | tr -d '\r' | tail -n +2 | tr '\n' ' ')" = "ada ben cyd dev eli fay gus hal ivy jon kim lee " ] ||
    fail "gradebook not in roster order: $(cut -d, -f1 "$B" | tr '\n' ' ')"
row() { grep "^$1," "$B" | tr -d '\r'; }
row ada | grep -q ',ok,[0-9a-f]\{40\},2026-03-04T18:30:00Z,no,.*,yes,[0-9][0-9]*,1.00,,$' || fail "ada: $(row ada)"
row ben | grep -q ',ok,.*,[0-9.]*,no,,,,$' || fail "ben should be graded and fail: $(row ben)"
row eli | grep -q ',no-post,.*,0,100,0.0,no,,,,$' || fail "eli: $(row eli)"
row fay | grep -q ',ok,.*,yes,' || fail "fay should be late: $(row fay)"
row gus | grep -q ',post-is-symlink,.*,0,100,0.0,no,,,,$' || fail "gus: $(row gus)"
row ivy | grep -q ',no-repo,.*,0,100,0.0,no,,,,$' || fail "ivy: $(row ivy)"
row jon | grep -q ',empty-repo,.*,0,100,0.0,no,,,,$' || fail "jon: $(row jon)"
[ "$(row ada | cut -d, -f10-)" = "$(row hal | cut -d, -f10-)" ] || fail "a copy scored differently"
# hal copied ada: the two are one copy group, in the gradebook and
# similarity.csv; ben wrote his own.
ada_group=$(row ada | awk -F, '{print $(NF-3)}')
[ -n "$ada_group" ] || fail "ada is in no copy group: $(row ada)"
[ "$(row hal | awk -F, '{print $(NF-3)}')" = "$ada_group" ] || fail "hal not in ada's group: $(row hal)"
[ -z "$(row ben | awk -F, '{print $(NF-3)}')" ] || fail "ben grouped: $(row ben)"
S="$D/reports/similarity.csv"
head -1 "$S" | grep -q '^group,post,status,share,known_share,format_share,longest_lines,other_post,other_lines,links' ||
    fail "similarity.csv header: $(head -1 "$S")"
grep -q "^$ada_group,ada,copy,1.00,.*,hal," "$S" || fail "similarity.csv: ada: $(grep ',ada,' "$S")"
grep -q "^$ada_group,hal,copy,1.00,.*,ada," "$S" || fail "similarity.csv: hal: $(grep ',hal,' "$S")"
grep -q '^,ben,ok,' "$S" || fail "similarity.csv: ben"
! grep -q ',eli,' "$S" || fail "a student without a post was compared"
# The formula-like name is neutralised, the HTML one kept as text.
grep -q "^kim,\"'=HYPERLINK" "$B" || fail "formula not neutralised: $(row kim)"
grep -q '^lee,"<b>Lee</b> & Zoë ""Co""",' "$B" || fail "lee's name: $(row lee)"
# The late student's graded commit is the draft before the deadline.
fay_commit=$(row fay | cut -d, -f6)
[ "$(git -C "$D/students/fay" log -1 --format=%H HEAD~1)" = "$fay_commit" ] ||
    fail "fay: graded $fay_commit, not the commit before the deadline"

# Feedback for every student, for the student.
for s in ada ben cyd dev eli fay gus hal ivy jon kim lee; do
    [ -s "$D/reports/feedback/$s.md" ] || fail "no feedback for $s"
done
expect_in "$D/reports/feedback/fay.md" "Late"
expect_in "$D/reports/feedback/ben.md" "To improve"
expect_in "$D/reports/feedback/ben.md" "Hint: "
expect_in "$D/reports/feedback/gus.md" "symbolic link"
expect_in "$D/reports/feedback/eli.md" "not found at the expected path"
expect_in "$D/reports/canvas.csv" "Points Possible"

# Re-grade with another rubric: no re-fetch (the manifest is untouched).
cp "$D/submissions/manifest.csv" "$T/manifest.before"
cat >"$T/tiny.yml" <<'EOF'
rubric: Tiny
document: Blog_Post.md
pass: 50
sections:
  summary: [Issue Summary, Summary]
criteria:
  - id: has-title
    description: A title
    points: 1
    check: title
    hint: Add a title.
  - id: has-summary
    description: A summary
    points: 1
    check: section
    section: summary
    hint: Add an Issue Summary.
EOF
cd "$D" || fail "cd"
expect_status 1 "$G" grade --roster roster.csv --rubric "$T/tiny.yml" -o "$T/tiny" --lms moodle -q
cmp -s "$T/manifest.before" submissions/manifest.csv || fail "re-grading rewrote the manifest"
head -1 "$T/tiny/gradebook.csv" | grep -q ',late,path,has-title,has-summary,score,max,percent,passed,copy_group,copy_share,flags,links' ||
    fail "tiny rubric header: $(head -1 "$T/tiny/gradebook.csv")"
grep -q '^ada,.*,1,1,2,2,100.0,yes' "$T/tiny/gradebook.csv" || fail "ada with the tiny rubric"
expect_in "$T/tiny/moodle.csv" "ID number"

# --no-similar: same scores, empty similarity columns, no stale similarity.csv.
cp -r reports "$T/nosim"
expect_status 1 "$G" grade --roster roster.csv -o "$T/nosim" --no-similar -q
[ ! -e "$T/nosim/similarity.csv" ] || fail "--no-similar left a similarity.csv"
grep '^ada,' "$T/nosim/gradebook.csv" | tr -d '\r' | grep -q ',yes,,,,$' || fail "--no-similar: $(grep '^ada,' "$T/nosim/gradebook.csv")"
[ "$(cut -d, -f1-35 "$T/nosim/gradebook.csv" | tail -n +2)" = "$(cut -d, -f1-35 reports/gradebook.csv | tail -n +2)" ] ||
    fail "--no-similar changed the scores"
expect_in "$T/nosim/summary.html" "Not checked"
expect_status 2 "$G" grade --roster roster.csv -o "$T/x" --known "$T/none" -q
expect_in "$T/err" "none"
[ ! -e "$T/x/gradebook.csv" ] || fail "a bad --known wrote a gradebook"
expect_status 2 "$G" grade --roster roster.csv -o "$T/x" --threshold 0 -q
expect_in "$T/err" "threshold"
# A threshold of 1 keeps only whole copies: ada and hal (hal's post is ada's)
# stay grouped.
expect_status 1 "$G" grade --roster roster.csv -o "$T/t1" --threshold 1 -q
[ -n "$(grep '^hal,' "$T/t1/gradebook.csv" | awk -F, '{print $(NF-3)}')" ] || fail "threshold 1 lost hal"

# --fetch: fetch and grade in one step, the same gradebook.
expect_status 1 "$G" grade --roster roster.csv --fetch --submissions "$T/subs2" \
    --deadline 2026-03-05T23:59:00Z -o "$T/fetched" -q
[ -f "$T/subs2/manifest.csv" ] || fail "grade --fetch wrote no manifest"
cmp -s "$T/fetched/gradebook.csv" reports/gradebook.csv || fail "grade --fetch graded differently"
cmp -s "$T/fetched/similarity.csv" reports/similarity.csv || fail "grade --fetch compared differently"

# A student added to the roster after the fetch: in the gradebook, not fetched.
cp roster.csv "$T/roster2.csv"
printf 'zed,Zed Late,zedl,%s\n' "$D/students/zed" >>"$T/roster2.csv"
expect_status 1 "$G" grade --roster "$T/roster2.csv" -o "$T/added" -q
tail -1 "$T/added/gradebook.csv" | grep -q '^zed,Zed Late,.*,not-fetched,.*,0,100,0.0,no' ||
    fail "an unfetched student: $(tail -1 "$T/added/gradebook.csv")"
expect_in "$T/added/feedback/zed.md" "not been collected"

# JSON: the whole result, valid.
expect_status 1 "$G" grade --roster roster.csv -o "$T/json" --format json
expect_in "$T/out" '"status":"post-is-symlink"'
expect_in "$T/out" '"copy_group":[1-9]'
if command -v python3 >/dev/null; then
    python3 -m json.tool "$T/out" >/dev/null || fail "--format json is not valid JSON"
fi

# A run killed mid-way (file size limit: SIGXFSZ) and one whose writes fail
# (EFBIG) leave the previous gradebook byte-identical.
cp reports/gradebook.csv "$T/gb.before"
(ulimit -f 2 && exec "$G" grade --roster roster.csv --rubric "$T/tiny.yml" -q) >/dev/null 2>&1 &&
    fail "grade succeeded despite the file size limit"
cmp -s "$T/gb.before" reports/gradebook.csv || fail "a killed run changed the gradebook"
(trap '' XFSZ && ulimit -f 2 && exec "$G" grade --roster roster.csv --rubric "$T/tiny.yml" \
    -q) >"$T/out" 2>"$T/err"
[ $? -eq 3 ] || fail "a failed write should exit 3"
expect_in "$T/err" "grader grade: "
cmp -s "$T/gb.before" reports/gradebook.csv || fail "a failed write changed the gradebook"

# The summary in a real browser.
H="$D/reports/summary.html"
expect_not_in "$H" 'src="http'
expect_not_in "$H" '<link'
expect_not_in "$H" '<script'
if ! command -v chromium >/dev/null 2>&1; then
    echo "SKIP browser test: chromium is not installed and could not be (make deps-browser)"
    exit 0
fi
U=$(mktemp -d "$T/chromium-XXXXXX")
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$U" --dump-dom "file://$H" >"$T/dom.html" 2>"$T/chromium.err" || {
    tail -5 "$T/chromium.err" >&2
    fail "chromium could not render summary.html"
}
dom="$T/dom.html"
grep -q '<b id="cohort">12</b>' "$dom" || fail "cohort size not shown as 12"
grep -q '<b id="submitted">8</b>' "$dom" || fail "submitted not shown as 8"
grep -q '<b id="missing">4</b>' "$dom" || fail "nothing-to-grade not shown as 4"
grep -q '<b id="late">1</b>' "$dom" || fail "late not shown as 1"
[ "$(grep -o '<rect class="bar"' "$dom" | wc -l)" -eq 10 ] || fail "histogram should have 10 bars"
# The bars' counts add up to the submitted students.
total=$(grep -o 'class="bar" data-bin="[0-9]*" data-count="[0-9]*"' "$dom" |
    sed 's/.*data-count="//; s/"//' | awk '{s += $1} END {print s}')
[ "$total" -eq 8 ] || fail "histogram counts add up to $total, not 8"
[ "$(grep -o '<rect class="crit"' "$dom" | wc -l)" -eq "$(head -1 "$B" | tr ',' '\n' | sed -n '10,$p' | tr -d '\r' | grep -vcx -e score -e max -e percent -e passed -e copy_group -e copy_share -e flags -e links)" ] ||
    fail "one pass-rate bar per criterion"
# The hostile name is text, not markup; attention rows link to feedback.
grep -q '&lt;b&gt;Lee&lt;/b&gt; &amp; Zoë "Co"' "$dom" || grep -q '&lt;b&gt;Lee&lt;/b&gt; &amp; Zoë &quot;Co&quot;' "$dom" ||
    fail "lee's name not escaped in the rendered page"
! grep -q '<b>Lee</b>' "$dom" || fail "lee's name became markup"
sed -n '/<table id="attention">/,/<\/table>/p' "$dom" >"$T/attention.html"
for s in ben cyd eli fay gus ivy jon lee; do
    grep -q "href=\"feedback/$s.md\"" "$T/attention.html" || fail "$s not listed as needing attention"
done
! grep -q 'href="feedback/ada.md"' "$T/attention.html" || fail "ada passed on time: no attention needed"
# The copy group: both students, linked to their feedback, each one's
# shared passage marked side by side.
awk -v g="group-$ada_group" 'index($0, "id=\"" g "\"") {on = 1} on && /^<div class="group" / && !index($0, g) {on = 0} on' \
    "$dom" >"$T/group.html"
[ -s "$T/group.html" ] || fail "the copy group of ada and hal is not on the page"
grep -q 'href="feedback/ada.md">Ada Lovelace</a>' "$T/group.html" || fail "ada not shown in her copy group"
grep -q 'href="feedback/hal.md">Hal Abelson</a>' "$T/group.html" || fail "hal not shown in ada's copy group"
grep -q '<h4>Ada Lovelace, lines' "$T/group.html" && grep -q '<h4>Hal Abelson, lines' "$T/group.html" ||
    fail "the shared passages are not shown side by side"
[ "$(grep -c '<mark>' "$T/group.html")" -ge 2 ] || fail "the shared passages are not marked"
grep -q '<b id="copied">[1-9]' "$dom" || fail "the copy groups card"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$U" --window-size=1100,1400 --screenshot="$T/summary.png" "file://$H" \
    >/dev/null 2>&1 || fail "chromium could not take a screenshot"
[ "$(head -c 8 "$T/summary.png" | od -An -c | tr -d ' ')" = "211PNG\r\n032\n" ] ||
    fail "the screenshot is not a PNG"
[ "$(wc -c <"$T/summary.png")" -gt 20000 ] || fail "the screenshot looks blank"
exit 0
