/* cmd_fetch.c - `grader fetch`: every student's repository, bare and
 * incremental, the commit graded at the deadline, submissions/manifest.csv. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "fetch.h"
#include "fetch_args.h"
#include "post_read.h"
#include "roster.h"
#include "rubric.h"
#include "similar.h"
#include "util.h"

static const opt_spec fetch_table[] = {
    OPT_INCLUDE_(fetch_args_options, 0),
    OPT_HELP_ENTRY,
    OPT_END_ENTRY,
};

const opt_command cmd_fetch_options = {
    "fetch",
    "usage: grader fetch --roster FILE [options]\n"
    "\n"
    "Clone (bare) or update every student's repository into the submissions\n"
    "folder, choose the commit to grade, check the post is there, and write\n"
    "FOLDER/manifest.csv. Re-runs fetch only what changed.\n"
    "\n",
    fetch_table,
    "\n"
    "Credentials: HTTPS token from GRADER_TOKEN (or GITHUB_TOKEN), offered only\n"
    "to the token's hosts and only over https://; SSH keys from the agent, only\n"
    "for ssh:// and git@host:path URLs. A token never appears in any output.\n"
    "\n"
    "exit: 0 every student ok, 1 some student has nothing to grade (see the\n"
    "      manifest's status column), 2 usage or roster error, 3 could not run\n"
    "      (or another fetch is using the submissions folder)\n",
    OPT_ARGS_NONE,
};

typedef struct progress {
    bool on;
    size_t failed;
} progress;

static void on_done(void *ctx, size_t done, size_t total, const fetch_result *r,
                    const char *running)
{
    progress *p = ctx;
    if (r->status != FETCH_OK)
        p->failed++;
    if (!p->on)
        return;
    fprintf(stderr, "\r\033[K[%zu/%zu]", done, total);
    if (*running)
        fprintf(stderr, " fetching %s \u2026", running);
    if (p->failed)
        fprintf(stderr, "  %zu failed", p->failed);
    fflush(stderr);
}

/* The rubric (--rubric, else the bundled one: its document gives the
 * default --path and it judges a misnamed post) and the known sources
 * (task text is never taken for a misnamed post). No bundled rubric is
 * fine with --path: the post is then looked for at its path and case only. */
static int load_judges(const fetch_args *fa, rubric **rb, similar_doc **known, size_t *nknown,
                       gr_error *err)
{
    int rc = rubric_load_default(fa->rubric_path, rb, err);
    if (rc == GR_EUSAGE && fa->path)
        rc = 0;
    char *kdir = rc ? NULL : similar_known_default_dir();
    if (kdir)
        rc = similar_known_load(kdir, true, known, nknown, err);
    free(kdir);
    return rc;
}

int cmd_fetch(int argc, char **argv)
{
    fetch_args fa;
    fetch_args_init(&fa);
    opt_result args;
    int code = opts_parse(&cmd_fetch_options, argc, argv, &fa, &args);
    if (code != OPTS_CONTINUE)
        return code;
    gr_error err = {0};

    rubric *rb = NULL;
    similar_doc *known = NULL;
    size_t nknown = 0;
    roster *r = NULL;
    int rc = load_judges(&fa, &rb, &known, &nknown, &err);
    if (rc) {
        rubric_free(rb);
        return cmd_fail("fetch", &err);
    }
    roster_opts ro = {.repo_template = fa.o.repo_template, .shard = &fa.shard};
    if ((rc = roster_load(fa.roster_path, &ro, &r, &err)) != 0) {
        similar_docs_free(known, nknown);
        rubric_free(rb);
        return cmd_fail("fetch", &err);
    }
    progress pr = {.on = fa.verbosity >= 0 && isatty(STDERR_FILENO)};
    fetch_result *res = NULL;
    char *manifest = NULL;
    rc = fetch_args_run(&fa, r, rb, known, nknown, on_done, &pr, &res, &manifest, &err);
    if (pr.on)
        fputs("\r\033[K", stderr);
    code = EXIT_PASS;
    if (rc)
        code = cmd_fail("fetch", &err);
    else {
        if (fa.verbosity >= 0)
            fetch_args_report(res, r->n, fa.verbosity > 0, manifest);
        for (size_t i = 0; i < r->n; i++)
            if (res[i].status != FETCH_OK)
                code = EXIT_BELOW;
    }
    free(manifest);
    fetch_results_free(res, res ? r->n : 0);
    roster_free(r);
    similar_docs_free(known, nknown);
    rubric_free(rb);
    return code;
}
