# grader serve under load on the loopback: 200 reviewers at once, each
# loading their page and submitting their 3 reviews (1,400 requests, one
# connection per reviewer). No error, no review lost or duplicated; the
# latency percentiles are printed (SKIP-free: these lines are informative).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_cohort.sh"
cd "$T" || exit 1
for c in sqlite3 python3 git; do
    command -v $c >/dev/null || { echo "SKIP load test: $c is not installed (make deps)"; exit 0; }
done
N=${SERVE_LOAD_REVIEWERS:-200}
cohort "$N" 3
start_server
export LOAD_DONE="$T/done"
timeout 120 python3 "$SRC/tests/serve_client.py" load live.csv --reviews 3 >load.out 2>&1 ||
    { cat load.out >&2; fail "the load run had errors"; }
cat load.out
grep -q "reviewers $N, requests $((N * 7)), reviews submitted $((N * 3)), errors 0" load.out ||
    fail "not every request succeeded"
[ "$(sort -u done | wc -l)" -eq $((N * 3)) ] || fail "acknowledged reviews are not $((N * 3)) distinct ones"
[ "$(sqlite3 g.db 'SELECT count(*) FROM reviews WHERE state=2')" -eq $((N * 3)) ] ||
    fail "reviews lost or duplicated: $(sqlite3 g.db 'SELECT count(*) FROM reviews')"
[ "$(sqlite3 g.db 'SELECT count(*) FROM review_items')" -eq $((N * 3 * 22)) ] ||
    fail "criterion rows lost or duplicated"
# each acknowledged review is the reviewer's own, stored with their comment
while read -r id n; do echo "$n load $id"; done <done | sort >want
sqlite3 -separator ' ' g.db "SELECT r.n, r.overall FROM reviews r JOIN assignments a USING(n) WHERE r.overall = 'load ' || a.reviewer" | sort >got
cmp -s want got || fail "a review was stored under the wrong reviewer or comment"
stop_server
exit 0
