/* Unit tests for credential.c: URL hosts read as libgit2 would connect to
 * them, and what is offered to whom, row by row. */
#include <git2.h>
#include <stdio.h>
#include <string.h>

#include "credential.h"
#include "testutil.h"

START_TEST(url_hosts)
{
    static const struct {
        const char *url, *scheme, *host;
        bool userinfo;
    } ok[] = {
        {"https://github.com/a/b", "https", "github.com", false},
        {"HTTPS://GitHub.COM./a/b", "https", "github.com", false},
        {"https://github.com:443/a", "https", "github.com", false},
        {"https://github.com:/a", "https", "github.com", false},
        {"https://x:tok@github.com/a", "https", "github.com", true},
        {"https://user@github.com@evil.org/a", "https", "evil.org", true},
        {"https://github.com:443@evil.org/a", "https", "evil.org", true},
        {"https://github.com.evil.org/a", "https", "github.com.evil.org", false},
        {"https://evil.org/github.com", "https", "evil.org", false},
        {"https://evil.org?github.com", "https", "evil.org", false},
        {"https://evil.org#@github.com", "https", "evil.org", false},
        {"https://github.com\\@evil.org/a", "https", "evil.org", true},
        {"http://[::1]:8080/a", "http", "::1", false},
        {"http://127.0.0.1:9/a", "http", "127.0.0.1", false},
        {"git@github.com:a/b.git", "ssh", "github.com", false},
        {"github.com:a/b.git", "ssh", "github.com", false},
        {"git@[::1]:a/b.git", "ssh", "::1", false},
        {"ssh://git@github.com:22/a/b", "ssh", "github.com", true},
        {"git+ssh://github.com/a", "ssh", "github.com", false},
        {"git://example.org/a", "git", "example.org", false},
        {"file:///srv/a.git", "file", "", false},
        {"/srv/a.git", "file", "", false},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        cred_url u;
        ck_assert_msg(cred_url_parse(ok[i].url, &u) == 0, "%s not parsed", ok[i].url);
        ck_assert_msg(!strcmp(u.scheme, ok[i].scheme), "%s: scheme %s", ok[i].url, u.scheme);
        ck_assert_msg(!strcmp(u.host, ok[i].host), "%s: host %s", ok[i].url, u.host);
        ck_assert_msg(u.has_userinfo == ok[i].userinfo, "%s: userinfo", ok[i].url);
    }
    static const char *const bad[] = {
        "https://",
        "https:///a",
        "https://[::1/a",
        "https://h:abc/a",
        "https://h:1234567/",
        "https://gith%75b.com/",
        "https://github.com../a",
        "https://.com/a",
        "https://git hub.com/",
        "://github.com/a",
        "https://[::1]x/a",
        "git@[::1]a:b",
        "h\x01st:a/b",
        NULL,
    };
    for (size_t i = 0; bad[i]; i++) {
        cred_url u;
        ck_assert_msg(cred_url_parse(bad[i], &u) != 0, "%s parsed (host %s)", bad[i], u.host);
    }
}
END_TEST

START_TEST(loopback_hosts)
{
    ck_assert(cred_host_is_loopback("127.0.0.1"));
    ck_assert(cred_host_is_loopback("127.0.0.2"));
    ck_assert(cred_host_is_loopback("localhost"));
    ck_assert(cred_host_is_loopback("::1"));
    ck_assert(!cred_host_is_loopback("127.0.0.1.evil.org"));
    ck_assert(!cred_host_is_loopback("128.0.0.1"));
    ck_assert(!cred_host_is_loopback("127.0.0.256"));
    ck_assert(!cred_host_is_loopback("localhost.evil.org"));
    ck_assert(!cred_host_is_loopback("10.0.0.1"));
}
END_TEST

START_TEST(policy_hosts)
{
    cred_policy p;
    gr_error err = {0};
    cred_policy_init(&p, "tok");
    ck_assert_int_eq(cred_policy_add_host(&p, "GitHub.com.", &err), 0);
    ck_assert_int_eq(cred_policy_add_host(&p, "github.com", &err), 0); /* no duplicate */
    ck_assert_int_eq(cred_policy_add_host(&p, "https://GitLab.example.org/x/y", &err), 0);
    ck_assert_int_eq(cred_policy_add_host(&p, "git.example.org:8443", &err), 0);
    ck_assert_int_eq(cred_policy_add_list(&p, " a.org, ,b.org,", &err), 0);
    ck_assert_int_eq(cred_policy_add_list(&p, NULL, &err), 0);
    ck_assert_uint_eq(p.nhosts, 5);
    ck_assert(cred_policy_has_host(&p, "github.com"));
    ck_assert(cred_policy_has_host(&p, "gitlab.example.org"));
    ck_assert(cred_policy_has_host(&p, "git.example.org"));
    ck_assert(cred_policy_has_host(&p, "a.org") && cred_policy_has_host(&p, "b.org"));
    ck_assert(!cred_policy_has_host(&p, "example.org"));
    static const char *const bad[] = {
        "", "a/b", "user@github.com", "evil.org/github.com", "https://", "x y", NULL};
    for (size_t i = 0; bad[i]; i++) {
        ck_assert_msg(cred_policy_add_host(&p, bad[i], &err) == GR_EUSAGE, "'%s' accepted", bad[i]);
        ck_assert_ptr_nonnull(strstr(err.msg, "not a host name"));
    }
    ck_assert_int_eq(cred_policy_add_list(&p, "c.org,a b", &err), GR_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "'a b'"));
    cred_policy_free(&p);
    cred_policy_free(&p); /* twice is fine */
}
END_TEST

