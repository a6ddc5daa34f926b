/* Property tests for assign.c: random rosters, every constraint checked on
 * the output, determinism, impossible cases. */
#include <stdlib.h>
#include <string.h>

#include "assign.h"
#include "testutil.h"

typedef struct roster_gen {
    assign_student *s;
    size_t n;
    int ngroups;
} roster_gen;

/* A random roster from our own PRNG, so a failure reproduces everywhere. */
static roster_gen gen(assign_rng *r, size_t n, int ngroups, int nosub_pct, bool all_review)
{
    roster_gen g = {calloc(n, sizeof(assign_student)), n, ngroups};
    ck_assert_ptr_nonnull(g.s);
    for (size_t i = 0; i < n; i++) {
        g.s[i].author = (int)assign_rng_below(r, 100) >= nosub_pct;
        g.s[i].reviewer = all_review || g.s[i].author;
        g.s[i].group = ngroups ? (int)assign_rng_below(r, (uint64_t)ngroups) : -1;
        /* some students in no group at all */
        if (ngroups && assign_rng_below(r, 20) == 0)
            g.s[i].group = -1;
    }
    return g;
}

static bool feasible_groups(const roster_gen *g, int k)
{
    size_t p = 0;
    size_t *cnt = calloc((size_t)g->ngroups + 1, sizeof *cnt);
    bool *has = calloc((size_t)g->ngroups + 1, sizeof *has);
    for (size_t i = 0; i < g->n; i++) {
        p += g->s[i].reviewer;
        if (g->s[i].group >= 0) {
            cnt[g->s[i].group] += g->s[i].reviewer;
            has[g->s[i].group] |= g->s[i].author;
        }
    }
    bool ok = true;
    for (int x = 0; x < g->ngroups; x++)
        if (has[x] && p - cnt[x] < (size_t)k)
            ok = false;
    free(cnt);
    free(has);
    return ok;
}

/* Every property the issue promises, checked from the pairs alone. */
static void verify(const roster_gen *g, const assign_opts *o, const assign_result *res)
{
    size_t n = g->n;
    int k = o->k;
    int *got = calloc(n, sizeof *got), *load = calloc(n, sizeof *load);
    size_t m = 0, p = 0;
    for (size_t i = 0; i < n; i++) {
        m += g->s[i].author;
        p += g->s[i].reviewer;
    }
    ck_assert_uint_eq(res->nauthors, m);
    ck_assert_uint_eq(res->nreviewers, p);
    ck_assert_uint_eq(res->npairs, m * (size_t)k);
    size_t recip = 0, groupc = 0;
    for (size_t t = 0; t < res->npairs; t++) {
        const assign_pair *q = &res->pairs[t];
        ck_assert_int_ne(q->reviewer, q->author); /* never a self-review */
        ck_assert(g->s[q->reviewer].reviewer);
        ck_assert(g->s[q->author].author);
        if (t) { /* sorted, and no duplicate pair */
            const assign_pair *pr = &res->pairs[t - 1];
            ck_assert(pr->reviewer < q->reviewer ||
                      (pr->reviewer == q->reviewer && pr->author < q->author));
        }
        got[q->author]++;
        load[q->reviewer]++;
        int gr = g->s[q->reviewer].group;
        if (o->avoid_group && gr >= 0 && gr == g->s[q->author].group)
            groupc++;
        /* reciprocal: binary search the reverse pair */
        size_t lo = 0, hi = res->npairs;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            const assign_pair *x = &res->pairs[mid];
            if (x->reviewer < q->author || (x->reviewer == q->author && x->author < q->reviewer))
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < res->npairs && res->pairs[lo].reviewer == q->author &&
            res->pairs[lo].author == q->reviewer && q->reviewer < q->author)
            recip++;
    }
    int lmin = -1, lmax = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(got[i], g->s[i].author ? k : 0); /* exactly k reviewers */
        if (!g->s[i].reviewer) {
            ck_assert_int_eq(load[i], 0);
            continue;
        }
        if (lmin < 0 || load[i] < lmin)
            lmin = load[i];
        if (load[i] > lmax)
            lmax = load[i];
    }
    if (m) {
        ck_assert_int_eq(res->load_min, lmin);
        ck_assert_int_eq(res->load_max, lmax);
    }
    ck_assert_uint_eq(res->reciprocal, recip);
    ck_assert_uint_eq(res->group_conflicts, groupc);
    /* Avoid-group honoured whenever feasible (assign_run succeeded). */
    ck_assert_uint_eq(groupc, 0);
    /* No reciprocal pair when there are more than 2k reviewers and all
     * authors review: the construction rules them out. */
    if (p > 2 * (size_t)k && !o->avoid_group)
        ck_assert_uint_eq(recip, 0);
    if (!o->avoid_group && o->nkeep == 0) {
        /* Without groups nothing forces an imbalance. */
        ck_assert_msg(lmax - lmin <= 1, "loads %d..%d (n=%zu k=%d)", lmin, lmax, n, k);
        ck_assert(res->balanced);
        if (m && p == m) {
            ck_assert_int_eq(lmin, k);
            ck_assert_int_eq(lmax, k);
        }
    }
    ck_assert(res->balanced == (lmax - lmin <= 1) || !m);
    free(got);
    free(load);
}

