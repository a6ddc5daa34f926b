/* pattern.h - the rubric's regular expressions: POSIX extended syntax (with
 * GNU's \< and \> word boundaries), run by PCRE2's JIT. glibc's regexec was
 * 60% of scoring time; the same patterns under PCRE2 cost a fraction. */
#ifndef GRADER_PATTERN_H
#define GRADER_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

struct prefilter;

typedef struct pattern {
    void *code; /* pcre2_code *, NULL when not compiled; anchored with a filter */
    bool jit;   /* code compiled to machine code */
    /* where a match can start (prefilter.h), code being tried there; NULL
     * when every position is tried */
    struct prefilter *filter;
} pattern;

/* Compile ere; on failure fill msg (size n) and return -1. Patterns are
 * matched on bytes; \< and \> and \w are ASCII word boundaries. */
int pattern_compile(pattern *p, const char *ere, bool icase, char *msg, size_t n);
/* The same, with no prefilter (every position is tried): what the
 * prefilter's answers are checked against. */
int pattern_compile_plain(pattern *p, const char *ere, bool icase, char *msg, size_t n);
void pattern_free(pattern *p);

/* Many patterns compiled at once, each as pattern_compile would: rc 0, or
 * -1 and msg. Compiling is most of loading a rubric (PCRE2's JIT above
 * all), and the patterns do not depend on each other, so they are spread
 * over up to `threads` threads (all joined before this returns). */
typedef struct pattern_job {
    pattern *out;
    const char *ere;
    bool icase;
    int rc;
    char msg[256];
} pattern_job;
void pattern_compile_many(pattern_job *jobs, size_t n, int threads);

/* First match in s[0..len) at or after `from`; *so and *eo (may be NULL)
 * get its byte range. Safe to call from several threads. */
bool pattern_find(const pattern *p, const char *s, size_t len, size_t from, size_t *so, size_t *eo);

/* Free this thread's match block (a thread that matched calls it before it
 * ends; the next match makes another). */
void pattern_thread_end(void);

#endif
