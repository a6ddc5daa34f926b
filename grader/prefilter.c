/* prefilter.c - the first bytes of any match of a POSIX ERE (prefilter.h).
 *
 * The ERE is read as a set of prefixes: every match begins with one of
 * them. A prefix is "open" while it is a whole match of what was read so
 * far (what follows in the ERE extends it), closed once it was cut: at
 * PREFILTER_BYTES bytes, at a bracket of many bytes or '.', or when the set
 * would grow too big. Cutting only ever widens the set, which keeps it a
 * superset of the real starts. Syntax is read the way pattern.c hands it
 * to PCRE2 (POSIX brackets; an escaped letter other than \< \> \b \B \w
 * \W \s \S \d \D is not read at all). */
#include "prefilter.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* 16 bytes at a time where the CPU can look bytes up in a table (SSSE3),
 * told at run time */
#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_SSSE3 1
#endif

enum {
    K = PREFILTER_BYTES,
    MAX_SET = 64,       /* open prefixes kept; past it they are closed where they stand */
    MAX_DONE = 1 << 16, /* closed prefixes; past it, no filter */
    MAX_CLASS = 40,     /* a bracket of more (folded) bytes reads as any byte */
    HASH_BITS = 12,     /* of the table of prefixes of 2 bytes or more */
};

typedef struct pfx {
    unsigned char c[K];
    unsigned char n;
} pfx;

typedef struct pset {
    pfx *v;
    size_t n, cap;
} pset;

typedef struct reader {
    const char *p;
    pset done;     /* closed prefixes */
    bool at_start; /* some match can begin only at the subject's start (^) */
    bool bad;      /* a construct not read here, or out of memory */
} reader;

struct prefilter {
    bool word_start; /* every match starts a word (\<) */
    bool at_start;   /* and some may begin at offset 0 whatever its bytes (^) */
    bool has[K + 1]; /* prefixes of this many bytes exist */
    /* per byte as it stands in the text (both cases): FIRST when a prefix
     * begins with it, ONE when it is a whole prefix */
    uint8_t start[256];
    /* the bytes that begin a prefix by low nibble: bit (high nibble & 7)
     * (first_mask); hi is the bit of each high nibble */
    uint8_t lo[16], hi[16];
    bool ssse3; /* the CPU has it: 16 bytes at a time */
    /* the first two bytes of longer prefixes, each as its kind (kind()) */
    uint8_t pair[64 * 64 / 8];
    uint8_t more[(1u << HASH_BITS) / 8]; /* prefixes of 2 bytes or more, hashed */
};

enum { FIRST = 1, ONE = 2 };

