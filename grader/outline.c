/* outline.c - cmark AST -> logical lines, lists, images, links.
 *
 * Real posts are not clean Markdown. What a careful reader does, this does:
 * - a paragraph is read line by line (a section name is often a plain line
 *   run into the paragraph below it);
 * - indented "code" and an unclosed code fence are read again as Markdown
 *   (students indent prose, or forget to close a fence);
 * - raw HTML blocks are read as text, with <hN>, <li>, <img>, <a> kept;
 * - merge-conflict markers and YAML front matter are blanked (they would
 *   otherwise turn a paragraph into a setext heading);
 * - lines that start with a bullet character (•) form a list.
 * Line numbers always refer to the original text. */
#include "outline.h"

#include <cmark.h>
#include <ctype.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse_arena.h"
#include "util.h"

#define MAX_REREAD_DEPTH 2
#define MAX_LIST_DEPTH 64

typedef struct builder {
    outline *o;
    size_t lines_cap, lists_cap, images_cap, links_cap;
    /* the current source (the post, or re-read code) and its line offset */
    const char *src;
    size_t srclen;
    int line_offset;
    int depth;
    /* where src_line last stopped: code blocks come in source order, so
     * finding a line scans on from there, not from the top each time */
    int seek_line;
    size_t seek_off;
    /* the line being built */
    strbuf cur;
    int cur_line;
    ol_kind cur_kind;
    int cur_level;
    size_t heading_from; /* the first line of the heading being read */
    bool plain_seen, bold_seen, cur_image;
    int strong;   /* inside strong/emph */
    int in_image; /* inside an image: its children are alt text, not shown */
    bool pending_item_start, pending_para_start;
    /* open lists */
    int list_stack[MAX_LIST_DEPTH];
    int nstack;
    int overflow; /* lists nested past MAX_LIST_DEPTH */
    int rc;
} builder;

/* ASCII white space, as isspace() in the C locale, without a call per byte. */
static inline bool is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

#if defined(__SSE2__)
/* Words of s[0, len), which holds no 0xC2 (so no U+00A0), 16 bytes at a
 * time: a word starts at a byte that is not space after one that is. */
static size_t count_words_sse2(const unsigned char *s, size_t len)
{
    const __m128i blank = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), four = _mm_set1_epi8(4);
    size_t n = 0, i = 0;
    unsigned prev = 1; /* the byte before was space (or the start) */
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i c = _mm_sub_epi8(v, tab); /* '\t'..'\r' become 0..4 */
        __m128i sp =
            _mm_or_si128(_mm_cmpeq_epi8(v, blank), _mm_cmpeq_epi8(_mm_min_epu8(c, four), c));
        unsigned m = (unsigned)_mm_movemask_epi8(sp);
        n += (size_t)__builtin_popcount(~m & ((m << 1) | prev) & 0xFFFFu);
        prev = m >> 15;
    }
    for (; i < len; i++) {
        unsigned char ch = s[i];
        unsigned sp = ch == ' ' || (ch >= '\t' && ch <= '\r');
        n += (sp ^ 1u) & prev;
        prev = sp;
    }
    return n;
}
#endif

size_t count_words(const char *s)
{
#if defined(__SSE2__)
    size_t len = strlen(s);
    if (!memchr(s, 0xC2, len))
        return count_words_sse2((const unsigned char *)s, len);
#endif
    return count_words_upto(s, SIZE_MAX);
}

size_t count_words_upto(const char *s, size_t max)
{
    /* no branch on the bytes of a word or of the spaces between (a branch
     * per word's end mispredicts), only on the rare 0xC2 */
    static const unsigned char space[256] = {
        ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1, [0xC2] = 2,
    };
    size_t n = 0;
    unsigned in = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n < max; p++) {
        unsigned sp = space[*p];
        if (sp == 2) {
            /* U+00A0 NO-BREAK SPACE separates words in rendered text too */
            sp = p[1] == 0xA0;
            p += sp;
        }
        n += !sp & !in;
        in = !sp;
    }
    return n;
}

static bool grow(builder *b, void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : 32;
    void *p = realloc(*arr, nc * elem);
    if (!p) {
        b->rc = GR_ENOMEM;
        return false;
    }
    *arr = p;
    *cap = nc;
    return true;
}

static int add_ref(builder *b, ol_ref **arr, size_t *n, size_t *cap, int line, const char *url)
{
    if (!grow(b, (void **)arr, cap, *n, sizeof **arr))
        return -1;
    char *u = strdup(url ? url : "");
    if (!u) {
        b->rc = GR_ENOMEM;
        return -1;
    }
    (*arr)[*n].line = line;
    (*arr)[*n].url = u;
    (*n)++;
    return 0;
}

