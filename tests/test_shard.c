/* shard: the partition by id hash (fixed, stable when students are added),
 * the roster cut at load, and shard.dat refused when it is not whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster.h"
#include "shard.h"
#include "testutil.h"

START_TEST(parses_k_of_n)
{
    shard_spec s;
    ck_assert_int_eq(shard_parse("1/4", &s), 0);
    ck_assert_uint_eq(s.k, 1);
    ck_assert_uint_eq(s.n, 4);
    ck_assert_int_eq(shard_parse("4/4", &s), 0);
    ck_assert_int_eq(shard_parse("1/1", &s), 0);
    const char *bad[] = {"0/4",  "5/4", "4",       "/4", "1/",   "1/0",  "-1/4", "1/-4",
                         "1/4x", "x/4", "1/99999", "",   "+1/4", " 1/4", "1/ 4"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(shard_parse(bad[i], &s) == -1, "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(hash_is_fnv1a_64)
{
    /* the published FNV-1a 64 test vectors: any machine, any build agrees */
    ck_assert_uint_eq(shard_hash(""), 0xcbf29ce484222325ULL);
    ck_assert_uint_eq(shard_hash("a"), 0xaf63dc4c8601ec8cULL);
    ck_assert_uint_eq(shard_hash("foobar"), 0x85944171f73967e8ULL);
}
END_TEST

START_TEST(every_id_in_exactly_one_shard)
{
    char id[32];
    size_t count[7] = {0};
    for (int i = 0; i < 700; i++) {
        snprintf(id, sizeof id, "student-%d", i);
        int holders = 0;
        for (unsigned k = 1; k <= 7; k++) {
            shard_spec s = {k, 7};
            if (shard_holds(&s, id)) {
                holders++;
                count[k - 1]++;
            }
        }
        ck_assert_int_eq(holders, 1);
        ck_assert(shard_holds(NULL, id));
        ck_assert(shard_holds(&(shard_spec){0, 0}, id));
    }
    /* spread: no shard empty or holding most of the cohort */
    for (int k = 0; k < 7; k++)
        ck_assert_msg(count[k] > 50 && count[k] < 150, "shard %d holds %zu of 700", k + 1,
                      count[k]);
}
END_TEST

static roster *load(const char *dir, const char *text, const shard_spec *s)
{
    tu_write(dir, "roster.csv", text);
    size_t n = strlen(dir) + 16;
    char path[n];
    snprintf(path, n, "%s/roster.csv", dir);
    roster_opts o = {.shard = s};
    roster *r = NULL;
    gr_error err = {0};
    ck_assert_msg(roster_load(path, &o, &r, &err) == 0, "%s", err.msg);
    return r;
}

