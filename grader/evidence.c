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
    t->cur = 0;
    t->block = 0;
    t->open = false;
    t->item = false;
    t->oom = false;
}

void ev_text_free(ev_text *t)
{
    sb_free(&t->buf);
    free(t->s);
    memset(t, 0, sizeof *t);
}

/* The sentence being built runs from t->cur to the end of buf; push it
 * (a newline keeps it apart from the next), or drop it when it is a label. */
static void close_sentence_at(ev_text *t, bool last);

static void close_sentence(ev_text *t)
{
    close_sentence_at(t, false);
}

static void close_sentence_at(ev_text *t, bool last)
{
    t->open = false;
    if (t->label_end && t->buf.len == t->label_end && !last)
        return; /* nothing after the label yet */
    size_t off = t->cur;
    if (sb_failed(&t->buf) || t->buf.len <= off)
        return;
    size_t len = t->buf.len - off;
    char *s = t->buf.s + off;
    /* a label has few words: count no further than that */
    size_t w = 0;
    for (size_t i = 0; i < len && w < EV_FEW_WORDS; i++)
        w += s[i] != ' ' && (!i || s[i - 1] == ' ');
    bool ended = strchr(".!?", s[len - 1]) != NULL;
    /* "Root Cause:" and "Timeline" label what follows; "Server restarted"
     * in a timeline is an event */
    bool label = s[len - 1] == ':' ? w < 6 : w < 3 && !ended && !t->item;
    /* a label with a colon heads the sentence that follows it, as a reader
     * reads "Root Cause: a misconfigured upstream" (two labels in a row
     * head nothing) */
    if (label && s[len - 1] == ':' && !last && !t->label_end) {
        sb_putc(&t->buf, ' ');
        t->label_end = t->buf.len;
        return;
    }
    if (!w || label) {
        t->buf.len = off;
        s[0] = '\0';
        t->label_end = 0;
        return;
    }
    t->label_end = 0;
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
    sb_putc(&t->buf, '\n');
    t->cur = t->buf.len;
}

/* A '.' ends a sentence unless it ends an abbreviation: a single letter, a
 * title before a name ("Mr. Adeyemi", "Dr. Okafor"), or a word of short
 * dotted pieces ("e.g.", "a.m.", "U.S."). A file or host name ends one like
 * any word ("...failed to load wp-settings.php."). */
static bool ends_sentence(const char *start, const char *p)
{
    static const char *const titles[] = {"Mr", "Mrs", "Ms", "Dr", "Prof", "Eng"};
    if (*p != '.')
        return true;
    const char *w = p;
    while (w > start && w[-1] != ' ')
        w--;
    if (p - w <= 1)
        return false;
    size_t n = (size_t)(p - w);
    if (n <= 4 && p[1] == ' ' && p[2] >= 'A' && p[2] <= 'Z')
        for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
            if (n == strlen(titles[i]) && !memcmp(w, titles[i], n))
                return false;
    if (!memchr(w, '.', (size_t)(p - w)))
        return true;
    size_t piece = 0;
    for (const char *c = w; c < p; c++) {
        piece = *c == '.' ? 0 : piece + 1;
        if (piece > 2)
            return true;
    }
    return false;
}

void ev_text_add_line(ev_text *t, const char *text, int line, int starts)
{
    bool new_block = starts & EV_NEW_BLOCK;
    while (*text == ' ')
        text++;
    bool carry = !new_block && t->open && *text >= 'a' && *text <= 'z';
    if (carry) {
        sb_putc(&t->buf, ' ');
    } else {
        close_sentence(t);
        if (new_block && t->n)
            t->block++;
        if (new_block)
            t->item = starts == EV_NEW_ITEM;
        t->open_line = line;
    }
    const char *seg = text, *p = text;
    while ((p = strpbrk(p, ".!?"))) {
        if ((p[1] == ' ' || !p[1]) && ends_sentence(text, p)) {
            sb_add(&t->buf, seg, (size_t)(p + 1 - seg));
            close_sentence(t);
            t->open_line = line;
            while (p[1] == ' ')
                p++;
            seg = p + 1;
        }
        p++;
    }
    if (*seg) {
        sb_add(&t->buf, seg, strlen(seg));
        t->open = true;
    }
}

bool ev_text_finish(ev_text *t)
{
    close_sentence_at(t, true);
    return !t->oom && !sb_failed(&t->buf);
}

size_t ev_words(const ev_text *t, size_t i)
{
    const char *s = t->buf.s + t->s[i].off;
    size_t w = 0;
    for (size_t k = 0; k < t->s[i].len; k++)
        w += s[k] != ' ' && (!k || s[k - 1] == ' ');
    return w;
}

static bool has(const pattern *p, const char *s, size_t len)
{
    return p && p->code && pattern_find(p, s, len, 0, NULL, NULL);
}

/* A cue is searched in its sentence alone, as the companions are (has):
 * "^" is the sentence's start. */
static bool cue_in(const ev_text *t, const ev_rule *r, const ev_sentence *s, size_t *so)
{
    for (size_t k = 0; k < r->ncues; k++)
        if (pattern_find(&r->cues[k], t->buf.s + s->off, s->len, 0, so, NULL))
            return true;
    return false;
}

