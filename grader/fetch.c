/* fetch.c - bare clones of a cohort's repositories, the graded commit at a
 * deadline (the post itself is read by post_read.c).
 *
 * The transfer of one repository is transport.c's (credentials:
 * credential.c); the worker processes that run repository after
 * repository, killed at --timeout, are workers.c's. This file chooses the
 * commit, checks the post, keeps a half clone from passing for a
 * repository, and turns a batch into results in roster order. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fetch.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "credential.h"
#include "lock.h"
#include "post_read.h"
#include "transport.h"
#include "util.h"
#include "workers.h"

/* ---- statuses ---------------------------------------------------------- */

static const struct {
    const char *name, *advice;
} status_info[FETCH_NSTATUS] = {
    [FETCH_OK] = {"ok", "nothing to do"},
    [FETCH_NO_REPO] = {"no-repo", "check the repository URL in the roster; ask the student "
                                  "to create or link the repository"},
    [FETCH_BAD_URL] = {"bad-url", "fix the URL in the roster (https://, ssh://, git@host:path, "
                                  "file:// or an absolute path)"},
    [FETCH_AUTH_FAILED] = {"auth-failed", "the server asked for credentials and refused "
                                          "(private, or does not exist): set GRADER_TOKEN "
                                          "(HTTPS; see the detail for GRADER_TOKEN_HOSTS) or "
                                          "load an SSH key in the agent, or ask the student to "
                                          "make it public"},
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

#define TIME_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

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
    if (*out < 0 || *out > TIME_MAX) /* fetch_format_time could not write it back */
        goto bad;
    return 0;
bad:
    return gr_error_set(err, GR_EUSAGE, NULL, 0, 0,
                        "'%s' is not an ISO 8601 time such as 2024-04-12T23:59:00Z", s);
}

void fetch_format_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    /* A commit may carry any date; outside 1970-9999 %Y is not 4 digits,
     * and a manifest holding it would not load again. */
    if (t < 0 || t > TIME_MAX || !gmtime_r(&tt, &tm) ||
        !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, size, "%s", "");
}

/* ---- results -------------------------------------------------------------- */

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

char *fetch_repo_dir(const char *into, const char *id)
{
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%s/%s.git", into, id);
    return sb_detach(&sb);
}

