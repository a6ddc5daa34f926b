#!/bin/sh
# .github/classroom/autograding.json: one test per rubric criterion, worth
# its points; each test's command run as Classroom runs it (in the
# student's repository, grader on PATH, exit 0 = the test's points), and
# the points summed must equal grader's own score for the post.
. "$(dirname "$0")/lib.sh"

unset GRADER_RUBRIC NO_COLOR
# grader on PATH only for this test's commands, never the system's
mkdir "$T/bin"
ln -s "$G" "$T/bin/grader"

for post in weak.md readme-example.md excellent.md bold-headings.md; do
    rm -rf "$T/repo"; mkdir "$T/repo"
    cp "$SRC/tests/fixtures/check/$post" "$T/repo/Blog_Post.md"
    "$G" check --format json "$T/repo/Blog_Post.md" >"$T/score.json"
    PATH="$T/bin:$PATH" python3 - "$SRC/.github/classroom/autograding.json" "$T/score.json" \
        "$T/repo" "$post" <<'PY' || fail "Classroom's points for $post"
import json, subprocess, sys
tests = json.load(open(sys.argv[1]))["tests"]
post = json.load(open(sys.argv[2]))[0]
repo, name = sys.argv[3], sys.argv[4]
crit = {c["id"]: c for c in post["criteria"]}
# one test per criterion, worth its points, calling grader check on it
ids = [t["run"].split("--criterion ")[1].split()[0] for t in tests]
assert sorted(ids) == sorted(crit), (ids, list(crit))
total = 0
for t in tests:
    for key in ("name", "setup", "run", "input", "output", "comparison", "timeout", "points"):
        assert key in t, (t["name"], key)
    assert t["run"].startswith("grader check"), t["run"]
    cid = t["run"].split("--criterion ")[1].split()[0]
    assert t["points"] == crit[cid]["max"], (cid, t["points"])
    p = subprocess.run(t["run"], shell=True, cwd=repo, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=60 * t["timeout"])
    assert p.returncode in (0, 1), (t["run"], p.returncode, p.stderr)
    ok = p.returncode == 0 and (t["output"] == "" or t["output"] in p.stdout)
    assert ok == crit[cid]["met"], (cid, ok, p.stdout)
    assert cid in p.stdout, p.stdout  # the log names the criterion
    total += t["points"] if ok else 0
assert total == post["points"], (name, total, post["points"])
print(f"{name}: {total} points, grader says {post['points']}")
PY
done
# the first test installs grader on Classroom's runner
python3 -c "import json,sys; t=json.load(open(sys.argv[1]))['tests']; assert 'make' in t[0]['setup'] and 'install' in t[0]['setup']" \
    "$SRC/.github/classroom/autograding.json" || fail "the first test's setup does not install grader"
echo ok
