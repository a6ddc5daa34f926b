/* cmd_check.c - `grader check`: a student's self-check, with the very
 * engine the instructor's `grader grade` uses. */
#include <getopt.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "fetch.h"
#include "post_read.h"
#include "report.h"
#include "rubric.h"
#include "score.h"
#include "similar.h"
#include "util.h"

static const char usage_text[] =
    "usage: grader check [options] [FILE...]\n"
    "\n"
    "Score postmortem posts against a rubric, like a compiler: each required\n"
    "element present or missing, where, and the score the instructor's batch\n"
    "run will give.\n"
    "\n"
    "  FILE...              posts to check (default: the rubric's document,\n"
    "                       ./Blog_Post.md)\n"
    "  --rubric FILE        rubric to score against (default: the bundled\n"
    "                       postmortem rubric; env GRADER_RUBRIC)\n"
    "  --repo DIR           read the post as committed at HEAD of the Git\n"
    "                       repository DIR (what the instructor grades); warn\n"
    "                       when the working copy differs or HEAD is not pushed\n"
    "  --format text|json   output format (default text)\n"
    "  --color auto|always|never\n"
    "                       colour the text report (default auto: only on a\n"
    "                       terminal, and never when NO_COLOR is set)\n"
    "  -q, --quiet          print only the score line of each post\n"
    "  -h, --help           this help\n"
    "\n"
    "exit: 0 every post passes, 1 a post is below the pass mark,\n"
    "      2 usage or input error (missing file, bad rubric), 3 internal error\n";

typedef struct check_opts {
    const char *rubric_path;
    const char *repo;
    bool json, quiet;
    int color; /* -1 auto, 0 never, 1 always */
} check_opts;

/* Read rel (the rubric's document) at HEAD of repo the way `grader fetch`
 * finds it and `grader grade` reads it (post_find: the blob from the object
 * database, symlinks and submodules refused, size capped, the same case
 * fallback and the same search for a misnamed post, judged by the rubric),
 * so the self-check sees what the instructor will. Warnings go to *warn. */
