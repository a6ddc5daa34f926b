/* Unit tests for post_read.c: the post at its path, a case variant, and
 * the search for a misnamed one in the same folder (alternatives first,
 * then the Markdown file that reads most like a postmortem; link-only and
 * task text never taken; symlinks, large blobs and surplus files skipped). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "post_read.h"
#include "rubric.h"
#include "similar.h"
#include "testutil.h"
#include "util.h"

static char *dir, *git_dir, head[41];
static rubric *rb;
static similar_doc *known;
static size_t nknown;

/* One commit whose folders are the cases below. */
static void setup(void)
{
    dir = tu_tmpdir();
    gr_error err = {0};
    char *rp = tu_src("rubrics/postmortem.yml"), *kp = tu_src("rubrics/known");
    ck_assert_msg(rubric_load(rp, &rb, &err) == 0, "%s", err.msg);
    ck_assert_msg(similar_known_load(kp, false, &known, &nknown, &err) == 0, "%s", err.msg);
    free(rp);
    free(kp);
    char *src = tu_src("tests/fixtures");
    ck_assert_int_eq(
        tu_sh("cd '%s' && F='%s' && export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null && "
              "git init -q -b main w && cd w && "
              "mkdir exact readme two best task link sym big alt many case && "
              "cp $F/demo/dns.md exact/Blog_Post.md && cp $F/demo/queue.md exact/README.md && "
              "cp $F/demo/dns.md readme/README.md && "
              "cp $F/similar/task.md two/README.md && cp $F/demo/final.md two/postmortem.md && "
              "cp $F/demo/weak.md best/draft.md && cp $F/demo/excellent.md best/final.md && "
              "cp $F/demo/queue.md best/notes.txt && "
              "cp $F/similar/task.md task/README.md && cp $F/similar/link.md link/README.md && "
              "ln -s ../readme/README.md sym/README.md && "
              "cp $F/demo/dns.md alt/postmortem.md && cp $F/demo/excellent.md alt/zz.md && "
              "for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15; do "
              "  echo '# note' >many/n$i.md; done && cp $F/demo/dns.md many/zz.md && "
              "cp $F/demo/dns.md case/blog_post.MD && "
              "git add -A && git -c user.name=s -c user.email=s@x commit -qm p && "
              "git rev-parse HEAD >../head.txt",
              dir, src),
        0);
    free(src);
    char *hp = path_join(dir, "head.txt"), *h = tu_slurp(hp);
    ck_assert_ptr_nonnull(h);
    memcpy(head, h, 40);
    head[40] = '\0';
    free(h);
    free(hp);
    git_dir = path_join(dir, "w/.git");
}

static void teardown(void)
{
    tu_rmtree(dir);
    free(dir);
    free(git_dir);
    rubric_free(rb);
    similar_docs_free(known, nknown);
}

static fetch_post find(const char *path, const post_search *ps, size_t cap)
{
    fetch_post p;
    gr_error err = {0};
    ck_assert_msg(post_find(git_dir, head, path, cap, ps, &p, &err) == 0, "%s", err.msg);
    return p;
}

#define SEARCH                                                                                     \
    {                                                                                              \
        .rb = rb, .folder = true, .known = known, .nknown = nknown                                 \
    }

