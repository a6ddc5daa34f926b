/* assign.c - peer-review assignment.
 *
 * Construction, correct by design in the common case:
 *   1. Order every reviewer on a circle: groups in a random order, students in
 *      a random order inside their group, so a group is one contiguous arc.
 *      Authors who also review sit evenly spaced on the circle; reviewers
 *      with nothing to be reviewed fill the gaps.
 *   2. The author at position q is reviewed by the reviewers at q + d for the
 *      k offsets d = h-k+1 .. h, h the largest integer below p/2 (p
 *      reviewers). Offsets are distinct and in 1..p-1, so nobody reviews
 *      themselves or one author twice; two offsets never add up to p, so no
 *      pair is reciprocal (possible when p > 2k); the offsets are about p/2,
 *      so an arc (group) shorter than about p/2 - k never reviews itself.
 *      Authors are evenly spaced, so every window of k positions holds
 *      floor or ceil of k*m/p of them: loads differ by at most one.
 *   3. Local repair for what the construction cannot guarantee (large
 *      groups, kept pairs, authors who do not review): swap the reviewers of
 *      two slots (keeps loads), else move the slot to the least-loaded valid
 *      reviewer; then rebalance loads by moves. All of it O(n k) in practice.
 * Randomness comes from our own xoshiro256** so a seed gives the same result
 * on every machine and libc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assign.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void assign_rng_seed(assign_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t assign_rng_next(assign_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t assign_rng_below(assign_rng *r, uint64_t n)
{
    /* Rejection sampling: no modulo bias, identical everywhere. */
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = assign_rng_next(r);
    while (x >= lim);
    return x % n;
}

typedef struct state {
    const assign_student *s;
    size_t n, m, p; /* students, authors, reviewers */
    int k;
    bool avoid_group, avoid_recip;
    int *auth;   /* author ordinal -> student */
    int *aord;   /* student -> author ordinal, -1 */
    int *slot;   /* m*k reviewers, author-major */
    bool *fixed; /* kept slots: never moved */
    int *load;   /* per student */
    int *revs;   /* the reviewers (students), p */
    assign_rng rng;
} state;

static bool same_group(const state *st, int x, int y)
{
    return st->s[x].group >= 0 && st->s[x].group == st->s[y].group;
}

/* May x review author ordinal j, in the current state, slot si being the one
 * x would fill (ignored in the duplicate check)? */
static bool pair_ok(const state *st, int x, size_t j, size_t si, bool recip)
{
    int y = st->auth[j];
    if (x == y || !st->s[x].reviewer)
        return false;
    if (st->avoid_group && same_group(st, x, y))
        return false;
    const int *sl = st->slot + j * (size_t)st->k;
    for (int c = 0; c < st->k; c++)
        if (sl[c] == x && j * (size_t)st->k + (size_t)c != si)
            return false;
    if (recip && st->avoid_recip && st->aord[x] >= 0) {
        const int *xs = st->slot + (size_t)st->aord[x] * (size_t)st->k;
        for (int c = 0; c < st->k; c++)
            if (xs[c] == y)
                return false;
    }
    return true;
}

static bool slot_ok(const state *st, size_t si)
{
    return pair_ok(st, st->slot[si], si / (size_t)st->k, si, true);
}

static bool try_swap(state *st, size_t si)
{
    size_t total = st->m * (size_t)st->k;
    size_t j = si / (size_t)st->k;
    for (int tries = 0; tries < 64; tries++) {
        size_t ti = (size_t)assign_rng_below(&st->rng, total);
        if (st->fixed[ti] || ti / (size_t)st->k == j)
            continue;
        int r = st->slot[si], r2 = st->slot[ti];
        st->slot[si] = r2;
        st->slot[ti] = r;
        if (slot_ok(st, si) && slot_ok(st, ti))
            return true;
        st->slot[si] = r;
        st->slot[ti] = r2;
    }
    return false;
}

