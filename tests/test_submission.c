/* Unit tests for submission.c: the roster joined with the manifest and each
 * post read from its bare repository, one status per student. */
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "roster.h"
#include "submission.h"
#include "testutil.h"
#include "util.h"

static const char post[] = "# Outage\n\n## Issue Summary\n\nIt broke.\n";

/* Roster ann, bob, cat, dan. ann committed a post (fetched: ok); bob's
 * manifest row says no-post; cat is not in the manifest; dan's row says ok
 * but his repository is gone (unreadable). */
START_TEST(one_status_per_student)
{
    char *d = tu_tmpdir();
    gr_error err = {0};
    ck_assert_int_eq(
        tu_sh("cd '%s' && export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null && "
              "git init -q -b main w && printf '%%s' '%s' >w/Blog_Post.md && "
              "git -C w add -A && git -C w -c user.name=s -c user.email=s@x commit -qm p && "
              "mkdir subs && git clone -q --bare w subs/ann.git && "
              "git -C w rev-parse HEAD >head.txt",
              d, post),
        0);
    char *headp = path_join(d, "head.txt"), *head = tu_slurp(headp);
    ck_assert_ptr_nonnull(head);
    head[40] = '\0';
    tu_write(d, "roster.csv",
             "id,name,repo\nann,Ann,/r/ann\nbob,Bob,/r/bob\ncat,Cat,/r/cat\n"
             "dan,Dan,/r/dan\n");
    char *subs = path_join(d, "subs"), *rpath = path_join(d, "roster.csv");
    fetch_manifest *mf = NULL;
    /* No manifest yet: says to run grader fetch. */
    ck_assert_int_eq(submission_manifest_load(subs, rpath, &mf, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "grader fetch") != NULL);
    ck_assert_ptr_null(mf);

    fetch_result res[3] = {0};
    static const char *const ids[] = {"ann", "bob", "dan"};
    for (int i = 0; i < 3; i++) {
        res[i].id = (char *)ids[i];
        res[i].repo = (char *)"";
        res[i].path = (char *)"Blog_Post.md";
        res[i].detail = (char *)"";
        res[i].status = FETCH_OK;
        memcpy(res[i].commit, head, 41);
    }
    res[1].status = FETCH_NO_POST;
    res[1].commit[0] = '\0';
    char *mpath = path_join(subs, "manifest.csv");
    ck_assert_int_eq(fetch_manifest_write(mpath, res, 3, &err), 0);
    ck_assert_msg(submission_manifest_load(subs, rpath, &mf, &err) == 0, "%s", err.msg);

    roster *ro = NULL;
    ck_assert_int_eq(roster_load(rpath, NULL, &ro, &err), 0);
    submission *v = NULL;
    ck_assert_int_eq(submission_read_all(ro, mf, subs, "Blog_Post.md", NULL, NULL, &v, &err), 0);
    ck_assert_str_eq(v[0].id, "ann");
    ck_assert_str_eq(v[0].status, "ok");
    ck_assert_ptr_nonnull(v[0].text);
    ck_assert_uint_eq(v[0].len, strlen(post));
    ck_assert_str_eq(v[0].text, post);
    ck_assert_str_eq(v[0].doc, "Blog_Post.md");
    ck_assert_str_eq(v[1].status, "no-post");
    ck_assert_ptr_null(v[1].text);
    ck_assert_str_ne(v[1].advice, "");
    ck_assert_str_eq(v[2].status, "not-fetched");
    ck_assert_ptr_null(v[2].m);
    ck_assert(strstr(v[2].detail, "grader fetch") != NULL);
    ck_assert_str_eq(v[3].status, "unreadable");
    ck_assert_ptr_null(v[3].text);
    ck_assert(strstr(v[3].detail, "dan.git") != NULL);

    submission_free_all(v, ro->n);
    roster_free(ro);
    fetch_manifest_free(mf);
    free(mpath);
    free(subs);
    free(rpath);
    free(head);
    free(headp);
    tu_rmtree(d);
    free(d);
}
END_TEST

static Suite *submission_suite(void)
{
    Suite *s = suite_create("submission");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, one_status_per_student);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(submission_suite)
