/* roster.c - a class roster: csvtab reads it against the roster's schema
 * (header names, line numbers, one CSV convention); this checks each row
 * (ids safe as folder names, GitHub names, no duplicate id or repository)
 * and builds the repository URLs from a template when there is no repo
 * column. Every string lives in the table. */
#include "roster.h"
#include "shard.h"

#include <ctype.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvtab.h"
#include "util.h"

#define MAX_ID_LEN 100
#define MAX_FIELD_LEN 4096

/* Header names each field may carry. GitHub Classroom's roster export is
 * identifier,github_username,github_id,name. */
enum { C_ID, C_NAME, C_GITHUB, C_REPO, C_GROUP, NCOLS };
static const csv_column roster_columns[NCOLS] = {
    [C_ID] = {"id",
              {"identifier"},
              CSV_REQUIRED,
              CSV_TEXT,
              0,
              0,
              "no id column in the header (expected \"id\", or \"identifier\" as in a GitHub "
              "Classroom export)"},
    [C_NAME] = {"name", {"full_name"}, 0, CSV_TEXT, 0, 0, NULL},
    [C_GITHUB] = {"github",
                  {"github_username"},
                  0,
                  CSV_TEXT,
                  0,
                  0,
                  "the repository template uses {github} but the header has no github (or "
                  "github_username) column"},
    [C_REPO] = {"repo",
                {"repository", "repo_url"},
                0,
                CSV_TEXT,
                0,
                0,
                "no repo column in the header; add one or build the URLs with --repo-template "
                "'https://github.com/{github}/REPO'"},
    [C_GROUP] = {"group", {NULL}, 0, CSV_TEXT, 0, 0, NULL},
};

typedef struct check_state {
    const char *path;
    const roster_opts *opts;
    roster *r;
    csvtab *t;
    gr_error *err;
    int rc; /* first error */
} check_state;

static int fail(check_state *st, int code, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(check_state *st, int code, int line, const char *fmt, ...)
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

static bool template_uses(const char *tmpl, const char *key)
{
    return tmpl && strstr(tmpl, key) != NULL;
}

const char *roster_id_problem(const char *id)
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

static int expand_template(csvtab *t, const char *tmpl, const char *id, const char *github,
                           char **out, gr_error *err)
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
    *out = sb_failed(&sb) ? NULL : csvtab_strndup(t, sb_str(&sb), sb.len);
    sb_free(&sb);
    return *out ? 0 : gr_error_nomem(err);
}