static int new_list(builder *b, int line, bool ordered, bool pseudo)
{
    outline *o = b->o;
    if (!grow(b, (void **)&o->lists, &b->lists_cap, o->nlists, sizeof *o->lists))
        return -1;
    ol_list *l = &o->lists[o->nlists];
    l->line = line;
    l->depth = b->nstack;
    l->ordered = ordered;
    l->pseudo = pseudo;
    l->nitems = 0;
    return (int)o->nlists++;
}

static void push_list(builder *b, int line, bool ordered)
{
    if (b->nstack >= MAX_LIST_DEPTH) {
        b->overflow++;
        return;
    }
    int id = new_list(b, line, ordered, false);
    if (id >= 0)
        b->list_stack[b->nstack++] = id;
}

static void pop_list(builder *b)
{
    if (b->overflow)
        b->overflow--;
    else if (b->nstack)
        b->nstack--;
}

static void start_item(builder *b)
{
    if (b->nstack && !b->overflow)
        b->o->lists[b->list_stack[b->nstack - 1]].nitems++;
    b->pending_item_start = true;
}

static bool has_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((unsigned)((c | 0x20) - 'a') < 26u || (unsigned)(c - '0') < 10u || c >= 0x80)
            return true;
    }
    return false;
}

static void append(builder *b, const char *s, size_t n)
{
    if (b->in_image)
        return;
    sb_add(&b->cur, s, n);
    if (has_text(s, n)) {
        if (b->strong)
            b->bold_seen = true;
        else
            b->plain_seen = true;
    }
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)s[0])) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    /* a trailing no-break space is space too */
    while (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0)
        n -= 2;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* "www." starts a host name only when another dot follows inside the word:
 * "www.example.com" is a link, PHP-FPM's pool file "www.conf" is not. */
static bool www_host(const char *p, size_t n)
{
    for (size_t i = 4; i + 1 < n; i++)
        if (p[i] == '.' && isalnum((unsigned char)p[i + 1]))
            return true;
    return false;
}

/* A URL is one word of the line, not prose: "https://medium.com/outage-report"
 * must not read as "outage". Rewritten in place as "[link]". */
