/* Tests for collect.c (and csvtab.c under it): good and broken review files. */
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "csvtab.h"
#include "testutil.h"
#include "util.h"

static const char *ASSIGN = "reviewer,author,repository,post,kept\n"
                            "ann,bob,,,no\nann,cat,,,no\n"
                            "bob,ann,,,no\nbob,cat,,,no\n"
                            "cat,ann,,,no\ncat,bob,,,no\n"
                            "dan,ann,,,no\ndan,bob,,,no\n";
static const char *GRADEBOOK = "id,name,github,repository,status,commit,commit_time,late,title,"
                               "score,max,percent,passed\n"
                               "ann,Ann,ann,r,ok,c1,t,no,3,80,100,80.00,yes\n"
                               "bob,Bob,bob,r,ok,c2,t,no,3,60,100,60.00,no\n"
                               "cat,\"Cat, Jr\",cat,r,ok,c3,t,no,0,40,100,40.00,no\n"
                               "dan,Dan,dan,r,missing,,,,,,,,\n";

typedef struct fx {
    char *dir, *rev, *as, *gb;
} fx;

static fx setup(const char *reviews)
{
    fx f = {tu_tmpdir(), NULL, NULL, NULL};
    tu_write(f.dir, "assignments.csv", ASSIGN);
    tu_write(f.dir, "gradebook.csv", GRADEBOOK);
    tu_write(f.dir, "reviews.csv", reviews);
    f.rev = path_join(f.dir, "reviews.csv");
    f.as = path_join(f.dir, "assignments.csv");
    f.gb = path_join(f.dir, "gradebook.csv");
    return f;
}

static void teardown(fx *f)
{
    tu_rmtree(f->dir);
    free(f->dir);
    free(f->rev);
    free(f->as);
    free(f->gb);
}

/* The gradebook cell of student id in column col. */
static char *cell(const char *gb, const char *id, const char *col)
{
    csvtab *t;
    gr_error err = {0};
    ck_assert_int_eq(csvtab_load(gb, 1 << 20, &t, &err), 0);
    int c = csvtab_col(t, col), ic = csvtab_col(t, "id");
    ck_assert_int_ge(c, 0);
    char *v = NULL;
    for (size_t i = 0; i < t->nrows; i++)
        if (!strcmp(t->rows[i][ic], id))
            v = strdup(t->rows[i][c]);
    csvtab_free(t);
    ck_assert_ptr_nonnull(v);
    return v;
}

static void expect_cell(const char *gb, const char *id, const char *col, const char *want)
{
    char *v = cell(gb, id, col);
    ck_assert_msg(!strcmp(v, want), "%s/%s: got '%s', want '%s'", id, col, v, want);
    free(v);
}

static const collect_opts plain = {.w_auto = 0.5, .w_peer = 0.5};

START_TEST(total_scores_aggregate)
{
    /* bob: 80 and 60 -> median 70; cat: 50 only; ann: 90, 100, 20 -> 90.
     * bob did not review cat; dan reviewed ann far below the others. */
    fx f = setup("reviewer,author,score,comment\n"
                 "ann,bob,80,good\nann,cat,50,\"short, thin\"\n"
                 "bob,ann,90,\nbob,cat,,\n"
                 "cat,ann,100,\ncat,bob,60,\n"
                 "dan,ann,20,\ndan,bob,10,\n");
    collect_stats st;
    gr_error err = {0};
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &plain, &st, &err), 0);
    ck_assert_uint_eq(st.assigned, 8);
    ck_assert_uint_eq(st.reviewed, 7);
    ck_assert_uint_eq(st.missing, 1);
    expect_cell(f.gb, "bob", "peer_reviews", "3");
    expect_cell(f.gb, "bob", "peer_median", "60.00");
    expect_cell(f.gb, "ann", "peer_median", "90.00");
    expect_cell(f.gb, "cat", "peer_reviews", "1");
    expect_cell(f.gb, "bob", "reviews_missing", "1");
    expect_cell(f.gb, "ann", "reviews_missing", "0");
    /* final = mean of 60 (auto) and 60 (peer) */
    expect_cell(f.gb, "bob", "final", "60.00");
    expect_cell(f.gb, "ann", "final", "85.00");
    /* dan: 70 below ann's median, 50 below bob's: flagged hostile */
    expect_cell(f.gb, "dan", "reviewer_flag", "hostile");
    expect_cell(f.gb, "dan", "reviewer_deviation", "60.00");
    expect_cell(f.gb, "ann", "reviewer_flag", "");
    ck_assert_uint_eq(st.flagged, 1);
    /* dan has no grade and no reviews received: no final */
    expect_cell(f.gb, "dan", "final", "");
    /* the gradebook's own columns survive, quoting included */
    expect_cell(f.gb, "cat", "name", "Cat, Jr");
    expect_cell(f.gb, "cat", "percent", "40.00");
    teardown(&f);
}
END_TEST