static bool same_result(const assign_result *a, const assign_result *b)
{
    if (a->npairs != b->npairs)
        return false;
    for (size_t i = 0; i < a->npairs; i++)
        if (a->pairs[i].reviewer != b->pairs[i].reviewer ||
            a->pairs[i].author != b->pairs[i].author)
            return false;
    return true;
}

/* One random roster per _i: n spread over 2..5000 (mostly small, a few large). */
START_TEST(random_rosters_keep_every_constraint)
{
    assign_rng r;
    assign_rng_seed(&r, 0xC0FFEEu + (uint64_t)_i);
    size_t n = _i % 25 == 0 ? 1000 + assign_rng_below(&r, 4001) : 2 + assign_rng_below(&r, 200);
    int k = 1 + (int)assign_rng_below(&r, 5);
    int ngroups = (int)assign_rng_below(&r, 4) == 0 ? 0 : 1 + (int)assign_rng_below(&r, 12);
    int nosub = (int)assign_rng_below(&r, 4) * 10;
    bool all = assign_rng_below(&r, 2);
    roster_gen g = gen(&r, n, ngroups, nosub, all);
    for (int avoid = 0; avoid <= 1; avoid++) {
        assign_opts o = {.k = k, .seed = assign_rng_next(&r), .avoid_group = avoid};
        assign_result res, res2;
        gr_error err = {0};
        int rc = assign_run(g.s, n, &o, &res, &err);
        size_t m = 0, p = 0;
        bool reviewing_author = false;
        for (size_t i = 0; i < n; i++) {
            m += g.s[i].author;
            p += g.s[i].reviewer;
            reviewing_author |= g.s[i].author && g.s[i].reviewer;
        }
        bool kfail = m && p < (size_t)k + (reviewing_author ? 1 : 0);
        bool possible = !kfail && (!avoid || !m || feasible_groups(&g, k));
        if (!possible) {
            ck_assert_int_eq(rc, GR_EINPUT);
            ck_assert(strstr(err.msg, kfail ? "-k " : "--avoid-group") != NULL);
            continue;
        }
        ck_assert_msg(rc == 0, "n=%zu k=%d: %s", n, k, err.msg);
        verify(&g, &o, &res);
        /* Same input, same seed: the same pairs. */
        ck_assert_int_eq(assign_run(g.s, n, &o, &res2, &err), 0);
        ck_assert(same_result(&res, &res2));
        assign_result_free(&res2);
        assign_result_free(&res);
    }
    free(g.s);
}
END_TEST

