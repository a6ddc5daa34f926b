/* cmd_check.c - `grader check`: a student's self-check, with the very
 * engine the instructor's `grader grade` uses. */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "fetch.h"
#include "options.h"
#include "post_read.h"
#include "report.h"
#include "report_ci.h"
#include "rubric.h"
#include "score.h"
#include "score_pool.h"
#include "similar.h"
#include "util.h"

enum check_format { FMT_TEXT, FMT_JSON, FMT_GITHUB, FMT_SARIF, FMT_MARKDOWN };
enum check_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

typedef struct check_opts {
    const char *rubric_path;
    const char *repo;
    int format; /* enum check_format */
    bool quiet, show_met;
    int color;                /* enum check_color */
    int min_score;            /* -1: the rubric's pass mark decides */
    const char *criteria[64]; /* --criterion IDs: all must be met */
    size_t ncriteria;
    unsigned jobs; /* 0: one per CPU */
    sarif_log *sarif;
} check_opts;

static const char *const format_names[] = {"text", "json", "github", "sarif", "markdown", NULL};
static const char *const color_names[] = {"auto", "always", "never", NULL};

static const opt_spec check_table[] = {
    OPT_TEXT_("FILE...", "posts to check (default: the rubric's document)"),
    OPT_RUBRIC(check_opts, rubric_path,
               "rubric to score against (default: the bundled\n"
               "postmortem rubric; env GRADER_RUBRIC)"),
    OPT_PATH_(0, "repo", check_opts, repo, "DIR",
              "read the post as committed at HEAD of the Git\n"
              "repository DIR (what the instructor grades); warn\n"
              "when the working copy differs or HEAD is not pushed"),
    OPT_ENUM_("format", check_opts, format, "FORMAT", format_names,
              "text (default), json, github (workflow commands:\n"
              "annotations on the post's lines), sarif (SARIF\n"
              "2.1.0, for code scanning) or markdown (a score\n"
              "table, for a job summary)"),
    OPT_FLAG_(0, "show-met", check_opts, show_met,
              "github: a ::notice per met criterion too; sarif: a\n"
              "result of kind pass per met criterion"),
    OPT_UINT_(0, "min-score", check_opts, min_score, "N", 0, 1000000,
              "exit 0 only when the score is at least N points\n"
              "(instead of the rubric's pass mark)",
              .what = "a number of points"),
    {.kind = OPT_LIST,
     .name = "criterion",
     .arg = "ID",
     .help = "exit 0 only when criterion ID is met (repeatable:\n"
             "all of them); one autograding test per criterion",
     .off = offsetof(check_opts, criteria),
     .count_off = offsetof(check_opts, ncriteria),
     .max = sizeof((check_opts *)0)->criteria / sizeof(char *)},
    OPT_ENUM_("color", check_opts, color, "auto|always|never", color_names,
              "colour the text report (default auto: only on a\n"
              "terminal, and never when NO_COLOR is set)",
              .alias = "colour"),
    OPT_FLAG_('q', "quiet", check_opts, quiet, "print only the score line of each post"),
    OPT_UINT_('j', "jobs", check_opts, jobs, "N", 1, SCORE_POOL_MAX,
              "score N posts at a time (default: one per CPU);\n"
              "the report keeps the order of the files"),
    OPT_HELP_ENTRY,
    OPT_END_ENTRY,
};

const opt_command cmd_check_options = {
    "check",
    "usage: grader check [options] [FILE...]\n"
    "\n"
    "Score postmortem posts against a rubric, like a compiler: each required\n"
    "element present or missing, where, and the score the instructor's batch\n"
    "run will give.\n"
    "\n",
    check_table,
    "\n"
    "exit: 0 every post passes (or meets --min-score / --criterion),\n"
    "      1 a post is below the pass mark (or the score or criterion asked),\n"
    "      2 usage or input error (missing file, bad rubric), 3 internal error\n",
    OPT_ARGS_ANY,
};

/* Whether a scored post counts as passing the check asked for: the
 * rubric's pass mark, or a number of points, or given criteria met (so an
 * autograding test awards exactly that criterion's points). */
static bool check_passed(const check_opts *o, const score_result *res)
{
    if (o->min_score < 0 && !o->ncriteria)
        return res->passed;
    if (o->min_score >= 0 && res->points < o->min_score)
        return false;
    for (size_t k = 0; k < o->ncriteria; k++)
        for (size_t i = 0; i < res->n; i++)
            if (!strcmp(res->items[i].c->id, o->criteria[k]) && !res->items[i].met)
                return false;
    return true;
}

/* -q with --criterion: one line per criterion asked (an autograding
 * test's log), the hint when it is missed. */
