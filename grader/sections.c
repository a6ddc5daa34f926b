/* sections.c - which lines of a post start which rubric section.
 *
 * A real heading that names a section is one; so is a bold line or a plain
 * line that says little else (a plain line must be the name alone, or end
 * in a colon). A pseudo-heading that uses a weaker name of a section that
 * is named better further down ("Root Cause:" under the summary, "Root
 * Cause and Resolution" later) is a label inside the current section, not
 * a section of its own. */
#include "sections.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "times.h"
#include "util.h"

#define MAX_WORDS 24

typedef struct words {
    char w[MAX_WORDS][24];
    unsigned char len[MAX_WORDS]; /* strlen of each word */
    int n;
    int content; /* content_words(), kept for the rubric's names */
    /* bit k: a word of k letters (k < 32) is there; a quick test before
     * words_contain (word_eq matches words of equal length or one longer) */
    unsigned lens;
    uint16_t hash0; /* the rubric's names: first_hash of the first word */
} words;

/* Function words do not make a line less of a heading: "Actions for
 * Resolution and Prevention" says two things besides its name, not four. */
static bool stop_word(const char *w, size_t len)
{
    static const char *const stop[] = {"a",  "an",  "the", "of",   "for", "and", "to",   "in",
                                       "on", "our", "my",  "with", "by",  "at",  "from", NULL};
    for (const char *const *s = stop; len <= 4 && *s; s++)
        if (w[0] == (*s)[0] && !strcmp(w, *s))
            return true;
    return false;
}

static int content_words(const words *w)
{
    int n = 0;
    for (int i = 0; i < w->n; i++)
        n += !stop_word(w->w[i], w->len[i]);
    return n;
}

/* Lower-case words of a heading: parentheses dropped, '&' read as "and",
 * leading numbering ("1.", "2)") and emoji (a "word" with no ASCII letter
 * or digit) dropped. Reading stops once more than `most` of them are
 * content words: a caller that only needs to know the line has too many
 * for a name does not read a whole sentence. */
static void name_words(const char *s, words *out, int most)
{
    int content = 0;
    out->n = 0;
    out->lens = 0;
    int paren = 0;
    char cur[24];
    size_t cl = 0;
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        unsigned char ch = *p;
        if (ch == '(')
            paren++;
        else if (ch == ')' && paren)
            paren--;
        bool upper = ch >= 'A' && ch <= 'Z';
        bool word_char =
            !paren && (upper || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80);
        if (word_char && cl + 1 < sizeof cur)
            cur[cl++] = (char)(upper ? ch + ('a' - 'A') : ch);
        if ((!word_char || ch == '&') && cl) {
            cur[cl] = '\0';
            bool numbering = out->n == 0, ascii = false;
            for (size_t i = 0; i < cl && numbering; i++)
                numbering = isdigit((unsigned char)cur[i]);
            for (size_t i = 0; i < cl && !ascii; i++)
                ascii = (unsigned char)cur[i] < 0x80;
            if (!numbering && ascii && out->n < MAX_WORDS) {
                memcpy(out->w[out->n], cur, cl + 1);
                out->len[out->n++] = (unsigned char)cl;
                out->lens |= 1u << (cl & 31);
                if ((content += !stop_word(cur, cl)) > most)
                    return;
            }
            cl = 0;
        }
        if (ch == '&' && !paren && out->n < MAX_WORDS) {
            strcpy(out->w[out->n], "and");
            out->len[out->n++] = 3;
            out->lens |= 1u << 3;
        }
        if (!ch)
            break;
    }
}

/* Equal, or one letter apart for longer words: a first letter lost ("ssue"
 * for "issue": editors eat first letters), or one letter mistyped. A
 * letter dropped elsewhere is another word ("case" is not "cause"). */
static bool word_eq(const char *a, size_t la, const char *b, size_t lb)
{
    /* every such pair shares its first or its second letter, or a's first
     * is b's second; most pairs of words share neither (a quick no) */
    if (a[0] != b[0] && a[1] != b[1] && a[0] != b[1])
        return false;
    if (la == lb && !memcmp(a, b, la))
        return true;
    if (lb < 5 || la < 4)
        return false;
    if (la == lb) {
        int diff = 0;
        for (size_t i = 0; i < la; i++)
            diff += a[i] != b[i];
        return diff == 1;
    }
    return la + 1 == lb && !memcmp(a, b + 1, la);
}

/* Where the last run of alias's words in h ends (word index + 1), or 0. */
static int words_contain(const words *h, const words *alias)
{
    /* each of the alias's lengths, or one less (a lost first letter), in h */
    if (!alias->n || alias->n > h->n || (alias->lens & ~(h->lens | h->lens << 1)))
        return 0;
    for (int i = h->n - alias->n; i >= 0; i--) {
        int k = 0;
        while (k < alias->n && word_eq(h->w[i + k], h->len[i + k], alias->w[k], alias->len[k]))
            k++;
        if (k == alias->n)
            return i + alias->n;
    }
    return 0;
}

/* Do words [from, to) of h read "of" (with an article or "our")? */
static bool of_between(const words *h, int from, int to)
{
    if (from >= to || strcmp(h->w[from], "of"))
        return false;
    for (int i = from + 1; i < to; i++)
        if (strcmp(h->w[i], "the") && strcmp(h->w[i], "our") && strcmp(h->w[i], "a"))
            return false;
    return true;
}

typedef struct name_match {
    int section; /* -1: none */
    /* a name cut from the start of a paragraph ("Root Cause: the disk...")
     * names no section; it is that section's heading only where the
     * section is missing and belongs (position_fallback); -1: none */
    int runin;
    int rank; /* index of the alias in the section's names: 0 = canonical */
    int alias_words;
    int end;   /* where the name ends in the line, in words */
    bool part; /* a part's heading ("Impact" under the summary), not the section's name */
} name_match;

/* Letters, all of them capitals ("THE LONG NIGHT"). */
static bool all_caps(const char *t)
{
    bool any = false;
    for (; *t; t++) {
        if (*t >= 'a' && *t <= 'z')
            return false;
        any |= *t >= 'A' && *t <= 'Z';
    }
    return any;
}

/* The section a line names, if its form allows: headings, and bold or
 * capital lines standing alone, may add up to four words to a name, other
 * bold lines three, plain lines none (two when alone, three when the line
 * ends with a colon). */
static name_match match_line(const rubric *r, const words *aliases, const size_t *alias_base,
                             int max_content, const ol_line *l, bool alone)
{
    name_match best = {-1, -1, 0, 0, 0, false};
    if (l->kind == OL_CODE || (l->list >= 0 && !alone) || l->words > MAX_WORDS)
        return best;
    /* a plain line standing alone as a paragraph, not ending like a
     * sentence, reads as a heading in a post without Markdown */
    size_t tl = strlen(l->text);
    bool standalone = alone && tl && !strchr(".!?,", l->text[tl - 1]);
    enum { HEAD_SLACK = 4 };
    int slack = l->kind == OL_HEADING             ? HEAD_SLACK
                : l->kind == OL_BOLD              ? (alone ? HEAD_SLACK : 3)
                : standalone && all_caps(l->text) ? HEAD_SLACK
                : l->colon                        ? 3
                : standalone                      ? 2
                                                  : 0;
    words h;
    name_words(l->text, &h, max_content + slack);
    if (!h.n)
        return best;
    int hc = content_words(&h);
    if (hc - max_content > slack)
        return best; /* prose: more words than any name allows */
    for (size_t s = 0; s < r->nsections; s++) {
        size_t nn = r->sections[s].nnames;
        for (size_t a = 0; a < nn + r->sections[s].nparts; a++) {
            const words *al = &aliases[alias_base[s] + a];
            int end;
            if ((a >= nn && l->kind != OL_HEADING) || hc - al->content > slack ||
                !(end = words_contain(&h, al)))
                continue;
            /* the longest name wins; on a tie the one said last, which
             * in "Actions for Resolution and Prevention" is the point;
             * but in "X of Y" the X: "Summary of Events" is a summary,
             * "Timeline of the Fix" a timeline */
            bool of_y = best.section >= 0 && of_between(&h, best.end, end - al->n);
            if (!of_y &&
                (al->n > best.alias_words || (al->n == best.alias_words && end > best.end))) {
                best.section = (int)s;
                best.rank = (int)a;
                best.alias_words = al->n;
                best.end = end;
                best.part = a >= nn;
            }
        }
    }
    return best;
}