START_TEST(seeds_differ_and_reproduce_known_pairs)
{
    assign_student s[40];
    for (int i = 0; i < 40; i++)
        s[i] = (assign_student){true, true, -1};
    assign_opts o = {.k = 3, .seed = 1};
    assign_result a, b;
    gr_error err = {0};
    ck_assert_int_eq(assign_run(s, 40, &o, &a, &err), 0);
    o.seed = 2;
    ck_assert_int_eq(assign_run(s, 40, &o, &b, &err), 0);
    ck_assert(!same_result(&a, &b));
    assign_result_free(&a);
    assign_result_free(&b);
}
END_TEST

START_TEST(impossible_constraints_are_named)
{
    assign_student s[5];
    for (int i = 0; i < 5; i++)
        s[i] = (assign_student){true, true, 0};
    assign_result res;
    gr_error err = {0};
    /* k >= number of eligible authors */
    assign_opts o = {.k = 5, .seed = 7};
    ck_assert_int_eq(assign_run(s, 5, &o, &res, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "-k 5") != NULL);
    o.k = 4;
    ck_assert_int_eq(assign_run(s, 5, &o, &res, &err), 0);
    verify(&(roster_gen){s, 5, 1}, &o, &res);
    assign_result_free(&res);
    /* one group holding everyone */
    const char *names[] = {"team-a"};
    o = (assign_opts){.k = 1, .seed = 7, .avoid_group = true, .group_names = names};
    ck_assert_int_eq(assign_run(s, 5, &o, &res, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "--avoid-group") != NULL);
    ck_assert(strstr(err.msg, "\"team-a\"") != NULL);
    o.k = 0;
    ck_assert_int_eq(assign_run(s, 5, &o, &res, &err), GR_EUSAGE);
}
END_TEST

START_TEST(small_cohorts_say_reciprocal_is_forced)
{
    /* n = 2k: every pair must be reciprocal somewhere. */
    assign_student s[4];
    for (int i = 0; i < 4; i++)
        s[i] = (assign_student){true, true, -1};
    assign_opts o = {.k = 2, .seed = 3};
    assign_result res;
    gr_error err = {0};
    ck_assert_int_eq(assign_run(s, 4, &o, &res, &err), 0);
    verify(&(roster_gen){s, 4, 0}, &o, &res);
    ck_assert_uint_gt(res.reciprocal, 0);
    ck_assert(res.reciprocal_forced);
    assign_result_free(&res);
    /* n = 2k + 1: none. */
    assign_student t[5];
    for (int i = 0; i < 5; i++)
        t[i] = (assign_student){true, true, -1};
    ck_assert_int_eq(assign_run(t, 5, &o, &res, &err), 0);
    ck_assert_uint_eq(res.reciprocal, 0);
    assign_result_free(&res);
}
END_TEST

START_TEST(big_group_still_avoided)
{
    /* 40% of the class in one team: the construction's arcs overlap, the
     * repair must cross them and keep loads balanced. */
    enum { N = 200 };
    assign_student s[N];
    for (int i = 0; i < N; i++)
        s[i] = (assign_student){true, true, i < 2 * N / 5 ? 0 : 1 + i % 7};
    assign_opts o = {.k = 3, .seed = 11, .avoid_group = true};
    assign_result res;
    gr_error err = {0};
    ck_assert_int_eq(assign_run(s, N, &o, &res, &err), 0);
    verify(&(roster_gen){s, N, 8}, &o, &res);
    ck_assert(res.balanced);
    assign_result_free(&res);
    /* Half: feasible only as an exact crossing; never a same-group pair
     * (loads may then spread, and the result says so). */
    for (int i = 0; i < N; i++)
        s[i].group = i < N / 2 ? 0 : 1 + i % 7;
    ck_assert_int_eq(assign_run(s, N, &o, &res, &err), 0);
    verify(&(roster_gen){s, N, 8}, &o, &res);
    ck_assert_int_eq(res.balanced, res.load_max - res.load_min <= 1);
    assign_result_free(&res);
}
END_TEST

