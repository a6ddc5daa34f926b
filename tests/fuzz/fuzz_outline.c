/* libFuzzer target: the outline of a post (cmark's AST re-read as a
 * reader sees it: headings, bold lines, lists, code re-read as text).
 * outline_parse takes valid UTF-8 without NUL (score.c cleans the post
 * first), so bytes that are not are replaced here the same way. */
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "outline.h"
#include "util.h"

/* Invalid UTF-8 and NUL bytes become '?', as score.c makes them U+FFFD. */
static char *clean(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    size_t i = 0, bad;
    while (i < size) {
        const char *nul = memchr(s + i, '\0', size - i);
        size_t chunk = nul ? (size_t)(nul - (s + i)) : size - i;
        if (utf8_valid(s + i, chunk, &bad))
            bad = chunk;
        i += bad;
        if (i < size)
            s[i++] = '?';
    }
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > GR_MAX_INPUT)
        return 0;
    char *text = clean(data, size);
    outline *o = NULL;
    gr_error err = {0};
    if (outline_parse(text, size, &o, &err) == 0) {
        for (size_t i = 0; i < o->nlines; i++) {
            const ol_line *l = &o->lines[i];
            if (!l->text || l->line < 1 || (l->kind == OL_HEADING) != (l->level > 0) ||
                l->level > 6 || l->list >= (int)o->nlists || l->list < -1)
                abort();
            if (count_words(l->text) != l->words)
                abort();
        }
        for (size_t i = 0; i < o->nimages; i++)
            if (!o->images[i].url || o->images[i].line < 1)
                abort();
        for (size_t i = 0; i < o->nlinks; i++)
            if (!o->links[i].url || o->links[i].line < 1)
                abort();
        outline_free(o);
    } else if (o || err.code >= 0) {
        abort();
    }
    free(text);
    return 0;
}