bool has_alnum(const char *s)
{
    for (; *s; s++) {
        /* U+FFFD stands in for bytes that were not text (clean_input) */
        if (!strncmp(s, "\xEF\xBF\xBD", 3)) {
            s += 2;
            continue;
        }
        if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
            return true;
    }
    return false;
}

/* Only links (outline.c writes URLs as "[link]"). */
static bool is_url_only(const char *s)
{
    bool any = false;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!strncmp(s, "[link]", 6)) {
            any = true;
            s += 6;
        } else if (*s) {
            return false;
        }
    }
    return any;
}

/* A chatbot's opening left in ("Sure, here is the postmortem...:",
 * "Certainly! Here's a more concise version:"): not the post's title. */
static bool chatbot_opener(const char *t)
{
    static const char *const openers[] = {
        "sure",    "certainly", "ertainly",          "of course", "absolutely",
        "here is", "here's",    "here\xe2\x80\x99s", "below is",  NULL};
    size_t n = strlen(t);
    /* "Sure, here is the postmortem:", or a sentence that offers it:
     * "Sure! Here is a postmortem for the outage, in the requested format." */
    if (!n)
        return false;
    bool offers = strchr(".!", t[n - 1]) &&
                  (find_nocase(t, n, "postmortem") || find_nocase(t, n, "post-mortem"));
    if (t[n - 1] != ':' && !offers)
        return false;
    for (int k = 0; openers[k]; k++)
        if (!strncasecmp(t, openers[k], strlen(openers[k])))
            return true;
    return false;
}

/* Words of s outside parentheses: "Issue Summary (must contain: duration)"
 * is a name of two words, as name_words reads it. */
static int words_outside_parens(const char *s)
{
    int n = 0, depth = 0;
    for (const char *p = s; *p; p++) {
        depth += *p == '(';
        depth -= *p == ')' && depth > 0;
        n += !depth && *p != ' ' && *p != '(' && *p != ')' && (p == s || p[-1] == ' ');
    }
    return n;
}

/* The first line with words, if it reads as a title: a heading, or a short
 * line that is not a sentence, not a link and not a section name. A picture
 * or a chatbot's opening line before it does not count. */