START_TEST(non_submitters_neither_reviewed_nor_when_asked_reviewing)
{
    enum { N = 30 };
    assign_student s[N];
    for (int i = 0; i < N; i++)
        s[i] = (assign_student){i % 3 != 0, true, -1};
    assign_opts o = {.k = 2, .seed = 5};
    assign_result res;
    gr_error err = {0};
    ck_assert_int_eq(assign_run(s, N, &o, &res, &err), 0);
    verify(&(roster_gen){s, N, 0}, &o, &res);
    bool nonsub_reviews = false;
    for (size_t t = 0; t < res.npairs; t++)
        nonsub_reviews |= res.pairs[t].reviewer % 3 == 0;
    ck_assert(nonsub_reviews); /* --reviewers all: they do review */
    assign_result_free(&res);
    for (int i = 0; i < N; i++)
        s[i].reviewer = s[i].author;
    ck_assert_int_eq(assign_run(s, N, &o, &res, &err), 0);
    verify(&(roster_gen){s, N, 0}, &o, &res);
    ck_assert_int_eq(res.load_min, 2);
    assign_result_free(&res);
}
END_TEST

START_TEST(keep_preserves_pairs_and_adds_late_students)
{
    enum { N = 60, LATE = 6 };
    assign_student s[N];
    for (int i = 0; i < N; i++)
        s[i] = (assign_student){i < N - LATE, i < N - LATE, i % 5};
    assign_opts o = {.k = 3, .seed = 9, .avoid_group = true};
    assign_result first, second;
    gr_error err = {0};
    ck_assert_int_eq(assign_run(s, N, &o, &first, &err), 0);
    for (int i = N - LATE; i < N; i++)
        s[i].author = s[i].reviewer = true;
    o.keep = first.pairs;
    o.nkeep = first.npairs;
    ck_assert_int_eq(assign_run(s, N, &o, &second, &err), 0);
    verify(&(roster_gen){s, N, 5}, &o, &second);
    ck_assert_uint_eq(second.kept, first.npairs);
    ck_assert_uint_eq(second.keep_dropped, 0);
    size_t j = 0;
    for (size_t t = 0; t < first.npairs; t++) { /* every old pair is still there */
        while (j < second.npairs && (second.pairs[j].reviewer < first.pairs[t].reviewer ||
                                     (second.pairs[j].reviewer == first.pairs[t].reviewer &&
                                      second.pairs[j].author < first.pairs[t].author)))
            j++;
        ck_assert(j < second.npairs);
        ck_assert_int_eq(second.pairs[j].reviewer, first.pairs[t].reviewer);
        ck_assert_int_eq(second.pairs[j].author, first.pairs[t].author);
        ck_assert(second.pairs[j].kept);
    }
    /* A kept pair that became invalid (author withdrew) is dropped, said so. */
    s[0].author = false;
    assign_result third;
    ck_assert_int_eq(assign_run(s, N, &o, &third, &err), 0);
    ck_assert_uint_eq(third.keep_dropped, 3);
    verify(&(roster_gen){s, N, 5}, &o, &third);
    assign_result_free(&third);
    assign_result_free(&second);
    assign_result_free(&first);
}
END_TEST

START_TEST(rng_is_the_reference_xoshiro)
{
    /* splitmix64(0) first output, the published reference value. */
    assign_rng r;
    assign_rng_seed(&r, 0);
    ck_assert_uint_eq(r.s[0], 0xE220A8397B1DCDAFull);
    for (int i = 0; i < 1000; i++)
        ck_assert_uint_lt(assign_rng_below(&r, 7), 7);
}
END_TEST

static Suite *assign_suite(void)
{
    Suite *s = suite_create("assign");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, random_rosters_keep_every_constraint, 0, 300);
    tcase_add_test(tc, seeds_differ_and_reproduce_known_pairs);
    tcase_add_test(tc, impossible_constraints_are_named);
    tcase_add_test(tc, small_cohorts_say_reciprocal_is_forced);
    tcase_add_test(tc, big_group_still_avoided);
    tcase_add_test(tc, non_submitters_neither_reviewed_nor_when_asked_reviewing);
    tcase_add_test(tc, keep_preserves_pairs_and_adds_late_students);
    tcase_add_test(tc, rng_is_the_reference_xoshiro);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(assign_suite)