/* Give slot si to the least-loaded valid reviewer (stopping early at one
 * below `enough`). */
static bool try_move(state *st, size_t si, bool recip, int enough)
{
    size_t j = si / (size_t)st->k;
    int best = -1;
    /* Sample first: a full scan per conflict is quadratic when a dominant
     * group makes most slots conflict. */
    for (int tries = 0; tries < 64; tries++) {
        int x = st->revs[assign_rng_below(&st->rng, st->p)];
        if ((best < 0 || st->load[x] < st->load[best]) && pair_ok(st, x, j, si, recip))
            best = x;
    }
    if (best >= 0 && st->load[best] < enough)
        goto found;
    bool scan = best < 0; /* sampling found nobody: look at everyone */
    size_t start = (size_t)assign_rng_below(&st->rng, st->p);
    for (size_t i = 0; scan && i < st->p; i++) {
        int x = st->revs[(start + i) % st->p];
        if ((best < 0 || st->load[x] < st->load[best]) && pair_ok(st, x, j, si, recip)) {
            best = x;
            if (st->load[x] < enough)
                break;
        }
    }
    if (best < 0)
        return false;
found:
    st->load[st->slot[si]]--;
    st->load[best]++;
    st->slot[si] = best;
    return true;
}

static void repair(state *st, int lo)
{
    size_t total = st->m * (size_t)st->k;
    for (size_t si = 0; si < total; si++) {
        if (st->fixed[si] || slot_ok(st, si))
            continue;
        if (!try_swap(st, si) && !try_move(st, si, true, lo) && st->avoid_recip) {
            /* No way out without a reciprocal pair; take one rather than a
             * self-review, a duplicate or a same-group review. */
            if (!pair_ok(st, st->slot[si], si / (size_t)st->k, si, false))
                try_move(st, si, false, lo);
        }
    }
}

/* Over-loaded slot si cannot go straight to an under-loaded reviewer: find
 * a slot ti whose reviewer y can take si while an under-loaded x takes ti
 * (y's load unchanged). Returns the index in under[] used, or nu. */
static size_t relay(state *st, size_t si, const int *under, size_t nu)
{
    size_t total = st->m * (size_t)st->k;
    int r = st->slot[si];
    for (size_t t = 0; t < nu && t < 8; t++) {
        for (int tries = 0; tries < 32; tries++) {
            size_t ti = (size_t)assign_rng_below(&st->rng, total);
            if (st->fixed[ti] || ti / (size_t)st->k == si / (size_t)st->k)
                continue;
            int y = st->slot[ti];
            st->slot[si] = y;
            st->slot[ti] = under[t];
            if (slot_ok(st, si) && slot_ok(st, ti))
                return t;
            st->slot[si] = r;
            st->slot[ti] = y;
        }
    }
    return nu;
}

/* Move slots from reviewers above `cap` to reviewers below `want`. */
static void rebalance_pass(state *st, int cap, int want, bool (*over)(int load, int cap))
{
    int *under = malloc(st->p * sizeof *under);
    if (!under)
        return; /* balance is best effort; the result stays valid */
    size_t nu = 0;
    for (size_t i = 0; i < st->p; i++)
        if (st->load[st->revs[i]] < want)
            under[nu++] = st->revs[i];
    size_t total = st->m * (size_t)st->k;
    for (size_t si = 0; si < total && nu; si++) {
        if (st->fixed[si] || !over(st->load[st->slot[si]], cap))
            continue;
        /* A bounded look at the under-loaded, from a random place: a full
         * scan per slot is quadratic when few of them can take it. */
        size_t t = nu, start = (size_t)assign_rng_below(&st->rng, nu);
        for (size_t c = 0; c < nu && c < 64; c++)
            if (pair_ok(st, under[(start + c) % nu], si / (size_t)st->k, si, true)) {
                t = (start + c) % nu;
                break;
            }
        int r = st->slot[si];
        if (t < nu) {
            st->slot[si] = under[t];
        } else {
            t = relay(st, si, under, nu);
            if (t >= nu)
                continue;
        }
        st->load[r]--;
        if (++st->load[under[t]] >= want)
            under[t] = under[--nu];
    }
    free(under);
}

