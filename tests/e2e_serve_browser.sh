# grader serve in headless Chromium (tests/serve_browser.py over the
# DevTools pipe): a reviewer opens their link, fills and submits a review,
# edits it, cannot open another reviewer's; the instructor sees the progress
# and releases feedback; the author reads it and votes. Then grader collect
# --db gives the same gradebook as a hand-written equivalent reviews.csv.
# SERVE_SHOTS=DIR keeps the screenshots there (docs/ holds them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_cohort.sh"
cd "$T" || exit 1
for c in sqlite3 python3 git; do
    command -v $c >/dev/null || { echo "SKIP browser test of serve: $c is not installed (make deps)"; exit 0; }
done
if ! command -v chromium >/dev/null 2>&1; then
    echo "SKIP browser test of serve: chromium is not installed and could not be (make deps-browser)"
    exit 0
fi
cohort 6 2
start_server
# s1's first review, and one of s3's (out of s1's reach)
first=$(sqlite3 g.db "SELECT n, author FROM assignments WHERE reviewer='s1' ORDER BY n LIMIT 1")
n1=${first%%|*}
export REVIEWED_AUTHOR=${first#*|}
other=$(sqlite3 g.db "SELECT n FROM assignments WHERE reviewer='s3' ORDER BY n LIMIT 1")
mkdir shots
timeout 180 python3 "$SRC/tests/serve_browser.py" live.csv "$T/shots" "$other" >browser.out 2>&1 || {
    cat browser.out >&2
    tail -5 shots/chromium.err >&2
    fail "the browser run failed"
}
cat browser.out
for p in review instructor author review-phone; do
    f=shots/serve-$p.png
    [ "$(head -c 8 "$f" | od -An -c | tr -d ' ')" = "211PNG\r\n032\n" ] || fail "$f is not a PNG"
    [ "$(wc -c <"$f")" -gt 10000 ] || fail "$f looks blank"
done
[ -n "${SERVE_SHOTS:-}" ] && cp shots/serve-*.png "$SERVE_SHOTS/"
stop_server

# What the browser stored, as a reviews.csv line written by hand: every
# criterion met with its full points, but the second with 1; the author
# found it helpful.
[ "$(sqlite3 g.db "SELECT state FROM reviews WHERE n=$n1")" = 2 ] || fail "the review is not submitted"
pts=$(sed -n '/^criteria:/,$p' "$SRC/rubrics/postmortem.yml" | sed -n 's/^    points: *//p')
ids=$(sed -n '/^criteria:/,$p' "$SRC/rubrics/postmortem.yml" | sed -n 's/^  - id: *//p')
line="s1,$REVIEWED_AUTHOR" sum=0 i=0
for p in $pts; do
    [ $i -eq 1 ] && p=1
    line="$line,$p" sum=$((sum + p)) i=$((i + 1))
done
{ echo "reviewer,author,$(echo $ids | tr ' ' ','),score,helpful"; echo "$line,$sum,yes"; } >hand.csv
"$G" grade --roster roster.csv --submissions submissions -o reports >grade.out 2>&1
[ $? -le 1 ] || { cat grade.out >&2; fail "grader grade"; }
cp reports/gradebook.csv gb0.csv
expect_status 0 "$G" collect --db g.db
cp reports/gradebook.csv gb-db.csv
cp gb0.csv reports/gradebook.csv
expect_status 0 "$G" collect --reviews hand.csv
cmp -s reports/gradebook.csv gb-db.csv || { diff gb-db.csv reports/gradebook.csv >&2; fail "collect --db differs from the equivalent reviews.csv"; }
grep -q "^$REVIEWED_AUTHOR,.*,1,$sum.00," gb-db.csv || fail "the peer median is not in the gradebook: $(grep "^$REVIEWED_AUTHOR," gb-db.csv)"
grep '^s1,' gb-db.csv | tr -d '\r' | grep -q ',1.00$' || fail "s1's review was found helpful: reviewer_helpful $(grep '^s1,' gb-db.csv)"
exit 0
