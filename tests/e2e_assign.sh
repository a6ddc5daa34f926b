#!/bin/sh
# grader assign and grader collect from the command line: a roster, a fetch
# manifest, packets, the template, keep, impossible constraints, collect.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

{ echo "id,name,github,repo,team"
  i=1; while [ $i -le 30 ]; do
      if [ $i -eq 2 ]; then echo "s2,Student 2,gh2,https://gh2:tok123@github.com/gh2/postmortem,t2"
      else echo "s$i,Student $i,gh$i,https://github.com/gh$i/postmortem,t$((i % 4))"; fi
      i=$((i + 1)); done
} > roster.csv
mkdir submissions
# as grader fetch writes it: credentials as ***, the post's real path
{ echo "id,repo,status,commit,commit_time,late,late_commits,path,first_seen,detail"
  i=1; while [ $i -le 30 ]; do
      if [ $i -eq 7 ]; then echo "s7,https://github.com/gh7/postmortem,missing,,,no,0,,,"
      elif [ $i -eq 2 ]; then echo "s2,https://***@github.com/gh2/postmortem,ok,c0ffee2,t,no,0,Blog_Post.md,,"
      elif [ $i -eq 3 ]; then echo "s3,https://github.com/gh3/postmortem.git,ok,c0ffee3,t,no,0,blog_post.md,,"
      else echo "s$i,https://github.com/gh$i/postmortem.git,ok,c0ffee$i,t,no,0,Blog_Post.md,,"; fi
      i=$((i + 1)); done
} > submissions/manifest.csv

expect_status 0 "$G" assign --help
expect_in "$T/out" "--avoid-group"
expect_status 2 "$G" assign -k 3
expect_in "$T/err" "roster"
expect_status 2 "$G" assign --roster roster.csv -k x
expect_status 2 "$G" assign --roster roster.csv --reviewers some

expect_status 0 "$G" assign --roster roster.csv -k 3 --seed 42 --avoid-group team
expect_in "$T/out" "29 authors"
expect_in "$T/out" "0 same-group pairs"
A=reports/assignments.csv
[ "$(sed 1d $A | wc -l)" -eq 87 ] || fail "87 pairs expected"
expect_in $A "^reviewer,author,repository,post"
expect_in $A "https://github.com/gh1/postmortem/blob/c0ffee1/Blog_Post.md"
expect_in $A "https://github.com/gh3/postmortem/blob/c0ffee3/blog_post.md"
# a token in the roster's URL reaches no output; the permalink still works
expect_in $A "https://github.com/gh2/postmortem/blob/c0ffee2/Blog_Post.md"
! grep -rq tok123 reports || fail "a token leaked into reports/"
# s7 has nothing to grade: never an author, but (reviewers all) may review
expect_not_in $A "^[^,]*,s7,"
# no self-review, no same-team pair, exactly 3 reviewers per author
awk -F, 'NR>1 && $1==$2 {print "self: " $0; bad=1} END {exit bad}' $A || fail "self-review"
awk -F, 'NR>1 {split($1,a,"s"); split($2,b,"s"); if (a[2]%4==b[2]%4) {print; bad=1}} END {exit bad}' $A \
    || fail "same-team pair"
sed 1d $A | cut -d, -f2 | sort | uniq -c | awk '$1 != 3 {bad=1} END {exit bad}' || fail "not 3 each"
[ -f reports/reviews/s1.md ] || fail "no packet for s1"
expect_in reports/reviews/s1.md "Rubric"
expect_in reports/reviews/s1.md "^- \[ \] \`title\`"
expect_in reports/reviews/s1.md "^s1,s"
expect_in reports/reviews.csv "^reviewer,author,title,"
cp $A first.csv

# same seed: same file; another seed: another one
expect_status 0 "$G" assign --roster roster.csv -k 3 --seed 42 --avoid-group team
cmp -s $A first.csv || fail "same seed gave another assignment"
expect_status 0 "$G" assign --roster roster.csv -k 3 --seed 43 --avoid-group team
cmp -s $A first.csv && fail "another seed gave the same assignment"

# --reviewers submitted: s7 reviews nobody
expect_status 0 "$G" assign --roster roster.csv -k 3 --reviewers submitted
expect_not_in $A "^s7,"
expect_in "$T/out" "every reviewer reviews 3 posts"