/* PCRE2's \w and \b without UCP: ASCII letters, digits and '_' */
static bool is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* is_word, as a table for the scanning loops */
static const bool word_byte[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['_'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1,
    ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1,
    ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
    ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1,
    ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1,
    ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1,
    ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
};

/* A byte, folded, as one of 64 kinds: each letter and digit its own, the
 * rest shared. The tables stay small enough to stay in the cache (every
 * criterion's patterns scan the same sentences in turn). */
static const uint8_t kinds[256] = {
#define K4(c) c, c, c, c
#define K16(c) K4(c), K4(c), K4(c), K4(c)
    K16(37), K16(37), /* control bytes */
    38,      39,      40,      41,      42,      43,      44,      45,
    46,      47,      48,      49,      50,      51,      52,      53, /* ' ' to '/' */
    27,      28,      29,      30,      31,      32,      33,      34,
    35,      36,      54,      55,      56,      57,      58,      59, /* '0' to '?' */
    60,      1,       2,       3,       4,       5,       6,       7,
    8,       9,       10,      11,      12,      13,      14,      15, /* '@' to 'O' */
    16,      17,      18,      19,      20,      21,      22,      23,
    24,      25,      26,      61,      62,      63,      0,       0, /* 'P' to '_' */
    60,      1,       2,       3,       4,       5,       6,       7,
    8,       9,       10,      11,      12,      13,      14,      15, /* '`' to 'o' */
    16,      17,      18,      19,      20,      21,      22,      23,
    24,      25,      26,      61,      62,      63,      0,       37, /* 'p' to DEL */
    K16(36), K16(36), K16(36), K16(36), K16(36), K16(36), K16(36), K16(36),
#undef K16
#undef K4
};

static size_t pair_of(unsigned char a, unsigned char b)
{
    return (size_t)kinds[a] << 6 | kinds[b];
}

static bool bit(const uint8_t *map, size_t i)
{
    return map[i >> 3] & (1u << (i & 7));
}

static void set_bit(uint8_t *map, size_t i)
{
    map[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/* x: the bytes of a prefix of n (>= 2) bytes, as prefilter_next builds it */
static size_t slot(uint32_t x, size_t n)
{
    x = (x ^ (uint32_t)n) * 0x9E3779B1u;
    return x >> (32 - HASH_BITS);
}

/* ---- sets of prefixes ----------------------------------------------------- */

static void add(reader *r, pset *s, pfx x)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        pfx *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            r->bad = true;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
}

static int cmp_pfx(const void *a, const void *b)
{
    const pfx *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return memcmp(x->c, y->c, x->n);
}

static void unique(pset *s)
{
    if (s->n < 2)
        return;
    qsort(s->v, s->n, sizeof *s->v, cmp_pfx);
    size_t k = 1;
    for (size_t i = 1; i < s->n; i++)
        if (cmp_pfx(&s->v[i], &s->v[k - 1]))
            s->v[k++] = s->v[i];
    s->n = k;
}

static bool contains(const pset *s, const pfx *x)
{
    return s->n && bsearch(x, s->v, s->n, sizeof *s->v, cmp_pfx);
}

/* Every match begins with x, and nothing more is known of what follows. */
static void close_one(reader *r, pfx x)
{
    add(r, &r->done, x);
    /* a match that may begin with any byte leaves nothing to filter */
    if (!x.n || r->done.n > MAX_DONE)
        r->bad = true;
}

/* s gets the prefixes of s followed by one of the n bytes (any byte when
 * bytes is NULL); a prefix that reaches K bytes is closed, and so is each
 * one when there would be too many. */
static void extend(reader *r, pset *s, const unsigned char *bytes, size_t n)
{
    if (!bytes || s->n * n > MAX_SET) {
        for (size_t i = 0; i < s->n; i++)
            close_one(r, s->v[i]);
        s->n = 0;
        return;
    }
    pset out = {0};
    for (size_t i = 0; i < s->n && !r->bad; i++)
        for (size_t k = 0; k < n; k++) {
            pfx z = s->v[i];
            z.c[z.n++] = bytes[k];
            if (z.n == K)
                close_one(r, z);
            else
                add(r, &out, z);
        }
    unique(&out);
    free(s->v);
    *s = out;
}

/* s gets b too; both are sorted without repeats (unique), and s stays so. */
static void unite(reader *r, pset *s, const pset *b)
{
    if (!b->n)
        return;
    pset out = {0};
    size_t i = 0, j = 0;
    while ((i < s->n || j < b->n) && !r->bad) {
        int c = i == s->n ? 1 : j == b->n ? -1 : cmp_pfx(&s->v[i], &b->v[j]);
        add(r, &out, c <= 0 ? s->v[i] : b->v[j]);
        i += c <= 0;
        j += c >= 0;
    }
    free(s->v);
    *s = out;
}

static void copy(reader *r, pset *to, const pset *from)
{
    to->n = 0;
    for (size_t i = 0; i < from->n; i++)
        add(r, to, from->v[i]);
}

/* ---- reading the ERE -------------------------------------------------------- */

/* Each reader function takes the open prefixes before its construct (whole
 * matches of what precedes) and leaves those after it; prefixes it closes
 * go to r->done. The flags tell, from the syntax alone, whether the
 * construct asserts a word start (ws) or matches only the empty string
 * (zw). */
static void read_alt(reader *r, pset *s, bool *ws, bool *zw);

static void class_named(reader *r, const char *name, size_t n, uint8_t *map)
{
    static const struct {
        const char *name;
        const char *ranges; /* pairs of bytes */
    } classes[] = {
        {"alpha", "azAZ"},   {"digit", "09"},     {"alnum", "azAZ09"},
        {"upper", "AZ"},     {"lower", "az"},     {"xdigit", "09afAF"},
        {"space", "\t\r  "}, {"blank", "\t\t  "}, {"punct", "!/:@[`{~"},
        {"print", " ~"},     {"graph", "!~"},     {"cntrl", "\x01\x1f\x7f\x7f"},
    };
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++) {
        if (strlen(classes[i].name) != n || strncmp(classes[i].name, name, n))
            continue;
        for (const char *g = classes[i].ranges; *g; g += 2)
            for (int c = (unsigned char)g[0]; c <= (unsigned char)g[1]; c++)
                set_bit(map, (size_t)c);
        if (!strcmp(classes[i].name, "cntrl"))
            set_bit(map, 0);
        return;
    }
    r->bad = true;
}

/* The bytes (folded) of a bracket expression at r->p ('['), POSIX style: a
 * backslash in it is itself (pattern.c escapes it for PCRE2); how many,
 * or 0 when they are too many to be worth telling apart. */
static size_t read_bracket(reader *r, unsigned char *bytes)
{
    uint8_t map[32] = {0};
    const char *q = r->p + 1;
    bool neg = *q == '^';
    q += neg;
    if (*q == ']')
        set_bit(map, (unsigned char)*q++);
    while (*q && *q != ']' && !r->bad) {
        if (q[0] == '[' && q[1] == ':') {
            const char *end = strstr(q + 2, ":]");
            if (!end) {
                r->bad = true;
                break;
            }
            class_named(r, q + 2, (size_t)(end - q - 2), map);
            q = end + 2;
        } else if (q[0] == '[' && (q[1] == '.' || q[1] == '=')) {
            r->bad = true;
        } else if (q[1] == '-' && q[2] && q[2] != ']') {
            unsigned char lo = (unsigned char)q[0], hi = (unsigned char)q[2];
            if (lo > hi)
                r->bad = true;
            for (unsigned c = lo; c <= hi && !r->bad; c++)
                set_bit(map, c);
            q += 3;
        } else {
            set_bit(map, (unsigned char)*q++);
        }
    }
    if (*q != ']')
        r->bad = true;
    r->p = *q ? q + 1 : q;
    uint8_t folded[32] = {0};
    size_t count = 0;
    for (unsigned c = 0; c < 256; c++)
        if (bit(map, c) != neg && !bit(folded, ascii_lower((unsigned char)c))) {
            set_bit(folded, ascii_lower((unsigned char)c));
            if (count < MAX_CLASS)
                bytes[count] = ascii_lower((unsigned char)c);
            count++;
        }
    return count <= MAX_CLASS ? count : 0;
}

/* Past the group at p ('('), brackets and escapes read as pattern.c
 * hands them to PCRE2; NULL when it is not closed. */
static const char *group_end(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
        } else if (*p == '[') {
            const char *q = p + 1 + (p[1] == '^');
            q += *q == ']';
            while (*q && *q != ']') {
                const char *cls = q[0] == '[' && q[1] == ':' ? strstr(q + 2, ":]") : NULL;
                q = cls ? cls + 2 : q + 1;
            }
            if (!*q)
                return NULL;
            p = q;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')' && --depth == 0) {
            return p + 1;
        }
    }
    return NULL;
}

