#!/bin/sh
# A cohort of 30,000 students (a 2 MB roster, a 3 MB manifest: both over the
# 1 MiB cap of a post that once refused them): fetched, fetched again with
# every first_seen kept, graded and compared. Most students have nothing to
# grade; five have real local repositories.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
command -v git >/dev/null || { echo "git not installed: skipping the 30,000-student run"; exit 0; }
export GIT_CONFIG_NOSYSTEM=1 HOME="$T" GIT_AUTHOR_NAME=s GIT_AUTHOR_EMAIL=s@x \
    GIT_COMMITTER_NAME=s GIT_COMMITTER_EMAIL=s@x
N=30000
i=0
for f in excellent weak plain-headings reworded bold-headings; do
    i=$((i + 1))
    git init -q -b main "src/r$i" || fail "git init"
    cp "$SRC/tests/fixtures/check/$f.md" "src/r$i/Blog_Post.md"
    (cd "src/r$i" && git add -A && git commit -qm post) || fail "git commit"
done
# the real repositories spread through the roster, the rest without one
awk -v n=$N -v src="$T/src" 'BEGIN {
    print "id,name,github,repo"
    for (i = 1; i <= n; i++) {
        repo = ""
        if (i % 6000 == 1) repo = "file://" src "/r" (int(i / 6000) + 1)
        printf "student-%05d,Student Number %d,gh-student-%d,%s\n", i, i, i, repo
    }
}' > roster.csv
[ "$(wc -c < roster.csv)" -gt 1048576 ] || fail "the roster should be over 1 MiB"

expect_status 1 "$G" fetch --roster roster.csv -j 2 -q
M=submissions/manifest.csv
[ "$(wc -l < $M)" -eq $((N + 1)) ] || fail "manifest: $(wc -l < $M) lines"
[ "$(wc -c < $M)" -gt 1048576 ] || fail "the manifest should be over 1 MiB"
[ "$(grep -c ',ok,' $M)" -eq 5 ] || fail "5 posts expected in the manifest"
# first_seen of the 5 fetched commits, then a re-fetch a second later
grep ',ok,' $M | cut -d, -f1,9 | sort > seen1
sleep 1
expect_status 1 "$G" fetch --roster roster.csv -j 2 -q
grep ',ok,' $M | cut -d, -f1,9 | sort > seen2
[ -s seen1 ] && cmp -s seen1 seen2 || { diff seen1 seen2 >&2; fail "a re-fetch changed first_seen"; }

# a manifest that cannot be read stops fetch, and nothing is lost
cp $M good.csv
sed 's/^student-00007,\(.*\),no-repo,/student-00007,\1,weird,/' good.csv > $M
expect_status 2 "$G" fetch --roster roster.csv -j 2 -q
expect_in "$T/err" "manifest.csv:8: unknown status \"weird\""
expect_in "$T/err" "first_seen"
grep -q '^student-00007,.*,weird,' $M || fail "fetch overwrote the unreadable manifest"
cp good.csv $M

expect_status 1 "$G" grade --roster roster.csv -q
B=reports/gradebook.csv
[ "$(wc -l < $B)" -eq $((N + 1)) ] || fail "gradebook: $(wc -l < $B) lines"
[ "$(grep -c ',no-repo,' $B)" -eq $((N - 5)) ] || fail "$((N - 5)) no-repo rows expected"
grep -q '^student-00001,.*,ok,[0-9a-f]\{40\},' $B || fail "student-00001 not graded: $(grep '^student-00001,' $B)"
grep -q '^student-24001,.*,ok,[0-9a-f]\{40\},' $B || fail "student-24001 not graded"
[ "$(ls reports/feedback | wc -l)" -eq $N ] || fail "one feedback file per student"

expect_status 0 "$G" similar --roster roster.csv -o sim
expect_in "$T/out" "5 of $N students have a post to compare"
expect_status 0 "$G" assign --roster roster.csv -k 2 --reviewers submitted -o peer
expect_in "$T/out" "5 authors"
exit 0
