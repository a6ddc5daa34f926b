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

/* The files collect reads, by the names grader writes them with. */
static const csv_column assign_cols[] = {
    [ASSIGN_REVIEWER] = {"reviewer",
                         {NULL},
                         CSV_REQUIRED,
                         CSV_TEXT,
                         0,
                         0,
                         "needs columns reviewer and author (written by grader assign)"},
    [ASSIGN_AUTHOR] = {"author",
                       {NULL},
                       CSV_REQUIRED,
                       CSV_TEXT,
                       0,
                       0,
                       "needs columns reviewer and author (written by grader assign)"},
};
const csv_schema collect_assignments_schema = {
    .what = "assignments", .cols = assign_cols, .ncols = 2};

enum { G_ID, G_PERCENT, G_MAX };
static const csv_column gradebook_cols[] = {
    [G_ID] = {"id",
              {NULL},
              CSV_REQUIRED,
              CSV_TEXT,
              0,
              0,
              "needs an id column (written by grader grade)"},
    [G_PERCENT] = {"percent", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
    [G_MAX] = {"max", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
};
static const csv_schema gradebook_schema = {
    .what = "gradebook", .cols = gradebook_cols, .ncols = 3};

/* Criterion columns depend on the rubric: checked by read_reviews. */
enum { R_REVIEWER, R_AUTHOR, R_SCORE, R_HELPFUL };
static const csv_column review_cols[] = {
    [R_REVIEWER] = {"reviewer", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
    [R_AUTHOR] = {"author", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
    [R_SCORE] = {"score", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
    [R_HELPFUL] = {"helpful", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
};
static const csv_schema review_schema = {.what = "reviews", .cols = review_cols, .ncols = 4};

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
    int rc = csvtab_read(path, &review_schema, &t, err);
    if (rc)
        return rc;
    int cr = t->col[R_REVIEWER], ca = t->col[R_AUTHOR], cs = t->col[R_SCORE];
    int ch = t->col[R_HELPFUL];
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

/* What a run reads and computes, freed in one place. */
typedef struct crun {
    csvtab *as, *gb;
    key *pairs, *ids; /* sorted (reviewer, author) pairs; sorted gradebook ids */
    size_t np, ng;
    review *rv; /* per assignments row */
    person *pp; /* per gradebook row */
    double maxpts, base;
} crun;

static void crun_free(crun *r)
{
    free(r->pp);
    free(r->rv);
    free(r->ids);
    free(r->pairs);
    csvtab_free(r->as);
    csvtab_free(r->gb);
}

/* The assignments and the gradebook, indexed. */
static int load_tables(const char *assignments, const char *gradebook, crun *r, gr_error *err)
{
    int rc = csvtab_read(assignments, &collect_assignments_schema, &r->as, err);
    if (rc || (rc = csvtab_read(gradebook, &gradebook_schema, &r->gb, err)))
        return rc;
    size_t np = r->np = r->as->nrows, ng = r->ng = r->gb->nrows;
    r->pairs = malloc((np ? np : 1) * sizeof *r->pairs);
    r->ids = malloc((ng ? ng : 1) * sizeof *r->ids);
    r->rv = calloc(np ? np : 1, sizeof *r->rv);
    r->pp = calloc(ng ? ng : 1, sizeof *r->pp);
    if (!r->pairs || !r->ids || !r->rv || !r->pp)
        return gr_error_nomem(err);
    for (size_t i = 0; i < np; i++)
        r->pairs[i] =
            (key){csvtab_get(r->as, i, ASSIGN_REVIEWER), csvtab_get(r->as, i, ASSIGN_AUTHOR), i};
    qsort(r->pairs, np, sizeof *r->pairs, cmp_key);
    for (size_t i = 1; i < np; i++)
        if (!cmp_key(&r->pairs[i - 1], &r->pairs[i]))
            return gr_error_set(err, GR_EINPUT, assignments, r->as->line[r->pairs[i].i], 0,
                                "pair %s -> %s listed twice", r->pairs[i].a, r->pairs[i].b);
    for (size_t i = 0; i < ng; i++)
        r->ids[i] = (key){csvtab_get(r->gb, i, G_ID), NULL, i};
    qsort(r->ids, ng, sizeof *r->ids, cmp_key);
    return 0;
}

/* Scores are out of the rubric's points (bonus included); without a
 * rubric, out of the gradebook's max column. */
static int max_points(const char *gradebook, const collect_opts *o, crun *r, gr_error *err)
{
    r->maxpts = o->rb ? o->rb->max_points + o->rb->bonus_points : 0;
    for (size_t i = 0; !o->rb && i < r->ng; i++) {
        double v;
        if (!num(csvtab_get(r->gb, i, G_MAX), &v) && v > r->maxpts)
            r->maxpts = v;
    }
    if (r->maxpts <= 0)
        return gr_error_set(err, GR_EINPUT, gradebook, 1, 0,
                            "no maximum score: give --rubric, or a gradebook with a max column");
    r->base = o->rb ? o->rb->max_points : r->maxpts;
    return 0;
}

static long author_of(const crun *r, size_t t)
{
    return find(r->ids, r->ng, csvtab_get(r->as, t, ASSIGN_AUTHOR), NULL);
}

/* Per author: the median of the reviews received (bucketed by author:
 * counts, offsets, fill). */
static int author_medians(crun *r, gr_error *err)
{
    size_t np = r->np, ng = r->ng;
    long *auth = malloc((np ? np : 1) * sizeof *auth);
    size_t *off = calloc(ng + 1, sizeof *off), *fill = calloc(ng + 1, sizeof *fill);
    double *buf = malloc((np ? np : 1) * sizeof *buf);
    if (!auth || !off || !fill || !buf) {
        free(auth);
        free(off);
        free(fill);
        free(buf);
        return gr_error_nomem(err);
    }
    for (size_t t = 0; t < np; t++) {
        auth[t] = r->rv[t].done ? author_of(r, t) : -1;
        if (auth[t] >= 0)
            r->pp[auth[t]].received++;
    }
    for (size_t i = 0; i < ng; i++)
        off[i + 1] = off[i] + r->pp[i].received;
    for (size_t t = 0; t < np; t++)
        if (auth[t] >= 0)
            buf[off[auth[t]] + fill[auth[t]]++] = r->rv[t].score;
    for (size_t i = 0; i < ng; i++)
        if (r->pp[i].received)
            r->pp[i].med = median(buf + off[i], r->pp[i].received);
    free(auth);
    free(off);
    free(fill);
    free(buf);
    return 0;
}

/* Per reviewer: done/assigned and distance from each author's median. */
static void reviewer_stats(crun *r, collect_stats *st)
{
    for (size_t t = 0; t < r->np; t++) {
        long rv = find(r->ids, r->ng, csvtab_get(r->as, t, ASSIGN_REVIEWER), NULL),
             a = author_of(r, t);
        st->assigned++;
        if (rv >= 0)
            r->pp[rv].assigned++;
        if (!r->rv[t].done)
            continue;
        st->reviewed++;
        if (rv < 0)
            continue;
        person *p = &r->pp[rv];
        p->done++;
        p->votes += r->rv[t].helpful >= 0;
        p->helpful += r->rv[t].helpful == 1;
        if (a >= 0 && r->pp[a].received >= 2) {
            double d = r->rv[t].score - r->pp[a].med;
            p->dev_abs += fabs(d);
            p->dev_signed += d;
            p->ndev++;
        }
    }
    st->missing = st->assigned - st->reviewed;
    st->students = r->ng;
}

/* The peer cells of gradebook row i. */
static void peer_cells(const crun *r, size_t i, const collect_opts *o, char cells[][64],
                       collect_stats *st)
{
    const person *p = &r->pp[i];
    memset(cells, 0, NPEER * 64);
    snprintf(cells[0], 64, "%zu", p->received);
    double peer_pct = p->received ? 100.0 * p->med / r->base : 0;
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
        if (mean >= 0.25 * r->base) {
            snprintf(cells[5], 64, "%s", sgn < 0 ? "hostile" : "careless");
            st->flagged++;
        }
    }
    double auto_pct;
    bool has_auto =
        csvtab_has(r->gb, G_PERCENT) && !num(csvtab_get(r->gb, i, G_PERCENT), &auto_pct);
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
}

/* The gradebook's own columns, minus any earlier peer columns, then ours. */
static int write_gradebook(const char *gradebook, const crun *r, const collect_opts *o,
                           collect_stats *st, gr_error *err)
{
    const csvtab *gb = r->gb;
    int *colmap = malloc((gb->ncols ? gb->ncols : 1) * sizeof *colmap);
    if (!colmap)
        return gr_error_nomem(err);
    size_t nkeep = 0;
    for (size_t c = 0; c < gb->ncols; c++) {
        bool peer = false;
        for (size_t q = 0; q < NPEER; q++)
            peer |= !strcasecmp(gb->head[c], peer_cols[q]);
        if (!peer)
            colmap[nkeep++] = (int)c;
    }
    afile af = {0};
    int rc = afile_open(&af, gradebook, err);
    for (size_t c = 0; !rc && c < nkeep; c++) {
        if (c)
            csv_sep(af.fp);
        csv_cell(af.fp, gb->head[colmap[c]]);
    }
    for (size_t q = 0; !rc && q < NPEER; q++) {
        csv_sep(af.fp);
        csv_cell(af.fp, peer_cols[q]);
    }
    if (!rc)
        csv_eol(af.fp);
    for (size_t i = 0; !rc && i < r->ng; i++) {
        char cells[NPEER][64];
        peer_cells(r, i, o, cells, st);
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
    if (!rc)
        rc = afile_commit(&af, err);
    afile_abort(&af);
    free(colmap);
    return rc;
}

int collect_run(const char *reviews, const char *assignments, const char *gradebook,
                const collect_opts *o, collect_stats *st, gr_error *err)
{
    memset(st, 0, sizeof *st);
    crun r = {0};
    int rc = load_tables(assignments, gradebook, &r, err);
    if (!rc)
        rc = max_points(gradebook, o, &r, err);
    if (!rc)
        rc = read_reviews(reviews, o, r.pairs, r.np, r.maxpts, r.rv, err);
    if (!rc)
        rc = author_medians(&r, err);
    if (!rc) {
        reviewer_stats(&r, st);
        rc = write_gradebook(gradebook, &r, o, st, err);
    }
    crun_free(&r);
    return rc;
}
