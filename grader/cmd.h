/* cmd.h - the subcommands, dispatched from main.c's table. */
#ifndef GRADER_CMD_H
#define GRADER_CMD_H

#include "error.h"
#include "options.h"

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

/* Each command's options (options.h), for main's --dump-options. */
extern const opt_command cmd_check_options, cmd_fetch_options, cmd_similar_options,
    cmd_grade_options, cmd_merge_options, cmd_assign_options, cmd_collect_options,
    cmd_serve_options;

/* merge's options: those of grade that merge takes (offsets into grade's
 * own option struct), for cmd_merge_options. */
extern const opt_spec grade_merge_table[];

/* grade's pipeline, for grade and merge (positional arguments are the
 * shards' folders, read by shard_merge_cohort). */
int grade_main(int argc, char **argv, const opt_command *cmd);

/* Print err as "grader <cmd>: file:line:col: message" to stderr and map its
 * code to an exit code. */
int cmd_fail(const char *cmd, const gr_error *err);

/* Exit code for an error code. */
int exit_code_for(int code);

#endif
