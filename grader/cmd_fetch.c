/* cmd_fetch.c - `grader fetch`: every student's repository, bare and
 * incremental, the commit graded at the deadline, submissions/manifest.csv. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "fetch.h"
#include "roster.h"
#include "rubric.h"
#include "util.h"

static const char usage_text[] =
    "usage: grader fetch --roster FILE [options]\n"
    "\n"
    "Clone (bare) or update every student's repository into the submissions\n"
    "folder, choose the commit to grade, check the post is there, and write\n"
    "FOLDER/manifest.csv. Re-runs fetch only what changed.\n"
    "\n"
    "  --roster FILE          roster CSV: id and repo columns, or a GitHub\n"
    "                         Classroom export with --repo-template\n"
    "  --repo-template URL    build each URL from the roster, e.g.\n"
    "                         'https://github.com/{github}/REPO' ({github}, {id})\n"
    "  --into DIR             submissions folder (default submissions)\n"
    "  --path PATH            the post inside each repository (default: the\n"
    "                         rubric's document, else Blog_Post.md)\n"
    "  --rubric FILE          rubric whose document: gives the default --path\n"
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
    "  -q, --quiet            print nothing but errors\n"
    "  -v, --verbose          list every student, not only those with a problem\n"
    "  -h, --help             this help\n"
    "\n"
    "Credentials: HTTPS token from GRADER_TOKEN (or GITHUB_TOKEN), offered only\n"
    "to the token's hosts and only over https://; SSH keys from the agent, only\n"
    "for ssh:// and git@host:path URLs. A token never appears in any output.\n"
    "\n"
    "exit: 0 every student ok, 1 some student has nothing to grade (see the\n"
    "      manifest's status column), 2 usage or roster error, 3 could not run\n";

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

static int parse_int(const char *opt, const char *s, long min, long max, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < min || v > max) {
        fprintf(stderr, "grader fetch: %s takes a number from %ld to %ld, not '%s'\n", opt, min,
                max, s);
        return -1;
    }
    *out = v;
    return 0;
}

static void print_report(const fetch_result *v, size_t n, bool verbose, const char *manifest)
{
    size_t count[FETCH_NSTATUS] = {0}, late = 0;
    for (size_t i = 0; i < n; i++) {
        const fetch_result *r = &v[i];
        count[r->status]++;
        late += r->late;
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
    putchar('\n');
    for (int s = 0; s < FETCH_NSTATUS; s++)
        if (s != FETCH_OK && count[s])
            printf("  %-17s %4zu  %s\n", fetch_status_name(s), count[s], fetch_status_advice(s));
    printf("manifest: %s\n", manifest);
}

/* --path, else the rubric's document:, else Blog_Post.md. */
static char *post_path(const char *path, const char *rubric_path, gr_error *err, int *rc)
{
    *rc = 0;
    if (path)
        return strdup(path);
    char *rp = rubric_path ? strdup(rubric_path) : rubric_default_path();
    if (!rp)
        return strdup("Blog_Post.md");
    rubric *rb = NULL;
    *rc = rubric_load(rp, &rb, err);
    free(rp);
    if (*rc)
        return NULL;
    char *doc = strdup(rb->document && *rb->document ? rb->document : "Blog_Post.md");
    rubric_free(rb);
    return doc;
}

