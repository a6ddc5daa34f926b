/* db.c - the SQLite store of grader serve: schema, migrations, queries. */
#include "db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csvout.h"
#include "token.h"

struct db {
    sqlite3 *h;
    char *path;
    pthread_mutex_t mu;
};

/* Each step moves the schema one version up; applied in a transaction. */
static const char *const migrations[] = {
    /* 0 -> 1: the assignment and the reviews */
    "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE people(id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT UNIQUE);"
    "CREATE TABLE staff(id TEXT PRIMARY KEY, token_hash TEXT UNIQUE);"
    "CREATE TABLE posts(author TEXT PRIMARY KEY REFERENCES people(id), commit_id TEXT NOT NULL,"
    " path TEXT NOT NULL, body TEXT NOT NULL);"
    "CREATE TABLE auto(author TEXT NOT NULL, pos INTEGER NOT NULL, points INTEGER NOT NULL,"
    " PRIMARY KEY(author, pos));"
    "CREATE TABLE assignments(n INTEGER PRIMARY KEY, reviewer TEXT NOT NULL REFERENCES "
    "people(id), author TEXT NOT NULL REFERENCES people(id), UNIQUE(reviewer, author));"
    "CREATE TABLE reviews(n INTEGER PRIMARY KEY REFERENCES assignments(n),"
    " state INTEGER NOT NULL CHECK(state IN (1, 2)), score REAL NOT NULL, overall TEXT NOT NULL,"
    " updated INTEGER NOT NULL);"
    "CREATE TABLE review_items(n INTEGER NOT NULL REFERENCES reviews(n), pos INTEGER NOT NULL,"
    " met INTEGER, points REAL, comment TEXT NOT NULL, PRIMARY KEY(n, pos));",
    /* 1 -> 2: authors' "was this review helpful" votes */
    "CREATE TABLE helpful(n INTEGER PRIMARY KEY REFERENCES reviews(n),"
    " helpful INTEGER NOT NULL CHECK(helpful IN (0, 1)), at INTEGER NOT NULL);",
};

static int sqlerr(db *d, gr_error *err, const char *what)
{
    return gr_error_set(err, GR_EIO, d->path, 0, 0, "%s: %s", what, sqlite3_errmsg(d->h));
}

