#!/bin/sh
# grader check end to end: options, exit codes, bad input, JSON, colour,
# rubric errors, --repo on a repository made here, several files.
. "$(dirname "$0")/lib.sh"

FIX=$SRC/tests/fixtures/check
GOOD=$FIX/excellent.md
WEAK=$FIX/weak.md
RUBRIC=$SRC/rubrics/postmortem.yml
# the tests must not depend on the caller's environment
unset GRADER_RUBRIC NO_COLOR
ESC=$(printf '\033')

# ---- help, usage ----------------------------------------------------------
expect_status 0 "$G" check --help
expect_in "$T/out" "usage: grader check"
expect_in "$T/out" "--rubric"
[ -s "$T/err" ] && fail "--help wrote to stderr"
expect_status 0 "$G" help check
expect_in "$T/out" "usage: grader check"

expect_status 2 "$G" check --bogus "$GOOD"
expect_in "$T/err" "unknown option '--bogus'"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "usage error is not one line"
expect_status 2 "$G" check --format xml "$GOOD"
expect_in "$T/err" "--format takes text, json, github, sarif or markdown"
expect_status 2 "$G" check --color=sometimes "$GOOD"
expect_in "$T/err" "--color takes auto, always or never"
expect_status 2 "$G" check --rubric
expect_in "$T/err" "grader check:"

# ---- passing and weak posts -------------------------------------------------
expect_status 0 "$G" check --rubric "$RUBRIC" "$GOOD"
expect_in "$T/out" "score: 105/100"
expect_in "$T/out" "PASS"
expect_not_in "$T/out" "$ESC" # not a terminal: no colour
expect_status 1 "$G" check --rubric "$RUBRIC" "$WEAK"
expect_in "$T/out" "BELOW THE PASS MARK"
# compiler-style diagnostics with the hint
expect_in "$T/out" "$WEAK:1:1: timeline: no \"Timeline\" section (5 pts)"
expect_in "$T/out" "    hint: "
expect_in "$T/out" "image: 0 images, 1 needed (5 pts, bonus)"

# the default rubric is found next to the binary, without GRADER_RUBRIC
expect_status 0 "$G" check "$GOOD"
expect_in "$T/out" "rubrics/postmortem.yml"
# and GRADER_RUBRIC names another one
printf 'rubric: Tiny\ndocument: post.md\npass: 50\ncriteria:\n  - {id: t, points: 1, check: title, description: d, hint: h}\n' >"$T/tiny.yml"
GRADER_RUBRIC=$T/tiny.yml expect_status 0 "$G" check "$WEAK"
expect_in "$T/out" "Tiny rubric"
expect_in "$T/out" "score: 1/1"

# default file: the rubric's document in the current directory
mkdir "$T/cwd"
cp "$GOOD" "$T/cwd/Blog_Post.md"
(cd "$T/cwd" && "$G" check -q) >"$T/out" 2>"$T/err" || fail "default Blog_Post.md: exit $?"
expect_in "$T/out" "^Blog_Post.md: 105/100 (105%) PASS$"
(cd "$T" && "$G" check) >"$T/out" 2>"$T/err" && fail "no Blog_Post.md should fail"
expect_in "$T/err" "Blog_Post.md: cannot open"

# ---- several files in one run ---------------------------------------------------
expect_status 1 "$G" check -q "$GOOD" "$WEAK" "$GOOD"
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "-q: expected one line per post"
expect_in "$T/out" "excellent.md: 105/100 (105%) PASS"
expect_in "$T/out" "weak.md: 3/100 (3%) BELOW"
expect_status 0 "$G" check -q "$GOOD" "$GOOD"
# an input error wins over a weak post, and the others are still scored
expect_status 2 "$G" check -q "$WEAK" "$T/missing.md" "$GOOD"
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "the readable posts should still be scored"
expect_in "$T/err" "missing.md: cannot open"

# ---- bad input --------------------------------------------------------------------
expect_status 2 "$G" check "$T/nope.md"
expect_in "$T/err" "^grader check: $T/nope.md: cannot open"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "missing file: not one line"
expect_status 2 "$G" check "$T"
expect_in "$T/err" "^grader check: $T: is a directory"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "directory: not one line"
# an empty post is scored (0 points) with a note, not refused
: >"$T/empty.md"
expect_status 1 "$G" check "$T/empty.md"
expect_in "$T/out" "$T/empty.md: note: the post is empty"
expect_in "$T/out" "score: 0/100"
# over 1 MiB: refused, naming the file
head -c 1048577 /dev/zero | tr '\0' 'a' >"$T/big.md"
expect_status 2 "$G" check "$T/big.md"
expect_in "$T/err" "^grader check: $T/big.md: .*over the 1048576-byte limit"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "big file: not one line"
# exactly 1 MiB is scored
head -c 1048576 /dev/zero | tr '\0' 'a' >"$T/cap.md"
expect_status 1 "$G" check -q "$T/cap.md"
# invalid UTF-8 and NUL bytes: scored, with notes
printf '# Title \377 here\n\n## Issue Summary\n\nab\000cd\n' >"$T/bytes.md"
expect_status 1 "$G" check "$T/bytes.md"
expect_in "$T/out" "note: line 1: 1 byte of invalid UTF-8 replaced"
expect_in "$T/out" "note: line 5: 1 NUL byte replaced"
# a FIFO is not a regular file (and must not block)
if mkfifo "$T/fifo" 2>/dev/null; then
    expect_status 2 "$G" check "$T/fifo"
    expect_in "$T/err" "fifo"