static const char *git_msg(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

/* ---- one repository (in a worker process) ----------------------------------- */

/* What a worker sends back: one write() under PIPE_BUF, so atomic. */
typedef struct wire {
    int status;
    int late;
    int misnamed;
    int late_commits;
    int64_t commit_time;
    char commit[41];
    char path[1024];
    char detail[1024];
} wire;
_Static_assert(sizeof(wire) <= 4096, "a worker's report must fit one atomic pipe write");

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

/* The post in the graded commit, as its status, path and commit. */
static void read_graded(git_repository *repo, const git_oid *chosen, const fetch_opts *o, wire *out)
{
    git_commit *c = NULL;
    fetch_post post;
    if (git_commit_lookup(&c, repo, chosen) < 0) {
        wire_set(out, FETCH_ERROR, NULL, "cannot read the graded commit: %s", git_msg());
    } else if (post_find_at(repo, c, o->path, o->max_post, false, o->search, &post) != 0) {
        wire_set(out, FETCH_ERROR, NULL, "cannot read %s: %s", o->path, git_msg());
        fetch_post_free(&post);
    } else {
        out->status = post.status;
        out->misnamed = post.misnamed;
        snprintf(out->detail, sizeof out->detail, "%s", post.detail);
        snprintf(out->path, sizeof out->path, "%s",
                 post.status == FETCH_OK && post.path ? post.path : o->path);
        fetch_post_free(&post);
    }
    if (c) {
        git_oid_tostr(out->commit, sizeof out->commit, chosen);
        out->commit_time = (int64_t)git_commit_time(c);
    }
    git_commit_free(c);
}

static void fetch_one(const char *url, const char *into, const char *id, const fetch_opts *o,
                      const cred_policy *cred, wire *out)
{
    memset(out, 0, sizeof *out);
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
    transfer_result t;
    int rc = transfer_fetch(repo, &(transfer_opts){url, cred, o->retries}, &branch, &t);
    if (rc != 0)
        wire_set(out, t.status, url, "%s", t.detail);
    git_oid chosen;
    if (rc == 0 && choose_commit(repo, branch.ptr, o, &chosen, out) == 0)
        read_graded(repo, &chosen, o, out);
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
    if (stat(url, &st) == 0)
        return FETCH_OK; /* a local path */
    if (url[0] == '/') {
        *why = "no such folder";
        return FETCH_NO_REPO;
    }
    *why = "not a URL (use https://..., git@host:path, file:// or an absolute path)";
    return FETCH_BAD_URL;
}

/* One batch, as the workers' callbacks see it. */
typedef struct batch {
    const roster *r;
    const fetch_opts *o;
    const cred_policy *cred;
    const fetch_manifest *prev;
    fetch_result *res;
    size_t done;
    time_t now;
} batch;

static int set_result(fetch_result *res, const roster_entry *e, const wire *w)
{
    res->id = strdup(e->id);
    res->repo = fetch_redact(e->repo);
    res->status = (unsigned)w->status < FETCH_NSTATUS ? (fetch_status)w->status : FETCH_ERROR;
    snprintf(res->commit, sizeof res->commit, "%s", w->commit);
    res->commit_time = w->commit_time;
    res->late = w->late != 0;
    res->late_commits = w->late_commits;
    res->misnamed = w->misnamed != 0;
    res->path = strndup(w->path, sizeof w->path);
    res->detail = strndup(w->detail, sizeof w->detail);
    return res->id && res->repo && res->path && res->detail ? 0 : GR_ENOMEM;
}

/* In a worker process. */
static void work_one(void *ctx, size_t i, void *report)
{
    const batch *b = ctx;
    fetch_one(b->r->v[i].repo, b->o->into, b->r->v[i].id, b->o, b->cred, report);
}

/* A job is over: its report, or (the worker killed or dead) why not. */
static int job_done(void *ctx, size_t i, worker_end how, int wait_status, const void *report,
                    size_t running)
{
    batch *b = ctx;
    const fetch_opts *o = b->o;
    wire w;
    if (how == WORKER_DONE) {
        w = *(const wire *)report;
        w.path[sizeof w.path - 1] = w.detail[sizeof w.detail - 1] = w.commit[40] = '\0';
    } else {
        memset(&w, 0, sizeof w);
        if (how == WORKER_TIMEOUT)
            wire_set(&w, FETCH_TIMEOUT, NULL, "gave up after %d s", o->timeout);
        else if (WIFSIGNALED(wait_status))
            wire_set(&w, FETCH_CRASHED, NULL, "the worker died of signal %d",
                     WTERMSIG(wait_status));
        else
            wire_set(&w, FETCH_CRASHED, NULL, "the worker exited (status %d) without a report",
                     WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1);
        /* It was stopped mid-way: leave no half clone and no stale lock. */
        strbuf tmp;
        sb_init(&tmp);
        sb_printf(&tmp, "%s/.%s.git.tmp", o->into, b->r->v[i].id);
        if (!sb_failed(&tmp))
            rmtree(sb_str(&tmp));
        sb_free(&tmp);
        char *dir = fetch_repo_dir(o->into, b->r->v[i].id);
        if (dir)
            remove_stale_locks(dir);
        free(dir);
    }
    fetch_result *fr = &b->res[i];
    if (set_result(fr, &b->r->v[i], &w) != 0)
        return GR_ENOMEM;
    const fetch_result *old = fetch_manifest_find(b->prev, fr->id);
    fr->first_seen = fr->commit[0] ? (old && old->first_seen && !strcmp(old->commit, fr->commit)
                                          ? old->first_seen
                                          : (int64_t)b->now)
                                   : 0;
    b->done++;
    if (o->on_done)
        o->on_done(o->ctx, b->done, b->r->n, fr, running == (size_t)-1 ? "" : b->r->v[running].id);
    return 0;
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

/* The cheap checks first, without a worker: a URL that is bad, or that
 * the token may not go to, is a result at once; the others go in todo. */
static int precheck(batch *b, size_t *todo, size_t *ntodo, gr_error *err)
{
    const roster *r = b->r;
    for (size_t i = 0; i < r->n; i++) {
        const char *why;
        char clear[256];
        fetch_status pre = check_url(r->v[i].repo, &why);
        if (pre == FETCH_OK && cred_check_url(b->cred, r->v[i].repo, clear, sizeof clear) != 0)
            pre = FETCH_BAD_URL, why = clear;
        if (pre == FETCH_OK) {
            todo[(*ntodo)++] = i;
            continue;
        }
        wire w = {0};
        wire_set(&w, pre, r->v[i].repo, "%s", why);
        if (set_result(&b->res[i], &r->v[i], &w) != 0)
            return gr_error_nomem(err);
        b->done++;
        if (b->o->on_done)
            b->o->on_done(b->o->ctx, b->done, r->n, &b->res[i], "");
    }
    return 0;
}

int fetch_cohort(const roster *r, const fetch_opts *o, fetch_result **out, gr_error *err)
{
    *out = NULL;
    cred_policy cred;
    int rc = token_policy(o, &cred, err);
    if (rc)
        return rc;
    gr_lock lock = {0};
    fetch_manifest *prev = NULL;
    batch b = {.r = r, .o = o, .cred = &cred, .now = time(NULL)};
    size_t *todo = NULL, ntodo = 0;
    bool git_inited = false;
    /* One run per submissions folder at a time: two would race on the
     * same repositories, and stale-lock cleanup relies on it. */
    if ((rc = mkdir_p(o->into, err)) ||
        (rc = lock_take(&lock, o->into, LOCK_SUBMISSIONS, "fetch", err)) ||
        (rc = fetch_manifest_load_previous(o->into, &prev, err)))
        goto out;
    b.prev = prev;
    b.res = calloc(r->n ? r->n : 1, sizeof *b.res);
    todo = calloc(r->n ? r->n : 1, sizeof *todo);
    if (!b.res || !todo) {
        rc = gr_error_nomem(err);
        goto out;
    }
    /* What the workers inherit must stay reachable from a root (valgrind
     * follows fork; see workers.c). */
    static void *inherited[4];
    inherited[0] = b.res, inherited[1] = todo, inherited[2] = lock.path, inherited[3] = prev;
    if ((rc = precheck(&b, todo, &ntodo, err)))
        goto out;
    /* Initialised once here, so that every worker inherits it: libgit2's
     * initialisation parses the whole CA bundle (mbedTLS on Debian), about
     * 70% of the work of an unchanged fetch when each worker did it. The
     * parent has no thread, so the state is safe to fork. */
    git_inited = git_libgit2_init() >= 0;
    workers_opts wo = {.jobs = o->jobs,
                       .timeout = o->timeout,
                       .report_size = sizeof(wire),
                       .work = work_one,
                       .done = job_done,
                       .ctx = &b};
    if ((rc = workers_run(&wo, todo, ntodo, err)) == GR_ENOMEM)
        rc = gr_error_nomem(err);
    if (!rc) {
        *out = b.res;
        b.res = NULL;
    }
out:
    fetch_results_free(b.res, r->n);
    free(todo);
    fetch_manifest_free(prev);
    lock_release(&lock);
    memset(inherited, 0, sizeof inherited);
    cred_policy_free(&cred);
    if (git_inited)
        git_libgit2_shutdown();
    return rc;
}
