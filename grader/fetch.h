/* fetch.h - collect a cohort's repositories (bare, incremental, parallel),
 * choose the graded commit at a deadline, and read the post from the object
 * database (post_read.h). `grader fetch` writes submissions/manifest.csv
 * (manifest.h); `grader grade`
 * reads it back with fetch_manifest_load and reads each post with
 * fetch_read_post, so grading with another rubric needs no re-fetch:
 *
 *     fetch_manifest *m;
 *     if (fetch_manifest_load("submissions/manifest.csv", &m, &err)) ...
 *     for each roster id:
 *         const fetch_result *f = fetch_manifest_find(m, id);
 *         if (!f || f->status != FETCH_OK) -> no grade; say fetch_status_name(f->status)
 *         char *dir = fetch_repo_dir("submissions", id);
 *         fetch_post p;
 *         if (fetch_read_post(dir, f->commit, f->path, GR_MAX_INPUT, &p, &err)) ...
 *         if (p.status == FETCH_OK) score p.data, p.len; note f->late, f->late_commits
 *         fetch_post_free(&p); free(dir);
 *     fetch_manifest_free(m);
 *
 * f->path is the path as found (its real case), so reading it needs no
 * case-insensitive fallback again; fetch_read_post still applies one. */
#ifndef GRADER_FETCH_H
#define GRADER_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "manifest.h"
#include "roster.h"

/* What happened to one student. The manifest stores the name
 * (fetch_status_name); docs/fetch.md says what to do about each. */
typedef enum fetch_status {
    FETCH_OK,                /* post read at the graded commit */
    FETCH_NO_REPO,           /* no repository in the roster, or the server says it does not exist */
    FETCH_BAD_URL,           /* the repository URL is malformed or of an unsupported kind */
    FETCH_AUTH_FAILED,       /* the server asked for credentials and refused (or none offered) */
    FETCH_NETWORK,           /* could not reach the server, after retries */
    FETCH_TIMEOUT,           /* --timeout passed; the worker was killed */
    FETCH_EMPTY_REPO,        /* the repository has no branch / no commit */
    FETCH_AFTER_DEADLINE,    /* every commit is after the deadline: nothing to grade */
    FETCH_NO_POST,           /* the path is not in the graded commit */
    FETCH_POST_IS_SYMLINK,   /* the path (or a folder on it) is a symbolic link: not read */
    FETCH_POST_IS_SUBMODULE, /* the path is a submodule: not read */
    FETCH_POST_IS_DIR,       /* the path is a folder */
    FETCH_POST_TOO_LARGE,    /* the blob is over the size cap: not read */
    FETCH_CRASHED,           /* the worker died on this repository (isolated from the batch) */
    FETCH_ERROR,             /* anything else (remote incomplete or corrupt, disk full, ...) */
    FETCH_NSTATUS
} fetch_status;

/* "ok", "no-repo", ... (never NULL). */
const char *fetch_status_name(fetch_status s);
/* Inverse of fetch_status_name; -1 when unknown. */
int fetch_status_parse(const char *name);
/* One line: what the instructor can do about it. */
const char *fetch_status_advice(fetch_status s);

/* One student's row of manifest.csv. All strings are malloc'd, never NULL
 * ("" when empty). */
typedef struct fetch_result {
    char *id;
    char *repo; /* as in the roster, with any credentials redacted */
    fetch_status status;
    char commit[41];     /* graded commit, hex; "" when none */
    int64_t commit_time; /* committer time (Unix seconds), 0 when none */
    bool late;           /* commits exist after the deadline (or after the graded commit) */
    int late_commits;    /* how many */
    char *path;          /* path read in the repository; differs from the asked path in
                          * case only when the case-insensitive fallback found it */
    int64_t first_seen;  /* when grader fetch first saw this commit (Unix seconds), 0 if
                          * unknown: a second, honest signal beside the commit's own date */
    bool misnamed;       /* path is not the asked one: the post was found under another
                          * name in its folder (post_read.h) */
    char *detail;        /* human-readable note or error, redacted; "" when none */
} fetch_result;

/* Where a student's bare repository lives: "<into>/<id>.git" (malloc'd). */
char *fetch_repo_dir(const char *into, const char *id);

/* "2024-04-12T23:59:00Z", "2024-04-12T23:59:00+02:00", "2024-04-12 23:59+0200",
 * seconds optional. An offset or Z is required: a bare local time is
 * ambiguous. */
int fetch_parse_time(const char *s, int64_t *out, gr_error *err);
/* ISO 8601 UTC ("2024-04-12T21:59:00Z") into buf (at least 21 bytes); ""
 * outside 1970-9999, the range fetch_parse_time accepts. */
void fetch_format_time(int64_t t, char *buf, size_t size);

/* Copy of url with user information ("user:token@") replaced by "***@",
 * and any value of GRADER_TOKEN / GITHUB_TOKEN masked. malloc'd. */
char *fetch_redact(const char *url);

struct post_search;

typedef struct fetch_opts {
    const char *into; /* submissions folder (created) */
    const char *path; /* the post inside each repository */
    int jobs;         /* concurrent workers (>= 1) */
    bool has_deadline;
    int64_t deadline; /* Unix seconds */
    int timeout;      /* seconds per repository, 0 = none */
    int retries;      /* extra attempts on a network error */
    size_t max_post;  /* size cap of the post */
    /* Where else to look when the post is not at path (post_read.h); NULL:
     * only the path and its case variants. */
    const struct post_search *search;
    /* The hosts GRADER_TOKEN may go to (credential.h): repo_template's
     * host when given, else github.com; plus token_hosts (ntoken_hosts of
     * them) and GRADER_TOKEN_HOSTS. May be NULL / 0. */
    const char *repo_template;
    const char *const *token_hosts;
    size_t ntoken_hosts;
    /* Called in the calling thread as each student finishes (any order);
     * running = ids in flight (for a progress line). May be NULL. */
    void (*on_done)(void *ctx, size_t done, size_t total, const fetch_result *r,
                    const char *running);
    void *ctx;
} fetch_opts;

/* Fetch every roster entry. *out gets r->n results in roster order
 * (whatever jobs is); one student's failure is a status, never an error.
 * Returns a negative code only when the batch cannot run (cannot create
 * the folder, cannot fork, out of memory). The previous manifest in
 * o->into, if any, carries first_seen forward. */
int fetch_cohort(const roster *r, const fetch_opts *o, fetch_result **out, gr_error *err);
void fetch_results_free(fetch_result *v, size_t n);

#endif
