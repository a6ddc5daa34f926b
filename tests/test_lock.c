/* Tests for lock.c: one holder per folder, the holder named, release. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lock.h"
#include "testutil.h"
#include "util.h"

START_TEST(second_taker_is_refused_with_the_holders_pid)
{
    char *dir = tu_tmpdir();
    char *sub = path_join(dir, "reports");
    gr_lock a = {0}, b = {0};
    gr_error err = {0};
    ck_assert_int_eq(lock_take(&a, sub, LOCK_REPORTS, "grade", &err), 0);
    /* flock conflicts between two open files even in one process */
    ck_assert_int_eq(lock_take(&b, sub, LOCK_REPORTS, "collect", &err), GR_EIO);
    char want[64];
    snprintf(want, sizeof want, "another grader grade (pid %ld) is using", (long)getpid());
    ck_assert_msg(strstr(err.msg, want) != NULL, "%s", err.msg);
    ck_assert(strstr(err.file, LOCK_REPORTS) != NULL);
    ck_assert_ptr_null(b.path);
    lock_release(&b); /* not held: nothing to do */
    /* another lock name in the same folder is independent */
    ck_assert_int_eq(lock_take(&b, sub, LOCK_SUBMISSIONS, "fetch", &err), 0);
    lock_release(&b);
    lock_release(&a);
    lock_release(&a); /* twice is fine */
    ck_assert_int_eq(lock_take(&b, sub, LOCK_REPORTS, "collect", &err), 0);
    char *p = path_join(sub, LOCK_REPORTS);
    char *text = tu_slurp(p);
    snprintf(want, sizeof want, "%ld collect\n", (long)getpid());
    ck_assert_str_eq(text, want);
    lock_release(&b);
    free(text);
    free(p);
    free(sub);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(a_symlink_in_place_of_the_lock_is_not_followed)
{
    char *dir = tu_tmpdir();
    char *target = path_join(dir, "elsewhere"), *p = path_join(dir, LOCK_REPORTS);
    tu_write(dir, "elsewhere", "keep\n");
    ck_assert_int_eq(symlink(target, p), 0);
    gr_lock a = {0};
    gr_error err = {0};
    ck_assert_int_eq(lock_take(&a, dir, LOCK_REPORTS, "grade", &err), GR_EIO);
    char *text = tu_slurp(target);
    ck_assert_str_eq(text, "keep\n");
    free(text);
    free(target);
    free(p);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

/* A refused run leaves no folder behind, only one it created itself. */
START_TEST(abandon_removes_only_a_folder_it_made)
{
    char *dir = tu_tmpdir();
    char *sub = path_join(dir, "new");
    gr_lock a = {0};
    gr_error err = {0};
    ck_assert_int_eq(lock_take(&a, sub, LOCK_REPORTS, "grade", &err), 0);
    lock_abandon(&a);
    ck_assert_int_ne(access(sub, F_OK), 0);
    ck_assert_int_eq(lock_take(&a, dir, LOCK_REPORTS, "grade", &err), 0);
    lock_abandon(&a);
    ck_assert_int_eq(access(dir, F_OK), 0); /* it was there before */
    free(sub);
    tu_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(folder_of_a_file)
{
    char *d;
    ck_assert_str_eq(d = lock_dir_of("gradebook.csv"), ".");
    free(d);
    ck_assert_str_eq(d = lock_dir_of("reports/gradebook.csv"), "reports");
    free(d);
    ck_assert_str_eq(d = lock_dir_of("/gradebook.csv"), "/");
    free(d);
    ck_assert_str_eq(d = lock_dir_of("/a/b/c.csv"), "/a/b");
    free(d);
}
END_TEST

static Suite *lock_suite(void)
{
    Suite *s = suite_create("lock");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, second_taker_is_refused_with_the_holders_pid);
    tcase_add_test(tc, a_symlink_in_place_of_the_lock_is_not_followed);
    tcase_add_test(tc, abandon_removes_only_a_folder_it_made);
    tcase_add_test(tc, folder_of_a_file);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(lock_suite)