static int exec(db *d, const char *sql, gr_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(d->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = gr_error_set(err, GR_EIO, d->path, 0, 0, "%s", msg ? msg : "sqlite error");
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

static int prep(db *d, const char *sql, sqlite3_stmt **st, gr_error *err)
{
    if (sqlite3_prepare_v2(d->h, sql, -1, st, NULL) != SQLITE_OK)
        return sqlerr(d, err, "prepare");
    return 0;
}

static char *col_str(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return strdup(s ? (const char *)s : "");
}

static void txt(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

static int user_version(db *d)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(d->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

static int migrate(db *d, int to, gr_error *err)
{
    int v = user_version(d);
    if (v < 0)
        return sqlerr(d, err, "reading the schema version");
    if (v > DB_SCHEMA_VERSION)
        return gr_error_set(err, GR_EINPUT, d->path, 0, 0,
                            "schema version %d is newer than this grader's (%d): upgrade grader", v,
                            DB_SCHEMA_VERSION);
    for (; v < to; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", v + 1);
        int rc = exec(d, "BEGIN IMMEDIATE", err);
        if (!rc)
            rc = exec(d, migrations[v], err);
        if (!rc)
            rc = exec(d, pragma, err);
        if (!rc)
            rc = exec(d, "COMMIT", err);
        if (rc) {
            exec(d, "ROLLBACK", NULL);
            return rc;
        }
    }
    return 0;
}

static int open_at(const char *path, bool create, int version, db **out, gr_error *err)
{
    *out = NULL;
    db *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        return gr_error_nomem(err);
    }
    pthread_mutex_init(&d->mu, NULL);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = 0;
    if (sqlite3_open_v2(path, &d->h, flags, NULL) != SQLITE_OK) {
        rc = gr_error_set(err, create ? GR_EIO : GR_EINPUT, path, 0, 0,
                          "cannot open the database: %s%s", d->h ? sqlite3_errmsg(d->h) : "",
                          create ? "" : " (create it with grader serve --init)");
        goto fail;
    }
    sqlite3_busy_timeout(d->h, 5000);
    /* WAL: readers never block the writer; FULL: a commit is on disk. */
    if ((rc = exec(d,
                   "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                   "PRAGMA foreign_keys=ON;",
                   err)))
        goto fail;
    if ((rc = migrate(d, version, err)))
        goto fail;
    *out = d;
    return 0;
fail:
    db_close(d);
    return rc;
}

int db_open(const char *path, bool create, db **out, gr_error *err)
{
    return open_at(path, create, DB_SCHEMA_VERSION, out, err);
}

int db_create_at_version(const char *path, int version, gr_error *err)
{
    db *d;
    int rc = open_at(path, true, version, &d, err);
    db_close(d);
    return rc;
}

void db_close(db *d)
{
    if (!d)
        return;
    sqlite3_close(d->h);
    pthread_mutex_destroy(&d->mu);
    free(d->path);
    free(d);
}

int db_schema_version(db *d)
{
    pthread_mutex_lock(&d->mu);
    int v = user_version(d);
    pthread_mutex_unlock(&d->mu);
    return v;
}

static int get_locked(db *d, const char *key, char **val, gr_error *err)
{
    sqlite3_stmt *st;
    *val = NULL;
    int rc = prep(d, "SELECT value FROM settings WHERE key=?", &st, err);
    if (rc)
        return rc;
    txt(st, 1, key);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW && !(*val = col_str(st, 0)))
        rc = gr_error_nomem(err);
    else if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = sqlerr(d, err, "reading a setting");
    sqlite3_finalize(st);
    return rc;
}

static int set_locked(db *d, const char *key, const char *val, gr_error *err)
{
    sqlite3_stmt *st;
    int rc = prep(d,
                  "INSERT INTO settings(key, value) VALUES(?, ?) "
                  "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                  &st, err);
    if (rc)
        return rc;
    txt(st, 1, key);
    txt(st, 2, val);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sqlerr(d, err, "writing a setting");
    sqlite3_finalize(st);
    return rc;
}

int db_get(db *d, const char *key, char **val, gr_error *err)
{
    pthread_mutex_lock(&d->mu);
    int rc = get_locked(d, key, val, err);
    pthread_mutex_unlock(&d->mu);
    return rc;
}

int db_set(db *d, const char *key, const char *val, gr_error *err)
{
    pthread_mutex_lock(&d->mu);
    int rc = set_locked(d, key, val, err);
    pthread_mutex_unlock(&d->mu);
    return rc;
}

/* Run one parameterless statement with text bindings; *changes rows touched. */
static int run(db *d, const char *sql, const char *const *args, int nargs, int *changes,
               gr_error *err)
{
    sqlite3_stmt *st;
    int rc = prep(d, sql, &st, err);
    if (rc)
        return rc;
    for (int i = 0; i < nargs; i++)
        txt(st, i + 1, args[i]);
    int s = sqlite3_step(st);
    if (s != SQLITE_DONE && s != SQLITE_ROW)
        rc = sqlerr(d, err, "writing");
    if (changes)
        *changes = sqlite3_changes(d->h);
    sqlite3_finalize(st);
    return rc;
}

static int count(db *d, const char *sql, const char *arg, long *out, gr_error *err)
{
    sqlite3_stmt *st;
    int rc = prep(d, sql, &st, err);
    if (rc)
        return rc;
    if (arg)
        txt(st, 1, arg);
    *out = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return 0;
}

static int import_locked(db *d, const db_import *im, db_import_stats *st, gr_error *err)
{
    char *old = NULL;
    long nrev = 0;
    int rc = get_locked(d, "rubric", &old, err);
    if (!rc)
        rc = count(d, "SELECT count(*) FROM reviews", NULL, &nrev, err);
    if (rc)
        goto out;
    bool changed =
        !old || strlen(old) != im->rubric_len || memcmp(old, im->rubric_text, im->rubric_len);
    if (old && nrev && changed) {
        rc = gr_error_set(err, GR_EINPUT, d->path, 0, 0,
                          "the rubric differs from the one the %ld reviews so far were written "
                          "against: import with the same --rubric",
                          nrev);
        goto out;
    }
    char *rt = malloc(im->rubric_len + 1);
    if (!rt) {
        rc = gr_error_nomem(err);
        goto out;
    }
    memcpy(rt, im->rubric_text, im->rubric_len);
    rt[im->rubric_len] = 0;
    rc = set_locked(d, "rubric", rt, err);
    free(rt);
    if (rc)
        goto out;
    if (!old && ((rc = set_locked(d, "anonymous", "both", err)) ||
                 (rc = set_locked(d, "released", "0", err))))
        goto out;
    int ch;
    for (size_t i = 0; i < im->npeople && !rc; i++) {
        const char *a[] = {im->people[i].id, im->people[i].name};
        rc = run(d, "INSERT INTO people(id, name) VALUES(?1, ?2) ON CONFLICT(id) DO NOTHING", a, 2,
                 &ch, err);
        st->people_new += (size_t)ch;
        if (!rc && !ch)
            rc = run(d, "UPDATE people SET name=?2 WHERE id=?1", a, 2, NULL, err);
    }
    if (!rc)
        rc = run(d, "INSERT INTO staff(id) VALUES('instructor') ON CONFLICT DO NOTHING", NULL, 0,
                 NULL, err);
    /* Another rubric (allowed while no review exists): new automatic points. */
    if (!rc && changed)
        rc = run(d, "DELETE FROM auto", NULL, 0, NULL, err);
    for (size_t i = 0; i < im->nposts && !rc; i++) {
        const db_post *p = &im->posts[i];
        sqlite3_stmt *s;
        if ((rc = prep(d,
                       "INSERT INTO posts(author, commit_id, path, body) VALUES(?,?,?,?) "
                       "ON CONFLICT(author) DO NOTHING",
                       &s, err)))
            break;
        txt(s, 1, p->author);
        txt(s, 2, p->commit);
        txt(s, 3, p->path);
        sqlite3_bind_text(s, 4, p->body, (int)p->len, SQLITE_TRANSIENT);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = sqlerr(d, err, "adding a post");
        ch = sqlite3_changes(d->h);
        sqlite3_finalize(s);
        st->posts_new += (size_t)ch;
        for (size_t c = 0; !rc && (ch || changed) && p->auto_points && c < im->rb->ncriteria; c++) {
            char pos[24], pts[24];
            snprintf(pos, sizeof pos, "%zu", c);
            snprintf(pts, sizeof pts, "%d", p->auto_points[c]);
            const char *a[] = {p->author, pos, pts};
            rc = run(d, "INSERT OR REPLACE INTO auto(author, pos, points) VALUES(?, ?, ?)", a, 3,
                     NULL, err);
        }
    }
    /* Pairs: mark the new set, drop the unreviewed rest. */
    if (!rc)
        rc = exec(d,
                  "CREATE TEMP TABLE IF NOT EXISTS newpairs(reviewer TEXT, author TEXT, "
                  "PRIMARY KEY(reviewer, author)); DELETE FROM newpairs;",
                  err);
    for (size_t i = 0; i < im->npairs && !rc; i++) {
        const char *a[] = {im->reviewers[i], im->authors[i]};
        rc = run(d, "INSERT INTO assignments(reviewer, author) VALUES(?, ?) ON CONFLICT DO NOTHING",
                 a, 2, &ch, err);
        st->pairs_new += (size_t)ch;
        if (!rc)
            rc = run(d, "INSERT OR IGNORE INTO newpairs VALUES(?, ?)", a, 2, NULL, err);
    }
    long kept = 0;
    if (!rc)
        rc = count(d,
                   "SELECT count(*) FROM assignments a WHERE NOT EXISTS (SELECT 1 FROM newpairs n "
                   "WHERE n.reviewer=a.reviewer AND n.author=a.author) AND a.n IN (SELECT n FROM "
                   "reviews)",
                   NULL, &kept, err);
    st->pairs_reviewed_kept = (size_t)kept;
    if (!rc) {
        rc = run(d,
                 "DELETE FROM assignments WHERE n NOT IN (SELECT n FROM reviews) AND NOT EXISTS "
                 "(SELECT 1 FROM newpairs p WHERE p.reviewer=assignments.reviewer AND "
                 "p.author=assignments.author)",
                 NULL, 0, &ch, err);
        st->pairs_dropped = (size_t)ch;
    }
out:
    free(old);
    return rc;
}

/* BEGIN IMMEDIATE ... COMMIT around f, under the lock. */
#define TXN(d, err, call)                                                                          \
    do {                                                                                           \
        pthread_mutex_lock(&(d)->mu);                                                              \
        rc = exec(d, "BEGIN IMMEDIATE", err);                                                      \
        if (!rc)                                                                                   \
            rc = (call);                                                                           \
        if (!rc)                                                                                   \
            rc = exec(d, "COMMIT", err);                                                           \
        if (rc)                                                                                    \
            exec(d, "ROLLBACK", NULL);                                                             \
        pthread_mutex_unlock(&(d)->mu);                                                            \
    } while (0)

int db_import_run(db *d, const db_import *im, db_import_stats *st, gr_error *err)
{
    int rc;
    memset(st, 0, sizeof *st);
    TXN(d, err, import_locked(d, im, st, err));
    return rc;
}

static int issue_locked(db *d, bool reissue, db_link_fn fn, void *ctx, size_t *issued,
                        gr_error *err)
{
    sqlite3_stmt *st;
    int rc = prep(d,
                  "SELECT 'instructor', id, 'Instructor' FROM staff WHERE ?1 OR token_hash IS NULL "
                  "UNION ALL SELECT 'student', id, name FROM people WHERE ?1 OR token_hash IS "
                  "NULL ORDER BY 1, 2",
                  &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, reissue);
    /* Collect first: updating rows a running SELECT walks is undefined. */
    size_t n = 0, cap = 0;
    char **rows = NULL;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        if (n + 3 > cap) {
            cap = cap ? 2 * cap : 48;
            char **nr = realloc(rows, cap * sizeof *nr);
            if (!nr) {
                rc = gr_error_nomem(err);
                break;
            }
            rows = nr;
        }
        for (int i = 0; i < 3; i++)
            rows[n++] = col_str(st, i);
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < n && !rc; i += 3) {
        char tok[TOKEN_CHARS + 1], hash[2 * SHA256_LEN + 1];
        if (!rows[i] || !rows[i + 1] || !rows[i + 2]) {
            rc = gr_error_nomem(err);
            break;
        }
        if ((rc = token_new(tok, err)))
            break;
        token_hash_hex(tok, TOKEN_CHARS, hash);
        const char *a[] = {hash, rows[i + 1]};
        rc = run(d,
                 !strcmp(rows[i], "instructor") ? "UPDATE staff SET token_hash=? WHERE id=?"
                                                : "UPDATE people SET token_hash=? WHERE id=?",
                 a, 2, NULL, err);
        if (!rc && fn(ctx, rows[i], rows[i + 1], rows[i + 2], tok))
            rc = gr_error_set(err, GR_EIO, "", 0, 0, "could not write the links");
        memset(tok, 0, sizeof tok);
        if (!rc)
            (*issued)++;
    }
    for (size_t i = 0; i < n; i++)
        free(rows[i]);
    free(rows);
    return rc;
}

int db_issue_links(db *d, bool reissue, db_link_fn fn, void *ctx, size_t *issued, gr_error *err)
{
    int rc;
    *issued = 0;
    TXN(d, err, issue_locked(d, reissue, fn, ctx, issued, err));
    if (rc)
        *issued = 0;
    return rc;
}

int db_who(db *d, const char *token_hash, db_role *role, char **id, gr_error *err)
{
    sqlite3_stmt *st;
    *role = DB_NOBODY;
    *id = NULL;
    pthread_mutex_lock(&d->mu);
    int rc = prep(d,
                  "SELECT 1, id FROM people WHERE token_hash=?1 UNION ALL "
                  "SELECT 2, id FROM staff WHERE token_hash=?1",
                  &st, err);
    if (!rc) {
        txt(st, 1, token_hash);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *role = sqlite3_column_int(st, 0) == 2 ? DB_INSTRUCTOR : DB_STUDENT;
            if (!(*id = col_str(st, 1)))
                rc = gr_error_nomem(err);
        }
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&d->mu);
    return rc;
}

void db_review_free(db_review *r)
{
    if (!r)
        return;
    free(r->reviewer);
    free(r->reviewer_name);
    free(r->author);
    free(r->author_name);
    free(r->overall);
    for (size_t i = 0; i < r->nitems; i++)
        free(r->items[i].comment);
    free(r->items);
    memset(r, 0, sizeof *r);
}

void db_reviews_free(db_review *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        db_review_free(&v[i]);
    free(v);
}

/* The columns every review query selects, in this order. */
#define REVIEW_COLS                                                                                \
    "a.n, a.reviewer, pr.name, a.author, pa.name, coalesce(r.state, 0), coalesce(r.score, 0), "    \
    "coalesce(r.overall, ''), coalesce(r.updated, 0), coalesce(h.helpful, -1) "                    \
    "FROM assignments a JOIN people pr ON pr.id=a.reviewer JOIN people pa ON pa.id=a.author "      \
    "LEFT JOIN reviews r ON r.n=a.n LEFT JOIN helpful h ON h.n=a.n "

static int load_items(db *d, db_review *r, size_t nitems, gr_error *err)
{
    r->nitems = nitems;
    r->items = calloc(nitems ? nitems : 1, sizeof *r->items);
    if (!r->items)
        return gr_error_nomem(err);
    for (size_t c = 0; c < nitems; c++)
        r->items[c].met = -1;
    sqlite3_stmt *st;
    int rc = prep(d, "SELECT pos, met, points, comment FROM review_items WHERE n=?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, r->n);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int pos = sqlite3_column_int(st, 0);
        if (pos < 0 || (size_t)pos >= nitems)
            continue; /* a criterion the rubric no longer has */
        db_item *it = &r->items[pos];
        it->met = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 1);
        it->has_points = sqlite3_column_type(st, 2) != SQLITE_NULL;
        it->points = sqlite3_column_double(st, 2);
        free(it->comment);
        if (!(it->comment = col_str(st, 3))) {
            rc = gr_error_nomem(err);
            break;
        }
    }
    sqlite3_finalize(st);
    for (size_t c = 0; !rc && c < nitems; c++)
        if (!r->items[c].comment && !(r->items[c].comment = strdup("")))
            rc = gr_error_nomem(err);
    return rc;
}

