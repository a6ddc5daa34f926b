/* cmd_serve.c - `grader serve`: peer review in the browser. --init puts
 * the assignment into the database, --links hands out private links, and
 * without either it serves the pages. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "cmd.h"
#include "csvout.h"
#include "db.h"
#include "fetch.h"
#include "options.h"
#include "serve.h"
#include "serve_init.h"
#include "util.h"

typedef struct sopts {
    const char *db, *listen, *port_file, *links, *base_url, *anonymous, *deadline;
    int anon; /* --anonymous: -1 not given, else the index of anonymous_names */
    serve_init_opts init;
    bool do_init, reissue;
    int threads;
} sopts;

static const char *const anonymous_names[] = {"authors", "both", "none", NULL};

#define SUB .flags = OPTF_INDENT
static const opt_spec serve_table[] = {
    OPT_DB(sopts, db, "the database (SQLite; created by --init)", .flags = OPTF_REQUIRED),
    OPT_FLAG_(0, "init", sopts, do_init,
              "import the assignment, then exit; again after\n"
              "grader assign --keep adds late students (existing\n"
              "links and reviews are kept)"),
    OPT_ROSTER(sopts, init.roster, "class roster", SUB),
    OPT_PATH_(0, "assignments", sopts, init.assignments, "FILE",
              "who reviews whom (default reports/assignments.csv)", SUB),
    OPT_SUBMISSIONS(sopts, init.submissions,
                    "fetched repositories and manifest.csv (default\n"
                    "submissions): posts are read at the graded commit",
                    SUB),
    OPT_RUBRIC(sopts, init.rubric, "rubric (default: the bundled one)", SUB),
    OPT_REPO_TEMPLATE(sopts, init.repo_template,
                      "repository URL when the roster has no repo column", SUB),
    OPT_PATH_(0, "links", sopts, links, "FILE",
              "write id,name,link (CSV, '-' for stdout) for everyone\n"
              "who has no link yet, then exit. Links are shown only\n"
              "once: the database keeps only their SHA-256"),
    OPT_FLAG_(0, "reissue", sopts, reissue, "new links for everyone (the old ones stop working)",
              SUB),
    OPT_STRING_(0, "base-url", sopts, base_url, "URL",
                "the address students open, e.g.\n"
                "https://review.example.edu (stored)",
                SUB),
    OPT_STRING_(0, "listen", sopts, listen, "ADDR:PORT",
                "where to listen (default 127.0.0.1:8080; port 0: any\n"
                "free port). Put TLS in front with a reverse proxy"),
    OPT_PATH_(0, "port-file", sopts, port_file, "FILE", "write the bound port there (for scripts)"),
    OPT_UINT_(0, "threads", sopts, threads, "N", 1, 64, "worker threads (default 4)"),
    OPT_ENUM_("anonymous", sopts, anon, "authors|both|none", anonymous_names,
              "who is hidden: authors from reviewers, and reviewers\n"
              "from authors too (both, the default), or nobody (stored)"),
    OPT_STRING_(0, "deadline", sopts, deadline, "TIME",
                "reviews can be changed until then, e.g.\n"
                "2026-04-12T23:59:00Z; 'none' for no deadline (stored)"),
    OPT_HELP_ENTRY,
    OPT_END_ENTRY,
};

const opt_command cmd_serve_options = {
    "serve",
    "usage: grader serve --db FILE --init --roster FILE [init options]\n"
    "       grader serve --db FILE --links FILE [--base-url URL] [--reissue]\n"
    "       grader serve --db FILE [--listen ADDR:PORT] [settings]\n"
    "\n"
    "Peer review in the browser: each reviewer opens a private link, reads the\n"
    "posts they review and fills the rubric; the instructor's link shows the\n"
    "progress and downloads reviews.csv (or: grader collect --db FILE).\n"
    "\n",
    serve_table,
    "\n"
    "exit: 0 done (the server stopped by SIGINT/SIGTERM), 2 usage or input error,\n"
    "      3 could not open the database, write the links or listen\n",
    OPT_ARGS_NONE,
};

static int parse_args(int argc, char **argv, sopts *o)
{
    opt_result res;
    int code = opts_parse(&cmd_serve_options, argc, argv, o, &res);
    if (code != OPTS_CONTINUE)
        return code;
    if (o->anon >= 0)
        o->anonymous = anonymous_names[o->anon];
    if (o->do_init && !o->init.roster) {
        fprintf(stderr, "grader serve: --init needs --roster FILE\n");
        return EXIT_BADUSE;
    }
    return OPTS_CONTINUE;
}

