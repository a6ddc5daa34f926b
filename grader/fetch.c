/* fetch.c - bare clones of a cohort's repositories, the graded commit at a
 * deadline, and posts read from the object database.
 *
 * Why worker processes rather than threads: libgit2 1.5.1 has no server
 * timeout, and a stalled server calls no callback, so a thread cannot be
 * stopped; a process can be killed. A worker process also isolates a crash
 * or a runaway allocation on a hostile repository from the batch, and gets
 * libgit2's per-thread error state and its own git_repository for free.
 * The parent stays single-threaded (fork from a multi-threaded process is
 * a minefield) and drives up to -j workers with poll(); each worker serves
 * repository after repository until the batch ends, and is replaced when
 * it is killed at --timeout or dies. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fetch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "credential.h"
#include "csvout.h"
#include "util.h"

/* ---- statuses ---------------------------------------------------------- */

static const struct {
    const char *name, *advice;
} status_info[FETCH_NSTATUS] = {
    [FETCH_OK] = {"ok", "nothing to do"},
    [FETCH_NO_REPO] = {"no-repo", "check the repository URL in the roster; ask the student "
                                  "to create or link the repository"},
    [FETCH_BAD_URL] = {"bad-url", "fix the URL in the roster (https://, ssh://, git@host:path, "
                                  "file:// or an absolute path)"},
    [FETCH_AUTH_FAILED] = {"auth-failed", "the repository is private or does not exist: set "
                                          "GRADER_TOKEN (HTTPS) or load an SSH key in the "
                                          "agent, or ask the student to make it public"},
    [FETCH_NETWORK] = {"network", "transient: run grader fetch again later"},
    [FETCH_TIMEOUT] = {"timeout", "run again, or raise --timeout for a large repository"},
    [FETCH_EMPTY_REPO] = {"empty-repo", "the student has pushed nothing yet"},
    [FETCH_AFTER_DEADLINE] = {"after-deadline", "every commit is after the deadline: nothing "
                                                "to grade unless you accept late work "
                                                "(re-run without --deadline)"},
    [FETCH_NO_POST] = {"no-post", "the post is not at that path: check --path or the rubric's "
                                  "document, or tell the student"},
    [FETCH_POST_IS_SYMLINK] = {"post-is-symlink", "a symbolic link is never followed: the "
                                                  "student must commit the file itself"},
    [FETCH_POST_IS_SUBMODULE] = {"post-is-submodule", "the path is a submodule: the student "
                                                      "must commit the file itself"},
    [FETCH_POST_IS_DIR] = {"post-is-dir", "the path is a folder: check --path"},
    [FETCH_POST_TOO_LARGE] = {"post-too-large", "the post is over the size cap: look at it by "
                                                "hand, or raise --max-size"},
    [FETCH_CRASHED] = {"crashed", "the worker died on this repository: look at it by hand and "
                                  "report a bug"},
    [FETCH_ERROR] = {"error", "see the detail column; remove submissions/<id>.git to start "
                              "that student afresh"},
};

const char *fetch_status_name(fetch_status s)
{
    return (unsigned)s < FETCH_NSTATUS ? status_info[s].name : "error";
}

const char *fetch_status_advice(fetch_status s)
{
    return (unsigned)s < FETCH_NSTATUS ? status_info[s].advice : "";
}

int fetch_status_parse(const char *name)
{
    for (int i = 0; i < FETCH_NSTATUS; i++)
        if (!strcmp(name, status_info[i].name))
            return i;
    return -1;
}

/* ---- redaction ----------------------------------------------------------- */

/* Replace every occurrence of needle (if at least 4 bytes: shorter ones
 * would mask ordinary words) in s by "***". */
static void mask(strbuf *s, const char *needle)
{
    size_t n = needle ? strlen(needle) : 0;
    if (n < 4 || !strstr(sb_str(s), needle))
        return;
    strbuf out;
    sb_init(&out);
    const char *p = sb_str(s), *q;
    while ((q = strstr(p, needle))) {
        sb_add(&out, p, (size_t)(q - p));
        sb_puts(&out, "***");
        p = q + n;
    }
    sb_puts(&out, p);
    if (sb_failed(&out)) { /* never leave a secret in place: blank it all */
        sb_free(&out);
        sb_reset(s);
        sb_puts(s, "[redacted]");
        return;
    }
    sb_free(s);
    *s = out;
}

static void mask_env_tokens(strbuf *s)
{
    mask(s, getenv("GRADER_TOKEN"));
    mask(s, getenv("GITHUB_TOKEN"));
}

char *fetch_redact(const char *url)
{
    strbuf sb;
    sb_init(&sb);
    const char *a, *b;
    if (url_userinfo(url, &a, &b)) {
        sb_add(&sb, url, (size_t)(a - url));
        sb_puts(&sb, "***");
        sb_puts(&sb, b);
    } else {
        sb_puts(&sb, url);
    }
    mask_env_tokens(&sb);
    return sb_detach(&sb);
}

/* Mask in msg every secret that url or the environment carries. */
static void redact_text(strbuf *msg, const char *url)
{
    const char *a, *b;
    if (url && url_userinfo(url, &a, &b)) {
        char *ui = strndup(a, (size_t)(b - a));
        if (!ui) {
            sb_reset(msg);
            sb_puts(msg, "[redacted]");
            return;
        }
        char *colon = strchr(ui, ':');
        mask(msg, ui);
        if (colon) {
            mask(msg, colon + 1);
            *colon = '\0';
        }
        mask(msg, ui); /* a user name alone can be a token */
        free(ui);
    }
    mask_env_tokens(msg);
}

