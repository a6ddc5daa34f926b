/* roster.c - a class roster from CSV (libcsv), columns found by header name.
 *
 * libcsv counts no lines, and a quoted field may hold newlines, so the
 * input is fed one physical line at a time: the line being fed when a row
 * ends is where it ends, and the first non-blank line fed after the previous
 * row ended is where it starts. Row problems are reported at the start line,
 * which is where a person looking at the file finds the student. */
#include "roster.h"

#include <csv.h>
#include <ctype.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* Header names each field may carry, lower case. GitHub Classroom's roster
 * export is identifier,github_username,github_id,name. */
static const char *const id_names[] = {"id", "identifier", NULL};
static const char *const name_names[] = {"name", "full_name", NULL};
static const char *const github_names[] = {"github", "github_username", NULL};
static const char *const repo_names[] = {"repo", "repository", "repo_url", NULL};
static const char *const group_names[] = {"group", NULL};

#define MAX_ID_LEN 100
#define MAX_FIELD_LEN 4096

typedef struct parse_state {
    const char *path;
    const roster_opts *opts;
    roster *r;
    gr_error *err;
    int rc;        /* first error; later callbacks do nothing */
    int line;      /* physical line being fed */
    int row_start; /* line where the current row began */
    bool need_start;
    char **cur; /* fields of the row being read */
    size_t ncur, capcur;
    bool header_done;
    /* column index of each known field, -1 when absent */
    int c_id, c_name, c_github, c_repo, c_group;
} parse_state;

static char *dup_trim(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Keep the first error only: libcsv cannot be stopped from a callback, so
 * later callbacks see st->rc and do nothing. */
static int fail(parse_state *st, int code, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(parse_state *st, int code, int line, const char *fmt, ...)
{
    if (st->rc)
        return st->rc;
    if (code == GR_ENOMEM)
        return st->rc = gr_error_nomem(st->err);
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return st->rc = gr_error_set(st->err, code, st->path, line, 0, "%s", msg);
}

static int oom(parse_state *st)
{
    return fail(st, GR_ENOMEM, 0, "out of memory");
}

static void cur_clear(parse_state *st)
{
    for (size_t i = 0; i < st->ncur; i++)
        free(st->cur[i]);
    st->ncur = 0;
}

static void on_field(void *data, size_t len, void *ctx)
{
    parse_state *st = ctx;
    if (st->rc)
        return;
    if (len > MAX_FIELD_LEN) {
        fail(st, GR_EINPUT, st->row_start, "a field over %d bytes", MAX_FIELD_LEN);
        return;
    }
    if (data && memchr(data, '\0', len)) {
        fail(st, GR_EINPUT, st->row_start, "a field holds a NUL byte");
        return;
    }
    if (st->ncur == st->capcur) {
        size_t cap = st->capcur ? st->capcur * 2 : 8;
        char **v = realloc(st->cur, cap * sizeof *v);
        if (!v) {
            oom(st);
            return;
        }
        st->cur = v;
        st->capcur = cap;
    }
    char *f = malloc(len + 1);
    if (!f) {
        oom(st);
        return;
    }
    if (len)
        memcpy(f, data, len);
    f[len] = '\0';
    st->cur[st->ncur++] = f;
}

static int find_column(const roster *r, const char *const *names)
{
    for (size_t i = 0; i < r->ncolumns; i++) {
        char *t = dup_trim(r->columns[i]);
        if (!t)
            return -2;
        for (const char *const *n = names; *n; n++)
            if (!strcasecmp(t, *n)) {
                free(t);
                return (int)i;
            }
        free(t);
    }
    return -1;
}

static bool template_uses(const char *tmpl, const char *key)
{
    return tmpl && strstr(tmpl, key) != NULL;
}

static void take_header(parse_state *st)
{
    roster *r = st->r;
    r->columns = st->cur;
    r->ncolumns = st->ncur;
    st->cur = NULL;
    st->ncur = st->capcur = 0;
    for (size_t i = 0; i < r->ncolumns; i++)
        for (size_t j = 0; j < i; j++)
            if (r->columns[i][0] && !strcasecmp(r->columns[i], r->columns[j])) {
                fail(st, GR_EINPUT, st->row_start, "column \"%s\" appears twice in the header",
                     r->columns[i]);
                return;
            }
    st->c_id = find_column(r, id_names);
    st->c_name = find_column(r, name_names);
    st->c_github = find_column(r, github_names);
    st->c_repo = find_column(r, repo_names);
    st->c_group = find_column(r, group_names);
    if (st->c_id == -2 || st->c_name == -2 || st->c_github == -2 || st->c_repo == -2 ||
        st->c_group == -2) {
        oom(st);
        return;
    }
    if (st->c_id < 0) {
        fail(st, GR_EINPUT, st->row_start,
             "no id column in the header (expected \"id\", or \"identifier\" as in a GitHub "
             "Classroom export)");
        return;
    }
    const char *tmpl = st->opts ? st->opts->repo_template : NULL;
    if (st->c_repo < 0 && !tmpl) {
        fail(st, GR_EINPUT, st->row_start,
             "no repo column in the header; add one or build the URLs with --repo-template "
             "'https://github.com/{github}/REPO'");
        return;
    }
    if (st->c_repo < 0 && template_uses(tmpl, "{github}") && st->c_github < 0)
        fail(st, GR_EINPUT, st->row_start,
             "the repository template uses {github} but the header has no github (or "
             "github_username) column");
}

/* Why id is unsafe as the folder name submissions/<id>.git, or NULL. */
static const char *id_problem(const char *id)
{
    size_t n = strlen(id);
    if (!n)
        return "empty id";
    if (n > MAX_ID_LEN)
        return "id longer than 100 bytes";
    if (id[0] == '.')
        return "an id may not start with '.'";
    if (id[0] == '-')
        return "an id may not start with '-'";
    /* The manifest, gradebook and assignments guard such a cell against
     * spreadsheets (csv_cell): the id would come back changed. */
    if (id[0] == '=' || id[0] == '+' || id[0] == '@')
        return "an id may not start with '=', '+' or '@' (a spreadsheet reads it as a formula)";
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return "an id may not hold control characters";
        if (*p == '/' || *p == '\\')
            return "an id may not hold '/' or '\\'";
        if (*p == ':' || *p == '*' || *p == '?' || *p == '"' || *p == '<' || *p == '>' || *p == '|')
            return "an id may not hold any of : * ? \" < > |";
    }
    size_t bad;
    if (!utf8_valid(id, n, &bad))
        return "an id must be valid UTF-8";
    return NULL;
}

/* GitHub user names: letters, digits and single inner hyphens, at most 39.
 * Checked before one goes into a URL. */
static bool github_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 39 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && c != '-')
            return false;
    }
    return true;
}

