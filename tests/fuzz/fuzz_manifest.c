/* libFuzzer target: any bytes as submissions/manifest.csv, the file fetch
 * writes and grade reads back (an instructor may edit it). A manifest
 * that loads is written again and must read back the same. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "fetch.h"
#include "fuzzutil.h"
#include "util.h"

/* A display cell (repo, detail) may come back with csv_cell's guard. */
static bool shown_same(const char *x, const char *y)
{
    return !strcmp(x, y) || (csv_is_formula(x) && y[0] == '\'' && !strcmp(y + 1, x));
}

/* The path must come back as it was, but for the one case csv_unguard
 * documents: a value that began with an apostrophe and a formula. */
static bool path_same(const char *x, const char *y)
{
    return !strcmp(x, y) || (x[0] == '\'' && csv_is_formula(x + 1) && !strcmp(x + 1, y));
}

static void same(const fetch_manifest *a, const fetch_manifest *b)
{
    if (a->n != b->n)
        abort();
    for (size_t i = 0; i < a->n; i++) {
        const fetch_result *x = &a->v[i], *y = &b->v[i];
        if (strcmp(x->id, y->id) || !shown_same(x->repo, y->repo) || x->status != y->status ||
            strcmp(x->commit, y->commit) || x->commit_time != y->commit_time ||
            x->late != y->late || x->late_commits != y->late_commits ||
            !path_same(x->path, y->path) || x->first_seen != y->first_seen ||
            !shown_same(x->detail, y->detail))
            abort();
        if (fetch_manifest_find(b, x->id) != y)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > GR_MAX_INPUT)
        return 0;
    const char *path = fuzz_file("manifest.csv", data, size);
    fetch_manifest *m = NULL;
    gr_error err = {0};
    if (fetch_manifest_load(path, &m, &err) != 0) {
        if (m || err.code >= 0 || !err.msg[0])
            abort();
        return 0;
    }
    const char *again = fuzz_file("again.csv", "", 0);
    if (fetch_manifest_write(again, m->v, m->n, &err) != 0)
        abort();
    fetch_manifest *m2 = NULL;
    if (fetch_manifest_load(again, &m2, &err) != 0)
        abort();
    same(m, m2);
    fetch_manifest_free(m2);
    fetch_manifest_free(m);
    return 0;
}