static bool above(int load, int cap)
{
    return load > cap;
}

static void rebalance(state *st, int lo, int hi)
{
    rebalance_pass(st, hi, hi, above); /* nobody above hi */
    rebalance_pass(st, lo, lo, above); /* nobody below lo, taking from above lo */
}

typedef struct sortkey {
    uint64_t group, rand;
    int idx;
} sortkey;

static int cmp_key(const void *a, const void *b)
{
    const sortkey *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->rand != y->rand)
        return x->rand < y->rand ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_pair(const void *a, const void *b)
{
    const assign_pair *x = a, *y = b;
    if (x->reviewer != y->reviewer)
        return (x->reviewer > y->reviewer) - (x->reviewer < y->reviewer);
    return (x->author > y->author) - (x->author < y->author);
}

static const char *group_name(const assign_opts *o, int g, char *buf, size_t size)
{
    if (o->group_names && o->group_names[g])
        return o->group_names[g];
    snprintf(buf, size, "#%d", g);
    return buf;
}

/* Impossible constraints, named. */
static int check_feasible(const state *st, const assign_opts *o, gr_error *err)
{
    bool author_reviews = false, author_only = false;
    for (size_t j = 0; j < st->m; j++) {
        if (st->s[st->auth[j]].reviewer)
            author_reviews = true;
        else
            author_only = true;
    }
    size_t need = (size_t)st->k + (author_reviews ? 1 : 0);
    if ((author_reviews || author_only) && st->p < need)
        return gr_error_set(err, GR_EINPUT, "", 0, 0,
                            "-k %d is impossible: %zu students can review, so an author can get "
                            "at most %zu reviewers other than themselves (k must be below the "
                            "number of eligible reviewers)",
                            st->k, st->p, st->p - (author_reviews ? 1 : 0));
    if (!st->avoid_group)
        return 0;
    int ngroups = 0;
    for (size_t i = 0; i < st->n; i++)
        if (st->s[i].group >= ngroups)
            ngroups = st->s[i].group + 1;
    if (!ngroups)
        return 0;
    size_t *cnt = calloc((size_t)ngroups, sizeof *cnt);
    bool *has_author = calloc((size_t)ngroups, sizeof *has_author);
    if (!cnt || !has_author) {
        free(cnt);
        free(has_author);
        return gr_error_nomem(err);
    }
    for (size_t i = 0; i < st->n; i++) {
        int g = st->s[i].group;
        if (g < 0)
            continue;
        if (st->s[i].reviewer)
            cnt[g]++;
        if (st->s[i].author)
            has_author[g] = true;
    }
    int rc = 0;
    for (int g = 0; g < ngroups && !rc; g++) {
        if (has_author[g] && st->p - cnt[g] < (size_t)st->k) {
            char buf[32];
            rc = gr_error_set(err, GR_EINPUT, "", 0, 0,
                              "--avoid-group is impossible: group \"%s\" holds %zu of the %zu "
                              "reviewers, so its authors cannot get %d reviewers from outside it",
                              group_name(o, g, buf, sizeof buf), cnt[g], st->p, st->k);
        }
    }
    free(cnt);
    free(has_author);
    return rc;
}

