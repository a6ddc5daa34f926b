#!/bin/sh
# grader check for CI: --format github (workflow commands, one per missed
# criterion, the same file/line/hint as the JSON and text reports), sarif
# (validated against SARIF 2.1.0's required fields), markdown, --min-score,
# --criterion; grader --version against the libraries and debian/changelog.
. "$(dirname "$0")/lib.sh"

FIX=$SRC/tests/fixtures/check
WEAK=$FIX/readme-example.md
GOOD=$FIX/excellent.md
unset GRADER_RUBRIC NO_COLOR
command -v python3 >/dev/null || fail "python3 is needed (make deps installs it)"

# ---- github: the same diagnostics as the JSON report ------------------------
"$G" check --format json "$WEAK" >"$T/weak.json"
expect_status 1 "$G" check --format github "$WEAK"
python3 - "$T/weak.json" "$T/out" <<'PY' || fail "github annotations differ from the JSON report"
import json, sys
post = json.load(open(sys.argv[1]))[0]
lines = open(sys.argv[2]).read().splitlines()
def unesc(s):
    return s.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
want = [c for c in post["criteria"] if not c["met"]]
cmds = [l for l in lines if l.startswith("::")]
assert len(cmds) == len(want), (len(cmds), len(want))
for c, l in zip(want, cmds):
    kind, rest = l[2:].split(" ", 1)
    props, msg = rest.split("::", 1)
    p = dict(kv.split("=", 1) for kv in props.split(","))
    assert kind == ("warning" if c["bonus"] else "error"), l
    assert unesc(p["file"]) == post["file"], l
    assert int(p["line"]) == c["line"] and int(p["col"]) == c["col"], l
    assert c["id"] in unesc(p["title"]), l
    assert unesc(msg) == c["message"] + "\nhint: " + c["hint"], l
assert lines[-1].startswith("grader: ") and "score 58/100" in lines[-1], lines[-1]
PY
# the text report names the same lines
grep '^[^ ].*:[0-9]*:[0-9]*: ' "$T/out" >/dev/null && fail "github output has text diagnostics"
"$G" check "$WEAK" | grep -c "^$WEAK:[0-9]*:[0-9]*: " >"$T/ntext"
[ "$(cat "$T/ntext")" -eq "$(grep -c '^::' "$T/out")" ] || fail "text and github disagree on the count"

# --show-met: a notice per met criterion; a passing post has no error
expect_status 0 "$G" check --format github --show-met "$GOOD"
[ "$(grep -c '^::notice ' "$T/out")" -eq 22 ] || fail "--show-met: expected 22 notices"
expect_not_in "$T/out" "^::error"
expect_status 0 "$G" check --format github "$GOOD"
[ "$(grep -c '^::' "$T/out")" -eq 0 ] || fail "a full-marks post has no annotation"
# an unreadable post is an annotation too, and exit 2
expect_status 2 "$G" check --format github "$T/missing.md"
expect_in "$T/out" "^::error file=$T/missing.md,title=grader%3A cannot check this file::.*cannot open"

# ---- sarif -------------------------------------------------------------------
expect_status 2 "$G" check --format sarif "$WEAK" "$GOOD" "$T/missing.md"
python3 "$SRC/tests/sarif_validate.py" "$T/out" || fail "SARIF log is not valid"
cp "$T/out" "$T/log.sarif"
python3 - "$T/weak.json" "$T/log.sarif" "$WEAK" "$T/missing.md" <<'PY' || fail "SARIF results differ from the JSON report"
import json, sys
post = json.load(open(sys.argv[1]))[0]
log = json.load(open(sys.argv[2]))
run = log["runs"][0]
rules = run["tool"]["driver"]["rules"]
assert [r["id"] for r in rules] == [c["id"] for c in post["criteria"]]
res = [r for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "file://" + sys.argv[3]]
want = [c for c in post["criteria"] if not c["met"]]
assert len(res) == len(want), (len(res), len(want))
for c, r in zip(want, res):
    assert r["ruleId"] == c["id"] and rules[r["ruleIndex"]]["id"] == c["id"]
    assert r["level"] == ("warning" if c["bonus"] else "error")
    reg = r["locations"][0]["physicalLocation"]["region"]
    assert reg["startLine"] == c["line"] and reg["startColumn"] == c["col"]
    assert c["message"] in r["message"]["text"] and c["hint"] in r["message"]["text"]
