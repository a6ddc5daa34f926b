#!/bin/sh
# .pre-commit-hooks.yaml with Debian's pre-commit: a temporary Git
# repository of a student uses this repository's hook (cloned from a local
# copy: no network); a commit of a weak Blog_Post.md is refused with the
# diagnostics, a good one goes through, other files do not run the hook.
. "$(dirname "$0")/lib.sh"

command -v pre-commit >/dev/null 2>&1 || { echo "SKIP: pre-commit is not installed (make deps-test)"; exit 0; }
unset GRADER_RUBRIC NO_COLOR
FIX=$SRC/tests/fixtures/check
export PRE_COMMIT_HOME="$T/cache" HOME="$T/home" GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name "Test Student"
git config --global user.email student@example.invalid
git config --global init.defaultBranch main
git config --global advice.detachedHead false
# grader on PATH for this test only (language: system), never the system's
mkdir "$T/bin"
ln -s "$G" "$T/bin/grader"
PATH="$T/bin:$PATH"

# the hook repository: this worktree's .pre-commit-hooks.yaml, committed
mkdir "$T/hooks"
cp "$SRC/.pre-commit-hooks.yaml" "$T/hooks/"
(cd "$T/hooks" && git init -q && git add . && git commit -qm hooks) || fail "hook repository"
rev=$(git -C "$T/hooks" rev-parse HEAD)

mkdir "$T/student"
cd "$T/student" || fail "cd"
git init -q
cat >.pre-commit-config.yaml <<CFG
repos:
  - repo: $T/hooks
    rev: $rev
    hooks:
      - id: grader
CFG
git add .pre-commit-config.yaml && git commit -qm config || fail "initial commit"
pre-commit install >"$T/install.log" 2>&1 || { cat "$T/install.log" >&2; fail "pre-commit install"; }

# a weak post: the commit is refused, with the diagnostics
cp "$FIX/weak.md" Blog_Post.md
git add Blog_Post.md
if git commit -qm "weak post" >"$T/out" 2>&1; then cat "$T/out" >&2; fail "a weak post was committed"; fi
expect_in "$T/out" "grader check (postmortem rubric)"
expect_in "$T/out" "Failed"
expect_in "$T/out" "Blog_Post.md:1:1: timeline: no \"Timeline\" section"
expect_in "$T/out" "BELOW THE PASS MARK"
[ "$(git rev-list --count HEAD)" -eq 1 ] || fail "the refused commit was made"

# a good post goes through
cp "$FIX/excellent.md" Blog_Post.md
git add Blog_Post.md
git commit -qm "good post" >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "a good post was refused"; }
expect_in "$T/out" "grader check (postmortem rubric).*Passed"
[ "$(git rev-list --count HEAD)" -eq 2 ] || fail "the good post was not committed"

# a file the hook does not match: skipped, even with a weak post beside it
cp "$FIX/weak.md" notes.md
git add notes.md
git commit -qm "notes" >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "a commit without Blog_Post.md was refused"; }
expect_in "$T/out" "Skipped"
# a post in a folder is matched too
mkdir -p week2 && cp "$FIX/weak.md" week2/Blog_Post.md && git add week2
if git commit -qm "weak post in a folder" >"$T/out" 2>&1; then fail "week2/Blog_Post.md was not checked"; fi
expect_in "$T/out" "week2/Blog_Post.md"

# the README's offline form (repo: local) works as written
local_hook=$(sed -n 's/^`\({repo: local,.*}\)`\.$/\1/p' "$SRC/README.md")
[ -n "$local_hook" ] || fail "README has no repo: local hook"
mkdir "$T/student2" && cd "$T/student2" && git init -q || fail "student2"
printf 'repos: [%s]\n' "$local_hook" >.pre-commit-config.yaml
git add . && git commit -qm config && pre-commit install >/dev/null 2>&1 || fail "student2: install"
cp "$FIX/weak.md" Blog_Post.md && git add Blog_Post.md
if git commit -qm "weak" >"$T/out" 2>&1; then cat "$T/out" >&2; fail "local hook: a weak post was committed"; fi
expect_in "$T/out" "BELOW THE PASS MARK"
cp "$FIX/excellent.md" Blog_Post.md && git add Blog_Post.md
git commit -qm "good" >"$T/out" 2>&1 || { cat "$T/out" >&2; fail "local hook: a good post was refused"; }
echo ok
