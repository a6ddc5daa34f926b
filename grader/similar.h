/* similar.h - submission integrity: copied posts, pasted assignment text,
 * link-only submissions.
 *
 * Copies are found as MOSS does, in two stages. The per-post stage
 * (fingerprint.h) normalises each post to a stream of words, hashes and
 * winnows its word k-grams into fingerprints and decides link-only and
 * task-text from the post and the known sources alone. The cohort-wide
 * stage here (similar_join) joins the fingerprints of every post: an
 * inverted index finds, for each post, the posts it shares most with. Each candidate pair
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
#include "fingerprint.h"

#define SIMILAR_MAX_POSTINGS 64

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

/* The cohort-wide stage: n posts' fingerprints (fingerprint_post with
 * base, on this machine or another) compared with each other. The base of
 * known text is base's known sources plus every task-text post's
 * fingerprints; then copies are joined, grouped and measured. opts: the
 * threshold and min_shared of the join (k and window must be the base's).
 * Deterministic: the same fingerprints give the same groups and numbers. */
int similar_join(const fingerprint *prints, size_t n, const fingerprint_base *base,
                 const similar_opts *opts, similar_report **out, gr_error *err);

/* Both stages in one: compare n posts with each other and with nknown
 * known sources. */
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