static void read_atom(reader *r, pset *s, bool *ws, bool *zw)
{
    *ws = *zw = false;
    unsigned char c = (unsigned char)*r->p;
    unsigned char one[MAX_CLASS];
    if (c == '(') {
        r->p++;
        if (*r->p == '?') { /* not ERE */
            /* a lookaround consumes nothing and only narrows the matches:
             * the prefixes stand as they were */
            const char *end = NULL;
            if (r->p[1] == '=' || r->p[1] == '!' ||
                (r->p[1] == '<' && (r->p[2] == '=' || r->p[2] == '!')))
                end = group_end(r->p - 1);
            if (!end) {
                r->bad = true;
                return;
            }
            *zw = true;
            r->p = end;
            return;
        }
        read_alt(r, s, ws, zw);
        if (*r->p != ')') {
            r->bad = true;
            return;
        }
        r->p++;
    } else if (c == '[') {
        size_t n = read_bracket(r, one);
        extend(r, s, n ? one : NULL, n);
    } else if (c == '.') {
        extend(r, s, NULL, 0);
        r->p++;
    } else if (c == '^') {
        /* without multiline, ^ holds at the subject's start alone: a match
         * through here begins there, whatever its bytes, and none of the
         * prefixes so far goes on anywhere else */
        for (size_t i = 0; i < s->n; i++)
            r->at_start = r->at_start || !s->v[i].n;
        s->n = 0;
        *zw = *ws = true;
        r->p++;
    } else if (c == '$') {
        *zw = true;
        r->p++;
    } else if (c == '\\') {
        unsigned char d = (unsigned char)r->p[1];
        if (d == '<' || d == '>' || d == 'b' || d == 'B') {
            *zw = true;
            *ws = d == '<';
        } else if (d && strchr("wWsSdD", d)) {
            extend(r, s, NULL, 0);
        } else if (!d || (d < 0x80 && is_word(d))) {
            r->bad = true; /* \n, \1, \x...: PCRE2 reads these its own way */
            return;
        } else {
            one[0] = ascii_lower(d);
            extend(r, s, one, 1);
        }
        r->p += 2;
    } else if (c == '*' || c == '+' || c == '?' || c == '{') {
        r->bad = true;
    } else {
        one[0] = ascii_lower(c);
        extend(r, s, one, 1);
        r->p++;
    }
}

