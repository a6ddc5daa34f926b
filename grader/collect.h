/* collect.h - peer reviews (filled reviews.csv) into the gradebook. */
#ifndef GRADER_COLLECT_H
#define GRADER_COLLECT_H

#include <stddef.h>

#include "error.h"
#include "rubric.h"

typedef struct collect_opts {
    double w_auto, w_peer; /* weights of the rubric percent and the peers' percent */
    double penalty;        /* percentage points off a reviewer's final grade per missing review */
    const rubric *rb;      /* criterion columns and their points; NULL: total score only */
} collect_opts;

typedef struct collect_stats {
    size_t assigned, reviewed, missing; /* reviews */
    size_t students, flagged;           /* gradebook rows; reviewers flagged */
} collect_stats;

/* Validate every review against assignments.csv and the rubric, then
 * rewrite the gradebook with the peer columns (replacing them when present):
 * peer_reviews, peer_median, peer_percent, reviews_missing,
 * reviewer_deviation, reviewer_flag, final. Errors are "reviews.csv:LINE:
 * ..." and leave the gradebook untouched. */
int collect_run(const char *reviews, const char *assignments, const char *gradebook,
                const collect_opts *o, collect_stats *st, gr_error *err);

#endif
