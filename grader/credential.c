/* credential.c - the token's hosts, and what to offer a server that asks. */
#include "credential.h"

#include <ctype.h>
#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool host_char(unsigned char c, bool bracketed)
{
    if (bracketed)
        return isxdigit(c) || c == ':' || c == '.';
    return isalnum(c) || c == '-' || c == '.' || c == '_';
}

/* host[0..n) (an authority without its user information) into out->host. */
static int parse_host(const char *h, size_t n, bool with_port, cred_url *out)
{
    const char *end = h + n, *name = h, *name_end;
    bool bracketed = n && h[0] == '[';
    if (bracketed) {
        const char *close = memchr(h, ']', n);
        if (!close)
            return -1;
        name = h + 1;
        name_end = close;
        h = close + 1;
    } else {
        name_end = with_port ? memchr(h, ':', n) : NULL;
        if (!name_end)
            name_end = end;
        h = name_end;
    }
    if (h < end) { /* ":port", all digits (empty is the default port) */
        if (!with_port || *h != ':' || end - h > 6)
            return -1;
        for (const char *p = h + 1; p < end; p++)
            if (!isdigit((unsigned char)*p))
                return -1;
    }
    size_t len = (size_t)(name_end - name);
    if (len && name[len - 1] == '.' && !bracketed)
        len--; /* "github.com." is github.com */
    if (!len || len >= sizeof out->host || name[len - 1] == '.' || name[0] == '.')
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (!host_char((unsigned char)name[i], bracketed))
            return -1;
        out->host[i] = (char)tolower((unsigned char)name[i]);
    }
    out->host[len] = '\0';
    return 0;
}

int cred_url_parse(const char *url, cred_url *out)
{
    memset(out, 0, sizeof *out);
    if (!url)
        return -1;
    const char *sep = strstr(url, "://");
    if (sep) {
        size_t sl = (size_t)(sep - url);
        if (!sl || sl >= sizeof out->scheme)
            return -1;
        for (size_t i = 0; i < sl; i++) {
            unsigned char c = (unsigned char)url[i];
            if (!isalnum(c) && c != '+' && c != '-' && c != '.')
                return -1;
            out->scheme[i] = (char)tolower(c);
        }
        if (!strcmp(out->scheme, "git+ssh") || !strcmp(out->scheme, "ssh+git"))
            strcpy(out->scheme, "ssh");
        const char *auth = sep + 3, *at = NULL;
        size_t alen = strcspn(auth, "/?#");
        for (const char *p = auth; p < auth + alen; p++)
            if (*p == '@')
                at = p;
        out->has_userinfo = at != NULL;
        const char *h = at ? at + 1 : auth;
        size_t hl = (size_t)(auth + alen - h);
        if (!strcmp(out->scheme, "file") && !hl)
            return 0;
        return parse_host(h, hl, true, out);
    }
    /* user@host:path (SSH, as git reads it: a colon before any slash) */
    const char *colon = strchr(url, ':'), *slash = strchr(url, '/');
    if (colon && colon != url && (!slash || colon < slash)) {
        strcpy(out->scheme, "ssh");
        const char *h = url;
        for (const char *p = url; p < colon; p++)
            if (*p == '@')
                h = p + 1;
        if (*h == '[') { /* git@[::1]:path: the colon after the bracket */
            const char *close = strchr(h, ']');
            if (!close || close[1] != ':')
                return -1;
            colon = close + 1;
        }
        return parse_host(h, (size_t)(colon - h), false, out);
    }
    strcpy(out->scheme, "file"); /* a local path */
    return 0;
}

bool cred_host_is_loopback(const char *host)
{
    if (!strcmp(host, "localhost") || !strcmp(host, "::1") || !strcmp(host, "0:0:0:0:0:0:0:1"))
        return true;
    unsigned a, b, c, d;
    char tail;
    return sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a == 127 && b < 256 &&
           c < 256 && d < 256 && strspn(host, "0123456789.") == strlen(host);
}

void cred_policy_init(cred_policy *p, const char *token)
{
    memset(p, 0, sizeof *p);
    p->token = token;
}

void cred_policy_free(cred_policy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nhosts; i++)
        free(p->hosts[i]);
    free(p->hosts);
    p->hosts = NULL;
    p->nhosts = 0;
}

bool cred_policy_has_host(const cred_policy *p, const char *host)
{
    for (size_t i = 0; i < p->nhosts; i++)
        if (!strcmp(p->hosts[i], host))
            return true;
    return false;
}

