/* csvtab.c - the one CSV reader (libcsv), with the line of each row.
 *
 * libcsv counts no lines, and a quoted field may hold newlines, so the
 * input is fed one physical line at a time: the first non-blank line fed
 * after a row ended is where the next row starts, which is where a person
 * looking at the file finds it. Cells live in blocks of at least 64 KiB that
 * never move, so the table costs its text plus one pointer per cell. */
#include "csvtab.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util.h"

#define BLOCK_MIN ((size_t)64 << 10)
#define CHUNK ((size_t)1 << 20)

struct csvtab_block {
    csvtab_block *next;
    size_t used, cap;
    char data[];
};

static char empty_cell[1] = "";

char *csvtab_strndup(csvtab *t, const char *s, size_t n)
{
    csvtab_block *b = t->blocks;
    if (!b || b->cap - b->used < n + 1) {
        size_t cap = n + 1 > BLOCK_MIN ? n + 1 : BLOCK_MIN;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = t->blocks;
        t->blocks = b;
    }
    char *d = b->data + b->used;
    memcpy(d, s, n);
    d[n] = '\0';
    b->used += n + 1;
    return d;
}

typedef struct pstate {
    csvtab *t;
    const csv_schema *sc;
    gr_error *err;
    int rc; /* first error; libcsv cannot be stopped from a callback */
    int line, row_start;
    bool need_start;
    bool cr_end; /* the last chunk ended with "\r": a "\n" next is its CRLF */
    char **cur;  /* cells of the row being read (in the table's blocks) */
    size_t ncur, capcur;
} pstate;