static int expand_template(const char *tmpl, const char *id, const char *github, char **out,
                           gr_error *err)
{
    strbuf sb;
    sb_init(&sb);
    *out = NULL;
    for (const char *p = tmpl; *p;) {
        if (*p != '{') {
            sb_putc(&sb, *p++);
            continue;
        }
        if (!strncmp(p, "{github}", 8)) {
            sb_puts(&sb, github);
            p += 8;
        } else if (!strncmp(p, "{id}", 4)) {
            sb_puts(&sb, id);
            p += 4;
        } else {
            sb_free(&sb);
            return gr_error_set(err, GR_EUSAGE, NULL, 0, 0,
                                "--repo-template: unknown placeholder at \"%.20s\" (known: "
                                "{github}, {id})",
                                p);
        }
    }
    *out = sb_detach(&sb);
    return *out ? 0 : gr_error_nomem(err);
}

static void take_row(parse_state *st)
{
    roster *r = st->r;
    bool blank = true;
    for (size_t i = 0; i < st->ncur && blank; i++)
        if (st->cur[i][0])
            blank = false;
    if (blank) { /* ",,," rows that spreadsheets leave behind */
        cur_clear(st);
        return;
    }
    if (st->ncur > r->ncolumns) {
        for (size_t i = r->ncolumns; i < st->ncur; i++)
            if (st->cur[i][0]) {
                fail(st, GR_EINPUT, st->row_start, "%zu fields, but the header has %zu columns",
                     st->ncur, r->ncolumns);
                return;
            }
    }
    roster_entry *v = realloc(r->v, (r->n + 1) * sizeof *v);
    if (!v) {
        oom(st);
        return;
    }
    r->v = v;
    roster_entry *e = &r->v[r->n];
    memset(e, 0, sizeof *e);
    e->line = st->row_start;
    /* fields: exactly ncolumns, padded with "" */
    e->fields = calloc(r->ncolumns ? r->ncolumns : 1, sizeof *e->fields);
    if (!e->fields) {
        oom(st);
        return;
    }
    r->n++; /* owned by r from here, so roster_free releases it on error */
    for (size_t i = 0; i < r->ncolumns; i++) {
        e->fields[i] = i < st->ncur ? st->cur[i] : strdup("");
        if (i < st->ncur)
            st->cur[i] = NULL;
        if (!e->fields[i]) {
            oom(st);
            return;
        }
    }
    e->id = dup_trim(e->fields[st->c_id]);
    e->name = dup_trim(st->c_name >= 0 ? e->fields[st->c_name] : "");
    e->github = dup_trim(st->c_github >= 0 ? e->fields[st->c_github] : "");
    e->group = st->c_group >= 0 ? dup_trim(e->fields[st->c_group]) : NULL;
    if (!e->id || !e->name || !e->github || (st->c_group >= 0 && !e->group)) {
        oom(st);
        return;
    }
    cur_clear(st);
    const char *why = id_problem(e->id);
    if (why) {
        fail(st, GR_EINPUT, e->line, "%s: \"%s\"", why, e->id);
        return;
    }
    if (st->c_repo >= 0) {
        e->repo = dup_trim(e->fields[st->c_repo]);
    } else if (template_uses(st->opts->repo_template, "{github}") && !e->github[0]) {
        /* A Classroom student who never linked a GitHub account: kept, with
         * no repository, so fetch reports them as no-repo. */
        e->repo = strdup("");
    } else {
        if (template_uses(st->opts->repo_template, "{github}") && !github_name_ok(e->github)) {
            fail(st, GR_EINPUT, e->line, "\"%s\" is not a valid GitHub user name", e->github);
            return;
        }
        gr_error terr = {0};
        if (expand_template(st->opts->repo_template, e->id, e->github, &e->repo, &terr)) {
            st->rc = terr.code;
            *st->err = terr;
            return;
        }
    }
    if (!e->repo)
        oom(st);
}