static void mask_urls(char *t)
{
    /* most lines have no URL at all; then nothing changes, and before the
     * first 'h' or 'w' nothing does either */
    char *w = strpbrk(t, "hw");
    if (!w || (!strstr(w, "http") && !strstr(w, "www.")))
        return;
    for (char *p = w; *p;) {
        size_t n = 0;
        bool start = (*p == 'h' || *p == 'w') &&
                     (p == t || is_space((unsigned char)p[-1]) || p[-1] == '(' || p[-1] == '<');
        if (start &&
            (!strncmp(p, "http://", 7) || !strncmp(p, "https://", 8) || !strncmp(p, "www.", 4)))
            while (p[n] && !is_space((unsigned char)p[n]) && p[n] != ')' && p[n] != '>')
                n++;
        if (n && *p == 'w' && !www_host(p, n))
            n = 0;
        if (n >= 6) {
            memcpy(w, "[link]", 6);
            w += 6;
            p += n;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
}

/* "#Heading" or "##Timeline:" with no space: not a heading in Markdown, but
 * one to a reader. Strips the marks and returns how many there were. */
static int hash_heading(char *t)
{
    int n = 0;
    while (t[n] == '#')
        n++;
    if (n < 1 || n > 6 || !isalpha((unsigned char)t[n]))
        return 0;
    memmove(t, t + n, strlen(t + n) + 1);
    return n;
}

/* End the current line: store it unless it is empty. */
static void flush(builder *b)
{
    if (b->rc)
        return;
    if (sb_failed(&b->cur)) {
        b->rc = GR_ENOMEM;
        return;
    }
    char *text = trim_dup(sb_str(&b->cur), b->cur.len);
    if (!text) {
        b->rc = GR_ENOMEM;
        return;
    }
    mask_urls(text);
    int hashes = b->cur_kind == OL_TEXT ? hash_heading(text) : 0;
    bool keep = text[0] || b->cur_image;
    if (keep) {
        outline *o = b->o;
        if (!grow(b, (void **)&o->lines, &b->lines_cap, o->nlines, sizeof *o->lines)) {
            free(text);
            return;
        }
        ol_line *l = &o->lines[o->nlines++];
        memset(l, 0, sizeof *l);
        l->kind = b->cur_kind;
        if (l->kind == OL_TEXT && ((b->bold_seen && !b->plain_seen) || hashes))
            l->kind = OL_BOLD;
        l->level = b->cur_kind == OL_HEADING ? b->cur_level : 0;
        l->line = b->cur_line;
        l->text = text;
        l->words = count_words(text);
        size_t tl = strlen(text);
        l->colon = tl && (text[tl - 1] == ':' || text[tl - 1] == ';');
        l->image = b->cur_image;
        l->list = (b->nstack && !b->overflow) ? b->list_stack[b->nstack - 1] : -1;
        l->item = l->list >= 0 ? (int)o->lists[l->list].nitems - 1 : 0;
        l->item_start = l->list >= 0 && b->pending_item_start;
        l->para_start = b->pending_para_start;
        o->words += l->words;
        b->pending_item_start = false;
        b->pending_para_start = false;
    } else {
        free(text);
    }
    sb_reset(&b->cur);
    b->plain_seen = b->bold_seen = b->cur_image = false;
}

/* A line of dashes or equals signs under a paragraph makes all of it a
 * heading ("Setext"); a writer who put it under a name right after the
 * text above meant only the last line: the lines before it are text. */
static void setext_lines(builder *b)
{
    outline *o = b->o;
    if (b->rc || o->nlines < b->heading_from + 2)
        return;
    for (size_t k = b->heading_from; k + 1 < o->nlines; k++) {
        o->lines[k].kind = OL_TEXT;
        o->lines[k].level = 0;
    }
    o->lines[o->nlines - 1].para_start = true;
}

static void begin_block(builder *b, ol_kind kind, int level, int line)
{
    flush(b);
    b->cur_kind = kind;
    b->cur_level = level;
    b->cur_line = line;
    b->pending_para_start = true;
}

/* ---- raw HTML ------------------------------------------------------ */

static const char *const html_breaks[] = {"p",          "div",    "br",      "hr",     "tr",
                                          "table",      "center", "section", "header", "footer",
                                          "blockquote", "pre",    "td",      "th",     NULL};

static bool in_list(const char *name, const char *const *names)
{
    for (; *names; names++)
        if (!strcmp(name, *names))
            return true;
    return false;
}

/* Value of attribute attr in the tag text [s, e), into out (size n). */
static bool html_attr(const char *s, const char *e, const char *attr, char *out, size_t n)
{
    size_t al = strlen(attr);
    for (const char *p = s; p + al < e; p++) {
        if (strncasecmp(p, attr, al) != 0 || (p > s && isalnum((unsigned char)p[-1])))
            continue;
        const char *q = p + al;
        while (q < e && isspace((unsigned char)*q))
            q++;
        if (q >= e || *q != '=')
            continue;
        q++;
        while (q < e && isspace((unsigned char)*q))
            q++;
        char quote = (q < e && (*q == '"' || *q == '\'')) ? *q++ : 0;
        size_t i = 0;
        while (q < e && (quote ? *q != quote : !isspace((unsigned char)*q) && *q != '>')) {
            if (i + 1 < n)
                out[i++] = *q;
            q++;
        }
        out[i] = '\0';
        return true;
    }
    return false;
}

static void put_utf8(builder *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000 && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else if (cp >= 0x10000 && cp <= 0x10FFFF) {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    } else {
        return;
    }
    append(b, u, n);
}

/* Decode one entity at s (which starts with '&'); returns bytes used, 0 if
 * it is not one we know. */
static size_t html_entity(builder *b, const char *s, const char *e)
{
    static const struct {
        const char *name;
        const char *text;
    } named[] = {{"amp;", "&"},   {"lt;", "<"},   {"gt;", ">"},
                 {"quot;", "\""}, {"apos;", "'"}, {"nbsp;", " "}};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        size_t l = strlen(named[i].name);
        if ((size_t)(e - s) > l && !strncmp(s + 1, named[i].name, l)) {
            append(b, named[i].text, strlen(named[i].text));
            return l + 1;
        }
    }
    if (e - s > 3 && s[1] == '#') {
        const char *p = s + 2;
        int base = 10;
        if (*p == 'x' || *p == 'X') {
            base = 16;
            p++;
        }
        unsigned long cp = 0;
        const char *d = p;
        while (p < e && p - d < 7 && isxdigit((unsigned char)*p) &&
               (base == 16 || isdigit((unsigned char)*p))) {
            cp = cp * (unsigned long)base +
                 (unsigned long)(isdigit((unsigned char)*p)
                                     ? *p - '0'
                                     : (tolower((unsigned char)*p) - 'a' + 10));
            p++;
        }
        if (p > d && p < e && *p == ';') {
            put_utf8(b, cp);
            return (size_t)(p - s) + 1;
        }
    }
    return 0;
}

/* Read a raw HTML chunk as text lines starting at source line `line`. */
static void read_html(builder *b, const char *s, size_t n, int line)
{
    const char *p = s, *e = s + n;
    begin_block(b, OL_TEXT, 0, line);
    while (p < e && !b->rc) {
        if (*p == '\n') {
            flush(b);
            b->cur_line = ++line;
            p++;
            continue;
        }
        if (*p == '&') {
            size_t used = html_entity(b, p, e);
            if (used) {
                p += used;
                continue;
            }
        }
        if (*p != '<') {
            const char *q = p;
            while (q < e && *q != '<' && *q != '\n' && *q != '&')
                q++;
            if (q == p)
                q++;
            append(b, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (e - p >= 4 && !strncmp(p, "<!--", 4)) {
            const char *end = p + 4;
            while (end + 3 <= e && strncmp(end, "-->", 3) != 0) {
                if (*end == '\n')
                    line++;
                end++;
            }
            p = end + 3 <= e ? end + 3 : e;
            b->cur_line = line;
            continue;
        }
        const char *q = p + 1;
        bool closing = q < e && *q == '/';
        if (closing)
            q++;
        char name[16];
        size_t nl = 0;
        while (q < e && isalnum((unsigned char)*q) && nl + 1 < sizeof name)
            name[nl++] = (char)tolower((unsigned char)*q++);
        name[nl] = '\0';
        if (!nl) { /* a lone '<' is text */
            append(b, p, 1);
            p++;
            continue;
        }
        const char *tag_end = q;
        while (tag_end < e && *tag_end != '>')
            tag_end++;
        for (const char *c = p; c < tag_end; c++)
            if (*c == '\n')
                line++;
        const char *next = tag_end < e ? tag_end + 1 : e;
        if (nl == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
            if (closing) {
                flush(b);
                b->cur_kind = OL_TEXT;
            } else {
                begin_block(b, OL_HEADING, name[1] - '0', line);
            }
        } else if (!strcmp(name, "ul") || !strcmp(name, "ol")) {
            flush(b);
            if (closing)
                pop_list(b);
            else
                push_list(b, line, name[0] == 'o');
            b->cur_line = line;
        } else if (!strcmp(name, "li")) {
            flush(b);
            if (!closing)
                start_item(b);
            b->cur_line = line;
        } else if (!strcmp(name, "img") && !closing) {
            char src[2048] = "";
            html_attr(p, tag_end, "src", src, sizeof src);
            add_ref(b, &b->o->images, &b->o->nimages, &b->images_cap, line, src);
            b->cur_image = true;
        } else if (!strcmp(name, "a") && !closing) {
            char href[2048] = "";
            if (html_attr(p, tag_end, "href", href, sizeof href))
                add_ref(b, &b->o->links, &b->o->nlinks, &b->links_cap, line, href);
        } else if ((!strcmp(name, "script") || !strcmp(name, "style")) && !closing) {
            const char *end = next;
            while (end < e && !(*end == '<' && end + 1 < e && end[1] == '/'))
                end++;
            next = end;
        } else if (in_list(name, html_breaks)) {
            flush(b);
            b->cur_line = line;
            b->pending_para_start = true;
        }
        p = next;
    }
    flush(b);
}

/* ---- Markdown ------------------------------------------------------- */

/* Source line `ln` (1-based) of the current source, as [*s, *s + *n). */
static bool src_line(builder *b, int ln, const char **s, size_t *n)
{
    const char *p = b->src, *e = b->src + b->srclen;
    int i = 1;
    if (b->seek_line >= 1 && b->seek_line <= ln) {
        p = b->src + b->seek_off;
        i = b->seek_line;
    }
    for (; i < ln && p < e; i++) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl)
            return false;
        p = nl + 1;
    }
    if (p >= e && ln > 1)
        return false;
    b->seek_line = ln;
    b->seek_off = (size_t)(p - b->src);
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    *s = p;
    *n = (size_t)((nl ? nl : e) - p);
    return true;
}

/* Is source line ln a code fence (``` or ~~~, after the block quote
 * markers and the indent of the containers it stands in)? */
static bool fence_line(builder *b, int ln, bool only_fence)
{
    const char *s;
    size_t n;
    if (!src_line(b, ln, &s, &n))
        return false;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
        i++;
    if (i + 3 > n || (s[i] != '`' && s[i] != '~'))
        return false;
    char c = s[i];
    size_t k = i;
    while (k < n && s[k] == c)
        k++;
    if (k - i < 3)
        return false;
    if (!only_fence)
        return true;
    while (k < n && isspace((unsigned char)s[k]))
        k++;
    return k == n;
}

static void walk(builder *b, cmark_node *doc);

/* cmark_parse_document, its memory from this thread's parse arena: the
 * caller ends the arena (parse_arena_end) when done with the tree, and
 * does not free the tree. NULL when out of memory. */
static cmark_node *parse_md(const char *text, size_t len)
{
    cmark_parser *p = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, parse_arena_begin());
    if (!p) {
        parse_arena_end();
        return NULL;
    }
    cmark_parser_feed(p, text, len);
    cmark_node *doc = cmark_parser_finish(p);
    cmark_parser_free(p);
    if (!doc)
        parse_arena_end();
    return doc;
}