int cred_policy_add_host(cred_policy *p, const char *spec, gr_error *err)
{
    cred_url u;
    int bad;
    if (strstr(spec, "://")) {
        bad = cred_url_parse(spec, &u) || !u.host[0];
    } else {
        /* A bare host: no path, no user information, nothing to misread. */
        memset(&u, 0, sizeof u);
        bad = !*spec || strpbrk(spec, "/@?#") || parse_host(spec, strlen(spec), true, &u);
    }
    if (bad)
        return gr_error_set(err, GR_EUSAGE, NULL, 0, 0,
                            "'%s' is not a host name (give e.g. github.com or git.example.org)",
                            spec);
    if (cred_policy_has_host(p, u.host))
        return 0;
    char **v = realloc(p->hosts, (p->nhosts + 1) * sizeof *v);
    if (!v)
        return gr_error_nomem(err);
    p->hosts = v;
    if (!(v[p->nhosts] = strdup(u.host)))
        return gr_error_nomem(err);
    p->nhosts++;
    return 0;
}

int cred_policy_add_list(cred_policy *p, const char *list, gr_error *err)
{
    if (!list)
        return 0;
    int rc = 0;
    const char *s = list;
    while (!rc && *s) {
        size_t n = strcspn(s, ",");
        const char *a = s, *b = s + n;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (b > a) {
            char *one = strndup(a, (size_t)(b - a));
            rc = one ? cred_policy_add_host(p, one, err) : gr_error_nomem(err);
            free(one);
        }
        s += n + (s[n] == ',');
    }
    return rc;
}

/* "github.com, git.example.org" into buf, for a message. */
static void host_list(const cred_policy *p, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->nhosts && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", p->hosts[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    if (!p->nhosts)
        snprintf(buf, size, "none");
}

static void refuse(cred_decision *d, cred_refusal why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void refuse(cred_decision *d, cred_refusal why, const char *fmt, ...)
{
    d->offer = CRED_NONE;
    d->refusal = why;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->detail, sizeof d->detail, fmt, ap);
    va_end(ap);
}

void cred_decide(const cred_policy *p, const char *url, const char *user_from_url, unsigned allowed,
                 cred_decision *out)
{
    memset(out, 0, sizeof *out);
    const char *user = user_from_url && *user_from_url ? user_from_url : NULL;
    cred_url u;
    if (cred_url_parse(url, &u) != 0 || !u.host[0]) {
        refuse(out, CRED_REFUSED_BAD_URL,
               "the server asks for credentials, but the URL's host cannot be read safely: "
               "none offered");
        return;
    }
    bool https = !strcmp(u.scheme, "https"), http = !strcmp(u.scheme, "http");
    if (!strcmp(u.scheme, "ssh")) {
        out->user = user ? user : "git";
        if (allowed & GIT_CREDENTIAL_SSH_KEY)
            out->offer = CRED_SSH_AGENT;
        else if (allowed & GIT_CREDENTIAL_USERNAME)
            out->offer = CRED_USERNAME;
        else
            refuse(out, CRED_REFUSED_KIND,
                   "%s asks for a kind of SSH credential grader does not offer (only the "
                   "agent's keys)",
                   u.host);
        return;
    }
    if (!(https || http) || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) {
        refuse(out, CRED_REFUSED_KIND,
               "%s asks for a kind of credential grader does not offer (only a token over "
               "HTTPS)",
               u.host);
        return;
    }
    const char *url_note =
        u.has_userinfo ? "it refused the user name and password in the URL; " : "";
    if (!p->token || !*p->token) {
        refuse(out, CRED_REFUSED_NO_TOKEN,
               "%s asks for credentials: %sno token is set (GRADER_TOKEN); the repository is "
               "private or does not exist",
               u.host, url_note);
        return;
    }
    if (http && !(p->insecure_loopback && cred_host_is_loopback(u.host))) {
        refuse(out, CRED_REFUSED_CLEAR_TEXT,
               "%s asks for credentials over http://: %sthe token was withheld, it is never "
               "sent in clear text; use an https:// URL",
               u.host, url_note);
        return;
    }
    if (!cred_policy_has_host(p, u.host)) {
        char hosts[256];
        host_list(p, hosts, sizeof hosts);
        refuse(out, CRED_REFUSED_HOST,
               "%s asks for credentials: %sthe token was withheld for %s, not one of its hosts "
               "(%s); to allow it: GRADER_TOKEN_HOSTS=%s or --token-host %s",
               u.host, url_note, u.host, hosts, u.host, u.host);
        return;
    }
    out->offer = CRED_TOKEN;
    out->user = user ? user : "x-access-token";
}

bool cred_may_follow_offsite(const cred_policy *p, const char *url)
{
    cred_url u;
    if (cred_url_parse(url, &u) != 0 || u.has_userinfo)
        return false;
    return !(p->token && *p->token && cred_policy_has_host(p, u.host));
}

int cred_check_url(const cred_policy *p, const char *url, char *why, size_t size)
{
    cred_url u;
    if (cred_url_parse(url, &u) != 0 || !u.has_userinfo || strcmp(u.scheme, "http") != 0 ||
        (p->insecure_loopback && cred_host_is_loopback(u.host)))
        return 0;
    snprintf(why, size,
             "the URL carries a user name and password over http://, in clear text: not sent; "
             "use an https:// URL");
    return -1;
}