/* ---- time ---------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

int fetch_parse_time(const char *s, int64_t *out, gr_error *err)
{
    int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 1;
    const char *p = s;
    if (!digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) || p[7] != '-' ||
        !digits(p + 8, 2, &d) || (p[10] != 'T' && p[10] != 't' && p[10] != ' ') ||
        !digits(p + 11, 2, &h) || p[13] != ':' || !digits(p + 14, 2, &mi))
        goto bad;
    p += 16;
    if (*p == ':') {
        if (!digits(p + 1, 2, &sec))
            goto bad;
        p += 3;
        if (*p == '.' || *p == ',') /* fractions of a second: ignored */
            for (p++; isdigit((unsigned char)*p); p++)
                ;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        if (!digits(p + 1, 2, &oh))
            goto bad;
        p += 3;
        if (*p == ':')
            p++;
        if (!digits(p, 2, &om))
            goto bad;
        p += 2;
    } else {
        return gr_error_set(err, GR_EUSAGE, NULL, 0, 0,
                            "time '%s' has no time zone: end it with Z (UTC) or an offset "
                            "such as +02:00",
                            s);
    }
    if (*p)
        goto bad;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
        (mo == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))) || h > 23 || mi > 59 ||
        sec > 60 || oh > 23 || om > 59)
        goto bad;
    *out =
        days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
    return 0;
bad:
    return gr_error_set(err, GR_EUSAGE, NULL, 0, 0,
                        "'%s' is not an ISO 8601 time such as 2024-04-12T23:59:00Z", s);
}

void fetch_format_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, size, "%s", "");
}

/* ---- manifest -------------------------------------------------------------- */

static const char *const manifest_columns[] = {"id",          "repo",  "status",       "commit",
                                               "commit_time", "late",  "late_commits", "path",
                                               "first_seen",  "detail"};
#define NMANIFEST (sizeof manifest_columns / sizeof manifest_columns[0])

int fetch_manifest_write(const char *path, const fetch_result *v, size_t n, gr_error *err)
{
    afile af;
    int rc = afile_open(&af, path, err);
    if (rc)
        return rc;
    for (size_t c = 0; c < NMANIFEST; c++) {
        if (c)
            csv_sep(af.fp);
        csv_cell(af.fp, manifest_columns[c]);
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
        const char *cells[NMANIFEST] = {r->id,     r->repo, fetch_status_name(r->status),
                                        r->commit, ct,      r->late ? "yes" : "no",
                                        lc,        r->path, fs,
                                        r->detail};
        for (size_t c = 0; c < NMANIFEST; c++) {
            if (c)
                csv_sep(af.fp);
            csv_cell(af.fp, cells[c] ? cells[c] : "");
        }
        csv_eol(af.fp);
    }
    return afile_commit(&af, err);
}

static void result_free(fetch_result *r)
{
    free(r->id);
    free(r->repo);
    free(r->path);
    free(r->detail);
}

void fetch_results_free(fetch_result *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        result_free(&v[i]);
    free(v);
}

void fetch_manifest_free(fetch_manifest *m)
{
    if (!m)
        return;
    fetch_results_free(m->v, m->n);
    free(m->path);
    free(m);
}

const fetch_result *fetch_manifest_find(const fetch_manifest *m, const char *id)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (!strcmp(m->v[i].id, id))
            return &m->v[i];
    return NULL;
}

static bool is_hex40(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n]))
            return false;
    return n == 40;
}

/* The manifest is a roster with more columns: roster_load reads it (libcsv,
 * header names, line numbers, unsafe ids) and this checks the rest. */
int fetch_manifest_load(const char *path, fetch_manifest **out, gr_error *err)
{
    *out = NULL;
    roster *r = NULL;
    int rc = roster_load(path, NULL, &r, err);
    if (rc)
        return rc;
    fetch_manifest *m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(path)) || !(m->v = calloc(r->n, sizeof *m->v))) {
        fetch_manifest_free(m);
        roster_free(r);
        return gr_error_nomem(err);
    }
    for (size_t c = 2; c < NMANIFEST; c++)
        if (!roster_field(r, 0, manifest_columns[c])) {
            rc = gr_error_set(err, GR_EINPUT, path, 1, 0, "no %s column: not a grader manifest",
                              manifest_columns[c]);
            goto fail;
        }
    for (size_t i = 0; i < r->n; i++, m->n++) {
        fetch_result *f = &m->v[i];
        const char *st = roster_field(r, i, "status"), *commit = roster_field(r, i, "commit"),
                   *ct = roster_field(r, i, "commit_time"), *late = roster_field(r, i, "late"),
                   *lc = roster_field(r, i, "late_commits"), *fs = roster_field(r, i, "first_seen");
        int line = r->v[i].line;
        f->id = strdup(r->v[i].id);
        f->repo = strdup(r->v[i].repo);
        f->path = strdup(roster_field(r, i, "path"));
        f->detail = strdup(roster_field(r, i, "detail"));
        if (!f->id || !f->repo || !f->path || !f->detail) {
            m->n++;
            rc = gr_error_nomem(err);
            goto fail;
        }
        int s = fetch_status_parse(st);
        gr_error terr = {0};
        char *end;
        long n = strtol(lc, &end, 10);
        if (s < 0)
            rc = gr_error_set(err, GR_EINPUT, path, line, 0, "unknown status \"%s\"", st);
        else if (*commit && !is_hex40(commit))
            rc = gr_error_set(err, GR_EINPUT, path, line, 0, "bad commit id \"%s\"", commit);
        else if (*ct && fetch_parse_time(ct, &f->commit_time, &terr))
            rc = gr_error_set(err, GR_EINPUT, path, line, 0, "bad commit_time \"%s\"", ct);
        else if (*fs && fetch_parse_time(fs, &f->first_seen, &terr))
            rc = gr_error_set(err, GR_EINPUT, path, line, 0, "bad first_seen \"%s\"", fs);
        else if (strcmp(late, "yes") && strcmp(late, "no"))
            rc = gr_error_set(err, GR_EINPUT, path, line, 0, "late is \"%s\", not yes or no", late);
        else if (end == lc || *end || n < 0 || n > 1000000000)
            rc = gr_error_set(err, GR_EINPUT, path, line, 0, "bad late_commits \"%s\"", lc);
        if (rc) {
            m->n++;
            goto fail;
        }
        f->status = (fetch_status)s;
        snprintf(f->commit, sizeof f->commit, "%s", commit);
        f->late = !strcmp(late, "yes");
        f->late_commits = (int)n;
    }
    roster_free(r);
    *out = m;
    return 0;
fail:
    roster_free(r);
    fetch_manifest_free(m);
    return rc;
}

char *fetch_repo_dir(const char *into, const char *id)
{
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%s/%s.git", into, id);
    return sb_detach(&sb);
}

/* ---- reading the post ------------------------------------------------------ */

