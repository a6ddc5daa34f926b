#!/bin/sh
# make deb, then the package as an instructor uses it: apt-get install
# ./grader_*.deb, grader --version and grader check from an unrelated
# folder (the bundled rubric found under /usr/share/grader), the manual and
# completion in place, the library dependencies declared; apt-get remove
# leaves nothing behind. Needs root and dpkg; skipped (visibly) otherwise.
# The other tests never run a `grader` from PATH (they use GRADER_BIN), so
# the /usr/bin/grader installed here for a few seconds disturbs none.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "SKIP: make deb test needs root (apt-get install)"; exit 0; }
for c in dpkg dpkg-query apt-get flock; do
    command -v "$c" >/dev/null 2>&1 || { echo "SKIP: make deb test needs $c"; exit 0; }
done
unset GRADER_RUBRIC NO_COLOR MAKEFLAGS MFLAGS MAKELEVEL CFLAGS LDFLAGS
V=$(cat "$SRC/VERSION")

# ---- build -------------------------------------------------------------------
make -C "$SRC" --no-print-directory deb O="$T/o" >"$T/build.out" 2>&1 ||
    { cat "$T/build.out" >&2; fail "make deb"; }
deb=$(ls "$T"/o/deb/grader_"$V"_*.deb 2>/dev/null)
[ -n "$deb" ] && [ "$(echo "$deb" | wc -l)" -eq 1 ] || fail "make deb made no grader_${V}_*.deb"
dpkg-deb -f "$deb" Package Version Depends >"$T/fields"
expect_in "$T/fields" "^Version: $V$"
# ${shlibs:Depends}: every library grader links is a dependency
for lib in libgit2 libcmark libyaml libpcre2-8 libcsv; do
    expect_in "$T/fields" "^Depends: .*$lib"
done
dpkg-deb -c "$deb" >"$T/contents"
for f in ./usr/bin/grader ./usr/share/grader/rubrics/postmortem.yml ./usr/share/man/man1/grader.1.gz \
    ./usr/share/bash-completion/completions/grader ./usr/share/doc/grader/copyright; do
    expect_in "$T/contents" " $f$"
done
# the worktree is untouched: nothing written next to it
[ -e "$SRC/../grader_${V}_amd64.deb" ] && fail "make deb wrote into the parent folder"

# ---- install, use, remove (one test run at a time on this machine) ------------
exec 9>/var/lock/grader-e2e-deb.lock
flock -w 600 9 || fail "another make deb test holds the lock"
if dpkg-query -W -f='${Status}' grader 2>/dev/null | grep -q "ok installed"; then
    echo "SKIP: a grader package is already installed here; not replacing it"
    exit 0
fi
for f in /usr/bin/grader /usr/share/grader; do
    [ -e "$f" ] && { echo "SKIP: $f exists outside the package (make install PREFIX=/usr?); not touching it"; exit 0; }
done
installed=0
trap 'if [ "$installed" = 1 ]; then apt-get remove -y -qq grader >/dev/null 2>&1; fi; rm -rf "$T"' EXIT
APT="apt-get -y -qq -o DPkg::Lock::Timeout=300"
# as the README says: apt-get install ./grader_*.deb, in the package's folder
(cd "$T/o/deb" && DEBIAN_FRONTEND=noninteractive $APT install ./grader_*.deb) >"$T/apt.out" 2>&1 ||
    { cat "$T/apt.out" >&2; fail "apt-get install ./grader_*.deb"; }
installed=1
dpkg-query -W -f='${Status} ${Version}\n' grader | grep -q "ok installed $V$" || fail "grader $V is not installed"

mkdir "$T/elsewhere"
cp "$SRC/tests/fixtures/check/excellent.md" "$T/elsewhere/post.md"
cd "$T/elsewhere" || fail "cd"
expect_status 0 /usr/bin/grader --version
expect_in "$T/out" "^grader $V$"
expect_in "$T/out" "^libgit2 "
expect_status 0 /usr/bin/grader check post.md
expect_in "$T/out" "rubric (/usr/share/grader/rubrics/postmortem.yml)"
expect_in "$T/out" "score: 105/100"
cp "$SRC/tests/fixtures/check/weak.md" Blog_Post.md
expect_status 1 /usr/bin/grader check
expect_in "$T/out" "BELOW THE PASS MARK"
[ -f /usr/share/man/man1/grader.1.gz ] || fail "no manual page installed"
[ -f /usr/share/bash-completion/completions/grader ] || fail "no completion installed"
cd "$T" || fail "cd"

DEBIAN_FRONTEND=noninteractive $APT remove grader >"$T/apt.out" 2>&1 ||
    { cat "$T/apt.out" >&2; fail "apt-get remove grader"; }
installed=0
[ -e /usr/bin/grader ] && fail "/usr/bin/grader is left after apt-get remove"
[ -e /usr/share/grader ] && fail "/usr/share/grader is left after apt-get remove"
[ -e /usr/share/man/man1/grader.1.gz ] && fail "the manual page is left after apt-get remove"
[ -e /usr/share/bash-completion/completions/grader ] && fail "the completion is left after apt-get remove"
dpkg-query -W -f='${Status}' grader 2>/dev/null | grep -q "ok installed" && fail "still installed"
echo ok