/* Entry i from table row i: fields are the table's cells. */
static void take_row(check_state *st, size_t i)
{
    roster *r = st->r;
    csvtab *t = st->t;
    roster_entry *e = &r->v[r->n++];
    const char *tmpl = st->opts->repo_template;
    e->line = t->line[i];
    e->fields = t->rows[i];
    e->id = (char *)csvtab_get(t, i, C_ID);
    e->name = (char *)csvtab_get(t, i, C_NAME);
    e->github = (char *)csvtab_get(t, i, C_GITHUB);
    e->group = csvtab_has(t, C_GROUP) ? (char *)csvtab_get(t, i, C_GROUP) : NULL;
    const char *why = roster_id_problem(e->id);
    if (why) {
        fail(st, GR_EINPUT, e->line, "%s: \"%s\"", why, e->id);
        return;
    }
    if (csvtab_has(t, C_REPO)) {
        e->repo = (char *)csvtab_get(t, i, C_REPO);
    } else if (template_uses(tmpl, "{github}") && !e->github[0]) {
        /* A Classroom student who never linked a GitHub account: kept, with
         * no repository, so fetch reports them as no-repo. */
        e->repo = (char *)"";
    } else {
        if (template_uses(tmpl, "{github}") && !github_name_ok(e->github)) {
            fail(st, GR_EINPUT, e->line, "\"%s\" is not a valid GitHub user name", e->github);
            return;
        }
        gr_error terr = {0};
        if (expand_template(t, tmpl, e->id, e->github, &e->repo, &terr)) {
            st->rc = terr.code;
            *st->err = terr;
        }
    }
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

/* For each row, the first earlier row with the same key (or SIZE_MAX):
 * sorted, so a cohort of thousands costs n log n, not n^2. */
static int first_same(str_index *keys, size_t n, size_t *first)
{
    for (size_t i = 0; i < n; i++)
        first[i] = SIZE_MAX;
    str_index_sort(keys, n);
    size_t g = 0; /* where the current run of equal keys starts */
    for (size_t i = 1; i < n; i++) {
        if (strcmp(keys[g].key, keys[i].key) != 0)
            g = i;
        else if (keys[i].key[0])
            first[keys[i].i] = keys[g].i;
    }
    return 0;
}

static int check_duplicates(check_state *st)
{
    roster *r = st->r;
    size_t n = r->n;
    str_index *ids = calloc(n ? n : 1, sizeof *ids), *repos = calloc(n ? n : 1, sizeof *repos);
    size_t *id_first = malloc((n ? n : 1) * sizeof *id_first);
    size_t *repo_first = malloc((n ? n : 1) * sizeof *repo_first);
    int rc = (!ids || !repos || !id_first || !repo_first) ? GR_ENOMEM : 0;
    for (size_t i = 0; i < n && !rc; i++) {
        /* Case-insensitive ids: alice and Alice would share one folder on a
         * case-insensitive file system. */
        char *idk = strdup(r->v[i].id);
        for (char *c = idk; c && *c; c++)
            *c = (char)tolower((unsigned char)*c);
        ids[i] = (str_index){idk, i};
        repos[i] = (str_index){repo_key(r->v[i].repo), i};
        if (!ids[i].key || !repos[i].key)
            rc = GR_ENOMEM;
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
            free((char *)ids[i].key);
        if (repos)
            free((char *)repos[i].key);
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
    if (!opts)
        opts = &no_opts;
    /* Which columns are required depends on the template. */
    csv_column cols[NCOLS];
    memcpy(cols, roster_columns, sizeof cols);
    if (!opts->repo_template)
        cols[C_REPO].flags |= CSV_REQUIRED;
    else if (template_uses(opts->repo_template, "{github}"))
        cols[C_GITHUB].flags |= CSV_REQUIRED;
    csv_schema sc = {.what = "roster",
                     .header_hint = " (id,name,github,repo)",
                     .cols = cols,
                     .ncols = NCOLS,
                     .max_field = MAX_FIELD_LEN,
                     .unique_header = true};
    csvtab *t = NULL;
    int rc = csvtab_read(path, &sc, &t, err);
    if (rc)
        return rc;
    roster *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path)) ||
        !(r->v = calloc(t->nrows ? t->nrows : 1, sizeof *r->v))) {
        if (r)
            free(r->path);
        free(r);
        csvtab_free(t);
        return gr_error_nomem(err);
    }
    r->tab = t;
    r->columns = t->head;
    r->ncolumns = t->ncols;
    check_state st = {.path = path, .opts = opts, .r = r, .t = t, .err = err};
    for (size_t i = 0; i < t->nrows && !st.rc; i++)
        take_row(&st, i);
    if (!st.rc && r->n == 0)
        fail(&st, GR_EINPUT, t->head_line, "no students under the header");
    if (!st.rc)
        check_duplicates(&st);
    if (!st.rc && opts->shard)
        shard_filter_roster(r, opts->shard);
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
    free(r->v);
    csvtab_free(r->tab);
    free(r->path);
    free(r);
}

const char *roster_field(const roster *r, size_t i, const char *column)
{
    if (!r || i >= r->n || !column)
        return NULL;
    int c = csvtab_col(r->tab, column);
    return c < 0 ? NULL : r->v[i].fields[c];
}
