/* manifest.h - submissions/manifest.csv: what grader fetch found for each
 * student (fetch_result rows), written by fetch and read back by grade,
 * similar, assign (through cohort.h) and by the next fetch, which carries
 * each student's first_seen forward. */
#ifndef GRADER_MANIFEST_H
#define GRADER_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct fetch_result fetch_result; /* fetch.h */
struct csvtab;

typedef struct fetch_manifest {
    char *path;
    fetch_result *v; /* strings live in tab */
    size_t n;
    /* private */
    struct csvtab *tab;
    struct str_index *by_id; /* rows sorted by id (util.h) */
} fetch_manifest;

/* Read manifest.csv (as written by fetch_manifest_write) through csvtab.
 * Errors name the line (GR_EINPUT): a missing column, an unknown status, a
 * bad commit id or time, a duplicate id. */
int fetch_manifest_load(const char *path, fetch_manifest **out, gr_error *err);
/* loose: only id and status are required; an unknown status reads as
 * FETCH_ERROR and the commit is taken as written (assign --manifest FILE:
 * who submitted, from a file that may not be grader fetch's own). */
int fetch_manifest_read(const char *path, bool loose, fetch_manifest **out, gr_error *err);
void fetch_manifest_free(fetch_manifest *m);
/* The row for id (a binary search), or NULL. */
const fetch_result *fetch_manifest_find(const fetch_manifest *m, const char *id);
/* Write rows atomically (afile), cells through csv_cell. */
int fetch_manifest_write(const char *path, const fetch_result *v, size_t n, gr_error *err);

/* The manifest of an earlier fetch into folder into, for its first_seen
 * times: *out NULL when there is none. One that cannot be read is an error
 * (naming the line, saying what to do), never a silent fresh start: that
 * would reset every student's first_seen. */
int fetch_manifest_load_previous(const char *into, fetch_manifest **out, gr_error *err);

#endif
