/* post_result.c - one post scored and fingerprinted; its records. */
#include "post_result.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A mark is its hash (8 bytes, little-endian), then three unsigned LEB128
 * numbers (at most 5 bytes each): pos and line as steps from the mark
 * before (modulo 2^32: any values round-trip), and line_end - line.
 * Positions and lines grow slowly along a post: about 11 bytes a mark. */
#define MARK_MIN 11
#define MARK_MAX 23

int post_result_make(const rubric *rb, const fingerprint_base *base, const char *file,
                     const char *text, size_t len, post_result *out, gr_error *err)
{
    memset(out, 0, sizeof *out);
    gr_error perr = {0};
    int rc = score_post(rb, file, text, len, &out->res, &perr);
    if (rc == GR_ENOMEM)
        return gr_error_nomem(err);
    if (rc) {
        /* Over the size cap: fetch caps too, so this is rare. */
        char buf[1600];
        gr_error_format(&perr, buf, sizeof buf);
        out->res = NULL;
        if (!(out->too_large = strdup(buf)))
            return gr_error_nomem(err);
    }
    if (base) {
        out->printed = true;
        if (fingerprint_post(base, text, len, &out->print))
            return gr_error_nomem(err);
    }
    return 0;
}

void post_result_free(post_result *p)
{
    if (!p)
        return;
    score_result_free(p->res);
    free(p->too_large);
    fingerprint_free(&p->print);
    memset(p, 0, sizeof *p);
}

/* --- writing --- */

static void put_u(unsigned char *b, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u(const unsigned char *b, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static size_t leb_len(uint32_t v)
{
    size_t n = 1;
    while (v >>= 7)
        n++;
    return n;
}

static void put_leb(strbuf *sb, uint32_t v)
{
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        sb_putc(sb, (char)(v ? c | 0x80 : c));
    } while (v);
}

/* One LEB128 number of at most 32 bits from b[*at..n): -1 when cut short
 * or longer than 5 bytes. */
static int get_leb(const unsigned char *b, size_t n, size_t *at, uint32_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < 5; i++) {
        if (*at >= n)
            return -1;
        unsigned char c = b[(*at)++];
        v |= (uint64_t)(c & 0x7f) << (7 * i);
        if (!(c & 0x80))
            return v > UINT32_MAX ? -1 : (*out = (uint32_t)v, 0);
    }
    return -1;
}

static void write_score(strbuf *sb, const score_result *s)
{
    char v[200];
    /* %a: the percent exactly, as a single run computed it */
    snprintf(v, sizeof v, "%d %d %d %a %d %zu %zu %zu", s->points, s->max_points, s->bonus_points,
             s->percent, s->passed, s->words, s->n, s->nnotes);
    record_put_s(sb, "score", v);
    record_put_s(sb, "file", s->file);
    for (size_t i = 0; i < s->n; i++) {
        const crit_result *c = &s->items[i];
        snprintf(v, sizeof v, "%d %d %d %d", c->met, c->points, c->line, c->col);
        record_put_s(sb, "crit", v);
        if (c->message)
            record_put_s(sb, "message", c->message);
        else
            record_put_s(sb, "nomessage", NULL);
    }
    for (size_t i = 0; i < s->nnotes; i++)
        record_put_s(sb, "note", s->notes[i]);
}

static void write_print(strbuf *sb, const fingerprint *f)
{
    char v[200];
    snprintf(v, sizeof v, "%zu %d %d %a %a %zu %zu", f->n, f->link_only, f->task_text,
             f->known_share, f->format_share, f->links.n, f->links.words);
    record_put_s(sb, "prints", v);
    /* two passes: the record's length, then its bytes */
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass)
            sb_printf(sb, "marks %zu\n", total);
        uint32_t pos = 0, line = 0;
        for (size_t i = 0; i < f->n; i++) {
            const fingerprint_mark *k = &f->v[i];
            uint32_t d[3] = {k->pos - pos, k->line - line, k->line_end - k->line};
            pos = k->pos;
            line = k->line;
            if (!pass) {
                total += 8 + leb_len(d[0]) + leb_len(d[1]) + leb_len(d[2]);
                continue;
            }
            unsigned char b[8];
            put_u(b, k->h, 8);
            sb_add(sb, (const char *)b, sizeof b);
            for (int j = 0; j < 3; j++)
                put_leb(sb, d[j]);
        }
    }
    sb_putc(sb, '\n');
    for (size_t i = 0; i < f->links.n; i++)
        record_put_s(sb, "link", f->links.v[i]);
}

void post_result_write(strbuf *sb, const post_result *p)
{
    if (p->res)
        write_score(sb, p->res);
    else
        record_put_s(sb, "toolarge", p->too_large);
    if (p->printed)
        write_print(sb, &p->print);
    else
        record_put_s(sb, "noprints", NULL);
}

/* --- reading --- */

/* A text value's copy. */
static int take_str(record_reader *r, const char *key, char **out, gr_error *err)
{
    const char *v;
    int rc = record_take(r, key, &v, NULL, err);
    if (!rc && !(*out = strdup(v)))
        rc = gr_error_nomem(err);
    return rc;
}