/* Rows of a review query (REVIEW_COLS) into *v; items when nitems > 0. */
static int review_rows(db *d, sqlite3_stmt *st, size_t nitems, bool items, db_review **v, size_t *n,
                       gr_error *err)
{
    size_t cap = 0;
    int rc = 0;
    *v = NULL;
    *n = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            db_review *nv = realloc(*v, cap * sizeof *nv);
            if (!nv) {
                rc = gr_error_nomem(err);
                break;
            }
            *v = nv;
        }
        db_review *r = &(*v)[(*n)++];
        memset(r, 0, sizeof *r);
        r->n = sqlite3_column_int64(st, 0);
        r->reviewer = col_str(st, 1);
        r->reviewer_name = col_str(st, 2);
        r->author = col_str(st, 3);
        r->author_name = col_str(st, 4);
        r->state = sqlite3_column_int(st, 5);
        r->score = sqlite3_column_double(st, 6);
        r->overall = col_str(st, 7);
        r->updated = sqlite3_column_int64(st, 8);
        r->helpful = sqlite3_column_int(st, 9);
        if (!r->reviewer || !r->reviewer_name || !r->author || !r->author_name || !r->overall)
            rc = gr_error_nomem(err);
    }
    for (size_t i = 0; items && !rc && i < *n; i++)
        rc = load_items(d, &(*v)[i], nitems, err);
    if (rc) {
        db_reviews_free(*v, *n);
        *v = NULL;
        *n = 0;
    }
    return rc;
}