static void report_criteria(const check_opts *o, const score_result *res)
{
    for (size_t k = 0; k < o->ncriteria; k++)
        for (size_t i = 0; i < res->n; i++) {
            const crit_result *cr = &res->items[i];
            if (strcmp(cr->c->id, o->criteria[k]) != 0)
                continue;
            printf("%s:%d:%d: %s: %s, %d/%d pts: %s\n", res->file, cr->line, cr->col, cr->c->id,
                   cr->met ? "met" : "missed", cr->points, cr->c->points, cr->message);
            if (!cr->met)
                printf("    hint: %s\n", cr->c->hint);
        }
}

/* A post that could not be read, in the machine formats (the text
 * formats have it on stderr already). */
static void report_error(const check_opts *o, strbuf *json, const char *file, const gr_error *err)
{
    char buf[2048];
    gr_error_format(err, buf, sizeof buf);
    if (o->format == FMT_JSON) {
        if (json->len > 1)
            sb_putc(json, ',');
        report_json_error(json, file, buf);
    } else if (o->format == FMT_GITHUB) {
        report_github_error(stdout, file, buf);
    } else if (o->format == FMT_SARIF) {
        sarif_add_error(o->sarif, file, buf);
    } else if (o->format == FMT_MARKDOWN) {
        report_markdown_error(stdout, file, buf);
    }
}

/* What the student sees may not be what is graded. */
static void warn_worktree(git_repository *repo, const char *rel, const char *data, size_t len,
                          strbuf *warn)
{
    const char *workdir = git_repository_workdir(repo);
    if (!workdir)
        return;
    char *path = path_join(workdir, rel);
    char *wc = NULL;
    size_t wlen = 0;
    gr_error ignore = {0};
    if (path && file_read(path, GR_MAX_INPUT, &wc, &wlen, &ignore) == 0 &&
        (wlen != len || memcmp(wc, data, wlen) != 0))
        sb_printf(warn,
                  "warning: %s differs from the committed version; this report is for the "
                  "commit (git commit to grade your changes)\n",
                  rel);
    free(wc);
    free(path);
}

/* The instructor grades what is pushed. */
static void warn_unpushed(git_repository *repo, const git_oid *head_oid, strbuf *warn)
{
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
            if (up && git_graph_ahead_behind(&ahead, &behind, repo, head_oid, up) == 0 && ahead)
                sb_printf(warn,
                          "warning: HEAD is %zu commit%s ahead of %s: git push, the instructor "
                          "grades what is pushed\n",
                          ahead, ahead == 1 ? "" : "s", git_reference_shorthand(upstream));
        }
    }
    git_reference_free(upstream);
    git_reference_free(headref);
}

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

    warn_worktree(repo, *found ? *found : rel, *data, *len, warn);
    warn_unpushed(repo, &head_oid, warn);
out:
    fetch_post_free(&post);
    git_repository_free(repo);
    git_libgit2_shutdown();
    similar_docs_free(known, nknown);
    return rc;
}

/* Score one post and print it. Returns 0 passed, 1 below, or an error
 * code (negative) already reported in the output. */
/* A scored post in the format asked; 0 when it passes the check asked
 * for, 1 when not. */
static int check_report(const check_opts *o, const rubric *r, const char *name,
                        const score_result *res, strbuf *json, bool color)
{
    if (o->format == FMT_JSON) {
        if (json->len > 1)
            sb_putc(json, ',');
        report_json(json, r, res);
    } else if (o->format == FMT_GITHUB) {
        report_github(stdout, r, res, o->show_met);
    } else if (o->format == FMT_SARIF) {
        sarif_add(o->sarif, res);
    } else if (o->format == FMT_MARKDOWN) {
        report_markdown(stdout, r, res);
    } else if (o->quiet && o->ncriteria) {
        report_criteria(o, res);
    } else if (o->quiet) {
        printf("%s: %d/%d (%.0f%%) %s\n", name, res->points, res->max_points, res->percent,
               res->passed ? "PASS" : "BELOW");
    } else {
        report_text(stdout, r, res, color);
    }
    return check_passed(o, res) ? 0 : 1;
}

static int check_one(const check_opts *o, const rubric *r, const char *name, const char *data,
                     size_t len, strbuf *json, bool color, gr_error *err)
{
    score_result *res = NULL;
    int rc = score_post(r, name, data, len, &res, err);
    if (rc)
        return rc;
    rc = check_report(o, r, name, res, json, color);
    score_result_free(res);
    return rc;
}

/* Every --criterion is one of the rubric's (else the list, for the
 * completion too). */
