# grader grade --shard K/N and grader merge: the demo cohort (a dozen local
# repositories over file://, a copy pair ada/hal that FNV-1a puts in shards 4
# and 3 of 4) graded as one run and as 4 shards run by GNU parallel
# (contrib/grader-shards.sh) gives byte-identical gradebook.csv,
# similarity.csv, summary.html and feedback, and the manifest one fetch
# writes; the merge scores nothing (it works from the shards' exported
# scores and fingerprints: blanking the posts' bytes changes only the
# summary's passages); mismatched shards (N, roster, rubric edited after the
# shards, known sources, --no-similar, format version) are refused with
# nothing written; the Kubernetes Indexed Job in contrib/ parses and names
# what matters.
. "$(dirname "$0")/lib.sh"

expect_status 0 "$G" merge --help
expect_in "$T/out" "usage: grader merge"
expect_status 0 "$G" fetch --help
expect_in "$T/out" "--shard K/N"
expect_status 0 "$G" grade --help
expect_in "$T/out" "--shard K/N"
for bad in 0/4 5/4 4 1/0 x; do
    expect_status 2 "$G" grade --roster x.csv --shard "$bad"
    expect_in "$T/err" "grader grade: --shard takes K/N"
done
expect_status 2 "$G" fetch --roster x.csv --shard 2/1
expect_in "$T/err" "grader fetch: --shard takes K/N"
expect_status 2 "$G" merge --roster x.csv
expect_in "$T/err" "grader merge: name the shards' folders"
expect_status 2 "$G" merge --roster x.csv --fetch a b
expect_in "$T/err" "belong to the shards"
expect_status 2 "$G" merge --roster x.csv --bogus a
expect_in "$T/err" "grader merge: unknown option '--bogus'; see 'grader merge --help'"

grep -q '^\.BI \\-\\-shard " K/N"' "$SRC/man/grader.1" || fail "man page lacks --shard"
grep -q '^\.SS "grader merge' "$SRC/man/grader.1" || fail "man page lacks grader merge"
expect_status 0 "$G" --help
expect_in "$T/out" "merge "
if command -v bash >/dev/null 2>&1; then
    complete_words() {
        bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _grader; echo "${COMPREPLY[*]}"' \
            sh "$SRC/contrib/grader.bash" "$@"
    }
    [ "$(complete_words "$G" mer)" = merge ] || fail "completion: merge"
    [ "$(complete_words "$G" grade --sha)" = --shard ] || fail "completion: grade --shard"
    [ "$(complete_words "$G" fetch --sha)" = --shard ] || fail "completion: fetch --shard"
    [ "$(complete_words "$G" merge --thr)" = --threshold ] || fail "completion: merge --threshold"
fi

# The Kubernetes recipe: valid YAML, an Indexed Job whose shard is the
# completion index.
K8S="$SRC/contrib/grader-shards-job.yaml"
python3 - "$K8S" <<'EOF' || fail "contrib/grader-shards-job.yaml"
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
job = [d for d in docs if d.get("kind") == "Job" and d["spec"].get("completionMode") == "Indexed"]
assert len(job) == 1, "one Indexed Job"
spec = job[0]["spec"]
assert spec["completionMode"] == "Indexed", "Indexed"
assert spec["completions"] == spec["parallelism"] == 4, "4 shards"
c = spec["template"]["spec"]["containers"][0]
cmd = " ".join(c["command"] + c.get("args", []))
assert "--shard" in cmd and "JOB_COMPLETION_INDEX" in cmd and "/4" in cmd, cmd
assert spec["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")
merge = [d for d in docs if d.get("kind") == "Job" and "grader merge" in yaml.dump(d)]
assert len(merge) == 1 and all("shard-%d-of-4" % k in yaml.dump(merge[0]) for k in (1, 2, 3, 4)), "the merge of 4 shards"
vols = {v["persistentVolumeClaim"]["claimName"] for d in job + merge for v in d["spec"]["template"]["spec"]["volumes"]}
assert len(vols) == 1, "shards and merge share one volume"
EOF

command -v git >/dev/null || { echo "SKIP: git not installed"; exit 0; }
command -v parallel >/dev/null || { echo "SKIP: GNU parallel not installed (make deps-test)"; exit 0; }
DEMO_DIR="$T/demo" sh "$SRC/tests/demo.sh" "$G" >"$T/demo.out" 2>&1 || {
    cat "$T/demo.out" >&2
    fail "the demo did not run"
}
D="$T/demo"
cd "$D" || fail "no demo folder"
sed "s#,$D/students#,file://$D/students#" roster.csv >roster-url.csv
grep -q "file://$D/students/ada" roster-url.csv || fail "roster over file://"
DL=2026-03-05T23:59:00Z
export SOURCE_DATE_EPOCH=1770000000 # the summary's "graded at", equal in both runs

expect_status 1 "$G" grade --roster roster-url.csv --fetch --into one-subs -o one --deadline "$DL" -q
GRADER="$G" JOBS=2 sh "$SRC/contrib/grader-shards.sh" 4 roster-url.csv four --fetch \
    --deadline "$DL" >"$T/four.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] || { cat "$T/four.out" >&2; fail "grader-shards.sh exited $rc, expected 1"; }