START_TEST(exact_path_wins)
{
    post_search ps = SEARCH;
    fetch_post p = find("exact/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_OK);
    ck_assert_str_eq(p.path, "exact/Blog_Post.md");
    ck_assert(!p.misnamed && !p.case_differs);
    fetch_post_free(&p);
    p = find("case/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_OK);
    ck_assert_str_eq(p.path, "case/blog_post.MD");
    ck_assert(p.case_differs && !p.misnamed);
    fetch_post_free(&p);
}
END_TEST

START_TEST(readme_is_the_post)
{
    post_search ps = SEARCH;
    fetch_post p = find("readme/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_OK);
    ck_assert_str_eq(p.path, "readme/README.md");
    ck_assert(p.misnamed);
    ck_assert_ptr_nonnull(p.data);
    ck_assert(strstr(p.detail, "misnamed") && strstr(p.detail, "readme/README.md") &&
              strstr(p.detail, "readme/Blog_Post.md"));
    fetch_post_free(&p);
    /* Without a search (grade reading a recorded path, ps NULL): no-post. */
    p = find("readme/Blog_Post.md", NULL, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_NO_POST);
    ck_assert(!p.misnamed);
    fetch_post_free(&p);
    /* Without a rubric there is nothing to judge by: no search either. */
    post_search norb = {.folder = true};
    p = find("readme/Blog_Post.md", &norb, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_NO_POST);
    fetch_post_free(&p);
}
END_TEST

START_TEST(real_post_beats_task_text_and_weak_draft)
{
    post_search ps = SEARCH;
    fetch_post p = find("two/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_OK);
    ck_assert_str_eq(p.path, "two/postmortem.md");
    fetch_post_free(&p);
    /* the highest score of the folder's Markdown files; notes.txt is not Markdown */
    p = find("best/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_OK);
    ck_assert_str_eq(p.path, "best/final.md");
    fetch_post_free(&p);
}
END_TEST

START_TEST(task_text_or_link_alone_is_no_post)
{
    post_search ps = SEARCH;
    fetch_post p = find("task/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_NO_POST);
    ck_assert_ptr_null(p.data);
    ck_assert_msg(strstr(p.detail, "README.md (the assignment's own text)"), "%s", p.detail);
    fetch_post_free(&p);
    p = find("link/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_NO_POST);
    ck_assert_msg(strstr(p.detail, "README.md (only a link)"), "%s", p.detail);
    fetch_post_free(&p);
}
END_TEST

START_TEST(bounded)
{
    post_search ps = SEARCH;
    /* a symbolic link is never a candidate */
    fetch_post p = find("sym/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_NO_POST);
    ck_assert_ptr_null(strstr(p.detail, "README"));
    fetch_post_free(&p);
    /* over the cap: not read, said so */
    p = find("readme/Blog_Post.md", &ps, 100);
    ck_assert_int_eq(p.status, FETCH_NO_POST);
    ck_assert_msg(strstr(p.detail, "README.md (over the size cap)"), "%s", p.detail);
    fetch_post_free(&p);
    /* 16 files: the first POST_MAX_CANDIDATES read, the post is the 16th */
    p = find("many/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_NO_POST);
    ck_assert_msg(strstr(p.detail, "n01.md (no section of a postmortem)"), "%s", p.detail);
    ck_assert_msg(strstr(p.detail, "and 9 more (4 more Markdown files not read)"), "%s", p.detail);
    fetch_post_free(&p);
    /* no such folder: nothing to search */
    p = find("nowhere/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_NO_POST);
    ck_assert_ptr_null(strstr(p.detail, "Markdown"));
    fetch_post_free(&p);
}
END_TEST

START_TEST(alternative_first)
{
    static const char *const alts[] = {"missing.md", "postmortem.md"};
    post_search ps = SEARCH;
    ps.alternatives = alts;
    ps.nalternatives = 2;
    /* zz.md scores higher, but the rubric names postmortem.md */
    fetch_post p = find("alt/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_OK);
    ck_assert_str_eq(p.path, "alt/postmortem.md");
    ck_assert(!p.misnamed);
    ck_assert(strstr(p.detail, "alternative") != NULL);
    fetch_post_free(&p);
    /* alternatives only, no folder search */
    ps.folder = false;
    ps.alternatives = alts;
    ps.nalternatives = 1;
    p = find("alt/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_int_eq(p.status, FETCH_NO_POST);
    fetch_post_free(&p);
    ps.folder = true;
    p = find("alt/Blog_Post.md", &ps, GR_MAX_INPUT);
    ck_assert_str_eq(p.path, "alt/zz.md");
    ck_assert(p.misnamed);
    fetch_post_free(&p);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("post_read");
    TCase *tc = tcase_create("find");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, exact_path_wins);
    tcase_add_test(tc, readme_is_the_post);
    tcase_add_test(tc, real_post_beats_task_text_and_weak_draft);
    tcase_add_test(tc, task_text_or_link_alone_is_no_post);
    tcase_add_test(tc, bounded);
    tcase_add_test(tc, alternative_first);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(make_suite)
