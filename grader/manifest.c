/* manifest.c - submissions/manifest.csv, read through csvtab's schema and
 * written through csvout. */
#include "manifest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvout.h"
#include "csvtab.h"
#include "fetch.h"
#include "roster.h"
#include "util.h"

enum {
    M_ID,
    M_REPO,
    M_STATUS,
    M_COMMIT,
    M_COMMIT_TIME,
    M_LATE,
    M_LATE_COMMITS,
    M_PATH,
    M_FIRST_SEEN,
    M_DETAIL,
    M_MISNAMED, /* optional: manifests before it are read as "no" */
    NMANIFEST
};

#define REQ CSV_REQUIRED
static const csv_column manifest_columns[NMANIFEST] = {
    [M_ID] = {"id", {NULL}, REQ | CSV_NONEMPTY, CSV_TEXT, 0, 0, NULL},
    [M_REPO] = {"repo", {"repository"}, REQ, CSV_TEXT, 0, 0, NULL},
    [M_STATUS] = {"status", {NULL}, REQ, CSV_TEXT, 0, 0, NULL},
    [M_COMMIT] = {"commit", {NULL}, REQ, CSV_TEXT, 0, 0, NULL},
    [M_COMMIT_TIME] = {"commit_time", {NULL}, REQ, CSV_TEXT, 0, 0, NULL},
    [M_LATE] = {"late", {NULL}, REQ | CSV_NONEMPTY, CSV_YESNO, 0, 0, NULL},
    [M_LATE_COMMITS] = {"late_commits", {NULL}, REQ | CSV_NONEMPTY, CSV_INT, 0, 1000000000, NULL},
    [M_PATH] = {"path", {NULL}, REQ, CSV_TEXT, 0, 0, NULL},
    [M_FIRST_SEEN] = {"first_seen", {NULL}, REQ, CSV_TEXT, 0, 0, NULL},
    [M_DETAIL] = {"detail", {NULL}, REQ, CSV_TEXT, 0, 0, NULL},
    [M_MISNAMED] = {"misnamed", {NULL}, 0, CSV_YESNO, 0, 0, NULL},
};

static const csv_schema manifest_schema = {
    .what = "manifest",
    .header_hint = " (id,repo,status,...: written by grader fetch)",
    .expect = ": not a grader manifest (written by grader fetch)",
    .cols = manifest_columns,
    .ncols = NMANIFEST,
};

/* The loose form: only id and status, any status and commit text (a
 * manifest written by hand or by another tool, for who submitted). */
