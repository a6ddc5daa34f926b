/* csvtab.c - CSV file -> table, by libcsv, with the line of each row. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvtab.h"
#include "util.h"

typedef struct pstate {
    csvtab *t;
    char **cur;
    size_t ncur, capcur;
    int line, row_start;
    int rc;
    gr_error *err;
} pstate;

static char *dup_trim(const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = 0;
    }
    return d;
}

static void on_field(void *data, size_t len, void *ctx)
{
    pstate *st = ctx;
    if (st->rc)
        return;
    if (st->ncur == st->capcur) {
        size_t nc = st->capcur ? st->capcur * 2 : 16;
        char **v = realloc(st->cur, nc * sizeof *v);
        if (!v) {
            st->rc = gr_error_nomem(st->err);
            return;
        }
        st->cur = v;
        st->capcur = nc;
    }
    char *s = dup_trim(data ? data : "", data ? len : 0);
    if (!s) {
        st->rc = gr_error_nomem(st->err);
        return;
    }
    st->cur[st->ncur++] = s;
}

static void drop_cur(pstate *st)
{
    for (size_t i = 0; i < st->ncur; i++)
        free(st->cur[i]);
    st->ncur = 0;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    pstate *st = ctx;
    csvtab *t = st->t;
    if (st->rc) {
        drop_cur(st);
        return;
    }
    if (!t->head) {
        t->head = st->cur;
        t->ncols = st->ncur;
        st->cur = NULL;
        st->ncur = st->capcur = 0;
        return;
    }
    if (st->ncur > t->ncols) {
        st->rc = gr_error_set(st->err, GR_EINPUT, t->path, st->row_start, 0,
                              "%zu cells, but the header has %zu columns", st->ncur, t->ncols);
        drop_cur(st);
        return;
    }
    if ((t->nrows & (t->nrows - 1)) == 0) { /* grow at powers of two */
        size_t nc = t->nrows ? t->nrows * 2 : 1;
        char ***r = realloc(t->rows, nc * sizeof *r);
        int *l = r ? realloc(t->line, nc * sizeof *l) : NULL;
        if (r)
            t->rows = r;
        if (!r || !l) {
            st->rc = gr_error_nomem(st->err);
            drop_cur(st);
            return;
        }
        t->line = l;
    }
    char **row = calloc(t->ncols ? t->ncols : 1, sizeof *row);
    if (!row) {
        st->rc = gr_error_nomem(st->err);
        drop_cur(st);
        return;
    }
    for (size_t i = 0; i < t->ncols; i++)
        row[i] = i < st->ncur ? st->cur[i] : strdup("");
    for (size_t i = 0; i < t->ncols; i++)
        if (!row[i])
            st->rc = gr_error_nomem(st->err);
    st->ncur = 0;
    t->rows[t->nrows] = row;
    t->line[t->nrows++] = st->row_start;
}

int csvtab_load(const char *path, size_t cap, csvtab **out, gr_error *err)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = file_read(path, cap, &text, &len, err);
    if (rc)
        return rc;
    csvtab *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(path))) {
        free(t);
        free(text);
        return gr_error_nomem(err);
    }
    pstate st = {.t = t, .err = err};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        csvtab_free(t);
        free(text);
        return gr_error_nomem(err);
    }
    const char *s = text, *end = text + len;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3;
    bool need_start = true;
    while (s < end && !st.rc) {
        const char *next = line_next(s, end);
        bool nl = next[-1] == '\n' || next[-1] == '\r';
        st.line++;
        if (need_start) {
            st.row_start = st.line;
            need_start = false;
        }
        size_t n = (size_t)(next - s);
        if (csv_parse(&p, s, n, on_field, on_row, &st) != n && !st.rc)
            st.rc = csv_error(&p) == CSV_EPARSE
                        ? gr_error_set(err, GR_EINPUT, path, st.line, 0,
                                       "malformed CSV: a quote inside an unquoted field, or text "
                                       "after a closing quote")
                        : gr_error_nomem(err);
        /* A row ends with this line unless a quoted field is still open. */
        if (nl && !st.ncur)
            need_start = true;
        s = next;
    }
    if (!st.rc && csv_fini(&p, on_field, on_row, &st) != 0 && !st.rc)
        st.rc = gr_error_set(err, GR_EINPUT, path, st.row_start, 0,
                             "a quoted field is never closed (its row starts here)");
    csv_free(&p);
    drop_cur(&st);
    free(st.cur);
    free(text);
    if (!st.rc && !t->head)
        st.rc = gr_error_set(err, GR_EINPUT, path, 0, 0, "empty file: expected a header row");
    if (st.rc) {
        csvtab_free(t);
        return st.rc;
    }
    *out = t;
    return 0;
}

void csvtab_free(csvtab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->ncols; j++)
            free(t->rows[i][j]);
        free(t->rows[i]);
    }
    for (size_t j = 0; j < t->ncols; j++)
        free(t->head[j]);
    free(t->head);
    free(t->rows);
    free(t->line);
    free(t->path);
    free(t);
}

int csvtab_col(const csvtab *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (!strcasecmp(t->head[j], name))
            return (int)j;
    return -1;
}