static bool read_count(reader *r, int *n)
{
    if (*r->p < '0' || *r->p > '9')
        return false;
    char *end;
    long v = strtol(r->p, &end, 10);
    r->p = end;
    *n = v > 1000 ? 1000 : (int)v;
    return true;
}

/* The atom at `at` once more, from the prefixes s. */
static void again(reader *r, const char *at, pset *s)
{
    const char *save = r->p;
    bool ws, zw;
    r->p = at;
    read_atom(r, s, &ws, &zw);
    r->p = save;
}

/* s and what one or more further copies of the atom at `at` make of it.
 * Each copy that is not empty adds a byte, so K rounds reach every prefix
 * that is still open. */
static void more_copies(reader *r, const char *at, pset *s)
{
    pset cur = {0}, seen = {0};
    copy(r, &cur, s);
    copy(r, &seen, s);
    for (int round = 0; round < K && cur.n && !r->bad; round++) {
        again(r, at, &cur);
        pset fresh = {0};
        for (size_t i = 0; i < cur.n; i++)
            if (!contains(&seen, &cur.v[i]))
                add(r, &fresh, cur.v[i]);
        unite(r, &seen, &fresh);
        free(cur.v);
        cur = fresh;
    }
    free(cur.v);
    free(s->v);
    *s = seen;
}

/* An atom and its repeats. */
static void read_piece(reader *r, pset *s, bool *ws, bool *zw)
{
    const char *at = r->p;
    pset before = {0};
    copy(r, &before, s);
    read_atom(r, s, ws, zw);
    if (r->bad)
        goto done;
    char q = *r->p;
    if (q == '?' || q == '*') {
        if (q == '*')
            more_copies(r, at, s);
        unite(r, s, &before);
        *ws = false;
        r->p++;
    } else if (q == '+') {
        more_copies(r, at, s);
        r->p++;
    } else if (q == '{') {
        int lo, hi;
        r->p++;
        if (!read_count(r, &lo)) {
            r->bad = true;
            goto done;
        }
        hi = lo;
        if (*r->p == ',') {
            r->p++;
            if (!read_count(r, &hi))
                hi = INT32_MAX; /* no upper bound */
        }
        if (*r->p != '}' || hi < lo) {
            r->bad = true;
            goto done;
        }
        r->p++;
        if (lo == 0) {
            copy(r, s, &before);
            *ws = false;
        }
        /* past K copies nothing open is left to grow */
        for (int i = 1; i < lo && i < K && !r->bad; i++)
            again(r, at, s);
        if (hi > lo)
            more_copies(r, at, s);
    }
    if (*r->p == '*' || *r->p == '+' || *r->p == '?' || *r->p == '{')
        r->bad = true; /* PCRE2 reads these as lazy or possessive */
done:
    free(before.v);
}

