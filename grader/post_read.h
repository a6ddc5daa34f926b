/* post_read.h - a student's post read from a commit's tree in the object
 * database (never a checkout, no hooks, no filters), as grader fetch checks
 * it, grader grade reads it and grader check --repo shows it to the student:
 * one set of symlink, submodule, size and case rules for all three.
 *
 * When the post is not at its path (nor a case variant of it), post_find
 * looks for it as an instructor would: the rubric's alternative names, then
 * the Markdown files of the same folder, taking the one that reads most
 * like a postmortem by the rubric's own engine (score_post). A file that is
 * only a link or only the assignment's text (similar.h) is never taken. */
#ifndef GRADER_POST_READ_H
#define GRADER_POST_READ_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "fetch.h"
#include "rubric.h"
#include "similar.h"

/* A post read from a bare repository. */
typedef struct fetch_post {
    fetch_status status; /* FETCH_OK, or FETCH_NO_POST / POST_IS_* / POST_TOO_LARGE */
    char *data;          /* NUL-terminated blob when FETCH_OK (may hold NULs), else NULL */
    size_t len;
    char *path;        /* the path found (case may differ from the asked one), or NULL */
    bool case_differs; /* found by the case-insensitive fallback */
    bool misnamed;     /* found by post_find under another name in the path's folder */
    char detail[512];  /* why, when not FETCH_OK; how it was found, when misnamed */
} fetch_post;

/* Read path at commit_hex in the bare repository repo_dir, from the object
 * database only (no worktree, no hooks, no filters). A blob over cap bytes
 * is not inflated. Exact path first; when absent, the one entry matching
 * it case-insensitively, component by component (noted in case_differs).
 * Returns 0 with out->status saying what was found, or a negative code
 * when the repository or commit cannot be read (err says why). Safe to
 * call from several threads at once (one git_repository per call). */
int fetch_read_post(const char *repo_dir, const char *commit_hex, const char *path, size_t cap,
                    fetch_post *out, gr_error *err);
void fetch_post_free(fetch_post *p);

/* The same on an open repository and commit; want_data false only checks
 * (status, path, len) without inflating the blob. Returns 0, GR_ENOMEM,
 * GR_ELIMIT or GR_EGIT (libgit2's message then says why). */
int post_read_at(git_repository *repo, const git_commit *commit, const char *path, size_t cap,
                 bool want_data, fetch_post *p);

/* At most this many Markdown files of a folder are read and scored: a
 * hostile folder of thousands costs no more than this. */
#define POST_MAX_CANDIDATES 12

/* Where else to look when the post is not at its path. Borrowed. */
typedef struct post_search {
    const rubric *rb;                /* scores the candidates; NULL: no search at all */
    const char *const *alternatives; /* other names, relative to the path's folder, in order
                                      * of preference (the rubric's document: alternatives) */
    size_t nalternatives;
    bool folder;              /* then every other *.md / *.markdown file of the folder */
    const similar_doc *known; /* known sources, for task-text; may be NULL */
    size_t nknown;
} post_search;

/* The search a rubric asks for: its document's alternatives and folder
 * search, judged by the rubric itself. rb NULL: no search. */
void post_search_init(post_search *ps, const rubric *rb, const similar_doc *known, size_t nknown);

/* post_read_at, then, when the path (nor a case variant) is absent and its
 * folder exists, the search: candidates are blobs only (symbolic links,
 * submodules and folders skipped), each under cap bytes, at most
 * POST_MAX_CANDIDATES. A candidate is taken when it is neither link-only
 * nor task-text and the rubric finds at least one of its sections in it
 * (or, with no section criterion, any point); the first alternative so
 * taken wins, else the file with the most points (ties: name order). The
 * one taken has status FETCH_OK, misnamed set and a detail naming it;
 * when none is taken the status stays FETCH_NO_POST and the detail says
 * what the folder held instead. ps may be NULL (no search). */
int post_find_at(git_repository *repo, const git_commit *commit, const char *path, size_t cap,
                 bool want_data, const post_search *ps, fetch_post *p);

/* fetch_read_post with the search (post_find_at). */
int post_find(const char *repo_dir, const char *commit_hex, const char *path, size_t cap,
              const post_search *ps, fetch_post *out, gr_error *err);

#endif
