#include "pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "util.h"

/* The JIT's vectorised search reads whole aligned 16-byte chunks, a few
 * bytes past the end of a subject but never across a page: safe, yet
 * valgrind reports every such read. Under valgrind the interpreter runs
 * instead (same answers), so the test suite's valgrind run stays exact. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

/* POSIX ERE to PCRE2. The two differ in what this project's rubrics use in
 * three places: GNU's \< and \> (PCRE2 has none), a backslash inside a
 * bracket expression (literal in POSIX, an escape in PCRE2), and
 * alternation (POSIX takes the longest match, PCRE2 the first that
 * succeeds; a rubric that counts matches should order alternatives longest
 * first, as ours does). */
static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* End of the ERE element at p ('(' group, '[' bracket, or one character),
 * or NULL when it is something else. */
static const char *element_end(const char *p)
{
    if (*p == '[') {
        const char *q = p + 1;
        if (*q == '^')
            q++;
        if (*q == ']')
            q++;
        while (*q && *q != ']')
            q++;
        return *q ? q + 1 : NULL;
    }
    if (*p == '(') {
        int depth = 0;
        for (const char *q = p; *q; q++) {
            if (*q == '\\' && q[1])
                q++;
            else if (*q == '(')
                depth++;
            else if (*q == ')' && --depth == 0)
                return q + 1;
        }
        return NULL;
    }
    return *p ? p + 1 : NULL;
}

/* Must a match of the ERE at p begin with a word character? Then \< needs
 * no lookahead, and PCRE2 can still skip ahead by the first character. */
static bool starts_with_word(const char *p, int depth)
{
    const char *end = element_end(p);
    if (!end || depth > 8 || *end == '?' || *end == '*' || !strncmp(end, "{0", 2))
        return false;
    if (word_char(*p))
        return true;
    if (*p == '[') {
        if (p[1] == '^')
            return false;
        for (const char *q = p + 1; q < end - 1; q++)
            if (!word_char(*q) && *q != '-')
                return false;
        return end - p > 2;
    }
    if (*p == '(') {
        /* every alternative of the group */
        const char *alt = p + 1;
        int level = 0;
        if (!starts_with_word(alt, depth + 1))
            return false;
        for (const char *q = p + 1; q < end - 1; q++) {
            if (*q == '\\' && q[1])
                q++;
            else if (*q == '(')
                level++;
            else if (*q == ')')
                level--;
            else if (*q == '|' && level == 0 && !starts_with_word(q + 1, depth + 1))
                return false;
        }
        return true;
    }
    return false;
}

static char *translate(const char *ere)
{
    strbuf sb;
    sb_init(&sb);
    for (const char *p = ere; *p; p++) {
        if (p[0] == '\\' && p[1] == '<') {
            sb_puts(&sb, starts_with_word(p + 2, 0) ? "\\b" : "\\b(?=\\w)");
            p++;
        } else if (p[0] == '\\' && p[1] == '>') {
            sb_puts(&sb, "\\b(?<=\\w)");
            p++;
        } else if (p[0] == '\\' && p[1]) {
            sb_add(&sb, p, 2);
            p++;
        } else if (*p == '[') {
            sb_putc(&sb, *p++);
            if (*p == '^')
                sb_putc(&sb, *p++);
            if (*p == ']')
                sb_putc(&sb, *p++);
            for (; *p && *p != ']'; p++) {
                if (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
                    const char *end = strstr(p + 2, (char[]){p[1], ']', 0});
                    if (end) {
                        sb_add(&sb, p, (size_t)(end + 2 - p));
                        p = end + 1;
                        continue;
                    }
                }
                if (*p == '\\')
                    sb_putc(&sb, '\\');
                sb_putc(&sb, *p);
            }
            if (!*p)
                break; /* unterminated: PCRE2 reports it */
            sb_putc(&sb, ']');
        } else {
            sb_putc(&sb, *p);
        }
    }
    return sb_detach(&sb);
}

/* The rubric's word lists start with most letters of the alphabet, so
 * PCRE2 starts a match attempt at nearly every letter of a text; the
 * prefilter knows the few bytes a match can begin with, and the pattern is
 * compiled anchored and tried only there. Without a filter every position
 * is tried. */
