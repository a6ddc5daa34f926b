/* similar.h - submission integrity: copied posts, pasted assignment text,
 * link-only submissions.
 *
 * Copies are found as MOSS does: each post is normalised to a stream of
 * words (case folded; punctuation, Markdown syntax, link URLs, HTML tags,
 * numbers, times and a few function words dropped), word k-grams are hashed
 * and winnowed into fingerprints, and an inverted index of fingerprints
 * finds, for each post, the posts it shares most with. Each candidate pair
 * is then measured exactly; pairs over the threshold are joined by
 * union-find into groups (A, B and C sharing one text form one group).
 *
 * Known sources (the assignment's format description, a sample post) are
 * fingerprinted too: text shared with them never counts between students
 * (like MOSS's base file). A post mostly made of known text, or whose word
 * pairs come densely from the format description (the assignment pasted,
 * when the shipped description is worded differently), is flagged
 * task-text; flagged posts then join the base.
 *
 * Complexity: normalising and winnowing are linear in the input; the index
 * is one sort of all fingerprints (O(F log F), F about 2/(w+1) of the
 * words); each post looks at no more than SIMILAR_MAX_POSTINGS entries per
 * fingerprint and verifies a few candidates by merging sorted arrays, so a
 * cohort costs O(N * f * SIMILAR_MAX_POSTINGS), never O(N^2) comparisons.
 * Only members of a group then walk the posting lists of their own
 * fingerprints, to measure their share and passages against the group.
 * Measured: 10,000 posts of about 450 words in about 4 s and 140 MiB
 * (bench/similar), most of it the posts' text and fingerprints.
 *
 * Ownership: inputs are borrowed for the duration of the call only; the
 * report owns everything in it and is freed by similar_report_free. */
#ifndef GRADER_SIMILAR_H
#define GRADER_SIMILAR_H

#include <stdbool.h>
#include <stddef.h>

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
#define SIMILAR_MAX_POSTINGS 64

/* Is the post only links (one or more, and fewer than opts->link_words
 * words besides them)? Fills *links when links is not NULL (free with
 * similar_links_free, even on false). Usable alone on one post. Returns 1
 * for link-only, 0 if not, or GR_ENOMEM. opts may be NULL (defaults). */
int similar_link_only(const char *text, size_t len, const similar_opts *opts, similar_links *links);
void similar_links_free(similar_links *links);

/* A passage of a post shared with another: lines of the original text. */
typedef struct similar_passage {
    int first_line, last_line;   /* 1-based, 0 when there is none */
    size_t words;                /* length in normalised words */
    size_t other;                /* index of the post it is shared with */
    int other_first, other_last; /* its lines in that post */
    size_t start, end;           /* normalised word positions (internal) */
} similar_passage;

typedef struct similar_result {
    int group;           /* 1-based group number; 0 = in no group */
    double share;        /* share of the post's own text found in its group's other posts */
    double known_share;  /* share of the post found in the known sources */
    double format_share; /* share of its word pairs that the format descriptions use */
    size_t fingerprints; /* fingerprints of its own text (known text removed) */
    bool task_text;
    bool link_only;
    similar_links links;
    similar_passage longest;   /* longest passage shared with the group */
    similar_passage *passages; /* every shared passage, in line order */
    size_t npassages;
} similar_result;

typedef struct similar_group {
    size_t *members; /* post indices, ascending */
    size_t n;
} similar_group;

typedef struct similar_report {
    similar_result *posts; /* one per input post, in input order */
    size_t nposts;
    similar_group *groups; /* groups[g - 1] is group g; ordered by first member */
    size_t ngroups;
    size_t ntask, nlink; /* posts flagged */
} similar_report;

/* Compare n posts with each other and with nknown known sources.
 * Deterministic: the same input gives the same groups and numbers. */
int similar_run(const similar_doc *posts, size_t n, const similar_doc *known, size_t nknown,
                const similar_opts *opts, similar_report **out, gr_error *err);
void similar_report_free(similar_report *r);

/* Known sources: every regular *.md / *.txt file of dir (sorted by name,
 * capped at GR_MAX_INPUT each). A missing dir gives 0 sources when
 * missing_ok. Free with similar_docs_free. */
int similar_known_load(const char *dir, bool missing_ok, similar_doc **out, size_t *n,
                       gr_error *err);
void similar_docs_free(similar_doc *docs, size_t n);

/* The default known-sources folder: rubrics/known of the working folder
 * when it exists (an instructor's own), else the folder next to the
 * bundled rubric. malloc'd; NULL when there is none (or no memory). */
char *similar_known_default_dir(void);

/* "copy", "task-text", "link-only" or "ok": a post's row status. */
const char *similar_status_name(const similar_result *r);

/* "12-30", "12" or "" (a == 0) into buf. */
void similar_lines_str(char *buf, size_t size, int a, int b);

/* similarity.csv (docs/similar.md): group,post,status,share,known_share,
 * format_share,longest_lines,other_post,other_lines,links; one row per
 * post in input order, ids from posts[i].id. Written atomically. */
int similar_write_csv(const char *path, const similar_doc *posts, const similar_report *r,
                      gr_error *err);

#endif
