/* fetch_args.h - the options of `grader fetch`, parsed by this one piece of
 * code for both `grader fetch` and `grader grade --fetch`, so an option
 * means the same in both and its default lives here only. A first step
 * toward one table of every command's options:
 *
 *     fetch_args fa;
 *     fetch_args_init(&fa);
 *     struct option all[64];
 *     fetch_args_longopts(own_longopts, all, 64);
 *     while ((ch = getopt_long(argc, argv, ":" FETCH_ARGS_SHORT "own", all, NULL)) != -1) {
 *         int r = fetch_args_parse(&fa, ch, optarg, "grade");
 *         if (r < 0) return EXIT_BADUSE;
 *         if (r > 0) continue;
 *         ... the command's own options ...
 *     }
 */
#ifndef GRADER_FETCH_ARGS_H
#define GRADER_FETCH_ARGS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "fetch.h"
#include "rubric.h"
#include "shard.h"

typedef struct fetch_args {
    const char *roster_path;   /* --roster */
    const char *repo_template; /* --repo-template */
    const char *path;          /* --path; NULL: the rubric's document */
    const char *rubric_path;   /* --rubric; NULL: the bundled rubric */
    fetch_opts o; /* --into, -j, --deadline, --timeout, --retries, --max-size, --token-host */
    const char *token_hosts[32]; /* o.token_hosts points here */
    int verbosity;               /* -q -1, 0, -v 1 */
    const char *fetch_only;      /* the first option given that only matters when fetching */
    shard_spec shard;            /* --shard K/N; n == 0: the whole roster */
    char shard_into[48];         /* --shard's default --into: submissions/shard-K-of-N */
} fetch_args;

/* The short options, for getopt_long's optstring. */
#define FETCH_ARGS_SHORT "j:qv"

/* The defaults: submissions, -j 8, --timeout 300, --retries 2, --max-size
 * GR_MAX_INPUT. */
void fetch_args_init(fetch_args *a);

/* out gets the fetch options followed by own (both ended by a zero entry),
 * at most n entries with the terminator; own's codes must not collide
 * with the fetch options' (short letters j q v, long codes from 0x100).
 * Returns out. */
const struct option *fetch_args_longopts(const struct option *own, struct option *out, size_t n);

/* One getopt_long result: 1 when it was a fetch option (stored), 0 when
 * not, -1 when its value is bad (the message, "grader CMD: ...", is
 * printed on stderr; exit EXIT_BADUSE). */
int fetch_args_parse(fetch_args *a, int ch, const char *arg, const char *cmd);

/* The help lines of the fetch options (for --help). */
extern const char fetch_args_help[];

/* The post's path: --path, else the rubric's document, else Blog_Post.md. */
const char *fetch_args_document(const fetch_args *a, const rubric *rb);

/* The end-of-run report of grader fetch on stdout: each student with a
 * problem (every student when verbose), then the counts per status. */
void fetch_args_report(const fetch_result *v, size_t n, bool verbose, const char *manifest);

#endif
