# grader serve over HTTP (curl): links, the 404 for every wrong token, a
# reviewer confined to their own reviews, CSRF, security headers, XSS in a
# post and in a comment, bad input and oversize bodies changing nothing,
# the deadline, kill -9 during submissions, a restart, a late student, and
# grader collect --db against the downloaded reviews.csv.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_cohort.sh"
cd "$T" || exit 1
for c in curl sqlite3 python3 git; do
    command -v $c >/dev/null || { echo "SKIP serve tests: $c is not installed (make deps)"; exit 0; }
done

expect_status 0 "$G" serve --help
expect_in "$T/out" "--listen ADDR:PORT"
expect_status 2 "$G" serve
expect_in "$T/err" "--db FILE"
expect_status 2 "$G" serve --db x.db --listen nowhere
expect_in "$T/err" "ADDR:PORT"
expect_status 2 "$G" serve --db x.db --anonymous some
expect_status 2 "$G" serve --db none.db
expect_in "$T/err" "serve --init"
[ ! -e none.db ] || fail "serving a missing database created it"

cohort 6 2
expect_in init.out "6 new students, 6 new posts, 12 new pairs"
[ "$(head -1 links.csv | tr -d '\r')" = "id,name,link" ] || fail "links.csv header"
[ "$(sed 1d links.csv | wc -l)" -eq 7 ] || fail "7 links expected (instructor + 6)"
[ "$(stat -c %a links.csv)" = 600 ] || fail "links.csv should be private (600)"
# tokens are stored only hashed
for tok in $(cut -d, -f3 links.csv | sed 1d | sed 's|.*/[ri]/||; s|/.*||'); do
    sqlite3 g.db .dump | grep -q -- "$tok" && fail "a token is stored in clear"
done
expect_status 0 "$G" serve --db g.db --links again.csv
expect_in "$T/out" "0 new links"
[ "$(sqlite3 g.db 'PRAGMA user_version')" = 2 ] || fail "schema version"

