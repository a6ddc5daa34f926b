/* cmd_collect.c - `grader collect`: filled peer reviews into the gradebook. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "collect.h"
#include "lock.h"
#include "options.h"
#include "rubric.h"
#include "serve_init.h"
#include "util.h"

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0) || v > 1e6)
        return -1;
    *out = v;
    return 0;
}

static int parse_weights(const char *s, collect_opts *o)
{
    char buf[256];
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq)
            return -1;
        *eq = 0;
        double *dst = !strcmp(tok, "auto") ? &o->w_auto : !strcmp(tok, "peer") ? &o->w_peer : NULL;
        if (!dst || parse_double(eq + 1, dst))
            return -1;
    }
    return o->w_auto + o->w_peer > 0 ? 0 : -1;
}

typedef struct copts {
    const char *reviews, *assignments, *gradebook, *rubric_path, *dbpath;
    collect_opts o;
} copts;

static int weights_option(void *base, const char *arg, gr_error *err)
{
    if (parse_weights(arg, &((copts *)base)->o))
        return gr_error_set(err, GR_EUSAGE, "", 0, 0,
                            "--weights takes auto=W,peer=W (W >= 0, not both 0), not '%s'", arg);
    return 0;
}

static const char default_assignments[] = "reports/assignments.csv";

static const opt_spec collect_table[] = {
    OPT_PATH_(0, "reviews", copts, reviews, "FILE",
              "the filled reviews.csv (reviewer,author, then one\n"
              "column per criterion id and/or a total score)"),
    OPT_DB(copts, dbpath,
           "instead of --reviews: the submitted reviews of\n"
           "grader serve's database (its pairs and rubric too,\n"
           "unless --assignments or --rubric is given)"),
    OPT_PATH_(0, "assignments", copts, assignments, "FILE",
              "who had to review whom (default\n"
              "reports/assignments.csv, written by grader assign)"),
    OPT_PATH_(0, "gradebook", copts, gradebook, "FILE",
              "gradebook to update (default reports/gradebook.csv,\n"
              "written by grader grade)"),
    OPT_RUBRIC(copts, rubric_path, "criteria and points (default: the bundled rubric)"),
    OPT_CALL_("weights", "auto=W,peer=W", weights_option,
              "final = (W_auto*percent + W_peer*peer_percent) /\n"
              "(W_auto + W_peer) (default auto=0.5,peer=0.5);\n"
              "students without peer reviews keep their percent"),
    {.kind = OPT_DOUBLE,
     .name = "penalty",
     .arg = "P",
     .help = "percentage points off a reviewer's final grade for\n"
             "each assigned review not done (default 0)",
     .off = offsetof(copts, o.penalty),
     .dmin = 0,
     .dmax = 1e6,
     .what = "a number >= 0"},
    OPT_HELP_ENTRY,
    OPT_END_ENTRY,
};

const opt_command cmd_collect_options = {
    "collect",
    "usage: grader collect --reviews FILE|--db FILE [options]\n"
    "\n"
    "Validate the filled peer reviews and add the peer columns to the gradebook:\n"
    "peer_reviews, peer_median, peer_percent, reviews_missing,\n"
    "reviewer_deviation, reviewer_flag, final, reviewer_helpful (from the\n"
    "authors' votes in grader serve). Running it again replaces them.\n"
    "\n",
    collect_table,
    "\n"
    "exit: 0 done, 2 usage error or a bad review (file:line: message; nothing\n"
    "      written), 3 could not write the gradebook (or another grade or\n"
    "      collect is using its folder)\n",
    OPT_ARGS_NONE,
};

/* --db: the database as the files collect reads, in a private folder. */
typedef struct db_files {
    char *dir, *paths[3]; /* reviews.csv, assignments.csv, rubric.yml */
} db_files;

static int export_db(copts *c, db_files *f, gr_error *err)
{
    const char *tmp = getenv("TMPDIR");
    f->dir = path_join(tmp && *tmp ? tmp : "/tmp", "grader-collect-XXXXXX");
    if (!f->dir || !mkdtemp(f->dir)) {
        free(f->dir);
        f->dir = NULL;
        return gr_error_set(err, GR_EIO, "", 0, 0, "cannot create a temporary folder");
    }
    f->paths[0] = path_join(f->dir, "reviews.csv");
    f->paths[1] = path_join(f->dir, "assignments.csv");
    f->paths[2] = path_join(f->dir, "rubric.yml");
    if (!f->paths[0] || !f->paths[1] || !f->paths[2])
        return gr_error_nomem(err);
    int rc = serve_export_files(c->dbpath, f->dir, err);
    if (rc)
        return rc;
    c->reviews = f->paths[0];
    if (c->assignments == default_assignments)
        c->assignments = f->paths[1];
    if (!c->rubric_path)
        c->rubric_path = f->paths[2];
    return 0;
}

static void db_files_remove(db_files *f)
{
    for (int i = 0; f->dir && i < 3; i++) {
        if (f->paths[i])
            unlink(f->paths[i]);
        free(f->paths[i]);
    }
    if (f->dir)
        rmdir(f->dir);
    free(f->dir);
}

/* The rubric, then the gradebook rewritten while its folder is held:
 * grade rewrites the same gradebook, one run at a time per folder. */
static int collect_locked(const copts *c, collect_stats *st, gr_error *err)
{
    rubric *rb = NULL;
    gr_lock lock = {0};
    char *gbdir = NULL;
    collect_opts o = c->o;
    int rc = rubric_load_default(c->rubric_path, &rb, err);
    o.rb = rb;
    if (!rc)
        rc = (gbdir = lock_dir_of(c->gradebook))
                 ? lock_take(&lock, gbdir, LOCK_REPORTS, "collect", err)
                 : gr_error_nomem(err);
    if (!rc)
        rc = collect_run(c->reviews, c->assignments, c->gradebook, &o, st, err);
    if (rc)
        lock_abandon(&lock);
    else
        lock_release(&lock);
    free(gbdir);
    rubric_free(rb);
    return rc;
}

int cmd_collect(int argc, char **argv)
{
    copts c = {.assignments = default_assignments,
               .gradebook = "reports/gradebook.csv",
               .o = {.w_auto = 0.5, .w_peer = 0.5}};
    opt_result res;
    int code = opts_parse(&cmd_collect_options, argc, argv, &c, &res);
    if (code != OPTS_CONTINUE)
        return code;
    if (!c.reviews == !c.dbpath) {
        fprintf(stderr, "grader collect: give --reviews FILE or --db FILE\n");
        return EXIT_BADUSE;
    }
    gr_error err = {0};
    db_files f = {0};
    collect_stats st;
    int rc = c.dbpath ? export_db(&c, &f, &err) : 0;
    if (!rc)
        rc = collect_locked(&c, &st, &err);
    db_files_remove(&f);
    if (rc)
        return cmd_fail("collect", &err);
    printf("%zu of %zu assigned reviews done, %zu missing; %zu reviewer%s flagged; updated %s "
           "(%zu students)\n",
           st.reviewed, st.assigned, st.missing, st.flagged, st.flagged == 1 ? "" : "s",
           c.gradebook, st.students);
    return EXIT_PASS;
}