static const csv_column loose_columns[NMANIFEST] = {
    [M_ID] = {"id", {NULL}, REQ | CSV_NONEMPTY, CSV_TEXT, 0, 0, NULL},
    [M_REPO] = {"repo", {"repository"}, 0, CSV_TEXT, 0, 0, NULL},
    [M_STATUS] = {"status", {NULL}, REQ, CSV_TEXT, 0, 0, NULL},
    [M_COMMIT] = {"commit", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
    [M_COMMIT_TIME] = {"commit_time", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
    [M_LATE] = {"late", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
    [M_LATE_COMMITS] = {"late_commits", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
    [M_PATH] = {"path", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
    [M_FIRST_SEEN] = {"first_seen", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
    [M_DETAIL] = {"detail", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
    [M_MISNAMED] = {"misnamed", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
};

static const csv_schema loose_schema = {
    .what = "manifest",
    .header_hint = " (id,status,...)",
    .expect = ": the manifest needs columns id and status (is it grader fetch's?)",
    .cols = loose_columns,
    .ncols = NMANIFEST,
};

int fetch_manifest_write(const char *path, const fetch_result *v, size_t n, gr_error *err)
{
    afile af;
    int rc = afile_open(&af, path, err);
    if (rc)
        return rc;
    for (size_t c = 0; c < NMANIFEST; c++) {
        if (c)
            csv_sep(af.fp);
        csv_cell(af.fp, manifest_columns[c].name);
    }
    csv_eol(af.fp);
    for (size_t i = 0; i < n; i++) {
        const fetch_result *r = &v[i];
        char ct[32] = "", fs[32] = "", lc[16];
        if (r->commit_time)
            fetch_format_time(r->commit_time, ct, sizeof ct);
        if (r->first_seen)
            fetch_format_time(r->first_seen, fs, sizeof fs);
        snprintf(lc, sizeof lc, "%d", r->late_commits);
        const char *cells[NMANIFEST] = {[M_ID] = r->id,
                                        [M_REPO] = r->repo,
                                        [M_STATUS] = fetch_status_name(r->status),
                                        [M_COMMIT] = r->commit,
                                        [M_COMMIT_TIME] = ct,
                                        [M_LATE] = r->late ? "yes" : "no",
                                        [M_LATE_COMMITS] = lc,
                                        [M_PATH] = r->path,
                                        [M_FIRST_SEEN] = fs,
                                        [M_DETAIL] = r->detail,
                                        [M_MISNAMED] = r->misnamed ? "yes" : "no"};
        for (size_t c = 0; c < NMANIFEST; c++) {
            if (c)
                csv_sep(af.fp);
            csv_cell(af.fp, cells[c] ? cells[c] : "");
        }
        csv_eol(af.fp);
    }
    return afile_commit(&af, err);
}

void fetch_manifest_free(fetch_manifest *m)
{
    if (!m)
        return;
    csvtab_free(m->tab);
    free(m->v);
    free(m->by_id);
    free(m->path);
    free(m);
}

const fetch_result *fetch_manifest_find(const fetch_manifest *m, const char *id)
{
    if (!m)
        return NULL;
    if (!m->by_id) {
        for (size_t i = 0; i < m->n; i++)
            if (!strcmp(m->v[i].id, id))
                return &m->v[i];
        return NULL;
    }
    long k = str_index_find(m->by_id, m->n, id);
    return k < 0 ? NULL : &m->v[m->by_id[k].i];
}

/* Row i of the table, loose: the status known or FETCH_ERROR with ok kept
 * apart, the commit as written. */
static void take_loose(const csvtab *t, size_t i, fetch_result *f)
{
    int s = fetch_status_parse(csvtab_get(t, i, M_STATUS));
    f->status = s < 0 ? FETCH_ERROR : (fetch_status)s;
    snprintf(f->commit, sizeof f->commit, "%s", csvtab_get(t, i, M_COMMIT));
    f->late = !strcmp(csvtab_get(t, i, M_LATE), "yes");
}

/* Row i of the table into f; GR_EINPUT naming the line when a cell is bad. */
static int take_row(const csvtab *t, size_t i, bool loose, fetch_result *f, gr_error *err)
{
    const char *st = csvtab_get(t, i, M_STATUS), *commit = csvtab_get(t, i, M_COMMIT),
               *ct = csvtab_get(t, i, M_COMMIT_TIME), *fs = csvtab_get(t, i, M_FIRST_SEEN);
    int line = t->line[i];
    f->id = (char *)csvtab_get(t, i, M_ID);
    f->repo = (char *)csvtab_get(t, i, M_REPO);
    /* the path is read in the repository: as written, not as csv_cell guarded it */
    f->path = (char *)csv_unguard(csvtab_get(t, i, M_PATH));
    f->detail = (char *)csvtab_get(t, i, M_DETAIL);
    f->misnamed = !strcmp(csvtab_get(t, i, M_MISNAMED), "yes");
    if (loose) {
        take_loose(t, i, f);
        return 0;
    }
    int s = fetch_status_parse(st);
    gr_error terr = {0};
    const char *why = roster_id_problem(f->id); /* fetch wrote a roster's id */
    if (why)
        return gr_error_set(err, GR_EINPUT, t->path, line, 0, "%s: \"%s\"", why, f->id);
    if (s < 0)
        return gr_error_set(err, GR_EINPUT, t->path, line, 0, "unknown status \"%s\"", st);
    if (*commit && !hex_oid_valid(commit))
        return gr_error_set(err, GR_EINPUT, t->path, line, 0, "bad commit id \"%s\"", commit);
    if (*ct && fetch_parse_time(ct, &f->commit_time, &terr))
        return gr_error_set(err, GR_EINPUT, t->path, line, 0, "bad commit_time \"%s\"", ct);
    if (*fs && fetch_parse_time(fs, &f->first_seen, &terr))
        return gr_error_set(err, GR_EINPUT, t->path, line, 0, "bad first_seen \"%s\"", fs);
    long long lc = 0;
    csv_parse_int(csvtab_get(t, i, M_LATE_COMMITS), 0, 1000000000, &lc); /* checked by the schema */
    f->status = (fetch_status)s;
    snprintf(f->commit, sizeof f->commit, "%s", commit);
    f->late = !strcmp(csvtab_get(t, i, M_LATE), "yes");
    f->late_commits = (int)lc;
    return 0;
}

int fetch_manifest_read(const char *path, bool loose, fetch_manifest **out, gr_error *err)
{
    *out = NULL;
    fetch_manifest *m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(path))) {
        fetch_manifest_free(m);
        return gr_error_nomem(err);
    }
    int rc = csvtab_read(path, loose ? &loose_schema : &manifest_schema, &m->tab, err);
    if (rc) {
        fetch_manifest_free(m);
        return rc;
    }
    size_t n = m->tab->nrows;
    m->v = calloc(n ? n : 1, sizeof *m->v);
    m->by_id = malloc((n ? n : 1) * sizeof *m->by_id);
    if (!m->v || !m->by_id)
        rc = gr_error_nomem(err);
    for (size_t i = 0; i < n && !rc; i++, m->n++)
        rc = take_row(m->tab, i, loose, &m->v[i], err);
    if (!rc) {
        for (size_t i = 0; i < n; i++)
            m->by_id[i] = (str_index){m->v[i].id, i};
        str_index_sort(m->by_id, n);
        for (size_t k = 1; k < n && !rc; k++) {
            size_t a = m->by_id[k - 1].i, b = m->by_id[k].i;
            if (!strcmp(m->v[a].id, m->v[b].id))
                rc = gr_error_set(err, GR_EINPUT, path, m->tab->line[b], 0,
                                  "duplicate id \"%s\" (first on line %d)", m->v[b].id,
                                  m->tab->line[a]);
        }
    }
    if (rc) {
        fetch_manifest_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

int fetch_manifest_load(const char *path, fetch_manifest **out, gr_error *err)
{
    return fetch_manifest_read(path, false, out, err);
}

int fetch_manifest_load_previous(const char *into, fetch_manifest **out, gr_error *err)
{
    *out = NULL;
    char *path = path_join(into, "manifest.csv");
    if (!path)
        return gr_error_nomem(err);
    struct stat st;
    int rc = 0;
    if (lstat(path, &st) == 0 || errno != ENOENT) {
        rc = fetch_manifest_load(path, out, err);
        if (rc && rc != GR_ENOMEM) {
            strbuf sb;
            sb_init(&sb);
            sb_printf(&sb,
                      "%s; grader fetch stops rather than lose every student's first_seen: fix "
                      "this, or move %s away to start afresh",
                      err->msg, path);
            snprintf(err->msg, sizeof err->msg, "%s", sb_str(&sb));
            sb_free(&sb);
        }
    }
    free(path);
    return rc;
}