static int query_reviews(db *d, const char *where, const char *arg, size_t nitems, bool items,
                         db_review **v, size_t *n, gr_error *err)
{
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT " REVIEW_COLS "%s", where);
    sqlite3_stmt *st;
    pthread_mutex_lock(&d->mu);
    int rc = prep(d, sql, &st, err);
    if (!rc) {
        if (arg)
            txt(st, 1, arg);
        rc = review_rows(d, st, nitems, items, v, n, err);
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&d->mu);
    return rc;
}

int db_tasks(db *d, const char *reviewer, db_review **v, size_t *n, gr_error *err)
{
    return query_reviews(d, "WHERE a.reviewer=? ORDER BY a.n", reviewer, 0, false, v, n, err);
}

int db_reviews_of(db *d, const char *author, size_t nitems, db_review **v, size_t *n, gr_error *err)
{
    return query_reviews(d, "WHERE a.author=? AND r.state=2 ORDER BY a.n", author, nitems, true, v,
                         n, err);
}

int db_reviews_all(db *d, size_t nitems, db_review **v, size_t *n, gr_error *err)
{
    return query_reviews(d, "ORDER BY a.reviewer, a.author", NULL, nitems, true, v, n, err);
}

int db_review_get(db *d, long n, const char *reviewer, size_t nitems, db_review *out, bool *found,
                  gr_error *err)
{
    sqlite3_stmt *st;
    db_review *v = NULL;
    size_t nv = 0;
    *found = false;
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&d->mu);
    int rc =
        prep(d, "SELECT " REVIEW_COLS "WHERE a.n=?1 AND (?2 IS NULL OR a.reviewer=?2)", &st, err);
    if (!rc) {
        sqlite3_bind_int64(st, 1, n);
        if (reviewer)
            txt(st, 2, reviewer);
        else
            sqlite3_bind_null(st, 2);
        rc = review_rows(d, st, nitems, true, &v, &nv, err);
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&d->mu);
    if (!rc && nv == 1) {
        *out = v[0];
        *found = true;
        free(v);
    } else
        db_reviews_free(v, nv);
    return rc;
}