/* Adding a student (anywhere in the file) moves nobody else. */
START_TEST(roster_cut_at_load_is_stable)
{
    char *dir = tu_tmpdir();
    const char *before = "id,name,repo\nada,A,/r/ada\nben,B,/r/ben\ncyd,C,/r/cyd\ndev,D,/r/"
                         "dev\neli,E,/r/eli\nfay,F,/r/fay\n";
    const char *after = "id,name,repo\nzed,Z,/r/zed\nada,A,/r/ada\nben,B,/r/ben\nnew,N,/r/"
                        "new\ncyd,C,/r/cyd\ndev,D,/r/dev\neli,E,/r/eli\nfay,F,/r/fay\n";
    size_t total = 0;
    for (unsigned k = 1; k <= 3; k++) {
        shard_spec s = {k, 3};
        roster *a = load(dir, before, &s), *b = load(dir, after, &s);
        total += a->n;
        size_t j = 0;
        for (size_t i = 0; i < b->n; i++) {
            if (!strcmp(b->v[i].id, "zed") || !strcmp(b->v[i].id, "new"))
                continue;
            ck_assert_uint_lt(j, a->n);
            ck_assert_str_eq(b->v[i].id, a->v[j].id); /* same students, roster order */
            ck_assert_int_eq(b->v[i].line > 0, 1);
            j++;
        }
        ck_assert_uint_eq(j, a->n);
        roster_free(a);
        roster_free(b);
    }
    ck_assert_uint_eq(total, 6);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* A shard.dat cut short or tampered with is refused, naming the file. */
START_TEST(damaged_shard_refused)
{
    char *dir = tu_tmpdir();
    roster *ro = load(dir, "id,name,repo\nada,A,/r/ada\n", NULL);
    tu_write(dir, "rubric.yml", "name: x\n");
    size_t n = strlen(dir) + 16;
    char rubric[n], sdir[n];
    snprintf(rubric, n, "%s/rubric.yml", dir);
    snprintf(sdir, n, "%s/s1", dir);
    const char *bad[] = {
        "",
        "grader-shard 1\n1\n",
        "grader-shard 1\n2\nshard 3\n1/1\n",
        "grader-shard 1\n1\nshard 3\n2/1\n",
        "grader-shard 1\n1\nshard 3\n1/1\nroster 999\nx\n",
        "grader-shard 1\n1\nshard 3\n1/1\nroster 1\nx\nrubric 1\nx\ndocument 1\nx\ndeadline "
        "1\n-\ngraded_at 1\n0\nstudents 9999\n0\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tu_write(sdir, "shard.dat", bad[i]);
        char *dirs[] = {sdir};
        shard_set *s = NULL;
        gr_error err = {0};
        int rc = shard_set_load(dirs, 1, ro, rubric, &s, &err);
        ck_assert_msg(rc == GR_EINPUT, "case %zu: %d", i, rc);
        ck_assert_ptr_null(s);
        ck_assert_msg(strstr(err.file, "shard.dat") != NULL, "case %zu: %s", i, err.file);
    }
    char *none[] = {NULL};
    shard_set *s = NULL;
    gr_error err = {0};
    ck_assert_int_eq(shard_set_load(none, 0, ro, rubric, &s, &err), GR_EUSAGE);
    roster_free(ro);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static void put(FILE *fp, const char *key, const char *v)
{
    fprintf(fp, "%s %zu\n%s\n", key, strlen(v), v);
}

/* A whole shard.dat loads; every prefix of it is refused (never read past
 * its end: run under ASan and valgrind). */
START_TEST(every_cut_refused)
{
    char *dir = tu_tmpdir();
    const char *rtext = "id,name,repo\nada,A,/r/ada\nben,B,/r/ben\n";
    roster *ro = load(dir, rtext, NULL);
    tu_write(dir, "rubric.yml", "name: x\n");
    tu_write(dir, "s1/manifest.csv",
             "id,repo,status,commit,commit_time,late,late_commits,path,first_seen,detail,misnamed\n"
             "ada,/r/ada,no-repo,,,no,0,Blog_Post.md,,,no\n");
    size_t n = strlen(dir) + 32;
    char rubric[n], sdir[n], dat[n];
    snprintf(rubric, n, "%s/rubric.yml", dir);
    snprintf(sdir, n, "%s/s1", dir);
    snprintf(dat, n, "%s/s1/shard.dat", dir);
    char rh[17], bh[17];
    snprintf(rh, sizeof rh, "%016llx", (unsigned long long)shard_hash(rtext));
    snprintf(bh, sizeof bh, "%016llx", (unsigned long long)shard_hash("name: x\n"));
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    put(fp, "grader-shard", "1");
    put(fp, "shard", "1/1");
    put(fp, "roster", rh);
    put(fp, "rubric", bh);
    put(fp, "document", "Blog_Post.md");
    put(fp, "deadline", "-");
    put(fp, "graded_at", "5");
    put(fp, "students", "2");
    const char *ids[] = {"ada", "ben"};
    for (int i = 0; i < 2; i++) {
        put(fp, "id", ids[i]);
        put(fp, "status", i ? "ok" : "no-repo");
        put(fp, "detail", "");
        put(fp, "advice", "");
        put(fp, "doc", "Blog_Post.md");
        put(fp, i ? "post" : "nopost", i ? "# A post\n\nwith lines\n" : "");
    }
    put(fp, "end", "");
    fclose(fp);
    char *dirs[] = {sdir};
    for (size_t cut = 0; cut <= len; cut++) {
        FILE *out = fopen(dat, "wb");
        ck_assert_ptr_nonnull(out);
        fwrite(buf, 1, cut, out);
        fclose(out);
        shard_set *s = NULL;
        gr_error err = {0};
        int rc = shard_set_load(dirs, 1, ro, rubric, &s, &err);
        if (cut == len) {
            ck_assert_msg(rc == 0, "the whole file: %s", err.msg);
            shard_info in;
            shard_set_info(s, &in);
            ck_assert_str_eq(in.document, "Blog_Post.md");
            ck_assert(!in.has_deadline);
        } else
            ck_assert_msg(rc == GR_EINPUT, "cut at %zu of %zu: %d", cut, len, rc);
        shard_set_free(s);
    }
    free(buf);
    roster_free(ro);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

static Suite *shard_suite(void)
{
    Suite *s = suite_create("shard");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, parses_k_of_n);
    tcase_add_test(tc, hash_is_fnv1a_64);
    tcase_add_test(tc, every_id_in_exactly_one_shard);
    tcase_add_test(tc, roster_cut_at_load_is_stable);
    tcase_add_test(tc, damaged_shard_refused);
    tcase_add_test(tc, every_cut_refused);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(shard_suite)
