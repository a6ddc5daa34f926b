/* fingerprint.c - a post normalised, its k-grams winnowed into
 * fingerprints, its links, and the shares of known text that make it
 * task-text. */
#include "fingerprint.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void similar_opts_default(similar_opts *o)
{
    o->threshold = 0.4;
    /* 10 fingerprints are about 25 words of running text: a paragraph, not
     * a phrase two honest writers would both use. */
    o->min_shared = 10;
    /* k = 5 content words spans about 8 words of prose: longer than section
     * names and stock phrases ("root cause and resolution"), short enough
     * that a renamed person or a changed word between two fingerprints
     * leaves the rest of a sentence matching. */
    o->k = 5;
    o->window = 4;
    o->task_share = 0.5;
    /* On the corpus, honest posts use at most 9% of their word pairs from
     * the format description (the section names and item wording they
     * answer to); pasted assignment text, even against a description in
     * other words, about 25%. */
    o->format_share = 0.15;
    o->link_words = 80;
}

/* ---- normalisation ------------------------------------------------------ */

typedef struct token {
    uint64_t h;
    int line;
} token;

typedef struct tokvec {
    token *v;
    size_t n, cap;
} tokvec;

#define FNV_BASIS 1469598103934665603ULL

static uint64_t fnv1a(uint64_t h, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* Words so common they carry no authorship: dropping them lets a k-gram
 * span more content and makes "a"/"the" swaps invisible. */
static const struct {
    const char *w;
    size_t n;
} stopwords[] = {
#define SW(x)                                                                                      \
    {                                                                                              \
        x, sizeof x - 1                                                                            \
    }
    SW("the"),   SW("and"),   SW("of"),    SW("to"),     SW("in"),   SW("on"),    SW("at"),
    SW("for"),   SW("is"),    SW("was"),   SW("were"),   SW("be"),   SW("been"),  SW("it"),
    SW("its"),   SW("this"),  SW("that"),  SW("with"),   SW("as"),   SW("by"),    SW("an"),
    SW("or"),    SW("are"),   SW("we"),    SW("our"),    SW("us"),   SW("i"),     SW("my"),
    SW("me"),    SW("they"),  SW("their"), SW("them"),   SW("he"),   SW("she"),   SW("his"),
    SW("her"),   SW("from"),  SW("had"),   SW("has"),    SW("have"), SW("which"), SW("who"),
    SW("so"),    SW("but"),   SW("not"),   SW("no"),     SW("am"),   SW("pm"),    SW("then"),
    SW("there"), SW("these"), SW("those"), SW("into"),   SW("also"), SW("all"),   SW("any"),
    SW("some"),  SW("would"), SW("could"), SW("should"), SW("will"), SW("can"),   SW("do"),
    SW("did"),   SW("does"),  SW("very"),
#undef SW
};

static bool is_stopword(const char *w, size_t n)
{
    if (n > 6)
        return false;
    for (size_t i = 0; i < sizeof stopwords / sizeof stopwords[0]; i++)
        if (stopwords[i].n == n && memcmp(stopwords[i].w, w, n) == 0)
            return true;
    return false;
}

static int tok_push(tokvec *tv, uint64_t h, int line)
{
    if (tv->n == tv->cap) {
        size_t cap = tv->cap ? tv->cap * 2 : 256;
        token *v = realloc(tv->v, cap * sizeof *v);
        if (!v)
            return GR_ENOMEM;
        tv->v = v;
        tv->cap = cap;
    }
    tv->v[tv->n].h = h;
    tv->v[tv->n].line = line;
    tv->n++;
    return 0;
}

static bool is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static bool starts_with(const char *s, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && strncasecmp(s, lit, l) == 0;
}

/* Length of a URL starting at s (it ends at a space, quote or bracket). */
static size_t url_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !strchr(" \t\r\n<>\"'`)]|", s[i]) && s[i] != '\0')
        i++;
    return i;
}

static bool at_url(const char *s, size_t n)
{
    if (n < 4 || ((s[0] | 0x20) != 'h' && (s[0] | 0x20) != 'w'))
        return false;
    return starts_with(s, n, "http://") || starts_with(s, n, "https://") ||
           starts_with(s, n, "www.");
}

