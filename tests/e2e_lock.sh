# One grader run at a time per folder: while another process holds the
# lock of reports/ (grade, collect) or submissions/ (fetch), a run exits 3
# naming the holder's pid and changes nothing; a lock file left by a dead
# run is taken over. The holder here is flock(1) on the lock file with its
# pid written in it, which is all a running grader does.
. "$(dirname "$0")/lib.sh"

command -v git >/dev/null || { echo "SKIP git not installed"; exit 0; }
command -v flock >/dev/null || { echo "SKIP flock(1) not installed"; exit 0; }
git init -q "$T/ann"
cp "$SRC/tests/fixtures/check/excellent.md" "$T/ann/Blog_Post.md"
git -C "$T/ann" add Blog_Post.md
git -C "$T/ann" -c user.name=A -c user.email=a@x commit -q -m post
printf 'id,name,repo\nann,Ann,%s\n' "$T/ann" >"$T/roster.csv"
S="$T/subs" R="$T/rep"
expect_status 0 "$G" fetch --roster "$T/roster.csv" --into "$S" -q
expect_status 0 "$G" grade --roster "$T/roster.csv" --submissions "$S" -o "$R" -q
printf 'reviewer,author\n' >"$T/assign.csv"
printf 'reviewer,author,score\n' >"$T/reviews.csv"
expect_status 0 "$G" collect --reviews "$T/reviews.csv" --assignments "$T/assign.csv" --gradebook "$R/gradebook.csv"

# hold LOCKFILE CMD: a stand-in for a running grader, until $T/release exists
hold() {
    (
        exec 9>>"$1"
        flock -n 9 || exit 1
        echo "$(sh -c 'echo $PPID') $2" >"$1"
        # sleep must not inherit the lock; the loop ends with $T on failure
        while [ -d "$T" ] && [ ! -e "$T/release" ]; do sleep 0.1 9>&-; done
    ) &
    holder=$!
    i=0
    while ! grep -q "^$holder $2" "$1" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 100 ] || fail "the stand-in never took $1"
        sleep 0.1
    done
    holder_pid=$holder
}
release() { touch "$T/release"; wait "$holder"; rm -f "$T/release"; }
snapshot() { (cd "$1" && find . -type f ! -name '.grader-*.lock' -exec cksum {} + | sort); }

hold "$R/.grader-reports.lock" grade
before=$(snapshot "$R")
expect_status 3 "$G" grade --roster "$T/roster.csv" --submissions "$S" -o "$R" -q
expect_in "$T/err" "another grader grade (pid $holder_pid) is using $R; run again"
expect_status 3 "$G" collect --reviews "$T/reviews.csv" --assignments "$T/assign.csv" --gradebook "$R/gradebook.csv"
expect_in "$T/err" "another grader grade (pid $holder_pid)"
[ "$(snapshot "$R")" = "$before" ] || fail "a locked-out run changed the reports"
ls "$R" | grep -q '\.tmp\.' && fail "a locked-out run left a temporary file"
release

hold "$S/.grader-fetch.lock" fetch
before=$(snapshot "$S")
expect_status 3 "$G" fetch --roster "$T/roster.csv" --into "$S" -q
expect_in "$T/err" "another grader fetch (pid $holder_pid) is using $S"
expect_status 3 "$G" grade --fetch --roster "$T/roster.csv" --submissions "$S" -o "$R" -q
expect_in "$T/err" "another grader fetch (pid $holder_pid)"
[ "$(snapshot "$S")" = "$before" ] || fail "a locked-out fetch changed the submissions"
release

# A holder that died: its pid is still in the file, the lock is taken over.
hold "$R/.grader-reports.lock" grade
grade_holder=$holder_pid
kill -9 "$holder"
wait "$holder" 2>/dev/null
grep -q "^$grade_holder grade" "$R/.grader-reports.lock" || fail "the stale lock file lost its pid: $(cat "$R/.grader-reports.lock")"
kill -0 "$grade_holder" 2>/dev/null && fail "the stand-in is still alive"
rm "$R/gradebook.csv"
expect_status 0 "$G" grade --roster "$T/roster.csv" --submissions "$S" -o "$R" -q
[ -f "$R/gradebook.csv" ] || fail "grade did not take over a stale lock"
grep -q " grade$" "$R/.grader-reports.lock" && ! grep -q "^$grade_holder " "$R/.grader-reports.lock" ||
    fail "the lock file does not name the new run: $(cat "$R/.grader-reports.lock")"
expect_status 0 "$G" collect --reviews "$T/reviews.csv" --assignments "$T/assign.csv" --gradebook "$R/gradebook.csv"
expect_status 0 "$G" fetch --roster "$T/roster.csv" --into "$S" -q
echo "lock: ok"