static int read_committed(const char *repo_dir, const char *rel, const rubric *rb, char **data,
                          size_t *len, char **found, strbuf *warn, gr_error *err)
{
    *found = NULL;
    similar_doc *known = NULL;
    size_t nknown = 0;
    char *kdir = similar_known_default_dir();
    gr_error kerr = {0};
    if (kdir && similar_known_load(kdir, true, &known, &nknown, &kerr) != 0)
        nknown = 0; /* without them task text is still refused by most rubrics' reject */
    free(kdir);
    post_search ps;
    post_search_init(&ps, rb, known, nknown);
    git_repository *repo = NULL;
    fetch_post post = {0};
    int rc = 0;
    *data = NULL;
    *len = 0;
    git_libgit2_init();
    if (git_repository_open_ext(&repo, repo_dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
        const git_error *e = git_error_last();
        rc = gr_error_set(err, GR_EINPUT, repo_dir, 0, 0, "not a Git repository: %s",
                          e ? e->message : "cannot open");
        goto out;
    }
    git_oid head_oid;
    if (git_reference_name_to_id(&head_oid, repo, "HEAD") < 0) {
        rc = gr_error_set(err, GR_EINPUT, repo_dir, 0, 0,
                          "the repository has no commit yet: commit your %s first", rel);
        goto out;
    }
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &head_oid);
    if ((rc = post_find(git_repository_path(repo), hex, rel, GR_MAX_INPUT, &ps, &post, err)))
        goto out;
    if (post.status == FETCH_NO_POST) {
        rc = gr_error_set(err, GR_EINPUT, repo_dir, 0, 0,
                          "%s is not committed at HEAD: git add %s && git commit (%s)", rel, rel,
                          post.detail);
        goto out;
    }
    if (post.status != FETCH_OK) {
        rc = gr_error_set(err, post.status == FETCH_POST_TOO_LARGE ? GR_ELIMIT : GR_EINPUT,
                          repo_dir, 0, 0, "%s at HEAD: %s (%s)", rel,
                          fetch_status_name(post.status), post.detail);
        goto out;
    }
    if (post.case_differs)
        sb_printf(warn,
                  "warning: %s is committed as %s; the grader accepts it, but name it exactly\n",
                  rel, post.path);
    else if (post.misnamed)
        sb_printf(warn,
                  "warning: %s is not committed at HEAD; the grader will only find your post "
                  "under another name, %s, and flag it misnamed (your instructor may give it "
                  "0): git mv '%s' '%s' && git commit\n",
                  rel, post.path, post.path, rel);
    else if (post.path && strcmp(post.path, rel))
        sb_printf(warn, "note: %s\n", post.detail);
    *data = post.data;
    *len = post.len;
    post.data = NULL;
    *found = post.path;
    post.path = NULL;

    /* What the student sees may not be what is graded. */
    const char *workdir = git_repository_workdir(repo);
    if (workdir) {
        char *path = path_join(workdir, *found ? *found : rel);
        char *wc = NULL;
        size_t wlen = 0;
        gr_error ignore = {0};
        if (path && file_read(path, GR_MAX_INPUT, &wc, &wlen, &ignore) == 0 &&
            (wlen != *len || memcmp(wc, *data, wlen) != 0))
            sb_printf(warn,
                      "warning: %s differs from the committed version; this report is for the "
                      "commit (git commit to grade your changes)\n",
                      *found ? *found : rel);
        free(wc);
        free(path);
    }
    git_reference *headref = NULL, *upstream = NULL;
    if (git_repository_head(&headref, repo) == 0 && git_reference_is_branch(headref)) {
        if (git_branch_upstream(&upstream, headref) < 0) {
            sb_printf(warn,
                      "warning: branch %s has no upstream: push it (git push -u origin "
                      "HEAD); the instructor grades what is pushed\n",
                      git_reference_shorthand(headref));
        } else {
            const git_oid *up = git_reference_target(upstream);
            size_t ahead = 0, behind = 0;
            if (up && git_graph_ahead_behind(&ahead, &behind, repo, &head_oid, up) == 0 && ahead)
                sb_printf(warn,
                          "warning: HEAD is %zu commit%s ahead of %s: git push, the instructor "
                          "grades what is pushed\n",
                          ahead, ahead == 1 ? "" : "s", git_reference_shorthand(upstream));
        }
    }
    git_reference_free(upstream);
    git_reference_free(headref);
out:
    fetch_post_free(&post);
    git_repository_free(repo);
    git_libgit2_shutdown();
    similar_docs_free(known, nknown);
    return rc;
}

/* Score one post and print it. Returns 0 passed, 1 below, or an error
 * code (negative) already reported in the output. */
static int check_one(const check_opts *o, const rubric *r, const char *name, const char *data,
                     size_t len, strbuf *json, bool color, gr_error *err)
{
    score_result *res = NULL;
    int rc = score_post(r, name, data, len, &res, err);
    if (rc)
        return rc;
    if (o->json) {
        if (json->len > 1)
            sb_putc(json, ',');
        report_json(json, r, res);
    } else if (o->quiet) {
        printf("%s: %d/%d (%.0f%%) %s\n", name, res->points, res->max_points, res->percent,
               res->passed ? "PASS" : "BELOW");
    } else {
        report_text(stdout, r, res, color);
    }
    int out = res->passed ? 0 : 1;
    score_result_free(res);
    return out;
}