static int save_locked(db *d, const db_review *r, const char *reviewer, bool *found, gr_error *err)
{
    sqlite3_stmt *st;
    int rc = prep(d, "SELECT 1 FROM assignments WHERE n=? AND reviewer=?", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, r->n);
    txt(st, 2, reviewer);
    *found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (!*found)
        return 0;
    if ((rc = prep(d,
                   "INSERT INTO reviews(n, state, score, overall, updated) VALUES(?,?,?,?,?) "
                   "ON CONFLICT(n) DO UPDATE SET state=excluded.state, score=excluded.score, "
                   "overall=excluded.overall, updated=excluded.updated",
                   &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, r->n);
    sqlite3_bind_int(st, 2, r->state);
    sqlite3_bind_double(st, 3, r->score);
    txt(st, 4, r->overall);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sqlerr(d, err, "saving the review");
    sqlite3_finalize(st);
    if (rc || (rc = prep(d,
                         "INSERT OR REPLACE INTO review_items(n, pos, met, points, comment) "
                         "VALUES(?,?,?,?,?)",
                         &st, err)))
        return rc;
    for (size_t c = 0; c < r->nitems && !rc; c++) {
        const db_item *it = &r->items[c];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, r->n);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)c);
        if (it->met < 0)
            sqlite3_bind_null(st, 3);
        else
            sqlite3_bind_int(st, 3, it->met);
        if (it->has_points)
            sqlite3_bind_double(st, 4, it->points);
        else
            sqlite3_bind_null(st, 4);
        txt(st, 5, it->comment);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = sqlerr(d, err, "saving the review");
    }
    sqlite3_finalize(st);
    return rc;
}