/* Read code-block text again as Markdown, first line at source line `line`. */
static void reread(builder *b, const char *text, int line)
{
    flush(b);
    cmark_node *doc = parse_md(text, strlen(text));
    if (!doc) {
        b->rc = GR_ENOMEM;
        return;
    }
    builder sub = *b;
    sub.src = text;
    sub.srclen = strlen(text);
    sub.seek_line = 0;
    sub.line_offset = line - 1;
    sub.depth = b->depth + 1;
    sb_init(&sub.cur);
    sub.nstack = 0;
    sub.overflow = 0;
    walk(&sub, doc);
    sb_free(&sub.cur);
    parse_arena_end();
    /* the sub-builder grew the shared arrays */
    b->lines_cap = sub.lines_cap;
    b->lists_cap = sub.lists_cap;
    b->images_cap = sub.images_cap;
    b->links_cap = sub.links_cap;
    b->rc = sub.rc;
    b->o->reread_code = true;
}

/* A line of a drawing made of text: a connector ("-->", "+---+", "|--"),
 * a box-drawing or arrow character, or a lone "|", "v" or "^" between
 * boxes. A pipe between words ("ps aux | grep") is not one. */
static bool drawing_line(const char *s, size_t n)
{
    static const char *const marks[] = {"-->", "<--", "==>", "<==", "+--", "--+", "|--", "--|"};
    size_t a = 0, e = n;
    while (a < e && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    if (e - a == 1 && strchr("|vV^", s[a]))
        return true;
    for (size_t i = a; i + 2 < e; i++) {
        const unsigned char *u = (const unsigned char *)s + i;
        /* U+2190-21FF arrows, U+2500-257F box drawing, U+25B2-25BC triangles */
        if (u[0] == 0xE2 && (u[1] == 0x86 || u[1] == 0x87 || u[1] == 0x94 || u[1] == 0x95 ||
                             (u[1] == 0x96 && u[2] >= 0xB2 && u[2] <= 0xBC)))
            return true;
        for (size_t k = 0; k < sizeof marks / sizeof *marks; k++)
            if (!strncmp(s + i, marks[k], 3))
                return true;
    }
    return false;
}

/* A code block drawn rather than written (two drawing lines or more) is a
 * diagram, which the bonus counts as an image. */
static void diagram(builder *b, const char *lit, int line)
{
    int drawn = 0;
    for (const char *p = lit; *p && drawn < 2;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        drawn += drawing_line(p, n);
        p += n + (nl ? 1 : 0);
    }
    if (drawn >= 2)
        add_ref(b, &b->o->images, &b->o->nimages, &b->images_cap, line, "(text diagram)");
}

static void code_block(builder *b, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    if (!lit)
        return;
    int sl = cmark_node_get_start_line(node);
    int el = cmark_node_get_end_line(node);
    bool fenced = fence_line(b, sl, false);
    bool closed = fenced && el > sl && fence_line(b, el, true);
    if ((!fenced || !closed) && b->depth < MAX_REREAD_DEPTH) {
        reread(b, lit, b->line_offset + (fenced ? sl + 1 : sl));
        return;
    }
    int line = b->line_offset + sl + (fenced ? 1 : 0);
    diagram(b, lit, line);
    const char *p = lit;
    while (*p && !b->rc) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        begin_block(b, OL_CODE, 0, line++);
        append(b, p, n);
        flush(b);
        p += n + (nl ? 1 : 0);
    }
}

