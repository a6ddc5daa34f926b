/* similar.c - winnowed fingerprints, an inverted index and union-find. */
#include "similar.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"
#include "rubric.h"
#include "util.h"

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

static uint64_t fnv1a(const unsigned char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
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
                if (tok_push(tv, fnv1a((const unsigned char *)word, wn), wline))
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

/* ---- fingerprints --------------------------------------------------------- */

typedef struct fp {
    uint64_t h;
    uint32_t pos; /* first token of the k-gram */
} fp;

typedef struct post {
    tokvec toks;
    fp *fps; /* winnowed, in position order */
    size_t nfps;
    uint64_t *set; /* distinct hashes of fps, sorted; known ones removed */
    size_t nset;
    size_t nknown; /* distinct hashes that are known text */
    fp *byh;       /* fps sorted by hash; built only for group members */
    int *lines;    /* source line of each token, once toks are dropped */
} post;

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
static int winnow(post *p, unsigned k, unsigned w)
{
    size_t nt = p->toks.n;
    if (nt < k)
        return 0;
    size_t ng = nt - k + 1;
    uint64_t *g = malloc(ng * sizeof *g);
    p->fps = malloc(ng * sizeof *p->fps);
    if (!g || !p->fps) {
        free(g);
        return GR_ENOMEM;
    }
    for (size_t i = 0; i < ng; i++)
        g[i] = kgram_hash(p->toks.v + i, k);
    size_t win = ng < w ? ng : w;
    size_t last = SIZE_MAX;
    for (size_t s = 0; s + win <= ng; s++) {
        size_t m = s;
        for (size_t j = s + 1; j < s + win; j++)
            if (g[j] <= g[m])
                m = j;
        if (m != last) {
            p->fps[p->nfps].h = g[m];
            p->fps[p->nfps].pos = (uint32_t)m;
            p->nfps++;
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

static bool set_has(const uint64_t *set, size_t n, uint64_t h)
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

/* Distinct sorted hashes of p's fingerprints, known ones removed and
 * counted in p->nknown. */
static int make_set(post *p, const uint64_t *known, size_t nknown)
{
    p->set = malloc((p->nfps ? p->nfps : 1) * sizeof *p->set);
    if (!p->set)
        return GR_ENOMEM;
    for (size_t i = 0; i < p->nfps; i++)
        p->set[i] = p->fps[i].h;
    qsort(p->set, p->nfps, sizeof *p->set, cmp_u64);
    size_t n = 0;
    p->nknown = 0;
    for (size_t i = 0; i < p->nfps; i++) {
        if (n && p->set[n - 1] == p->set[i])
            continue;
        if (i && p->set[i - 1] == p->set[i])
            continue;
        if (set_has(known, nknown, p->set[i])) {
            p->nknown++;
            continue;
        }
        p->set[n++] = p->set[i];
    }
    p->nset = n;
    return 0;
}

static size_t intersect(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, c = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else {
            c++;
            i++;
            j++;
        }
    }
    return c;
}

static int post_prepare(post *p, const similar_doc *d, const similar_opts *o)
{
    int rc = tokenize(d->text, d->len, &p->toks);
    if (!rc)
        rc = winnow(p, o->k, o->window);
    return rc;
}

static void post_free(post *p)
{
    free(p->toks.v);
    free(p->fps);
    free(p->set);
    free(p->byh);
    free(p->lines);
}

/* Keep only each token's line: a quarter of the memory of the tokens,
 * which a cohort of 10,000 posts feels. */
static int post_shrink(post *p)
{
    if (!(p->lines = malloc((p->toks.n ? p->toks.n : 1) * sizeof *p->lines)))
        return GR_ENOMEM;
    for (size_t t = 0; t < p->toks.n; t++)
        p->lines[t] = p->toks.v[t].line;
    free(p->toks.v);
    p->toks.v = NULL;
    p->toks.cap = 0;
    return 0;
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

/* ---- the index and groups ------------------------------------------------- */

typedef struct posting {
    uint64_t h;
    uint32_t doc;
} posting;

static int cmp_posting(const void *a, const void *b)
{
    const posting *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

/* First posting with hash h, or n. */
static size_t postings_find(const posting *pv, size_t n, uint64_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pv[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && pv[lo].h == h ? lo : n;
}

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void uf_union(size_t *parent, size_t a, size_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    /* The smaller index is the root, so group order is deterministic. */
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

/* Shared passages of post i with its group: runs of fingerprints found in
 * another member, merged across gaps shorter than a window plus a k-gram
 * (an edited word between two shared fingerprints). */
static int emit_passage(const post *p, similar_passage cur, size_t start, size_t end,
                        similar_result *r, size_t *cap)
{
    cur.first_line = p->lines[start];
    cur.last_line = p->lines[end];
    cur.words = end - start + 1;
    cur.start = start;
    cur.end = end;
    if (r->npassages == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        similar_passage *v = realloc(r->passages, c * sizeof *v);
        if (!v)
            return GR_ENOMEM;
        r->passages = v;
        *cap = c;
    }
    r->passages[r->npassages++] = cur;
    if (cur.words > r->longest.words)
        r->longest = cur;
    return 0;
}

static int cmp_fp_hash(const void *a, const void *b)
{
    const fp *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* p->byh: p's fingerprints sorted by hash, to find where a hash sits. */
static int index_positions(post *p)
{
    if (p->byh || !p->nfps)
        return 0;
    if (!(p->byh = malloc(p->nfps * sizeof *p->byh)))
        return GR_ENOMEM;
    memcpy(p->byh, p->fps, p->nfps * sizeof *p->byh);
    qsort(p->byh, p->nfps, sizeof *p->byh, cmp_fp_hash);
    return 0;
}

static const fp *find_fp(const post *p, uint64_t h)
{
    size_t lo = 0, hi = p->nfps;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->byh[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->nfps && p->byh[lo].h == h ? &p->byh[lo] : NULL;
}

/* Shared passages of post i with its group: runs of fingerprints found in
 * one other member in the same order, merged across gaps shorter than a
 * window (an edited word between two shared fingerprints). A run ends
 * where the other post jumps elsewhere (a reordered section), so each
 * passage can be shown side by side with its counterpart. */
static int find_passages(post *ps, size_t i, const posting *pv, size_t npv, size_t *parent,
                         const similar_opts *o, similar_result *r)
{
    const post *p = &ps[i];
    size_t root = uf_find(parent, i), cap = 0, start = 0, end = 0, last = 0, olast = 0;
    similar_passage cur = {0};
    bool open = false;
    for (size_t f = 0; f < p->nfps; f++) {
        size_t pos = p->fps[f].pos;
        if (open) {
            const fp *m = find_fp(&ps[cur.other], p->fps[f].h);
            if (m && pos <= end + o->window + 1 && m->pos >= olast &&
                m->pos - olast <= pos - last + o->window + 1) {
                end = pos + o->k - 1;
                last = pos;
                olast = m->pos;
                continue;
            }
        }
        size_t other = SIZE_MAX;
        size_t at = postings_find(pv, npv, p->fps[f].h);
        for (size_t q = at; q < npv && pv[q].h == p->fps[f].h; q++)
            if (pv[q].doc != i && uf_find(parent, pv[q].doc) == root) {
                other = pv[q].doc;
                break;
            }
        if (other == SIZE_MAX)
            continue;
        if (open && emit_passage(p, cur, start, end, r, &cap))
            return GR_ENOMEM;
        if (index_positions(&ps[other]))
            return GR_ENOMEM;
        open = true;
        start = last = pos;
        end = pos + o->k - 1;
        olast = find_fp(&ps[other], p->fps[f].h)->pos;
        cur = (similar_passage){0};
        cur.other = other;
    }
    if (open && emit_passage(p, cur, start, end, r, &cap))
        return GR_ENOMEM;
    return 0;
}

/* Lines of post j holding the fingerprints of passage pa of post i. */
static void locate_in_other(const post *pi, const post *pj, similar_passage *pa,
                            const similar_opts *o)
{
    pa->other_first = pa->other_last = 0;
    size_t lo = SIZE_MAX, hi = 0;
    for (size_t f = 0; f < pi->nfps; f++) {
        size_t pos = pi->fps[f].pos;
        if (pos < pa->start || pos > pa->end)
            continue;
        const fp *m = find_fp(pj, pi->fps[f].h);
        if (!m)
            continue;
        if (m->pos < lo)
            lo = m->pos;
        if (m->pos > hi)
            hi = m->pos;
    }
    if (lo != SIZE_MAX) {
        pa->other_first = pj->lines[lo];
        pa->other_last = pj->lines[hi + o->k - 1];
    }
}

void similar_report_free(similar_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nposts; i++) {
        similar_links_free(&r->posts[i].links);
        free(r->posts[i].passages);
    }
    for (size_t g = 0; g < r->ngroups; g++)
        free(r->groups[g].members);
    free(r->posts);
    free(r->groups);
    free(r);
}

/* Join each post to the posts it shares the most with: candidates are the
 * posts that come up most often in the first postings of its
 * fingerprints, and the best few are measured exactly. count and cand are
 * n-long scratch arrays, all zero on entry and on return. */
static void join_copies(const post *ps, size_t n, const similar_report *r, const posting *pv,
                        size_t npv, size_t *parent, size_t *count, size_t *cand,
                        const similar_opts *opts)
{
    for (size_t i = 0; i < n; i++) {
        const post *p = &ps[i];
        if (r->posts[i].task_text || r->posts[i].link_only || p->nset < opts->min_shared)
            continue;
        size_t nc = 0;
        for (size_t f = 0; f < p->nset; f++) {
            size_t at = postings_find(pv, npv, p->set[f]);
            size_t seen = 0;
            for (size_t q = at; q < npv && pv[q].h == p->set[f] && seen < SIMILAR_MAX_POSTINGS;
                 q++, seen++) {
                size_t d = pv[q].doc;
                if (d == i)
                    continue;
                if (count[d]++ == 0)
                    cand[nc++] = d;
            }
        }
        for (int pick = 0; pick < 8 && nc > 0; pick++) {
            size_t best = 0;
            for (size_t c = 1; c < nc; c++)
                if (count[cand[c]] > count[cand[best]] ||
                    (count[cand[c]] == count[cand[best]] && cand[c] < cand[best]))
                    best = c;
            size_t j = cand[best];
            if (count[j] < opts->min_shared)
                break;
            count[j] = 0;
            cand[best] = cand[--nc];
            size_t shared = intersect(p->set, p->nset, ps[j].set, ps[j].nset);
            double si = (double)shared / (double)p->nset;
            double sj = ps[j].nset ? (double)shared / (double)ps[j].nset : 0.0;
            if (shared >= opts->min_shared && (si >= opts->threshold || sj >= opts->threshold))
                uf_union(parent, i, j);
        }
        for (size_t c = 0; c < nc; c++)
            count[cand[c]] = 0;
    }
}

/* Groups from the union-find forest, numbered by their first member.
 * gsize: n-long scratch, all zero on entry. */
static int number_groups(similar_report *r, size_t *parent, size_t *gsize)
{
    size_t n = r->nposts;
    for (size_t i = 0; i < n; i++)
        gsize[uf_find(parent, i)]++;
    for (size_t i = 0; i < n; i++)
        if (uf_find(parent, i) == i && gsize[i] > 1)
            r->ngroups++;
    if (r->ngroups && !(r->groups = calloc(r->ngroups, sizeof *r->groups)))
        return GR_ENOMEM;
    size_t g = 0;
    for (size_t i = 0; i < n; i++) {
        size_t root = uf_find(parent, i);
        if (gsize[root] < 2)
            continue;
        if (root == i) {
            r->posts[i].group = (int)++g;
            if (!(r->groups[g - 1].members = malloc(gsize[i] * sizeof(size_t))))
                return GR_ENOMEM;
        }
        /* a root has the smallest index of its group: it is numbered
         * first, and members are added in ascending order */
        int num = r->posts[root].group;
        similar_group *gr = &r->groups[num - 1];
        gr->members[gr->n++] = i;
        r->posts[i].group = num;
    }
    return 0;
}

/* Share of post i found in its group's other posts, and the passages to
 * highlight, located in both posts. */
static int measure_member(post *ps, size_t i, const posting *pv, size_t npv, size_t *parent,
                          const similar_opts *opts, similar_result *res)
{
    size_t root = uf_find(parent, i), found = 0;
    for (size_t f = 0; f < ps[i].nset; f++) {
        size_t at = postings_find(pv, npv, ps[i].set[f]);
        for (size_t q = at; q < npv && pv[q].h == ps[i].set[f]; q++)
            if (pv[q].doc != i && uf_find(parent, pv[q].doc) == root) {
                found++;
                break;
            }
    }
    res->share = ps[i].nset ? (double)found / (double)ps[i].nset : 0.0;
    int rc = find_passages(ps, i, pv, npv, parent, opts, res);
    if (rc)
        return rc;
    for (size_t a = 0; a < res->npassages; a++)
        locate_in_other(&ps[i], &ps[res->passages[a].other], &res->passages[a], opts);
    if (res->longest.words)
        locate_in_other(&ps[i], &ps[res->longest.other], &res->longest, opts);
    return 0;
}

/* What one run builds, freed in one place. */
typedef struct run_state {
    const similar_opts *opts;
    similar_report *r;
    post *ps, *ks; /* the posts, the known texts */
    size_t n, nknown;
    uint64_t *kset; /* the base: fingerprints that are not the students' own */
    size_t nk;
    uint64_t *pairs; /* word pairs of the format descriptions */
    size_t npairs;
    posting *pv; /* inverted index over the posts that can be copies */
    size_t npv;
    size_t *parent, *count, *cand;
} run_state;

static void run_state_free(run_state *st)
{
    for (size_t i = 0; st->ps && i < st->n; i++)
        post_free(&st->ps[i]);
    for (size_t i = 0; st->ks && i < st->nknown; i++)
        post_free(&st->ks[i]);
    free(st->ps);
    free(st->ks);
    free(st->kset);
    free(st->pairs);
    free(st->pv);
    free(st->parent);
    free(st->count);
    free(st->cand);
}

/* Known text: the base every post is measured against first; and the word
 * pairs of the format descriptions: a post pasting the assignment uses them
 * densely even when the description is worded differently. */
static int prepare_known(run_state *st, const similar_doc *known)
{
    size_t kcap = 0, pcap = 0;
    for (size_t i = 0; i < st->nknown; i++) {
        int rc = post_prepare(&st->ks[i], &known[i], st->opts);
        if (rc)
            return rc;
        kcap += st->ks[i].nfps;
        if (known[i].format)
            pcap += st->ks[i].toks.n;
    }
    if (!(st->kset = malloc((kcap ? kcap : 1) * sizeof *st->kset)) ||
        !(st->pairs = malloc((pcap ? pcap : 1) * sizeof *st->pairs)))
        return GR_ENOMEM;
    for (size_t i = 0; i < st->nknown; i++) {
        const post *k = &st->ks[i];
        for (size_t f = 0; f < k->nfps; f++)
            st->kset[st->nk++] = k->fps[f].h;
        for (size_t t = 0; known[i].format && t + 1 < k->toks.n; t++)
            st->pairs[st->npairs++] = pair_hash(&k->toks.v[t]);
    }
    qsort(st->kset, st->nk, sizeof *st->kset, cmp_u64);
    qsort(st->pairs, st->npairs, sizeof *st->pairs, cmp_u64);
    return 0;
}

/* Post i's fingerprints, links and shares of known text: link-only and
 * task-text are decided here. */
static int prepare_post(run_state *st, const similar_doc *doc, size_t i)
{
    const similar_opts *opts = st->opts;
    similar_result *res = &st->r->posts[i];
    post *p = &st->ps[i];
    int rc = post_prepare(p, doc, opts);
    if (rc)
        return rc;
    int lo = similar_link_only(doc->text, doc->len, opts, &res->links);
    if (lo < 0)
        return lo;
    res->link_only = lo == 1;
    size_t inknown = 0, inpairs = 0;
    for (size_t f = 0; f < p->nfps; f++)
        inknown += set_has(st->kset, st->nk, p->fps[f].h);
    for (size_t t = 0; t + 1 < p->toks.n; t++)
        inpairs += set_has(st->pairs, st->npairs, pair_hash(&p->toks.v[t]));
    res->known_share = p->nfps ? (double)inknown / (double)p->nfps : 0.0;
    res->format_share = p->toks.n > 1 ? (double)inpairs / (double)(p->toks.n - 1) : 0.0;
    res->task_text =
        !res->link_only && p->nfps >= opts->min_shared &&
        (res->known_share >= opts->task_share || res->format_share >= opts->format_share);
    st->r->nlink += res->link_only;
    st->r->ntask += res->task_text;
    return post_shrink(p);
}

/* A post flagged task-text joins the base: what it shares with others (the
 * assignment pasted on top of a post) is not the students' own. */
static int add_task_text(run_state *st)
{
    size_t ntaskfps = 0;
    for (size_t i = 0; i < st->n; i++)
        if (st->r->posts[i].task_text)
            ntaskfps += st->ps[i].nfps;
    if (!ntaskfps)
        return 0;
    uint64_t *v = realloc(st->kset, (st->nk + ntaskfps) * sizeof *st->kset);
    if (!v)
        return GR_ENOMEM;
    st->kset = v;
    for (size_t i = 0; i < st->n; i++)
        if (st->r->posts[i].task_text)
            for (size_t f = 0; f < st->ps[i].nfps; f++)
                st->kset[st->nk++] = st->ps[i].fps[f].h;
    qsort(st->kset, st->nk, sizeof *st->kset, cmp_u64);
    return 0;
}

/* Each post's own fingerprints (the base taken out), and the inverted
 * index over the posts that can be copies. */
static int index_posts(run_state *st)
{
    size_t total = 0;
    for (size_t i = 0; i < st->n; i++) {
        int rc = make_set(&st->ps[i], st->kset, st->nk);
        if (rc)
            return rc;
        st->r->posts[i].fingerprints = st->ps[i].nset;
        if (!st->r->posts[i].task_text && !st->r->posts[i].link_only)
            total += st->ps[i].nset;
    }
    if (!(st->pv = malloc((total ? total : 1) * sizeof *st->pv)))
        return GR_ENOMEM;
    for (size_t i = 0; i < st->n; i++) {
        if (st->r->posts[i].task_text || st->r->posts[i].link_only)
            continue;
        for (size_t f = 0; f < st->ps[i].nset; f++)
            st->pv[st->npv++] = (posting){st->ps[i].set[f], (uint32_t)i};
    }
    qsort(st->pv, st->npv, sizeof *st->pv, cmp_posting);
    return 0;
}

/* Copies joined into groups, numbered, each member measured. */
static int group_copies(run_state *st)
{
    size_t n = st->n;
    st->parent = malloc((n ? n : 1) * sizeof *st->parent);
    st->count = calloc(n ? n : 1, sizeof *st->count);
    st->cand = malloc((n ? n : 1) * sizeof *st->cand);
    if (!st->parent || !st->count || !st->cand)
        return GR_ENOMEM;
    for (size_t i = 0; i < n; i++)
        st->parent[i] = i;
    join_copies(st->ps, n, st->r, st->pv, st->npv, st->parent, st->count, st->cand, st->opts);
    int rc = number_groups(st->r, st->parent, st->count);
    for (size_t i = 0; i < n && !rc; i++)
        if (st->r->posts[i].group)
            rc = measure_member(st->ps, i, st->pv, st->npv, st->parent, st->opts, &st->r->posts[i]);
    return rc;
}

int similar_run(const similar_doc *docs, size_t n, const similar_doc *known, size_t nknown,
                const similar_opts *opts, similar_report **out, gr_error *err)
{
    similar_opts def;
    if (!opts) {
        similar_opts_default(&def);
        opts = &def;
    }
    *out = NULL;
    if (opts->k < 1 || opts->window < 1 || n > UINT32_MAX)
        return gr_error_set(err, GR_EUSAGE, "", 0, 0, "similar: bad options");
    run_state st = {.opts = opts, .n = n, .nknown = nknown};
    st.r = calloc(1, sizeof *st.r);
    st.ps = calloc(n ? n : 1, sizeof *st.ps);
    st.ks = calloc(nknown ? nknown : 1, sizeof *st.ks);
    int rc = st.r && st.ps && st.ks ? 0 : GR_ENOMEM;
    if (!rc) {
        st.r->nposts = n;
        if (!(st.r->posts = calloc(n ? n : 1, sizeof *st.r->posts)))
            rc = GR_ENOMEM;
    }
    if (!rc)
        rc = prepare_known(&st, known);
    for (size_t i = 0; i < n && !rc; i++)
        rc = prepare_post(&st, &docs[i], i);
    if (!rc)
        rc = add_task_text(&st);
    if (!rc)
        rc = index_posts(&st);
    if (!rc)
        rc = group_copies(&st);
    similar_report *r = st.r;
    run_state_free(&st);
    if (rc) {
        similar_report_free(r);
        return rc == GR_ENOMEM ? gr_error_nomem(err) : rc;
    }
    *out = r;
    return 0;
}

/* ---- known sources -------------------------------------------------------- */

void similar_docs_free(similar_doc *docs, size_t n)
{
    if (!docs)
        return;
    for (size_t i = 0; i < n; i++) {
        free((char *)docs[i].id);
        free((char *)docs[i].text);
    }
    free(docs);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool known_name(const char *name)
{
    size_t l = strlen(name);
    if (name[0] == '.')
        return false;
    return (l > 3 && strcmp(name + l - 3, ".md") == 0) ||
           (l > 4 && strcmp(name + l - 4, ".txt") == 0);
}

int similar_known_load(const char *dir, bool missing_ok, similar_doc **out, size_t *n,
                       gr_error *err)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (missing_ok)
            return 0;
        return gr_error_set(err, GR_EINPUT, dir, 0, 0, "cannot open the known-sources folder");
    }
    char **names = NULL;
    size_t nn = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!known_name(e->d_name))
            continue;
        if (nn == cap) {
            cap = cap ? cap * 2 : 8;
            char **v = realloc(names, cap * sizeof *v);
            if (!v) {
                rc = gr_error_nomem(err);
                goto out;
            }
            names = v;
        }
        if (!(names[nn] = strdup(e->d_name))) {
            rc = gr_error_nomem(err);
            goto out;
        }
        nn++;
    }
    qsort(names, nn, sizeof *names, cmp_str);
    similar_doc *docs = calloc(nn ? nn : 1, sizeof *docs);
    if (!docs) {
        rc = gr_error_nomem(err);
        goto out;
    }
    size_t got = 0;
    for (size_t i = 0; i < nn; i++) {
        char *path = path_join(dir, names[i]), *text = NULL;
        size_t len = 0;
        if (!path) {
            rc = gr_error_nomem(err);
            break;
        }
        /* file_read refuses what is not a regular file. */
        rc = file_read(path, GR_MAX_INPUT, &text, &len, err);
        if (rc) {
            free(path);
            break;
        }
        docs[got].id = path;
        docs[got].text = text;
        docs[got].len = len;
        docs[got].format = !strncmp(names[i], "format", 6) || !strncmp(names[i], "task", 4) ||
                           !strncmp(names[i], "assignment", 10);
        got++;
    }
    if (rc)
        similar_docs_free(docs, got);
    else {
        *out = docs;
        *n = got;
    }
out:
    closedir(d);
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* rubrics/known/ of the working folder when there is one (an instructor's
 * own), else the folder next to the bundled rubric. malloc'd or NULL. */
char *similar_known_default_dir(void)
{
    if (access("rubrics/known", R_OK) == 0)
        return strdup("rubrics/known");
    char *rpath = rubric_default_path();
    if (!rpath)
        return NULL;
    char *slash = strrchr(rpath, '/');
    char *dir = NULL;
    if (slash) {
        *slash = '\0';
        dir = path_join(rpath, "known");
    }
    free(rpath);
    return dir;
}

const char *similar_status_name(const similar_result *r)
{
    if (r->link_only)
        return "link-only";
    if (r->task_text)
        return "task-text";
    if (r->group)
        return "copy";
    return "ok";
}

void similar_lines_str(char *buf, size_t size, int a, int b)
{
    if (!a)
        snprintf(buf, size, "%s", "");
    else if (a == b)
        snprintf(buf, size, "%d", a);
    else
        snprintf(buf, size, "%d-%d", a, b);
}

int similar_write_csv(const char *path, const similar_doc *posts, const similar_report *r,
                      gr_error *err)
{
    afile af = {0};
    int rc = afile_open(&af, path, err);
    if (rc)
        return rc;
    fputs("group,post,status,share,known_share,format_share,longest_lines,other_post,other_lines,"
          "links\n",
          af.fp);
    for (size_t i = 0; i < r->nposts; i++) {
        const similar_result *p = &r->posts[i];
        char buf[64];
        if (p->group)
            snprintf(buf, sizeof buf, "%d", p->group);
        else
            buf[0] = '\0';
        csv_cell(af.fp, buf);
        csv_sep(af.fp);
        csv_cell(af.fp, posts[i].id);
        csv_sep(af.fp);
        csv_cell(af.fp, similar_status_name(p));
        csv_sep(af.fp);
        snprintf(buf, sizeof buf, "%.2f", p->share);
        csv_cell(af.fp, p->group ? buf : "");
        csv_sep(af.fp);
        snprintf(buf, sizeof buf, "%.2f", p->known_share);
        csv_cell(af.fp, buf);
        csv_sep(af.fp);
        snprintf(buf, sizeof buf, "%.2f", p->format_share);
        csv_cell(af.fp, buf);
        csv_sep(af.fp);
        similar_lines_str(buf, sizeof buf, p->longest.first_line, p->longest.last_line);
        csv_cell(af.fp, buf);
        csv_sep(af.fp);
        csv_cell(af.fp, p->longest.words ? posts[p->longest.other].id : "");
        csv_sep(af.fp);
        similar_lines_str(buf, sizeof buf, p->longest.other_first, p->longest.other_last);
        csv_cell(af.fp, buf);
        csv_sep(af.fp);
        strbuf links;
        sb_init(&links);
        for (size_t l = 0; p->link_only && l < p->links.n; l++) {
            if (l)
                sb_putc(&links, ' ');
            sb_puts(&links, p->links.v[l]);
        }
        csv_cell(af.fp, sb_str(&links));
        sb_free(&links);
        csv_eol(af.fp);
    }
    return afile_commit(&af, err);
}
