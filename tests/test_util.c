/* Unit tests for util.c: strbuf, capped reads, atomic writes, UTF-8. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

START_TEST(strbuf_grows_and_formats)
{
    strbuf sb;
    sb_init(&sb);
    ck_assert_str_eq(sb_str(&sb), "");
    for (int i = 0; i < 1000; i++)
        sb_printf(&sb, "%d,", i);
    ck_assert(!sb_failed(&sb));
    ck_assert_uint_eq(sb.len, strlen(sb.s));
    ck_assert(strncmp(sb.s, "0,1,2,", 6) == 0);
    ck_assert(strstr(sb.s, ",999,") != NULL);
    sb_reset(&sb);
    sb_puts(&sb, "ab");
    sb_putc(&sb, 'c');
    char *s = sb_detach(&sb);
    ck_assert_str_eq(s, "abc");
    ck_assert_ptr_null(sb.s);
    free(s);
}
END_TEST

START_TEST(file_read_caps_and_names_the_file)
{
    char *d = tu_tmpdir();
    tu_write(d, "small.md", "hello\n");
    tu_write(d, "big.md", "0123456789abcdef");
    char *small = path_join(d, "small.md"), *big = path_join(d, "big.md");
    char *missing = path_join(d, "nope.md");
    char *buf;
    size_t n;
    gr_error err = {0};
    ck_assert_int_eq(file_read(small, 100, &buf, &n, &err), 0);
    ck_assert_uint_eq(n, 6);
    ck_assert_str_eq(buf, "hello\n");
    free(buf);

    ck_assert_int_eq(file_read(big, 10, &buf, &n, &err), GR_ELIMIT);
    ck_assert_ptr_null(buf);
    ck_assert_str_eq(err.file, big);
    ck_assert(strstr(err.msg, "limit") != NULL);

    ck_assert_int_eq(file_read(missing, 10, &buf, &n, &err), GR_EINPUT);
    ck_assert_str_eq(err.file, missing);
    ck_assert_int_eq(file_read(d, 10, &buf, &n, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "directory") != NULL);
    free(small);
    free(big);
    free(missing);
    tu_rmtree(d);
    free(d);
}
END_TEST

START_TEST(afile_abort_keeps_the_old_file)
{
    char *d = tu_tmpdir();
    tu_write(d, "out.csv", "old\n");
    char *p = path_join(d, "out.csv");
    gr_error err = {0};
    afile af;
    ck_assert_int_eq(afile_open(&af, p, &err), 0);
    fputs("half-written", af.fp);
    afile_abort(&af);
    char *s = tu_slurp(p);
    ck_assert_str_eq(s, "old\n");
    free(s);
    /* no temporary left behind */
    ck_assert_int_eq(tu_sh("test $(ls '%s' | wc -l) -eq 1", d), 0);

    ck_assert_int_eq(write_file_atomic(p, "new\n", 4, &err), 0);
    s = tu_slurp(p);
    ck_assert_str_eq(s, "new\n");
    free(s);
    free(p);
    tu_rmtree(d);
    free(d);
}
END_TEST

START_TEST(afile_commit_fails_cleanly_when_the_target_is_a_directory)
{
    char *d = tu_tmpdir();
    char *p = path_join(d, "target");
    ck_assert_int_eq(mkdir(p, 0755), 0);
    tu_write(p, "keep", "x");
    gr_error err = {0};
    ck_assert_int_ne(write_file_atomic(p, "new", 3, &err), 0);
    ck_assert_int_eq(err.code, GR_EIO);
    char *k = path_join(p, "keep");
    char *s = tu_slurp(k);
    ck_assert_str_eq(s, "x");
    free(s);
    free(k);
    ck_assert_int_eq(tu_sh("test $(ls '%s' | wc -l) -eq 1", d), 0);
    free(p);
    tu_rmtree(d);
    free(d);
}
END_TEST