int cmd_check(int argc, char **argv)
{
    check_opts o = {.color = -1};
    static const struct option longopts[] = {
        {"rubric", required_argument, NULL, 'r'}, {"repo", required_argument, NULL, 'R'},
        {"format", required_argument, NULL, 'f'}, {"color", required_argument, NULL, 'c'},
        {"colour", required_argument, NULL, 'c'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            o.rubric_path = optarg;
            break;
        case 'R':
            o.repo = optarg;
            break;
        case 'f':
            if (!strcmp(optarg, "json"))
                o.json = true;
            else if (strcmp(optarg, "text") != 0) {
                fprintf(stderr, "grader check: --format takes text or json, not '%s'\n", optarg);
                return EXIT_BADUSE;
            }
            break;
        case 'c':
            if (!strcmp(optarg, "always"))
                o.color = 1;
            else if (!strcmp(optarg, "never"))
                o.color = 0;
            else if (!strcmp(optarg, "auto"))
                o.color = -1;
            else {
                fprintf(stderr, "grader check: --color takes auto, always or never\n");
                return EXIT_BADUSE;
            }
            break;
        case 'q':
            o.quiet = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_PASS;
        default:
            fprintf(stderr, "grader check: unknown option '%s'; see 'grader check --help'\n",
                    argv[optind - 1]);
            return EXIT_BADUSE;
        }
    }
    bool color = o.color == 1 || (o.color < 0 && isatty(STDOUT_FILENO) &&
                                  !(getenv("NO_COLOR") && *getenv("NO_COLOR")));

    gr_error err = {0};
    char *rpath = o.rubric_path ? strdup(o.rubric_path) : rubric_default_path();
    if (!rpath) {
        fprintf(stderr, "grader check: no rubric found; give one with --rubric FILE "
                        "(or set GRADER_RUBRIC)\n");
        return EXIT_BADUSE;
    }
    rubric *r = NULL;
    if (rubric_load(rpath, &r, &err)) {
        free(rpath);
        return cmd_fail("check", &err);
    }
    free(rpath);

    strbuf json;
    sb_init(&json);
    sb_putc(&json, '[');
    int worst = EXIT_PASS;
    int nfiles = argc - optind;
    if (o.repo) {
        const char *rel = nfiles ? argv[optind] : r->document;
        char *data = NULL;
        size_t len = 0;
        strbuf warn;
        sb_init(&warn);
        char *found = NULL;
        int rc = read_committed(o.repo, rel, r, &data, &len, &found, &warn, &err);
        fputs(sb_str(&warn), stderr);
        sb_free(&warn);
        if (!rc) {
            char *name = path_join(o.repo, found ? found : rel);
            rc = check_one(&o, r, name ? name : rel, data, len, &json, color, &err);
            free(name);
        }
        free(found);
        if (rc < 0) {
            worst = cmd_fail("check", &err);
            if (o.json) {
                char buf[2048];
                gr_error_format(&err, buf, sizeof buf);
                report_json_error(&json, rel, buf);
            }
        } else if (rc > 0) {
            worst = EXIT_BELOW;
        }
        free(data);
    } else {
        const char *deflt[] = {r->document};
        char **files = nfiles ? argv + optind : (char **)deflt;
        int n = nfiles ? nfiles : 1;
        for (int i = 0; i < n; i++) {
            char *data = NULL;
            size_t len = 0;
            gr_error_clear(&err);
            int rc = file_read(files[i], GR_MAX_INPUT, &data, &len, &err);
            if (!rc) {
                if (!o.json && !o.quiet && i)
                    putchar('\n');
                rc = check_one(&o, r, files[i], data, len, &json, color, &err);
            }
            free(data);
            if (rc < 0) {
                int code = cmd_fail("check", &err);
                if (code > worst)
                    worst = code;
                if (o.json) {
                    char buf[2048];
                    gr_error_format(&err, buf, sizeof buf);
                    if (json.len > 1)
                        sb_putc(&json, ',');
                    report_json_error(&json, files[i], buf);
                }
            } else if (rc > 0 && worst == EXIT_PASS) {
                worst = EXIT_BELOW;
            }
        }
    }
    sb_putc(&json, ']');
    if (o.json) {
        if (sb_failed(&json)) {
            fprintf(stderr, "grader check: out of memory\n");
            worst = EXIT_TROUBLE;
        } else {
            puts(sb_str(&json));
        }
    }
    sb_free(&json);
    rubric_free(r);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "grader check: cannot write the report\n");
        return EXIT_TROUBLE;
    }
    return worst;
}
