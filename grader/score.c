/* score.c - evaluate a rubric on one post.
 *
 * The outline gives lines, sections.c which lines each section spans; this
 * applies each criterion to them and reads the input bytes safely. */
#include "score.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "outline.h"
#include "sections.h"
#include "times.h"
#include "util.h"

typedef struct doc {
    const rubric *r;
    const outline *o;
    const char *file;
    int title;             /* line index of the title, -1 when none */
    const sec_state *secs; /* one per rubric section */
    size_t from;           /* first line of the post proper (pasted task text before) */
    ev_text *sents;        /* per section, then the whole post: split on first use */
    bool *sents_ready;
} doc;

/* ---- evaluation ------------------------------------------------------------ */

typedef struct lines_iter {
    const doc *d;
    int section; /* -1: all lines */
    size_t span, i;
} lines_iter;

static const ol_line *next_line(lines_iter *it, size_t *index)
{
    const outline *o = it->d->o;
    if (it->section < 0) {
        if (it->i < it->d->from)
            it->i = it->d->from;
        if (it->i >= o->nlines)
            return NULL;
        *index = it->i;
        return &o->lines[it->i++];
    }
    const sec_state *s = &it->d->secs[it->section];
    while (it->span < s->nspans) {
        if (it->i < s->spans[it->span].from)
            it->i = s->spans[it->span].from;
        if (it->i < s->spans[it->span].to) {
            *index = it->i;
            return &o->lines[it->i++];
        }
        it->span++;
    }
    return NULL;
}

static const char *section_label(const doc *d, int s)
{
    return s < 0 ? "the post" : d->r->sections[s].names[0];
}

/* Does next carry on l's paragraph (a hard-wrapped line of the same text
 * block, list item or not)? */
static bool wraps_on(const ol_line *l, const ol_line *next)
{
    return next && l->kind == OL_TEXT && next->kind == OL_TEXT && !next->para_start &&
           !next->item_start && next->list == l->list && next->item == l->item;
}

/* The sentence of text around [so, eo): from the end of the sentence
 * before to the end of its own (a '.', '!' or '?' and a space). */
static void sentence_around(const char *text, size_t len, size_t so, size_t eo, size_t *from,
                            size_t *to)
{
    size_t a = so, b = eo;
    while (a > 1 && !(text[a - 1] == ' ' && strchr(".!?", text[a - 2])))
        a--;
    while (b < len && !(strchr(".!?", text[b]) && (b + 1 == len || text[b + 1] == ' ')))
        b++;
    *from = a > 1 ? a : 0;
    *to = b < len ? b + 1 : len;
}

/* Count matches of any of res in text (non-overlapping, per pattern), up
 * to limit: a criterion needs no more than its min-count. A match whose
 * sentence matches ex (the excludes, joined; NULL for none) does not count
 * ("the root cause is still under investigation"). so and eo get the first
 * match. */
static int count_matches(const pattern *res, size_t n, const pattern *ex, const char *text,
                         size_t *so, size_t *eo, int limit)
{
    int count = 0;
    size_t len = strlen(text);
    /* the last sentence looked at, and whether it is excluded: the matches
     * in one sentence share its verdict (a sentence is read once) */
    size_t ca = 0, cb = 0;
    bool cout = false;
    for (size_t k = 0; k < n && count < limit; k++) {
        size_t from = 0, s, e;
        while (count < limit && from < len && pattern_find(&res[k], text, len, from, &s, &e)) {
            from = e > s ? e : s + 1;
            if (ex) {
                if (!(s >= ca && e <= cb && cb > ca)) {
                    sentence_around(text, len, s, e, &ca, &cb);
                    /* the sentence alone is the subject: ^ and $ hold at its ends */
                    cout = pattern_find(ex, text + ca, cb - ca, 0, NULL, NULL);
                }
                if (cout)
                    continue;
            }
            if (!count) {
                *so = s;
                *eo = e;
            }
            count++;
        }
    }
    return count;
}

static bool any_match(const pattern *res, size_t n, const char *text)
{
    size_t len = strlen(text);
    for (size_t k = 0; k < n; k++)
        if (pattern_find(&res[k], text, len, 0, NULL, NULL))
            return true;
    return false;
}