static void post_set(fetch_post *p, fetch_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void post_set(fetch_post *p, fetch_status st, const char *fmt, ...)
{
    p->status = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->detail, sizeof p->detail, fmt, ap);
    va_end(ap);
}

/* Walk path from tree, exact name first, else the first case-insensitive
 * match; fill p (and read the blob when want_data). */
static int read_post_at(git_repository *repo, const git_commit *commit, const char *path,
                        size_t cap, bool want_data, fetch_post *p)
{
    memset(p, 0, sizeof *p);
    git_tree *tree = NULL;
    if (git_commit_tree(&tree, commit) < 0)
        return GR_EGIT;
    strbuf found;
    sb_init(&found);
    char *copy = strdup(path);
    int rc = copy ? 0 : GR_ENOMEM;
    char *save = NULL, *comp = copy ? strtok_r(copy, "/", &save) : NULL;
    if (copy && !comp)
        post_set(p, FETCH_NO_POST, "empty path");
    while (comp && !rc) {
        char *next = strtok_r(NULL, "/", &save);
        if (!strcmp(comp, ".") || !strcmp(comp, "..")) {
            post_set(p, FETCH_NO_POST, "'%s' is not allowed in the post's path", comp);
            break;
        }
        const git_tree_entry *e = git_tree_entry_byname(tree, comp);
        if (!e) {
            size_t n = git_tree_entrycount(tree);
            for (size_t i = 0; i < n && !e; i++) {
                const git_tree_entry *c = git_tree_entry_byindex(tree, i);
                if (!strcasecmp(git_tree_entry_name(c), comp))
                    e = c;
            }
            if (e)
                p->case_differs = true;
        }
        if (found.len)
            sb_putc(&found, '/');
        sb_puts(&found, e ? git_tree_entry_name(e) : comp);
        if (!e) {
            post_set(p, FETCH_NO_POST, "%s is not in the graded commit", sb_str(&found));
            break;
        }
        git_filemode_t mode = git_tree_entry_filemode(e);
        if (mode == GIT_FILEMODE_LINK) {
            post_set(p, FETCH_POST_IS_SYMLINK, "%s is a symbolic link (not followed)",
                     sb_str(&found));
            break;
        }
        if (mode == GIT_FILEMODE_COMMIT) {
            post_set(p, FETCH_POST_IS_SUBMODULE, "%s is a submodule", sb_str(&found));
            break;
        }
        if (next) {
            if (mode != GIT_FILEMODE_TREE) {
                post_set(p, FETCH_NO_POST, "%s is a file, not a folder", sb_str(&found));
                break;
            }
            git_tree *sub = NULL;
            if (git_tree_lookup(&sub, repo, git_tree_entry_id(e)) < 0) {
                rc = GR_EGIT;
                break;
            }
            git_tree_free(tree);
            tree = sub;
            comp = next;
            continue;
        }
        if (mode == GIT_FILEMODE_TREE) {
            post_set(p, FETCH_POST_IS_DIR, "%s is a folder", sb_str(&found));
            break;
        }
        /* A regular or executable blob: check its size from the object
         * header before inflating anything. */
        git_odb *odb = NULL;
        size_t size = 0;
        git_object_t type;
        if (git_repository_odb(&odb, repo) < 0 ||
            git_odb_read_header(&size, &type, odb, git_tree_entry_id(e)) < 0) {
            git_odb_free(odb);
            rc = GR_EGIT;
            break;
        }
        git_odb_free(odb);
        if (type != GIT_OBJECT_BLOB) { /* a forged tree entry */
            post_set(p, FETCH_NO_POST, "%s is not a file", sb_str(&found));
            break;
        }
        if (size > cap) {
            post_set(p, FETCH_POST_TOO_LARGE, "%s is %zu bytes, over the %zu-byte cap",
                     sb_str(&found), size, cap);
            break;
        }
        p->status = FETCH_OK;
        p->len = size;
        if (want_data) {
            git_blob *blob = NULL;
            if (git_blob_lookup(&blob, repo, git_tree_entry_id(e)) < 0) {
                rc = GR_EGIT;
                break;
            }
            size_t n = (size_t)git_blob_rawsize(blob);
            p->data = n <= cap ? malloc(n + 1) : NULL;
            if (p->data) {
                memcpy(p->data, git_blob_rawcontent(blob), n);
                p->data[n] = '\0';
                p->len = n;
            } else {
                rc = n <= cap ? GR_ENOMEM : GR_ELIMIT;
            }
            git_blob_free(blob);
        }
        break;
    }
    free(copy);
    git_tree_free(tree);
    if (!rc && (p->status == FETCH_OK || p->case_differs || found.len)) {
        p->path = sb_detach(&found);
        if (!p->path)
            rc = GR_ENOMEM;
    }
    sb_free(&found);
    if (!rc && p->status == FETCH_OK && p->case_differs)
        snprintf(p->detail, sizeof p->detail, "found as %s (case differs from %s)", p->path, path);
    return rc;
}

void fetch_post_free(fetch_post *p)
{
    if (!p)
        return;
    free(p->data);
    free(p->path);
    p->data = p->path = NULL;
}

