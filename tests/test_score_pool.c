/* score_pool: posts scored on several threads come back in the order
 * given, with the scores one thread gives; a file that cannot be read is
 * an item with its error; a callback's failure stops the batch; every
 * batch ends. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rubric.h"
#include "score_pool.h"
#include "testutil.h"

enum { NPOSTS = 150 };

typedef struct seen {
    size_t n;
    size_t order[NPOSTS + 1];
    int points[NPOSTS + 1];
    int rc[NPOSTS + 1];
    size_t stop_at; /* return an error at this index, or SIZE_MAX */
} seen;

static int record(void *ctx, size_t i, const score_item *it)
{
    seen *s = ctx;
    if (i == s->stop_at)
        return GR_EIO;
    s->order[s->n] = i;
    s->rc[s->n] = it->rc;
    s->points[s->n] = it->res ? it->res->points : -1;
    s->n++;
    return 0;
}

static rubric *postmortem(void)
{
    char *path = tu_src("rubrics/postmortem.yml");
    rubric *r = NULL;
    gr_error err = {0};
    ck_assert_int_eq(rubric_load(path, &r, &err), 0);
    free(path);
    return r;
}

/* NPOSTS files of three kinds, and one missing at the end. */
static char **make_posts(const char *dir)
{
    char **files = calloc(NPOSTS + 1, sizeof *files);
    char *fixtures[] = {tu_src("tests/fixtures/check/excellent.md"),
                        tu_src("tests/fixtures/check/weak.md"),
                        tu_src("tests/fixtures/check/plain-headings.md")};
    for (size_t i = 0; i < NPOSTS; i++) {
        char name[32];
        snprintf(name, sizeof name, "p%03zu.md", i);
        char *text = tu_slurp(fixtures[i % 3]);
        ck_assert_ptr_nonnull(text);
        tu_write(dir, name, text);
        free(text);
        files[i] = malloc(strlen(dir) + sizeof name + 2);
        sprintf(files[i], "%s/%s", dir, name);
    }
    files[NPOSTS] = malloc(strlen(dir) + 16);
    sprintf(files[NPOSTS], "%s/missing.md", dir);
    for (int k = 0; k < 3; k++)
        free(fixtures[k]);
    return files;
}

static void free_posts(char **files, char *dir)
{
    for (size_t i = 0; i <= NPOSTS; i++)
        free(files[i]);
    free(files);
    tu_rmtree(dir);
    free(dir);
}

START_TEST(in_order_same_scores)
{
    char *dir = tu_tmpdir();
    char **files = make_posts(dir);
    rubric *r = postmortem();
    static seen one, four;
    one.stop_at = four.stop_at = SIZE_MAX;
    ck_assert_int_eq(score_pool_run(r, files, NPOSTS + 1, 1, record, &one), 0);
    ck_assert_int_eq(score_pool_run(r, files, NPOSTS + 1, 4, record, &four), 0);
    ck_assert_uint_eq(one.n, NPOSTS + 1);
    ck_assert_uint_eq(four.n, NPOSTS + 1);
    for (size_t i = 0; i <= NPOSTS; i++) {
        ck_assert_uint_eq(four.order[i], i);
        ck_assert_int_eq(four.points[i], one.points[i]);
        ck_assert_int_eq(four.rc[i], one.rc[i]);
    }
    /* the three kinds score differently, the missing file is an error */
    ck_assert_int_ne(one.points[0], one.points[1]);
    ck_assert_int_lt(one.rc[NPOSTS], 0); /* missing: bad input */
    ck_assert_int_eq(one.points[NPOSTS], -1);
    free_posts(files, dir);
    rubric_free(r);
}
END_TEST

START_TEST(callback_failure_stops)
{
    char *dir = tu_tmpdir();
    char **files = make_posts(dir);
    rubric *r = postmortem();
    static seen s;
    s.stop_at = 40;
    ck_assert_int_eq(score_pool_run(r, files, NPOSTS, 3, record, &s), GR_EIO);
    ck_assert_uint_eq(s.n, 40);
    /* nothing to score is no error */
    ck_assert_int_eq(score_pool_run(r, files, 0, 3, record, &s), 0);
    ck_assert_int_ge(score_pool_cpus(), 1);
    free_posts(files, dir);
    rubric_free(r);
}
END_TEST

/* Many short batches, stopped early and run to the end: a thread that
 * missed the batch's end would hang one of them (the case's timeout). */
START_TEST(short_batches_end)
{
    char *dir = tu_tmpdir();
    char **files = make_posts(dir);
    rubric *r = postmortem();
    for (int i = 0; i < 300; i++) {
        static seen s;
        memset(&s, 0, sizeof s);
        s.stop_at = i % 2 ? 3 : SIZE_MAX;
        int rc = score_pool_run(r, files, 8, 3, record, &s);
        ck_assert_int_eq(rc, i % 2 ? GR_EIO : 0);
        ck_assert_uint_eq(s.n, i % 2 ? 3 : 8);
    }
    free_posts(files, dir);
    rubric_free(r);
}
END_TEST

static Suite *pool_suite(void)
{
    Suite *s = suite_create("score_pool");
    TCase *tc = tcase_create("pool");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, in_order_same_scores);
    tcase_add_test(tc, callback_failure_stops);
    tcase_add_test(tc, short_batches_end);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(pool_suite)