static void inline_html(builder *b, const char *lit, int line)
{
    if (!lit)
        return;
    if (!strncasecmp(lit, "<br", 3)) {
        flush(b);
        b->cur_line++;
        return;
    }
    const char *e = lit + strlen(lit);
    char url[2048];
    if (!strncasecmp(lit, "<img", 4)) {
        url[0] = '\0';
        html_attr(lit, e, "src", url, sizeof url);
        add_ref(b, &b->o->images, &b->o->nimages, &b->images_cap, line, url);
        b->cur_image = true;
    } else if (!strncasecmp(lit, "<a", 2) && html_attr(lit, e, "href", url, sizeof url)) {
        add_ref(b, &b->o->links, &b->o->nlinks, &b->links_cap, line, url);
    }
}

static void walk(builder *b, cmark_node *doc)
{
    cmark_iter *it = cmark_iter_new(doc);
    if (!it) {
        b->rc = GR_ENOMEM;
        return;
    }
    cmark_event_type ev;
    while (!b->rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        bool enter = ev == CMARK_EVENT_ENTER;
        int line = b->line_offset + cmark_node_get_start_line(n);
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_PARAGRAPH:
            if (enter)
                begin_block(b, OL_TEXT, 0, line);
            else
                flush(b);
            break;
        case CMARK_NODE_HEADING:
            if (enter) {
                begin_block(b, OL_HEADING, cmark_node_get_heading_level(n), line);
                b->heading_from = b->o->nlines;
            } else {
                flush(b);
                b->cur_kind = OL_TEXT;
                setext_lines(b);
            }
            break;
        case CMARK_NODE_LIST:
            flush(b);
            if (enter)
                push_list(b, line, cmark_node_get_list_type(n) == CMARK_ORDERED_LIST);
            else
                pop_list(b);
            break;
        case CMARK_NODE_ITEM:
            flush(b);
            if (enter)
                start_item(b);
            break;
        case CMARK_NODE_CODE_BLOCK:
            code_block(b, n);
            break;
        case CMARK_NODE_HTML_BLOCK:
            read_html(b, cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "",
                      strlen(cmark_node_get_literal(n) ? cmark_node_get_literal(n) : ""), line);
            break;
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: {
            const char *lit = cmark_node_get_literal(n);
            if (lit)
                append(b, lit, strlen(lit));
            break;
        }
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            flush(b);
            b->cur_line++;
            break;
        case CMARK_NODE_STRONG:
        case CMARK_NODE_EMPH:
            b->strong += enter ? 1 : -1;
            break;
        case CMARK_NODE_IMAGE:
            if (enter) {
                add_ref(b, &b->o->images, &b->o->nimages, &b->images_cap, b->cur_line,
                        cmark_node_get_url(n));
                b->cur_image = true;
                b->in_image++;
            } else {
                b->in_image--;
            }
            break;
        case CMARK_NODE_LINK:
            if (enter)
                add_ref(b, &b->o->links, &b->o->nlinks, &b->links_cap, b->cur_line,
                        cmark_node_get_url(n));
            break;
        case CMARK_NODE_HTML_INLINE:
            inline_html(b, cmark_node_get_literal(n), b->cur_line);
            break;
        default:
            break;
        }
    }
    flush(b);
    cmark_iter_free(it);
}