START_TEST(rerun_replaces_peer_columns_and_penalty_applies)
{
    fx f = setup("reviewer,author,score\nann,bob,80\ncat,bob,60\n");
    collect_stats st;
    gr_error err = {0};
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &plain, &st, &err), 0);
    char *first = tu_slurp(f.gb);
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &plain, &st, &err), 0);
    char *second = tu_slurp(f.gb);
    ck_assert_str_eq(first, second);
    const char *p = strstr(second, "peer_median");
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_null(strstr(p + 1, "peer_median"));
    /* bob missed 2 reviews: 5 points each off his final (60 auto, 70 peer) */
    collect_opts o = plain;
    o.penalty = 5;
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &o, &st, &err), 0);
    expect_cell(f.gb, "bob", "final", "55.00");
    o.w_auto = 1;
    o.w_peer = 0;
    o.penalty = 0;
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &o, &st, &err), 0);
    expect_cell(f.gb, "bob", "final", "60.00");
    free(first);
    free(second);
    teardown(&f);
}
END_TEST

/* Each broken file: the error names the line, the gradebook is untouched. */
static void expect_broken(const char *reviews, int line, const char *words)
{
    fx f = setup(reviews);
    char *before = tu_slurp(f.gb);
    collect_stats st;
    gr_error err = {0};
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &plain, &st, &err), GR_EINPUT);
    ck_assert_msg(err.line == line, "line %d, want %d (%s)", err.line, line, err.msg);
    ck_assert_msg(strstr(err.msg, words) != NULL, "'%s' not in '%s'", words, err.msg);
    ck_assert_str_eq(err.file, f.rev);
    char *after = tu_slurp(f.gb);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    teardown(&f);
}

START_TEST(broken_review_files)
{
    expect_broken("reviewer,author,score\nann,bob,80\nann,dan,50\n", 3, "not assigned");
    expect_broken("reviewer,author,score\nann,bob,80\nann,ann,50\n", 3, "not assigned");
    expect_broken("reviewer,author,score\nann,bob,180\n", 2, "out of range");
    expect_broken("reviewer,author,score\nann,bob,-1\n", 2, "out of range");
    expect_broken("reviewer,author,score\nann,bob,8o\n", 2, "not a number");
    expect_broken("reviewer,author,score\nann,bob,nan\n", 2, "not a number");
    expect_broken("reviewer,author,score\nann,bob,80\ncat,bob,70\nann,bob,81\n", 4,
                  "duplicate review");
    expect_broken("reviewer,author,score\nann,bob,80,extra\n", 2, "header has 3");
    expect_broken("reviewer,author,score\nann,bob,\"80\n", 2, "never closed");
    expect_broken("reviewer,author\nann,bob\n", 1, "score column");
}
END_TEST

