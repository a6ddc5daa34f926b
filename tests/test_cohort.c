/* Unit tests for manifest.c and cohort.c: the manifest read back (strict
 * and loose), indexed, refused with its line; a previous manifest that
 * cannot be read; the cohort joined by id with its repositories as shown
 * to instructors and to students. */
#include <stdlib.h>
#include <string.h>

#include "cohort.h"
#include "fetch.h"
#include "manifest.h"
#include "testutil.h"
#include "util.h"

static char *dir;

static void setup(void)
{
    dir = tu_tmpdir();
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
}

static const char HEAD[] =
    "id,repo,status,commit,commit_time,late,late_commits,path,first_seen,detail\n";
static const char C40[] = "0123456789abcdef0123456789abcdef01234567";

static int load(const char *name, const char *text, bool loose, fetch_manifest **m, gr_error *err)
{
    tu_write(dir, name, text);
    char *p = path_join(dir, name);
    gr_error_clear(err);
    int rc = fetch_manifest_read(p, loose, m, err);
    free(p);
    return rc;
}

START_TEST(manifest_index_and_errors)
{
    char text[4096];
    /* not in roster order: the index finds each */
    snprintf(text, sizeof text,
             "%szed,https://***@h/z,ok,%s,2024-04-10T10:00:00Z,yes,2,Blog_Post.md,"
             "2024-04-11T09:00:00Z,\namy,,no-repo,,,no,0,,,no repository\n"
             "kim,/r/k,no-post,,,no,0,Blog_Post.md,,\n",
             HEAD, C40);
    fetch_manifest *m = NULL;
    gr_error err;
    ck_assert_msg(load("m.csv", text, false, &m, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(m->n, 3);
    const fetch_result *z = fetch_manifest_find(m, "zed");
    ck_assert_ptr_nonnull(z);
    ck_assert_str_eq(z->commit, C40);
    ck_assert(z->late);
    ck_assert_int_eq(z->late_commits, 2);
    ck_assert_int_eq(z->first_seen, 1712826000);
    ck_assert_int_eq(fetch_manifest_find(m, "amy")->status, FETCH_NO_REPO);
    ck_assert_str_eq(fetch_manifest_find(m, "amy")->detail, "no repository");
    ck_assert_int_eq(fetch_manifest_find(m, "kim")->status, FETCH_NO_POST);
    ck_assert_ptr_null(fetch_manifest_find(m, "bob"));
    ck_assert_ptr_null(fetch_manifest_find(m, "Zed"));
    fetch_manifest_free(m);

    snprintf(text, sizeof text, "%sa,,no-repo,,,no,0,,,\nb,,ok,xyz,,no,0,,,\n", HEAD);
    ck_assert_int_eq(load("m.csv", text, false, &m, &err), GR_EINPUT);
    ck_assert_int_eq(err.line, 3);
    ck_assert(strstr(err.msg, "bad commit id \"xyz\"") != NULL);
    snprintf(text, sizeof text, "%sa,,no-repo,,,no,0,,,\nb,,ok,,,no,x,,,\n", HEAD);
    ck_assert_int_eq(load("m.csv", text, false, &m, &err), GR_EINPUT);
    ck_assert_int_eq(err.line, 3);
    ck_assert(strstr(err.msg, "late_commits \"x\"") != NULL);
    snprintf(text, sizeof text, "%sa,,no-repo,,,no,0,,,\nb,,ok,,,no,0,,,\na,,ok,,,no,0,,,\n", HEAD);
    ck_assert_int_eq(load("m.csv", text, false, &m, &err), GR_EINPUT);
    ck_assert_int_eq(err.line, 4);
    ck_assert(strstr(err.msg, "duplicate id \"a\" (first on line 2)") != NULL);
    ck_assert_int_eq(load("m.csv", "id,status\na,ok\n", false, &m, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "not a grader manifest") != NULL);

    /* loose: id and status are enough, any status, the commit as written */
    ck_assert_int_eq(load("m.csv", "id,status,commit\na,ok,beef\nb,missing,\n", true, &m, &err), 0);
    ck_assert_int_eq(fetch_manifest_find(m, "a")->status, FETCH_OK);
    ck_assert_str_eq(fetch_manifest_find(m, "a")->commit, "beef");
    ck_assert_int_eq(fetch_manifest_find(m, "b")->status, FETCH_ERROR);
    fetch_manifest_free(m);
    ck_assert_int_eq(load("m.csv", "id,repo\na,/r\n", true, &m, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "needs columns id and status") != NULL);
}
END_TEST

START_TEST(previous_manifest)
{
    fetch_manifest *m = (fetch_manifest *)1;
    gr_error err = {0};
    /* none yet: a fresh start */
    ck_assert_int_eq(fetch_manifest_load_previous(dir, &m, &err), 0);
    ck_assert_ptr_null(m);
    char text[1024];
    snprintf(text, sizeof text, "%sa,,no-repo,,,no,0,,,\nb,,weird,,,no,0,,,\n", HEAD);
    tu_write(dir, "manifest.csv", text);
    ck_assert_int_eq(fetch_manifest_load_previous(dir, &m, &err), GR_EINPUT);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(err.line, 3);
    ck_assert(strstr(err.msg, "unknown status \"weird\"") != NULL);
    ck_assert(strstr(err.msg, "first_seen") != NULL);
    ck_assert(strstr(err.msg, "move") != NULL);
}
END_TEST

START_TEST(cohort_join)
{
    tu_write(dir, "roster.csv",
             "id,name,repo,canvas_id\n"
             "ann,Ann,https://ann:tok999@github.com/ann/pm,c1\n"
             "bob,Bob,https://github.com/bob/pm,c2\n"
             "cat,Cat,https://cat:tok777@github.com/cat/pm,c3\n");
    char *rp = path_join(dir, "roster.csv"), *subs = path_join(dir, "subs");
    cohort_opts o = {.roster = rp, .subs = subs};
    cohort_data *c = NULL;
    gr_error err = {0};
    ck_assert_msg(cohort_data_load(&o, &c, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(c->n, 3);
    /* before any manifest: the roster's URLs, never a token */
    ck_assert_str_eq(c->v[0].repo_shown, "https://***@github.com/ann/pm");
    ck_assert_str_eq(c->v[0].repo_public, "https://github.com/ann/pm");
    ck_assert_str_eq(c->v[1].repo_public, "https://github.com/bob/pm");
    ck_assert_int_eq(cohort_data_find(c, "cat"), 2);
    ck_assert_int_eq(cohort_data_find(c, "dan"), -1);
    ck_assert_str_eq(cohort_data_field(c, 1, "Canvas_ID"), "c2");
    ck_assert_ptr_null(cohort_data_field(c, 1, "email"));

    /* required and absent: says to run grader fetch */
    ck_assert_int_eq(cohort_data_join(c, COHORT_MANIFEST_REQUIRED, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "grader fetch") != NULL);
    ck_assert_int_eq(cohort_data_join(c, COHORT_MANIFEST_OPTIONAL, &err), 0);
    ck_assert_ptr_null(c->mf);
    ck_assert_ptr_null(c->v[0].m);

    /* fetch's manifest, bob missing from it, rows not in roster order */
    char text[2048];
    snprintf(text, sizeof text,
             "%scat,https://***@github.com/cat/pm,ok,%s,,no,0,blog_post.md,,\n"
             "ann,https://***@github.com/ann/pm,no-post,,,no,0,Blog_Post.md,,\n",
             HEAD, C40);
    tu_write(subs, "manifest.csv", text);
    ck_assert_msg(cohort_data_join(c, COHORT_MANIFEST_REQUIRED, &err) == 0, "%s", err.msg);
    ck_assert_ptr_nonnull(c->mf);
    ck_assert_str_eq(c->v[2].m->id, "cat");
    ck_assert_str_eq(c->v[2].m->path, "blog_post.md");
    ck_assert_ptr_null(c->v[1].m);
    ck_assert_str_eq(c->v[2].repo_shown, "https://***@github.com/cat/pm");
    ck_assert_str_eq(c->v[2].repo_public, "https://github.com/cat/pm");
    ck_assert_str_eq(c->v[1].repo_shown, "https://github.com/bob/pm");
    for (size_t i = 0; i < c->n; i++) {
        ck_assert(strstr(c->v[i].repo_shown, "tok") == NULL);
        ck_assert(strstr(c->v[i].repo_public, "tok") == NULL);
    }
    /* the posts, one status each (cat's repository is not there) */
    ck_assert_int_eq(cohort_data_read_posts(c, "Blog_Post.md", NULL, NULL, &err), 0);
    ck_assert_str_eq(c->v[0].post->status, "no-post");
    ck_assert_str_eq(c->v[1].post->status, "not-fetched");
    ck_assert_str_eq(c->v[2].post->status, "unreadable");
    ck_assert_ptr_null(c->v[2].post->text);
    cohort_data_free(c);

    /* a manifest named by the user must exist */
    char *none = path_join(dir, "none.csv");
    o.manifest = none;
    ck_assert_int_eq(cohort_data_load(&o, &c, &err), 0);
    ck_assert_int_eq(cohort_data_join(c, COHORT_MANIFEST_LOOSE, &err), GR_EINPUT);
    ck_assert_str_eq(err.file, none);
    cohort_data_free(c);
    cohort_data_free(NULL);
    free(none);
    free(rp);
    free(subs);
}
END_TEST

static Suite *cohort_suite(void)
{
    Suite *s = suite_create("cohort");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, manifest_index_and_errors);
    tcase_add_test(tc, previous_manifest);
    tcase_add_test(tc, cohort_join);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(cohort_suite)