static void on_row(int c, void *ctx)
{
    (void)c;
    parse_state *st = ctx;
    st->need_start = true;
    if (st->rc) {
        cur_clear(st);
        return;
    }
    if (!st->header_done) {
        st->header_done = true;
        take_header(st);
    } else {
        take_row(st);
    }
    cur_clear(st);
}

/* The repository as a message shows it: user information in the URL
 * (which may be a token) masked as "***". */
static void shown_repo(char *buf, size_t n, const char *url)
{
    const char *a, *b;
    if (url_userinfo(url, &a, &b))
        snprintf(buf, n, "%.*s***%s", (int)(a - url), url, b);
    else
        snprintf(buf, n, "%s", url);
}

/* A repository's key for comparison: user information dropped, case
 * folded, a trailing '/' and ".git" ignored. malloc'd. */
static char *repo_key(const char *url)
{
    char buf[MAX_FIELD_LEN + 8]; /* a whole field fits */
    shown_repo(buf, sizeof buf, url);
    size_t n = strlen(buf);
    while (n && buf[n - 1] == '/')
        n--;
    if (n >= 4 && !strncasecmp(buf + n - 4, ".git", 4))
        n -= 4;
    buf[n] = '\0';
    for (char *c = buf; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return strdup(buf);
}

typedef struct dup_key {
    char *key;
    size_t row;
} dup_key;

static int cmp_key(const void *a, const void *b)
{
    const dup_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* For each row, the first earlier row with the same key (or SIZE_MAX):
 * sorted, so a cohort of thousands costs n log n, not n^2. */
static int first_same(dup_key *keys, size_t n, size_t *first)
{
    for (size_t i = 0; i < n; i++)
        first[i] = SIZE_MAX;
    qsort(keys, n, sizeof *keys, cmp_key);
    size_t g = 0; /* where the current run of equal keys starts */
    for (size_t i = 1; i < n; i++) {
        if (strcmp(keys[g].key, keys[i].key) != 0)
            g = i;
        else if (keys[i].key[0])
            first[keys[i].row] = keys[g].row;
    }
    return 0;
}

static int check_duplicates(parse_state *st)
{
    roster *r = st->r;
    size_t n = r->n;
    dup_key *ids = calloc(n ? n : 1, sizeof *ids), *repos = calloc(n ? n : 1, sizeof *repos);
    size_t *id_first = malloc((n ? n : 1) * sizeof *id_first);
    size_t *repo_first = malloc((n ? n : 1) * sizeof *repo_first);
    int rc = (!ids || !repos || !id_first || !repo_first) ? GR_ENOMEM : 0;
    for (size_t i = 0; i < n && !rc; i++) {
        /* Case-insensitive ids: alice and Alice would share one folder on a
         * case-insensitive file system. */
        ids[i].key = strdup(r->v[i].id);
        repos[i].key = repo_key(r->v[i].repo);
        ids[i].row = repos[i].row = i;
        if (!ids[i].key || !repos[i].key)
            rc = GR_ENOMEM;
        else
            for (char *c = ids[i].key; *c; c++)
                *c = (char)tolower((unsigned char)*c);
    }
    if (!rc) {
        first_same(ids, n, id_first);
        first_same(repos, n, repo_first);
    }
    /* the first row in roster order that repeats an earlier one; the id is
     * named before the repository, as a reader checks them */
    for (size_t i = 0; i < n && !rc; i++) {
        size_t j = id_first[i] <= repo_first[i] ? id_first[i] : repo_first[i];
        if (j == SIZE_MAX)
            continue;
        char first[48];
        snprintf(first, sizeof first, "first on line %d", r->v[j].line);
        if (id_first[i] == j)
            rc = fail(st, GR_EINPUT, r->v[i].line, "duplicate id \"%s\" (%s)", r->v[i].id, first);
        else {
            char shown[MAX_FIELD_LEN + 8];
            shown_repo(shown, sizeof shown, r->v[i].repo);
            rc =
                fail(st, GR_EINPUT, r->v[i].line, "duplicate repository \"%s\" (%s)", shown, first);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (ids)
            free(ids[i].key);
        if (repos)
            free(repos[i].key);
    }
    free(ids);
    free(repos);
    free(id_first);
    free(repo_first);
    if (rc == GR_ENOMEM)
        return gr_error_nomem(st->err);
    return rc;
}

int roster_load(const char *path, const roster_opts *opts, roster **out, gr_error *err)
{
    static const roster_opts no_opts = {0};
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = file_read(path, GR_MAX_INPUT, &text, &len, err);
    if (rc)
        return rc;
    roster *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        free(text);
        return gr_error_nomem(err);
    }
    parse_state st = {
        .path = path, .opts = opts ? opts : &no_opts, .r = r, .err = err, .need_start = true};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        roster_free(r);
        free(text);
        return gr_error_nomem(err);
    }
    const char *s = text, *end = text + len;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3;
    while (s < end && !st.rc) {
        const char *next = line_next(s, end);
        st.line++;
        if (st.need_start) {
            for (const char *q = s; q < next; q++)
                if (*q != ' ' && *q != '\t' && *q != '\r' && *q != '\n') {
                    st.row_start = st.line;
                    st.need_start = false;
                    break;
                }
        }
        size_t n = (size_t)(next - s);
        if (csv_parse(&p, s, n, on_field, on_row, &st) != n && !st.rc) {
            int e = csv_error(&p);
            if (e == CSV_EPARSE)
                fail(&st, GR_EINPUT, st.line,
                     "malformed CSV: a quote inside an unquoted field, or text after a closing "
                     "quote (quote the whole field and double inner quotes)");
            else
                oom(&st);
        }
        s = next;
    }
    if (!st.rc && csv_fini(&p, on_field, on_row, &st) != 0 && !st.rc)
        fail(&st, GR_EINPUT, st.row_start, "a quoted field is never closed (its row starts here)");
    csv_free(&p);
    cur_clear(&st);
    free(st.cur);
    free(text);
    if (!st.rc && !st.header_done)
        fail(&st, GR_EINPUT, 0, "empty roster: expected a header row (id,name,github,repo)");
    if (!st.rc && r->n == 0)
        fail(&st, GR_EINPUT, st.row_start, "no students under the header");
    if (!st.rc)
        check_duplicates(&st);
    if (st.rc) {
        roster_free(r);
        return st.rc;
    }
    *out = r;
    return 0;
}

void roster_free(roster *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        roster_entry *e = &r->v[i];
        free(e->id);
        free(e->name);
        free(e->github);
        free(e->repo);
        free(e->group);
        if (e->fields)
            for (size_t j = 0; j < r->ncolumns; j++)
                free(e->fields[j]);
        free(e->fields);
    }
    free(r->v);
    for (size_t j = 0; j < r->ncolumns; j++)
        free(r->columns[j]);
    free(r->columns);
    free(r->path);
    free(r);
}

const char *roster_field(const roster *r, size_t i, const char *column)
{
    if (!r || i >= r->n || !column)
        return NULL;
    for (size_t j = 0; j < r->ncolumns; j++) {
        const char *c = r->columns[j];
        while (*c == ' ' || *c == '\t')
            c++;
        size_t n = strlen(c);
        while (n && (c[n - 1] == ' ' || c[n - 1] == '\t'))
            n--;
        if (n == strlen(column) && !strncasecmp(c, column, n))
            return r->v[i].fields[j];
    }
    return NULL;
}