static bool criteria_known(const check_opts *o, const rubric *r)
{
    for (size_t k = 0; k < o->ncriteria; k++) {
        size_t i = 0;
        while (i < r->ncriteria && strcmp(r->criteria[i].id, o->criteria[k]) != 0)
            i++;
        if (i == r->ncriteria) {
            fprintf(stderr,
                    "grader check: --criterion '%s' is not in %s; its criteria:", o->criteria[k],
                    r->path);
            for (i = 0; i < r->ncriteria; i++)
                fprintf(stderr, " %s", r->criteria[i].id);
            fputc('\n', stderr);
            return false;
        }
    }
    return true;
}

/* --repo: the post rel as committed. Returns the exit code. */
static int check_repo(const check_opts *o, const rubric *r, const char *rel, strbuf *json,
                      bool color)
{
    gr_error err = {0};
    char *data = NULL, *found = NULL;
    size_t len = 0;
    strbuf warn;
    sb_init(&warn);
    int rc = read_committed(o->repo, rel, r, &data, &len, &found, &warn, &err);
    fputs(sb_str(&warn), stderr);
    sb_free(&warn);
    if (!rc) {
        char *name = path_join(o->repo, found ? found : rel);
        rc = check_one(o, r, name ? name : rel, data, len, json, color, &err);
        free(name);
    }
    free(found);
    free(data);
    if (rc < 0) {
        int code = cmd_fail("check", &err);
        report_error(o, json, rel, &err);
        return code;
    }
    return rc > 0 ? EXIT_BELOW : EXIT_PASS;
}

typedef struct files_state {
    const check_opts *o;
    const rubric *r;
    strbuf *json;
    bool color;
    int worst;
} files_state;

/* One file's result, in the order given (score_pool). */
static int file_done(void *ctx, size_t i, const score_item *it)
{
    files_state *st = ctx;
    const check_opts *o = st->o;
    if (it->rc < 0) {
        int code = cmd_fail("check", &it->err);
        if (code > st->worst)
            st->worst = code;
        report_error(o, st->json, it->file, &it->err);
        return 0;
    }
    if (o->format == FMT_TEXT && !o->quiet && i)
        putchar('\n');
    if (check_report(o, st->r, it->file, it->res, st->json, st->color) && st->worst == EXIT_PASS)
        st->worst = EXIT_BELOW;
    return 0;
}

/* The files as they are, scored on o->jobs threads (0: one per CPU) and
 * reported in the order given. Returns the worst exit code. */
static int check_files(const check_opts *o, const rubric *r, char *const *files, size_t n,
                       strbuf *json, bool color)
{
    files_state st = {o, r, json, color, EXIT_PASS};
    int jobs = o->jobs ? (int)o->jobs : score_pool_cpus();
    if (score_pool_run(r, files, n, jobs, file_done, &st) < 0) {
        fprintf(stderr, "grader check: out of memory\n");
        return EXIT_TROUBLE;
    }
    return st.worst;
}

/* The JSON or SARIF log on stdout, once every post is in it. */
static int print_log(const check_opts *o, strbuf *json, int worst)
{
    if (o->format == FMT_SARIF) {
        sb_reset(json);
        if (!sarif_finish(o->sarif, json))
            json->oom = true; /* a part of the log is missing: report it as out of memory */
    } else {
        sb_putc(json, ']');
    }
    if (o->format == FMT_JSON || o->format == FMT_SARIF) {
        if (sb_failed(json)) {
            fprintf(stderr, "grader check: out of memory\n");
            return EXIT_TROUBLE;
        }
        puts(sb_str(json));
    }
    return worst;
}

int cmd_check(int argc, char **argv)
{
    check_opts o = {.min_score = -1};
    opt_result args;
    int code = opts_parse(&cmd_check_options, argc, argv, &o, &args);
    if (code != OPTS_CONTINUE)
        return code;
    bool color = o.color == COLOR_ALWAYS || (o.color == COLOR_AUTO && isatty(STDOUT_FILENO) &&
                                             !(getenv("NO_COLOR") && *getenv("NO_COLOR")));
    gr_error err = {0};
    rubric *r = NULL;
    if (rubric_load_default(o.rubric_path, &r, &err))
        return cmd_fail("check", &err);
    if (!criteria_known(&o, r)) {
        rubric_free(r);
        return EXIT_BADUSE;
    }
    sarif_log sarif;
    sarif_init(&sarif, r, o.show_met);
    o.sarif = &sarif;
    strbuf json;
    sb_init(&json);
    sb_putc(&json, '[');
    char *deflt[] = {r->document};
    if (o.repo)
        code = check_repo(&o, r, args.nargs ? args.args[0] : r->document, &json, color);
    else
        code = args.nargs ? check_files(&o, r, args.args, args.nargs, &json, color)
                          : check_files(&o, r, deflt, 1, &json, color);
    code = print_log(&o, &json, code);
    sarif_free(&sarif);
    sb_free(&json);
    rubric_free(r);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "grader check: cannot write the report\n");
        return EXIT_TROUBLE;
    }
    return code;
}