static const char *git_msg(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

int fetch_read_post(const char *repo_dir, const char *commit_hex, const char *path, size_t cap,
                    fetch_post *out, gr_error *err)
{
    memset(out, 0, sizeof *out);
    git_libgit2_init();
    git_repository *repo = NULL;
    git_commit *commit = NULL;
    git_oid oid;
    int rc = 0;
    if (git_repository_open_ext(&repo, repo_dir,
                                GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, NULL) < 0)
        rc = gr_error_set(err, GR_EINPUT, repo_dir, 0, 0, "not a Git repository: %s", git_msg());
    else if (!is_hex40(commit_hex) || git_oid_fromstr(&oid, commit_hex) < 0)
        rc = gr_error_set(err, GR_EINPUT, repo_dir, 0, 0, "'%s' is not a commit id", commit_hex);
    else if (git_commit_lookup(&commit, repo, &oid) < 0)
        rc = gr_error_set(err, GR_EINPUT, repo_dir, 0, 0, "commit %.12s not found: %s", commit_hex,
                          git_msg());
    else if ((rc = read_post_at(repo, commit, path, cap, true, out)) != 0) {
        rc = rc == GR_ENOMEM ? gr_error_nomem(err)
                             : gr_error_set(err, rc, repo_dir, 0, 0, "cannot read %s at %.12s: %s",
                                            path, commit_hex, git_msg());
        fetch_post_free(out);
    }
    git_commit_free(commit);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return rc;
}

/* ---- one repository (in a worker process) ----------------------------------- */

/* What a worker sends back: one write() under PIPE_BUF, so atomic. */
typedef struct wire {
    int status;
    int late;
    int late_commits;
    int64_t commit_time;
    char commit[41];
    char path[1024];
    char detail[1024];
} wire;
_Static_assert(sizeof(wire) <= 4096, "a worker's report must fit one atomic pipe write");

typedef struct worker {
    const char *url;
    const cred_policy *cred;
    int cred_calls;
    bool auth_refused;  /* the server asked for credentials we could not satisfy */
    char auth_why[512]; /* why, when we offered nothing (credential.h) */
} worker;

static void wire_set(wire *w, fetch_status st, const char *url, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void wire_set(wire *w, fetch_status st, const char *url, const char *fmt, ...)
{
    w->status = st;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, msg);
    redact_text(&sb, url);
    snprintf(w->detail, sizeof w->detail, "%s", sb_failed(&sb) ? "[redacted]" : sb_str(&sb));
    sb_free(&sb);
}

/* libgit2 calls this again after each refused attempt: one offer, then
 * give up, or it loops forever. What to offer is credential.h's to say:
 * the token only to its hosts, never in clear text. */
static int credentials_cb(git_credential **out, const char *url, const char *user_from_url,
                          unsigned int allowed, void *payload)
{
    worker *w = payload;
    cred_decision d;
    cred_decide(w->cred, url, user_from_url, allowed, &d);
    if (d.offer != CRED_USERNAME && w->cred_calls++ >= 1) {
        w->auth_refused = true;
        git_error_set_str(GIT_ERROR_CALLBACK, "the server refused the credentials offered");
        return GIT_EAUTH;
    }
    switch (d.offer) {
    case CRED_TOKEN:
        return git_credential_userpass_plaintext_new(out, d.user, w->cred->token);
    case CRED_SSH_AGENT:
        return git_credential_ssh_key_from_agent(out, d.user);
    case CRED_USERNAME:
        return git_credential_username_new(out, d.user);
    case CRED_NONE:
        break;
    }
    w->auth_refused = true;
    snprintf(w->auth_why, sizeof w->auth_why, "%s", d.detail);
    git_error_set_str(GIT_ERROR_CALLBACK, d.detail);
    return GIT_EAUTH;
}

static bool has(const char *msg, const char *needle)
{
    size_t n = strlen(needle);
    for (; *msg; msg++)
        if (!strncasecmp(msg, needle, n))
            return true;
    return false;
}

/* A libgit2 failure as a status. Messages are matched because 1.5.1 gives
 * most transport errors the same code. */
static fetch_status classify(int rc, const worker *w, const char *msg, int klass)
{
    if (w->auth_refused || rc == GIT_EAUTH || has(msg, "401") || has(msg, "403") ||
        has(msg, "authentication"))
        return FETCH_AUTH_FAILED;
    if (has(msg, "cannot redirect"))
        return FETCH_ERROR; /* refused on purpose (cred_may_follow_offsite): no retry */
    if (has(msg, "unsupported URL") || has(msg, "malformed URL") || has(msg, "invalid url") ||
        has(msg, "unsupported protocol"))
        return FETCH_BAD_URL;
    if (has(msg, "404") || has(msg, "could not find repository") ||
        has(msg, "failed to resolve path") || has(msg, "not found") ||
        has(msg, "does not appear to be a git repository") || has(msg, "not a git repository"))
        return FETCH_NO_REPO;
    if (klass == GIT_ERROR_NET || klass == GIT_ERROR_SSL || klass == GIT_ERROR_HTTP ||
        klass == GIT_ERROR_SSH || rc == GIT_ECERTIFICATE || has(msg, "connect") ||
        has(msg, "resolve address") || has(msg, "timed out") || has(msg, "early EOF") ||
        has(msg, "unexpected disconnect") || has(msg, "reset by peer") || has(msg, "socket"))
        return FETCH_NETWORK;
    return FETCH_ERROR;
}

/* refs/heads/<default branch> of the connected remote, in *branch. */
static int remote_branch(git_remote *remote, git_buf *branch)
{
    int rc = git_remote_default_branch(branch, remote);
    if (rc != GIT_ENOTFOUND)
        return rc;
    /* HEAD not advertised, or detached: fall back as git does. */
    const git_remote_head **heads;
    size_t n;
    if (git_remote_ls(&heads, &n, remote) < 0)
        return -1;
    const char *pick = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *name = heads[i]->name;
        if (!strcmp(name, "refs/heads/main") || !strcmp(name, "refs/heads/master")) {
            pick = name;
            break;
        }
        if (!pick && !strncmp(name, "refs/heads/", 11))
            pick = name;
    }
    if (!pick)
        return GIT_ENOTFOUND;
    return git_buf_set(branch, pick, strlen(pick) + 1) < 0 ? -1 : 0;
}

/* One fetch of url into repo: every branch mirrored into refs/heads (a bare clone's default
 * refspec would leave refs/heads stale and re-runs would grade an old
 * commit), HEAD pointed at the remote's default branch, nothing written
 * when nothing changed. Fills *branch. */