/* Bytes to skip at s[0..n) that are markup, not words: a URL, a link's
 * "](target)", or an HTML tag. 0 when s is not at one. */
static size_t markup_len(const char *s, size_t n)
{
    if (at_url(s, n))
        return url_len(s, n);
    if (n >= 2 && s[0] == ']' && s[1] == '(') {
        size_t i = 2;
        while (i < n && s[i] != ')' && s[i] != '\n')
            i++;
        return i < n && s[i] == ')' ? i + 1 : 1;
    }
    if (s[0] == '<' && n >= 2 && (s[1] == '/' || ((s[1] | 0x20) >= 'a' && (s[1] | 0x20) <= 'z'))) {
        size_t i = 1;
        while (i < n && i < 300 && s[i] != '>' && s[i] != '\n' && s[i] != '<')
            i++;
        return i < n && s[i] == '>' ? i + 1 : 0;
    }
    return 0;
}

/* Normalise text into word tokens, each with its source line. Numbers (and
 * so times, dates, counts) vanish; apostrophes join ("didn't" = "didnt"). */
static int tokenize(const char *text, size_t len, tokvec *tv)
{
    char word[64];
    size_t wn = 0;
    bool digit = false, overlong = false;
    int line = 1, wline = 1;
    size_t i = 0;
    while (i <= len) {
        unsigned char c = i < len ? (unsigned char)text[i] : ' ';
        size_t adv = 1;
        if (c == '\'' && wn > 0 && i + 1 < len && is_word_byte((unsigned char)text[i + 1])) {
            i++; /* "didn't" is one word */
            continue;
        }
        /* U+2018/U+2019 quotes join like an apostrophe; other U+20xx
         * punctuation (dashes, quotes, ellipsis) separates. */
        if (c == 0xE2 && i + 2 < len && (unsigned char)text[i + 1] == 0x80) {
            unsigned char d = (unsigned char)text[i + 2];
            if (wn > 0 && (d == 0x98 || d == 0x99)) {
                i += 3;
                continue;
            }
            c = ' ';
            adv = 3;
        }
        /* Markup starts where no word is open: a URL, "](target)", a tag. */
        size_t skip = 0;
        if (i < len && adv == 1 && (wn == 0 || !is_word_byte(c)))
            skip = markup_len(text + i, len - i);
        if (i < len && !skip && adv == 1 && is_word_byte(c)) {
            if (wn == 0) {
                wline = line;
                digit = overlong = false;
            }
            if (c >= '0' && c <= '9')
                digit = true;
            if (wn < sizeof word)
                word[wn++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
            else
                overlong = true;
            i++;
            continue;
        }
        if (wn > 0) {
            if (!digit && !overlong && wn > 1 && !is_stopword(word, wn))
                if (tok_push(tv, fnv1a(FNV_BASIS, (const unsigned char *)word, wn), wline))
                    return GR_ENOMEM;
            wn = 0;
        }
        if (skip) {
            for (size_t j = 0; j < skip; j++)
                line += text[i + j] == '\n';
            i += skip;
            continue;
        }
        if (c == '\n')
            line++;
        i += adv;
    }
    return 0;
}

static uint64_t kgram_hash(const token *t, unsigned k)
{
    uint64_t h = 0;
    for (unsigned i = 0; i < k; i++)
        h = mix64(h ^ t[i].h) + i;
    return h;
}

/* Robust winnowing (Schleimer, Wilkerson, Aiken 2003): the minimum hash of
 * every window of w k-grams, the rightmost on ties, each position once.
 * Any run of w + k - 1 shared words yields a shared fingerprint. */

/* Robust winnowing (Schleimer, Wilkerson, Aiken 2003): the minimum hash of
 * every window of w k-grams, the rightmost on ties, each position once.
 * Any run of w + k - 1 shared words yields a shared fingerprint. */
static int winnow(const tokvec *tv, unsigned k, unsigned w, fingerprint *f)
{
    size_t nt = tv->n;
    if (nt < k)
        return 0;
    size_t ng = nt - k + 1;
    uint64_t *g = malloc(ng * sizeof *g);
    f->v = malloc(ng * sizeof *f->v);
    if (!g || !f->v) {
        free(g);
        return GR_ENOMEM;
    }
    for (size_t i = 0; i < ng; i++)
        g[i] = kgram_hash(tv->v + i, k);
    size_t win = ng < w ? ng : w;
    size_t last = SIZE_MAX;
    for (size_t s = 0; s + win <= ng; s++) {
        size_t m = s;
        for (size_t j = s + 1; j < s + win; j++)
            if (g[j] <= g[m])
                m = j;
        if (m != last) {
            f->v[f->n++] = (fingerprint_mark){.h = g[m],
                                              .pos = (uint32_t)m,
                                              .line = (uint32_t)tv->v[m].line,
                                              .line_end = (uint32_t)tv->v[m + k - 1].line};
            last = m;
        }
    }
    free(g);
    return 0;
}

static uint64_t pair_hash(const token *t)
{
    return mix64(t[0].h ^ mix64(t[1].h));
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

size_t fingerprint_set_sort(uint64_t *v, size_t n)
{
    if (n < 2) /* and v may be NULL */
        return n;
    qsort(v, n, sizeof *v, cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || v[k - 1] != v[i])
            v[k++] = v[i];
    return k;
}

bool fingerprint_set_has(const uint64_t *set, size_t n, uint64_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && set[lo] == h;
}

/* ---- link-only ------------------------------------------------------------ */

void similar_links_free(similar_links *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

int similar_link_only(const char *text, size_t len, const similar_opts *opts, similar_links *links)
{
    similar_opts def;
    if (!opts) {
        similar_opts_default(&def);
        opts = &def;
    }
    similar_links l = {0};
    size_t words = 0, nurl = 0;
    bool inword = false;
    for (size_t i = 0; i < len;) {
        if (!inword && at_url(text + i, len - i)) {
            size_t n = url_len(text + i, len - i);
            size_t t = n;
            while (t > 0 && strchr(".,;:!?*_", text[i + t - 1]))
                t--; /* trailing sentence punctuation or emphasis */
            nurl++;
            bool dup = false;
            for (size_t j = 0; j < l.n; j++)
                if (strlen(l.v[j]) == t && memcmp(l.v[j], text + i, t) == 0)
                    dup = true;
            if (!dup && l.n < SIMILAR_MAX_LINKS) {
                if (!l.v && !(l.v = calloc(SIMILAR_MAX_LINKS, sizeof *l.v)))
                    goto nomem;
                if (!(l.v[l.n] = strndup(text + i, t)))
                    goto nomem;
                l.n++;
            }
            i += n;
            continue;
        }
        bool w = is_word_byte((unsigned char)text[i]);
        if (w && !inword)
            words++;
        inword = w;
        i++;
    }
    l.words = words;
    int only = nurl > 0 && words < opts->link_words;
    if (links)
        *links = l;
    else
        similar_links_free(&l);
    return only;
nomem:
    similar_links_free(&l);
    return GR_ENOMEM;
}

/* ---- the known sources ---------------------------------------------------- */

struct fingerprint_base {
    similar_opts opts;
    uint64_t *known; /* the known sources' fingerprints: not the students' own */
    size_t nknown;
    uint64_t *pairs; /* word pairs of the format descriptions */
    size_t npairs;
};

void fingerprint_base_free(fingerprint_base *b)
{
    if (!b)
        return;
    free(b->known);
    free(b->pairs);
    free(b);
}

/* *v holding at least need hashes. */
static int grow(uint64_t **v, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    uint64_t *nv = realloc(*v, need * sizeof *nv);
    if (!nv)
        return GR_ENOMEM;
    *v = nv;
    *cap = need;
    return 0;
}

/* The known text is the base every post is measured against first; the
 * word pairs of the format descriptions catch a post pasting the
 * assignment even when the description is worded differently. */
static int base_add(fingerprint_base *b, const similar_doc *d, size_t *kcap, size_t *pcap)
{
    tokvec tv = {0};
    fingerprint f = {0};
    int rc = tokenize(d->text, d->len, &tv);
    if (!rc)
        rc = winnow(&tv, b->opts.k, b->opts.window, &f);
    if (!rc)
        rc = grow(&b->known, kcap, b->nknown + f.n);
    if (!rc)
        rc = grow(&b->pairs, pcap, b->npairs + (d->format ? tv.n : 0));
    for (size_t i = 0; !rc && i < f.n; i++)
        b->known[b->nknown++] = f.v[i].h;
    for (size_t t = 0; !rc && d->format && t + 1 < tv.n; t++)
        b->pairs[b->npairs++] = pair_hash(&tv.v[t]);
    free(tv.v);
    fingerprint_free(&f);
    return rc;
}

int fingerprint_base_new(const similar_doc *known, size_t nknown, const similar_opts *opts,
                         fingerprint_base **out, gr_error *err)
{
    *out = NULL;
    fingerprint_base *b = calloc(1, sizeof *b);
    if (!b)
        return gr_error_nomem(err);
    if (opts)
        b->opts = *opts;
    else
        similar_opts_default(&b->opts);
    if (b->opts.k < 1 || b->opts.window < 1) {
        fingerprint_base_free(b);
        return gr_error_set(err, GR_EUSAGE, "", 0, 0, "similar: bad options");
    }
    size_t kcap = 0, pcap = 0;
    int rc = 0;
    for (size_t i = 0; i < nknown && !rc; i++)
        rc = base_add(b, &known[i], &kcap, &pcap);
    if (rc) {
        fingerprint_base_free(b);
        return gr_error_nomem(err);
    }
    b->nknown = fingerprint_set_sort(b->known, b->nknown);
    b->npairs = fingerprint_set_sort(b->pairs, b->npairs);
    *out = b;
    return 0;
}

const uint64_t *fingerprint_base_known(const fingerprint_base *b, size_t *n)
{
    *n = b->nknown;
    return b->known;
}

static uint64_t hash_u64s(uint64_t h, const uint64_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b[8];
        for (int k = 0; k < 8; k++)
            b[k] = (unsigned char)(v[i] >> (8 * k));
        h = fnv1a(h, b, sizeof b);
    }
    return h;
}

uint64_t fingerprint_base_id(const fingerprint_base *b)
{
    /* the options as text: the same on every machine, whatever its floats */
    char o[160];
    int n = snprintf(o, sizeof o, "k=%u w=%u min=%zu task=%.6f format=%.6f links=%zu", b->opts.k,
                     b->opts.window, b->opts.min_shared, b->opts.task_share, b->opts.format_share,
                     b->opts.link_words);
    uint64_t h = fnv1a(FNV_BASIS, (const unsigned char *)o, (size_t)n);
    uint64_t counts[2] = {b->nknown, b->npairs};
    h = hash_u64s(h, counts, 2);
    h = hash_u64s(h, b->known, b->nknown);
    return hash_u64s(h, b->pairs, b->npairs);
}

/* ---- one post ------------------------------------------------------------- */

void fingerprint_free(fingerprint *f)
{
    if (!f)
        return;
    free(f->v);
    similar_links_free(&f->links);
    memset(f, 0, sizeof *f);
}

int fingerprint_post(const fingerprint_base *b, const char *text, size_t len, fingerprint *out)
{
    const similar_opts *o = &b->opts;
    memset(out, 0, sizeof *out);
    tokvec tv = {0};
    int rc = tokenize(text, len, &tv);
    if (!rc)
        rc = winnow(&tv, o->k, o->window, out);
    int lo = rc ? 0 : similar_link_only(text, len, o, &out->links);
    if (lo < 0)
        rc = lo;
    if (!rc) {
        out->link_only = lo == 1;
        size_t inknown = 0, inpairs = 0;
        for (size_t f = 0; f < out->n; f++)
            inknown += fingerprint_set_has(b->known, b->nknown, out->v[f].h);
        for (size_t t = 0; t + 1 < tv.n; t++)
            inpairs += fingerprint_set_has(b->pairs, b->npairs, pair_hash(&tv.v[t]));
        out->known_share = out->n ? (double)inknown / (double)out->n : 0.0;
        out->format_share = tv.n > 1 ? (double)inpairs / (double)(tv.n - 1) : 0.0;
        out->task_text =
            !out->link_only && out->n >= o->min_shared &&
            (out->known_share >= o->task_share || out->format_share >= o->format_share);
    }
    free(tv.v);
    return rc;
}