inv = run["invocations"][0]
assert inv["executionSuccessful"] is False
assert any("cannot open" in n["message"]["text"] for n in inv["toolExecutionNotifications"])
scores = run["properties"]["scores"]
assert [s["points"] for s in scores] == [58, 105], scores
PY
expect_status 0 "$G" check --format sarif --show-met "$GOOD"
python3 "$SRC/tests/sarif_validate.py" "$T/out" || fail "SARIF log (--show-met) is not valid"
expect_in "$T/out" '"kind":"pass"'
# the validator itself catches a broken log
printf '{"version":"2.1.0","runs":[{"tool":{"driver":{}},"results":[{"level":"bad"}]}]}' >"$T/bad.sarif"
python3 "$SRC/tests/sarif_validate.py" "$T/bad.sarif" >"$T/v" && fail "validator accepted a broken log"
expect_in "$T/v" "lacks required 'name'"
expect_in "$T/v" "lacks required 'message'"

# ---- markdown ----------------------------------------------------------------
expect_status 1 "$G" check --format markdown "$WEAK"
expect_in "$T/out" "^### grader: .*readme-example.md: 58/100 (58%), below the pass mark"
[ "$(grep -c '^| ' "$T/out")" -eq 23 ] || fail "markdown: expected a header and 22 rows"
expect_in "$T/out" "^| ❌ | summary-timezone | 0/3 | 3 | not found in Issue Summary"
expect_status 2 "$G" check --format xml "$WEAK"
expect_in "$T/err" "--format takes text, json, github, sarif or markdown"

# ---- --min-score, --criterion --------------------------------------------------
expect_status 0 "$G" check -q --min-score 58 "$WEAK"
expect_status 1 "$G" check -q --min-score 59 "$WEAK"
expect_status 1 "$G" check -q --min-score 106 "$GOOD"
expect_status 2 "$G" check --min-score many "$WEAK"
expect_in "$T/err" "--min-score takes a number of points"
expect_status 0 "$G" check -q --criterion summary-impact "$WEAK"
expect_in "$T/out" "summary-impact: met, 5/5 pts"
expect_status 1 "$G" check -q --criterion summary-users "$WEAK"
expect_in "$T/out" "^$WEAK:3:1: summary-users: missed, 0/4 pts: not found in Issue Summary"
expect_in "$T/out" "    hint: Say how many users"
expect_status 1 "$G" check -q --criterion summary-impact --criterion summary-users "$WEAK"
expect_status 2 "$G" check --criterion no-such "$WEAK"
expect_in "$T/err" "--criterion 'no-such' is not in .*postmortem.yml; its criteria: title summary"
# --json keeps its shape
python3 -c "import json,sys; p=json.load(open(sys.argv[1]))[0]; assert sorted(p)==['bonus','criteria','file','max','notes','pass','passed','percent','points','rubric','words'], sorted(p)" "$T/weak.json" || fail "json shape changed"

# ---- --help, the manual and completion know the new options -------------------
expect_status 0 "$G" check --help
for opt in show-met min-score criterion; do
    expect_in "$T/out" "--$opt"
    grep -q "^\.B.* \\\\-\\\\-$(echo "$opt" | sed 's/-/\\\\-/g')" "$SRC/man/grader.1" || fail "man page lacks --$opt"
done
expect_in "$T/out" "github (workflow commands"
if command -v bash >/dev/null 2>&1; then
    complete_words() { # complete_words WORD...: what completion offers for the last word
        bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _grader; echo "${COMPREPLY[*]}"' \
            sh "$SRC/contrib/grader.bash" "$@"
    }
    [ "$(complete_words "$G" check --format s)" = sarif ] || fail "completion: --format s"
    [ "$(complete_words "$G" check --format g)" = github ] || fail "completion: --format g"
    [ "$(complete_words "$G" check --crit)" = --criterion ] || fail "completion: --crit"
    [ "$(complete_words "$G" check --criterion summary-u)" = summary-users ] || fail "completion: criterion ids"
    [ "$(complete_words "$G" ver)" = version ] || fail "completion: version"
fi

# ---- version -------------------------------------------------------------------
expect_status 0 "$G" --version
cp "$T/out" "$T/version"
expect_status 0 "$G" version
cmp -s "$T/out" "$T/version" || fail "grader version and --version differ"
V=$(cat "$SRC/VERSION")
expect_in "$T/version" "^grader $V$"
CL=$(sed -n '1s/^grader (\([^)]*\)).*/\1/p' "$SRC/debian/changelog")
[ "$CL" = "$V" ] || fail "VERSION ($V) and debian/changelog ($CL) disagree"
grep -q "^\.TH GRADER 1 .* \"grader $V\"" "$SRC/man/grader.1" || fail "man page is not version $V"
# the run-time libraries (as the loader finds them) are those installed
for pair in libgit2:libgit2 cmark:libcmark libyaml:yaml-0.1 PCRE2:libpcre2-8; do
    name=${pair%%:*} pc=${pair#*:}
    want=$(pkg-config --modversion "$pc") || fail "pkg-config $pc"
    grep -q "^$name $want\( \|$\)" "$T/version" || { cat "$T/version" >&2; fail "$name: expected $want"; }
done
[ "$(wc -l <"$T/version")" -eq 5 ] || fail "--version: expected 5 lines"
echo "ok"