static int update_once(git_repository *repo, worker *w, git_buf *branch, wire *out)
{
    git_remote *remote = NULL;
    git_remote_callbacks cbs;
    git_remote_init_callbacks(&cbs, GIT_REMOTE_CALLBACKS_VERSION);
    cbs.credentials = credentials_cb;
    cbs.payload = w;
    w->cred_calls = 0;
    w->auth_refused = false;
    w->auth_why[0] = '\0';
    char *refspec_s = "+refs/heads/*:refs/heads/*";
    git_strarray refspecs = {&refspec_s, 1};
    git_fetch_options fo;
    git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
    fo.callbacks = cbs;
    fo.prune = GIT_FETCH_PRUNE;
    fo.update_fetchhead = 0;
    fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    fo.proxy_opts.type = GIT_PROXY_AUTO; /* http_proxy / https_proxy, as git does */
    /* No redirect to another host when anything secret could go to this
     * one, whatever libgit2 does about credentials on a redirect
     * (credential.h). */
    fo.follow_redirects = cred_may_follow_offsite(w->cred, w->url) ? GIT_REMOTE_REDIRECT_INITIAL
                                                                   : GIT_REMOTE_REDIRECT_NONE;
    git_remote_connect_options cto;
    git_remote_connect_options_init(&cto, GIT_REMOTE_CONNECT_OPTIONS_VERSION);
    cto.callbacks = cbs;
    cto.proxy_opts = fo.proxy_opts;
    cto.follow_redirects = fo.follow_redirects;

    /* No name, so nothing is written to the repository's config (a URL may
     * carry a token); no insteadOf rewriting: the roster's URL is used. */
    git_remote_create_options co;
    git_remote_create_options_init(&co, GIT_REMOTE_CREATE_OPTIONS_VERSION);
    co.repository = repo;
    co.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
    int rc = git_remote_create_with_opts(&remote, w->url, &co);
    if (rc == 0)
        rc = git_remote_connect_ext(remote, GIT_DIRECTION_FETCH, &cto);
    if (rc == 0) {
        rc = remote_branch(remote, branch);
        if (rc == GIT_ENOTFOUND) {
            wire_set(out, FETCH_EMPTY_REPO, w->url, "the repository has no branch");
            git_remote_free(remote);
            return 1;
        }
    }
    if (rc == 0)
        rc = git_remote_download(remote, &refspecs, &fo);
    if (rc == 0)
        rc = git_remote_update_tips(remote, &cbs, 0, GIT_REMOTE_DOWNLOAD_TAGS_NONE, "grader fetch");
    if (rc == 0)
        rc = git_remote_prune(remote, &cbs);
    if (rc < 0) {
        const git_error *e = git_error_last();
        char msg[900];
        snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "unknown error");
        int klass = e ? e->klass : 0;
        fetch_status st = classify(rc, w, msg, klass);
        if (st == FETCH_AUTH_FAILED && w->auth_why[0])
            wire_set(out, st, w->url, "%s", w->auth_why);
        else if (has(msg, "cannot redirect"))
            wire_set(out, st, w->url,
                     "%s: a redirect to another host is not followed where the token or the "
                     "URL's password may go",
                     msg);
        else
            wire_set(out, st, w->url, "%s", msg);
        git_remote_free(remote);
        return -1;
    }
    git_remote_disconnect(remote);
    git_remote_free(remote);

    /* Point HEAD at the default branch, unless it already does. */
    git_reference *head = NULL;
    bool same = git_reference_lookup(&head, repo, "HEAD") == 0 &&
                git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
                !strcmp(git_reference_symbolic_target(head), branch->ptr);
    git_reference_free(head);
    if (!same && git_repository_set_head(repo, branch->ptr) < 0) {
        wire_set(out, FETCH_ERROR, w->url, "cannot set HEAD: %s", git_msg());
        return -1;
    }
    return 0;
}

/* The graded commit: the tip, or the newest by committer time at or before
 * the deadline, with the count of commits after it. */
static int choose_commit(git_repository *repo, const char *branch, const fetch_opts *o,
                         git_oid *chosen, wire *out)
{
    git_oid tip;
    if (git_reference_name_to_id(&tip, repo, branch) < 0) {
        wire_set(out, FETCH_EMPTY_REPO, NULL, "%s has no commit", branch);
        return 1;
    }
    *chosen = tip;
    if (!o->has_deadline)
        return 0;
    git_revwalk *walk = NULL;
    if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_sorting(walk, GIT_SORT_TIME) < 0 ||
        git_revwalk_push(walk, &tip) < 0) {
        git_revwalk_free(walk);
        wire_set(out, FETCH_ERROR, NULL, "cannot walk the history: %s", git_msg());
        return -1;
    }
    git_oid oid;
    int seen = 0;
    bool found = false;
    /* A cap bounds a hostile history; a real post repository is far below. */
    while (!found && seen < 200000 && git_revwalk_next(&oid, walk) == 0) {
        git_commit *c = NULL;
        if (git_commit_lookup(&c, repo, &oid) < 0)
            break;
        if ((int64_t)git_commit_time(c) <= o->deadline) {
            *chosen = oid;
            found = true;
        } else {
            seen++;
        }
        git_commit_free(c);
    }
    git_revwalk_free(walk);
    if (!found) {
        out->late = 1;
        out->late_commits = seen;
        wire_set(out, FETCH_AFTER_DEADLINE, NULL, "all %d commits are after the deadline", seen);
        return 1;
    }
    size_t ahead = 0, behind = 0;
    if (git_graph_ahead_behind(&ahead, &behind, repo, &tip, chosen) < 0)
        ahead = (size_t)seen;
    out->late_commits = ahead > 1000000000 ? 1000000000 : (int)ahead;
    out->late = ahead > 0;
    return 0;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static void rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int rm_lock(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    size_t n = strlen(p);
    if (flag == FTW_F && n > 5 && !strcmp(p + n - 5, ".lock"))
        unlink(p);
    return 0;
}

/* Lock files a killed worker left behind. Safe because the submissions
 * folder is locked by this run (fetch_cohort), so no other writer exists. */
static void remove_stale_locks(const char *dir)
{
    static const char *const top[] = {"HEAD.lock", "config.lock", "packed-refs.lock",
                                      "shallow.lock", "index.lock"};
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++) {
        char *p = path_join(dir, top[i]);
        if (p)
            unlink(p);
        free(p);
    }
    char *refs = path_join(dir, "refs");
    if (refs)
        nftw(refs, rm_lock, 16, FTW_PHYS);
    free(refs);
}