static int compile(pattern *p, const char *ere, bool icase, bool filter, char *msg, size_t n)
{
    *p = (pattern){0};
    char *pcre = translate(ere);
    if (!pcre) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    /* a pattern anchored at the start ("^(to|for) fix") is tried there
     * alone by PCRE2: the filter would only add candidates */
    p->filter = filter && ere[0] != '^' ? prefilter_new(ere) : NULL;
    int errcode;
    PCRE2_SIZE erroff;
    uint32_t opts = (icase ? PCRE2_CASELESS : 0) | (p->filter ? PCRE2_ANCHORED : 0);
    pcre2_code *code =
        pcre2_compile((PCRE2_SPTR)pcre, PCRE2_ZERO_TERMINATED, opts, &errcode, &erroff, NULL);
    free(pcre);
    if (!code) {
        prefilter_free(p->filter);
        p->filter = NULL;
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(errcode, buf, sizeof buf);
        snprintf(msg, n, "%s", (const char *)buf);
        return -1;
    }
    /* without JIT (an unusual CPU) the interpreter still gives the answer */
    p->jit = !UNDER_VALGRIND() && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
    p->code = code;
    return 0;
}

int pattern_compile(pattern *p, const char *ere, bool icase, char *msg, size_t n)
{
    return compile(p, ere, icase, true, msg, n);
}

int pattern_compile_plain(pattern *p, const char *ere, bool icase, char *msg, size_t n)
{
    return compile(p, ere, icase, false, msg, n);
}

void pattern_free(pattern *p)
{
    if (p && p->code) {
        pcre2_code_free(p->code);
        prefilter_free(p->filter);
        *p = (pattern){0};
    }
}

typedef struct batch {
    pattern_job *jobs;
    size_t n;
    atomic_size_t next; /* the next job to take */
} batch;

static void *compile_some(void *arg)
{
    batch *b = arg;
    for (size_t i; (i = atomic_fetch_add(&b->next, 1)) < b->n;) {
        pattern_job *j = &b->jobs[i];
        j->rc = pattern_compile(j->out, j->ere, j->icase, j->msg, sizeof j->msg);
    }
    return NULL;
}

void pattern_compile_many(pattern_job *jobs, size_t n, int threads)
{
    enum { MAX_THREADS = 8, JOBS_PER_THREAD = 8 }; /* fewer jobs: not worth a thread */
    batch b = {.jobs = jobs, .n = n};
    atomic_init(&b.next, 0);
    pthread_t tid[MAX_THREADS];
    int started = 0;
    for (int t = 1; t < threads && t < MAX_THREADS && (size_t)t * JOBS_PER_THREAD < n; t++) {
        if (pthread_create(&tid[started], NULL, compile_some, &b) != 0)
            break; /* this thread and the others take its share */
        started++;
    }
    compile_some(&b);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
}

/* One match block per thread, made on first use: a match needs scratch
 * space, and one malloc per search would cost more than the search. */
static _Thread_local pcre2_match_data *scratch;

void pattern_thread_end(void)
{
    pcre2_match_data_free(scratch);
    scratch = NULL;
}

static int run(const pattern *p, const char *s, size_t len, size_t from)
{
    return p->jit ? pcre2_jit_match(p->code, (PCRE2_SPTR)s, len, from, 0, scratch, NULL)
                  : pcre2_match(p->code, (PCRE2_SPTR)s, len, from, 0, scratch, NULL);
}

bool pattern_find(const pattern *p, const char *s, size_t len, size_t from, size_t *so, size_t *eo)
{
    if (!p->code || from > len)
        return false;
    if (!scratch && !(scratch = pcre2_match_data_create(1, NULL)))
        return false;
    int rc = PCRE2_ERROR_NOMATCH;
    /* at the end only an empty match is left, and only there (one that
     * ^ allows at offset 0 of an empty subject) */
    if (!p->filter || from == len) {
        rc = run(p, s, len, from);
    } else {
        /* the first candidate that matches anchored is the first match */
        for (size_t at = from; rc == PCRE2_ERROR_NOMATCH; at++) {
            if ((at = prefilter_next(p->filter, s, len, at)) >= len)
                break;
            rc = run(p, s, len, at);
        }
    }
    if (rc < 0)
        return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(scratch);
    if (so)
        *so = ov[0];
    if (eo)
        *eo = ov[1];
    return true;
}