start_server
L1=$(link s1) L3=$(link s3) LI=$(link instructor)
B="http://127.0.0.1:$PORT"
# get URL: body in $T/b, headers in $T/h, status in $code
get() { code=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' "$@"); }
post() { u=$1; shift; code=$(curl -s -o "$T/b" -D "$T/h" -w '%{http_code}' -X POST "$@" "$u"); }
count() { sqlite3 g.db "SELECT count(*) FROM reviews"; }

get "$L1"
[ "$code" = 200 ] || fail "s1's page: $code"
for h in "Content-Security-Policy: default-src 'none'" "X-Content-Type-Options: nosniff" \
    "Cache-Control: no-store" "X-Frame-Options: DENY" "Referrer-Policy: no-referrer"; do
    grep -qi "^$h" "$T/h" || fail "header missing: $h"
done
expect_not_in "$T/b" "$(echo "$L1" | sed 's|.*/r/||; s|/||')" # no token in the page
expect_in "$T/b" "0 of 2 reviews submitted"
get "$B/style.css"
[ "$code" = 200 ] && grep -qi "^Content-Type: text/css" "$T/h" || fail "style.css"

# Every wrong or missing token: the same 404 that says nothing.
get "$B/nothing"; cp "$T/b" "$T/404"; [ "$code" = 404 ] || fail "/nothing: $code"
tokI=$(echo "$LI" | sed 's|.*/i/||; s|/||') tok1=$(echo "$L1" | sed 's|.*/r/||; s|/||')
for u in "$B/" "$B/r/" "$B/r//" "$B/r/abc/" "$B/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/" \
    "$B/r/$tokI/" "$B/i/$tok1/" "$B/i/$tok1/reviews.csv" "$B/r/$tok1/review/999" \
    "$B/r/$tok1/nothing" "$B/r/$tok1/review/1x"; do
    get "$u"
    [ "$code" = 404 ] || fail "$u: $code, expected 404"
    cmp -s "$T/b" "$T/404" || fail "$u: the 404 page says something"
done

# s1's own reviews; s3's are out of s1's reach, read or write.
get "$L1"
n1=$(grep -o 'href="review/[0-9]*"' "$T/b" | head -1 | grep -o '[0-9]*')
get "$L3"
n3=$(grep -o 'href="review/[0-9]*"' "$T/b" | head -1 | grep -o '[0-9]*')
get "${L1}review/$n1"
[ "$code" = 200 ] || fail "s1's review $n1: $code"
csrf1=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/b" | head -1 | sed 's/.*value="//; s/"//')
get "${L3}review/$n3"
csrf3=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/b" | head -1 | sed 's/.*value="//; s/"//')
[ -n "$csrf1" ] && [ "$csrf1" != "$csrf3" ] || fail "each reviewer has their own CSRF token"
get "${L1}review/$n3"
[ "$code" = 404 ] || fail "s1 read s3's review: $code"
all_met() { i=0; f="csrf=$1&action=submit"; while [ $i -lt 22 ]; do f="$f&m_$i=1"; i=$((i + 1)); done; echo "$f"; }
post "${L1}review/$n3" --data "$(all_met "$csrf1")"
[ "$code" = 404 ] || fail "s1 wrote s3's review: $code"
post "${L1}review/$n3" --data "$(all_met "$csrf3")"
[ "$code" = 404 ] || fail "s1 wrote s3's review with s3's CSRF token: $code"
[ "$(count)" = 0 ] || fail "a refused request stored a review"

# CSRF: none, another's, garbage.
for c in "" "$csrf3" "0123456789abcdef0123456789abcdef"; do
    post "${L1}review/$n1" --data "$(all_met "$c")"
    [ "$code" = 403 ] || fail "CSRF '$c': $code, expected 403"
    expect_in "$T/b" "nothing was saved"
done
[ "$(count)" = 0 ] || fail "a forged request stored a review"

# Bad input: a clear error on the page, nothing stored.
bad() {
    post "${L1}review/$n1" --data "$1"
    [ "$code" = 400 ] || fail "bad input '$1': $code, expected 400"
    expect_in "$T/b" "$2"
    [ "$(count)" = 0 ] || fail "bad input '$1' stored a review"
}
bad "$(all_met "$csrf1")&p_0=abc" "is not a number"
bad "$(all_met "$csrf1")&p_0=9" "out of range 0..3"
bad "$(all_met "$csrf1")&p_0=-1" "out of range"
bad "csrf=$csrf1&action=submit&m_0=2" "met or not met"
bad "csrf=$csrf1&action=submit&m_0=1" "choose met or not met"
bad "csrf=$csrf1&action=publish" "Save draft or Submit"
bad "$(all_met "$csrf1")&c_0=%zz" "bad %-escape"
bad "$(all_met "$csrf1")&c_0=%00" "NUL"
bad "$(all_met "$csrf1")&overall=$(head -c 9000 /dev/zero | tr '\0' x)" "too long"
grep -q 'value="9"' "$T/b" || true
# Oversize: 413 before the body is read; chunked without a length: cut off.
head -c 400000 /dev/zero | tr '\0' a >big
post "${L1}review/$n1" --data-binary @big
[ "$code" = 413 ] || fail "oversize body: $code, expected 413"
curl -s -o /dev/null -H "Transfer-Encoding: chunked" -X POST --data-binary @big "${L1}review/$n1" || true
get "$L1"
[ "$code" = 200 ] || fail "the server did not survive an oversize chunked body"
[ "$(count)" = 0 ] || fail "an oversize body stored a review"

# A draft, then the review submitted with a hostile comment, then edited.
post "${L1}review/$n1" --data "csrf=$csrf1&action=draft&m_0=1&c_0=half+done"
[ "$code" = 303 ] || fail "draft: $code"
grep -qi '^Location: ?saved=draft' "$T/h" || fail "draft: no redirect to the saved page"
get "${L1}review/$n1?saved=draft"
expect_in "$T/b" "Draft saved"
expect_in "$T/b" "half done"
XSS='<script>alert(1)</script>"><img src=x onerror=alert(2)>'
post "${L1}review/$n1" --data-urlencode "overall=$XSS" --data "$(all_met "$csrf1")&p_1=2&c_1=two"
[ "$code" = 303 ] || fail "submit: $code"
get "${L1}review/$n1?saved=submitted"
expect_in "$T/b" "Review submitted"
expect_in "$T/b" "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"
expect_not_in "$T/b" "<script>alert"
expect_not_in "$T/b" "Save draft" # submitted: only Submit changes
post "${L1}review/$n1" --data-urlencode "overall=$XSS" --data "$(all_met "$csrf1")&p_1=4&c_1=edited"
[ "$code" = 303 ] || fail "edit: $code"
post "${L1}review/$n1" --data "csrf=$csrf1&action=draft&m_0=1"
[ "$code" = 400 ] || fail "turning a submitted review back into a draft: $code"
[ "$(sqlite3 g.db 'SELECT count(*) FROM reviews WHERE state=2')" = 1 ] || fail "one submitted review"
[ "$(sqlite3 g.db "SELECT points FROM review_items WHERE n=$n1 AND pos=1")" = 4.0 ] ||
    fail "the edit was not stored"
get "$L1"
expect_in "$T/b" "1 of 2 reviews submitted"

# XSS in a post: s2's post holds script, raw HTML and javascript: links.
r2=$(grep ',s2,' reports/assignments.csv | head -1 | cut -d, -f1)
get "$(link "$r2")"
n2=$(grep -o 'href="review/[0-9]*"' "$T/b" | grep -o '[0-9]*' | while read -r n; do
    sqlite3 g.db "SELECT n FROM assignments WHERE n=$n AND author='s2'"; done | head -1)
get "$(link "$r2")review/$n2"
[ "$code" = 200 ] || fail "the hostile post's review page: $code"
sed -n '/<article class="post"/,/<\/article>/p' "$T/b" >post.html
grep -q 'Issue Summary' post.html || fail "the hostile post is not shown"
for bad in '<script' '<iframe' 'onerror' 'onmouseover' 'javascript:' 'data:text/html' '<img src="x"'; do
    grep -qi -- "$bad" post.html && fail "the rendered post holds '$bad'"
done
expect_in post.html '&lt;script&gt;'
expect_not_in "$T/b" '<b>Bo</b>'

# The instructor: progress, the hostile name escaped, reviews.csv.
get "$LI"
[ "$code" = 200 ] || fail "instructor page: $code"
expect_in "$T/b" '<b id="submitted">1</b>'
expect_in "$T/b" '<b id="not-started">11</b>'
expect_in "$T/b" '&lt;b&gt;Bo&lt;/b&gt; &amp; &quot;Al&quot;'
expect_not_in "$T/b" '<b>Bo</b>'
expect_in "$T/b" 'Missing reviews (11)'
get "${LI}reviews.csv"
[ "$code" = 200 ] && grep -qi '^Content-Type: text/csv' "$T/h" || fail "reviews.csv download"
grep -qi '^Cache-Control: no-store' "$T/h" || fail "reviews.csv must not be cached"
[ "$(wc -l <"$T/b")" -eq 2 ] || fail "reviews.csv: one review expected"
cp "$T/b" dl.csv
# The author, once released: the review, anonymous, escaped; a helpful vote.
author1=$(sqlite3 g.db "SELECT author FROM assignments WHERE n=$n1")
get "$(link "$author1")feedback"
[ "$code" = 404 ] || fail "feedback before release: $code"
csrfI=$(curl -s "$LI" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//')
post "${LI}release" --data "csrf=$csrf1&released=1"
[ "$code" = 403 ] || fail "release with a reviewer's CSRF token: $code"
post "${LI}release" --data "csrf=$csrfI&released=1"
[ "$code" = 303 ] || fail "release: $code"
LA=$(link "$author1")
get "${LA}feedback"
[ "$code" = 200 ] || fail "feedback after release: $code"
expect_in "$T/b" "Reviewer 1"
expect_not_in "$T/b" "Student 1" # reviewers are anonymous by default
expect_in "$T/b" "&lt;script&gt;alert(1)"
expect_not_in "$T/b" "<script>alert"
csrfA=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/b" | head -1 | sed 's/.*value="//; s/"//')
post "${LA}feedback/$n1" --data "csrf=$csrfA&helpful=1"
[ "$code" = 303 ] || fail "helpful vote: $code"
post "${L3}feedback/$n1" --data "csrf=$csrf3&helpful=0"
[ "$code" = 404 ] || [ "$code" = 403 ] || fail "voting on another author's review: $code"
[ "$(curl -s "${LI}reviews.csv" | sed -n 2p | tr -d '\r' | awk -F, '{print $NF}')" = yes ] ||
    fail "the helpful vote is not in reviews.csv"

# A restart serves the same state.
curl -s "${LI}reviews.csv" >before.csv
curl -s "$L1" >home-before.html
stop_server
start_server
L1=$(link s1) LI=$(link instructor)
curl -s "${LI}reviews.csv" | cmp -s - before.csv || fail "reviews.csv changed across a restart"
curl -s "$L1" | cmp -s - home-before.html || fail "s1's page changed across a restart"

# kill -9 while reviewers submit: every acknowledged review survives.
python3 "$SRC/tests/serve_client.py" hammer live.csv acks &
HP=$!
w=0 # until a few reviews are acknowledged (slow under the sanitizers)
while [ "$(cat acks 2>/dev/null | wc -l)" -lt 8 ] && [ $w -lt 300 ]; do sleep 0.1; w=$((w + 1)); done
kill -9 "$SPID"
wait "$SPID" 2>/dev/null
SPID=
wait "$HP"
[ "$(wc -l <acks)" -ge 5 ] || fail "too few acknowledged submissions before the kill: $(wc -l <acks)"
start_server
sort -k2,2n -k3,3n acks | awk '{last[$2] = $3} END {for (n in last) print n, last[n]}' >last
while read -r n k; do
    got=$(sqlite3 g.db "SELECT overall FROM reviews WHERE n=$n AND state=2" | sed 's/round //')
    [ -n "$got" ] && [ "$got" -ge "$k" ] || fail "review $n acknowledged as round $k, stored '$got'"
done <last
[ "$(sqlite3 g.db 'PRAGMA integrity_check')" = ok ] || fail "integrity check after kill -9"

# Deadline passed: reading yes, writing no.
stop_server
start_server --deadline 2020-01-01T00:00:00Z
L1=$(link s1)
get "${L1}review/$n1"
expect_in "$T/b" "deadline has passed"
expect_in "$T/b" "disabled"
before=$(sqlite3 g.db "SELECT overall FROM reviews WHERE n=$n1")
post "${L1}review/$n1" --data "$(all_met "$csrf1")&overall=late"
[ "$code" = 403 ] || fail "a review after the deadline: $code"
[ "$(sqlite3 g.db "SELECT overall FROM reviews WHERE n=$n1")" = "$before" ] ||
    fail "a review after the deadline was stored"
stop_server
"$G" serve --db g.db --deadline none >/dev/null 2>&1 &
sleep 0.3; kill $! 2>/dev/null; wait $! 2>/dev/null

# A late student: assign --keep, --init again; nobody's reviews disturbed.
sqlite3 g.db "SELECT n, state, overall FROM reviews ORDER BY n" >reviews-before
add_student 7
cp reports/assignments.csv first.csv
expect_status 0 "$G" assign --roster roster.csv -k 2 --seed 7 --manifest submissions/manifest.csv \
    -o reports --keep first.csv
expect_status 0 "$G" serve --db g.db --init --roster roster.csv
expect_in "$T/out" "1 new students, 1 new posts, 2 new pairs; 0 pairs dropped"
sqlite3 g.db "SELECT n, state, overall FROM reviews ORDER BY n" | cmp -s - reviews-before ||
    fail "re-importing changed existing reviews"
expect_status 0 "$G" serve --db g.db --links new.csv
[ "$(sed 1d new.csv | cut -d, -f1)" = s7 ] || fail "only the late student gets a new link"
start_server
get "$(link s1)"
[ "$code" = 200 ] || fail "an old link stopped working after the re-import"
sed "s|http://127.0.0.1:1/|http://127.0.0.1:$PORT/|" new.csv >new-live.csv
get "$(grep '^s7,' new-live.csv | cut -d, -f3 | tr -d '\r')"
[ "$code" = 200 ] || fail "the late student's link: $code"
curl -s "$(link instructor)reviews.csv" >dl.csv
stop_server

# grader collect --db: the same gradebook as collect --reviews on the
# downloaded reviews.csv.
"$G" grade --roster roster.csv --submissions submissions -o reports >grade.out 2>&1
[ $? -le 1 ] || { cat grade.out >&2; fail "grader grade"; }
cp reports/gradebook.csv gb0.csv
expect_status 0 "$G" collect --db g.db --gradebook reports/gradebook.csv
cp reports/gradebook.csv gb-db.csv
head -1 gb-db.csv | grep -q 'peer_reviews,peer_median,peer_percent' || fail "no peer columns"
cp gb0.csv reports/gradebook.csv
expect_status 0 "$G" collect --reviews dl.csv --assignments reports/assignments.csv
cmp -s reports/gradebook.csv gb-db.csv || { diff gb-db.csv reports/gradebook.csv >&2; fail "collect --db and collect --reviews differ"; }
grep -c ',[0-9]*,' gb-db.csv >/dev/null
expect_status 2 "$G" collect --db g.db --reviews dl.csv

# --reissue: new links for all, the old ones dead; --anonymous none.
old1=$(grep '^s1,' links.csv | cut -d, -f3 | tr -d '\r')
expect_status 0 "$G" serve --db g.db --links re.csv --reissue
[ "$(sed 1d re.csv | wc -l)" -eq 8 ] || fail "--reissue: 8 links expected"
cp re.csv links.csv
start_server --anonymous none
get "$(echo "$old1" | sed "s|http://127.0.0.1:1/|$B/|; s|:[0-9]*/r/|:$PORT/r/|")"
[ "$code" = 404 ] || fail "an old link still works after --reissue: $code"
get "$(link s1)"
[ "$code" = 200 ] || fail "a reissued link: $code"
expect_in "$T/b" "<td>Post 1 by "
stop_server
ls "${TMPDIR:-/tmp}" | grep -q "^grader-collect-" && fail "collect --db left a temporary folder" || true
exit 0