/* How many cue matches the sentence holds, from offset so (at most 3). */
static int steps(const ev_text *t, const ev_rule *r, const ev_sentence *s, size_t so)
{
    int n = 0;
    const char *txt = t->buf.s + s->off;
    size_t from = so, e;
    for (size_t k = 0; k < r->ncues; k++)
        while (n < 3 && from < s->len && pattern_find(&r->cues[k], txt, s->len, from, NULL, &e)) {
            n++;
            from = e;
        }
    return n;
}

/* Does one of the two sentences after sentence i in its block say the try
 * failed ("Restarted it. Twice. No change.")? */
static bool undone(const ev_text *t, const ev_rule *r, size_t i)
{
    enum { LOOK_AHEAD = 2 };
    for (size_t k = i + 1; r->undone && k < t->n && k <= i + LOOK_AHEAD; k++) {
        if (t->s[k].block != t->s[i].block)
            break;
        if (has(r->undone, t->buf.s + t->s[k].off, t->s[k].len))
            return true;
    }
    return false;
}

void ev_weigh(const ev_text *t, const ev_rule *r, ev_found *out)
{
    *out = (ev_found){.first = -1};
    int following = -1; /* the block whose rest counts */
    for (size_t i = 0; i < t->n && (!r->need || out->count < r->need); i++) {
        const ev_sentence *s = &t->s[i];
        const char *txt = t->buf.s + s->off;
        if (s->words < r->min_words && !s->ended)
            continue;
        size_t so = 0;
        bool cue = cue_in(t, r, s, &so);
        if (!cue && !(r->follow && s->block == following))
            continue;
        /* a cue with no one to go with it first: the cheaper test, and
         * most such sentences go no further */
        if (cue && r->with && r->with->code && !has(r->with, txt, s->len) &&
            !has(r->with_cased, txt, s->len) && !has(r->keep, txt, s->len)) {
            if (s->block != following)
                continue;
            cue = false;
        }
        if (has(r->without, txt, s->len) && !has(r->keep, txt, s->len))
            continue;
        if (cue && undone(t, r, i))
            continue;
        if (cue && r->follow)
            following = s->block;
        if (out->first < 0) {
            out->first = (long)i;
            out->cue_so = s->off + (cue ? so : 0);
            out->cue_eo = s->off + s->len;
        }
        out->count++;
        out->words += ev_words(t, i);
        /* a detail matters only while the count falls short; a sentence
         * that names three steps ("rolled back, checked..., and fixed")
         * is as detailed as one that names a file */
        if (!out->detailed && out->count < r->need && r->detail && r->detail->code)
            out->detailed = has(r->detail, txt, s->len) || (cue && steps(t, r, s, so) >= 3);
    }
}

/* Can this branch give its first letter to a group? Not when a quantifier
 * binds that letter alone ("s?ql") or nothing follows it. */
static bool factorable(const char *a, size_t n)
{
    return n > 1 && a[0] >= 'a' && a[0] <= 'z' && !strchr("?*+{|", a[1]);
}

char *ev_factor(const char *ere)
{
    enum { MAX_ALTS = 256 };
    size_t n = strlen(ere);
    if (n < 8 || strncmp(ere, "\\<(", 3) != 0 || strcmp(ere + n - 3, ")\\>") != 0)
        return NULL;
    const char *body = ere + 3;
    size_t blen = n - 6, start = 0, na = 0;
    const char *as[MAX_ALTS];
    size_t al[MAX_ALTS];
    int depth = 0;
    for (size_t i = 0; i <= blen; i++) {
        char ch = i < blen ? body[i] : '|';
        if (ch == '\\') {
            i++;
        } else if (ch == '[') {
            i += body[i + 1] == '^';
            i += body[i + 1] == ']';
            while (i + 1 < blen && body[i + 1] != ']')
                i++;
            if (++i >= blen)
                return NULL;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')' && --depth < 0) {
            return NULL; /* the first group closes before the end */
        } else if (ch == '|' && !depth) {
            if (na == MAX_ALTS)
                return NULL;
            as[na] = body + start;
            al[na++] = i - start;
            start = i + 1;
        }
    }
    if (depth || na < 4)
        return NULL;
    bool used[MAX_ALTS] = {false};
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, "\\<(");
    for (size_t i = 0; i < na; i++) {
        if (used[i])
            continue;
        if (sb.len > 3)
            sb_putc(&sb, '|');
        size_t same = 0;
        for (size_t j = i + 1; j < na && factorable(as[i], al[i]); j++)
            same += !used[j] && factorable(as[j], al[j]) && as[j][0] == as[i][0];
        if (!same) {
            sb_add(&sb, as[i], al[i]);
            continue;
        }
        sb_putc(&sb, as[i][0]);
        sb_putc(&sb, '(');
        for (size_t j = i, k = 0; j < na; j++) {
            if (used[j] || !factorable(as[j], al[j]) || as[j][0] != as[i][0])
                continue;
            used[j] = true;
            if (k++)
                sb_putc(&sb, '|');
            sb_add(&sb, as[j] + 1, al[j] - 1);
        }
        sb_putc(&sb, ')');
    }
    sb_puts(&sb, ")\\>");
    return sb_detach(&sb);
}
