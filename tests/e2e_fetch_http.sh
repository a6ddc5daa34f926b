# grader fetch over git's smart HTTP protocol, against a real server on the
# loopback (tests/githttpd.py: git http-backend, every Authorization header
# logged): where the token goes (issue 15), and the statuses of a private,
# missing, stalling, dropping or redirecting server (issue 10).
. "$(dirname "$0")/lib.sh"

command -v git >/dev/null || { echo "SKIP: git is not installed"; exit 0; }
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 0; }
export GIT_CONFIG_NOSYSTEM=1 HOME="$T" GIT_AUTHOR_NAME=s GIT_AUTHOR_EMAIL=s@x \
    GIT_COMMITTER_NAME=s GIT_COMMITTER_EMAIL=s@x
unset GRADER_TOKEN GITHUB_TOKEN GRADER_TOKEN_HOSTS GRADER_INSECURE_LOOPBACK \
    http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
TOKEN=tok-S3CRET-e2e-0123456789

# Two repositories with a post, served by one server on two loopback
# addresses: two host names for the token policy.
mkdir -p "$T/root"
for s in ann ben; do
    git init -q -b main "$T/src/$s" || fail "git init"
    echo "# $s's postmortem" >"$T/src/$s/Blog_Post.md"
    (cd "$T/src/$s" && git add -A && git commit -qm post) || fail "git commit"
    git clone -q --bare "$T/src/$s" "$T/root/$s.git" || fail "git clone"