expect_in "$T/four.out" "1 copy group (2 students)"

# The partition: each shard fetched and graded its own students only; ada
# and hal in different shards, so no shard alone sees their copy.
for k in 1 2 3 4; do
    [ -f "four/shard-$k-of-4/shard.dat" ] || fail "shard $k wrote no shard.dat"
    [ -f "submissions/shard-$k-of-4/manifest.csv" ] || fail "shard $k fetched into no folder of its own"
done
n=0
for k in 1 2 3 4; do
    n=$((n + $(tail -n +2 "four/shard-$k-of-4/gradebook.csv" | wc -l)))
done
[ "$n" -eq 12 ] || fail "the 4 shards hold $n students, not 12"
grep -q '^ada,' four/shard-4-of-4/gradebook.csv || fail "ada is not in shard 4"
grep -q '^hal,' four/shard-3-of-4/gradebook.csv || fail "hal is not in shard 3"
! grep -q '^[0-9]' four/shard-4-of-4/similarity.csv || fail "shard 4 alone found a copy group"
[ ! -e submissions/shard-3-of-4/ada.git ] || fail "shard 3 fetched ada"

# The merge: what one run wrote, byte for byte.
for f in gradebook.csv similarity.csv summary.html; do
    cmp "one/$f" "four/$f" || fail "merged $f differs from one run's"
done
diff -r one/feedback four/feedback >/dev/null || fail "merged feedback differs from one run's"
[ "$(ls four/feedback | wc -l)" -eq 12 ] || fail "not 12 feedback files"
grep -q '^1,ada,copy,1.00' four/similarity.csv || fail "the copy across shards 3 and 4 not found"
grep -q '^1,hal,copy' four/similarity.csv || fail "hal not in ada's group"
# The manifest: one fetch's, but for first_seen (when each was first fetched).
strip_seen() {
    python3 -c 'import csv,sys
for r in csv.reader(open(sys.argv[1])):
    del r[8]; print(r)' "$1"
}
head -1 four/manifest.csv | grep -q '^id,repo,status,commit,commit_time,late,late_commits,path,first_seen,' ||
    fail "manifest columns changed: update strip_seen"
[ "$(strip_seen one-subs/manifest.csv)" = "$(strip_seen four/manifest.csv)" ] ||
    fail "merged manifest differs from one fetch's"

# The recipe forwards merge's options and survives a folder with a space
# and a quote in its name.
GRADER="$G" sh "$SRC/contrib/grader-shards.sh" 2 roster-url.csv "two b'x" --fetch \
    --deadline "$DL" --rubric "$SRC/rubrics/postmortem.yml" -q >"$T/two.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] || { cat "$T/two.out" >&2; fail "grader-shards.sh 2 exited $rc, expected 1"; }
cmp one/gradebook.csv "two b'x/gradebook.csv" || fail "2 shards: gradebook differs from one run's"
expect_status 2 sh "$SRC/contrib/grader-shards.sh" x roster-url.csv out
expect_in "$T/err" "N is a number of shards"

# Mismatched shards: refused, exit 2, nothing written.
S="four/shard-1-of-4 four/shard-2-of-4 four/shard-3-of-4"
expect_status 2 "$G" merge --roster roster-url.csv -o none $S
expect_in "$T/err" "shard 4/4 is missing: 3 of 4 shards given"
expect_status 2 "$G" merge --roster roster-url.csv -o none $S four/shard-1-of-4
expect_in "$T/err" "shard 1/4 given twice"
"$G" grade --roster roster-url.csv --fetch --shard 1/2 -o two1 -q
[ $? -le 1 ] || fail "grade --shard 1/2"
[ -f two1/shard.dat ] || fail "shard 1/2 wrote no shard.dat"
expect_status 2 "$G" merge --roster roster-url.csv -o none $S two1
expect_in "$T/err" "all shards must split the roster the same way"
cp roster-url.csv roster-more.csv
printf 'zoe,Zoe Z,zoez,file://%s/students/zoe\n' "$D" >>roster-more.csv
expect_status 2 "$G" merge --roster roster-more.csv -o none $S four/shard-4-of-4
expect_in "$T/err" "another roster"
sed 's/^pass: .*/pass: 50/' "$SRC/rubrics/postmortem.yml" >other.yml
grep -q '^pass: 50' other.yml || fail "no pass: line in the rubric to change"
expect_status 2 "$G" merge --roster roster-url.csv --rubric other.yml -o none $S four/shard-4-of-4
expect_in "$T/err" "another rubric"
mkdir -p empty
expect_status 2 "$G" merge --roster roster-url.csv -o none $S empty
expect_in "$T/err" "not a shard"
head -c 300 four/shard-2-of-4/shard.dat >cut.dat
mkdir -p cut && cp cut.dat cut/shard.dat && cp four/shard-2-of-4/manifest.csv cut/
expect_status 2 "$G" merge --roster roster-url.csv -o none four/shard-1-of-4 cut four/shard-3-of-4 four/shard-4-of-4
expect_in "$T/err" "cut/shard.dat: record"
[ ! -e none ] || fail "a refused merge wrote something"

