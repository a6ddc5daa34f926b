/* collect.c - validate filled peer reviews, aggregate them per author and
 * per reviewer, and rewrite the gradebook with the peer columns. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collect.h"
#include "csvout.h"
#include "csvtab.h"
#include "util.h"

#define FILE_CAP (256u << 20) /* instructor files, not student input */

static const char *const peer_cols[] = {"peer_reviews",    "peer_median",        "peer_percent",
                                        "reviews_missing", "reviewer_deviation", "reviewer_flag",
                                        "final",           "reviewer_helpful"};
#define NPEER (sizeof peer_cols / sizeof peer_cols[0])

typedef struct key {
    const char *a, *b; /* (reviewer, author) or (id, NULL) */
    size_t i;
} key;

static int cmp_key(const void *x, const void *y)
{
    const key *p = x, *q = y;
    int c = strcmp(p->a, q->a);
    if (c || !p->b)
        return c;
    return strcmp(p->b, q->b);
}

static long find(const key *v, size_t n, const char *a, const char *b)
{
    key k = {a, b, 0};
    const key *e = bsearch(&k, v, n, sizeof *v, cmp_key);
    return e ? (long)e->i : -1;
}

/* A number cell: "" -> 1 (empty), bad -> -1, else 0 and *out. */
static int num(const char *s, double *out)
{
    if (!*s)
        return 1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct review {
    double score;
    bool done;
    int line;
    int helpful; /* the author's vote (grader serve): -1 none, 0 no, 1 yes */
} review;

int collect_check_review(const rubric *rb, double maxpts, const char *const *crit,
                         const char *score_cell, const char *file, int line, bool *done,
                         double *score, gr_error *err)
{
    size_t nc = rb ? rb->ncriteria : 0;
    double sum = 0, v;
    int filled = 0, empty = 0;
    *done = false;
    *score = 0;
    for (size_t c = 0; c < nc; c++) {
        if (!crit[c])
            continue;
        const criterion *cr = &rb->criteria[c];
        int k = num(crit[c], &v);
        if (k < 0)
            return gr_error_set(err, GR_EINPUT, file, line, 0, "criterion %s: '%s' is not a number",
                                cr->id, crit[c]);
        if (k == 0 && (v < 0 || v > cr->points))
            return gr_error_set(err, GR_EINPUT, file, line, 0,
                                "criterion %s: %g is out of range 0..%d", cr->id, v, cr->points);
        if (k == 0) {
            sum += v;
            filled++;
        } else
            empty++;
    }
    int ks = score_cell ? num(score_cell, &v) : 1;
    if (ks < 0)
        return gr_error_set(err, GR_EINPUT, file, line, 0, "score: '%s' is not a number",
                            score_cell);
    if (ks == 0 && (v < 0 || v > maxpts))
        return gr_error_set(err, GR_EINPUT, file, line, 0, "score: %g is out of range 0..%g", v,
                            maxpts);
    if (filled && empty)
        return gr_error_set(err, GR_EINPUT, file, line, 0,
                            "%d criteria scored, %d left empty: score every criterion (0 for "
                            "none) or give only the total score",
                            filled, empty);
    if (ks == 0 && filled && fabs(v - sum) > 1e-6)
        return gr_error_set(err, GR_EINPUT, file, line, 0,
                            "score %g is not the sum of the criteria (%g)", v, sum);
    *score = ks == 0 ? v : sum;
    *done = ks == 0 || filled;
    return 0;
}

/* Read and validate reviews.csv into rv[] (indexed like assignments rows). */
static int read_reviews(const char *path, const collect_opts *o, const key *pairs, size_t np,
                        double maxpts, review *rv, gr_error *err)
{
    csvtab *t;
    int rc = csvtab_load(path, FILE_CAP, &t, err);
    if (rc)
        return rc;
    int cr = csvtab_col(t, "reviewer"), ca = csvtab_col(t, "author"), cs = csvtab_col(t, "score");
    int ch = csvtab_col(t, "helpful");
    size_t nc = o->rb ? o->rb->ncriteria : 0;
    int *ccol = calloc(nc ? nc : 1, sizeof *ccol);
    const char **cells = calloc(nc ? nc : 1, sizeof *cells);
    if (!ccol || !cells) {
        rc = gr_error_nomem(err);
        goto out;
    }
    bool any_crit = false;
    for (size_t c = 0; c < nc; c++) {
        ccol[c] = csvtab_col(t, o->rb->criteria[c].id);
        any_crit |= ccol[c] >= 0;
    }
    if (cr < 0 || ca < 0 || (cs < 0 && !any_crit)) {
        rc = gr_error_set(err, GR_EINPUT, path, 1, 0,
                          "the header needs reviewer, author and a score column (or one column "
                          "per criterion id of the rubric)");
        goto out;
    }
    for (size_t i = 0; i < t->nrows && !rc; i++) {
        char **row = t->rows[i];
        int line = t->line[i];
        for (size_t c = 0; c < nc; c++)
            cells[c] = ccol[c] >= 0 ? row[ccol[c]] : NULL;
        double score;
        bool done;
        if ((rc = collect_check_review(o->rb, maxpts, cells, cs >= 0 ? row[cs] : NULL, path, line,
                                       &done, &score, err)))
            break;
        long p = find(pairs, np, row[cr], row[ca]);
        if (p < 0) {
            rc = gr_error_set(err, GR_EINPUT, path, line, 0,
                              "'%s' was not assigned to review '%s' (not in the assignments)",
                              row[cr], row[ca]);
            break;
        }
        if (!done)
            continue; /* a template line left empty: not reviewed */
        if (rv[p].done) {
            rc = gr_error_set(err, GR_EINPUT, path, line, 0,
                              "duplicate review of '%s' by '%s' (first at line %d)", row[ca],
                              row[cr], rv[p].line);
            break;
        }
        const char *h = ch >= 0 ? row[ch] : "";
        rv[p] = (review){score, true, line, !strcmp(h, "yes") ? 1 : !strcmp(h, "no") ? 0 : -1};
    }
out:
    free(cells);
    free(ccol);
    csvtab_free(t);
    return rc;
}

typedef struct person {
    size_t received, assigned, done;
    double med;
    double dev_abs, dev_signed;
    size_t ndev;
    size_t votes, helpful; /* authors' votes on this reviewer's reviews */
} person;

static void fmt(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.2f", v);
}

int collect_run(const char *reviews, const char *assignments, const char *gradebook,
                const collect_opts *o, collect_stats *st, gr_error *err)
{
    memset(st, 0, sizeof *st);
    csvtab *as = NULL, *gb = NULL;
    key *pairs = NULL, *ids = NULL;
    review *rv = NULL;
    person *pp = NULL;
    double *buf = NULL;
    int *colmap = NULL;
    afile af = {0};
    int rc = csvtab_load(assignments, FILE_CAP, &as, err);
    if (rc || (rc = csvtab_load(gradebook, FILE_CAP, &gb, err)))
        goto out;
    int ar = csvtab_col(as, "reviewer"), aa = csvtab_col(as, "author");
    int gid = csvtab_col(gb, "id"), gpct = csvtab_col(gb, "percent"), gmax = csvtab_col(gb, "max");
    if (ar < 0 || aa < 0) {
        rc = gr_error_set(err, GR_EINPUT, assignments, 1, 0,
                          "needs columns reviewer and author (written by grader assign)");
        goto out;
    }
    if (gid < 0) {
        rc = gr_error_set(err, GR_EINPUT, gradebook, 1, 0,
                          "needs an id column (written by grader grade)");
        goto out;
    }
    size_t np = as->nrows, ng = gb->nrows;
    pairs = malloc((np ? np : 1) * sizeof *pairs);
    ids = malloc((ng ? ng : 1) * sizeof *ids);
    rv = calloc(np ? np : 1, sizeof *rv);
    pp = calloc(ng ? ng : 1, sizeof *pp);
    buf = malloc((np ? np : 1) * sizeof *buf);
    if (!pairs || !ids || !rv || !pp || !buf) {
        rc = gr_error_nomem(err);
        goto out;
    }
    for (size_t i = 0; i < np; i++)
        pairs[i] = (key){as->rows[i][ar], as->rows[i][aa], i};
    qsort(pairs, np, sizeof *pairs, cmp_key);
    for (size_t i = 1; i < np; i++)
        if (!cmp_key(&pairs[i - 1], &pairs[i])) {
            rc = gr_error_set(err, GR_EINPUT, assignments, as->line[pairs[i].i], 0,
                              "pair %s -> %s listed twice", pairs[i].a, pairs[i].b);
            goto out;
        }
    for (size_t i = 0; i < ng; i++)
        ids[i] = (key){gb->rows[i][gid], NULL, i};
    qsort(ids, ng, sizeof *ids, cmp_key);

    /* Scores are out of the rubric's points (bonus included); without a
     * rubric, out of the gradebook's max column. */
    double maxpts = o->rb ? o->rb->max_points + o->rb->bonus_points : 0;
    if (!o->rb && gmax >= 0)
        for (size_t i = 0; i < ng; i++) {
            double v;
            if (!num(gb->rows[i][gmax], &v) && v > maxpts)
                maxpts = v;
        }
    if (maxpts <= 0) {
        rc = gr_error_set(err, GR_EINPUT, gradebook, 1, 0,
                          "no maximum score: give --rubric, or a gradebook with a max column");
        goto out;
    }
    double base = o->rb ? o->rb->max_points : maxpts;
    if ((rc = read_reviews(reviews, o, pairs, np, maxpts, rv, err)))
        goto out;

    /* Per author: median of the reviews received (bucketed by author:
     * counts, offsets, fill). */
    long *auth = malloc((np ? np : 1) * sizeof *auth);
    size_t *off = calloc(ng + 1, sizeof *off);
    if (!auth || !off) {
        free(auth);
        free(off);
        rc = gr_error_nomem(err);
        goto out;
    }
    for (size_t t = 0; t < np; t++) {
        auth[t] = rv[t].done ? find(ids, ng, as->rows[t][aa], NULL) : -1;
        if (auth[t] >= 0)
            pp[auth[t]].received++;
    }
    for (size_t i = 0; i < ng; i++)
        off[i + 1] = off[i] + pp[i].received;
    for (size_t t = 0; t < np; t++)
        if (auth[t] >= 0)
            buf[off[auth[t]] + pp[auth[t]].ndev++] = rv[t].score; /* ndev: fill cursor */
    for (size_t i = 0; i < ng; i++) {
        if (pp[i].received)
            pp[i].med = median(buf + off[i], pp[i].received);
        pp[i].ndev = 0;
    }
    free(auth);
    free(off);
    /* Per reviewer: done/assigned and distance from each author's median. */
    for (size_t t = 0; t < np; t++) {
        long r = find(ids, ng, as->rows[t][ar], NULL), a = find(ids, ng, as->rows[t][aa], NULL);
        st->assigned++;
        if (r >= 0)
            pp[r].assigned++;
        if (!rv[t].done)
            continue;
        st->reviewed++;
        if (r < 0)
            continue;
        pp[r].done++;
        pp[r].votes += rv[t].helpful >= 0;
        pp[r].helpful += rv[t].helpful == 1;
        if (a >= 0 && pp[a].received >= 2) {
            double d = rv[t].score - pp[a].med;
            pp[r].dev_abs += fabs(d);
            pp[r].dev_signed += d;
            pp[r].ndev++;
        }
    }
    st->missing = st->assigned - st->reviewed;
    st->students = ng;

    /* Columns: the gradebook's own, minus any earlier peer columns, then ours. */
    colmap = malloc((gb->ncols ? gb->ncols : 1) * sizeof *colmap);
    if (!colmap) {
        rc = gr_error_nomem(err);
        goto out;
    }
    size_t nkeep = 0;
    for (size_t c = 0; c < gb->ncols; c++) {
        bool peer = false;
        for (size_t q = 0; q < NPEER; q++)
            peer |= !strcasecmp(gb->head[c], peer_cols[q]);
        if (!peer)
            colmap[nkeep++] = (int)c;
    }
    if ((rc = afile_open(&af, gradebook, err)))
        goto out;
    for (size_t c = 0; c < nkeep; c++) {
        if (c)
            csv_sep(af.fp);
        csv_cell(af.fp, gb->head[colmap[c]]);
    }
    for (size_t q = 0; q < NPEER; q++) {
        csv_sep(af.fp);
        csv_cell(af.fp, peer_cols[q]);
    }
    csv_eol(af.fp);
    for (size_t i = 0; i < ng; i++) {
        person *p = &pp[i];
        char cells[NPEER][64];
        memset(cells, 0, sizeof cells);
        snprintf(cells[0], 64, "%zu", p->received);
        double peer_pct = p->received ? 100.0 * p->med / base : 0;
        if (p->received) {
            fmt(cells[1], 64, p->med);
            fmt(cells[2], 64, peer_pct);
        }
        size_t missing = p->assigned - p->done;
        snprintf(cells[3], 64, "%zu", missing);
        if (p->ndev) {
            double mean = p->dev_abs / (double)p->ndev, sgn = p->dev_signed / (double)p->ndev;
            fmt(cells[4], 64, mean);
            /* A quarter of the scale off the consensus on average: worth a look. */
            if (mean >= 0.25 * base) {
                snprintf(cells[5], 64, "%s", sgn < 0 ? "hostile" : "careless");
                st->flagged++;
            }
        }
        double auto_pct;
        bool has_auto = gpct >= 0 && !num(gb->rows[i][gpct], &auto_pct);
        if (has_auto || p->received) {
            double final;
            if (has_auto && p->received)
                final = (o->w_auto * auto_pct + o->w_peer * peer_pct) / (o->w_auto + o->w_peer);
            else
                final = has_auto ? auto_pct : peer_pct;
            final -= o->penalty * (double)missing;
            fmt(cells[6], 64, final < 0 ? 0 : final);
        }
        if (p->votes)
            fmt(cells[7], 64, (double)p->helpful / (double)p->votes);
        for (size_t c = 0; c < nkeep; c++) {
            if (c)
                csv_sep(af.fp);
            csv_cell(af.fp, gb->rows[i][colmap[c]]);
        }
        for (size_t q = 0; q < NPEER; q++) {
            csv_sep(af.fp);
            csv_cell(af.fp, cells[q]);
        }
        csv_eol(af.fp);
    }
    rc = afile_commit(&af, err);
out:
    afile_abort(&af);
    free(colmap);
    free(buf);
    free(pp);
    free(rv);
    free(ids);
    free(pairs);
    csvtab_free(as);
    csvtab_free(gb);
    return rc;
}
