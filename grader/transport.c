/* transport.c - fetch one remote into a bare repository, and read its
 * failure as a status through one table. */
#include "transport.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- what a failure means ------------------------------------------------ */

#define INCOMPLETE                                                                                 \
    "the remote repository is incomplete or corrupt (an object is missing or damaged): the "       \
    "student must push a repaired repository; "

/* One row per way a transfer fails; the first match wins. libgit2 1.5.1
 * gives most transport failures the code -1, so the class, the start of
 * its message, the HTTP status and what the server itself printed decide.
 * A message is matched by its start, never anywhere: an object id in it
 * may hold "401" or "404". */
static const struct rule {
    bool refused;       /* only when our callback offered nothing or was refused */
    int rc;             /* libgit2 return code; 0: any */
    int klass;          /* GIT_ERROR_*; -1: any */
    const char *starts; /* libgit2's message starts so; NULL: any */
    int http;           /* the HTTP status (100..599), or its class (4, 5); 0: any */
    const char *remote; /* the server's own text holds this; NULL: any */
    fetch_status status;
    const char *why;
} rules[] = {
    /* The server asked for credentials and refused (or we offered none:
     * credential.h's detail says why). */
    {true, 0, -1, NULL, 0, NULL, FETCH_AUTH_FAILED, NULL},
    {false, GIT_EAUTH, -1, NULL, 0, NULL, FETCH_AUTH_FAILED,
     "the server refused the credentials: "},
    {false, 0, GIT_ERROR_SSH, "Failed to authenticate SSH session", 0, NULL, FETCH_AUTH_FAILED,
     "the SSH server refused the agent's keys: "},
    {false, GIT_ECERTIFICATE, -1, NULL, 0, NULL, FETCH_ERROR,
     "the server's certificate or host key is not trusted: "},
    {false, 0, -1, NULL, 401, NULL, FETCH_AUTH_FAILED, "the server refused the credentials: "},
    {false, 0, -1, NULL, 403, NULL, FETCH_AUTH_FAILED, "the server refused access: "},
    /* The server says the repository does not exist. */
    {false, 0, -1, NULL, 404, NULL, FETCH_NO_REPO, "the server has no such repository: "},
    {false, 0, -1, NULL, 410, NULL, FETCH_NO_REPO, "the server has no such repository: "},
    {false, 0, -1, NULL, 407, NULL, FETCH_ERROR, "the proxy asks for credentials: "},
    {false, 0, -1, NULL, 408, NULL, FETCH_NETWORK, NULL},
    {false, 0, -1, NULL, 429, NULL, FETCH_NETWORK, "the server asks to slow down: "},
    {false, 0, -1, NULL, 5, NULL, FETCH_NETWORK, "the server failed: "},
    {false, 0, -1, NULL, 4, NULL, FETCH_ERROR, "the server refused the request: "},
    {false, 0, GIT_ERROR_NET, "cannot redirect", 0, NULL, FETCH_ERROR,
     "a redirect to another host is not followed where the token or the URL's password may "
     "go: "},
    /* Missing or corrupt objects: the server's upload-pack says so on its
     * progress channel, then the pack ends early; over file:// libgit2
     * reads the objects itself. Never a network error (no retry). */
    {false, 0, -1, NULL, 0, "unable to read", FETCH_ERROR, INCOMPLETE},
    {false, 0, -1, NULL, 0, "is corrupt", FETCH_ERROR, INCOMPLETE},
    {false, 0, -1, NULL, 0, "corruption", FETCH_ERROR, INCOMPLETE},
    {false, 0, -1, NULL, 0, "unable to unpack", FETCH_ERROR, INCOMPLETE},
    {false, 0, -1, NULL, 0, "bad object", FETCH_ERROR, INCOMPLETE},
    {false, 0, -1, NULL, 0, "missing blob", FETCH_ERROR, INCOMPLETE},
    {false, 0, -1, NULL, 0, "missing tree", FETCH_ERROR, INCOMPLETE},
    {false, 0, GIT_ERROR_ODB, NULL, 0, NULL, FETCH_ERROR, INCOMPLETE},
    {false, 0, GIT_ERROR_OBJECT, NULL, 0, NULL, FETCH_ERROR, INCOMPLETE},
    {false, 0, GIT_ERROR_ZLIB, NULL, 0, NULL, FETCH_ERROR, INCOMPLETE},
    {false, 0, GIT_ERROR_INDEXER, NULL, 0, NULL, FETCH_ERROR, INCOMPLETE},
    /* Nothing there (local paths). */
    {false, 0, -1, "could not find repository", 0, NULL, FETCH_NO_REPO,
     "no Git repository there: "},
    {false, 0, -1, "failed to resolve path", 0, NULL, FETCH_NO_REPO, NULL},
    {false, 0, -1, "malformed URL", 0, NULL, FETCH_BAD_URL, NULL},
    {false, 0, -1, "unsupported URL protocol", 0, NULL, FETCH_BAD_URL, NULL},
    {false, GIT_EINVALIDSPEC, -1, NULL, 0, NULL, FETCH_BAD_URL, NULL},
    /* Could not reach the server, or it went away: transient. */
    {false, GIT_EEOF, -1, NULL, 0, NULL, FETCH_NETWORK, NULL},
    {false, 0, GIT_ERROR_NET, NULL, 0, NULL, FETCH_NETWORK, NULL},
    {false, 0, GIT_ERROR_HTTP, NULL, 0, NULL, FETCH_NETWORK, NULL},
    {false, 0, GIT_ERROR_SSL, NULL, 0, NULL, FETCH_NETWORK, NULL},
    {false, 0, GIT_ERROR_SSH, NULL, 0, NULL, FETCH_NETWORK, NULL},
    {false, 0, GIT_ERROR_OS, "failed to connect", 0, NULL, FETCH_NETWORK, NULL},
    {false, 0, GIT_ERROR_OS, "failed to resolve address", 0, NULL, FETCH_NETWORK, NULL},
    /* Anything else: local disk full, a bug... */
    {false, 0, -1, NULL, 0, NULL, FETCH_ERROR, NULL},
};