# The merge scores nothing: with every post's bytes in the shards replaced
# (same length, so the records still hold), the gradebook, similarity.csv
# and feedback are still one run's: they come from the exported scores and
# fingerprints. Only the summary's copied passages, cut from the posts,
# change.
mkdir -p blank
for k in 1 2 3 4; do
    cp -r "four/shard-$k-of-4" "blank/shard-$k-of-4"
    python3 - "blank/shard-$k-of-4/shard.dat" <<'EOF' || fail "could not rewrite shard $k"
import sys
b = open(sys.argv[1], "rb").read()
out, i = [], 0
while i < len(b):
    sp = b.index(b" ", i); lf = b.index(b"\n", sp)
    key, n = b[i:sp], int(b[sp + 1:lf])
    val = b[lf + 1:lf + 1 + n]
    if key == b"post":
        val = bytes(c if c == 10 else 120 for c in val)  # every byte but LF an 'x'
    out.append(b[i:lf + 1] + val + b"\n")
    i = lf + 2 + n
open(sys.argv[1], "wb").write(b"".join(out))
EOF
done
expect_status 1 "$G" merge --roster roster-url.csv -o blanked -q blank/shard-*
for f in gradebook.csv similarity.csv manifest.csv; do
    cmp "four/$f" "blanked/$f" || fail "merged $f changed with the posts' bytes: the merge re-read them"
done
diff -r four/feedback blanked/feedback >/dev/null || fail "feedback changed with the posts' bytes"
! cmp -s four/summary.html blanked/summary.html || fail "the summary's passages do not come from the shards' posts"
grep -q 'xxxxx' blanked/summary.html || fail "the summary shows no passage of the shards' posts"

# The rubric is the shards' or the merge is refused: edited after the shards
# ran (a comment only), or gone, nothing is written.
cp "$SRC/rubrics/postmortem.yml" mine.yml
GRADER="$G" sh "$SRC/contrib/grader-shards.sh" 2 roster-url.csv mine --fetch --deadline "$DL" \
    --rubric mine.yml -q >"$T/mine.out" 2>&1
[ $? -eq 1 ] || { cat "$T/mine.out" >&2; fail "grader-shards.sh with mine.yml"; }
cmp one/gradebook.csv mine/gradebook.csv || fail "2 shards with a copied rubric differ from one run"
echo '# edited after the shards ran' >>mine.yml
expect_status 2 "$G" merge --roster roster-url.csv --rubric mine.yml -o none mine/shard-*
expect_in "$T/err" "graded with another rubric"
rm mine.yml
expect_status 2 "$G" merge --roster roster-url.csv --rubric mine.yml -o none mine/shard-*
expect_in "$T/err" "mine.yml"
# Other known sources, a --no-similar shard, a shard.dat of format 1.
mkdir -p known2 && printf 'A different format description, in its own words about posts.\n' >known2/format.md
expect_status 2 "$G" merge --roster roster-url.csv --known known2 -o none four/shard-*
expect_in "$T/err" "fingerprinted against other known sources"
expect_status 1 "$G" grade --roster roster-url.csv --submissions one-subs --shard 1/1 --no-similar -o nosim -q
expect_status 2 "$G" merge --roster roster-url.csv -o none nosim
expect_in "$T/err" "graded with --no-similar: merge with --no-similar"
expect_status 1 "$G" grade --roster roster-url.csv --submissions one-subs --no-similar -o nosim-one -q
expect_status 1 "$G" merge --roster roster-url.csv --no-similar -o nosim-merged -q nosim
cmp nosim-one/gradebook.csv nosim-merged/gradebook.csv || fail "--no-similar merge differs from one run"
diff -r nosim-one/feedback nosim-merged/feedback >/dev/null || fail "--no-similar merged feedback differs"
mkdir -p v1 && cp four/shard-1-of-4/manifest.csv v1/ &&
    sed '2s/^2$/1/' four/shard-1-of-4/shard.dat >v1/shard.dat
expect_status 2 "$G" merge --roster roster-url.csv -o none v1 four/shard-2-of-4 four/shard-3-of-4 four/shard-4-of-4
expect_in "$T/err" "v1/shard.dat: shard format 1, this grader reads 2: grade the shard again"
[ ! -e none ] || fail "a refused merge wrote something"

# Adding a student moves nobody: the same ids land in the same shards.
for k in 1 2 3 4; do
    "$G" fetch --roster roster-more.csv --shard "$k/4" --into "more-$k" -q -j 2 --deadline "$DL"
    [ $? -le 1 ] || fail "fetch --shard $k/4 of the longer roster"
    [ "$(cut -d, -f1 "more-$k/manifest.csv" | grep -v '^zoe$')" = "$(cut -d, -f1 "submissions/shard-$k-of-4/manifest.csv")" ] ||
        fail "adding zoe moved a student of shard $k"
done
echo "shards: 1 and 4 byte-identical"
