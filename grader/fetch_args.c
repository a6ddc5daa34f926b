/* fetch_args.c - the options of grader fetch, for fetch and grade --fetch. */
#include "fetch_args.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char default_into[] = "submissions";

static int parse_deadline(void *base, const char *arg, gr_error *err)
{
    fetch_args *a = base;
    if (fetch_parse_time(arg, &a->o.deadline, err))
        return err->code;
    a->o.has_deadline = true;
    return 0;
}

static int parse_shard(void *base, const char *arg, gr_error *err)
{
    fetch_args *a = base;
    if (shard_parse(arg, &a->shard))
        return gr_error_set(err, GR_EUSAGE, "", 0, 0,
                            "--shard takes K/N with 1 <= K <= N <= %d, not '%s'", SHARD_MAX, arg);
    /* shards on one machine must not share one manifest.csv */
    snprintf(a->shard_into, sizeof a->shard_into, "%s/shard-%u-of-%u", default_into, a->shard.k,
             a->shard.n);
    if (a->o.into == default_into)
        a->o.into = a->shard_into;
    return 0;
}

const opt_spec fetch_args_options[] = {
    OPT_ROSTER(fetch_args, roster_path,
               "roster CSV: id and repo columns, or a GitHub\n"
               "Classroom export with --repo-template",
               .flags = OPTF_REQUIRED),
    OPT_REPO_TEMPLATE(fetch_args, o.repo_template,
                      "build each URL from the roster, e.g.\n"
                      "'https://github.com/{github}/REPO' ({github}, {id})"),
    OPT_SUBMISSIONS(fetch_args, o.into,
                    "submissions folder: the repositories and\n"
                    "manifest.csv (default submissions)",
                    .alias = "into"), /* what fetch called it */
    OPT_PATH_(0, "path", fetch_args, path, "PATH",
              "the post inside each repository (default: the\n"
              "rubric's document); when it is absent, the\n"
              "folder's Markdown file that reads most like a\n"
              "postmortem is taken and marked misnamed"),
    OPT_RUBRIC(fetch_args, rubric_path,
               "rubric whose document: gives the default --path and\n"
               "which judges a misnamed post (default: the bundled\n"
               "rubric; env GRADER_RUBRIC)"),
    OPT_CALL_("deadline", "TIME", parse_deadline,
              "grade the newest commit at or before TIME, ISO 8601\n"
              "with Z or an offset (2024-04-12T23:59:00Z); later\n"
              "commits are counted and the student marked late"),
    OPT_UINT_('j', "jobs", fetch_args, o.jobs, "N", 1, 256,
              "repositories fetched at once (default 8)", .flags = OPTF_MARK),
    OPT_UINT_(0, "timeout", fetch_args, o.timeout, "SECONDS", 0, 86400,
              "give up on one repository after this (default 300;\n"
              "0 = never)",
              .flags = OPTF_MARK),
    OPT_UINT_(0, "retries", fetch_args, o.retries, "N", 0, 10,
              "retries of a network error, with backoff (default 2)", .flags = OPTF_MARK),
    OPT_UINT_(0, "max-size", fetch_args, o.max_post, "BYTES", 1, INT_MAX,
              "largest post read (default 1048576)", .flags = OPTF_MARK),
    {.kind = OPT_LIST,
     .name = "token-host",
     .arg = "HOST",
     .help = "a host the token may be sent to, besides the\n"
             "template's host (else github.com) and\n"
             "GRADER_TOKEN_HOSTS (comma-separated); repeatable",
     .off = offsetof(fetch_args, token_hosts),
     .count_off = offsetof(fetch_args, o.ntoken_hosts),
     .max = sizeof((fetch_args *)0)->token_hosts / sizeof(char *),
     .flags = OPTF_MARK},
    OPT_CALL_("shard", "K/N", parse_shard,
              "only the students of shard K of N: those whose id's\n"
              "FNV-1a 64 hash is K-1 modulo N (grader merge joins\n"
              "the N shards' outputs; see docs/shards.md)"),
    OPT_SET_('q', "quiet", fetch_args, verbosity, -1, "print nothing but errors"),
    OPT_SET_('v', "verbose", fetch_args, verbosity, 1,
             "list every student fetched, not only those with a\n"
             "problem",
             .flags = OPTF_MARK),
    OPT_END_ENTRY,
};

void fetch_args_init(fetch_args *a)
{
    *a = (fetch_args){.o = {.into = default_into,
                            .jobs = 8,
                            .timeout = 300,
                            .retries = 2,
                            .max_post = GR_MAX_INPUT}};
    a->o.token_hosts = a->token_hosts;
}

const char *fetch_args_document(const fetch_args *a, const rubric *rb)
{
    return a->path ? a->path : rb ? rb->document : NULL;
}

int fetch_args_run(const fetch_args *a, const roster *r, const rubric *rb, const similar_doc *known,
                   size_t nknown,
                   void (*on_done)(void *ctx, size_t done, size_t total, const fetch_result *res,
                                   const char *running),
                   void *ctx, fetch_result **res, char **manifest, gr_error *err)
{
    post_search ps;
    post_search_init(&ps, rb, known, nknown);
    fetch_opts fo = a->o;
    fo.path = fetch_args_document(a, rb);
    fo.search = &ps;
    fo.on_done = on_done;
    fo.ctx = ctx;
    *manifest = NULL;
    int rc = fetch_cohort(r, &fo, res, err);
    if (rc)
        return rc;
    if (!(*manifest = path_join(fo.into, "manifest.csv")))
        return gr_error_nomem(err);
    return fetch_manifest_write(*manifest, *res, r->n, err);
}

void fetch_args_report(const fetch_result *v, size_t n, bool verbose, const char *manifest)
{
    size_t count[FETCH_NSTATUS] = {0}, late = 0, misnamed = 0;
    for (size_t i = 0; i < n; i++) {
        const fetch_result *r = &v[i];
        count[r->status]++;
        late += r->late;
        misnamed += r->misnamed;
        if (!verbose && r->status == FETCH_OK && !r->late && !r->detail[0])
            continue;
        printf("%-20s %-17s %-8.8s", r->id, fetch_status_name(r->status),
               r->commit[0] ? r->commit : "-");
        if (r->late)
            printf(" late(%d)", r->late_commits);
        if (r->detail[0])
            printf("  %s", r->detail);
        putchar('\n');
    }
    printf("\n%zu student%s: %zu ok", n, n == 1 ? "" : "s", count[FETCH_OK]);
    if (late)
        printf(", %zu late", late);
    if (misnamed)
        printf(", %zu misnamed (the post found under another name)", misnamed);
    putchar('\n');
    for (int s = 0; s < FETCH_NSTATUS; s++)
        if (s != FETCH_OK && count[s])
            printf("  %-17s %4zu  %s\n", fetch_status_name(s), count[s], fetch_status_advice(s));
    printf("manifest: %s\n", manifest);
}