static int find_title(const outline *o, size_t from, const name_match *m)
{
    bool opener_seen = false;
    for (size_t i = from; i < o->nlines; i++) {
        const ol_line *l = &o->lines[i];
        if (!has_alnum(l->text))
            continue; /* a picture, stray punctuation */
        if ((m[i].section >= 0 && m[i].alias_words >= words_outside_parens(l->text) - 1) ||
            (l->runin && m[i].runin >= 0))
            return -1; /* it opens with a section, named or run into its text */
        if (l->kind == OL_HEADING)
            return (int)i;
        if (!opener_seen && l->kind == OL_TEXT && chatbot_opener(l->text)) {
            opener_seen = true;
            continue;
        }
        size_t n = strlen(l->text);
        /* a sentence in brackets or quotes ends inside them: "(All times
         * are EAT.)" */
        while (n > 1 && strchr(")]\"'", l->text[n - 1]))
            n--;
        /* "Here is a postmortem for ...:" opens; it is not a title; "Web
         * server down." standing alone may be one */
        bool alone = i + 1 >= o->nlines || o->lines[i + 1].para_start;
        bool sentence =
            n && (l->text[n - 1] == ':' || (l->text[n - 1] == '.' && !(alone && l->words <= 5)));
        if (l->list >= 0 || l->kind == OL_CODE || l->words > 14 || sentence || is_url_only(l->text))
            return -1;
        return (int)i;
    }
    return -1;
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int add_span(sec_state *s, size_t from, size_t to)
{
    span *sp = realloc(s->spans, (s->nspans + 1) * sizeof *sp);
    if (!sp)
        return GR_ENOMEM;
    s->spans = sp;
    s->spans[s->nspans++] = (span){from, to};
    return 0;
}

/* Take lines [a, b) out of a section's spans. */
static int cut_spans(sec_state *s, size_t a, size_t b)
{
    size_t n = s->nspans;
    for (size_t k = 0; k < n; k++) {
        span sp = s->spans[k];
        if (sp.to <= a || sp.from >= b)
            continue;
        s->spans[k].to = sp.from < a ? a : sp.from;
        if (sp.to > b && add_span(s, b, sp.to))
            return GR_ENOMEM;
    }
    /* drop emptied spans, keep document order */
    size_t w = 0;
    for (size_t k = 0; k < s->nspans; k++)
        if (s->spans[k].to > s->spans[k].from)
            s->spans[w++] = s->spans[k];
    s->nspans = w;
    for (size_t i = 1; i < s->nspans; i++)
        for (size_t j = i; j > 0 && s->spans[j - 1].from > s->spans[j].from; j--) {
            span t = s->spans[j];
            s->spans[j] = s->spans[j - 1];
            s->spans[j - 1] = t;
        }
    return 0;
}

/* Where the opening block of [from, to) ends: all of it when it is short
 * enough to be a summary, else the paragraphs that hold its first words (a
 * post with no section names is not all summary). */
static size_t opening_block(const outline *o, size_t from, size_t to)
{
    enum { SUMMARY_MAX_WORDS = 150, OPENING_WORDS = 60 };
    if (outline_words(o, from, to) <= SUMMARY_MAX_WORDS)
        return to;
    size_t nwords = 0;
    for (size_t i = from; i < to; i++) {
        if (i > from && o->lines[i].para_start && nwords >= OPENING_WORDS)
            return i;
        nwords += o->lines[i].words;
    }
    return to;
}

static bool prose_follows(const char *s);

/* Do lines [from, to) name two clock times, a start and an end? */
static bool span_told(const outline *o, size_t from, size_t to)
{
    size_t times = 0;
    for (size_t i = from; i < to && times < 2; i++)
        if (o->lines[i].kind != OL_CODE)
            times += times_count(o->lines[i].text);
    return times >= 2;
}

/* A paragraph that opens with a field's label of its own ("Impact: our
 * store...", "Duration: 40 minutes"): a few words, a colon, then prose,
 * not a title's Title Case ("Postmortem: The Log File That Ate the Disk"). */
static bool field_line(const ol_line *l)
{
    enum { FIELD_WORDS = 3 };
    const char *c = strchr(l->text, ':');
    if (l->kind != OL_TEXT || !c || c == l->text || c[1] != ' ')
        return false;
    size_t w = 0;
    for (const char *p = l->text; p < c; p++)
        w += !isspace((unsigned char)*p) && (p == l->text || isspace((unsigned char)p[-1]));
    return w <= FIELD_WORDS && count_words_upto(c + 1, 3) >= 3 && prose_follows(c + 1);
}

/* A name run into its paragraph after another field's paragraph ("Impact:
 * ..." then "Root cause: ..."): one more field of the section it stands
 * in, not a section of its own. */
static bool among_fields(const outline *o, const sections *d, size_t i)
{
    for (size_t k = i; k-- > d->from && d->starts[k] == -1;)
        if (o->lines[k].para_start || o->lines[k].item_start)
            return (int)k != d->title && field_line(&o->lines[k]);
    return false;
}

/* A bold or plain line naming a section that belongs after the section
 * that follows it ("Root Cause:" under the summary, with the Timeline
 * next): a label inside the section it stands in, whose block also counts
 * for the section it names. Sections are expected in the rubric's order. */
static int out_of_order_labels(const outline *o, sections *d)
{
    int next = -1, prev = -1;
    int *next_sec = malloc((o->nlines ? o->nlines : 1) * sizeof *next_sec);
    if (!next_sec)
        return GR_ENOMEM;
    for (size_t i = o->nlines; i-- > d->from;) {
        next_sec[i] = next;
        if (d->starts[i] >= 0)
            next = d->starts[i];
    }
    int rc = 0, prev_level = 0;
    for (size_t i = d->from; i < o->nlines && !rc; i++) {
        int x = d->starts[i];
        if (x < 0)
            continue;
        const ol_line *l = &o->lines[i];
        /* a heading is a label only below the heading of the section it
         * stands in ("### Root Cause" under "## Issue Summary") */
        bool sub = l->kind != OL_HEADING || (prev_level && l->level > prev_level);
        if (!sub || prev < 0 || prev >= x || next_sec[i] < 0 || next_sec[i] >= x) {
            prev = x;
            prev_level = l->kind == OL_HEADING ? l->level : 0;
            continue;
        }
        size_t end = i + 1;
        while (end < o->nlines && d->starts[end] == -1)
            end++;
        rc = add_span(&d->secs[x], i + 1, end);
        /* "Root Cause: the disk was full" in the summary is a sentence of
         * the summary, not the cause's section */
        if (d->secs[x].heading < 0 && !l->runin)
            d->secs[x].heading = (int)i;
        d->starts[i] = -3; /* the section it stands in runs on */
    }
    free(next_sec);
    return rc;
}

/* A short line that introduces what follows ("Events Timeline", "What
 * happened when:"), not a sentence. */
static bool is_label(const ol_line *l)
{
    size_t n = strlen(l->text);
    return l->list < 0 && l->kind != OL_CODE && l->words && l->words <= 6 && n &&
           l->text[n - 1] != '.' && has_alnum(l->text);
}

static int cue_hits(const pattern *cue, const outline *o, size_t from, size_t to);

/* A block that says what a section says this many times is that section's
 * text even without its name. */
enum { ROLE_HITS = 4 };

/* The post's first section named for a later place in the rubric's order
 * than the section named after it ("## Summation" over the summary's
 * facts, then "## Timeline"), or for the same place ("## Summation", then
 * "## Root Cause"), in a post that names no summary, is the summary when
 * its block says what a summary says. */
static bool section_graded(const rubric *r, size_t s);

static void opening_out_of_order(const rubric *r, const outline *o, sections *d)
{
    size_t i = d->from, j;
    bool headed = false; /* an unnamed heading or a part's before it */
    for (; i < o->nlines && d->starts[i] < 0; i++)
        headed |= d->starts[i] == -2 && (int)i != d->title;
    for (j = i + 1; j < o->nlines && d->starts[j] < 0; j++)
        ;
    /* the same place named again after it: only when it stands first */
    if (j < o->nlines && d->starts[j] == d->starts[i] && headed)
        return;
    /* an aside ("## Background") first is no misplaced section */
    if (j >= o->nlines || d->starts[j] > d->starts[i] || !section_graded(r, (size_t)d->starts[i]))
        return;
    for (size_t k = 0; k < o->nlines; k++)
        if (d->starts[k] >= 0 && r->sections[d->starts[k]].fallback_preamble)
            return;
    /* its place, first and before the section that follows it, is
     * evidence too: fewer hits than a block found by content alone */
    enum { OPENING_HITS = ROLE_HITS - 1 };
    for (size_t s = 0; s < (size_t)d->starts[j]; s++)
        if (r->sections[s].fallback_preamble && r->sections[s].ncues &&
            cue_hits(&r->sections[s].cue, o, i + 1, j) >= OPENING_HITS) {
            d->starts[i] = (int)s;
            return;
        }
}

/* Are lines [from, to) more than an introduction to section s ("Here is
 * how the night went, hour by hour.")? More than a sentence or two, or
 * what another section says: that section's text. */
static bool says_other(const rubric *r, const outline *o, size_t s, size_t from, size_t to)
{
    enum { INTRO_WORDS = 30 };
    if (outline_words(o, from, to) > INTRO_WORDS)
        return true;
    for (size_t t = 0; t < r->nsections; t++)
        if (t != s && r->sections[t].ncues &&
            cue_hits(&r->sections[t].cue, o, from, to) >= ROLE_HITS)
            return true;
    return false;
}

/* A section that has no name but whose role shows in its form: a run of
 * lines that begin with times is a timeline wherever it stands. The line
 * just above the run, when it is a heading or a short label, is its name;
 * the run is taken out of the section it stood in. */
static int times_fallback(const rubric *r, const outline *o, sections *d, size_t *first_boundary)
{
    for (size_t s = 0; s < r->nsections; s++) {
        size_t rf = 0, rt = 0;
        if (!r->sections[s].fallback_times || d->secs[s].heading >= 0 ||
            !times_run(o, d->starts, d->from, &rf, &rt))
            continue;
        int head = -1;
        if (rf > d->from && (int)rf - 1 != d->title &&
            (d->starts[rf - 1] == -2 || is_label(&o->lines[rf - 1])))
            head = (int)rf - 1;
        /* or an unnamed heading a sentence or two above it ("## The Long
         * Night", "Here is how the night went, hour by hour."), unless
         * those sentences are another section's (a summary, then the
         * times, under one heading) */
        for (size_t k = 2; head < 0 && k <= 3 && rf >= d->from + k; k++) {
            size_t h = rf - k;
            if (d->starts[h + 1] != -1 || (int)h == d->title)
                break;
            if (d->starts[h] == -2 && !says_other(r, o, s, h + 1, rf))
                head = (int)h;
        }
        size_t block = head >= 0 ? (size_t)head : rf;
        for (size_t t = 0; t < r->nsections; t++)
            if (t != s && cut_spans(&d->secs[t], block, rt))
                return GR_ENOMEM;
        if (add_span(&d->secs[s], head >= 0 ? (size_t)head + 1 : rf, rt))
            return GR_ENOMEM;
        if (head >= 0)
            d->secs[s].heading = head;
        else
            d->secs[s].fallback = true;
        if (block < *first_boundary)
            *first_boundary = block;
    }
    return 0;
}

/* A timeline split into sections ("## Escalation", then "## Resolution"
 * with the last entries): a section that starts where the timeline ends,
 * whose lines mostly begin with times, and whose name is used again further
 * down ("## Root Cause and Resolution"), is the timeline's last part. */
static int timeline_tail(const rubric *r, const outline *o, sections *d)
{
    for (size_t s = 0; s < r->nsections; s++) {
        sec_state *tl = &d->secs[s];
        if (!r->sections[s].fallback_times || tl->heading < 0 || !tl->nspans)
            continue;
        size_t e = tl->spans[tl->nspans - 1].to;
        if (e >= o->nlines || d->starts[e] < 0 || (size_t)d->starts[e] == s)
            continue;
        int x = d->starts[e];
        size_t end = e + 1, again = 0;
        while (end < o->nlines && d->starts[end] == -1)
            end++;
        for (size_t j = end; j < o->nlines && !again; j++)
            if (d->starts[j] == x)
                again = j;
        size_t lines = 0, timed = 0;
        for (size_t i = e + 1; i < end; i++) {
            if (!has_alnum(o->lines[i].text))
                continue;
            lines++;
            timed += times_line_starts(o->lines[i].text);
        }
        if (!again || timed < 2 || timed * 2 < lines)
            continue;
        if (cut_spans(&d->secs[x], e, end) || add_span(tl, e + 1, end))
            return GR_ENOMEM;
        d->starts[e] = -2;
        if (d->secs[x].heading == (int)e)
            d->secs[x].heading = (int)again;
    }
    return 0;
}

/* A line that is a paragraph of its own; in a list, only the one line of a
 * one-item top-level numbered list ("1. Issue Summary" with the text below it, not
 * indented): the assignment's numbering kept as a heading. */
static bool stands_alone(const outline *o, size_t i)
{
    const ol_line *l = &o->lines[i];
    bool next_new =
        i + 1 == o->nlines || o->lines[i + 1].para_start || o->lines[i + 1].list != l->list;
    if (l->list < 0)
        return l->para_start && next_new;
    const ol_list *li = &o->lists[l->list];
    return li->depth == 0 && li->nitems == 1 && li->ordered && l->item_start && next_new &&
           (i + 1 == o->nlines || o->lines[i + 1].list != l->list);
}

/* Where a section's place in the post is marked: its heading, or the
 * first line of a section found by its form (a run of times); -1. */
static int anchor_of(const sec_state *st)
{
    if (st->heading >= 0)
        return st->heading;
    return st->fallback && st->nspans ? (int)st->spans[0].from : -1;
}

/* An unnamed line that may head a section: a heading, or a line of a few
 * words standing alone that does not end like a sentence: bold, or plain
 * in capitals or ending in a colon. */
static bool heads_block(const outline *o, const sections *d, const name_match *m, size_t i)
{
    const ol_line *l = &o->lines[i];
    if ((int)i == d->title || m[i].section >= 0)
        return false;
    if (l->kind == OL_HEADING)
        return d->starts[i] == -2;
    size_t n = strlen(l->text);
    /* a label line need not stand alone: "THE CULPRIT:" with its text on
     * the next line, no blank line between, reads as a heading */
    if (d->starts[i] != -1 || !l->words || l->words > 8 || !n || strchr(".,;", l->text[n - 1]) ||
        l->list >= 0 || !(stands_alone(o, i) || l->para_start))
        return false;
    return l->kind == OL_BOLD || (l->kind == OL_TEXT && (l->colon || all_caps(l->text)));
}

/* Where the block under line i ends: at the next named section, or the
 * next heading at its level or above (a bold line: the next line that
 * could head a block). */
static size_t block_end(const outline *o, const sections *d, const name_match *m, size_t i)
{
    const ol_line *h = &o->lines[i];
    size_t j = i + 1;
    for (; j < o->nlines; j++) {
        const ol_line *l = &o->lines[j];
        if (d->starts[j] >= 0 || d->starts[j] == -3)
            break;
        if (l->kind == OL_HEADING && d->starts[j] == -2 &&
            (h->kind != OL_HEADING || l->level <= h->level))
            break;
        if (h->kind != OL_HEADING && heads_block(o, d, m, j))
            break;
    }
    return j;
}

static int cue_hits(const pattern *cue, const outline *o, size_t from, size_t to)
{
    int n = 0;
    for (size_t i = from; i < to && n < 16; i++) {
        const char *t = o->lines[i].text;
        size_t len = strlen(t), at = 0, so, eo;
        if (o->lines[i].kind == OL_CODE)
            continue;
        while (at < len && pattern_find(cue, t, len, at, &so, &eo)) {
            n++;
            at = eo > so ? eo : so + 1;
        }
    }
    return n;
}

/* Does a criterion look at section s? One no criterion looks at (an aside:
 * "Background", "Conclusion") marks no place in the rubric's order. */
static bool section_graded(const rubric *r, size_t s)
{
    for (size_t c = 0; c < r->ncriteria; c++) {
        const criterion *cr = &r->criteria[c];
        if (cr->section == (int)s || cr->also_in == (int)s)
            return true;
        for (size_t k = 0; k < cr->norder; k++)
            if (cr->order[k] == (int)s)
                return true;
    }
    return false;
}

/* Sections with a heading of their own (asides not counted). */
static int named_sections(const rubric *r, const sections *d)
{
    int n = 0;
    for (size_t s = 0; s < d->nsecs; s++)
        n += d->secs[s].heading >= 0 && section_graded(r, s);
    return n;
}

/* Is line i inside a section named by a real heading (a subheading or a
 * bold label there belongs to it)? */
static bool under_heading(const outline *o, const sections *d, size_t i)
{
    for (size_t s = 0; s < d->nsecs; s++) {
        const sec_state *st = &d->secs[s];
        if (st->heading < 0 || o->lines[st->heading].kind != OL_HEADING)
            continue;
        for (size_t k = 0; k < st->nspans; k++)
            if (i >= st->spans[k].from && i < st->spans[k].to)
                return true;
    }
    return false;
}

/* A section after s in the rubric's order, not found yet, whose cue block
 * [from, to) matches at least as often as s's (hits): the block is that
 * section's ("Road to Redemption" with its list of tasks is the measures,
 * though it says "because" too). */
static bool later_claims(const rubric *r, const outline *o, const sections *d, size_t s,
                         size_t from, size_t to, int hits)
{
    for (size_t t = s + 1; t < r->nsections; t++)
        if (r->sections[t].ncues && anchor_of(&d->secs[t]) < 0 &&
            cue_hits(&r->sections[t].cue, o, from, to) >= hits)
            return true;
    return false;
}

/* Is the block [from, to) a story told hour by hour ("At 19:40 the alert
 * went red... Around 19:50 I paged Sarah... By 21:05 it was over"): clock
 * times in its sentences, several, over more than one paragraph? */
static bool told_by_the_clock(const outline *o, size_t from, size_t to)
{
    enum { MIN_TIMES = 4, MIN_PARAS = 2 };
    size_t times = 0, paras = 0;
    bool counted = false; /* the paragraph at hand has a time */
    for (size_t i = from; i < to; i++) {
        const ol_line *l = &o->lines[i];
        if (l->para_start || l->item_start)
            counted = false;
        if (l->kind == OL_CODE)
            continue;
        size_t n = times_count(l->text);
        times += n;
        paras += n && !counted;
        counted |= n > 0;
    }
    return times >= MIN_TIMES && paras >= MIN_PARAS;
}

/* The unnamed heading in [lo, hi) whose block says most what section s
 * says (its cue at least twice; once when no other block there says it at
 * all), unless a later section claims it: its line, and its block's end in
 * *end; -1. */
static int cued_block(const rubric *r, const outline *o, const sections *d, const name_match *m,
                      size_t s, size_t lo, size_t hi, size_t *end)
{
    enum { MIN_HITS = 2 };
    int best = -1, best_hits = 0, ncand = 0;
    if (!r->sections[s].ncues)
        return -1;
    for (size_t i = lo; i < hi; i++) {
        if (!heads_block(o, d, m, i) || under_heading(o, d, i))
            continue;
        size_t e = block_end(o, d, m, i);
        if (e > hi)
            e = hi;
        int hits = cue_hits(&r->sections[s].cue, o, i + 1, e);
        if (hits && later_claims(r, o, d, s, i + 1, e, hits))
            continue;
        ncand += hits > 0;
        if (hits > best_hits) {
            best = (int)i;
            best_hits = hits;
            *end = e;
        }
    }
    return best >= 0 && best_hits >= (ncand == 1 ? 1 : MIN_HITS) ? best : -1;
}

/* The only unnamed heading in [lo, hi), when its block is a few sentences
 * long (a line of thanks is no section), or -1; with its block's end. */
static int lone_block(const outline *o, const sections *d, const name_match *m, size_t lo,
                      size_t hi, size_t *end)
{
    enum { MIN_WORDS = 30 };
    int found = -1;
    for (size_t i = lo; i < hi; i++) {
        if (!heads_block(o, d, m, i) || under_heading(o, d, i))
            continue;
        if (found >= 0)
            return -1;
        found = (int)i;
    }
    if (found < 0)
        return -1;
    *end = block_end(o, d, m, (size_t)found);
    if (*end > hi)
        *end = hi;
    return outline_words(o, (size_t)found + 1, *end) >= MIN_WORDS ? found : -1;
}

/* Where section s belongs: after the graded sections found before it in
 * the rubric's order, before those found after it; *before and *after say
 * whether there are any. */
static void place_of(const rubric *r, const sections *d, size_t s, size_t nlines, size_t *lo,
                     size_t *hi, bool *before, bool *after)
{
    *lo = d->title >= 0 ? (size_t)d->title + 1 : d->from;
    if (*lo < d->from)
        *lo = d->from;
    *hi = nlines;
    *before = *after = false;
    for (size_t t = 0; t < r->nsections; t++) {
        int a = anchor_of(&d->secs[t]);
        if (a < 0 || t == s || !section_graded(r, t))
            continue;
        if (t < s && (size_t)a + 1 > *lo)
            *lo = (size_t)a + 1;
        if (t > s && (size_t)a < *hi)
            *hi = (size_t)a;
        *before |= t < s;
        *after |= t > s;
    }
}

/* The block under line `head`, up to end, becomes section s. */
static int take_block(const rubric *r, sections *d, size_t s, size_t head, size_t end)
{
    for (size_t t = 0; t < r->nsections; t++)
        if (t != s && cut_spans(&d->secs[t], head, end))
            return GR_ENOMEM;
    if (add_span(&d->secs[s], head + 1, end))
        return GR_ENOMEM;
    d->secs[s].heading = (int)head;
    d->starts[head] = (int)s;
    return 0;
}

/* A section whose name is not one of the rubric's ("## The Calm Before the
 * Storm", "**Road to Redemption**") is known by its place and content: an
 * unnamed heading between the sections that come before it in the
 * rubric's order and those after it, whose block says what such a section
 * says (the rubric's `cue`, at least twice; once, when no other block
 * there says it at all). Then by its place alone: the one unnamed heading
 * between the sections found before and after it ("## The Villain
 * Revealed" between the timeline and the measures is the cause); not a
 * timeline, which is known by its times. */
static int position_fallback(const rubric *r, const outline *o, sections *d, const name_match *m)
{
    for (int by_place = 0; by_place < 2; by_place++)
        for (size_t s = 0; s < r->nsections; s++) {
            if (anchor_of(&d->secs[s]) >= 0)
                continue;
            size_t lo, hi, end = 0;
            bool before, after;
            place_of(r, d, s, o->nlines, &lo, &hi, &before, &after);
            int best = -1;
            if (by_place) {
                /* a timeline is known by its times, not its place alone: a
                 * "Background" after the summary is not one, a story told
                 * by the clock there is */
                if (!before || !after || (best = lone_block(o, d, m, lo, hi, &end)) < 0 ||
                    (r->sections[s].fallback_times && !told_by_the_clock(o, (size_t)best + 1, end)))
                    continue;
            } else {
                /* its own name, cut from a paragraph's start, where it
                 * belongs (the section before could not end there: that
                 * line named nothing) */
                for (size_t i = lo; i < hi && best < 0; i++)
                    if (m[i].runin == (int)s && !among_fields(o, d, i))
                        best = (int)i;
                if (best >= 0)
                    end = block_end(o, d, m, (size_t)best);
                else if ((best = cued_block(r, o, d, m, s, lo, hi, &end)) < 0)
                    continue;
            }
            /* a section found by its form starts at hi */
            if (take_block(r, d, s, (size_t)best, end > hi ? hi : end))
                return GR_ENOMEM;
        }
    return 0;
}

/* The rubric's section names, tokenised once per rubric: one block (the
 * rubric frees it with free()), made by the first post scored. */
typedef struct names {
    size_t *alias_base; /* per section, its first alias */
    words *aliases;     /* names, then parts, of each section */
    int max_content;    /* content words of the longest name */
    /* the first words of the names, hashed (first_hash): most capitalised
     * words that runin_at is asked about begin no name */
    uint8_t first[4096 / 8];
} names;

static size_t first_hash(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        h = (h ^ (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c)) * 16777619u;
    }
    return h % 4096;
}