/* Kept pairs that are still valid go first in their author's slots. */
static void apply_keep(state *st, const assign_opts *o, assign_result *res)
{
    for (size_t i = 0; i < o->nkeep; i++) {
        int r = o->keep[i].reviewer, a = o->keep[i].author;
        bool ok = r >= 0 && a >= 0 && (size_t)r < st->n && (size_t)a < st->n && r != a &&
                  st->s[r].reviewer && st->s[a].author &&
                  !(st->avoid_group && same_group(st, r, a));
        size_t j = ok ? (size_t)st->aord[a] : 0;
        int c = 0;
        if (ok) {
            const int *sl = st->slot + j * (size_t)st->k;
            while (c < st->k && st->fixed[j * (size_t)st->k + (size_t)c] && sl[c] != r)
                c++;
            ok = c < st->k && !st->fixed[j * (size_t)st->k + (size_t)c];
        }
        if (!ok) {
            res->keep_dropped++;
            continue;
        }
        int *sl = st->slot + j * (size_t)st->k;
        /* The construction may already have r in a later slot: move it to
         * slot c, so r appears once (loads unchanged). */
        int d = c;
        while (d < st->k && sl[d] != r)
            d++;
        if (d < st->k) {
            sl[d] = sl[c];
        } else {
            st->load[sl[c]]--;
            st->load[r]++;
        }
        sl[c] = r;
        st->fixed[j * (size_t)st->k + (size_t)c] = true;
        res->kept++;
    }
}

static int build(state *st, sortkey *keys)
{
    size_t n = st->n, m1 = 0, m2 = 0, nr = 0;
    int ngroups = 0;
    for (size_t i = 0; i < n; i++)
        if (st->s[i].group >= ngroups)
            ngroups = st->s[i].group + 1;
    /* Group keys drawn in group order, then student keys in roster order:
     * the draw sequence depends only on the input. */
    uint64_t *gkey = malloc(((size_t)ngroups + 1) * sizeof *gkey);
    if (!gkey)
        return GR_ENOMEM;
    for (int g = 0; g < ngroups; g++)
        gkey[g] = assign_rng_next(&st->rng);
    for (size_t i = 0; i < n; i++) {
        keys[i].idx = (int)i;
        keys[i].rand = assign_rng_next(&st->rng);
        keys[i].group = st->s[i].group >= 0 ? gkey[st->s[i].group] : keys[i].rand;
    }
    free(gkey);
    qsort(keys, n, sizeof *keys, cmp_key);

    for (size_t i = 0; i < n; i++) {
        const assign_student *x = &st->s[keys[i].idx];
        m1 += x->author && x->reviewer;
        m2 += x->author && !x->reviewer;
        nr += x->reviewer && !x->author;
    }
    size_t p = st->p, k = (size_t)st->k;
    /* Circle: authors who review at floor(j p / m1), the others in between. */
    int *circle = st->revs;
    for (size_t i = 0; i < p; i++)
        circle[i] = -1;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        int x = keys[i].idx;
        if (st->s[x].author && st->s[x].reviewer) {
            circle[j * p / m1] = x;
            j++;
        }
    }
    size_t fill = 0;
    for (size_t i = 0; i < n; i++) {
        int x = keys[i].idx;
        if (st->s[x].reviewer && !st->s[x].author) {
            while (circle[fill] >= 0)
                fill++;
            circle[fill] = x;
        }
    }
    size_t base = st->avoid_recip ? (p - 1) / 2 - k + 1 : 1;
    size_t i2 = 0;
    for (size_t q = 0; q < p; q++) {
        int x = circle[q];
        if (!st->s[x].author)
            continue;
        int *sl = st->slot + (size_t)st->aord[x] * k;
        for (size_t c = 0; c < k; c++) {
            sl[c] = circle[(q + base + c) % p];
            st->load[sl[c]]++;
        }
    }
    /* Authors who do not review: spread evenly, as if on the circle. */
    for (size_t i = 0; i < n; i++) {
        int x = keys[i].idx;
        if (!st->s[x].author || st->s[x].reviewer)
            continue;
        size_t q = i2++ * p / m2;
        int *sl = st->slot + (size_t)st->aord[x] * k;
        for (size_t c = 0; c < k; c++) {
            sl[c] = circle[(q + base + c) % p];
            st->load[sl[c]]++;
        }
    }
    return 0;
}