int db_review_save(db *d, const db_review *r, const char *reviewer, bool *found, gr_error *err)
{
    int rc;
    TXN(d, err, save_locked(d, r, reviewer, found, err));
    return rc;
}

static int helpful_locked(db *d, long n, const char *author, bool helpful, bool *found,
                          gr_error *err)
{
    sqlite3_stmt *st;
    int rc = prep(d,
                  "SELECT 1 FROM assignments a JOIN reviews r ON r.n=a.n WHERE a.n=? AND "
                  "a.author=? AND r.state=2",
                  &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n);
    txt(st, 2, author);
    *found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (!*found)
        return 0;
    if ((rc = prep(d, "INSERT OR REPLACE INTO helpful(n, helpful, at) VALUES(?, ?, ?)", &st, err)))
        return rc;
    sqlite3_bind_int64(st, 1, n);
    sqlite3_bind_int(st, 2, helpful);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sqlerr(d, err, "saving the vote");
    sqlite3_finalize(st);
    return rc;
}

int db_helpful_set(db *d, long n, const char *author, bool helpful, bool *found, gr_error *err)
{
    int rc;
    TXN(d, err, helpful_locked(d, n, author, helpful, found, err));
    return rc;
}

int db_post_get(db *d, const char *author, char **body, size_t *len, char **commit, char **path,
                bool *found, gr_error *err)
{
    sqlite3_stmt *st;
    *body = *commit = *path = NULL;
    *found = false;
    pthread_mutex_lock(&d->mu);
    int rc = prep(d, "SELECT body, commit_id, path FROM posts WHERE author=?", &st, err);
    if (!rc) {
        txt(st, 1, author);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *found = true;
            *len = (size_t)sqlite3_column_bytes(st, 0);
            *body = col_str(st, 0);
            *commit = col_str(st, 1);
            *path = col_str(st, 2);
            if (!*body || !*commit || !*path)
                rc = gr_error_nomem(err);
        }
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&d->mu);
    return rc;
}

