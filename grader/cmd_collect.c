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
    OPT_STRING_(0, "reviews", copts, reviews, "FILE",
                "the filled reviews.csv (reviewer,author, then one\n"
                "column per criterion id and/or a total score)"),
    OPT_DB(copts, dbpath,
           "instead of --reviews: the submitted reviews of\n"
           "grader serve's database (its pairs and rubric too,\n"
           "unless --assignments or --rubric is given)"),
    OPT_STRING_(0, "assignments", copts, assignments, "FILE",
                "who had to review whom (default\n"
                "reports/assignments.csv, written by grader assign)"),
    OPT_STRING_(0, "gradebook", copts, gradebook, "FILE",
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
    const char *reviews = c.reviews, *assignments = c.assignments, *gradebook = c.gradebook,
               *rubric_path = c.rubric_path, *dbpath = c.dbpath;
    bool own_assignments = c.assignments != default_assignments;
    collect_opts o = c.o;
    gr_error err = {0};
    rubric *rb = NULL;
    /* --db: the database as the files collect reads, in a private folder. */
    char *dir = NULL, *paths[3] = {NULL, NULL, NULL};
    int rc = 0;
    if (dbpath) {
        const char *tmp = getenv("TMPDIR");
        dir = path_join(tmp && *tmp ? tmp : "/tmp", "grader-collect-XXXXXX");
        if (!dir || !mkdtemp(dir)) {
            free(dir);
            fprintf(stderr, "grader collect: cannot create a temporary folder\n");
            return EXIT_TROUBLE;
        }
        paths[0] = path_join(dir, "reviews.csv");
        paths[1] = path_join(dir, "assignments.csv");
        paths[2] = path_join(dir, "rubric.yml");
        if (!(rc = serve_export_files(dbpath, dir, &err))) {
            reviews = paths[0];
            if (!own_assignments)
                assignments = paths[1];
            if (!rubric_path)
                rubric_path = paths[2];
        }
    }
    if (!rc)
        rc = rubric_load_default(rubric_path, &rb, &err);
    collect_stats st;
    o.rb = rb;
    /* grade rewrites the same gradebook: one run at a time per folder */
    gr_lock lock = {0};
    char *gbdir = NULL;
    if (!rc)
        rc = (gbdir = lock_dir_of(gradebook))
                 ? lock_take(&lock, gbdir, LOCK_REPORTS, "collect", &err)
                 : gr_error_nomem(&err);
    if (!rc)
        rc = collect_run(reviews, assignments, gradebook, &o, &st, &err);
    if (rc)
        lock_abandon(&lock);
    else
        lock_release(&lock);
    free(gbdir);
    rubric_free(rb);
    for (int i = 0; dir && i < 3; i++) {
        unlink(paths[i]);
        free(paths[i]);
    }
    if (dir)
        rmdir(dir);
    free(dir);
    if (rc)
        return cmd_fail("collect", &err);
    printf("%zu of %zu assigned reviews done, %zu missing; %zu reviewer%s flagged; updated %s "
           "(%zu students)\n",
           st.reviewed, st.assigned, st.missing, st.flagged, st.flagged == 1 ? "" : "s", gradebook,
           st.students);
    return EXIT_PASS;
}
