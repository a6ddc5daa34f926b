/* csvtab.h - a whole CSV file as a table of strings, columns by header name.
 * For the files grader itself writes and instructors edit (manifest,
 * assignments, reviews, gradebook); the roster has its own module. */
#ifndef GRADER_CSVTAB_H
#define GRADER_CSVTAB_H

#include <stddef.h>

#include "error.h"

typedef struct csvtab {
    char *path;
    char **head; /* header cells, trimmed */
    size_t ncols;
    char ***rows; /* nrows x ncols, short rows padded with "" */
    int *line;    /* line where each row starts (1-based) */
    size_t nrows;
} csvtab;

/* Load path (at most cap bytes). Errors: "path:LINE: ..." (GR_EINPUT) for
 * malformed CSV or a row longer than the header. */
int csvtab_load(const char *path, size_t cap, csvtab **out, gr_error *err);
void csvtab_free(csvtab *t);
/* Index of the column named name (case-insensitive), or -1. */
int csvtab_col(const csvtab *t, const char *name);

#endif
