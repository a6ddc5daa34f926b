/* assign.h - peer-review assignment under constraints, reproducible by seed.
 *
 * Works on plain arrays so it can be tested and benchmarked without files:
 * student i is an index into the caller's roster. */
#ifndef GRADER_ASSIGN_H
#define GRADER_ASSIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct assign_student {
    bool author;   /* has a gradable submission: is reviewed */
    bool reviewer; /* may review */
    int group;     /* >= 0, or -1 for none */
} assign_student;

typedef struct assign_pair {
    int reviewer, author; /* student indices */
    bool kept;            /* came from opts.keep */
} assign_pair;

typedef struct assign_opts {
    int k;         /* reviewers per author */
    uint64_t seed; /* same seed + same input = same output, on any machine */
    bool avoid_group;
    const assign_pair *keep; /* pairs of an earlier run to keep (may be NULL) */
    size_t nkeep;
    /* Optional, only for error messages (NULL: "student #i", "group #g"). */
    const char *const *ids;
    const char *const *group_names;
} assign_opts;

typedef struct assign_result {
    assign_pair *pairs; /* sorted by reviewer, then author */
    size_t npairs;
    size_t nauthors, nreviewers;
    int load_min, load_max; /* reviews per reviewer */
    /* Loads differ by more than one only when constraints forced it. */
    bool balanced;
    size_t reciprocal;      /* pairs a->b with b->a also present (each counted once) */
    bool reciprocal_forced; /* too few reviewers (<= 2k) to avoid them */
    size_t group_conflicts; /* with avoid_group: same-group pairs left (0 when feasible) */
    size_t keep_dropped;    /* kept pairs no longer valid (student gone, not eligible, ...) */
    size_t kept;            /* kept pairs used */
} assign_result;

/* Assign k reviewers to every author. Impossible constraints (k >= the
 * reviewers available to an author; with avoid_group, a group holding so many
 * reviewers that its authors cannot find k outside it) are GR_EINPUT with a
 * message naming the constraint. */
int assign_run(const assign_student *s, size_t n, const assign_opts *o, assign_result *out,
               gr_error *err);
void assign_result_free(assign_result *r);

/* The PRNG (xoshiro256** seeded by splitmix64), exposed for tests and
 * generators that must be reproducible on any machine. */
typedef struct assign_rng {
    uint64_t s[4];
} assign_rng;
void assign_rng_seed(assign_rng *r, uint64_t seed);
uint64_t assign_rng_next(assign_rng *r);
/* Uniform in [0, n), n > 0. */
uint64_t assign_rng_below(assign_rng *r, uint64_t n);

#endif