int db_auto_points(db *d, const char *author, size_t nitems, int *out, gr_error *err)
{
    sqlite3_stmt *st;
    for (size_t c = 0; c < nitems; c++)
        out[c] = -1;
    pthread_mutex_lock(&d->mu);
    int rc = prep(d, "SELECT pos, points FROM auto WHERE author=?", &st, err);
    if (!rc) {
        txt(st, 1, author);
        while (sqlite3_step(st) == SQLITE_ROW) {
            int pos = sqlite3_column_int(st, 0);
            if (pos >= 0 && (size_t)pos < nitems)
                out[pos] = sqlite3_column_int(st, 1);
        }
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&d->mu);
    return rc;
}

void db_people_free(db_person_row *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].id);
        free(v[i].name);
    }
    free(v);
}

int db_people(db *d, db_person_row **v, size_t *n, gr_error *err)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    *v = NULL;
    *n = 0;
    pthread_mutex_lock(&d->mu);
    int rc = prep(d,
                  "SELECT id, name, EXISTS(SELECT 1 FROM posts WHERE author=id) FROM people "
                  "ORDER BY id",
                  &st, err);
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            db_person_row *nv = realloc(*v, cap * sizeof *nv);
            if (!nv) {
                rc = gr_error_nomem(err);
                break;
            }
            *v = nv;
        }
        db_person_row *p = &(*v)[(*n)++];
        p->id = col_str(st, 0);
        p->name = col_str(st, 1);
        p->author = sqlite3_column_int(st, 2);
        if (!p->id || !p->name)
            rc = gr_error_nomem(err);
    }
    if (st)
        sqlite3_finalize(st);
    pthread_mutex_unlock(&d->mu);
    if (rc) {
        db_people_free(*v, *n);
        *v = NULL;
        *n = 0;
    }
    return rc;
}