static void read_branch(reader *r, pset *s, bool *ws, bool *zw)
{
    *ws = false;
    *zw = true; /* nothing consumed yet */
    while (*r->p && *r->p != '|' && *r->p != ')' && !r->bad) {
        bool pws, pzw;
        read_piece(r, s, &pws, &pzw);
        if (*zw && pws)
            *ws = true;
        *zw = *zw && pzw;
    }
}

static void read_alt(reader *r, pset *s, bool *ws, bool *zw)
{
    pset start = {0};
    copy(r, &start, s);
    read_branch(r, s, ws, zw);
    while (*r->p == '|' && !r->bad) {
        r->p++;
        pset b = {0};
        bool bws, bzw;
        copy(r, &b, &start);
        read_branch(r, &b, &bws, &bzw);
        unite(r, s, &b);
        free(b.v);
        *ws = *ws && bws;
        *zw = *zw && bzw;
    }
    free(start.v);
}

prefilter *prefilter_new(const char *ere)
{
    reader r = {ere, {0}, false, false};
    pset s = {0};
    bool ws, zw;
    add(&r, &s, (pfx){{0}, 0});
    read_alt(&r, &s, &ws, &zw);
    prefilter *f = NULL;
    if (r.bad || *r.p)
        goto done;
    /* what is still open is a whole match */
    unique(&r.done);
    unite(&r, &r.done, &s);
    if (r.bad || !r.done.n)
        goto done;
    for (size_t i = 0; i < r.done.n; i++)
        if (!r.done.v[i].n)
            goto done; /* a match may begin with anything, or be empty */
    if (!(f = calloc(1, sizeof *f)))
        goto done;
    /* \< before a byte that is not a word's ("\<[-a]b") is read by
     * pattern.c as a bare \b, which also holds at a word's end: only
     * where every prefix begins with a word byte is it a word start */
    for (size_t i = 0; i < r.done.n && ws; i++)
        ws = is_word(r.done.v[i].c[0]);
    f->word_start = ws;
    f->at_start = r.at_start;
    for (size_t i = 0; i < r.done.n; i++) {
        const pfx *x = &r.done.v[i];
        f->has[x->n] = true;
        uint8_t flags = (uint8_t)(FIRST | (x->n == 1 ? ONE : 0));
        f->start[x->c[0]] |= flags;
        if (x->c[0] >= 'a' && x->c[0] <= 'z') /* the text's upper case */
            f->start[x->c[0] - ('a' - 'A')] |= flags;
        if (x->n == 1)
            continue;
        set_bit(f->pair, pair_of(x->c[0], x->c[1]));
        uint32_t h = x->c[0];
        for (size_t k = 1; k < x->n; k++)
            h = h * 131 + x->c[k];
        set_bit(f->more, slot(h, x->n));
    }
    for (unsigned c = 0; c < 256; c++)
        if (f->start[c] & FIRST)
            f->lo[c & 15] |= (uint8_t)(1u << ((c >> 4) & 7));
    for (unsigned h = 0; h < 16; h++)
        f->hi[h] = (uint8_t)(1u << (h & 7));
#ifdef HAVE_SSSE3
    f->ssse3 = __builtin_cpu_supports("ssse3");
#endif
done:
    free(s.v);
    free(r.done.v);
    return f;
}

void prefilter_free(prefilter *f)
{
    free(f);
}

/* Can a prefix of two bytes or more begin at u[p]? Mostly no, and told
 * by a table lookup that callers inline. */
static inline bool pair_at(const prefilter *f, const unsigned char *u, size_t len, size_t p)
{
    return p + 2 <= len && bit(f->pair, pair_of(u[p], u[p + 1]));
}