int assign_run(const assign_student *s, size_t n, const assign_opts *o, assign_result *out,
               gr_error *err)
{
    memset(out, 0, sizeof *out);
    if (o->k < 1)
        return gr_error_set(err, GR_EUSAGE, "", 0, 0, "-k must be at least 1 (got %d)", o->k);
    if (n > (size_t)INT32_MAX / 8)
        return gr_error_set(err, GR_ELIMIT, "", 0, 0, "too many students (%zu)", n);
    state st = {.s = s, .n = n, .k = o->k, .avoid_group = o->avoid_group};
    assign_rng_seed(&st.rng, o->seed);
    for (size_t i = 0; i < n; i++) {
        st.m += s[i].author;
        st.p += s[i].reviewer;
    }
    out->nauthors = st.m;
    out->nreviewers = st.p;
    out->balanced = true;
    if (st.m == 0)
        return 0;
    size_t k = (size_t)o->k;
    st.auth = malloc(st.m * sizeof *st.auth);
    st.aord = malloc(n * sizeof *st.aord);
    st.slot = malloc(st.m * k * sizeof *st.slot);
    st.fixed = calloc(st.m * k, sizeof *st.fixed);
    st.load = calloc(n, sizeof *st.load);
    st.revs = malloc((st.p ? st.p : 1) * sizeof *st.revs);
    sortkey *keys = malloc(n * sizeof *keys);
    int rc = 0;
    if (!st.auth || !st.aord || !st.slot || !st.fixed || !st.load || !st.revs || !keys) {
        rc = gr_error_nomem(err);
        goto done;
    }
    for (size_t i = 0, j = 0; i < n; i++) {
        st.aord[i] = s[i].author ? (int)j : -1;
        if (s[i].author)
            st.auth[j++] = (int)i;
    }
    rc = check_feasible(&st, o, err);
    if (rc)
        goto done;
    st.avoid_recip = st.p > 2 * k;
    if (build(&st, keys)) {
        rc = gr_error_nomem(err);
        goto done;
    }
    apply_keep(&st, o, out);
    size_t total = st.m * k;
    int lo = (int)(total / st.p), hi = lo + (total % st.p ? 1 : 0);
    repair(&st, lo);
    rebalance(&st, lo, hi);
    /* Rebalancing only makes valid moves, but a kept pair may have been
     * moved around a conflict; one more repair pass settles any. */
    repair(&st, lo);

    out->pairs = malloc(total * sizeof *out->pairs);
    if (!out->pairs) {
        rc = gr_error_nomem(err);
        goto done;
    }
    for (size_t si = 0; si < total; si++)
        out->pairs[si] = (assign_pair){st.slot[si], st.auth[si / k], st.fixed[si]};
    out->npairs = total;
    qsort(out->pairs, total, sizeof *out->pairs, cmp_pair);
    out->load_min = -1;
    for (size_t i = 0; i < n; i++) {
        if (!s[i].reviewer)
            continue;
        if (out->load_min < 0 || st.load[i] < out->load_min)
            out->load_min = st.load[i];
        if (st.load[i] > out->load_max)
            out->load_max = st.load[i];
    }
    out->balanced = out->load_max - out->load_min <= 1;
    for (size_t si = 0; si < total; si++) {
        int r = st.slot[si], a = st.auth[si / k];
        if (o->avoid_group && same_group(&st, r, a))
            out->group_conflicts++;
        if (st.aord[r] >= 0 && r < a) {
            const int *rs = st.slot + (size_t)st.aord[r] * k;
            for (size_t c = 0; c < k; c++)
                if (rs[c] == a)
                    out->reciprocal++;
        }
    }
    out->reciprocal_forced = !st.avoid_recip && out->reciprocal > 0;
done:
    free(keys);
    free(st.auth);
    free(st.aord);
    free(st.slot);
    free(st.fixed);
    free(st.load);
    free(st.revs);
    if (rc)
        assign_result_free(out);
    return rc;
}

void assign_result_free(assign_result *r)
{
    if (!r)
        return;
    free(r->pairs);
    r->pairs = NULL;
    r->npairs = 0;
}