fi

# ---- JSON ------------------------------------------------------------------------------
expect_status 2 "$G" check --format json "$GOOD" "$WEAK" "$T/nope.md"
if command -v python3 >/dev/null 2>&1; then
    python3 - "$T/out" <<'EOF' || fail "JSON output is not what tools expect"
import json, sys
data = json.load(open(sys.argv[1]))
assert isinstance(data, list) and len(data) == 3, data
good, weak, missing = data
for k in ("file", "rubric", "points", "max", "bonus", "percent", "pass", "passed", "words",
          "criteria", "notes"):
    assert k in good, k
assert good["passed"] is True and good["points"] == 105 and good["max"] == 100, good
assert good["bonus"] == 5 and good["pass"] == 70
assert len(good["criteria"]) == 22
for c in good["criteria"]:
    for k in ("id", "met", "points", "max", "bonus", "line", "col", "message", "hint"):
        assert k in c, (k, c)
assert [c["id"] for c in good["criteria"] if c["bonus"]] == ["image"]
assert weak["passed"] is False and weak["points"] == 3
tl = next(c for c in weak["criteria"] if c["id"] == "timeline")
assert tl["met"] is False and tl["line"] == 1 and tl["hint"]
assert "error" in missing and "cannot open" in missing["error"], missing
EOF
else
    expect_in "$T/out" '"passed":true'
    expect_in "$T/out" '"id":"timeline-escalation"'
    expect_in "$T/out" '"error":'
fi
expect_status 0 "$G" check --format=json "$GOOD"
expect_not_in "$T/out" "$ESC"
# a file name that needs escaping
odd="$T/odd \"name\"	tab.md"
cp "$WEAK" "$odd"
expect_status 1 "$G" check --format json "$odd"
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["file"]==sys.argv[2], d[0]["file"]' \
        "$T/out" "$odd" || fail "a file name with quotes and a tab breaks the JSON"
else
    expect_in "$T/out" 'odd \\"name\\"\\ttab.md'
fi
# a report that cannot be written is an error, not a silent success
if [ -w /dev/full ]; then
    "$G" check "$GOOD" >/dev/full 2>"$T/err"; st=$?
    [ "$st" -eq 3 ] || fail "writing to a full disk exited $st, expected 3"
    expect_in "$T/err" "cannot write the report"
fi
expect_status 2 "$G" check --format json "$T/nope.md"
expect_in "$T/out" '"error":'

# ---- colour ------------------------------------------------------------------------------
expect_status 0 "$G" check --color=always "$GOOD"
expect_in "$T/out" "$ESC\\["
expect_status 0 "$G" check --color never "$GOOD"
expect_not_in "$T/out" "$ESC"
NO_COLOR=1 expect_status 0 "$G" check --color=always "$GOOD"
expect_in "$T/out" "$ESC\\[" # an explicit --color=always wins
# on a terminal: colour by default, none with NO_COLOR or --color=never
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
    script -qec "'$G' check '$GOOD'" /dev/null >"$T/tty" 2>&1 </dev/null
    expect_in "$T/tty" "$ESC\\["
    NO_COLOR=1 script -qec "'$G' check '$GOOD'" /dev/null >"$T/tty" 2>&1 </dev/null
    expect_not_in "$T/tty" "$ESC"
    script -qec "'$G' check --color=never '$GOOD'" /dev/null >"$T/tty" 2>&1 </dev/null
    expect_not_in "$T/tty" "$ESC"
fi

# ---- a bad rubric -------------------------------------------------------------------------
printf 'rubric: x\ndocument: a.md\npass: 70\ncriteria:\n  - id: t\n    points: 1\n    check: regex\n    description: d\n    hint: h\n' >"$T/bad.yml"
expect_status 2 "$G" check --rubric "$T/bad.yml" "$GOOD"
expect_in "$T/err" "^grader check: $T/bad.yml:7:12: unknown check kind 'regex'"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "bad rubric: not one line"
[ -s "$T/out" ] && fail "bad rubric: nothing should be scored"
printf 'rubric: [\n' >"$T/syntax.yml"
expect_status 2 "$G" check --rubric "$T/syntax.yml" "$GOOD"
expect_in "$T/err" "$T/syntax.yml:[0-9]*:[0-9]*: YAML syntax"
expect_status 2 "$G" check --rubric "$T/none.yml" "$GOOD"
expect_in "$T/err" "none.yml"

# ---- --repo ------------------------------------------------------------------------------
# the sanitizer build: ignore libgit2 1.5.1's own PCRE2 leak (tests/lsan.supp)
LSAN_OPTIONS="suppressions=$SRC/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
    GIT_COMMITTER_EMAIL=t@example.com GIT_CONFIG_NOSYSTEM=1 HOME=$T
