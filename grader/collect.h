/* collect.h - peer reviews (filled reviews.csv) into the gradebook. */
#ifndef GRADER_COLLECT_H
#define GRADER_COLLECT_H

#include <stdbool.h>
#include <stddef.h>

#include "csvtab.h"
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
/* assignments.csv as grader assign writes it (reviewer, author required):
 * read by collect, assign --keep and serve --init through this schema. */
enum { ASSIGN_REVIEWER, ASSIGN_AUTHOR };
extern const csv_schema collect_assignments_schema;

int collect_run(const char *reviews, const char *assignments, const char *gradebook,
                const collect_opts *o, collect_stats *st, gr_error *err);

/* One review, validated exactly as collect_run validates a line of
 * reviews.csv (one validator for the CSV and for grader serve's forms):
 * crit[c] is the cell of rb's criterion c (NULL: no such column), score_cell
 * the total (NULL: no column), maxpts the rubric's points with the bonus.
 * Criterion cells all filled or all empty, each within its points; the
 * total within maxpts and equal to their sum when both are given. *done is
 * false for a row with nothing filled (a review not done); *score is the
 * total. Errors are "file:line: ..." (GR_EINPUT). */
int collect_check_review(const rubric *rb, double maxpts, const char *const *crit,
                         const char *score_cell, const char *file, int line, bool *done,
                         double *score, gr_error *err);

#endif
