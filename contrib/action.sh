#!/bin/sh
# The steps of action.yml: `action.sh deps`, `action.sh build`,
# `action.sh check` (no argument: all three), run on a GitHub runner in the
# student's repository. They read what a runner sets:
#   GITHUB_ACTION_PATH   this repository (default: the folder above this script)
#   GITHUB_WORKSPACE     the student's checkout (default: .)
#   RUNNER_TEMP          where grader is built (default: a folder under /tmp)
#   GITHUB_STEP_SUMMARY  appended: the score table (Markdown)
#   GITHUB_OUTPUT        appended: score=, max=, percent=, passed=
#   INPUT_PATH, INPUT_RUBRIC, INPUT_MIN_SCORE   the action's inputs
# check exits as grader check does: 0 pass, 1 below the pass mark, 2 the
# post or rubric could not be read.
set -eu
src=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
build=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/grader-build
bin=$build/grader

deps() {
    # make deps installs only what is missing (with sudo unless root)
    make -C "$src" --no-print-directory deps
}

build() {
    # WERROR=: runners set CI=true, which would make a newer compiler's new
    # warnings fatal for a student who only wants the check
    make -C "$src" --no-print-directory O="$build" WERROR= -j2 "$bin" >"$build.log" 2>&1 ||
        { cat "$build.log" >&2; echo "::error title=grader::could not build grader"; exit 3; }
    "$bin" --version
}

check() {
    [ -x "$bin" ] || { echo "::error title=grader::grader is not built (run the build step)"; exit 3; }
    cd "${GITHUB_WORKSPACE:-.}"
    # the bundled rubric lives in this repository, not next to $bin
    rubric=${INPUT_RUBRIC:-$src/rubrics/postmortem.yml}
    set -- --rubric "$rubric"
    [ -n "${INPUT_MIN_SCORE:-}" ] && set -- "$@" --min-score "$INPUT_MIN_SCORE"
    [ -n "${INPUT_PATH:-}" ] && set -- "$@" -- "$INPUT_PATH"
    rc=0
    "$bin" check --format github "$@" || rc=$?
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
        "$bin" check --format markdown "$@" >>"$GITHUB_STEP_SUMMARY" 2>/dev/null || true
    fi
    if [ -n "${GITHUB_OUTPUT:-}" ] && [ "$rc" -le 1 ]; then
        # "FILE: P/M (X%) PASS|BELOW", read from the end (a file name may hold ": ")
        "$bin" check -q "$@" 2>/dev/null | tail -n 1 |
            sed -n 's/.*: \([0-9-]*\)\/\([0-9]*\) (\([0-9-]*\)%) \(PASS\|BELOW\)$/score=\1 max=\2 percent=\3 \4/p' |
            tr ' ' '\n' | sed 's/^PASS$/passed=true/; s/^BELOW$/passed=false/' >>"$GITHUB_OUTPUT"
    fi
    return "$rc"
}

case ${1:-all} in
deps) deps ;;
build) build ;;
check) check ;;
all) deps && build && check ;;
*) echo "usage: action.sh [deps|build|check]" >&2; exit 2 ;;
esac