int cmd_fetch(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"roster", required_argument, NULL, 'R'},  {"repo-template", required_argument, NULL, 'T'},
        {"into", required_argument, NULL, 'i'},    {"path", required_argument, NULL, 'p'},
        {"rubric", required_argument, NULL, 'r'},  {"deadline", required_argument, NULL, 'd'},
        {"jobs", required_argument, NULL, 'j'},    {"timeout", required_argument, NULL, 't'},
        {"retries", required_argument, NULL, 'y'}, {"max-size", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},         {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},          {"token-host", required_argument, NULL, 'H'},
        {NULL, 0, NULL, 0}};
    const char *token_hosts[32];
    const char *roster_path = NULL, *tmpl = NULL, *path = NULL, *rubric_path = NULL;
    fetch_opts o = {
        .into = "submissions", .jobs = 8, .timeout = 300, .retries = 2, .max_post = GR_MAX_INPUT};
    int verbosity = 0;
    gr_error err = {0};
    long v;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":j:qvh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'R':
            roster_path = optarg;
            break;
        case 'T':
            tmpl = optarg;
            break;
        case 'i':
            o.into = optarg;
            break;
        case 'p':
            path = optarg;
            break;
        case 'r':
            rubric_path = optarg;
            break;
        case 'd':
            if (fetch_parse_time(optarg, &o.deadline, &err))
                return cmd_fail("fetch", &err);
            o.has_deadline = true;
            break;
        case 'j':
            if (parse_int("--jobs", optarg, 1, 256, &v))
                return EXIT_BADUSE;
            o.jobs = (int)v;
            break;
        case 't':
            if (parse_int("--timeout", optarg, 0, 86400, &v))
                return EXIT_BADUSE;
            o.timeout = (int)v;
            break;
        case 'y':
            if (parse_int("--retries", optarg, 0, 10, &v))
                return EXIT_BADUSE;
            o.retries = (int)v;
            break;
        case 'm':
            if (parse_int("--max-size", optarg, 1, INT_MAX, &v))
                return EXIT_BADUSE;
            o.max_post = (size_t)v;
            break;
        case 'H':
            if (o.ntoken_hosts == sizeof token_hosts / sizeof token_hosts[0]) {
                fprintf(stderr, "grader fetch: at most 32 --token-host; use GRADER_TOKEN_HOSTS\n");
                return EXIT_BADUSE;
            }
            token_hosts[o.ntoken_hosts++] = optarg;
            break;
        case 'q':
            verbosity = -1;
            break;
        case 'v':
            verbosity = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_PASS;
        case ':':
            fprintf(stderr, "grader fetch: %s needs a value\n", argv[optind - 1]);
            return EXIT_BADUSE;
        default:
            fprintf(stderr, "grader fetch: unknown option '%s'; see 'grader fetch --help'\n",
                    argv[optind - 1]);
            return EXIT_BADUSE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "grader fetch: unexpected argument '%s'; see 'grader fetch --help'\n",
                argv[optind]);
        return EXIT_BADUSE;
    }
    if (!roster_path) {
        fprintf(stderr, "grader fetch: give the class list with --roster FILE\n");
        return EXIT_BADUSE;
    }
    if (!*o.into) {
        fprintf(stderr, "grader fetch: --into needs a folder\n");
        return EXIT_BADUSE;
    }

    int rc;
    char *post = post_path(path, rubric_path, &err, &rc);
    if (!post)
        return rc ? cmd_fail("fetch", &err)
                  : cmd_fail("fetch", &(gr_error){.code = GR_ENOMEM, .msg = "out of memory"});
    o.path = post;
    o.repo_template = tmpl;
    o.token_hosts = token_hosts;
    roster *r = NULL;
    roster_opts ro = {.repo_template = tmpl};
    if ((rc = roster_load(roster_path, &ro, &r, &err)) != 0) {
        free(post);
        return cmd_fail("fetch", &err);
    }
    progress pr = {.on = verbosity >= 0 && isatty(STDERR_FILENO)};
    o.on_done = on_done;
    o.ctx = &pr;
    fetch_result *res = NULL;
    rc = fetch_cohort(r, &o, &res, &err);
    if (pr.on)
        fputs("\r\033[K", stderr);
    char *manifest = path_join(o.into, "manifest.csv");
    int code = EXIT_PASS;
    if (rc)
        code = cmd_fail("fetch", &err);
    else if (!manifest)
        code = cmd_fail("fetch", &(gr_error){.code = GR_ENOMEM, .msg = "out of memory"});
    else if ((rc = fetch_manifest_write(manifest, res, r->n, &err)) != 0)
        code = cmd_fail("fetch", &err);
    else {
        if (verbosity >= 0)
            print_report(res, r->n, verbosity > 0, manifest);
        for (size_t i = 0; i < r->n; i++)
            if (res[i].status != FETCH_OK)
                code = EXIT_BELOW;
    }
    free(manifest);
    fetch_results_free(res, res ? r->n : 0);
    roster_free(r);
    free(post);
    return code;
}
