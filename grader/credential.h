/* credential.h - which credential, if any, to offer a server that asks.
 *
 * The instructor's token usually reads every private repository of the
 * course's organisation, and a roster's URLs come from students: a token
 * is therefore bound to a list of hosts and never sent in clear text.
 *
 *     cred_policy p;
 *     cred_policy_init(&p, getenv("GRADER_TOKEN"));
 *     cred_policy_add_host(&p, "github.com", &err);      // or the template's host
 *     cred_policy_add_list(&p, getenv("GRADER_TOKEN_HOSTS"), &err);
 *     ...in libgit2's credentials callback:
 *     cred_decision d;
 *     cred_decide(&p, url, user_from_url, allowed, &d);
 *     switch (d.offer) ... CRED_NONE: fail with d.detail
 *     cred_policy_free(&p);
 *
 * Hosts are compared exactly (case-insensitively, without a trailing dot,
 * without the port) after parsing the URL: no substring match, so
 * github.com.evil.org, evil.org/github.com and user@github.com@evil are
 * other hosts. Everything here is pure: no environment, no network. */
#ifndef GRADER_CREDENTIAL_H
#define GRADER_CREDENTIAL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The parts of a repository URL that decide what may be sent to it. */
typedef struct cred_url {
    char scheme[16]; /* "https", "http", "ssh", "git", "file"; "ssh" for user@host:path */
    char host[256];  /* lower case, no brackets, no trailing dot; "" for a local path */
    bool has_userinfo;
} cred_url;

/* 0, or -1 when the URL has no host one can trust (empty, a character no
 * host name holds, an unclosed IPv6 bracket, a port that is not a number). */
int cred_url_parse(const char *url, cred_url *out);

/* localhost, 127.0.0.0/8 or ::1. */
bool cred_host_is_loopback(const char *host);

typedef struct cred_policy {
    const char *token; /* GRADER_TOKEN or GITHUB_TOKEN; NULL or "" when none (not owned) */
    char **hosts;      /* the hosts the token may go to, normalised */
    size_t nhosts;
    bool insecure_loopback; /* tests only: the token may go over http:// to a loopback host */
} cred_policy;

void cred_policy_init(cred_policy *p, const char *token);
void cred_policy_free(cred_policy *p);
/* Add a host ("github.com", "GitHub.com.", "git.example.org:8443",
 * "[::1]") or the host of a URL ("https://gitlab.example.org/x"). An
 * empty or unparsable one is a usage error naming it. */
int cred_policy_add_host(cred_policy *p, const char *host_or_url, gr_error *err);
/* Add each of a comma-separated list (spaces around names ignored;
 * NULL or "" adds nothing). */
int cred_policy_add_list(cred_policy *p, const char *list, gr_error *err);
/* Is the (normalised) host one the token may go to? */
bool cred_policy_has_host(const cred_policy *p, const char *host);

/* What to offer. */
typedef enum cred_offer {
    CRED_NONE,      /* nothing: detail says why and what to do */
    CRED_TOKEN,     /* user name `user`, password the token */
    CRED_SSH_AGENT, /* keys of the running ssh-agent for `user` */
    CRED_USERNAME,  /* only the user name (SSH asks it first) */
} cred_offer;

typedef enum cred_refusal {
    CRED_REFUSED_NONE,       /* an offer is made */
    CRED_REFUSED_NO_TOKEN,   /* the server asks and no token is set */
    CRED_REFUSED_HOST,       /* the host is not one of the token's hosts */
    CRED_REFUSED_CLEAR_TEXT, /* http://: the token would travel in clear text */
    CRED_REFUSED_BAD_URL,    /* the URL's host cannot be trusted */
    CRED_REFUSED_KIND,       /* the server wants a kind of credential we do not offer */
} cred_refusal;

typedef struct cred_decision {
    cred_offer offer;
    cred_refusal refusal;
    const char *user; /* for CRED_TOKEN / SSH / USERNAME: user_from_url or a default */
    char detail[512]; /* when CRED_NONE: for the instructor, names the host */
} cred_decision;

/* allowed: libgit2's GIT_CREDENTIAL_* bits the server accepts. The token
 * only to a token host over https:// (or http:// to a loopback host when
 * insecure_loopback); the SSH agent only for ssh:// and user@host:path
 * URLs. A user:password@ in the URL is libgit2's to use for that URL's
 * own host (tried before this is asked); it never unlocks the token. */
void cred_decide(const cred_policy *p, const char *url, const char *user_from_url, unsigned allowed,
                 cred_decision *out);

/* Before connecting: 0, or -1 with why (for the instructor) when the URL
 * itself would send a secret in clear text: user:password@ over http://
 * (allowed only to a loopback host with insecure_loopback). */
int cred_check_url(const cred_policy *p, const char *url, char *why, size_t size);

/* May the transfer follow a redirect to another host? Only when nothing
 * secret can be sent to url. libgit2 1.5.1 (as measured) asks the callback
 * about the URL a redirect led to and drops a credential at a change of
 * host, but other versions passed the remote's own URL and kept the
 * credential: refusing the redirect does not depend on either. */
bool cred_may_follow_offsite(const cred_policy *p, const char *url);

#endif
