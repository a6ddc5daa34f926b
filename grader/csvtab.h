/* csvtab.h - the one CSV reader: a whole table, columns by header name,
 * read against a schema, every error "file:LINE: message".
 *
 * For every CSV file grader reads (roster, manifest, gradebook, reviews,
 * assignments). One convention for all of them:
 *   - a UTF-8 BOM is skipped; CRLF and LF both end rows; quoted fields may
 *     hold commas, quotes ("") and newlines;
 *   - every cell and header name is trimmed of spaces and tabs at both ends;
 *   - header names match case-insensitively; rows with only empty cells
 *     (",,," that spreadsheets leave) are skipped; short rows are padded
 *     with ""; extra cells are an error unless empty;
 *   - a row's line is the line where it starts.
 *
 * The file is read in chunks and cells are kept in large blocks, so a
 * 100,000-row table costs its size plus a pointer per cell.
 *
 *     static const csv_column cols[] = {
 *         {"id", {"identifier"}, CSV_REQUIRED | CSV_NONEMPTY, CSV_TEXT},
 *         {"late_commits", {0}, CSV_REQUIRED, CSV_INT, .min = 0, .max = 1000000},
 *     };
 *     static const csv_schema sc = {.what = "manifest", .cols = cols, .ncols = 2};
 *     csvtab *t;
 *     if (csvtab_read(path, &sc, &t, &err)) ...
 *     csvtab_get(t, row, 1)   -> the late_commits cell of row ("" when absent)
 */
#ifndef GRADER_CSVTAB_H
#define GRADER_CSVTAB_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Instructors' files: a cohort of 100,000 students is tens of MB. The cap
 * bounds a runaway file, not a class. */
#define CSVTAB_MAX_FILE ((size_t)1 << 30)
#define CSVTAB_MAX_FIELD ((size_t)1 << 20)

enum csv_type {
    CSV_TEXT,   /* anything */
    CSV_INT,    /* a whole number in [min, max] (empty allowed unless CSV_NONEMPTY) */
    CSV_NUMBER, /* a finite decimal number */
    CSV_YESNO,  /* yes or no */
};

enum {
    CSV_REQUIRED = 1, /* the header must have the column */
    CSV_NONEMPTY = 2, /* every row must fill it */
};

typedef struct csv_column {
    const char *name;     /* as written by grader; matched case-insensitively */
    const char *alias[3]; /* other header names accepted (NULL-terminated) */
    unsigned flags;       /* CSV_REQUIRED, CSV_NONEMPTY */
    enum csv_type type;
    long long min, max;  /* CSV_INT */
    const char *missing; /* message when a required column is absent (NULL: the default) */
} csv_column;

typedef struct csv_schema {
    const char *what;        /* "roster", "manifest", ...: "empty roster: ..." */
    const char *header_hint; /* after "expected a header row", e.g. " (id,name,github,repo)" */
    const char *expect;      /* after "no X column in the header", e.g. ": not a grader manifest" */
    const csv_column *cols;
    size_t ncols;
    size_t max_field;   /* bytes per cell; 0: CSVTAB_MAX_FIELD */
    size_t max_file;    /* bytes; 0: CSVTAB_MAX_FILE */
    bool unique_header; /* every header name once (else only the schema's columns) */
} csv_schema;

typedef struct csvtab_block csvtab_block;

typedef struct csvtab {
    char *path;
    char **head; /* header names, trimmed */
    size_t ncols;
    int head_line; /* line of the header (1 unless blank lines precede it) */
    char ***rows;  /* nrows x ncols, short rows padded with "" */
    int *line;     /* line where each row starts (1-based) */
    size_t nrows;
    int *col; /* per schema column: its index in the header, -1 when absent */
    /* private */
    char **cells;
    size_t capcells;
    csvtab_block *blocks;
} csvtab;

/* Read path against schema (NULL: no columns required). Errors name the
 * file and line: malformed CSV, a cell over the size cap or holding a NUL,
 * extra cells, a required column missing, a cell of the wrong type
 * (GR_EINPUT), a file over the cap (GR_ELIMIT). */
int csvtab_read(const char *path, const csv_schema *schema, csvtab **out, gr_error *err);
/* csvtab_read with no schema and a file cap of cap bytes. */
int csvtab_load(const char *path, size_t cap, csvtab **out, gr_error *err);
void csvtab_free(csvtab *t);

/* Index of the header column named name (case-insensitive), or -1. */
int csvtab_col(const csvtab *t, const char *name);
/* Cell of row in header column col; "" when col < 0. */
const char *csvtab_cell(const csvtab *t, size_t row, int col);
/* Cell of row in schema column k; "" when the header lacks it. */
const char *csvtab_get(const csvtab *t, size_t row, size_t k);
/* Does the header have schema column k? */
bool csvtab_has(const csvtab *t, size_t k);
/* A copy of s (n bytes) owned by the table, freed with it; NULL when out
 * of memory. For strings derived from cells (a URL built from a template). */
char *csvtab_strndup(csvtab *t, const char *s, size_t n);

/* Is s a whole number in [min, max]? */
bool csv_parse_int(const char *s, long long min, long long max, long long *out);

#endif