static void fetch_one(const char *url, const char *into, const char *id, const fetch_opts *o,
                      const cred_policy *cred, wire *out)
{
    memset(out, 0, sizeof *out);
    worker w = {.url = url, .cred = cred};
    char *dir = fetch_repo_dir(into, id);
    strbuf tmp;
    sb_init(&tmp);
    sb_printf(&tmp, "%s/.%s.git.tmp", into, id);
    if (!dir || sb_failed(&tmp)) {
        wire_set(out, FETCH_ERROR, NULL, "out of memory");
        free(dir);
        sb_free(&tmp);
        return;
    }
    git_libgit2_init();
    git_repository *repo = NULL;
    bool fresh = false;
    struct stat st;
    if (lstat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode) ||
            git_repository_open_ext(
                &repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, NULL) < 0) {
            wire_set(out, FETCH_ERROR, NULL, "%s exists and is not a Git repository: move it away",
                     dir);
            goto done;
        }
        remove_stale_locks(dir);
    } else {
        /* A fresh clone goes to a temporary folder, renamed into place only
         * once it worked: a half clone never passes for a repository. */
        fresh = true;
        rmtree(sb_str(&tmp));
        if (git_repository_init(&repo, sb_str(&tmp), 1) < 0) {
            wire_set(out, FETCH_ERROR, NULL, "cannot create %s: %s", sb_str(&tmp), git_msg());
            goto done;
        }
    }

    git_buf branch = GIT_BUF_INIT;
    int rc = 0;
    for (int attempt = 0;; attempt++) {
        memset(out, 0, sizeof *out);
        git_buf_dispose(&branch);
        rc = update_once(repo, &w, &branch, out);
        if (rc >= 0 || out->status != FETCH_NETWORK || attempt >= o->retries)
            break;
        sleep(1u << (attempt < 4 ? attempt : 4)); /* 1, 2, 4, 8, 16 s */
    }
    git_oid chosen;
    if (rc == 0 && (rc = choose_commit(repo, branch.ptr, o, &chosen, out)) == 0) {
        git_commit *c = NULL;
        fetch_post post;
        if (git_commit_lookup(&c, repo, &chosen) < 0) {
            wire_set(out, FETCH_ERROR, NULL, "cannot read the graded commit: %s", git_msg());
        } else if (read_post_at(repo, c, o->path, o->max_post, false, &post) != 0) {
            wire_set(out, FETCH_ERROR, NULL, "cannot read %s: %s", o->path, git_msg());
            fetch_post_free(&post);
        } else {
            out->status = post.status;
            snprintf(out->detail, sizeof out->detail, "%s", post.detail);
            snprintf(out->path, sizeof out->path, "%s",
                     post.status == FETCH_OK && post.path ? post.path : o->path);
            fetch_post_free(&post);
        }
        if (c) {
            git_oid_tostr(out->commit, sizeof out->commit, &chosen);
            out->commit_time = (int64_t)git_commit_time(c);
        }
        git_commit_free(c);
    }
    git_buf_dispose(&branch);
    git_repository_free(repo);
    repo = NULL;
    if (fresh) {
        /* Keep an empty repository too: the next run only fetches. */
        bool keep = out->status != FETCH_NO_REPO && out->status != FETCH_BAD_URL &&
                    out->status != FETCH_AUTH_FAILED && out->status != FETCH_NETWORK &&
                    out->status != FETCH_ERROR;
        if (keep && rename(sb_str(&tmp), dir) != 0)
            wire_set(out, FETCH_ERROR, NULL, "cannot rename into %s: %s", dir, strerror(errno));
        if (!keep || out->status == FETCH_ERROR)
            rmtree(sb_str(&tmp));
    }
done:
    git_repository_free(repo);
    git_libgit2_shutdown();
    free(dir);
    sb_free(&tmp);
}

/* ---- the cohort (parent) ---------------------------------------------------- */

/* Cheap checks before spawning a worker. */
static fetch_status check_url(const char *url, const char **why)
{
    *why = "";
    if (!*url) {
        *why = "no repository in the roster";
        return FETCH_NO_REPO;
    }
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7f) {
            *why = "the URL holds a space or a control character";
            return FETCH_BAD_URL;
        }
    if (url[0] == '-') {
        *why = "the URL starts with '-'";
        return FETCH_BAD_URL;
    }
    static const char *const schemes[] = {"https://", "http://",    "ssh://",    "git://",
                                          "file://",  "git+ssh://", "ssh+git://"};
    const char *sep = strstr(url, "://");
    if (sep) {
        for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
            if (!strncasecmp(url, schemes[i], strlen(schemes[i])))
                return sep[3] ? FETCH_OK : (*why = "the URL has no host or path", FETCH_BAD_URL);
        *why = "unsupported URL scheme (use https://, ssh://, git://, file://)";
        return FETCH_BAD_URL;
    }
    const char *colon = strchr(url, ':'), *slash = strchr(url, '/');
    if (colon && colon != url && (!slash || colon < slash) && colon[1])
        return FETCH_OK; /* scp-like user@host:path */
    struct stat st;
    if (url[0] == '/' || stat(url, &st) == 0)
        return FETCH_OK; /* a local path; a missing absolute one is no-repo */
    *why = "not a URL (use https://..., git@host:path, file:// or an absolute path)";
    return FETCH_BAD_URL;
}

/* A worker process: it takes roster indexes on `to` and answers each with
 * one wire record on `from`, until `to` closes. Reusing a worker for many
 * repositories saves a fork, its copy-on-write faults and the dynamic
 * linker's lazy binding per repository: about half of an unchanged fetch. */
typedef struct slot {
    pid_t pid; /* 0: no worker */
    int to, from;
    bool busy;
    size_t idx;
    struct timespec start;
    size_t got;
    wire w;
} slot;

static double since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void worker_loop(const roster *r, const fetch_opts *o, const cred_policy *cred, int in,
                        int out)
{
    size_t idx;
    for (;;) {
        ssize_t n = read(in, &idx, sizeof idx);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != (ssize_t)sizeof idx || idx >= r->n)
            _exit(0);
        wire w;
        fetch_one(r->v[idx].repo, o->into, r->v[idx].id, o, cred, &w);
        if (write(out, &w, sizeof w) != (ssize_t)sizeof w)
            _exit(1);
    }
}