START_TEST(find_nocase_any_case)
{
    const char *s = "Sure! Here is a PostMortem.";
    ck_assert_ptr_eq(find_nocase(s, strlen(s), "postmortem"), s + 16);
    ck_assert_ptr_null(find_nocase(s, strlen(s), "post-mortem"));
    /* only within the n bytes given */
    ck_assert_ptr_null(find_nocase(s, 20, "postmortem"));
    ck_assert_ptr_eq(find_nocase(s, strlen(s), "sure"), s);
}
END_TEST

START_TEST(utf8_validation)
{
    size_t bad = 0;
    ck_assert(utf8_valid("plain", 5, &bad));
    {
        const char *u = "caf\xc3\xa9 \xe2\x80\xa2 \xf0\x9f\x98\x80";
        ck_assert(utf8_valid(u, strlen(u), &bad));
    }
    ck_assert(!utf8_valid("ab\xff", 3, &bad));
    ck_assert_uint_eq(bad, 2);
    ck_assert(!utf8_valid("ab\xc3", 3, &bad)); /* truncated sequence */
    ck_assert_uint_eq(bad, 2);
    ck_assert(!utf8_valid("\xc0\xaf", 2, &bad));     /* overlong '/' */
    ck_assert(!utf8_valid("\xed\xa0\x80", 3, &bad)); /* surrogate */
    /* a bad byte after long runs of ASCII (read eight bytes at a time) is
     * found where it is, and a valid end is not read past */
    char t[40];
    for (size_t at = 0; at < 24; at++) {
        memset(t, 'a', sizeof t);
        t[at] = '\xff';
        ck_assert(!utf8_valid(t, 24, &bad));
        ck_assert_uint_eq(bad, at);
        memcpy(t + at, "\xc3\xa9", 2);
        ck_assert(utf8_valid(t, 24 + (at == 23), &bad));
    }
    ck_assert(!utf8_valid("abcdefghijklmno\xc3", 16, &bad));
    ck_assert_uint_eq(bad, 15);
}
END_TEST

START_TEST(mkdir_p_and_path_join)
{
    char *d = tu_tmpdir();
    char *p = path_join(d, "a/b/c");
    gr_error err = {0};
    ck_assert_int_eq(mkdir_p(p, &err), 0);
    ck_assert_int_eq(mkdir_p(p, &err), 0);
    struct stat st;
    ck_assert_int_eq(stat(p, &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
    char *j = path_join("x//", "y");
    ck_assert_str_eq(j, "x/y");
    free(j);
    int line, col;
    offset_to_line_col("ab\ncd\nef", 7, &line, &col);
    ck_assert_int_eq(line, 3);
    ck_assert_int_eq(col, 2);
    free(p);
    tu_rmtree(d);
    free(d);
}
END_TEST

START_TEST(url_userinfo_finds_credentials)
{
    const char *a, *b;
    const char *u = "https://user:tok@github.com/x/y";
    ck_assert(url_userinfo(u, &a, &b));
    ck_assert_int_eq((int)(a - u), 8);
    ck_assert(!strncmp(b, "@github.com", 11));
    /* a password holding '@': everything up to the last '@' of the host */
    u = "https://u:p@ss@host/r";
    ck_assert(url_userinfo(u, &a, &b));
    ck_assert(!strcmp(b, "@host/r"));
    /* an '@' after the host part is not user information */
    ck_assert(!url_userinfo("https://host/a@b", &a, &b));
    ck_assert(!url_userinfo("https://host?x=a@b", &a, &b));
    ck_assert(!url_userinfo("git@github.com:x/y.git", &a, &b));
}
END_TEST

static Suite *util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, strbuf_grows_and_formats);
    tcase_add_test(tc, find_nocase_any_case);
    tcase_add_test(tc, file_read_caps_and_names_the_file);
    tcase_add_test(tc, afile_abort_keeps_the_old_file);
    tcase_add_test(tc, afile_commit_fails_cleanly_when_the_target_is_a_directory);
    tcase_add_test(tc, utf8_validation);
    tcase_add_test(tc, mkdir_p_and_path_join);
    tcase_add_test(tc, url_userinfo_finds_credentials);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(util_suite)