/* The status of "unexpected http status code: 404", else 0. */
static int http_status(const char *msg)
{
    static const char prefix[] = "unexpected http status code: ";
    if (strncmp(msg, prefix, sizeof prefix - 1))
        return 0;
    int code = atoi(msg + sizeof prefix - 1);
    return code >= 100 && code <= 599 ? code : 0;
}

static const struct rule *match(const transfer_failure *f)
{
    const char *msg = f->msg ? f->msg : "", *remote = f->remote ? f->remote : "";
    int http = http_status(msg);
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const struct rule *r = &rules[i];
        if ((r->refused && !f->refused) || (r->rc && r->rc != f->rc) ||
            (r->klass >= 0 && r->klass != f->klass) ||
            (r->starts && strncmp(msg, r->starts, strlen(r->starts))) ||
            (r->http >= 100 && r->http != http) ||
            (r->http && r->http < 10 && http / 100 != r->http) ||
            (r->remote && !strstr(remote, r->remote)))
            continue;
        return r;
    }
    return &rules[sizeof rules / sizeof rules[0] - 1];
}

fetch_status transfer_classify(const transfer_failure *f, const char **why)
{
    const struct rule *r = match(f);
    if (why)
        *why = r->why;
    return r->status;
}

/* The line of the server's text holding `phrase`, printable, in buf. */
static void remote_line(const char *text, const char *phrase, char *buf, size_t size)
{
    const char *p = strstr(text, phrase), *a = p, *b = p;
    buf[0] = '\0';
    if (!p)
        return;
    while (a > text && a[-1] != '\n' && a[-1] != '\r')
        a--;
    while (*b && *b != '\n' && *b != '\r')
        b++;
    size_t n = 0;
    for (; a < b && n + 1 < size; a++)
        buf[n++] = isprint((unsigned char)*a) ? *a : '?';
    while (n && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
}

/* ---- one attempt ------------------------------------------------------------ */

typedef struct attempt {
    const transfer_opts *o;
    int cred_calls;
    bool refused; /* the server asked for credentials we could not satisfy */
    char refused_why[512];
    char remote[1024]; /* the end of what the server printed */
    size_t nremote;
} attempt;

/* libgit2 calls this again after each refused attempt: one offer, then
 * give up, or it loops forever. What to offer is credential.h's to say:
 * the token only to its hosts, never in clear text. */
static int credentials_cb(git_credential **out, const char *url, const char *user_from_url,
                          unsigned int allowed, void *payload)
{
    attempt *a = payload;
    cred_decision d;
    cred_decide(a->o->cred, url, user_from_url, allowed, &d);
    if (d.offer != CRED_USERNAME && a->cred_calls++ >= 1) {
        a->refused = true;
        snprintf(a->refused_why, sizeof a->refused_why, "%s",
                 d.offer == CRED_TOKEN ? "the server refused the token: it cannot read this "
                                         "repository, or the repository does not exist"
                                       : "the server refused the credentials offered");
        git_error_set_str(GIT_ERROR_CALLBACK, a->refused_why);
        return GIT_EAUTH;
    }
    switch (d.offer) {
    case CRED_TOKEN:
        return git_credential_userpass_plaintext_new(out, d.user, a->o->cred->token);
    case CRED_SSH_AGENT:
        return git_credential_ssh_key_from_agent(out, d.user);
    case CRED_USERNAME:
        return git_credential_username_new(out, d.user);
    case CRED_NONE:
        break;
    }
    a->refused = true;
    snprintf(a->refused_why, sizeof a->refused_why, "%s", d.detail);
    git_error_set_str(GIT_ERROR_CALLBACK, d.detail);
    return GIT_EAUTH;
}

/* The server's progress channel: keep its end, where upload-pack says why
 * it gave up. */
static int remote_text_cb(const char *str, int len, void *payload)
{
    attempt *a = payload;
    size_t n = len > 0 ? (size_t)len : 0, cap = sizeof a->remote - 1;
    if (n >= cap) {
        str += n - cap;
        n = cap;
    }
    if (a->nremote + n > cap) {
        size_t drop = a->nremote + n - cap;
        memmove(a->remote, a->remote + drop, a->nremote - drop);
        a->nremote -= drop;
    }
    memcpy(a->remote + a->nremote, str, n);
    a->nremote += n;
    a->remote[a->nremote] = '\0';
    return 0;
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

static void set_out(transfer_result *out, fetch_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_out(transfer_result *out, fetch_status st, const char *fmt, ...)
{
    out->status = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->detail, sizeof out->detail, fmt, ap);
    va_end(ap);
}

/* libgit2's last failure, through the table, into out. */
static void failed(const attempt *a, int rc, transfer_result *out)
{
    const git_error *e = git_error_last();
    transfer_failure f = {.rc = rc,
                          .klass = e ? e->klass : 0,
                          .msg = e && e->message ? e->message : "unknown error",
                          .remote = a->remote,
                          .refused = a->refused};
    const struct rule *r = match(&f);
    if (r->refused && a->refused_why[0]) {
        set_out(out, r->status, "%s", a->refused_why);
        return;
    }
    char said[256] = "";
    if (r->remote)
        remote_line(a->remote, r->remote, said, sizeof said);
    set_out(out, r->status, "%s%s%s%s%s", r->why ? r->why : "", f.msg,
            said[0] ? " (the server: " : "", said, said[0] ? ")" : "");
}

/* One fetch of the URL into repo: every branch mirrored into refs/heads (a
 * bare clone's default refspec would leave refs/heads stale and re-runs
 * would grade an old commit), HEAD pointed at the remote's default branch,
 * nothing written when nothing changed. */
static int fetch_once(git_repository *repo, attempt *a, git_buf *branch, transfer_result *out)
{
    git_remote *remote = NULL;
    git_remote_callbacks cbs;
    git_remote_init_callbacks(&cbs, GIT_REMOTE_CALLBACKS_VERSION);
    cbs.credentials = credentials_cb;
    cbs.sideband_progress = remote_text_cb;
    cbs.payload = a;
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
    fo.follow_redirects = cred_may_follow_offsite(a->o->cred, a->o->url)
                              ? GIT_REMOTE_REDIRECT_INITIAL
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
    int rc = git_remote_create_with_opts(&remote, a->o->url, &co);
    if (rc == 0)
        rc = git_remote_connect_ext(remote, GIT_DIRECTION_FETCH, &cto);
    if (rc == 0) {
        rc = remote_branch(remote, branch);
        if (rc == GIT_ENOTFOUND) {
            set_out(out, FETCH_EMPTY_REPO, "the repository has no branch");
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
        failed(a, rc, out);
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
        const git_error *e = git_error_last();
        set_out(out, FETCH_ERROR, "cannot set HEAD: %s", e && e->message ? e->message : "?");
        return -1;
    }
    return 0;
}

int transfer_fetch(git_repository *repo, const transfer_opts *o, git_buf *branch,
                   transfer_result *out)
{
    for (int attempt_no = 0;; attempt_no++) {
        memset(out, 0, sizeof *out);
        git_buf_dispose(branch);
        attempt a = {.o = o};
        int rc = fetch_once(repo, &a, branch, out);
        if (rc >= 0 || out->status != FETCH_NETWORK || attempt_no >= o->retries)
            return rc;
        sleep(1u << (attempt_no < 4 ? attempt_no : 4)); /* 1, 2, 4, 8, 16 s */
    }
}
