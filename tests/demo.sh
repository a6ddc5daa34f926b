#!/bin/sh
# The demo cohort: a dozen local student repositories built from
# tests/fixtures/demo (an excellent post, a weak one, missing sections, bold
# pseudo-headings, no post, a late commit, a symlink, a copy, no repository,
# an empty repository, hostile names), a roster, then grader fetch, grade
# (and assign when it exists). No network.
#
#   sh tests/demo.sh path/to/grader        (what `make demo` runs)
#   DEMO_DIR=/tmp/x sh tests/demo.sh ...   (folder to build in; default
#                                           demo/ beside the binary)
set -eu
G=${1:?usage: demo.sh path/to/grader}
case $G in /*) ;; *) G=$(pwd)/$G ;; esac
here=$(cd "$(dirname "$0")" && pwd)
FIX=$here/fixtures/demo
D=${DEMO_DIR:-$(dirname "$G")/demo}
command -v git >/dev/null || { echo "demo: git is needed (make deps installs it)" >&2; exit 3; }

rm -rf "$D/students" "$D/submissions" "$D/reports"
mkdir -p "$D/students"
D=$(cd "$D" && pwd)

# Reproducible commits whatever the user's Git configuration.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=student GIT_AUTHOR_EMAIL=student@example.invalid
export GIT_COMMITTER_NAME=student GIT_COMMITTER_EMAIL=student@example.invalid
DEADLINE=2026-03-05T23:59:00Z
BEFORE="2026-03-04T18:30:00+0000"
AFTER="2026-03-06T09:15:00+0000"

# commit STUDENT DATE MESSAGE: commit everything in the student's folder.
commit() {
    GIT_AUTHOR_DATE=$2 GIT_COMMITTER_DATE=$2 git -C "$D/students/$1" add -A
    GIT_AUTHOR_DATE=$2 GIT_COMMITTER_DATE=$2 git -C "$D/students/$1" commit -q -m "$3"
}
# student ID FIXTURE: a repository whose post is that fixture.
student() {
    git init -q -b main "$D/students/$1"
    printf '# alx-system_engineering-devops\n' >"$D/students/$1/README.md"
    if [ -n "$2" ]; then
        cp "$FIX/$2" "$D/students/$1/Blog_Post.md"
    fi
    commit "$1" "$BEFORE" "postmortem"
}

student ada excellent.md
student ben weak.md
student cyd missing-sections.md
student dev bold-headings.md
student eli ""                       # no post at all
student fay draft.md                 # a draft on time, the real post late
cp "$FIX/final.md" "$D/students/fay/Blog_Post.md"
commit fay "$AFTER" "finish the postmortem"
student gus ""                       # the post is a symlink to a file
cp "$FIX/final.md" "$D/students/gus/notes.md"
ln -s notes.md "$D/students/gus/Blog_Post.md"
commit gus "$BEFORE" "link the post"
student hal excellent.md             # a copy of ada's post
echo "notes" >"$D/students/hal/notes.txt"
commit hal "$BEFORE" "add notes"
# kim and lee are there for their names (a formula, HTML); their posts are
# their own, so the only copy group is ada and hal.
student kim dns.md
student lee queue.md
git init -q -b main "$D/students/jon" # an empty repository
# ivy has no repository on the roster.

# Names as students type them: a formula a spreadsheet would run, HTML,
# accents.
cat >"$D/roster.csv" <<EOF
id,name,github,repo
ada,Ada Lovelace,ada-l,$D/students/ada
ben,Ben Okafor,benok,$D/students/ben
cyd,Cyd Charisse,cydc,$D/students/cyd
dev,Devi Rao,devrao,$D/students/dev
eli,Eli Whitney,eliw,$D/students/eli
fay,Fay Wray,fayw,$D/students/fay
gus,Gus Grissom,gusg,$D/students/gus
hal,Hal Abelson,halab,$D/students/hal
ivy,Ivy Nwosu,ivyn,
jon,Jon Snow,jsnow,$D/students/jon
kim,"=HYPERLINK(""http://x.invalid"",""Kim"")",kimk,$D/students/kim
lee,"<b>Lee</b> & Zoë ""Co""",leez,$D/students/lee
EOF

cd "$D"
echo "== grader fetch (12 local repositories, deadline $DEADLINE)"
set +e
"$G" fetch --roster roster.csv --submissions submissions --deadline "$DEADLINE" -j 4
rc=$?
[ "$rc" -le 1 ] || { echo "demo: grader fetch failed ($rc)" >&2; exit "$rc"; }
echo
echo "== grader grade"
"$G" grade --roster roster.csv --submissions submissions --deadline "$DEADLINE" -o reports \
    --lms canvas 2>/dev/null
rc=$?
[ "$rc" -le 1 ] || { echo "demo: grader grade failed ($rc)" >&2; exit "$rc"; }
if "$G" assign --help >/dev/null 2>&1; then
    echo
    echo "== grader assign"
    "$G" assign --roster roster.csv -k 3 --submissions submissions -o reports
    [ $? -le 1 ] || { echo "demo: grader assign failed" >&2; exit 3; }
fi
if "$G" serve --help >/dev/null 2>&1 && [ -f reports/assignments.csv ]; then
    # Peer review in the browser: the database and the links, not the
    # server (make demo leaves nothing running).
    echo
    echo "== grader serve --init, --links"
    rm -f review.db review.db-wal review.db-shm links.csv
    "$G" serve --db review.db --init --roster roster.csv &&
        "$G" serve --db review.db --links links.csv --base-url http://127.0.0.1:8080
    [ $? -eq 0 ] || { echo "demo: grader serve --init failed" >&2; exit 3; }
fi
set -e
echo
echo "The demo cohort is in $D:"
echo "  students' repositories  $D/students/"
echo "  gradebook               $D/reports/gradebook.csv"
echo "  feedback                $D/reports/feedback/<id>.md"
echo "  class summary           file://$D/reports/summary.html"
echo "  copies, task-text, links $D/reports/similarity.csv"
if [ -f "$D/reports/assignments.csv" ]; then
    echo "  peer-review packets     $D/reports/reviews/<reviewer>.md"
fi
if [ -f "$D/review.db" ]; then
    echo "  peer review in a browser: grader serve --db $D/review.db"
    echo "                          then open a link of $D/links.csv"
fi
