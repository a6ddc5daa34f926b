/* score.h - evaluate a rubric on a post. One engine for `grader check`
 * (a student) and `grader grade` (a cohort): same bytes, same score. */
#ifndef GRADER_SCORE_H
#define GRADER_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "rubric.h"

typedef struct crit_result {
    const criterion *c;
    bool met;
    int points;    /* awarded: c->points or 0 */
    int line, col; /* where the diagnostic points; 0 when nowhere */
    char *message; /* what was found or missed, e.g. "no escalation found in Timeline" */
} crit_result;

typedef struct score_result {
    char *file;         /* name used in diagnostics */
    crit_result *items; /* in rubric order */
    size_t n;
    int points;       /* awarded, bonus included */
    int max_points;   /* rubric->max_points */
    int bonus_points; /* awarded bonus points (part of points) */
    double percent;   /* 100 * points / max_points (may pass 100 with bonus) */
    bool passed;      /* percent >= rubric->pass */
    size_t words;     /* rendered words of the whole post */
    char **notes;     /* about the input itself: bad UTF-8 replaced, NUL bytes, ... */
    size_t nnotes;
} score_result;

/* Score the bytes of one post. file is only used in diagnostics. Bad bytes
 * (invalid UTF-8, NUL) are not errors: they are replaced and noted. Fails
 * only on a post over GR_MAX_INPUT (GR_ELIMIT) or out of memory. */
int score_post(const rubric *r, const char *file, const char *data, size_t len, score_result **out,
               gr_error *err);
void score_result_free(score_result *res);

#endif