START_TEST(what_is_offered_to_whom)
{
    enum {
        UP = GIT_CREDENTIAL_USERPASS_PLAINTEXT,
        KEY = GIT_CREDENTIAL_SSH_KEY,
        NAME = GIT_CREDENTIAL_USERNAME
    };
    static const struct {
        const char *token; /* NULL: none set */
        bool loopback_ok;
        const char *url, *user;
        unsigned allowed;
        cred_offer offer;
        cred_refusal why;
        const char *as, *in_detail; /* user name offered; a word of the detail */
    } rows[] = {
        {"T", 0, "https://github.com/a/b", NULL, UP, CRED_TOKEN, 0, "x-access-token", NULL},
        {"T", 0, "https://GITHUB.COM./a/b", NULL, UP, CRED_TOKEN, 0, "x-access-token", NULL},
        {"T", 0, "https://github.com:8443/a", NULL, UP, CRED_TOKEN, 0, "x-access-token", NULL},
        {"T", 0, "https://alice@github.com/a", "alice", UP, CRED_TOKEN, 0, "alice", NULL},
        {"T", 0, "https://gitlab.example.org/a", NULL, UP, CRED_TOKEN, 0, "x-access-token", NULL},
        {"T", 0, "https://github.com.evil.org/a", NULL, UP, CRED_NONE, CRED_REFUSED_HOST, NULL,
         "GRADER_TOKEN_HOSTS=github.com.evil.org"},
        {"T", 0, "https://evil.org/github.com", NULL, UP, CRED_NONE, CRED_REFUSED_HOST, NULL,
         "withheld for evil.org"},
        {"T", 0, "https://u@github.com@evil.org/a", "u", UP, CRED_NONE, CRED_REFUSED_HOST, NULL,
         "--token-host evil.org"},
        {"T", 0, "https://github.com:443@evil.org/a", NULL, UP, CRED_NONE, CRED_REFUSED_HOST, NULL,
         "in the URL"},
        {"T", 0, "https://evil.org/a", NULL, UP, CRED_NONE, CRED_REFUSED_HOST, NULL,
         "(github.com, gitlab.example.org, 127.0.0.1, ::1)"},
        {"T", 0, "http://github.com/a", NULL, UP, CRED_NONE, CRED_REFUSED_CLEAR_TEXT, NULL,
         "clear text"},
        {"T", 0, "http://127.0.0.1:9/a", NULL, UP, CRED_NONE, CRED_REFUSED_CLEAR_TEXT, NULL,
         "https://"},
        {"T", 1, "http://127.0.0.1:9/a", NULL, UP, CRED_TOKEN, 0, "x-access-token", NULL},
        {"T", 1, "http://[::1]:9/a", NULL, UP, CRED_TOKEN, 0, "x-access-token", NULL},
        {"T", 1, "http://127.0.0.2:9/a", NULL, UP, CRED_NONE, CRED_REFUSED_HOST, NULL, "127.0.0.2"},
        {"T", 1, "http://github.com/a", NULL, UP, CRED_NONE, CRED_REFUSED_CLEAR_TEXT, NULL,
         "http://"},
        {NULL, 0, "https://github.com/a", NULL, UP, CRED_NONE, CRED_REFUSED_NO_TOKEN, NULL,
         "GRADER_TOKEN"},
        {"", 0, "https://github.com/a", NULL, UP, CRED_NONE, CRED_REFUSED_NO_TOKEN, NULL,
         "private"},
        {"T", 0, "https://github.com/a", NULL, KEY, CRED_NONE, CRED_REFUSED_KIND, NULL, "HTTPS"},
        {"T", 0, "git@github.com:a/b", NULL, KEY | UP, CRED_SSH_AGENT, 0, "git", NULL},
        {"T", 0, "ssh://bob@evil.org/a", "bob", KEY, CRED_SSH_AGENT, 0, "bob", NULL},
        {"T", 0, "ssh://evil.org/a", NULL, NAME, CRED_USERNAME, 0, "git", NULL},
        {"T", 0, "git@github.com:a/b", NULL, UP, CRED_NONE, CRED_REFUSED_KIND, NULL, "agent"},
        {"T", 0, "git://github.com/a", NULL, UP, CRED_NONE, CRED_REFUSED_KIND, NULL, NULL},
        {"T", 0, "file:///srv/a", NULL, UP, CRED_NONE, CRED_REFUSED_BAD_URL, NULL, NULL},
        {"T", 0, "https://gith%75b.com/a", NULL, UP, CRED_NONE, CRED_REFUSED_BAD_URL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cred_policy p;
        gr_error err = {0};
        cred_policy_init(&p, rows[i].token);
        p.insecure_loopback = rows[i].loopback_ok;
        ck_assert_int_eq(
            cred_policy_add_list(&p, "github.com,gitlab.example.org,127.0.0.1,[::1]", &err), 0);
        cred_decision d;
        cred_decide(&p, rows[i].url, rows[i].user, rows[i].allowed, &d);
        ck_assert_msg(d.offer == rows[i].offer && d.refusal == rows[i].why,
                      "row %zu %s: offer %d refusal %d (%s)", i, rows[i].url, d.offer, d.refusal,
                      d.detail);
        if (rows[i].as)
            ck_assert_msg(d.user && !strcmp(d.user, rows[i].as), "row %zu: user %s", i, d.user);
        if (d.offer == CRED_NONE)
            ck_assert_msg(d.detail[0], "row %zu: no detail", i);
        if (rows[i].in_detail)
            ck_assert_msg(strstr(d.detail, rows[i].in_detail), "row %zu: detail '%s' lacks '%s'", i,
                          d.detail, rows[i].in_detail);
        ck_assert_msg(!rows[i].token || !*rows[i].token || !strstr(d.detail, "T "),
                      "row %zu: token in detail", i);
        cred_policy_free(&p);
    }
}
END_TEST

START_TEST(offsite_redirects_only_without_secrets)
{
    cred_policy p;
    gr_error err = {0};
    cred_policy_init(&p, "T");
    ck_assert_int_eq(cred_policy_add_host(&p, "github.com", &err), 0);
    ck_assert(!cred_may_follow_offsite(&p, "https://github.com/a"));
    ck_assert(!cred_may_follow_offsite(&p, "https://GitHub.com./a"));
    ck_assert(!cred_may_follow_offsite(&p, "https://u:pw@evil.org/a")); /* the URL's own secret */
    ck_assert(!cred_may_follow_offsite(&p, "https://gith%75b.com/a"));
    ck_assert(cred_may_follow_offsite(&p, "https://evil.org/a"));
    ck_assert(cred_may_follow_offsite(&p, "https://github.com.evil.org/a"));
    p.token = NULL; /* no token: nothing to lose */
    ck_assert(cred_may_follow_offsite(&p, "https://github.com/a"));
    cred_policy_free(&p);
}
END_TEST

START_TEST(url_passwords_never_in_clear_text)
{
    cred_policy p;
    char why[256];
    cred_policy_init(&p, NULL);
    ck_assert_int_eq(cred_check_url(&p, "https://u:pw@evil.org/a", why, sizeof why), 0);
    ck_assert_int_eq(cred_check_url(&p, "http://evil.org/a", why, sizeof why), 0);
    ck_assert_int_eq(cred_check_url(&p, "git@evil.org:a", why, sizeof why), 0);
    ck_assert_int_eq(cred_check_url(&p, "http://u:pw@evil.org/a", why, sizeof why), -1);
    ck_assert_ptr_nonnull(strstr(why, "clear text"));
    ck_assert_int_eq(cred_check_url(&p, "HTTP://u@127.0.0.1:9/a", why, sizeof why), -1);
    p.insecure_loopback = true; /* the tests' opt-in: loopback only */
    ck_assert_int_eq(cred_check_url(&p, "http://u:pw@127.0.0.1:9/a", why, sizeof why), 0);
    ck_assert_int_eq(cred_check_url(&p, "http://u:pw@evil.org/a", why, sizeof why), -1);
    cred_policy_free(&p);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("credential");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, url_hosts);
    tcase_add_test(tc, loopback_hosts);
    tcase_add_test(tc, policy_hosts);
    tcase_add_test(tc, what_is_offered_to_whom);
    tcase_add_test(tc, offsite_redirects_only_without_secrets);
    tcase_add_test(tc, url_passwords_never_in_clear_text);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(make_suite)
