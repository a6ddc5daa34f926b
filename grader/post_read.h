/* post_read.h - a student's post read from a commit's tree in the object
 * database (never a checkout, no hooks, no filters), as grader fetch checks
 * it, grader grade reads it and grader check --repo shows it to the student:
 * one set of symlink, submodule, size and case rules for all three. */
#ifndef GRADER_POST_READ_H
#define GRADER_POST_READ_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "fetch.h"

/* A post read from a bare repository. */
typedef struct fetch_post {
    fetch_status status; /* FETCH_OK, or FETCH_NO_POST / POST_IS_* / POST_TOO_LARGE */
    char *data;          /* NUL-terminated blob when FETCH_OK (may hold NULs), else NULL */
    size_t len;
    char *path;        /* the path found (case may differ from the asked one), or NULL */
    bool case_differs; /* found by the case-insensitive fallback */
    char detail[256];  /* why, when not FETCH_OK */
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

#endif