typedef struct link_out {
    FILE *fp;
    const char *base;
} link_out;

static int write_link(void *ctx, const char *role, const char *id, const char *name,
                      const char *token)
{
    link_out *l = ctx;
    csv_cell(l->fp, id);
    csv_sep(l->fp);
    csv_cell(l->fp, name);
    csv_sep(l->fp);
    fprintf(l->fp, "%s/%s/%s/", l->base, !strcmp(role, "instructor") ? "i" : "r", token);
    csv_eol(l->fp);
    return ferror(l->fp) ? -1 : 0;
}

static int do_links(db *d, const sopts *o, gr_error *err)
{
    char *base = NULL;
    int rc = 0;
    if (o->base_url) {
        size_t n = strlen(o->base_url);
        while (n && o->base_url[n - 1] == '/')
            n--;
        if (strncmp(o->base_url, "http://", 7) && strncmp(o->base_url, "https://", 8))
            return gr_error_set(err, GR_EUSAGE, "", 0, 0,
                                "--base-url takes http://... or https://..., not '%s'",
                                o->base_url);
        char *b = strndup(o->base_url, n);
        if (!b || (rc = db_set(d, "base_url", b, err))) {
            free(b);
            return rc ? rc : gr_error_nomem(err);
        }
        free(b);
    }
    if ((rc = db_get(d, "base_url", &base, err)))
        return rc;
    if (!base)
        return gr_error_set(err, GR_EUSAGE, "", 0, 0,
                            "--links needs --base-url URL once: the address students open "
                            "(e.g. https://review.example.edu, or http://127.0.0.1:8080)");
    afile af = {0};
    bool to_stdout = !strcmp(o->links, "-");
    link_out l = {stdout, base};
    if (!to_stdout) {
        if ((rc = afile_open(&af, o->links, err)))
            goto out;
        fchmod(fileno(af.fp), 0600); /* secrets */
        l.fp = af.fp;
    }
    fputs("id,name,link", l.fp);
    csv_eol(l.fp);
    size_t issued = 0;
    if ((rc = db_issue_links(d, o->reissue, write_link, &l, &issued, err)))
        goto out;
    if (!to_stdout && (rc = afile_commit(&af, err)))
        goto out;
    fprintf(to_stdout ? stderr : stdout, "grader serve: %zu new link%s%s%s\n", issued,
            issued == 1 ? "" : "s", to_stdout ? "" : " in ", to_stdout ? "" : o->links);
out:
    afile_abort(&af);
    free(base);
    return rc;
}

static int store_settings(db *d, const sopts *o, gr_error *err)
{
    int rc = 0;
    if (o->anonymous && (rc = db_set(d, "anonymous", o->anonymous, err)))
        return rc;
    if (o->deadline) {
        char buf[32] = "";
        if (strcmp(o->deadline, "none")) {
            int64_t t;
            if ((rc = fetch_parse_time(o->deadline, &t, err)))
                return rc;
            snprintf(buf, sizeof buf, "%lld", (long long)t);
        }
        rc = db_set(d, "deadline", buf, err);
    }
    return rc;
}

int cmd_serve(int argc, char **argv)
{
    sopts o = {.anon = -1};
    int code = parse_args(argc, argv, &o);
    if (code != OPTS_CONTINUE)
        return code;
    gr_error err = {0};
    db *d = NULL;
    int rc = 0;
    if (o.listen) {
        struct sockaddr_storage ss;
        if ((rc = serve_parse_listen(o.listen, &ss, &err)))
            return cmd_fail("serve", &err);
    }
    if (o.do_init) {
        o.init.db = o.db;
        db_import_stats st;
        if ((rc = serve_init_run(&o.init, &st, &err)))
            return cmd_fail("serve", &err);
        printf("grader serve: %s: %zu new students, %zu new posts, %zu new pairs; %zu pairs "
               "dropped, %zu kept for their reviews\n",
               o.db, st.people_new, st.posts_new, st.pairs_new, st.pairs_dropped,
               st.pairs_reviewed_kept);
    }
    if ((rc = db_open(o.db, false, &d, &err)) || (rc = store_settings(d, &o, &err)))
        goto out;
    if (o.links)
        rc = do_links(d, &o, &err);
    else if (!o.do_init) {
        serve_opts so = {.listen = o.listen, .port_file = o.port_file, .threads = o.threads};
        rc = serve_run(d, &so, &err);
    }
out:
    db_close(d);
    return rc ? cmd_fail("serve", &err) : EXIT_PASS;
}