START_TEST(criterion_columns)
{
    char *rp = tu_src("rubrics/postmortem.yml");
    rubric *rb;
    gr_error err = {0};
    ck_assert_int_eq(rubric_load(rp, &rb, &err), 0);
    free(rp);
    /* A header with every criterion id, a row giving each criterion its
     * full points, another giving zeros. */
    strbuf h, full, zero;
    sb_init(&h);
    sb_init(&full);
    sb_init(&zero);
    sb_puts(&h, "reviewer,author");
    sb_puts(&full, "ann,bob");
    sb_puts(&zero, "cat,bob");
    int total = 0;
    for (size_t c = 0; c < rb->ncriteria; c++) {
        sb_printf(&h, ",%s", rb->criteria[c].id);
        sb_printf(&full, ",%d", rb->criteria[c].points);
        sb_puts(&zero, ",0");
        total += rb->criteria[c].points;
    }
    strbuf file;
    sb_init(&file);
    sb_printf(&file, "%s,score\n%s,\n%s,0\n", h.s, full.s, zero.s);
    fx f = setup(file.s);
    collect_opts o = plain;
    o.rb = rb;
    collect_stats st;
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &o, &st, &err), 0);
    char want[32];
    snprintf(want, sizeof want, "%.2f", total / 2.0);
    expect_cell(f.gb, "bob", "peer_median", want);
    teardown(&f);

    /* a criterion over its points */
    sb_reset(&file);
    sb_printf(&file, "%s,score\nann,bob,%d", h.s, rb->criteria[0].points + 1);
    for (size_t c = 1; c < rb->ncriteria; c++)
        sb_puts(&file, ",0");
    sb_puts(&file, ",\n");
    f = setup(file.s);
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &o, &st, &err), GR_EINPUT);
    ck_assert_int_eq(err.line, 2);
    ck_assert(strstr(err.msg, rb->criteria[0].id) && strstr(err.msg, "out of range"));
    teardown(&f);

    /* half filled, and a total that is not the sum */
    sb_reset(&file);
    sb_printf(&file, "%s,score\nann,bob,1", h.s);
    for (size_t c = 1; c < rb->ncriteria; c++)
        sb_puts(&file, ",");
    sb_puts(&file, ",\n");
    f = setup(file.s);
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &o, &st, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "left empty") != NULL);
    teardown(&f);
    sb_reset(&file);
    sb_printf(&file, "%s,score\n%s,1\n", h.s, full.s);
    f = setup(file.s);
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &o, &st, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "not the sum") != NULL);
    teardown(&f);

    sb_free(&h);
    sb_free(&full);
    sb_free(&zero);
    sb_free(&file);
    rubric_free(rb);
}
END_TEST

START_TEST(missing_inputs_are_named)
{
    fx f = setup("reviewer,author,score\n");
    collect_stats st;
    gr_error err = {0};
    char *nope = path_join(f.dir, "nope.csv");
    ck_assert_int_eq(collect_run(f.rev, nope, f.gb, &plain, &st, &err), GR_EINPUT);
    ck_assert_str_eq(err.file, nope);
    ck_assert_int_eq(collect_run(f.rev, f.as, nope, &plain, &st, &err), GR_EINPUT);
    ck_assert_str_eq(err.file, nope);
    /* an empty reviews file is fine: nobody reviewed, all missing */
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &plain, &st, &err), 0);
    ck_assert_uint_eq(st.missing, 8);
    expect_cell(f.gb, "dan", "reviews_missing", "2");
    free(nope);
    teardown(&f);
}
END_TEST

/* csvtab numbers a lone CR (old Mac files) as a line end, as roster does. */
START_TEST(csvtab_lines_of_cr_only_files)
{
    char *d = tu_tmpdir();
    tu_write(d, "t.csv", "a,b\rx,\"1\r2\"\ry,3\r");
    char *p = path_join(d, "t.csv");
    csvtab *t;
    gr_error err = {0};
    ck_assert_int_eq(csvtab_load(p, 1 << 20, &t, &err), 0);
    ck_assert_uint_eq(t->nrows, 2);
    ck_assert_int_eq(t->line[0], 2);
    ck_assert_int_eq(t->line[1], 4); /* after a field holding a CR */
    ck_assert_str_eq(t->rows[1][1], "3");
    csvtab_free(t);
    free(p);
    tu_rmtree(d);
    free(d);
}
END_TEST

START_TEST(helpful_votes_per_reviewer)
{
    /* grader serve's reviews.csv carries the authors' votes */
    fx f = setup("reviewer,author,score,helpful\n"
                 "ann,bob,80,yes\nann,cat,50,no\n"
                 "bob,ann,90,yes\ncat,ann,100,\n");
    collect_stats st;
    gr_error err = {0};
    ck_assert_int_eq(collect_run(f.rev, f.as, f.gb, &plain, &st, &err), 0);
    expect_cell(f.gb, "ann", "reviewer_helpful", "0.50");
    expect_cell(f.gb, "bob", "reviewer_helpful", "1.00");
    expect_cell(f.gb, "cat", "reviewer_helpful", ""); /* no vote */
    expect_cell(f.gb, "dan", "reviewer_helpful", "");
    teardown(&f);
}
END_TEST

static Suite *collect_suite(void)
{
    Suite *s = suite_create("collect");
    TCase *tc = tcase_create("collect");
    tcase_add_test(tc, total_scores_aggregate);
    tcase_add_test(tc, helpful_votes_per_reviewer);
    tcase_add_test(tc, rerun_replaces_peer_columns_and_penalty_applies);
    tcase_add_test(tc, broken_review_files);
    tcase_add_test(tc, criterion_columns);
    tcase_add_test(tc, missing_inputs_are_named);
    tcase_add_test(tc, csvtab_lines_of_cr_only_files);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(collect_suite)
