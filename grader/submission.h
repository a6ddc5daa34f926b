/* submission.h - a cohort's posts as grader fetch left them: each roster
 * student joined with its row of submissions/manifest.csv, and the post read
 * from the student's bare repository at the graded commit. One code path
 * for every command that reads fetched posts (grade, similar --roster), so
 * a student's status means the same everywhere.
 *
 *     fetch_manifest *mf;
 *     if (submission_manifest_load(subs, roster_path, &mf, &err)) ...
 *     submission *v;
 *     if (submission_read_all(ro, mf, subs, doc, NULL, NULL, &v, &err)) ...
 *     v[i].text is student i's post when !strcmp(v[i].status, "ok")
 *     submission_free_all(v, ro->n); fetch_manifest_free(mf);
 */
#ifndef GRADER_SUBMISSION_H
#define GRADER_SUBMISSION_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "fetch.h"
#include "roster.h"

/* One roster student's submission. Strings other than text and own are
 * borrowed from the roster, the manifest or static tables, and never NULL. */
typedef struct submission {
    const char *id;
    const fetch_result *m; /* manifest row; NULL when the student was not fetched */
    const char *status;    /* "ok", a fetch status, "not-fetched" or "unreadable" */
    const char *detail;    /* what happened; may be "" */
    const char *advice;    /* what the instructor can do; "" when ok */
    const char *doc;       /* the path read in the repository */
    char *text;            /* the post when status is "ok" (NUL-terminated), else NULL */
    size_t len;
    char *own; /* storage of detail when reading the post wrote one */
} submission;

/* SUBS/manifest.csv, with a message saying to run grader fetch first when
 * it is missing (GR_EINPUT). */
int submission_manifest_load(const char *subs, const char *roster_path, fetch_manifest **out,
                             gr_error *err);

/* Read every roster student's post (doc is the path asked for when the
 * manifest names none). One student's trouble is a status, never an error:
 * an error is returned only when out of memory. progress (may be NULL) is
 * called before each student. *out gets ro->n entries in roster order. */
int submission_read_all(const roster *ro, const fetch_manifest *mf, const char *subs,
                        const char *doc,
                        void (*progress)(void *ctx, size_t i, size_t n, const char *id), void *ctx,
                        submission **out, gr_error *err);
void submission_free_all(submission *v, size_t n);

#endif
