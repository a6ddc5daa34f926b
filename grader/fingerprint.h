/* fingerprint.h - the per-post stage of the similarity pass: one post read
 * and normalised into its winnowed fingerprints, and what can be decided
 * from the post alone (and the known sources): link-only, task-text and
 * the shares of known text behind them.
 *
 * A post is normalised to a stream of words (case folded; punctuation,
 * Markdown syntax, link URLs, HTML tags, numbers, times and a few function
 * words dropped); word k-grams are hashed and winnowed (Schleimer,
 * Wilkerson, Aiken 2003) into fingerprints, each with its word position
 * and the source lines of its first and last word. Nothing here looks at
 * another post, so a post can be fingerprinted on any machine (a shard,
 * shard.h) and joined with the others elsewhere (similar.h): a fingerprint
 * made from the same bytes, known sources and options is the same
 * everywhere (fingerprint_base_id tells two machines agree).
 *
 * Known sources (the assignment's format description, a sample post) are
 * fingerprinted once into a base. A post mostly made of known text, or
 * whose word pairs come densely from the format description (the
 * assignment pasted, when the shipped description is worded differently),
 * is task-text. Both are per-post decisions: the cohort-wide join only
 * adds the task-text posts' fingerprints to the base it subtracts.
 *
 * Linear in the input. */
#ifndef GRADER_FINGERPRINT_H
#define GRADER_FINGERPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* One text: a post or a known source. Borrowed; need not be NUL-terminated. */
typedef struct similar_doc {
    const char *id; /* shown in reports: roster id or file name */
    const char *text;
    size_t len;
    bool format; /* known source describing the assignment (its wording
                    makes a post task-text); set by similar_known_load for
                    files named format*, task* or assignment* */
} similar_doc;

typedef struct similar_opts {
    double threshold;    /* share of a post found in another to join them (0.4) */
    size_t min_shared;   /* and at least this many shared fingerprints (10) */
    unsigned k;          /* words per k-gram (5) */
    unsigned window;     /* winnowing window, in k-grams (4) */
    double task_share;   /* known-text share that makes a post task-text (0.5) */
    double format_share; /* or share of its word pairs found in the format (0.15) */
    size_t link_words;   /* a post with links and fewer words is link-only (80) */
} similar_opts;

void similar_opts_default(similar_opts *o);

/* The links of a post, for link-only detection. */
typedef struct similar_links {
    char **v; /* URLs, in order of first appearance, without duplicates */
    size_t n;
    size_t words; /* words outside the links */
} similar_links;

#define SIMILAR_MAX_LINKS 16

/* Is the post only links (one or more, and fewer than opts->link_words
 * words besides them)? Fills *links when links is not NULL (free with
 * similar_links_free, even on false). Usable alone on one post. Returns 1
 * for link-only, 0 if not, or GR_ENOMEM. opts may be NULL (defaults). */
int similar_link_only(const char *text, size_t len, const similar_opts *opts, similar_links *links);
void similar_links_free(similar_links *links);

/* One winnowed fingerprint: the hash of the k words from word pos on. */
typedef struct fingerprint_mark {
    uint64_t h;
    uint32_t pos;            /* its first word, counted in normalised words */
    uint32_t line, line_end; /* the source lines of its first and last word (1-based) */
} fingerprint_mark;

/* A post's per-post findings: what the join needs, and what does not
 * depend on the other posts. */
typedef struct fingerprint {
    fingerprint_mark *v; /* winnowed, in position order */
    size_t n;
    double known_share;  /* share of its fingerprints found in the known sources */
    double format_share; /* share of its word pairs the format descriptions use */
    bool task_text, link_only;
    similar_links links;
} fingerprint;

/* The known sources fingerprinted, and the options of the per-post stage. */
typedef struct fingerprint_base fingerprint_base;

/* opts NULL: defaults. Copies what it needs: known and opts are borrowed
 * for the call only. */
int fingerprint_base_new(const similar_doc *known, size_t nknown, const similar_opts *opts,
                         fingerprint_base **out, gr_error *err);
void fingerprint_base_free(fingerprint_base *b);
/* The distinct fingerprints of the known sources, sorted. */
const uint64_t *fingerprint_base_known(const fingerprint_base *b, size_t *n);
/* FNV-1a 64 of the known fingerprints, the format word pairs and the
 * per-post options: equal on two machines exactly when they fingerprint
 * every post alike. */
uint64_t fingerprint_base_id(const fingerprint_base *b);

/* Fingerprint one post (bytes need not be NUL-terminated). Returns 0 or
 * GR_ENOMEM; *out is filled either way (free with fingerprint_free). */
int fingerprint_post(const fingerprint_base *b, const char *text, size_t len, fingerprint *out);
void fingerprint_free(fingerprint *f);

/* Sets of fingerprints are sorted arrays of distinct hashes: v sorted and
 * its duplicates dropped (the new count returned), and a lookup. */
size_t fingerprint_set_sort(uint64_t *v, size_t n);
bool fingerprint_set_has(const uint64_t *set, size_t n, uint64_t h);

#endif