/* Every item's criterion is rb's, in rubric order, as score_post makes it. */
static int read_items(record_reader *r, const rubric *rb, score_result *s, gr_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < s->n && !rc; i++) {
        crit_result *c = &s->items[i];
        const char *v;
        int met, used = 0;
        c->c = &rb->criteria[i];
        if ((rc = record_take(r, "crit", &v, NULL, err)))
            break;
        if (sscanf(v, "%d %d %d %d%n", &met, &c->points, &c->line, &c->col, &used) != 4 ||
            v[used] || (met != 0 && met != 1))
            return record_bad(r, "a criterion's result", err);
        c->met = met;
        if (record_next_is(r, "nomessage"))
            rc = record_take(r, "nomessage", &v, NULL, err);
        else
            rc = take_str(r, "message", &c->message, err);
    }
    for (size_t i = 0; i < s->nnotes && !rc; i++)
        rc = take_str(r, "note", &s->notes[i], err);
    return rc;
}

static int read_score(record_reader *r, const rubric *rb, score_result **out, gr_error *err)
{
    const char *v;
    int rc = record_take(r, "score", &v, NULL, err);
    if (rc)
        return rc;
    score_result *s = calloc(1, sizeof *s);
    if (!s)
        return gr_error_nomem(err);
    int passed = 0, used = 0;
    size_t n = 0, nnotes = 0;
    if (sscanf(v, "%d %d %d %la %d %zu %zu %zu%n", &s->points, &s->max_points, &s->bonus_points,
               &s->percent, &passed, &s->words, &n, &nnotes, &used) != 8 ||
        v[used] || !isfinite(s->percent) || (passed != 0 && passed != 1) || n != rb->ncriteria ||
        nnotes > (r->size - r->pos) / 8)
        rc = record_bad(r, "a score of another rubric", err);
    s->passed = passed == 1;
    if (!rc && (!(s->items = calloc(n ? n : 1, sizeof *s->items)) ||
                !(s->notes = calloc(nnotes ? nnotes : 1, sizeof *s->notes))))
        rc = gr_error_nomem(err);
    if (!rc) {
        s->n = n;
        s->nnotes = nnotes;
        rc = take_str(r, "file", &s->file, err);
    }
    if (!rc)
        rc = read_items(r, rb, s, err);
    if (rc) {
        score_result_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

static int read_marks(record_reader *r, fingerprint *f, size_t n, gr_error *err)
{
    const char *v;
    size_t len;
    int rc = record_take(r, "marks", &v, &len, err);
    if (rc)
        return rc;
    if (n > len / MARK_MIN || len > n * MARK_MAX)
        return record_bad(r, "fingerprints cut short", err);
    if (n && !(f->v = malloc(n * sizeof *f->v)))
        return gr_error_nomem(err);
    const unsigned char *b = (const unsigned char *)v;
    size_t at = 0;
    uint32_t pos = 0, line = 0, dp, dl, de;
    for (size_t i = 0; i < n; i++) {
        if (len - at < 8)
            return record_bad(r, "fingerprints cut short", err);
        uint64_t h = get_u(b + at, 8);
        at += 8;
        if (get_leb(b, len, &at, &dp) || get_leb(b, len, &at, &dl) || get_leb(b, len, &at, &de))
            return record_bad(r, "fingerprints cut short", err);
        pos += dp;
        line += dl;
        f->v[i] = (fingerprint_mark){.h = h, .pos = pos, .line = line, .line_end = line + de};
        f->n = i + 1;
    }
    if (at != len)
        return record_bad(r, "bytes after the fingerprints", err);
    return 0;
}

static int read_print(record_reader *r, fingerprint *f, gr_error *err)
{
    const char *v;
    int rc = record_take(r, "prints", &v, NULL, err);
    if (rc)
        return rc;
    int lo = 0, tt = 0, used = 0;
    size_t n, nlinks, words;
    if (sscanf(v, "%zu %d %d %la %la %zu %zu%n", &n, &lo, &tt, &f->known_share, &f->format_share,
               &nlinks, &words, &used) != 7 ||
        v[used] || (lo != 0 && lo != 1) || (tt != 0 && tt != 1) || !isfinite(f->known_share) ||
        !isfinite(f->format_share) || nlinks > SIMILAR_MAX_LINKS)
        return record_bad(r, "a post's fingerprints", err);
    f->link_only = lo;
    f->task_text = tt;
    f->links.words = words;
    rc = read_marks(r, f, n, err);
    if (!rc && nlinks && !(f->links.v = calloc(nlinks, sizeof *f->links.v)))
        rc = gr_error_nomem(err);
    for (size_t i = 0; i < nlinks && !rc; i++)
        if (!(rc = take_str(r, "link", &f->links.v[i], err)))
            f->links.n++;
    return rc;
}

int post_result_read(record_reader *r, const rubric *rb, bool printed, post_result *out,
                     gr_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = record_next_is(r, "toolarge") ? take_str(r, "toolarge", &out->too_large, err)
                                           : read_score(r, rb, &out->res, err);
    if (!rc && printed) {
        out->printed = true;
        rc = read_print(r, &out->print, err);
    } else if (!rc) {
        const char *v;
        rc = record_take(r, "noprints", &v, NULL, err);
    }
    if (rc)
        post_result_free(out);
    return rc;
}
