/* evidence.c - sentences of a stretch of a post and the evidence among them. */
#include "evidence.h"

#include <stdlib.h>
#include <string.h>

void ev_text_init(ev_text *t)
{
    memset(t, 0, sizeof *t);
    sb_init(&t->buf);
}

void ev_text_reset(ev_text *t)
{
    sb_reset(&t->buf);
    t->n = 0;
    t->block = 0;
    t->open = false;
    t->oom = false;
}

void ev_text_free(ev_text *t)
{
    sb_free(&t->buf);
    free(t->s);
    memset(t, 0, sizeof *t);
}

/* The sentence being built runs from the end of the last one to the end of
 * buf; push it, or drop it when it is a label. */
static void close_sentence(ev_text *t)
{
    t->open = false;
    size_t off = t->n ? t->s[t->n - 1].off + t->s[t->n - 1].len : 0;
    if (sb_failed(&t->buf) || t->buf.len <= off)
        return;
    size_t len = t->buf.len - off;
    char *s = t->buf.s + off;
    size_t w = 0;
    for (size_t i = 0; i < len; i++)
        w += s[i] != ' ' && (!i || s[i - 1] == ' ');
    bool ended = strchr(".!?", s[len - 1]) != NULL;
    /* "Root Cause:" and "Timeline" label what follows; "Server restarted"
     * in a timeline is an event */
    bool label = s[len - 1] == ':' ? w < 6 : w < 3 && !ended;
    if (!w || label) {
        t->buf.len = off;
        s[0] = '\0';
        return;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        ev_sentence *v = realloc(t->s, cap * sizeof *v);
        if (!v) {
            t->oom = true;
            return;
        }
        t->s = v;
        t->cap = cap;
    }
    t->s[t->n++] = (ev_sentence){off, len, t->open_line, t->block, w, ended};
}

/* A '.' ends a sentence unless it ends an abbreviation ("e.g.", "a.m.", a
 * single letter). */
static bool ends_sentence(const char *start, const char *p)
{
    if (*p != '.')
        return true;
    const char *w = p;
    while (w > start && w[-1] != ' ')
        w--;
    if (p - w <= 1)
        return false;
    return memchr(w, '.', (size_t)(p - w)) == NULL;
}

void ev_text_add_line(ev_text *t, const char *text, int line, bool new_block)
{
    while (*text == ' ')
        text++;
    bool carry = !new_block && t->open && *text >= 'a' && *text <= 'z';
    if (carry) {
        sb_putc(&t->buf, ' ');
    } else {
        close_sentence(t);
        if (new_block && t->n)
            t->block++;
        t->open_line = line;
    }
    const char *seg = text, *p = text;
    for (; *p; p++) {
        if ((*p == '.' || *p == '!' || *p == '?') && (p[1] == ' ' || !p[1]) &&
            ends_sentence(text, p)) {
            sb_add(&t->buf, seg, (size_t)(p + 1 - seg));
            close_sentence(t);
            t->open_line = line;
            while (p[1] == ' ')
                p++;
            seg = p + 1;
        }
    }
    if (p > seg) {
        sb_add(&t->buf, seg, (size_t)(p - seg));
        t->open = true;
    }
}

bool ev_text_finish(ev_text *t)
{
    close_sentence(t);
    return !t->oom && !sb_failed(&t->buf);
}

static bool any(const pattern *res, size_t n, const char *s, size_t len, size_t *so, size_t *eo)
{
    for (size_t k = 0; k < n; k++)
        if (pattern_find(&res[k], s, len, 0, so, eo))
            return true;
    return false;
}

void ev_weigh(const ev_text *t, const ev_rule *r, ev_found *out)
{
    *out = (ev_found){.first = -1};
    int following = -1; /* the block whose rest counts */
    for (size_t i = 0; i < t->n; i++) {
        const ev_sentence *s = &t->s[i];
        const char *txt = t->buf.s + s->off;
        if (s->words < r->min_words && !s->ended)
            continue;
        size_t so = 0;
        bool cue = any(r->cues, r->ncues, txt, s->len, &so, NULL);
        if (!cue && !(r->follow && s->block == following))
            continue;
        if (r->nwithout && any(r->without, r->nwithout, txt, s->len, NULL, NULL) &&
            !(r->nkeep && any(r->keep, r->nkeep, txt, s->len, NULL, NULL)))
            continue;
        out->mentions += cue;
        if (cue && r->nwith && !any(r->with, r->nwith, txt, s->len, NULL, NULL)) {
            if (s->block != following)
                continue;
            cue = false;
        }
        if (cue && r->follow)
            following = s->block;
        if (out->first < 0) {
            out->first = (long)i;
            out->cue_so = s->off + (cue ? so : 0);
            out->cue_eo = s->off + s->len;
        }
        out->count++;
        out->words += s->words;
        out->detailed += r->ndetail && any(r->detail, r->ndetail, txt, s->len, NULL, NULL);
    }
}