static int spawn(const roster *r, const fetch_opts *o, const cred_policy *cred, slot *slots,
                 int nslots, int k, gr_error *err)
{
    int down[2], up[2];
    if (pipe(down) != 0)
        return gr_error_set(err, GR_EIO, NULL, 0, 0, "pipe: %s", strerror(errno));
    if (pipe(up) != 0) {
        int e = errno;
        close(down[0]);
        close(down[1]);
        return gr_error_set(err, GR_EIO, NULL, 0, 0, "pipe: %s", strerror(e));
    }
    fflush(NULL); /* or a worker could flush the parent's buffers again */
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(down[0]);
        close(down[1]);
        close(up[0]);
        close(up[1]);
        return gr_error_set(err, GR_EIO, NULL, 0, 0, "fork: %s", strerror(e));
    }
    if (pid == 0) {
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* no orphan keeps fetching */
#endif
        signal(SIGPIPE, SIG_IGN);
        close(down[1]);
        close(up[0]);
        /* The other workers' pipe ends: holding them would hide a dead
         * worker's end-of-file from the parent. */
        for (int j = 0; j < nslots; j++)
            if (slots[j].pid) {
                close(slots[j].to);
                close(slots[j].from);
            }
        worker_loop(r, o, cred, down[0], up[1]);
    }
    close(down[0]);
    close(up[1]);
    slots[k] = (slot){.pid = pid, .to = down[1], .from = up[0]};
    return 0;
}

static int assign(slot *s, size_t idx)
{
    s->busy = true;
    s->idx = idx;
    s->got = 0;
    clock_gettime(CLOCK_MONOTONIC, &s->start);
    return write(s->to, &idx, sizeof idx) == (ssize_t)sizeof idx ? 0 : -1;
}

static void stop_worker(slot *s, bool kill_it)
{
    if (!s->pid)
        return;
    close(s->to);
    if (kill_it)
        kill(s->pid, SIGKILL);
    while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    close(s->from);
    s->pid = 0;
    s->busy = false;
}

static int set_result(fetch_result *res, const roster_entry *e, const wire *w)
{
    res->id = strdup(e->id);
    res->repo = fetch_redact(e->repo);
    res->status = (unsigned)w->status < FETCH_NSTATUS ? (fetch_status)w->status : FETCH_ERROR;
    snprintf(res->commit, sizeof res->commit, "%s", w->commit);
    res->commit_time = w->commit_time;
    res->late = w->late != 0;
    res->late_commits = w->late_commits;
    res->path = strndup(w->path, sizeof w->path);
    res->detail = strndup(w->detail, sizeof w->detail);
    return res->id && res->repo && res->path && res->detail ? 0 : GR_ENOMEM;
}