static int fail(pstate *st, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(pstate *st, int line, const char *fmt, ...)
{
    if (st->rc)
        return st->rc;
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return st->rc = gr_error_set(st->err, GR_EINPUT, st->t->path, line, 0, "%s", msg);
}

static int oom(pstate *st)
{
    return st->rc ? st->rc : (st->rc = gr_error_nomem(st->err));
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void on_field(void *data, size_t len, void *ctx)
{
    pstate *st = ctx;
    if (st->rc)
        return;
    const char *s = data ? data : "";
    if (!data)
        len = 0;
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    size_t cap = st->sc && st->sc->max_field ? st->sc->max_field : CSVTAB_MAX_FIELD;
    if (len > cap) {
        fail(st, st->row_start, "a field over %zu bytes", cap);
        return;
    }
    if (memchr(s, '\0', len)) {
        fail(st, st->row_start, "a field holds a NUL byte");
        return;
    }
    if (st->ncur == st->capcur) {
        size_t nc = st->capcur ? st->capcur * 2 : 16;
        char **v = realloc(st->cur, nc * sizeof *v);
        if (!v) {
            oom(st);
            return;
        }
        st->cur = v;
        st->capcur = nc;
    }
    char *d = len ? csvtab_strndup(st->t, s, len) : empty_cell;
    if (!d) {
        oom(st);
        return;
    }
    st->cur[st->ncur++] = d;
}

static bool name_is(const char *head, const csv_column *c)
{
    if (!strcasecmp(head, c->name))
        return true;
    for (size_t a = 0; a < 3 && c->alias[a]; a++)
        if (!strcasecmp(head, c->alias[a]))
            return true;
    return false;
}

static void take_header(pstate *st)
{
    csvtab *t = st->t;
    const csv_schema *sc = st->sc;
    t->head_line = st->row_start;
    t->ncols = st->ncur;
    t->head = malloc((t->ncols ? t->ncols : 1) * sizeof *t->head);
    size_t nsc = sc ? sc->ncols : 0;
    t->col = malloc((nsc ? nsc : 1) * sizeof *t->col);
    if (!t->head || !t->col) {
        oom(st);
        return;
    }
    memcpy(t->head, st->cur, t->ncols * sizeof *t->head);
    st->ncur = 0;
    for (size_t i = 0; sc && sc->unique_header && i < t->ncols; i++)
        for (size_t j = 0; j < i; j++)
            if (t->head[i][0] && !strcasecmp(t->head[i], t->head[j])) {
                fail(st, t->head_line, "column \"%s\" appears twice in the header", t->head[i]);
                return;
            }
    for (size_t k = 0; k < nsc; k++) {
        const csv_column *c = &sc->cols[k];
        t->col[k] = -1;
        for (size_t j = 0; j < t->ncols; j++) {
            if (!name_is(t->head[j], c))
                continue;
            if (t->col[k] >= 0) {
                fail(st, t->head_line, "column \"%s\" appears twice in the header", t->head[j]);
                return;
            }
            t->col[k] = (int)j;
        }
        if (t->col[k] < 0 && (c->flags & CSV_REQUIRED)) {
            if (c->missing)
                fail(st, t->head_line, "%s", c->missing);
            else
                fail(st, t->head_line, "no %s column in the header%s", c->name,
                     sc->expect ? sc->expect : "");
            return;
        }
    }
}

bool csv_parse_int(const char *s, long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return false;
    if (out)
        *out = v;
    return true;
}

/* The schema's types, checked as each row arrives so that errors come in
 * the order of the file. */
static void check_types(pstate *st, char **row, int line)
{
    const csv_schema *sc = st->sc;
    for (size_t k = 0; sc && k < sc->ncols; k++) {
        const csv_column *c = &sc->cols[k];
        int j = st->t->col[k];
        if (j < 0)
            continue;
        const char *v = row[j];
        if (!*v) {
            if (c->flags & CSV_NONEMPTY)
                fail(st, line, "no value in column %s", c->name);
            continue;
        }
        char *end;
        switch (c->type) {
        case CSV_TEXT:
            break;
        case CSV_INT:
            if (!csv_parse_int(v, c->min, c->max, NULL))
                fail(st, line, "%s \"%s\": expected a whole number from %lld to %lld", c->name, v,
                     c->min, c->max);
            break;
        case CSV_NUMBER:
            errno = 0;
            double d = strtod(v, &end);
            if (errno || end == v || *end || !isfinite(d))
                fail(st, line, "%s \"%s\": expected a number", c->name, v);
            break;
        case CSV_YESNO:
            if (strcmp(v, "yes") && strcmp(v, "no"))
                fail(st, line, "%s \"%s\": expected yes or no", c->name, v);
            break;
        }
        if (st->rc)
            return;
    }
}

static void take_row(pstate *st)
{
    csvtab *t = st->t;
    bool all_blank = true;
    for (size_t i = 0; i < st->ncur && all_blank; i++)
        all_blank = !st->cur[i][0];
    if (all_blank) /* ",,," rows that spreadsheets leave behind */
        return;
    for (size_t i = t->ncols; i < st->ncur; i++)
        if (st->cur[i][0]) {
            fail(st, st->row_start, "%zu fields, but the header has %zu columns", st->ncur,
                 t->ncols);
            return;
        }
    size_t need = (t->nrows + 1) * t->ncols;
    if (need > t->capcells) {
        size_t nc = t->capcells ? t->capcells * 2 : t->ncols * 64;
        while (nc < need)
            nc *= 2;
        char **c = realloc(t->cells, nc * sizeof *c);
        if (!c) {
            oom(st);
            return;
        }
        t->cells = c;
        t->capcells = nc;
    }
    if ((t->nrows & (t->nrows - 1)) == 0) { /* grow at powers of two */
        int *l = realloc(t->line, (t->nrows ? t->nrows * 2 : 1) * sizeof *l);
        if (!l) {
            oom(st);
            return;
        }
        t->line = l;
    }
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t i = 0; i < t->ncols; i++)
        row[i] = i < st->ncur ? st->cur[i] : empty_cell;
    t->line[t->nrows++] = st->row_start;
    check_types(st, row, st->row_start);
}

static void on_row(int c, void *ctx)
{
    (void)c;
    pstate *st = ctx;
    st->need_start = true;
    if (!st->rc) {
        if (!st->t->head)
            take_header(st);
        else
            take_row(st);
    }
    st->ncur = 0;
}

/* Feed one chunk, line by line, counting lines. */
static void feed(pstate *st, struct csv_parser *p, const char *s, size_t len)
{
    const char *end = s + len;
    while (s < end && !st->rc) {
        /* A line ends at "\n", "\r\n" or a lone "\r" (Excel for Mac's CSV),
         * as libcsv ends a row there. */
        bool lf_of_crlf = st->cr_end && *s == '\n';
        const char *next = lf_of_crlf ? s + 1 : line_next(s, end);
        bool nl = !lf_of_crlf && (next[-1] == '\n' || next[-1] == '\r');
        st->cr_end = next == end && next[-1] == '\r';
        if (st->need_start)
            for (const char *q = s; q < next; q++)
                if (!blank(*q)) {
                    st->row_start = st->line;
                    st->need_start = false;
                    break;
                }
        size_t n = (size_t)(next - s);
        if (csv_parse(p, s, n, on_field, on_row, st) != n && !st->rc) {
            if (csv_error(p) == CSV_EPARSE)
                fail(st, st->line,
                     "malformed CSV: a quote inside an unquoted field, or text after a closing "
                     "quote (quote the whole field and double inner quotes)");
            else
                oom(st);
        }
        if (nl)
            st->line++;
        s = next;
    }
}

/* read() until buf is full or the file ends; the byte count, or -1. */
static ssize_t read_full(int fd, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r == 0)
            break;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static int parse_file(pstate *st, int fd, size_t cap)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return oom(st);
    char *buf = malloc(CHUNK);
    if (!buf) {
        csv_free(&p);
        return oom(st);
    }
    size_t total = 0;
    bool first = true;
    while (!st->rc) {
        ssize_t n = read_full(fd, buf, CHUNK);
        if (n < 0) {
            st->rc = gr_error_set(st->err, GR_EIO, st->t->path, 0, 0, "read failed: %s",
                                  strerror(errno));
            break;
        }
        if (n == 0)
            break;
        total += (size_t)n;
        if (total > cap) { /* grew since it was opened */
            st->rc = gr_error_set(st->err, GR_ELIMIT, st->t->path, 0, 0,
                                  "file is over the %zu-byte limit", cap);
            break;
        }
        size_t skip = first && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
        first = false;
        feed(st, &p, buf + skip, (size_t)n - skip);
    }
    if (!st->rc && csv_fini(&p, on_field, on_row, st) != 0)
        fail(st, st->row_start, "a quoted field is never closed (its row starts here)");
    csv_free(&p);
    free(buf);
    return st->rc;
}

