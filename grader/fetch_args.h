/* fetch_args.h - the options of `grader fetch`, one table (options.h) that
 * `grader fetch` and `grader grade --fetch` both include, so an option
 * means the same in both and its default lives here only:
 *
 *     fetch_args fa;
 *     fetch_args_init(&fa);                      the defaults
 *     static const opt_spec mine[] = {OPT_INCLUDE_(fetch_args_options, offsetof(T, fa)), ...};
 *     opts_parse(&cmd, argc, argv, &t, &res);
 *     fa.fetch_only = res.marked;                  an option that needs fetching
 */
#ifndef GRADER_FETCH_ARGS_H
#define GRADER_FETCH_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "fetch.h"
#include "options.h"
#include "post_read.h"
#include "rubric.h"
#include "shard.h"

typedef struct fetch_args {
    const char *roster_path; /* --roster */
    const char *path;        /* --path; NULL: the rubric's document */
    const char *rubric_path; /* --rubric; NULL: the bundled rubric */
    /* --submissions, -j, --deadline, --timeout, --retries, --max-size,
     * --token-host, --repo-template */
    fetch_opts o;
    const char *token_hosts[32]; /* o.token_hosts points here */
    int verbosity;               /* -q -1, 0, -v 1 */
    const char *fetch_only;      /* the first option given that only matters when fetching */
    shard_spec shard;            /* --shard K/N; n == 0: the whole roster */
    char shard_into[48];         /* --shard's default --submissions: submissions/shard-K-of-N */
} fetch_args;

/* The options, offsets into fetch_args; the ones that only matter when
 * fetching are OPTF_MARK. */
extern const opt_spec fetch_args_options[];

/* The defaults: submissions, -j 8, --timeout 300, --retries 2, --max-size
 * GR_MAX_INPUT. */
void fetch_args_init(fetch_args *a);

/* The post's path: --path, else the rubric's document (rb may be NULL
 * only with --path). */
const char *fetch_args_document(const fetch_args *a, const rubric *rb);

/* Fetch r's students with a's options (the post at fetch_args_document,
 * a misnamed one judged by rb and known), on_done on each as fetch_opts
 * says, and write INTO/manifest.csv (its path into *manifest). *res gets
 * r->n results (fetch_results_free), also when the manifest could not be
 * written. */
int fetch_args_run(const fetch_args *a, const roster *r, const rubric *rb, const similar_doc *known,
                   size_t nknown,
                   void (*on_done)(void *ctx, size_t done, size_t total, const fetch_result *res,
                                   const char *running),
                   void *ctx, fetch_result **res, char **manifest, gr_error *err);

/* The end-of-run report of grader fetch on stdout: each student with a
 * problem (every student when verbose), then the counts per status. */
void fetch_args_report(const fetch_result *v, size_t n, bool verbose, const char *manifest);

#endif