/* Set a result; message is printf-like. */
static int result(crit_result *cr, bool met, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int result(crit_result *cr, bool met, int line, const char *fmt, ...)
{
    cr->met = met;
    cr->points = met ? cr->c->points : 0;
    cr->line = line > 0 ? line : 1;
    cr->col = 1;
    va_list ap;
    va_start(ap, fmt);
    char tmp[1024];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    free(cr->message);
    cr->message = strdup(tmp);
    return cr->message ? 0 : GR_ENOMEM;
}

/* Where to point when something is missing from a section. */
static int section_line(const doc *d, int s)
{
    if (s < 0)
        return 1;
    const sec_state *st = &d->secs[s];
    if (st->heading >= 0)
        return d->o->lines[st->heading].line;
    if (st->nspans && st->spans[0].from < d->o->nlines)
        return d->o->lines[st->spans[0].from].line;
    return 1;
}

static bool section_present(const doc *d, int s)
{
    return s < 0 || d->secs[s].nspans > 0;
}

/* A short quote of text for messages (UTF-8 safe cut). */
static void quote(char *out, size_t size, const char *s, size_t n)
{
    size_t max = size - 4;
    if (n > max) {
        n = max;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        snprintf(out, size, "%.*s...", (int)n, s);
    } else {
        snprintf(out, size, "%.*s", (int)n, s);
    }
}

/* The line of offset at in a paragraph joined from n + 1 lines that start
 * at offs[] and are lines[] in the post. */
static int joined_line(const size_t *offs, const int *lines, int n, size_t at)
{
    while (n > 0 && offs[n] > at)
        n--;
    return lines[n];
}

static int eval_match(const doc *d, crit_result *res)
{
    const criterion *c = res->c;
    if (!section_present(d, c->section))
        return result(res, c->kind == CHECK_ABSENT, section_line(d, c->section),
                      c->kind == CHECK_ABSENT ? "no %s section to look in"
                                              : "no %s section to look in",
                      section_label(d, c->section));
    lines_iter it = {d, c->section, 0, 0};
    const ol_line *l, *next = next_line(&it, &(size_t){0});
    int count = 0, first_line = 0, defer_line = 0;
    /* past this many the verdict and the message stay the same */
    int need = c->kind == CHECK_ABSENT ? 1 : c->min_count;
    char q[80] = "", dq[80] = "";
    /* A paragraph's lines are searched as one text: posts are hard-wrapped,
     * and "about 40% of" at a line's end and "users" on the next is one
     * phrase. Each line's offset in the joined text gives a match its line. */
    enum { MAX_JOIN = 64 };
    size_t offs[MAX_JOIN];
    int lines[MAX_JOIN];
    strbuf para;
    sb_init(&para);
    /* with defer patterns every paragraph is read: a deferral anywhere
     * decides */
    while ((count < need || (c->ndefers && !defer_line)) && (l = next)) {
        int n = 0;
        sb_reset(&para);
        offs[0] = 0;
        lines[0] = l->line;
        sb_puts(&para, l->text);
        next = next_line(&it, &(size_t){0});
        /* a name run into its paragraph is read with its text, which says
         * whether it counts ("Root cause: still under investigation") */
        const ol_line *cur = l;
        bool label = l->runin && next && next->line == l->line;
        while (n + 1 < MAX_JOIN && (label || wraps_on(cur, next))) {
            if (label)
                cur = next;
            label = false;
            sb_putc(&para, ' ');
            offs[++n] = para.len;
            lines[n] = next->line;
            sb_puts(&para, next->text);
            next = next_line(&it, &(size_t){0});
        }
        if (sb_failed(&para)) {
            sb_free(&para);
            return GR_ENOMEM;
        }
        size_t so = 0, eo = 0;
        if (c->ndefers &&
            count_matches(c->defer_res, c->ndefers, NULL, sb_str(&para), &so, &eo, 1)) {
            defer_line = joined_line(offs, lines, n, so);
            quote(dq, sizeof dq, sb_str(&para) + so, eo - so);
            break;
        }
        int found = count_matches(c->res, c->npatterns, c->nexcludes ? &c->ev_exclude : NULL,
                                  sb_str(&para), &so, &eo, need - count);
        if (found && !count) {
            first_line = joined_line(offs, lines, n, so);
            quote(q, sizeof q, sb_str(&para) + so, eo - so);
        }
        count += found;
    }
    sb_free(&para);
    if (defer_line)
        return result(res, false, defer_line, "%s says \"%s\": told later, not stated there",
                      section_label(d, c->section), dq);
    if (c->kind == CHECK_ABSENT) {
        if (count)
            return result(res, false, first_line, "found \"%s\" in %s", q,
                          section_label(d, c->section));
        return result(res, true, section_line(d, c->section), "none found in %s",
                      section_label(d, c->section));
    }
    if (count >= c->min_count)
        return result(res, true, first_line, "found \"%s\" in %s", q, section_label(d, c->section));
    if (count)
        return result(res, false, first_line, "found %d of the %d needed in %s", count,
                      c->min_count, section_label(d, c->section));
    return result(res, false, section_line(d, c->section), "not found in %s",
                  section_label(d, c->section));
}

/* The items of one depth of a section's lists: how many, how many of the
 * item form, the first one's line and the first miss's. */
typedef struct list_level {
    int items, matched, first, miss_line;
} list_level;

/* Enough of the items have the form (share of them; any without a form). */
static bool form_share_met(const criterion *c, const list_level *v)
{
    return !c->has_item_re || v->matched >= (int)ceil(c->share * v->items - 1e-9);
}

static int eval_list(const doc *d, crit_result *res)
{
    const criterion *c = res->c;
    if (!section_present(d, c->section))
        return result(res, false, section_line(d, c->section), "no %s section to look in",
                      section_label(d, c->section));
    /* the outermost lists of the section: nested items are details, unless
     * the outer ones are not of the form and the level under them is: days
     * over their times ("- 12 March" over "  - 09:14 - alert") */
    int min_depth = INT32_MAX;
    lines_iter it = {d, c->section, 0, 0};
    const ol_line *l;
    size_t idx;
    while ((l = next_line(&it, &idx)))
        if (l->list >= 0 && d->o->lists[l->list].depth < min_depth)
            min_depth = d->o->lists[l->list].depth;
    list_level lv[2] = {{0}};
    it = (lines_iter){d, c->section, 0, 0};
    while ((l = next_line(&it, &idx))) {
        int depth = l->list >= 0 ? d->o->lists[l->list].depth - min_depth : -1;
        if (depth < 0 || depth > 1 || !l->item_start)
            continue;
        /* a placeholder is no item ("- TODO: will fill here") */
        if (c->nexcludes && any_match(&c->ev_exclude, 1, l->text))
            continue;
        list_level *v = &lv[depth];
        v->items++;
        if (!v->first)
            v->first = l->line;
        if (!c->has_item_re || any_match(&c->item_re, 1, l->text))
            v->matched++;
        else if (!v->miss_line)
            v->miss_line = l->line;
    }
    bool pass[2];
    for (int k = 0; k < 2; k++)
        pass[k] = lv[k].items > 0 && lv[k].items >= c->min_items && form_share_met(c, &lv[k]);
    const list_level *v = &lv[c->has_item_re && !pass[0] && pass[1]];
    int items = v->items, matched = v->matched, first = v->first, miss_line = v->miss_line;
    const char *sec = section_label(d, c->section);
    if (!items)
        return result(res, false, section_line(d, c->section), "no bulleted or numbered list in %s",
                      sec);
    if (items < c->min_items)
        return result(res, false, first, "the list in %s has %d item%s, %d needed", sec, items,
                      items == 1 ? "" : "s", c->min_items);
    if (!form_share_met(c, v))
        return result(res, false, miss_line ? miss_line : first,
                      "%d of the %d items in %s have the expected form", matched, items, sec);
    if (c->has_item_re)
        return result(res, true, first, "%d of the %d items in %s have the expected form", matched,
                      items, sec);
    return result(res, true, first, "a list of %d items in %s", items, sec);
}

static int eval_words(const doc *d, crit_result *res)
{
    const criterion *c = res->c;
    size_t n = 0;
    if (c->section < 0 && !d->from)
        n = d->o->words;
    else {
        lines_iter it = {d, c->section, 0, 0};
        const ol_line *l;
        size_t idx;
        while ((l = next_line(&it, &idx)))
            n += l->words;
    }
    const char *where = section_label(d, c->section);
    if ((long long)n < c->min_words)
        return result(res, false, section_line(d, c->section), "%zu words in %s, below %d", n,
                      where, c->min_words);
    if ((long long)n > c->max_words)
        return result(res, false, section_line(d, c->section), "%zu words in %s, above %d", n,
                      where, c->max_words);
    return result(res, true, section_line(d, c->section), "%zu words in %s", n, where);
}

/* The sentences of section s (code lines are output, not prose). */
/* The sentences of section s (code lines are output, not prose), split
 * once per post: several criteria read the same section. NULL when out of
 * memory. */
static const ev_text *section_sentences(const doc *d, int s)
{
    size_t k = s < 0 ? d->r->nsections : (size_t)s;
    ev_text *t = &d->sents[k];
    if (d->sents_ready[k])
        return t;
    lines_iter it = {d, s, 0, 0};
    const ol_line *l;
    size_t idx, prev = SIZE_MAX;
    while ((l = next_line(&it, &idx))) {
        if (l->kind == OL_CODE)
            continue;
        bool block = l->para_start || l->item_start || l->kind != OL_TEXT || idx != prev + 1;
        ev_text_add_line(t, l->text, l->line,
                         l->item_start ? EV_NEW_ITEM
                         : block       ? EV_NEW_BLOCK
                                       : EV_SAME_BLOCK);
        prev = idx;
    }
    if (!ev_text_finish(t))
        return NULL;
    d->sents_ready[k] = true;
    return t;
}

/* Sentences (evidence.h splits them); a fragment of fewer than five words
 * that does not end like a sentence ("Fix - restart") is not counted. */
static int eval_sentences(const doc *d, crit_result *res)
{
    const criterion *c = res->c;
    if (!section_present(d, c->section))
        return result(res, false, section_line(d, c->section), "no %s section to look in",
                      section_label(d, c->section));
    const ev_text *t = section_sentences(d, c->section);
    if (!t)
        return GR_ENOMEM;
    int count = 0, first = 0;
    size_t nwords = 0;
    bool started = !c->from_first;
    for (size_t i = 0; i < t->n; i++) {
        const ev_sentence *s = &t->s[i];
        const char *txt = t->buf.s + s->off;
        if (s->words < 5 && !s->ended)
            continue;
        bool hit = !c->npatterns;
        for (size_t k = 0; k < c->npatterns && !hit; k++)
            hit = pattern_find(&c->res[k], txt, s->len, 0, NULL, NULL);
        if (!hit && !started)
            continue;
        if (pattern_find(&c->ev_exclude, txt, s->len, 0, NULL, NULL))
            continue;
        if (hit)
            started = true;
        if (!count)
            first = s->line;
        count++;
        nwords += ev_words(t, i);
    }
    const char *sec = section_label(d, c->section);
    if (count >= c->min_count || (c->enough_words && nwords >= (size_t)c->enough_words))
        return result(res, true, first, "%d sentence%s (%zu words) in %s", count,
                      count == 1 ? "" : "s", nwords, sec);
    if (c->enough_words)
        return result(res, false, first ? first : section_line(d, c->section),
                      "%d sentence%s (%zu words) in %s; %d sentences or %d words needed", count,
                      count == 1 ? "" : "s", nwords, sec, c->min_count, c->enough_words);
    return result(res, false, first ? first : section_line(d, c->section),
                  "%d sentence%s in %s, %d needed", count, count == 1 ? "" : "s", sec,
                  c->min_count);
}

/* The first sentence of the last entry of a section of several, when no
 * sentence of that entry matches `ending` or `exclude`: where a story is
 * told in order, its last entry is how it ended ("the curtain fell and the
 * database was left in peace"); -1. */
static long story_end(const ev_text *t, const pattern *ending, const pattern *exclude)
{
    if (t->n < 2)
        return -1;
    size_t i = t->n - 1;
    /* an entry is a list item or paragraph; in one paragraph of timed
     * lines, each line is one */
    if (t->s[0].block != t->s[i].block)
        while (i > 0 && t->s[i - 1].block == t->s[t->n - 1].block)
            i--;
    for (size_t k = i; k < t->n; k++) {
        const char *txt = t->buf.s + t->s[k].off;
        if (pattern_find(ending, txt, t->s[k].len, 0, NULL, NULL) ||
            pattern_find(exclude, txt, t->s[k].len, 0, NULL, NULL))
            return -1;
    }
    return (long)i;
}

/* Evidence: sentences of the section that say it (evidence.h). */
static int eval_evidence(const doc *d, crit_result *res)
{
    const criterion *c = res->c;
    const char *sec = section_label(d, c->section);
    if (!section_present(d, c->section))
        return result(res, false, section_line(d, c->section), "no %s section to look in", sec);
    ev_rule rule = {.cues = c->res,
                    .ncues = c->npatterns,
                    .with = &c->ev_with,
                    .with_cased = &c->ev_with_cased,
                    .without = &c->ev_exclude,
                    .keep = &c->ev_keep,
                    .undone = &c->ev_undone,
                    .detail = &c->ev_detail,
                    .follow = c->from_first,
                    /* an explanation is made of sentences, not of notes ("Root
                     * cause - bad config") */
                    .min_words = c->min_count > 1 ? 5 : 0,
                    .need = c->min_count};
    const ev_text *t = section_sentences(d, c->section);
    if (!t)
        return GR_ENOMEM;
    ev_found f;
    ev_weigh(t, &rule, &f);
    char q[64] = "";
    int first = 0;
    if (f.count) {
        first = t->s[f.first].line;
        quote(q, sizeof q, t->buf.s + f.cue_so, f.cue_eo - f.cue_so);
    }
    bool met = f.count >= c->min_count || f.detailed ||
               (f.count && c->enough_words && f.words >= (size_t)c->enough_words);
    if (!met && c->also_in >= 0 && c->also_in != c->section && section_present(d, c->also_in)) {
        /* told elsewhere too (the fix in the timeline): sentences that say
         * so there, without the steps that follow them */
        const ev_text *t2 = section_sentences(d, c->also_in);
        if (!t2)
            return GR_ENOMEM;
        ev_rule r2 = rule;
        r2.follow = false;
        r2.detail = NULL;
        r2.need = c->also_count - f.count;
        ev_found f2;
        ev_weigh(t2, &r2, &f2);
        if (f.count + f2.count >= c->also_count) {
            const char *sec2 = section_label(d, c->also_in);
            int line = f.count ? first : t2->s[f2.first].line;
            return result(res, true, line, "%d sentence%s in %s and %d in %s", f.count,
                          f.count == 1 ? "" : "s", sec, f2.count, sec2);
        }
    }
    long last = f.count || !c->nending ? -1 : story_end(t, &c->ev_ending, &c->ev_exclude);
    if (last >= 0) {
        quote(q, sizeof q, t->buf.s + t->s[last].off, t->s[last].len);
        return result(res, true, t->s[last].line, "%s ends on \"%s\"", sec, q);
    }
    if (met && (c->min_count <= 1 || f.count == 1))
        return result(res, true, first, "found \"%s\" in %s", q, sec);
    if (met)
        return result(res, true, first, "%d sentences (%zu words) in %s, from \"%s\"", f.count,
                      f.words, sec, q);
    if (!f.count)
        return result(res, false, section_line(d, c->section), "no sentence in %s says so", sec);
    if (c->enough_words)
        return result(res, false, first,
                      "%d sentence%s (%zu words) in %s; %d sentences or %d words needed", f.count,
                      f.count == 1 ? "" : "s", f.words, sec, c->min_count, c->enough_words);
    return result(res, false, first, "%d sentence%s in %s, %d needed", f.count,
                  f.count == 1 ? "" : "s", sec, c->min_count);
}

static int eval_order(const doc *d, crit_result *res)
{
    const criterion *c = res->c;
    int prev = -1, prev_s = -1;
    for (size_t k = 0; k < c->norder; k++) {
        int s = c->order[k];
        const sec_state *st = &d->secs[s];
        if (st->heading < 0)
            continue; /* missing sections are other criteria's business */
        if (st->heading < prev)
            return result(res, false, d->o->lines[st->heading].line, "%s comes before %s",
                          section_label(d, s), section_label(d, prev_s));
        prev = st->heading;
        prev_s = s;
    }
    return result(res, true, 1, "sections in order");
}

static int eval_refs(const doc *d, crit_result *res, const ol_ref *refs, size_t n, const char *what)
{
    const criterion *c = res->c;
    int count = 0, first = 0;
    for (size_t i = 0; i < n; i++) {
        if (c->npatterns && !any_match(c->res, c->npatterns, refs[i].url))
            continue;
        if (!count)
            first = refs[i].line;
        count++;
    }
    if (count >= c->min_count)
        return result(res, true, first, "%d %s%s", count, what, count == 1 ? "" : "s");
    (void)d;
    return result(res, false, 1, "%d %s%s, %d needed", count, what, count == 1 ? "" : "s",
                  c->min_count);
}

static int evaluate(const doc *d, crit_result *res)
{
    const criterion *c = res->c;
    switch (c->kind) {
    case CHECK_TITLE:
        if (d->title >= 0) {
            char q[80];
            const ol_line *l = &d->o->lines[d->title];
            quote(q, sizeof q, l->text, strlen(l->text));
            return result(res, true, l->line, "title \"%s\"", q);
        }
        return result(res, false, 1, "the post does not open with a title");
    case CHECK_SECTION: {
        const sec_state *st = &d->secs[c->section];
        if (st->heading >= 0) {
            char q[80];
            const ol_line *l = &d->o->lines[st->heading];
            quote(q, sizeof q, l->text, strlen(l->text));
            return result(res, true, l->line, "section \"%s\"", q);
        }
        if (st->by_role)
            return result(res, true, section_line(d, c->section),
                          "no \"%s\" heading, but the text there reads as one",
                          section_label(d, c->section));
        return result(res, false, st->fallback ? section_line(d, c->section) : 1,
                      "no \"%s\" section", section_label(d, c->section));
    }
    case CHECK_MATCH:
    case CHECK_ABSENT:
        return eval_match(d, res);
    case CHECK_LIST:
        return eval_list(d, res);
    case CHECK_WORDS:
        return eval_words(d, res);
    case CHECK_ORDER:
        return eval_order(d, res);
    case CHECK_IMAGE:
        return eval_refs(d, res, d->o->images, d->o->nimages, "image");
    case CHECK_LINK:
        return eval_refs(d, res, d->o->links, d->o->nlinks, "link");
    case CHECK_SENTENCES:
        return eval_sentences(d, res);
    case CHECK_EVIDENCE:
        return eval_evidence(d, res);
    }
    return GR_EINTERNAL;
}

/* ---- input ------------------------------------------------------------------ */

static int add_note(score_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add_note(score_result *res, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **v = realloc(res->notes, (res->nnotes + 1) * sizeof *v);
    if (!v)
        return GR_ENOMEM;
    res->notes = v;
    if (!(v[res->nnotes] = strdup(buf)))
        return GR_ENOMEM;
    res->nnotes++;
    return 0;
}

/* The post as valid UTF-8 without NUL: bad bytes become U+FFFD, a BOM is
 * dropped. Notes say what was done, with the first line affected. */
static int clean_input(const char *data, size_t len, score_result *res, char **out, size_t *olen)
{
    strbuf sb;
    sb_init(&sb);
    size_t i = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    int bad_utf8 = 0, nul = 0, bad_line = 0, nul_line = 0, line = 1;
    while (i < len) {
        size_t bad;
        size_t rest = len - i;
        const char *nulp = memchr(data + i, '\0', rest);
        size_t chunk = nulp ? (size_t)(nulp - (data + i)) : rest;
        if (utf8_valid(data + i, chunk, &bad)) {
            bad = chunk;
        }
        /* the line is wanted only for a bad byte that follows */
        for (size_t k = 0; bad < rest && k < bad; k++)
            line += data[i + k] == '\n';
        sb_add(&sb, data + i, bad);
        i += bad;
        if (i >= len)
            break;
        if (data[i] == '\0') {
            if (!nul++)
                nul_line = line;
        } else if (!bad_utf8++) {
            bad_line = line;
        }
        sb_puts(&sb, "\xEF\xBF\xBD");
        i++;
    }
    if (sb_failed(&sb)) {
        sb_free(&sb);
        return GR_ENOMEM;
    }
    int rc = 0;
    if (bad_utf8)
        rc |= add_note(res, "line %d: %d byte%s of invalid UTF-8 replaced (save the file as UTF-8)",
                       bad_line, bad_utf8, bad_utf8 == 1 ? "" : "s");
    if (nul)
        rc |= add_note(res, "line %d: %d NUL byte%s replaced (is this a text file?)", nul_line, nul,
                       nul == 1 ? "" : "s");
    *olen = sb.len;
    *out = sb_detach(&sb);
    if (!*out || rc)
        return GR_ENOMEM;
    return 0;
}

/* The line index holding byte `off` of the joined text (offs: each line's
 * start, n lines). */
static size_t line_at(const size_t *offs, size_t n, size_t off)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (offs[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The first line index where pattern p matches inside one line, or one
 * hard-wrapped paragraph, of the joined text; or n. */
static size_t first_line_match(const pattern *p, const char *all, size_t len, const size_t *offs,
                               size_t n)
{
    size_t from = 0, so, eo;
    while (from < len && pattern_find(p, all, len, from, &so, &eo)) {
        if (!memchr(all + so, '\n', eo - so))
            return line_at(offs, n, so);
        from = so + 1; /* it ran across a block's end: not a match of a line */
    }
    return n;
}

/* A pattern that is a plain phrase (no ERE syntax), short enough to copy. */
static bool is_literal(const char *p)
{
    size_t n = 0;
    for (; p[n]; n++)
        if (!isalnum((unsigned char)p[n]) && !strchr(" ,'-:;\"", p[n]))
            return false;
    return n && n < 256;
}

/* How many of the rubric's reject patterns (the assignment's own text) the
 * post matches, and the first and last line indices where one does. The
 * lines are searched as one text, one search per pattern: a pattern per
 * line cost more than the rest of the scoring. Patterns anchored with ^ or
 * $ are matched line by line. */
static int task_text(const rubric *r, const outline *o, size_t *first, size_t *last)
{
    const rubric_reject *rj = &r->reject;
    int hits = 0, rc = 0;
    *first = o->nlines;
    *last = 0;
    if (!rj->npatterns || !o->nlines)
        return 0;
    size_t *offs = malloc((o->nlines + 1) * sizeof *offs);
    strbuf all;
    sb_init(&all);
    /* the lines of a paragraph are joined by a space: "must" at a line's
     * end and "contain" on the next is the phrase */
    for (size_t i = 0; offs && i < o->nlines; i++) {
        const ol_line *l = &o->lines[i], *nx = i + 1 < o->nlines ? &o->lines[i + 1] : NULL;
        offs[i] = all.len;
        sb_puts(&all, l->text);
        sb_putc(&all, wraps_on(l, nx) ? ' ' : '\n');
    }
    if (!offs || sb_failed(&all)) {
        rc = GR_ENOMEM;
        goto done;
    }
    offs[o->nlines] = all.len;
    if (rj->icase)
        for (size_t i = 0; i < all.len; i++)
            all.s[i] = (char)ascii_lower((unsigned char)all.s[i]);
    /* stop when the patterns left cannot reach min_count */
    for (size_t k = 0; k < rj->npatterns && hits + (int)(rj->npatterns - k) >= rj->min_count; k++) {
        size_t i = o->nlines;
        if (is_literal(rj->patterns[k])) {
            /* most are plain phrases: a substring search, far cheaper */
            char lit[256];
            size_t n = strlen(rj->patterns[k]);
            for (size_t c = 0; c <= n; c++)
                lit[c] = rj->icase ? (char)ascii_lower((unsigned char)rj->patterns[k][c])
                                   : rj->patterns[k][c];
            const char *at = strstr(sb_str(&all), lit);
            if (at)
                i = line_at(offs, o->nlines, (size_t)(at - sb_str(&all)));
        } else if (strpbrk(rj->patterns[k], "^$")) {
            for (i = 0; i < o->nlines && !any_match(&rj->res[k], 1, o->lines[i].text); i++)
                ;
        } else {
            i = first_line_match(&rj->res[k], sb_str(&all), all.len, offs, o->nlines);
        }
        if (i < o->nlines) {
            hits++;
            if (i < *first)
                *first = i;
        }
    }
    if (hits < rj->min_count) {
        hits = 0;
        goto done;
    }
    for (size_t i = o->nlines; i-- > *first;)
        if (any_match(rj->res, rj->npatterns, o->lines[i].text)) {
            *last = i;
            break;
        }
done:
    free(offs);
    sb_free(&all);
    return rc ? rc : hits;
}

enum { POST_MIN_WORDS = 150 };

enum { POST_MIN_SECTIONS = 2 };

/* How many different sections lines [from, to) name. */
static int sections_named(const sections *sx, size_t from, size_t to)
{
    int named = 0;
    unsigned long seen = 0;
    for (size_t i = from; i < to; i++) {
        int st = sx->starts[i];
        if (st >= 0 && st < (int)(8 * sizeof seen) && !(seen & (1UL << st))) {
            seen |= 1UL << st;
            named++;
        }
    }
    return named;
}

/* Lines [from, to) read as a post of their own: two sections named, and
 * long enough. */
static bool reads_as_post(const outline *o, const sections *sx, size_t from, size_t to)
{
    return sections_named(sx, from, to) >= POST_MIN_SECTIONS &&
           outline_words(o, from, to) >= POST_MIN_WORDS;
}

/* Does line i name a section (or the title)? The assignment's words there
 * are a name, not pasted text. */
static bool names_line(const outline *o, const sections *sx, size_t i)
{
    return sx->starts[i] != -1 || o->lines[i].kind == OL_HEADING || (int)i == sx->title;
}

/* Does the assignment's wording stand in lines [from, to) in section names
 * only? *timed: the other lines there that begin with a time. */
static bool task_only_in_names(const rubric *r, const outline *o, const sections *sx, size_t from,
                               size_t to, int *timed)
{
    *timed = 0;
    for (size_t i = from; i < to; i++) {
        const ol_line *l = &o->lines[i];
        bool names = names_line(o, sx, i);
        if (!names && any_match(r->reject.res, r->reject.npatterns, l->text))
            return false;
        *timed += !names && times_line_starts(l->text);
    }
    return true;
}

/* A post that left the assignment's wording in its section names only
 * ("## Timeline (format bullet point...) must contain:"): every line the
 * reject patterns match names a section, two sections are named, and
 * there are timed entries, which the assignment's own text never has; a
 * short one too (a fragment is the student's own, graded as it is). */
static bool task_in_names_only(const rubric *r, const outline *o, const sections *sx)
{
    enum { MIN_TIMED = 3 };
    int timed;
    return task_only_in_names(r, o, sx, 0, o->nlines, &timed) && timed >= MIN_TIMED &&
           sections_named(sx, 0, o->nlines) >= POST_MIN_SECTIONS;
}

static bool opens_section(const outline *o, const sections *sx, size_t i)
{
    return sx->starts[i] >= 0 || o->lines[i].kind == OL_HEADING;
}

/* The first line in (first, last] that opens a section, after text of the
 * task's outside section names, from which on the task's words stand in
 * section names only and the rest reads as a post; o->nlines when none.
 * One pass from the end: a post of many headings costs no more than one
 * of few. */
static size_t post_under_names(const rubric *r, const outline *o, const sections *sx, size_t first,
                               size_t last)
{
    enum { MIN_SECTIONS = 2 };
    size_t n = o->nlines, found = n, words = 0;
    /* the first and last lines of task text outside section names */
    size_t first_out = n, last_out = n;
    for (size_t i = first; i < n; i++) {
        if (!names_line(o, sx, i) &&
            any_match(r->reject.res, r->reject.npatterns, o->lines[i].text)) {
            if (first_out == n)
                first_out = i;
            last_out = i;
        }
    }
    if (first_out == n)
        return n;
    /* from the end: the sections named and the words from line i on */
    unsigned long seen = 0;
    int named = 0;
    for (size_t i = n; i-- > last_out + 1;) {
        int st = sx->starts[i];
        words += o->lines[i].words;
        if (st >= 0 && st < (int)(8 * sizeof seen) && !(seen & (1UL << st))) {
            seen |= 1UL << st;
            named++;
        }
        if (i <= last && opens_section(o, sx, i) && named >= MIN_SECTIONS &&
            words >= POST_MIN_WORDS)
            found = i; /* the first such line, once the loop is done */
    }
    return found;
}

/* A student who pasted the assignment first and wrote the post below it:
 * the first heading or section name after the task text (lines [first,
 * last]), when what follows names two sections and is long enough to be a
 * post; else the first one after text of the task's from which on the
 * task's words stand in section names only ("Timeline (must contain:
 * ...)"), when what follows reads as a post; else the first paragraph after the
 * task text, when what follows is long enough (a post that names one
 * section or none: a story, an opening paragraph serving as the summary;
 * the assignment has said all it says by its last phrase); else
 * o->nlines. */
static size_t post_after(const rubric *r, const outline *o, const sections *sx, size_t first,
                         size_t last)
{
    size_t start = last + 1;
    while (start < o->nlines && !opens_section(o, sx, start))
        start++;
    if (start < o->nlines && reads_as_post(o, sx, start, o->nlines))
        return start;
    if ((start = post_under_names(r, o, sx, first, last)) < o->nlines)
        return start;
    start = last + 1;
    while (start < o->nlines && !o->lines[start].para_start && !o->lines[start].item_start)
        start++;
    return outline_words(o, start, o->nlines) >= POST_MIN_WORDS ? start : o->nlines;
}

/* Where the assignment's text pasted after a post begins (the paragraph of
 * its first line), when what comes before it is a post; 0 otherwise. */
static size_t post_before(const outline *o, const sections *sx, size_t first)
{
    while (first > 0 && !o->lines[first].para_start && !o->lines[first].item_start)
        first--;
    return reads_as_post(o, sx, 0, first) ? first : 0;
}

int score_post(const rubric *r, const char *file, const char *data, size_t len, score_result **out,
               gr_error *err)
{
    *out = NULL;
    if (len > GR_MAX_INPUT)
        return gr_error_set(err, GR_ELIMIT, file, 0, 0,
                            "the post is %zu bytes, over the %d-byte limit", len, GR_MAX_INPUT);
    score_result *res = calloc(1, sizeof *res);
    if (!res)
        return gr_error_nomem(err);
    res->items = calloc(r->ncriteria ? r->ncriteria : 1, sizeof *res->items);
    res->file = strdup(file ? file : "post");
    char *text = NULL;
    size_t tlen = 0;
    outline *o = NULL;
    doc d = {.r = r, .file = file, .title = -1};
    sections sx = {.title = -1};
    int rc = (!res->items || !res->file) ? GR_ENOMEM : 0;
    if (!rc)
        rc = clean_input(data, len, res, &text, &tlen);
    if (!rc)
        rc = outline_parse(text, tlen, &o, err);
    if (!rc)
        rc = sections_split_runins(r, o);
    if (!rc) {
        d.o = o;
        rc = sections_resolve(r, o, 0, &sx);
    }
    int reject_line = 0;
    size_t task_first, task_last;
    int task = rc ? 0 : task_text(r, o, &task_first, &task_last);
    if (task < 0)
        rc = task;
    /* the task's words kept in section names only are no pasted text, and
     * so is one section name that keeps them ("Timeline (format bullet
     * point, ...) must contain:" over the student's own timeline) with the
     * post after it */
    bool in_names = task > 0 && task_in_names_only(r, o, &sx);
    bool cut = false;
    if (task > 0 && !(in_names && task_first == task_last && names_line(o, &sx, task_first))) {
        size_t start = post_after(r, o, &sx, task_first, task_last);
        if (start < o->nlines) {
            /* the task's words the post kept in its section names are
             * not the pasted text */
            while (task_last >= start && task_last > task_first)
                task_last--;
            while (task_last > task_first &&
                   !any_match(r->reject.res, r->reject.npatterns, o->lines[task_last].text))
                task_last--;
            sections_clear(&sx);
            rc = sections_resolve(r, o, start, &sx);
            if (!rc)
                rc = add_note(res,
                              "lines %d-%d read as the assignment's own text, pasted in: "
                              "graded from line %d (delete the assignment's text)",
                              o->lines[task_first].line, o->lines[task_last].line,
                              o->lines[start].line);
            cut = true;
        } else if ((start = post_before(o, &sx, task_first)) > 0) {
            int at = o->lines[start].line, last = o->lines[task_last].line;
            outline_truncate(o, start);
            sections_clear(&sx);
            rc = sections_resolve(r, o, 0, &sx);
            if (!rc)
                rc = add_note(res,
                              "lines %d-%d read as the assignment's own text, pasted in after "
                              "the post: graded up to line %d (delete the assignment's text)",
                              at, last, at - 1);
            cut = true;
        }
    }
    if (in_names && !cut)
        rc = add_note(res,
                      "line %d: the section names carry the assignment's wording (\"must "
                      "contain\"...); name the sections plainly",
                      o->lines[task_first].line);
    else if (task > 0 && !cut)
        reject_line = o->lines[task_first].line;
    d.title = sx.title;
    d.secs = sx.secs;
    d.from = sx.from;
    if (!rc) {
        d.sents = calloc(r->nsections + 1, sizeof *d.sents);
        d.sents_ready = calloc(r->nsections + 1, sizeof *d.sents_ready);
        if (!d.sents || !d.sents_ready)
            rc = GR_ENOMEM;
    }
    if (!rc) {
        if (o->web_page)
            rc = add_note(res, "the file is a saved web page: graded on the post inside its "
                               "<article> (commit the Markdown file instead)");
        if (!rc && o->had_conflict_markers)
            rc = add_note(res, "merge-conflict markers (<<<<<<<, =======, >>>>>>>) were "
                               "ignored: resolve the conflict and commit again");
        if (!rc && len && !has_alnum(text))
            rc = add_note(res, "the post has no text");
        if (!rc && !len)
            rc = add_note(res, "the post is empty");
    }
    res->n = r->ncriteria;
    res->max_points = r->max_points;
    for (size_t i = 0; i < r->ncriteria && !rc; i++) {
        crit_result *cr = &res->items[i];
        cr->c = &r->criteria[i];
        /* pasted assignment text has no post, but may open with a title */
        if (reject_line && cr->c->kind != CHECK_TITLE)
            rc = result(cr, false, reject_line, "%s", r->reject.message);
        else
            rc = evaluate(&d, cr);
        res->points += cr->points;
        if (cr->c->bonus)
            res->bonus_points += cr->points;
    }
    if (!rc) {
        res->words = o->words;
        res->percent = r->max_points ? 100.0 * res->points / r->max_points : 0;
        res->passed = res->percent + 1e-9 >= r->pass;
    }
    sections_clear(&sx);
    for (size_t s = 0; d.sents && s <= r->nsections; s++)
        ev_text_free(&d.sents[s]);
    free(d.sents);
    free(d.sents_ready);
    outline_free(o);
    free(text);
    if (rc) {
        score_result_free(res);
        if (rc == GR_ENOMEM)
            return gr_error_nomem(err);
        return rc;
    }
    *out = res;
    return 0;
}

void score_result_free(score_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n; i++)
        free(res->items[i].message);
    free(res->items);
    for (size_t i = 0; i < res->nnotes; i++)
        free(res->notes[i]);
    free(res->notes);
    free(res->file);
    free(res);
}