int db_person_get(db *d, const char *id, db_person_row *out, bool *found, gr_error *err)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    *found = false;
    pthread_mutex_lock(&d->mu);
    int rc = prep(d,
                  "SELECT id, name, EXISTS(SELECT 1 FROM posts WHERE author=id) FROM people "
                  "WHERE id=?",
                  &st, err);
    if (!rc) {
        txt(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *found = true;
            out->id = col_str(st, 0);
            out->name = col_str(st, 1);
            out->author = sqlite3_column_int(st, 2);
            if (!out->id || !out->name)
                rc = gr_error_nomem(err);
        }
        sqlite3_finalize(st);
    }
    pthread_mutex_unlock(&d->mu);
    return rc;
}

/* "%g" of a number of points, for CSV. */
static void pts(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.10g", v);
}

int db_export_reviews(db *d, const rubric *rb, FILE *fp, gr_error *err)
{
    size_t nc = rb ? rb->ncriteria : 0;
    db_review *v;
    size_t n;
    int rc = db_reviews_all(d, nc, &v, &n, err);
    if (rc)
        return rc;
    fputs("reviewer,author", fp);
    for (size_t c = 0; c < nc; c++) {
        csv_sep(fp);
        csv_cell(fp, rb->criteria[c].id);
    }
    fputs(",score,comment,helpful", fp);
    csv_eol(fp);
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        const db_review *r = &v[i];
        if (r->state != DB_SUBMITTED)
            continue;
        csv_cell(fp, r->reviewer);
        csv_sep(fp);
        csv_cell(fp, r->author);
        for (size_t c = 0; c < nc; c++) {
            csv_sep(fp);
            pts(buf, sizeof buf, r->items[c].points);
            csv_cell(fp, r->items[c].has_points ? buf : "");
        }
        csv_sep(fp);
        pts(buf, sizeof buf, r->score);
        csv_cell(fp, buf);
        csv_sep(fp);
        csv_cell(fp, r->overall);
        csv_sep(fp);
        csv_cell(fp, r->helpful < 0 ? "" : r->helpful ? "yes" : "no");
        csv_eol(fp);
    }
    db_reviews_free(v, n);
    if (ferror(fp))
        rc = gr_error_set(err, GR_EIO, "", 0, 0, "could not write reviews.csv");
    return rc;
}

int db_export_assignments(db *d, FILE *fp, gr_error *err)
{
    db_review *v;
    size_t n;
    int rc = db_reviews_all(d, 0, &v, &n, err);
    if (rc)
        return rc;
    fputs("reviewer,author", fp);
    csv_eol(fp);
    for (size_t i = 0; i < n; i++) {
        csv_cell(fp, v[i].reviewer);
        csv_sep(fp);
        csv_cell(fp, v[i].author);
        csv_eol(fp);
    }
    db_reviews_free(v, n);
    if (ferror(fp))
        rc = gr_error_set(err, GR_EIO, "", 0, 0, "could not write assignments.csv");
    return rc;
}