/* A job is over: its report, or (the worker killed or dead) why not. */
static void finish(slot *s, const roster *r, const fetch_opts *o, bool timed_out, wire *w)
{
    s->busy = false;
    if (!timed_out && s->got == sizeof s->w) {
        *w = s->w;
        w->path[sizeof w->path - 1] = w->detail[sizeof w->detail - 1] = w->commit[40] = '\0';
        return;
    }
    int status = 0;
    pid_t pid = s->pid;
    close(s->to);
    if (timed_out)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    close(s->from);
    s->pid = 0;
    memset(w, 0, sizeof *w);
    if (timed_out)
        wire_set(w, FETCH_TIMEOUT, NULL, "gave up after %d s", o->timeout);
    else if (WIFSIGNALED(status))
        wire_set(w, FETCH_CRASHED, NULL, "the worker died of signal %d", WTERMSIG(status));
    else
        wire_set(w, FETCH_CRASHED, NULL, "the worker exited (status %d) without a report",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    /* It was stopped mid-way: leave no half clone and no stale lock. */
    strbuf tmp;
    sb_init(&tmp);
    sb_printf(&tmp, "%s/.%s.git.tmp", o->into, r->v[s->idx].id);
    if (!sb_failed(&tmp))
        rmtree(sb_str(&tmp));
    sb_free(&tmp);
    char *dir = fetch_repo_dir(o->into, r->v[s->idx].id);
    if (dir)
        remove_stale_locks(dir);
    free(dir);
}

/* The id of a repository in flight, for the progress line. */
static const char *running_id(const roster *r, const slot *slots, int n)
{
    for (int k = 0; k < n; k++)
        if (slots[k].busy)
            return r->v[slots[k].idx].id;
    return "";
}

/* The token's hosts for this batch (credential.h): the template's host,
 * else github.com; then --token-host and GRADER_TOKEN_HOSTS. Read in the
 * parent, once: every worker inherits it. */
static int token_policy(const fetch_opts *o, cred_policy *p, gr_error *err)
{
    const char *tok = getenv("GRADER_TOKEN");
    if (!tok || !*tok)
        tok = getenv("GITHUB_TOKEN");
    cred_policy_init(p, tok);
    const char *ins = getenv("GRADER_INSECURE_LOOPBACK");
    p->insecure_loopback = ins && !strcmp(ins, "1");
    int rc = 0;
    cred_url u;
    if (o->repo_template && *o->repo_template) {
        /* a host built from {github} cannot be trusted: none then */
        if (cred_url_parse(o->repo_template, &u) == 0 && u.host[0] && !strchr(u.host, '{'))
            rc = cred_policy_add_host(p, u.host, err);
    } else {
        rc = cred_policy_add_host(p, "github.com", err);
    }
    for (size_t i = 0; !rc && i < o->ntoken_hosts; i++)
        rc = cred_policy_add_host(p, o->token_hosts[i], err);
    if (!rc && (rc = cred_policy_add_list(p, getenv("GRADER_TOKEN_HOSTS"), err)) != 0 && err)
        snprintf(err->file, sizeof err->file, "GRADER_TOKEN_HOSTS");
    if (rc)
        cred_policy_free(p);
    return rc;
}

int fetch_cohort(const roster *r, const fetch_opts *o, fetch_result **out, gr_error *err)
{
    cred_policy cred;
    int rc = token_policy(o, &cred, err);
    if (rc)
        return rc;
    *out = NULL;
    size_t next = 0, done = 0;
    int jobs = o->jobs < 1 ? 1 : o->jobs > 256 ? 256 : o->jobs;
    slot *slots = NULL;
    bool git_inited = false;
    if ((rc = mkdir_p(o->into, err)) != 0) {
        cred_policy_free(&cred);
        return rc;
    }
    /* One run per submissions folder at a time: two would race on the
     * same repositories, and stale-lock cleanup relies on it. */
    char *lockpath = path_join(o->into, ".grader-fetch.lock");
    int lockfd = lockpath ? open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644) : -1;
    if (lockfd < 0 || flock(lockfd, LOCK_EX | LOCK_NB) != 0) {
        if (lockfd < 0)
            rc = gr_error_set(err, GR_EIO, o->into, 0, 0, "cannot create the lock file: %s",
                              strerror(errno));
        else
            rc = gr_error_set(err, GR_EIO, o->into, 0, 0,
                              "another grader fetch is running on this folder");
        if (lockfd >= 0)
            close(lockfd);
        free(lockpath);
        cred_policy_free(&cred);
        return rc;
    }
    fetch_manifest *prev = NULL;
    char *mpath = path_join(o->into, "manifest.csv");
    if (mpath && access(mpath, F_OK) == 0) {
        gr_error ignored = {0};
        fetch_manifest_load(mpath, &prev, &ignored); /* a broken one only loses first_seen */
    }
    free(mpath);

    /* A dead worker's pipe must give EPIPE, not kill the batch. */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_pipe;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old_pipe);
    fetch_result *res = calloc(r->n ? r->n : 1, sizeof *res);
    slots = calloc((size_t)jobs, sizeof *slots);
    struct pollfd *pfd = calloc((size_t)jobs, sizeof *pfd);
    int *pk = calloc((size_t)jobs, sizeof *pk);
    if (!res || !slots || !pfd || !pk) {
        rc = gr_error_nomem(err);
        goto out;
    }
    /* Workers are forks: what they inherit of the parent's heap must stay
     * reachable from a root, or valgrind (which follows fork) reports it
     * as lost when a worker exits. */
    static void *inherited[6];
    inherited[0] = res, inherited[1] = slots, inherited[2] = pfd, inherited[3] = lockpath,
    inherited[4] = prev, inherited[5] = pk;
    /* Initialised once here, so that every worker inherits it: libgit2's
     * initialisation parses the whole CA bundle (mbedTLS on Debian), about
     * 70% of the work of an unchanged fetch when each worker did it. The
     * parent has no thread, so the state is safe to fork. */
    git_inited = git_libgit2_init() >= 0;
    time_t now = time(NULL);
    while (done < r->n) {
        /* Hand out work to idle workers, starting workers as needed. */
        for (int k = 0; k < jobs && next < r->n; k++) {
            if (slots[k].busy)
                continue;
            size_t i = next++;
            const char *why;
            char clear[256];
            fetch_status pre = check_url(r->v[i].repo, &why);
            if (pre == FETCH_OK && cred_check_url(&cred, r->v[i].repo, clear, sizeof clear) != 0)
                pre = FETCH_BAD_URL, why = clear;
            if (pre != FETCH_OK) {
                wire w = {0};
                wire_set(&w, pre, r->v[i].repo, "%s", why);
                if (set_result(&res[i], &r->v[i], &w) != 0) {
                    rc = gr_error_nomem(err);
                    goto out;
                }
                done++;
                if (o->on_done)
                    o->on_done(o->ctx, done, r->n, &res[i], running_id(r, slots, jobs));
                k--; /* this worker is still idle */
                continue;
            }
            if (!slots[k].pid && (rc = spawn(r, o, &cred, slots, jobs, k, err)) != 0)
                goto out;
            if (assign(&slots[k], i) != 0) { /* died while idle: a fresh one */
                stop_worker(&slots[k], true);
                if ((rc = spawn(r, o, &cred, slots, jobs, k, err)) != 0)
                    goto out;
                if (assign(&slots[k], i) != 0) {
                    rc = gr_error_set(err, GR_EIO, NULL, 0, 0, "cannot reach a worker: %s",
                                      strerror(errno));
                    goto out;
                }
            }
        }
        int npoll = 0, wait_ms = -1;
        double left = 1e9;
        for (int k = 0; k < jobs; k++) {
            if (!slots[k].busy)
                continue;
            pk[npoll] = k;
            pfd[npoll++] = (struct pollfd){.fd = slots[k].from, .events = POLLIN};
            if (o->timeout > 0 && o->timeout - since(&slots[k].start) < left)
                left = o->timeout - since(&slots[k].start);
        }
        if (!npoll)
            continue;
        if (o->timeout > 0)
            wait_ms = left <= 0 ? 0 : (int)(left * 1000) + 1;
        int pn = poll(pfd, (nfds_t)npoll, wait_ms);
        if (pn < 0 && errno != EINTR) {
            rc = gr_error_set(err, GR_EIO, NULL, 0, 0, "poll: %s", strerror(errno));
            goto out;
        }
        for (int q = 0; q < npoll; q++) {
            slot *s = &slots[pk[q]];
            bool over = false, timed_out = false;
            if (pn > 0 && pfd[q].revents) {
                ssize_t n = read(s->from, (char *)&s->w + s->got, sizeof s->w - s->got);
                if (n > 0)
                    s->got += (size_t)n;
                else if (n == 0 || errno != EINTR)
                    over = true;
                if (s->got == sizeof s->w)
                    over = true;
            }
            if (!over && o->timeout > 0 && since(&s->start) >= o->timeout)
                over = timed_out = true;
            if (!over)
                continue;
            wire w;
            finish(s, r, o, timed_out, &w);
            fetch_result *fr = &res[s->idx];
            if (set_result(fr, &r->v[s->idx], &w) != 0) {
                rc = gr_error_nomem(err);
                goto out;
            }
            const fetch_result *old = fetch_manifest_find(prev, fr->id);
            fr->first_seen =
                fr->commit[0]
                    ? (old && old->first_seen && !strcmp(old->commit, fr->commit) ? old->first_seen
                                                                                  : (int64_t)now)
                    : 0;
            done++;
            if (o->on_done)
                o->on_done(o->ctx, done, r->n, fr, running_id(r, slots, jobs));
        }
    }
    *out = res;
    res = NULL;
out:
    /* Idle workers exit on end-of-file; busy ones only on a batch failure. */
    for (int k = 0; slots && k < jobs; k++)
        stop_worker(&slots[k], slots[k].busy);
    sigaction(SIGPIPE, &old_pipe, NULL);
    fetch_results_free(res, r->n);
    free(slots);
    free(pfd);
    free(pk);
    fetch_manifest_free(prev);
    close(lockfd);
    free(lockpath);
    memset(inherited, 0, sizeof inherited);
    cred_policy_free(&cred);
    if (git_inited)
        git_libgit2_shutdown();
    return rc;
}
