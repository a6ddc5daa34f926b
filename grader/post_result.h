/* post_result.h - the per-post stage of grader grade: one post scored
 * (score.h) and fingerprinted (fingerprint.h), neither depending on any
 * other post; and those results as shard.dat records, so a shard computes
 * them and the merge joins them without reading or scoring a post again.
 *
 * What the cohort decides (copy groups, the base of task-text posts, and
 * from them the link-only status and flags of a row) is left to the
 * cohort-wide stage (cmd_grade.c, similar_join), run on these results
 * alike after a single run and after a merge. */
#ifndef GRADER_POST_RESULT_H
#define GRADER_POST_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "fingerprint.h"
#include "record.h"
#include "rubric.h"
#include "score.h"
#include "util.h"

typedef struct post_result {
    score_result *res; /* NULL: not scored (over the size cap: too_large) */
    char *too_large;   /* score's message when the post was over the cap */
    bool printed;      /* print is made (the similarity pass runs) */
    fingerprint print;
} post_result;

/* Score the post with rb (file names it in diagnostics) and, when base is
 * not NULL, fingerprint it. A post over the cap is a result (too_large),
 * not an error: only GR_ENOMEM is returned. */
int post_result_make(const rubric *rb, const fingerprint_base *base, const char *file,
                     const char *text, size_t len, post_result *out, gr_error *err);
void post_result_free(post_result *p);

/* The records of p, appended to sb (docs/shards.md: score or toolarge,
 * then prints or noprints). */
void post_result_write(strbuf *sb, const post_result *p);
/* Read them back: criteria are rb's (the rubric graded with: its hash is
 * checked before), prints required exactly when printed. GR_EINPUT naming
 * the file and record when they are not whole, GR_ENOMEM. */
int post_result_read(record_reader *r, const rubric *rb, bool printed, post_result *out,
                     gr_error *err);

#endif
