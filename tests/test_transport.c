/* Unit tests for transport.c's table: each failure as libgit2 1.5.1 and a
 * real server left it (messages measured against tests/githttpd.py and
 * file:// remotes), and the status it must give. */
#include <git2.h>
#include <string.h>

#include "testutil.h"
#include "transport.h"

START_TEST(each_failure_has_its_status)
{
    static const struct {
        int rc, klass;
        const char *msg, *remote;
        bool refused;
        fetch_status want;
        const char *why; /* a word of the reason given, or NULL for none */
    } rows[] = {
        /* credentials: asked and refused, or none offered */
        {GIT_EAUTH, GIT_ERROR_CALLBACK, "the server refused the credentials offered", "", true,
         FETCH_AUTH_FAILED, NULL},
        {GIT_EAUTH, GIT_ERROR_CALLBACK, "x asks for credentials: the token was withheld", "", true,
         FETCH_AUTH_FAILED, NULL},
        {GIT_EAUTH, GIT_ERROR_HTTP, "unexpected authentication failure", "", false,
         FETCH_AUTH_FAILED, "refused"},
        {-1, GIT_ERROR_SSH, "Failed to authenticate SSH session: Unable to send userauth", "",
         false, FETCH_AUTH_FAILED, "agent"},
        {-1, GIT_ERROR_HTTP, "unexpected http status code: 403", "", false, FETCH_AUTH_FAILED,
         "access"},
        /* the server says there is no such repository */
        {-1, GIT_ERROR_HTTP, "unexpected http status code: 404", "", false, FETCH_NO_REPO,
         "no such"},
        {-1, GIT_ERROR_HTTP, "unexpected http status code: 410", "", false, FETCH_NO_REPO, NULL},
        {-1, GIT_ERROR_REPOSITORY, "could not find repository from '/srv/x'", "", false,
         FETCH_NO_REPO, NULL},
        {-1, GIT_ERROR_OS, "failed to resolve path '/srv/x.git': No such file or directory", "",
         false, FETCH_NO_REPO, NULL},
        /* missing or corrupt objects: error, never auth-failed / no-repo /
         * network, even when an object id holds 401 or 404 */
        {-3, GIT_ERROR_ODB, "object not found - cannot read header for (4011404a9e0000000000)", "",
         false, FETCH_ERROR, "incomplete"},
        {-1, GIT_ERROR_ZLIB, "failed to read loose object header", "", false, FETCH_ERROR,
         "incomplete"},
        {-1, GIT_ERROR_INDEXER, "pack is truncated", "", false, FETCH_ERROR, "incomplete"},
        {GIT_EEOF, GIT_ERROR_NET, "early EOF",
         "Counting objects: 100% (4/4)\nfatal: unable to read e45c9c2666d4\naborting due to "
         "possible repository corruption on the remote side.\n",
         false, FETCH_ERROR, "incomplete"},
        {GIT_EEOF, GIT_ERROR_NET, "early EOF",
         "error: unable to unpack e45c header\nfatal: loose object e45c (stored in ...) is corrupt",
         false, FETCH_ERROR, "incomplete"},
        /* the network: transient, retried */
        {GIT_EEOF, GIT_ERROR_NET, "early EOF", "Counting objects: 100% (4/4), done.", false,
         FETCH_NETWORK, NULL},
        {-1, GIT_ERROR_HTTP, "http parser error: stream ended at an unexpected time", "", false,
         FETCH_NETWORK, NULL},
        {-1, GIT_ERROR_OS, "failed to connect to 127.0.0.1: Connection refused", "", false,
         FETCH_NETWORK, NULL},
        {-1, GIT_ERROR_NET, "failed to resolve address for nosuch.invalid: Name or service", "",
         false, FETCH_NETWORK, NULL},
        {-1, GIT_ERROR_HTTP, "unexpected http status code: 502", "", false, FETCH_NETWORK,
         "failed"},
        {-1, GIT_ERROR_HTTP, "unexpected http status code: 429", "", false, FETCH_NETWORK, NULL},
        {-1, GIT_ERROR_SSL, "SSL error: connection reset", "", false, FETCH_NETWORK, NULL},
        {-1, GIT_ERROR_SSH, "failed to start SSH session", "", false, FETCH_NETWORK, NULL},
        /* the URL */
        {-12, GIT_ERROR_NET, "malformed URL 'http://127.0.0.1:99999/x'", "", false, FETCH_BAD_URL,
         NULL},
        {-1, GIT_ERROR_NET, "unsupported URL protocol", "", false, FETCH_BAD_URL, NULL},
        /* refused on purpose, or not the network's fault */
        {-1, GIT_ERROR_NET, "cannot redirect from 'github.com' to 'evil.org'", "", false,
         FETCH_ERROR, "redirect"},
        {GIT_ECERTIFICATE, GIT_ERROR_SSL, "the SSL certificate is invalid", "", false, FETCH_ERROR,
         "certificate"},
        {-1, GIT_ERROR_HTTP, "unexpected http status code: 400", "", false, FETCH_ERROR, NULL},
        {-1, GIT_ERROR_HTTP, "unexpected http status code: 407", "", false, FETCH_ERROR, "proxy"},
        {-1, GIT_ERROR_OS, "failed to write: No space left on device", "", false, FETCH_ERROR,
         NULL},
        {-1, GIT_ERROR_NONE, NULL, NULL, false, FETCH_ERROR, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        transfer_failure f = {.rc = rows[i].rc,
                              .klass = rows[i].klass,
                              .msg = rows[i].msg,
                              .remote = rows[i].remote,
                              .refused = rows[i].refused};
        const char *why = "unset";
        fetch_status got = transfer_classify(&f, &why);
        ck_assert_msg(got == rows[i].want, "row %zu (%s): %s, expected %s", i, rows[i].msg,
                      fetch_status_name(got), fetch_status_name(rows[i].want));
        if (rows[i].why)
            ck_assert_msg(why && strstr(why, rows[i].why), "row %zu: reason '%s' lacks '%s'", i,
                          why ? why : "(none)", rows[i].why);
    }
    ck_assert_int_eq(
        transfer_classify(&(transfer_failure){.rc = -1, .klass = GIT_ERROR_NET, .msg = "x"}, NULL),
        FETCH_NETWORK);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("transport");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, each_failure_has_its_status);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(make_suite)