/* Does a prefix begin at u[p]? */
static bool prefix_at(const prefilter *f, const unsigned char *u, size_t len, size_t p)
{
    if (f->start[u[p]] & ONE)
        return true;
    if (!pair_at(f, u, len, p))
        return false;
    uint32_t h = ascii_lower(u[p]) * 131u + ascii_lower(u[p + 1]);
    for (size_t n = 2; n <= K && p + n <= len; n++) {
        if (n > 2)
            h = h * 131 + ascii_lower(u[p + n - 1]);
        if (f->has[n] && bit(f->more, slot(h, n)))
            return true;
    }
    return false;
}

#ifdef HAVE_SSSE3
#include <tmmintrin.h>

/* Bit i set when v's byte i is a word byte (is_word). */
__attribute__((target("ssse3"))) static inline unsigned word_mask(__m128i v)
{
    __m128i flip = _mm_set1_epi8((char)0x80);
    /* an unsigned x < n, as signed bytes: (x ^ 0x80) < (n ^ 0x80) */
    __m128i letter = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
    letter = _mm_cmplt_epi8(_mm_xor_si128(letter, flip), _mm_set1_epi8((char)(26 ^ 0x80)));
    __m128i digit = _mm_sub_epi8(v, _mm_set1_epi8('0'));
    digit = _mm_cmplt_epi8(_mm_xor_si128(digit, flip), _mm_set1_epi8((char)(10 ^ 0x80)));
    __m128i under = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), under));
}

/* Bit i set when v's byte i may begin a prefix: a lookup of its low and
 * high nibbles (f->lo, f->hi). Exact for ASCII; a byte from 0x80 up also
 * when the byte 0x80 below it begins one (eight bits for sixteen high
 * nibbles), which prefix_at then turns down. */
__attribute__((target("ssse3"))) static inline unsigned first_mask(const prefilter *f, __m128i v)
{
    __m128i nib = _mm_set1_epi8(0x0F);
    __m128i lo = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)f->lo),
                                  _mm_and_si128(v, nib));
    __m128i hi = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)f->hi),
                                  _mm_and_si128(_mm_srli_epi16(v, 4), nib));
    __m128i none = _mm_cmpeq_epi8(_mm_and_si128(lo, hi), _mm_setzero_si128());
    return ~(unsigned)_mm_movemask_epi8(none) & 0xFFFFu;
}

/* 16 bytes at a time (len >= 16): a byte-by-byte loop mispredicts at
 * nearly every candidate byte and every word's ends. The last block is
 * the 16 bytes that end the text, those before p masked off. */
__attribute__((target("ssse3"))) static size_t
next_ssse3(const prefilter *f, const unsigned char *u, size_t len, size_t p)
{
    unsigned prev = p > 0 && word_byte[u[p - 1]];
    for (; p < len; p += 16) {
        size_t at = p + 16 <= len ? p : len - 16;
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + at));
        unsigned cand = first_mask(f, v) & (0xFFFFu << (p - at));
        if (f->word_start) {
            /* in the last block the byte before p is in v */
            unsigned m = word_mask(v);
            cand &= m & ~((m << 1) | (at == p ? prev : 0));
            prev = m >> 15;
        }
        for (cand &= 0xFFFFu; cand; cand &= cand - 1) {
            size_t q = at + (unsigned)__builtin_ctz(cand);
            if ((pair_at(f, u, len, q) || (f->start[u[q]] & ONE)) && prefix_at(f, u, len, q))
                return q;
        }
    }
    return len;
}
#endif

size_t prefilter_next(const prefilter *f, const char *s, size_t len, size_t from)
{
    const unsigned char *u = (const unsigned char *)s;
    if (f->at_start && from == 0)
        return 0;
#ifdef HAVE_SSSE3
    if (f->ssse3 && len >= 16)
        return next_ssse3(f, u, len, from);
#endif
    if (f->word_start) {
        unsigned prev = from > 0 && word_byte[u[from - 1]];
        for (size_t p = from; p < len; p++) {
            unsigned w = word_byte[u[p]];
            if (w && !prev && prefix_at(f, u, len, p))
                return p;
            prev = w;
        }
        return len;
    }
    for (size_t p = from; p < len; p++)
        if (f->start[u[p]] && prefix_at(f, u, len, p))
            return p;
    return len;
}
