/* cmd.h - the subcommands, dispatched from main.c's table. */
#ifndef GRADER_CMD_H
#define GRADER_CMD_H

#include "error.h"

/* Exit codes every subcommand keeps, so scripts can rely on them. */
enum {
    EXIT_PASS = 0,    /* success; for check/grade: the post(s) passed */
    EXIT_BELOW = 1,   /* ran fine, but a post is below the pass mark or a student failed */
    EXIT_BADUSE = 2,  /* usage error or bad input (rubric, roster, post, reviews) */
    EXIT_TROUBLE = 3, /* could not complete: I/O error, out of memory, internal error */
};

/* Each returns an exit code from the enum above. argv[0] is the
 * subcommand's name. */
int cmd_check(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_similar(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_assign(int argc, char **argv);
int cmd_collect(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_merge(int argc, char **argv);

/* grade's pipeline: cmd "grade", or "merge" (positional arguments are
 * the shards' folders, read by shard_merge_cohort); help replaces grade's
 * --help when not NULL. */
int grade_main(int argc, char **argv, const char *cmd, const char *help);

/* Print err as "grader <cmd>: file:line:col: message" to stderr and map its
 * code to an exit code. */
int cmd_fail(const char *cmd, const gr_error *err);

/* Exit code for an error code. */
int exit_code_for(int code);

#endif