int csvtab_read(const char *path, const csv_schema *sc, csvtab **out, gr_error *err)
{
    *out = NULL;
    size_t cap = sc && sc->max_file ? sc->max_file : CSVTAB_MAX_FILE, size;
    int fd;
    int rc = file_open_regular(path, cap, &fd, &size, err);
    if (rc)
        return rc;
    csvtab *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(path))) {
        free(t);
        close(fd);
        return gr_error_nomem(err);
    }
    pstate st = {.t = t, .sc = sc, .err = err, .line = 1, .row_start = 1, .need_start = true};
    rc = parse_file(&st, fd, cap);
    close(fd);
    free(st.cur);
    if (!rc && !t->head)
        rc = gr_error_set(err, GR_EINPUT, path, 0, 0, "empty %s: expected a header row%s",
                          sc && sc->what ? sc->what : "file",
                          sc && sc->header_hint ? sc->header_hint : "");
    if (!rc && !(t->rows = malloc((t->nrows ? t->nrows : 1) * sizeof *t->rows)))
        rc = gr_error_nomem(err);
    if (rc) {
        csvtab_free(t);
        return rc;
    }
    for (size_t i = 0; i < t->nrows; i++)
        t->rows[i] = t->cells + i * t->ncols;
    *out = t;
    return 0;
}

int csvtab_load(const char *path, size_t cap, csvtab **out, gr_error *err)
{
    csv_schema sc = {.max_file = cap};
    return csvtab_read(path, &sc, out, err);
}

void csvtab_free(csvtab *t)
{
    if (!t)
        return;
    while (t->blocks) {
        csvtab_block *b = t->blocks;
        t->blocks = b->next;
        free(b);
    }
    free(t->head);
    free(t->rows);
    free(t->cells);
    free(t->line);
    free(t->col);
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

const char *csvtab_cell(const csvtab *t, size_t row, int col)
{
    return col < 0 || (size_t)col >= t->ncols || row >= t->nrows ? "" : t->rows[row][col];
}

bool csvtab_has(const csvtab *t, size_t k)
{
    return t->col && t->col[k] >= 0;
}

const char *csvtab_get(const csvtab *t, size_t row, size_t k)
{
    return t->col ? csvtab_cell(t, row, t->col[k]) : "";
}
