#!/bin/sh
# The GitHub Action (action.yml, whose steps are contrib/action.sh), run the
# way a runner runs it: a student's workspace, GITHUB_STEP_SUMMARY,
# GITHUB_OUTPUT, RUNNER_TEMP and GITHUB_ACTION_PATH set to temporary files;
# the annotations, the summary table, the outputs and the exit status.
. "$(dirname "$0")/lib.sh"

FIX=$SRC/tests/fixtures/check
unset GRADER_RUBRIC NO_COLOR
# a runner is not inside make: no make flags (sanitizers, jobserver) leak in
unset MAKEFLAGS MFLAGS MAKELEVEL CFLAGS LDFLAGS O
ACTION=$SRC/contrib/action.sh

# run_action WORKSPACE [VAR=value...]: every stage of action.yml in order,
# with fresh summary and output files; the status of the check stage in $rc
run_action() {
    ws=$1; shift
    : >"$T/summary"; : >"$T/output"
    for stage in deps build check; do
        env GITHUB_ACTION_PATH="$SRC" GITHUB_WORKSPACE="$ws" RUNNER_TEMP="$T/runner" \
            GITHUB_STEP_SUMMARY="$T/summary" GITHUB_OUTPUT="$T/output" \
            INPUT_PATH= INPUT_RUBRIC= INPUT_MIN_SCORE= "$@" \
            sh "$ACTION" "$stage" >"$T/out.$stage" 2>"$T/err.$stage"
        rc=$?
        [ "$stage" = check ] || [ "$rc" -eq 0 ] ||
            { cat "$T/out.$stage" "$T/err.$stage" >&2; fail "action stage $stage exited $rc"; }
    done
}
mkdir -p "$T/runner"

# ---- action.yml: a composite action whose steps are the script's stages ---
python3 - "$SRC/action.yml" <<'PY' || fail "action.yml is not what the script expects"
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
assert a["runs"]["using"] == "composite"
assert set(a["inputs"]) == {"path", "rubric", "min-score"}, a["inputs"]
assert all(a["inputs"][k]["default"] == "" for k in a["inputs"])
steps = a["runs"]["steps"]
assert [s["run"].split()[-1] for s in steps] == ["deps", "build", "check"], steps
assert all('"$GITHUB_ACTION_PATH/contrib/action.sh"' in s["run"] for s in steps)
check = steps[-1]
assert check["id"] == "check"
assert check["env"] == {"INPUT_PATH": "${{ inputs.path }}", "INPUT_RUBRIC": "${{ inputs.rubric }}",
                        "INPUT_MIN_SCORE": "${{ inputs.min-score }}"}, check["env"]
for k in ("score", "max", "percent", "passed"):
    assert a["outputs"][k]["value"] == "${{ steps.check.outputs.%s }}" % k
PY
expect_status 2 sh "$ACTION" bogus
expect_in "$T/err" "usage: action.sh"

# ---- a weak post: annotations, a table, outputs, exit 1 ----------------------
mkdir "$T/ws1"
cp "$FIX/readme-example.md" "$T/ws1/Blog_Post.md"
run_action "$T/ws1"
[ "$rc" -eq 1 ] || { cat "$T/out.check" "$T/err.check" >&2; fail "weak post: check exited $rc, expected 1"; }
expect_in "$T/out.build" "^grader [0-9]"
[ -x "$T/runner/grader-build/grader" ] || fail "the build stage built nothing in RUNNER_TEMP"
[ "$(grep -c '^::error file=Blog_Post.md,line=' "$T/out.check")" -eq 8 ] || fail "expected 8 error annotations"
expect_in "$T/out.check" "^::error file=Blog_Post.md,line=3,col=1,title=grader%3A summary-users (0/4 pts)::"
expect_in "$T/out.check" "^::warning file=Blog_Post.md,line=1,col=1,title=grader%3A image"
expect_in "$T/summary" "^### grader: Blog\\\\_Post.md: 58/100 (58%), below the pass mark"
[ "$(grep -c '^| ' "$T/summary")" -eq 23 ] || fail "summary: expected the table's header and 22 rows"
expect_in "$T/summary" "^| ❌ | timeline-format | 0/8 | 7 | "
printf 'score=58\nmax=100\npercent=58\npassed=false\n' >"$T/want"
cmp -s "$T/want" "$T/output" || { cat "$T/output" >&2; fail "GITHUB_OUTPUT"; }

# ---- the path input (a name with a space), a passing post, exit 0 -------------
mkdir -p "$T/ws2/posts"
cp "$FIX/excellent.md" "$T/ws2/posts/My Post.md"
run_action "$T/ws2" INPUT_PATH="posts/My Post.md"
[ "$rc" -eq 0 ] || { cat "$T/out.check" "$T/err.check" >&2; fail "good post: check exited $rc"; }
expect_not_in "$T/out.check" "^::error"
printf 'score=105\nmax=100\npercent=105\npassed=true\n' >"$T/want"
cmp -s "$T/want" "$T/output" || { cat "$T/output" >&2; fail "GITHUB_OUTPUT (good post)"; }
expect_in "$T/summary" "posts/My Post.md: 105/100 (105%), passes"

# ---- min-score and rubric inputs ------------------------------------------------
run_action "$T/ws1" INPUT_MIN_SCORE=50
[ "$rc" -eq 0 ] || fail "min-score 50: a 58-point post should pass (exit $rc)"
printf 'rubric: Tiny\ndocument: Blog_Post.md\npass: 50\ncriteria:\n  - {id: t, points: 1, check: title, description: d, hint: h}\n' >"$T/ws1/tiny.yml"
run_action "$T/ws1" INPUT_RUBRIC=tiny.yml
[ "$rc" -eq 0 ] || fail "rubric input: exit $rc"
expect_in "$T/summary" "Rubric: Tiny"
expect_in "$T/output" "^score=1$"

# ---- no post: an annotation, a line in the summary, exit 2, no outputs ---------
mkdir "$T/ws3"
run_action "$T/ws3"
[ "$rc" -eq 2 ] || fail "missing post: check exited $rc, expected 2"
expect_in "$T/out.check" "^::error file=Blog_Post.md,title=grader%3A cannot check this file::.*cannot open"
expect_in "$T/summary" "Blog\\\\_Post.md: could not be checked"
[ -s "$T/output" ] && fail "a post that was not checked has no score output"

# ---- the README's workflow is valid and uses this action --------------------------
awk '/^# \.github\/workflows\/grader\.yml$/{on=1} on&&/^```$/{exit} on' "$SRC/README.md" >"$T/wf.yml"
[ -s "$T/wf.yml" ] || fail "README has no .github/workflows/grader.yml example"
python3 - "$T/wf.yml" <<'PY' || fail "README's workflow"
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
lines = [l for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
assert len(lines) == 3, lines
steps = w["jobs"]["grader"]["steps"]
assert steps[0]["uses"].startswith("actions/checkout@"), steps
assert steps[1]["uses"].split("@")[0].endswith("/grader"), steps
PY
echo ok