done
# A repository whose server lost an object (loose objects, one blob gone).
git clone -q --bare --no-local "$T/src/ben" "$T/root/holed.git" || fail "git clone"
(cd "$T/root/holed.git" && mkdir unpack && mv objects/pack/* unpack/ &&
    for p in unpack/*.pack; do git unpack-objects -q <"$p"; done && rm -rf unpack) ||
    fail "git unpack-objects"
blob=$(git -C "$T/root/holed.git" rev-parse HEAD:Blog_Post.md)
rm -f "$T/root/holed.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)"
python3 "$SRC/tests/githttpd.py" --root "$T/root" --ready "$T/ready" --log "$T/log" \
    --token "$TOKEN" --bind 127.0.0.1 --bind 127.0.0.2 2>"$T/server.err" &
server=$!
# KEEP=1 keeps the folder, to look at the logs after a failure
trap 'kill $server 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
i=0
while [ ! -s "$T/ready" ]; do
    i=$((i + 1))
    [ $i -lt 100 ] || { cat "$T/server.err"; fail "the test server did not start"; }
    kill -0 $server 2>/dev/null || { cat "$T/server.err"; fail "the test server died"; }
    sleep 0.1
done
P1=$(awk '$1 == "127.0.0.1" {print $2}' "$T/ready")
P2=$(awk '$1 == "127.0.0.2" {print $2}' "$T/ready")
A="http://127.0.0.1:$P1"  # the instructor's host, in the tests
B="http://127.0.0.2:$P2"  # a host the student controls
cd "$T"

# run NAME ROSTER-ROWS... : fetch a fresh folder sub-NAME, the request log
# of this run alone in log-NAME
run() {
    name=$1; shift
    printf 'id,repo\n' >"roster-$name.csv"
    for row in "$@"; do printf '%s\n' "$row" >>"roster-$name.csv"; done
    : >"$T/log"
    "$G" fetch --roster "roster-$name.csv" --into "sub-$name" -v --retries 0 >"out-$name" 2>"err-$name"
    echo $? >"rc-$name"
    cp "$T/log" "log-$name"
}
# no_token_in FILES...: the token in none of our outputs
no_token_in() {
    for f in "$@"; do ! grep -rq -- "$TOKEN" "$f" || fail "the token is in $f"; done
}
status_of() { awk -F, -v id="$2" '$1 == id {print $3}' "sub-$1/manifest.csv"; }
expect_status_of() {
    got=$(status_of "$1" "$2")
    [ "$got" = "$3" ] || { cat "out-$1" "err-$1" "log-$1"; fail "$1/$2 is '$got', expected '$3'"; }
}

export GRADER_TOKEN="$TOKEN"

# 1. A host not among the token's: a 401 gets no Authorization header, and
#    the detail says the token was withheld for that host and how to allow it.
(export GRADER_INSECURE_LOOPBACK=1; run foreign "ann,$A/private/ann.git")
expect_status_of foreign ann auth-failed
expect_in out-foreign "withheld for 127.0.0.1"
expect_in out-foreign "GRADER_TOKEN_HOSTS=127.0.0.1"
expect_in log-foreign "/private/ann.git/info/refs"
expect_not_in log-foreign "Basic"
no_token_in out-foreign err-foreign sub-foreign

# 2. The same server named a token host (and the tests' http:// opt-in):
#    the token goes, the post is graded ok, the token is in no output.
(export GRADER_INSECURE_LOOPBACK=1 GRADER_TOKEN_HOSTS=127.0.0.1
    run allowed "ann,$A/private/ann.git")
expect_status_of allowed ann ok
grep -q "Basic $(printf 'x-access-token:%s' "$TOKEN" | base64 -w0)" log-allowed ||
    { cat log-allowed; fail "the token was not sent to its host"; }
no_token_in out-allowed err-allowed sub-allowed
# --token-host does the same as GRADER_TOKEN_HOSTS
: >"$T/log"
expect_status 0 env GRADER_INSECURE_LOOPBACK=1 "$G" fetch --roster roster-allowed.csv --into sub-opt \
    --token-host 127.0.0.1
expect_in "$T/log" "Basic"
expect_status 2 "$G" fetch --roster roster-allowed.csv --into sub-bad --token-host 'a/b'
expect_in "$T/err" "not a host name"
expect_status 2 env GRADER_TOKEN_HOSTS='x y' "$G" fetch --roster roster-allowed.csv --into sub-bad
expect_in "$T/err" "GRADER_TOKEN_HOSTS"

# A wrong token: sent once, refused, auth-failed saying so.
(export GRADER_INSECURE_LOOPBACK=1 GRADER_TOKEN_HOSTS=127.0.0.1 GRADER_TOKEN=wrong-0123456789
    run wrong "ann,$A/private/ann.git")
expect_status_of wrong ann auth-failed
expect_in out-wrong "refused the token"
[ "$(grep -c "Basic" log-wrong)" -eq 1 ] || { cat log-wrong; fail "a refused token was sent again"; }

# 3. A token host over http:// without the opt-in: never in clear text.
(export GRADER_TOKEN_HOSTS=127.0.0.1; run clear "ann,$A/private/ann.git")
expect_status_of clear ann auth-failed
expect_in out-clear "clear text"
expect_not_in log-clear "Basic"

export GRADER_INSECURE_LOOPBACK=1 GRADER_TOKEN_HOSTS=127.0.0.1

# 4. Redirects. From the token's host to another host, before or after the
#    token was given: not followed, and the other host hears nothing. From
#    a foreign host to the token's host: followed, and libgit2 1.5.1 asks
#    for credentials for the URL the redirect led to, so the token goes to
#    its own host only. Within one host: followed.
run redirect "out,$A/redirect/127.0.0.2/$P2/private/ann.git" \
    "after,$A/authredirect/127.0.0.2/$P2/public/ann.git" \
    "in,$B/redirect/127.0.0.1/$P1/private/ann.git" "moved,$A/moved/ben.git"
expect_status_of redirect out error
expect_status_of redirect after error
expect_in out-redirect "^out .*cannot redirect from '127.0.0.1' to '127.0.0.2'"
expect_in out-redirect "^after .*cannot redirect"
expect_in log-redirect "^127.0.0.1 GET /authredirect/.* Basic"
expect_not_in log-redirect "^127.0.0.2 GET /p"
expect_status_of redirect in ok
expect_in log-redirect "^127.0.0.2 GET /redirect/127.0.0.1/$P1/private/ann.git/info/refs?service=git-upload-pack -$"
expect_not_in log-redirect "^127.0.0.2 .*Basic"
expect_status_of redirect moved ok
no_token_in out-redirect err-redirect sub-redirect

# 5. A roster of mixed hosts: each fetched the right way, the token only to
#    its host.
run mixed "ann,$A/private/ann.git" "ben,$B/public/ben.git" "cat,file://$T/src/ann"
expect_status_of mixed ann ok
expect_status_of mixed ben ok
expect_status_of mixed cat ok
expect_in log-mixed "^127.0.0.1 .*Basic"
expect_not_in log-mixed "^127.0.0.2 .*Basic"
no_token_in out-mixed err-mixed sub-mixed

# 6. Private without a token: auth-failed, no Authorization header. A
#    missing repository (404): no-repo.
(unset GRADER_TOKEN; run notoken "ann,$A/private/ann.git" "gone,$A/public/gone.git")
expect_status_of notoken ann auth-failed
expect_in out-notoken "no token is set"
expect_not_in log-notoken "Basic"
expect_status_of notoken gone no-repo

# 7. A server that stalls mid-pack: --timeout ends that student only. One
#    that drops the connection: retried, then network.
: >"$T/log"
printf 'id,repo\nslow,%s/stall/ann.git\nfast,%s/public/ben.git\n' "$A" "$A" >stall.csv
expect_status 1 "$G" fetch --roster stall.csv --into sub-stall --timeout 3 -j 2 -v
[ "$(status_of stall slow)" = timeout ] || { cat "$T/out"; fail "a stalled server is not a timeout"; }
[ "$(status_of stall fast)" = ok ] || { cat "$T/out"; fail "a stalled server held up another student"; }
: >"$T/log"
printf 'id,repo\ndrop,%s/drop/ann.git\n' "$A" >drop.csv
expect_status 1 "$G" fetch --roster drop.csv --into sub-drop --retries 1 -v
[ "$(status_of drop drop)" = network ] || { cat "$T/out"; fail "a dropped connection is not network"; }
n=$(grep -c "GET /drop/ann.git/info/refs" "$T/log")
[ "$n" -eq 2 ] || { cat "$T/log"; fail "$n attempts at a dropping server, expected 2 (1 retry)"; }

# 8. A remote that lost an object: error, saying the remote is incomplete,
#    not retried (issue 10: it was auth-failed or no-repo).
: >"$T/log"
printf 'id,repo\nholed,%s/public/holed.git\nlocal,file://%s/root/holed.git\n' "$A" "$T" >holed.csv
expect_status 1 "$G" fetch --roster holed.csv --into sub-holed --retries 2 -v
[ "$(status_of holed holed)" = error ] || { cat "$T/out"; fail "a missing object over HTTP is not error"; }
[ "$(status_of holed local)" = error ] || { cat "$T/out"; fail "a missing object over file:// is not error"; }
expect_in "$T/out" "^holed .*incomplete or corrupt"
expect_in "$T/out" "^local .*incomplete or corrupt"
n=$(grep -c "GET /public/holed.git/info/refs" "$T/log")
[ "$n" -eq 1 ] || { cat "$T/log"; fail "an incomplete remote was tried $n times"; }
exit 0