# a late student: --keep keeps every earlier pair
echo "s31,Late,gh31,https://github.com/gh31/postmortem,t1" >> roster.csv
echo "s31,https://github.com/gh31/postmortem,ok,beef,t,no,0,Blog_Post.md,," >> submissions/manifest.csv
expect_status 0 "$G" assign --roster roster.csv -k 3 --seed 42 --avoid-group team --keep first.csv
expect_in "$T/out" "kept 87 pairs"
sed 1d first.csv | cut -d, -f1,2 | sort > old.txt
sed 1d $A | cut -d, -f1,2 | sort > new.txt
[ -z "$(comm -23 old.txt new.txt)" ] || fail "a kept pair was lost"
[ "$(grep -c ',s31$' new.txt)" -eq 3 ] || fail "s31 needs 3 reviewers"

# impossible constraints: exit 2, the constraint named
expect_status 2 "$G" assign --roster roster.csv -k 31
expect_in "$T/err" "\-k 31 is impossible"
expect_status 0 "$G" assign --roster roster.csv -k 3 --avoid-group name
expect_status 0 "$G" assign --roster roster.csv -k 3 --avoid-group github
awk -F, 'NR==1 {print $0 ",all"; next} {print $0 ",x"}' roster.csv > one.csv
expect_status 2 "$G" assign --roster one.csv -k 2 --avoid-group all -o one
expect_in "$T/err" "avoid-group is impossible"
expect_in "$T/err" '"x"'
expect_status 2 "$G" assign --roster roster.csv -k 2 --avoid-group nosuch
expect_in "$T/err" "no such column"

# collect: fill in every review with 70 except s1's, which are 0
expect_status 0 "$G" assign --roster roster.csv -k 3 --seed 5
awk -F, 'NR==1 {print "reviewer,author,score"; next}
         $1=="s1" {print $1 "," $2 ",0"; next} {print $1 "," $2 ",70"}' reports/assignments.csv > filled.csv
{ echo "id,name,github,repository,status,commit,commit_time,late,title,score,max,percent,passed"
  i=1; while [ $i -le 31 ]; do echo "s$i,S,gh$i,r,ok,c,t,no,3,50,100,50.00,no"; i=$((i + 1)); done
} > reports/gradebook.csv
expect_status 0 "$G" collect --reviews filled.csv
expect_in "$T/out" "90 of 90 assigned reviews done"
expect_in reports/gradebook.csv "^s1,.*hostile"
expect_in reports/gradebook.csv "peer_median"
cp reports/gradebook.csv gb1.csv
expect_status 0 "$G" collect --reviews filled.csv
cmp -s reports/gradebook.csv gb1.csv || fail "collect twice changed the gradebook"
# a broken review: line-numbered, gradebook untouched
{ cat filled.csv; echo "s1,s1,50"; } > broken.csv
expect_status 2 "$G" collect --reviews broken.csv
expect_in "$T/err" "broken.csv:92:"
cmp -s reports/gradebook.csv gb1.csv || fail "a failed collect touched the gradebook"
expect_status 2 "$G" collect --reviews filled.csv --weights auto=x
expect_status 0 "$G" collect --help
expect_in "$T/out" "--penalty"

# With the real grader fetch: its manifest decides who is reviewed.
command -v git >/dev/null || { echo "git not installed: skipping the fetch run"; exit 0; }
export GIT_CONFIG_NOSYSTEM=1 HOME="$T" GIT_AUTHOR_NAME=s GIT_AUTHOR_EMAIL=s@x \
    GIT_COMMITTER_NAME=s GIT_COMMITTER_EMAIL=s@x
mkdir "$T/f" && cd "$T/f" || exit 1
printf 'id,repo\n' > roster.csv
for s in ann ben cat dan eve fay gus; do
    git init -q -b main "src/$s" || fail "git init"
    [ "$s" = dan ] || echo "# $s" > "src/$s/Blog_Post.md"
    [ "$s" = dan ] && echo x > "src/$s/README.md"
    (cd "src/$s" && git add -A && git commit -qm post) || fail "git commit"
    printf '%s,file://%s\n' "$s" "$T/f/src/$s" >> roster.csv
done
"$G" fetch --roster roster.csv --path Blog_Post.md -j 1 > /dev/null 2>&1
[ -f submissions/manifest.csv ] || fail "grader fetch wrote no manifest"
expect_status 0 "$G" assign --roster roster.csv -k 2 --reviewers submitted
expect_in "$T/out" "6 authors"
expect_not_in reports/assignments.csv "dan"
expect_in reports/reviews/ann.md "Blog_Post.md"
exit 0
