/* transport.h - one repository's transfer: fetch a remote into a bare
 * repository (every branch mirrored, HEAD at the remote's default branch),
 * with retries, credentials from credential.h, and libgit2's failure read
 * as a fetch status through one table.
 *
 *     transfer_result t;
 *     git_buf branch = GIT_BUF_INIT;
 *     int rc = transfer_fetch(repo, &(transfer_opts){url, &policy, retries}, &branch, &t);
 *     rc 0: fetched, branch names refs/heads/<default>; rc 1: t.status says
 *     (empty-repo); rc < 0: t.status and t.detail say why (not redacted)
 */
#ifndef GRADER_TRANSPORT_H
#define GRADER_TRANSPORT_H

#include <git2.h>
#include <stdbool.h>

#include "credential.h"
#include "fetch.h"

typedef struct transfer_opts {
    const char *url;
    const cred_policy *cred;
    int retries; /* extra attempts after a FETCH_NETWORK failure, backing off 1, 2, 4 ... s */
} transfer_opts;

typedef struct transfer_result {
    fetch_status status;
    char detail[1024]; /* for the instructor; the caller redacts it (fetch_redact) */
} transfer_result;

/* 0 fetched (*branch filled), 1 nothing to fetch (empty repository), or -1
 * failed; out says which status and why. Nothing is written when nothing
 * changed. */
int transfer_fetch(git_repository *repo, const transfer_opts *o, git_buf *branch,
                   transfer_result *out);

/* A failed transfer, as libgit2 and the server left it. */
typedef struct transfer_failure {
    int rc;             /* libgit2's return code (GIT_EAUTH, GIT_EEOF, ...) */
    int klass;          /* git_error_last()->klass (GIT_ERROR_NET, ...) */
    const char *msg;    /* git_error_last()->message */
    const char *remote; /* what the server printed on its progress channel, or "" */
    bool refused;       /* our credentials callback offered nothing, or was refused */
} transfer_failure;

/* The status of a failure (first matching row of one table); *why, when
 * not NULL, is what to tell the instructor before libgit2's message. */
fetch_status transfer_classify(const transfer_failure *f, const char **why);

#endif
