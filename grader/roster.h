/* roster.h - a class roster read from CSV (csvtab), columns found by header name. */
#ifndef GRADER_ROSTER_H
#define GRADER_ROSTER_H

#include <stddef.h>

#include "error.h"

struct csvtab;
struct shard_spec;

/* Strings are the roster's own (freed by roster_free), never NULL except
 * group. */
typedef struct roster_entry {
    char *id;      /* unique, safe as a folder name (submissions/<id>.git) */
    char *name;    /* may be "" */
    char *github;  /* GitHub user name, may be "" */
    char *repo;    /* clone URL or local path; from the repo column or the template */
    char *group;   /* the `group` column, NULL when absent */
    int line;      /* roster line where the row starts (1-based) */
    char **fields; /* every column of the row, in header order, trimmed */
} roster_entry;

typedef struct roster {
    char *path;
    char **columns; /* header names, as written */
    size_t ncolumns;
    roster_entry *v;
    size_t n;
    struct csvtab *tab; /* private: the table every string lives in */
} roster;

typedef struct roster_opts {
    /* e.g. "https://github.com/{github}/alx-system_engineering-devops";
     * used when there is no repo column. {github} and {id} expand. */
    const char *repo_template;
    /* only this shard's students (shard.h): the one place fetch and grade
     * split a cohort. NULL: all. The whole roster is checked first. */
    const struct shard_spec *shard;
} roster_opts;

/* Load and validate; errors are "roster.csv:LINE: ..." (exit 2). */
int roster_load(const char *path, const roster_opts *opts, roster **out, gr_error *err);
void roster_free(roster *r);

/* Value of a column (by header name, case-insensitive) for entry i, or NULL
 * when the roster has no such column. */
const char *roster_field(const roster *r, size_t i, const char *column);
/* Why id is unsafe as the folder name submissions/<id>.git, or one the
 * CSV files grader writes would change (a formula guard), or NULL. */
const char *roster_id_problem(const char *id);

#endif