/* ---- before and after parsing ---------------------------------------- */

static bool line_is(const char *s, size_t n, const char *prefix, bool whole)
{
    size_t pl = strlen(prefix);
    if (n < pl || strncmp(s, prefix, pl) != 0)
        return false;
    if (whole) {
        for (size_t i = pl; i < n; i++)
            if (!isspace((unsigned char)s[i]))
                return false;
        return true;
    }
    return n == pl || s[pl] == ' ' || s[pl] == '\r';
}

static void blank(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\r' && s[i] != '\n')
            s[i] = ' ';
}

/* Blank merge-conflict markers and YAML front matter in place, keeping line
 * numbers. */
static void preclean(char *t, size_t len, outline *o)
{
    bool conflict = false;
    for (char *p = t; p < t + len;) {
        char *nl = memchr(p, '\n', (size_t)(t + len - p));
        size_t n = (size_t)((nl ? nl : t + len) - p);
        /* a marker's first byte first: most lines are prose */
        if ((*p == '<' || *p == '>') &&
            (line_is(p, n, "<<<<<<<", false) || line_is(p, n, ">>>>>>>", false))) {
            conflict = true;
            break;
        }
        p = nl ? nl + 1 : t + len;
    }
    if (conflict) {
        for (char *p = t; p < t + len;) {
            char *nl = memchr(p, '\n', (size_t)(t + len - p));
            size_t n = (size_t)((nl ? nl : t + len) - p);
            if (line_is(p, n, "<<<<<<<", false) || line_is(p, n, ">>>>>>>", false) ||
                line_is(p, n, "=======", true))
                blank(p, n);
            p = nl ? nl + 1 : t + len;
        }
        o->had_conflict_markers = true;
    }
    /* front matter: "---" first, then key: value lines, then "---" or "..." */
    if (len >= 4 && !strncmp(t, "---", 3) && (t[3] == '\n' || t[3] == '\r')) {
        char *p = t + 4;
        for (int i = 0; i < 60 && p < t + len; i++) {
            char *nl = memchr(p, '\n', (size_t)(t + len - p));
            size_t n = (size_t)((nl ? nl : t + len) - p);
            if (line_is(p, n, "---", true) || line_is(p, n, "...", true)) {
                blank(t, (size_t)(p + n - t));
                o->had_front_matter = true;
                break;
            }
            const char *colon = memchr(p, ':', n);
            bool blank_line = true;
            for (size_t k = 0; k < n; k++)
                if (!isspace((unsigned char)p[k]))
                    blank_line = false;
            if (!colon && !blank_line && !(n && (p[0] == ' ' || p[0] == '-')))
                break;
            p = nl ? nl + 1 : t + len;
        }
    }
}