static const names *rubric_names(const rubric *r)
{
    const names *cached = __atomic_load_n(&((rubric *)r)->names_cache, __ATOMIC_ACQUIRE);
    if (cached)
        return cached;
    size_t total = 0;
    for (size_t s = 0; s < r->nsections; s++)
        total += r->sections[s].nnames + r->sections[s].nparts;
    size_t nsec = r->nsections ? r->nsections : 1;
    names *nm = malloc(sizeof *nm + nsec * sizeof(size_t) + (total ? total : 1) * sizeof(words));
    if (!nm)
        return NULL;
    nm->alias_base = (size_t *)(nm + 1);
    nm->aliases = (words *)(nm->alias_base + nsec);
    nm->max_content = 0;
    memset(nm->first, 0, sizeof nm->first);
    for (size_t s = 0, k = 0; s < r->nsections; s++) {
        nm->alias_base[s] = k;
        const rubric_section *rs = &r->sections[s];
        for (size_t a = 0; a < rs->nnames + rs->nparts; a++, k++) {
            words *w = &nm->aliases[k];
            name_words(a < rs->nnames ? rs->names[a] : rs->parts[a - rs->nnames], w, INT32_MAX);
            w->content = content_words(w);
            w->hash0 = w->n ? (uint16_t)first_hash(w->w[0], w->len[0]) : 0;
            if (w->content > nm->max_content)
                nm->max_content = w->content;
            if (a < rs->nnames && w->n)
                nm->first[w->hash0 / 8] |= (uint8_t)(1u << (w->hash0 % 8));
        }
    }
    /* the rubric is shared and otherwise read-only: the first one stored
     * wins, a loser frees its own */
    void *expected = NULL;
    if (!__atomic_compare_exchange_n(&((rubric *)r)->names_cache, &expected, nm, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        free(nm);
        return expected;
    }
    return nm;
}

/* Does the item that line i opens hold more than that line (its text
 * below it, or a list nested in it)? */
static bool item_holds_more(const outline *o, size_t i)
{
    if (i + 1 >= o->nlines)
        return false;
    const ol_line *l = &o->lines[i], *n = &o->lines[i + 1];
    if (n->list == l->list)
        return n->item == l->item;
    return n->list >= 0 && o->lists[n->list].depth > o->lists[l->list].depth;
}

/* A post written as one top-level list whose items open with section
 * names ("1. **Issue Summary**", its text in a list under it): those items
 * are the sections' headings, when two or more sections are named so and
 * each holds its text (a list of short tasks that mention a timeline is
 * not an outline). */
static void outline_list_names(const rubric *r, const names *nm, const outline *o, size_t from,
                               name_match *m)
{
    for (size_t i = from; i < o->nlines;) {
        int li = o->lines[i].list;
        if (li < 0 || o->lists[li].depth != 0 || o->lists[li].nitems < 2) {
            i++;
            continue;
        }
        /* the top-level list's lines, the lists nested in it included */
        size_t end = i;
        while (end < o->nlines && o->lines[end].list >= 0 &&
               (o->lines[end].list == li || o->lists[o->lines[end].list].depth > 0))
            end++;
        unsigned long seen = 0;
        int distinct = 0;
        for (size_t k = i; k < end; k++) {
            const ol_line *l = &o->lines[k];
            if (l->list != li || !l->item_start || m[k].section >= 0 || !item_holds_more(o, k))
                continue;
            name_match x = match_line(r, nm->aliases, nm->alias_base, nm->max_content, l, true);
            if (x.section >= 0 && !x.part && x.section < (int)(8 * sizeof seen) &&
                !(seen & (1UL << x.section))) {
                seen |= 1UL << x.section;
                distinct++;
            }
        }
        for (size_t k = i; distinct >= 2 && k < end; k++) {
            const ol_line *l = &o->lines[k];
            if (l->list == li && l->item_start && m[k].section < 0 && item_holds_more(o, k))
                m[k] = match_line(r, nm->aliases, nm->alias_base, nm->max_content, l, true);
        }
        i = end;
    }
}

int sections_resolve(const rubric *r, const outline *o, size_t from, sections *d)
{
    memset(d, 0, sizeof *d);
    d->title = -1;
    int rc = GR_ENOMEM;
    const names *nm = rubric_names(r);
    int *best_after = malloc((r->nsections ? r->nsections : 1) * sizeof *best_after);
    name_match *m = malloc((o->nlines ? o->nlines : 1) * sizeof *m);
    d->secs = calloc(r->nsections ? r->nsections : 1, sizeof *d->secs);
    d->starts = calloc(o->nlines ? o->nlines : 1, sizeof *d->starts);
    if (!nm || !best_after || !m || !d->secs || !d->starts)
        goto done;
    const words *aliases = nm->aliases;
    const size_t *alias_base = nm->alias_base;
    int max_content = nm->max_content;
    d->nsecs = r->nsections;
    for (size_t s = 0; s < r->nsections; s++)
        d->secs[s].heading = -1;
    if (from > o->nlines)
        from = o->nlines;
    d->from = from;
    for (size_t i = 0; i < o->nlines; i++)
        m[i] = i < from ? (name_match){-1, -1, 0, 0, 0, false}
                        : match_line(r, aliases, alias_base, max_content, &o->lines[i],
                                     stands_alone(o, i));
    outline_list_names(r, nm, o, from, m);
    for (size_t i = from; i < o->nlines; i++)
        if (o->lines[i].runin) {
            m[i].runin = m[i].part ? -1 : m[i].section;
            m[i].section = -1;
        }
    d->title = find_title(o, from, m);

    /* A weaker name before a stronger one of the same section is a label. */
    for (size_t s = 0; s < r->nsections; s++)
        best_after[s] = INT32_MAX;
    for (size_t i = o->nlines; i-- > 0;) {
        d->starts[i] = -1;
        if ((int)i == d->title || i < from)
            continue;
        const ol_line *l = &o->lines[i];
        if (m[i].section >= 0 && m[i].part) {
            d->starts[i] = -2;
        } else if (m[i].section >= 0) {
            int s = m[i].section;
            bool pseudo = l->kind != OL_HEADING;
            if (!(pseudo && m[i].rank > best_after[s]))
                d->starts[i] = s;
            if (m[i].rank < best_after[s])
                best_after[s] = m[i].rank;
        } else if (l->kind == OL_HEADING) {
            d->starts[i] = -2;
        }
    }

    opening_out_of_order(r, o, d);
    if (out_of_order_labels(o, d))
        goto done;

    /* A part's heading in a post that never names its section starts it:
     * "## Detection", "## Misleading paths", "## Escalation" with no
     * "Timeline" above them are the timeline, in pieces. One part alone
     * is another template's section ("## Detection", then "## Response"
     * and "## Recovery"): two different parts are needed. */
    enum { MAX_PIECED = 8 * sizeof(unsigned long) };
    unsigned long named = 0, pieces = 0;
    int first_part[MAX_PIECED]; /* the first part's alias in each section */
    for (size_t s = 0; s < MAX_PIECED; s++)
        first_part[s] = -1;
    for (size_t i = from; i < o->nlines; i++) {
        int s = m[i].section;
        if (d->starts[i] >= 0 && d->starts[i] < (int)MAX_PIECED)
            named |= 1UL << d->starts[i];
        if (d->starts[i] != -2 || !m[i].part || s < 0 || s >= (int)MAX_PIECED)
            continue;
        if (first_part[s] < 0)
            first_part[s] = m[i].rank;
        else if (first_part[s] != m[i].rank)
            pieces |= 1UL << s;
    }

    /* Spans: a named section runs to the next named section, or to an
     * unnamed heading at its own level or above. */
    int cur = -1, cur_level = 0, last_level = 0;
    size_t cur_from = from;
    size_t first_boundary = o->nlines;
    for (size_t i = from; i <= o->nlines; i++) {
        bool end = i == o->nlines;
        int st = end ? -1 : d->starts[i];
        const ol_line *l = end ? NULL : &o->lines[i];
        /* a part's heading inside its section, or over the preamble
         * that stands for it, does not end it (nor is it read as text) */
        if (!end && st == -2 && m[i].part && m[i].section == cur) {
            if (i > cur_from && add_span(&d->secs[cur], cur_from, i))
                goto done;
            cur_from = i + 1;
            continue;
        }
        if (!end && st == -2 && m[i].part && cur < 0 && first_boundary == o->nlines &&
            r->sections[m[i].section].fallback_preamble)
            continue;
        if (!end && st == -2 && m[i].part && m[i].section < (int)(8 * sizeof named) &&
            !(named & (1UL << m[i].section)) && (pieces & (1UL << m[i].section)))
            st = m[i].section;
        bool boundary =
            end || st >= 0 || (st == -2 && (cur < 0 || (cur_level && l->level <= cur_level)));
        if ((st >= 0 || st == -2) && i < first_boundary && (int)i != d->title)
            first_boundary = i;
        if (!boundary)
            continue;
        if (cur >= 0 && add_span(&d->secs[cur], cur_from, i))
            goto done;
        int outer = cur == st ? cur_level : 0;
        cur = -1;
        if (st >= 0) {
            cur = st;
            cur_from = i + 1;
            /* a bold or plain name ends where the heading it stands under
             * would: "Root Cause:" under "## Summary" does not run on past
             * the next "## ..." */
            cur_level = l->kind == OL_HEADING ? l->level : last_level;
            /* "### Improvements" under "## Corrective Measures": the section
             * still runs to the end of the outer one */
            if (outer && (!cur_level || cur_level > outer))
                cur_level = outer;
            if (d->secs[st].heading < 0)
                d->secs[st].heading = (int)i;
        }
        if (!end && l->kind == OL_HEADING)
            last_level = l->level;
    }
    if (timeline_tail(r, o, d) || times_fallback(r, o, d, &first_boundary))
        goto done;
    if (position_fallback(r, o, d, m))
        goto done;
    /* A section written straight under the title, with no name. */
    for (size_t s = 0; s < r->nsections; s++) {
        if (d->secs[s].heading >= 0 || !r->sections[s].fallback_preamble)
            continue;
        size_t pre = d->title >= 0 ? (size_t)d->title + 1 : from;
        if (pre < first_boundary) {
            enum { PREAMBLE_HITS = 2 };
            size_t end = opening_block(o, pre, first_boundary);
            int hits = r->sections[s].ncues ? cue_hits(&r->sections[s].cue, o, pre, end) : 0;
            /* a greeting ("Hello everyone, this post is about the outage
             * I had") stands for no summary: it says the section's things
             * once at most */
            if (r->sections[s].ncues && hits < PREAMBLE_HITS)
                continue;
            if (add_span(&d->secs[s], pre, end))
                goto done;
            d->secs[s].fallback = true;
            /* in a post whose other sections are named, an opening block
             * that says what the section says (a start, an end, what was
             * down) is that section without its name; in one with fewer
             * names, only when it gives the span too (a story's opening
             * that names one time sets a scene) */
            d->secs[s].by_role = r->sections[s].ncues && hits >= ROLE_HITS &&
                                 (named_sections(r, d) >= 2 || span_told(o, pre, end));
        }
    }
    /* a run of timed lines is a timeline wherever it stands, named
     * sections around it or none */
    for (size_t s = 0; s < r->nsections; s++)
        if (r->sections[s].fallback_times && d->secs[s].fallback && d->secs[s].heading < 0)
            d->secs[s].by_role = true;
    rc = 0;
done:
    free(best_after);
    free(m);
    return rc;
}

/* ---- names in a post whose line breaks were lost ---------------------------- */

/* No one writes a line this long on purpose: its line breaks were lost
 * (pasted from a rich-text editor), and section names run into the text. */
enum { LOST_BREAKS_WORDS = 80 };

static bool is_word_byte(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26u || (c >= '0' && c <= '9') || c >= 0x80;
}

/* A lower-case word among the first four words of s: prose follows, not
 * the rest of a heading in Title Case. Numbers are not counted: "On 2 July
 * 2024 from..." is prose. */
static bool prose_follows(const char *s)
{
    int w = 0;
    for (const char *p = s; *p && w < 4; p++)
        if (is_word_byte((unsigned char)*p) && (p == s || !is_word_byte((unsigned char)p[-1]))) {
            if (*p >= 'a' && *p <= 'z')
                return true;
            w += !isdigit((unsigned char)*p);
        }
    return false;
}

/* The length of a section name written as a heading at t (each word of more
 * than three letters capitalised), followed after one space by a
 * capitalised word or a number that opens prose; 0 when none. Names of one
 * word only when canonical ("Timeline"); the longest name wins. Where a
 * name may begin (loose: a line's or a sentence's start), its words after
 * the first may be lower case ("Corrective and preventative measures We
 * need..."). */
static size_t runin_at(const char *t, const rubric *r, const names *nm, bool loose, int *sec)
{
    enum { MAXW = 8 };
    size_t ws[MAXW + 1], we[MAXW + 1];
    int n = 0;
    for (const char *p = t; n <= MAXW && *p;) {
        if (!is_word_byte((unsigned char)*p)) {
            if (strchr(".,:;!?()", *p))
                break;
            p++;
            continue;
        }
        ws[n] = (size_t)(p - t);
        while (is_word_byte((unsigned char)*p))
            p++;
        we[n++] = (size_t)(p - t);
    }
    /* a name matches from its first word on */
    size_t h = n ? first_hash(t + ws[0], we[0] - ws[0]) : 0;
    if (!n || !(nm->first[h / 8] & (1u << (h % 8))))
        return 0;
    size_t best = 0;
    int best_words = 0;
    for (size_t s = 0; s < r->nsections; s++)
        for (size_t a = 0; a < r->sections[s].nnames; a++) {
            const words *al = &nm->aliases[nm->alias_base[s] + a];
            if (al->hash0 != h || al->n >= n || al->n <= best_words || (al->n < 2 && a > 0))
                continue;
            bool ok = true;
            for (int k = 0; k < al->n && ok; k++) {
                const char *w = t + ws[k];
                size_t len = we[k] - ws[k];
                ok = len == al->len[k] && !strncasecmp(w, al->w[k], len) &&
                     (is_upper(w[0]) || len <= 3 || (loose && k > 0));
            }
            const char *next = t + ws[al->n];
            if (ok && next == t + we[al->n - 1] + 1 && t[we[al->n - 1]] == ' ' &&
                count_words_upto(next, 3) >= 3 &&
                (isdigit((unsigned char)*next) || (is_upper(*next) && prose_follows(next)))) {
                best = we[al->n - 1];
                best_words = al->n;
                *sec = (int)s;
            }
        }
    return best;
}

static int grow_lines(ol_line **v, size_t *cap)
{
    size_t nc = *cap ? *cap * 2 : 64;
    ol_line *nv = realloc(*v, nc * sizeof *nv);
    if (!nv)
        return GR_ENOMEM;
    *v = nv;
    *cap = nc;
    return 0;
}

static int push_line(ol_line **v, size_t *n, size_t *cap, const ol_line *proto, const char *s,
                     size_t len, ol_kind kind, bool para_start)
{
    while (len && *s == ' ') {
        s++;
        len--;
    }
    while (len && s[len - 1] == ' ')
        len--;
    if (!len)
        return 0;
    if (*n == *cap && grow_lines(v, cap))
        return GR_ENOMEM;
    ol_line *l = &(*v)[*n];
    *l = *proto;
    if (!(l->text = malloc(len + 1)))
        return GR_ENOMEM;
    memcpy(l->text, s, len);
    l->text[len] = '\0';
    (*n)++;
    l->kind = kind;
    l->words = count_words(l->text);
    l->para_start = para_start;
    l->item_start = false;
    l->colon = false;
    l->runin = false;
    return 0;
}

/* A section name opening a paragraph as its label, on the same line as the
 * text ("Issue Summary: From 10:00...", "**Root Cause:** A full disk",
 * "Timeline - 10:00 alert", or "Issue Summary We had..." as runin_at reads
 * it): the name's length, 0 when none. The name must be one of the
 * rubric's, whole, with prose after it. */
static size_t label_at(const char *t, const rubric *r, const names *nm, int *sec)
{
    size_t len = runin_at(t, r, nm, true, sec);
    if (len)
        return len;
    words h;
    size_t end = strcspn(t, ":-\xe2"); /* ':', '-', or an en or em dash */
    if (!end || end > 60 || !t[end])
        return 0;
    const char *after = t + end + 1;
    if (t[end] == '-' && t[end - 1] != ' ')
        return 0; /* "Root-cause" */
    if ((unsigned char)t[end] == 0xe2) {
        if (strncmp(t + end, "\xe2\x80\x93", 3) && strncmp(t + end, "\xe2\x80\x94", 3))
            return 0;
        after = t + end + 3;
    }
    if (count_words_upto(after, 3) < 3)
        return 0;
    /* a colon or dash inside brackets ends no name: "Timeline (format:
     * time - keep it short) must contain:" is one line */
    int open = 0;
    for (size_t i = 0; i < end; i++)
        open += (t[i] == '(') - (t[i] == ')');
    if (open > 0)
        return 0;
    char name[64];
    memcpy(name, t, end);
    name[end] = '\0';
    name_words(name, &h, INT32_MAX);
    if (!h.n)
        return 0;
    for (size_t s = 0; s < r->nsections; s++)
        for (size_t a = 0; a < r->sections[s].nnames; a++) {
            const words *al = &nm->aliases[nm->alias_base[s] + a];
            if (al->n != h.n)
                continue;
            int k = 0;
            while (k < al->n && h.len[k] == al->len[k] && !memcmp(h.w[k], al->w[k], al->len[k]))
                k++;
            if (k == al->n) {
                *sec = (int)s;
                return (size_t)(after - t);
            }
        }
    return 0;
}

/* A line as it is, with its own copy of the text. */
static int keep_line(ol_line **v, size_t *n, size_t *cap, const ol_line *l)
{
    if (*n == *cap && grow_lines(v, cap))
        return GR_ENOMEM;
    ol_line *c = &(*v)[*n];
    *c = *l;
    if (!(c->text = strdup(l->text)))
        return GR_ENOMEM;
    (*n)++;
    return 0;
}

/* The first name run into t after a space: offset in *at, length returned. */
static size_t find_runin(const char *t, const rubric *r, const names *nm, size_t *at, int *sec)
{
    for (const char *p = t; *p; p++) {
        if (p != t && p[-1] != ' ')
            continue;
        if (!is_upper(*p))
            continue;
        bool starts = p == t || (p - t >= 2 && strchr(".!?", p[-2]));
        size_t len = runin_at(p, r, nm, starts, sec);
        /* or as a label where a sentence starts: "... expired. Timeline -
         * 06:40 UTC - The old certificate expires. - 07:02 UTC - ..." */
        if (!len && starts)
            len = label_at(p, r, nm, sec);
        if (len) {
            *at = (size_t)(p - t);
            return len;
        }
    }
    return 0;
}

/* Is rest, after a name at the start of line i, the subtitle of a heading
 * ("Debugging Process: A Detective Story", a line of its own) rather than
 * the text of the section? */
static bool subtitle(const outline *o, size_t i, const char *rest)
{
    enum { SUBTITLE_WORDS = 5 };
    size_t n = strlen(rest);
    bool alone = i + 1 == o->nlines || o->lines[i + 1].para_start || o->lines[i + 1].item_start;
    return alone && count_words(rest) <= SUBTITLE_WORDS && n && !strchr(".!?,;", rest[n - 1]);
}

/* Where a plain line opens a section with its name as a label (see
 * label_at): at a paragraph's start, or inside a paragraph whose lines were
 * only wrapped ("Issue Summary On...", then "Timeline 10:00 - ..." on the
 * next source line, no blank line between) when the line before ended a
 * sentence and the paragraph's lines open two sections or more. One pass:
 * (*out)[i] is the label's length at line i, 0 for none. */
static int label_lines(const outline *o, const rubric *r, const names *nm, size_t **out)
{
    size_t nl = o->nlines ? o->nlines : 1;
    size_t *label = calloc(nl, sizeof *label);
    bool *wrapped = calloc(nl, sizeof *wrapped);
    if (!label || !wrapped) {
        free(label);
        free(wrapped);
        return GR_ENOMEM;
    }
    for (size_t a = 0; a < o->nlines;) {
        /* [a, b): one paragraph of plain text lines */
        size_t b = a + 1;
        if (o->lines[a].kind == OL_TEXT && o->lines[a].list < 0)
            while (b < o->nlines && o->lines[b].kind == OL_TEXT && o->lines[b].list < 0 &&
                   !o->lines[b].para_start)
                b++;
        unsigned long seen = 0;
        int distinct = 0;
        for (size_t i = a; i < b; i++) {
            const ol_line *l = &o->lines[i];
            int sec = -1;
            if (l->kind != OL_TEXT || l->list >= 0 || !(label[i] = label_at(l->text, r, nm, &sec)))
                continue;
            if (sec < (int)(8 * sizeof seen) && !(seen & (1UL << sec))) {
                seen |= 1UL << sec;
                distinct++;
            }
        }
        for (size_t i = a + 1; distinct >= 2 && i < b; i++) {
            const char *pt = o->lines[i - 1].text;
            size_t pn = strlen(pt);
            wrapped[i] = pn && strchr(".!?", pt[pn - 1]);
        }
        for (size_t i = a; i < b; i++)
            if (!o->lines[i].para_start && !wrapped[i])
                label[i] = 0;
        a = b;
    }
    free(wrapped);
    *out = label;
    return 0;
}

int sections_split_runins(const rubric *r, outline *o)
{
    const names *nm = rubric_names(r);
    if (!nm)
        return GR_ENOMEM;
    ol_line *v = NULL;
    size_t n = 0, cap = 0;
    bool any = false;
    size_t *labels = NULL;
    int rc = label_lines(o, r, nm, &labels);
    if (rc)
        return rc;
    rc = GR_ENOMEM;
    for (size_t i = 0; i < o->nlines; i++) {
        const ol_line *l = &o->lines[i];
        const char *t = l->text;
        ol_kind kind = l->kind;
        bool para = l->para_start;
        /* only a line that runs two sections' names into it: a long
         * paragraph that happens to say "Root Cause Analysis Team" is not
         * a post whose line breaks were lost */
        enum { MAX_RUNINS = 16 };
        size_t cut_at[MAX_RUNINS], cut_len[MAX_RUNINS], ncut = 0;
        if (l->kind == OL_TEXT && l->list < 0 && l->words >= LOST_BREAKS_WORDS) {
            unsigned long seen = 0;
            int distinct = 0, sec = -1;
            size_t at, len;
            for (const char *p = t; ncut < MAX_RUNINS && (len = find_runin(p, r, nm, &at, &sec));
                 p += at + len) {
                cut_at[ncut] = (size_t)(p - t) + at;
                cut_len[ncut++] = len;
                if (sec < (int)(8 * sizeof seen) && !(seen & (1UL << sec))) {
                    seen |= 1UL << sec;
                    distinct++;
                }
            }
            if (distinct < 2)
                ncut = 0;
        }
        /* a long paragraph may still open with its own section's name */
        if (!ncut && labels[i] && !subtitle(o, i, t + labels[i])) {
            cut_at[0] = 0;
            cut_len[0] = labels[i];
            ncut = 1;
        }
        size_t done_to = 0;
        for (size_t c = 0; c < ncut; c++) {
            for (size_t k = 0; !any && k < i; k++)
                if (keep_line(&v, &n, &cap, &o->lines[k]))
                    goto done;
            any = true;
            if ((cut_at[c] > done_to &&
                 push_line(&v, &n, &cap, l, t + done_to, cut_at[c] - done_to, kind, para)) ||
                push_line(&v, &n, &cap, l, t + cut_at[c], cut_len[c], OL_BOLD, true))
                goto done;
            v[n - 1].runin = true;
            done_to = cut_at[c] + cut_len[c];
            kind = OL_TEXT;
            para = true;
        }
        t += done_to;
        if (any && (ncut ? push_line(&v, &n, &cap, l, t, strlen(t), kind, para)
                         : keep_line(&v, &n, &cap, l)))
            goto done;
    }
    if (any) {
        for (size_t i = 0; i < o->nlines; i++)
            free(o->lines[i].text);
        free(o->lines);
        o->lines = v;
        o->nlines = n;
        v = NULL;
        n = 0;
    }
    rc = 0;
done:
    for (size_t i = 0; i < n; i++)
        free(v[i].text);
    free(v);
    free(labels);
    return rc;
}

void sections_clear(sections *s)
{
    for (size_t i = 0; s->secs && i < s->nsecs; i++)
        free(s->secs[i].spans);
    free(s->secs);
    free(s->starts);
    memset(s, 0, sizeof *s);
    s->title = -1;
}
