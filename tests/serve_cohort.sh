# Sourced by the e2e_serve*.sh tests: cohort N K builds, in the current
# folder, a class of N students (s1..sN) whose fetched repositories all hold
# tests/fixtures/serve/post.md, except s2's, which holds hostile.md (markup
# and script in a post); a roster with a hostile name, the manifest grader
# fetch would write, grader assign --db with K reviewers, then grader
# serve --links (links.csv, base http://127.0.0.1:1; start_server writes live.csv).
# No fetch: one bare repository per post, the others symlinks to it.
cohort() {
    n=$1 k=$2
    export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
    mkdir -p submissions
    for p in post hostile; do
        git init -q -b main "src-$p"
        cp "$SRC/tests/fixtures/serve/$p.md" "src-$p/Blog_Post.md"
        git -C "src-$p" add -A
        GIT_AUTHOR_DATE=2026-03-04T18:30:00Z GIT_COMMITTER_DATE=2026-03-04T18:30:00Z \
            git -C "src-$p" -c user.name=s -c user.email=s@example.invalid commit -qm post
        git clone -q --bare "src-$p" "submissions/$p.git"
    done
    cp=$(git -C src-post rev-parse HEAD) ch=$(git -C src-hostile rev-parse HEAD)
    echo "id,name,github,repo" >roster.csv
    echo "id,repo,status,commit,commit_time,late,late_commits,path,first_seen,detail" \
        >submissions/manifest.csv
    i=1
    while [ "$i" -le "$n" ]; do
        add_student "$i"
        i=$((i + 1))
    done
    # assign --db: the assignment straight into the database (serve --init
    # does the same; e2e_serve.sh uses it for a late student)
    "$G" assign --roster roster.csv -k "$k" --seed 7 --manifest submissions/manifest.csv \
        -o reports --db g.db >init.out 2>&1 || { cat init.out; fail "grader assign --db"; }
    "$G" serve --db g.db --links links.csv --base-url http://127.0.0.1:1 >links.out 2>&1 ||
        { cat links.out; fail "serve --links"; }
}
# add_student I: student sI in the roster, the manifest and submissions/.
add_student() {
    if [ "$1" -eq 2 ]; then
        echo "s2,\"<b>Bo</b> & \"\"Al\"\"\",g2,/x/s2" >>roster.csv
        ln -s hostile.git "submissions/s2.git"
        c=$ch
    else
        echo "s$1,Student $1,g$1,/x/s$1" >>roster.csv
        ln -s post.git "submissions/s$1.git"
        c=$cp
    fi
    echo "s$1,/x/s$1,ok,$c,2026-03-04T18:30:00Z,no,0,Blog_Post.md,," >>submissions/manifest.csv
}
# start_server: grader serve on a free port of the loopback, in the
# background ($SPID); PORT once it listens. stop_server kills it.
start_server() {
    rm -f port
    "$G" serve --db g.db --listen 127.0.0.1:0 --port-file port "$@" >>serve.out 2>>serve.err &
    SPID=$!
    w=0
    while [ ! -s port ]; do
        kill -0 "$SPID" 2>/dev/null || { cat serve.err; fail "grader serve did not start"; }
        w=$((w + 1)); [ "$w" -lt 100 ] || fail "grader serve did not listen within 10 s"
        sleep 0.1
    done
    PORT=$(cat port)
    sed "s|http://127.0.0.1:1/|http://127.0.0.1:$PORT/|" links.csv >live.csv
}
stop_server() {
    [ -n "${SPID:-}" ] || return 0
    kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
    SPID=
}
# link ID: that person's live link
link() { grep "^$1," live.csv | cut -d, -f3 | tr -d '\r'; }
trap 'stop_server; rm -rf "$T"' EXIT
