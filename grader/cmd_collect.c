/* cmd_collect.c - `grader collect`: filled peer reviews into the gradebook. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "collect.h"
#include "lock.h"
#include "rubric.h"
#include "serve_init.h"
#include "util.h"

static const char usage_text[] =
    "usage: grader collect --reviews FILE|--db FILE [options]\n"
    "\n"
    "Validate the filled peer reviews and add the peer columns to the gradebook:\n"
    "peer_reviews, peer_median, peer_percent, reviews_missing,\n"
    "reviewer_deviation, reviewer_flag, final, reviewer_helpful (from the\n"
    "authors' votes in grader serve). Running it again replaces them.\n"
    "\n"
    "  --reviews FILE         the filled reviews.csv (reviewer,author, then one\n"
    "                         column per criterion id and/or a total score)\n"
    "  --db FILE              instead of --reviews: the submitted reviews of\n"
    "                         grader serve's database (its pairs and rubric too,\n"
    "                         unless --assignments or --rubric is given)\n"
    "  --assignments FILE     who had to review whom (default\n"
    "                         reports/assignments.csv, written by grader assign)\n"
    "  --gradebook FILE       gradebook to update (default reports/gradebook.csv,\n"
    "                         written by grader grade)\n"
    "  --rubric FILE          criteria and points (default: the bundled rubric)\n"
    "  --weights auto=W,peer=W\n"
    "                         final = (W_auto*percent + W_peer*peer_percent) /\n"
    "                         (W_auto + W_peer) (default auto=0.5,peer=0.5);\n"
    "                         students without peer reviews keep their percent\n"
    "  --penalty P            percentage points off a reviewer's final grade for\n"
    "                         each assigned review not done (default 0)\n"
    "  -h, --help             this help\n"
    "\n"
    "exit: 0 done, 2 usage error or a bad review (file:line: message; nothing\n"
    "      written), 3 could not write the gradebook (or another grade or\n"
    "      collect is using its folder)\n";

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

int cmd_collect(int argc, char **argv)
{
    static const struct option longopts[] = {{"reviews", required_argument, NULL, 'v'},
                                             {"assignments", required_argument, NULL, 'a'},
                                             {"gradebook", required_argument, NULL, 'g'},
                                             {"rubric", required_argument, NULL, 'r'},
                                             {"weights", required_argument, NULL, 'w'},
                                             {"penalty", required_argument, NULL, 'p'},
                                             {"db", required_argument, NULL, 'd'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *reviews = NULL, *assignments = "reports/assignments.csv",
               *gradebook = "reports/gradebook.csv", *rubric_path = NULL, *dbpath = NULL;
    bool own_assignments = false;
    collect_opts o = {.w_auto = 0.5, .w_peer = 0.5};
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'v':
            reviews = optarg;
            break;
        case 'a':
            assignments = optarg;
            own_assignments = true;
            break;
        case 'd':
            dbpath = optarg;
            break;
        case 'g':
            gradebook = optarg;
            break;
        case 'r':
            rubric_path = optarg;
            break;
        case 'w':
            if (parse_weights(optarg, &o)) {
                fprintf(stderr,
                        "grader collect: --weights takes auto=W,peer=W (W >= 0, not "
                        "both 0), not '%s'\n",
                        optarg);
                return EXIT_BADUSE;
            }
            break;
        case 'p':
            if (parse_double(optarg, &o.penalty)) {
                fprintf(stderr, "grader collect: --penalty takes a number >= 0, not '%s'\n",
                        optarg);
                return EXIT_BADUSE;
            }
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_PASS;
        default:
            fprintf(stderr,
                    "grader collect: unknown option or missing value '%s'; see 'grader collect "
                    "--help'\n",
                    argv[optind - 1]);
            return EXIT_BADUSE;
        }
    }
    if (optind < argc || !reviews == !dbpath) {
        fprintf(stderr, optind < argc ? "grader collect: unexpected argument\n"
                                      : "grader collect: give --reviews FILE or --db FILE\n");
        return EXIT_BADUSE;
    }
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
    char *rpath = rubric_path ? strdup(rubric_path) : rubric_default_path();
    if (!rc && rpath)
        rc = rubric_load(rpath, &rb, &err);
    free(rpath);
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