/* Bullet characters people type instead of Markdown list markers. */
static size_t bullet_prefix(const char *s)
{
    static const char *const bullets[] = {"\xe2\x80\xa2",     /* • */
                                          "\xe2\x97\x8f",     /* ● */
                                          "\xe2\x97\xa6",     /* ◦ */
                                          "\xe2\x96\xaa",     /* ▪ */
                                          "\xe2\x96\xa0",     /* ■ */
                                          "\xe2\x9e\xa2",     /* ➢ */
                                          "\xe2\x96\xba",     /* ► */
                                          "\xc2\xb7",         /* · */
                                          "\xe2\x80\xa3",     /* ‣ */
                                          "\xe2\x81\x83",     /* ⁃ */
                                          "\xe2\x97\x8b",     /* ○ */
                                          "\xe2\x96\xa1",     /* □ */
                                          "\xe2\x97\x86",     /* ◆ */
                                          "\xe2\x96\xb6",     /* ▶ */
                                          "\xe2\x9e\xa4",     /* ➤ */
                                          "\xe2\x9e\x94",     /* ➔ */
                                          "\xe2\x86\x92",     /* → */
                                          "\xe2\x9c\x93",     /* ✓ */
                                          "\xe2\x9c\x94",     /* ✔ */
                                          "\xe2\x9c\x85",     /* ✅ */
                                          "\xf0\x9f\x94\xb9", /* 🔹 */
                                          "\xf0\x9f\x94\xb8", /* 🔸 */
                                          "\xf0\x9f\x91\x89", /* 👉 */
                                          NULL};
    /* each begins with a lead byte of a multi-byte character: most lines
     * begin with ASCII */
    if ((unsigned char)*s < 0xC2)
        return 0;
    for (int i = 0; bullets[i]; i++) {
        size_t l = strlen(bullets[i]);
        if (!strncmp(s, bullets[i], l))
            return l;
    }
    return 0;
}

static void pseudo_lists(builder *b)
{
    outline *o = b->o;
    int cur = -1;
    for (size_t i = 0; i < o->nlines && !b->rc; i++) {
        ol_line *l = &o->lines[i];
        size_t bl =
            l->list < 0 && (l->kind == OL_TEXT || l->kind == OL_BOLD) ? bullet_prefix(l->text) : 0;
        if (!bl) {
            /* a wrapped line of the item before belongs to it, but not a
             * label that opens what follows ("Timeline:") */
            if (cur >= 0 && l->list < 0 && l->kind == OL_TEXT && !l->para_start && !l->colon) {
                l->list = cur;
                l->item = (int)o->lists[cur].nitems - 1;
                continue;
            }
            cur = -1;
            continue;
        }
        if (cur < 0) {
            b->nstack = 0;
            cur = new_list(b, l->line, false, true);
            if (cur < 0)
                return;
        }
        l = &o->lines[i]; /* new_list may not move lines, but be safe */
        memmove(l->text, l->text + bl, strlen(l->text + bl) + 1);
        char *t = l->text;
        size_t lead = 0;
        while (t[lead] == ' ' || t[lead] == '\t')
            lead++;
        memmove(t, t + lead, strlen(t + lead) + 1);
        o->words -= l->words;
        l->words = count_words(t);
        o->words += l->words;
        l->list = cur;
        l->item = (int)o->lists[cur].nitems++;
        l->item_start = true;
    }
}

