/* fetch_args.c - the options of grader fetch, for fetch and grade --fetch. */
#include "fetch_args.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

enum {
    OPT_ROSTER = 0x100,
    OPT_TEMPLATE,
    OPT_INTO,
    OPT_PATH,
    OPT_RUBRIC,
    OPT_DEADLINE,
    OPT_TIMEOUT,
    OPT_RETRIES,
    OPT_MAX_SIZE,
    OPT_TOKEN_HOST,
    OPT_SHARD,
};

static const struct option fetch_longopts[] = {
    {"roster", required_argument, NULL, OPT_ROSTER},
    {"repo-template", required_argument, NULL, OPT_TEMPLATE},
    {"into", required_argument, NULL, OPT_INTO},
    {"path", required_argument, NULL, OPT_PATH},
    {"rubric", required_argument, NULL, OPT_RUBRIC},
    {"deadline", required_argument, NULL, OPT_DEADLINE},
    {"jobs", required_argument, NULL, 'j'},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"max-size", required_argument, NULL, OPT_MAX_SIZE},
    {"token-host", required_argument, NULL, OPT_TOKEN_HOST},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
};
#define NFETCH (sizeof fetch_longopts / sizeof fetch_longopts[0])

const char fetch_args_help[] =
    "  --roster FILE          roster CSV: id and repo columns, or a GitHub\n"
    "                         Classroom export with --repo-template\n"
    "  --repo-template URL    build each URL from the roster, e.g.\n"
    "                         'https://github.com/{github}/REPO' ({github}, {id})\n"
    "  --into DIR             submissions folder (default submissions)\n"
    "  --path PATH            the post inside each repository (default: the\n"
    "                         rubric's document, else Blog_Post.md); when it is\n"
    "                         absent, the folder's Markdown file that reads most\n"
    "                         like a postmortem is taken and marked misnamed\n"
    "  --rubric FILE          rubric whose document: gives the default --path and\n"
    "                         which judges a misnamed post (default: the bundled\n"
    "                         rubric; env GRADER_RUBRIC)\n"
    "  --deadline TIME        grade the newest commit at or before TIME, ISO 8601\n"
    "                         with Z or an offset (2024-04-12T23:59:00Z); later\n"
    "                         commits are counted and the student marked late\n"
    "  -j, --jobs N           repositories fetched at once (default 8)\n"
    "  --timeout SECONDS      give up on one repository after this (default 300;\n"
    "                         0 = never)\n"
    "  --retries N            retries of a network error, with backoff (default 2)\n"
    "  --max-size BYTES       largest post read (default 1048576)\n"
    "  --token-host HOST      a host the token may be sent to, besides the\n"
    "                         template's host (else github.com) and\n"
    "                         GRADER_TOKEN_HOSTS (comma-separated); repeatable\n"
    "  --shard K/N            only the students of shard K of N: those whose id's\n"
    "                         FNV-1a 64 hash is K-1 modulo N (grader merge joins\n"
    "                         the N shards' outputs; see docs/shards.md)\n"
    "  -q, --quiet            print nothing but errors\n"
    "  -v, --verbose          list every student fetched, not only those with a\n"
    "                         problem\n";

static const char default_into[] = "submissions";

void fetch_args_init(fetch_args *a)
{
    *a = (fetch_args){.o = {.into = default_into,
                            .jobs = 8,
                            .timeout = 300,
                            .retries = 2,
                            .max_post = GR_MAX_INPUT}};
}

const struct option *fetch_args_longopts(const struct option *own, struct option *out, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < NFETCH && k + 1 < n; i++)
        out[k++] = fetch_longopts[i];
    for (; own && own->name && k + 1 < n; own++)
        out[k++] = *own;
    out[k] = (struct option){0};
    return out;
}

/* The numeric options: their ranges, in one table. */
static const struct {
    int code;
    const char *name;
    long min, max;
} numeric[] = {
    {'j', "--jobs", 1, 256},
    {OPT_TIMEOUT, "--timeout", 0, 86400},
    {OPT_RETRIES, "--retries", 0, 10},
    {OPT_MAX_SIZE, "--max-size", 1, INT_MAX},
};

/* A numeric option's value into a: 1 stored, -1 bad (said on stderr). */
static int parse_numeric(fetch_args *a, size_t k, const char *s, const char *cmd)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < numeric[k].min || v > numeric[k].max) {
        fprintf(stderr, "grader %s: %s takes a number from %ld to %ld, not '%s'\n", cmd,
                numeric[k].name, numeric[k].min, numeric[k].max, s);
        return -1;
    }
    switch (numeric[k].code) {
    case 'j':
        a->o.jobs = (int)v;
        break;
    case OPT_TIMEOUT:
        a->o.timeout = (int)v;
        break;
    case OPT_RETRIES:
        a->o.retries = (int)v;
        break;
    default:
        a->o.max_post = (size_t)v;
    }
    if (!a->fetch_only) /* none of them matters unless fetching */
        a->fetch_only = numeric[k].name;
    return 1;
}

int fetch_args_parse(fetch_args *a, int ch, const char *arg, const char *cmd)
{
    gr_error err = {0};
    for (size_t k = 0; k < sizeof numeric / sizeof numeric[0]; k++)
        if (ch == numeric[k].code)
            return parse_numeric(a, k, arg, cmd);
    switch (ch) {
    case OPT_ROSTER:
        a->roster_path = arg;
        return 1;
    case OPT_TEMPLATE:
        a->repo_template = a->o.repo_template = arg;
        return 1;
    case OPT_TOKEN_HOST:
        if (a->o.ntoken_hosts == sizeof a->token_hosts / sizeof a->token_hosts[0]) {
            fprintf(stderr, "grader %s: at most 32 --token-host; use GRADER_TOKEN_HOSTS\n", cmd);
            return -1;
        }
        a->token_hosts[a->o.ntoken_hosts++] = arg;
        a->o.token_hosts = a->token_hosts;
        if (!a->fetch_only)
            a->fetch_only = "--token-host";
        return 1;
    case OPT_INTO:
        a->o.into = arg;
        return 1;
    case OPT_SHARD:
        if (shard_parse(arg, &a->shard)) {
            fprintf(stderr, "grader %s: --shard takes K/N with 1 <= K <= N <= %d, not '%s'\n", cmd,
                    SHARD_MAX, arg);
            return -1;
        }
        /* shards on one machine must not share one manifest.csv */
        snprintf(a->shard_into, sizeof a->shard_into, "%s/shard-%u-of-%u", default_into, a->shard.k,
                 a->shard.n);
        if (a->o.into == default_into)
            a->o.into = a->shard_into;
        return 1;
    case OPT_PATH:
        a->path = arg;
        return 1;
    case OPT_RUBRIC:
        a->rubric_path = arg;
        return 1;
    case OPT_DEADLINE:
        if (fetch_parse_time(arg, &a->o.deadline, &err)) {
            cmd_fail(cmd, &err);
            return -1;
        }
        a->o.has_deadline = true;
        return 1;
    case 'q':
        a->verbosity = -1;
        return 1;
    case 'v':
        a->verbosity = 1;
        if (!a->fetch_only)
            a->fetch_only = "--verbose";
        return 1;
    default:
        return 0;
    }
}

const char *fetch_args_document(const fetch_args *a, const rubric *rb)
{
    if (a->path)
        return a->path;
    return rb && rb->document && *rb->document ? rb->document : "Blog_Post.md";
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