R=$T/repo
git init -q -b main "$R" || fail "git init"
cp "$GOOD" "$R/Blog_Post.md"
git -C "$R" add Blog_Post.md && git -C "$R" commit -qm post || fail "git commit"
expect_status 0 "$G" check --repo "$R"
expect_in "$T/out" "score: 105/100"
expect_in "$T/err" "warning: branch main has no upstream"
expect_not_in "$T/err" "differs"
# the working copy is not what is graded: the committed version is
cp "$WEAK" "$R/Blog_Post.md"
expect_status 0 "$G" check --repo "$R"
expect_in "$T/out" "score: 105/100"
expect_in "$T/err" "warning: Blog_Post.md differs from the committed version"
# a working copy removed: still the commit
rm "$R/Blog_Post.md"
expect_status 0 "$G" check -q --repo "$R"
git -C "$R" checkout -q -- Blog_Post.md
# pushed to an upstream: no warning; a commit more: "ahead"
git init -q --bare "$T/remote.git"
git -C "$R" remote add origin "$T/remote.git"
git -C "$R" push -q -u origin main 2>/dev/null || fail "git push"
expect_status 0 "$G" check -q --repo "$R"
expect_not_in "$T/err" "warning"
echo "one more line" >>"$R/Blog_Post.md"
git -C "$R" commit -qam more
expect_status 0 "$G" check -q --repo "$R"
expect_in "$T/err" "HEAD is 1 commit ahead of origin/main"
# another path inside the repository
mkdir -p "$R/docs" && cp "$WEAK" "$R/docs/post.md"
git -C "$R" add docs && git -C "$R" commit -qm docs
expect_status 1 "$G" check -q --repo "$R" docs/post.md
expect_in "$T/out" "docs/post.md: 3/100"
# not committed, not a repository, no commit yet
# (a Markdown file of the same folder that reads like a post is what the
# grader would take instead: a warning, not an error)
expect_status 0 "$G" check -q --repo "$R" nothere.md
expect_in "$T/err" "only find your post under another name, Blog_Post.md"
expect_status 2 "$G" check --repo "$R" nowhere/nothere.md
expect_in "$T/err" "nowhere/nothere.md is not committed at HEAD"
expect_status 2 "$G" check --repo "$T/cwd"
expect_in "$T/err" "not a Git repository"
git init -q -b main "$T/fresh"
expect_status 2 "$G" check --repo "$T/fresh"
expect_in "$T/err" "no commit yet"
# a post committed as a symbolic link is refused, never followed
S=$T/sym
git init -q -b main "$S"
cp "$GOOD" "$T/outside.md"
ln -s "$T/outside.md" "$S/Blog_Post.md"
git -C "$S" add Blog_Post.md && git -C "$S" commit -qm link
expect_status 2 "$G" check --repo "$S"
expect_in "$T/err" "Blog_Post.md is a symbolic link"
expect_not_in "$T/out" "score:"
# a directory where the post should be
D=$T/dirpost
git init -q -b main "$D"
mkdir "$D/Blog_Post.md" && echo x >"$D/Blog_Post.md/x"
git -C "$D" add . && git -C "$D" commit -qm dir
expect_status 2 "$G" check --repo "$D"
expect_in "$T/err" "Blog_Post.md at HEAD: post-is-dir"
# over the cap at HEAD
B=$T/bigrepo
git init -q -b main "$B"
head -c 1048577 /dev/zero | tr '\0' 'a' >"$B/Blog_Post.md"
git -C "$B" add . && git -C "$B" commit -qm big
expect_status 2 "$G" check --repo "$B"
expect_in "$T/err" "over the"
# JSON for a repository error
expect_status 2 "$G" check --format json --repo "$S"
expect_in "$T/out" '"error":'

# many posts on several threads: the same report, in the order given, as
# one thread gives, a missing file among them reported in its place
F=$FIX
set -- "$F"/excellent.md "$F"/weak.md "$T/missing.md" "$F"/plain-headings.md "$F"/reworded.md
expect_status 2 "$G" check -q -j 1 "$@" "$@" "$@"
cp "$T/out" "$T/one"
expect_status 2 "$G" check -q -j 4 "$@" "$@" "$@"
cmp "$T/one" "$T/out" || fail "check -j 4 reports differently from -j 1"
[ "$(sed -n 1p "$T/out")" = "$F/excellent.md: 105/100 (105%) PASS" ] || fail "first line: $(sed -n 1p "$T/out")"
[ "$(grep -c . "$T/out")" -eq 12 ] || fail "12 score lines expected"
expect_in "$T/err" "missing.md: cannot open"
expect_status 2 "$G" check --format json -j 3 "$@"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [r.get("file") for r in d][:2]==[sys.argv[2],sys.argv[3]], d' \
    "$T/out" "$F/excellent.md" "$F/weak.md" || fail "json order"
expect_status 2 "$G" check -j 0 "$F/excellent.md"
expect_in "$T/err" "--jobs takes a number from 1 to"

echo "e2e_check: ok"