/* A saved web page with the post rendered inside it (a GitHub page's
 * <article class="markdown-body">): [*from, *to) of the article's content. */
static bool find_article(const char *t, size_t len, size_t *from, size_t *to)
{
    const char *e = t + len;
    size_t lead = 0;
    while (lead < len && is_space((unsigned char)t[lead]))
        lead++;
    /* a saved page starts with its doctype or <html> */
    if (len < 64 || t[lead] != '<' ||
        (strncasecmp(t + lead, "<!doctype", 9) && strncasecmp(t + lead, "<html", 5)))
        return false;
    for (const char *p = t; (p = memchr(p, '<', (size_t)(e - p))); p++) {
        if ((size_t)(e - p) < 9 || strncasecmp(p, "<article", 8) != 0 ||
            (p[8] != ' ' && p[8] != '>' && p[8] != '\n' && p[8] != '\t'))
            continue;
        const char *tag_end = memchr(p, '>', (size_t)(e - p));
        if (!tag_end)
            return false;
        char cls[256] = "";
        if (!html_attr(p, tag_end, "class", cls, sizeof cls) || !strstr(cls, "markdown-body"))
            continue;
        const char *body = tag_end + 1;
        const char *close = find_nocase(body, (size_t)(e - body), "</article");
        *from = (size_t)(body - t);
        *to = close ? (size_t)(close - t) : len;
        return true;
    }
    return false;
}

int outline_parse(const char *text, size_t len, outline **out, gr_error *err)
{
    *out = NULL;
    outline *o = calloc(1, sizeof *o);
    char *copy = malloc(len + 1);
    if (!o || !copy) {
        free(o);
        free(copy);
        return gr_error_nomem(err);
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    size_t art_from, art_to;
    bool page = find_article(copy, len, &art_from, &art_to);
    if (!page)
        preclean(copy, len, o);
    cmark_node *doc = page ? NULL : parse_md(copy, len);
    if (!page && !doc) {
        free(copy);
        free(o);
        return gr_error_nomem(err);
    }
    builder b;
    memset(&b, 0, sizeof b);
    b.o = o;
    b.src = copy;
    b.srclen = len;
    b.cur_kind = OL_TEXT;
    sb_init(&b.cur);
    if (page) {
        /* the page is HTML: read the article as HTML, lines as in the file */
        int line = 1;
        for (size_t i = 0; i < art_from; i++)
            line += copy[i] == '\n';
        read_html(&b, copy + art_from, art_to - art_from, line);
        o->web_page = true;
    } else {
        walk(&b, doc);
    }
    if (!b.rc)
        pseudo_lists(&b);
    sb_free(&b.cur);
    if (doc)
        parse_arena_end();
    free(copy);
    if (b.rc) {
        outline_free(o);
        return gr_error_nomem(err);
    }
    *out = o;
    return 0;
}

static void free_refs(ol_ref *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(r[i].url);
    free(r);
}

static void keep_refs_before(ol_ref *r, size_t *n, int line)
{
    size_t w = 0;
    for (size_t i = 0; i < *n; i++) {
        if (r[i].line < line)
            r[w++] = r[i];
        else
            free(r[i].url);
    }
    *n = w;
}

size_t outline_words(const outline *o, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += o->lines[i].words;
    return n;
}

void outline_truncate(outline *o, size_t n)
{
    if (n >= o->nlines)
        return;
    int cut = o->lines[n].line;
    for (size_t i = n; i < o->nlines; i++) {
        o->words -= o->lines[i].words;
        free(o->lines[i].text);
    }
    o->nlines = n;
    keep_refs_before(o->images, &o->nimages, cut);
    keep_refs_before(o->links, &o->nlinks, cut);
}

void outline_free(outline *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->nlines; i++)
        free(o->lines[i].text);
    free(o->lines);
    free(o->lists);
    free_refs(o->images, o->nimages);
    free_refs(o->links, o->nlinks);
    free(o);
}
