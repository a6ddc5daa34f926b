/* serve_init.h - the assignment from grader's files into grader serve's
 * database: the roster's students, each gradable post read from the
 * fetched repository at its graded commit (with the rubric's automatic
 * points), the pairs of assignments.csv and the rubric. Used by
 * `grader serve --init` and `grader assign --db`. */
#ifndef GRADER_SERVE_INIT_H
#define GRADER_SERVE_INIT_H

#include "db.h"
#include "error.h"

typedef struct serve_init_opts {
    const char *db;            /* database file (created when missing) */
    const char *roster;        /* roster.csv */
    const char *repo_template; /* when the roster has no repo column */
    const char *assignments;   /* default reports/assignments.csv */
    const char *submissions;   /* default submissions (its manifest.csv and repositories) */
    const char *rubric;        /* default: the bundled rubric */
} serve_init_opts;

/* Read everything first, then import in one transaction: a bad file
 * changes nothing. */
int serve_init_run(const serve_init_opts *o, db_import_stats *st, gr_error *err);

/* For grader collect --db: the database's submitted reviews, its pairs and
 * its rubric as DIR/reviews.csv, DIR/assignments.csv and DIR/rubric.yml, the
 * files collect reads (so both routes pass one validator). */
int serve_export_files(const char *dbpath, const char *dir, gr_error *err);

#endif
