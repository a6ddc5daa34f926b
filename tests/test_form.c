/* Tests for form.c: decoding, caps, and every refusal. */
#include <string.h>

#include "form.h"
#include "testutil.h"

static const form_limits LIM = {.max_fields = 4, .max_name = 8, .max_value = 10};

static int parse(const char *body, form *f, gr_error *err)
{
    return form_parse(body, strlen(body), &LIM, f, err);
}

START_TEST(decodes)
{
    form f;
    gr_error err = {0};
    ck_assert_int_eq(parse("a=1&b=x+y%21&&c=&d", &f, &err), 0);
    ck_assert_uint_eq(f.n, 4);
    ck_assert_str_eq(form_get(&f, "a"), "1");
    ck_assert_str_eq(form_get(&f, "b"), "x y!");
    ck_assert_str_eq(form_get(&f, "c"), "");
    ck_assert_str_eq(form_get(&f, "d"), "");
    ck_assert_ptr_null(form_get(&f, "e"));
    form_free(&f);
    ck_assert_int_eq(parse("n=%C3%A9%3c", &f, &err), 0);
    ck_assert_str_eq(form_get(&f, "n"), "\xc3\xa9<");
    ck_assert_uint_eq(f.v[0].vlen, 3);
    form_free(&f);
    ck_assert_int_eq(form_parse("", 0, &LIM, &f, &err), 0);
    ck_assert_uint_eq(f.n, 0);
    form_free(&f);
}
END_TEST

static void refused(const char *body, int code, const char *msg)
{
    form f = {(void *)1, 99};
    gr_error err = {0};
    ck_assert_int_eq(parse(body, &f, &err), code);
    ck_assert_uint_eq(f.n, 0);
    ck_assert_ptr_null(f.v);
    ck_assert_msg(strstr(err.msg, msg), "'%s': message '%s' lacks '%s'", body, err.msg, msg);
}

START_TEST(refuses)
{
    refused("a=%zz", GR_EINPUT, "bad %-escape");
    refused("a=%4", GR_EINPUT, "bad %-escape");
    refused("a=x%", GR_EINPUT, "bad %-escape");
    refused("a=%00", GR_EINPUT, "NUL");
    refused("a=%ff", GR_EINPUT, "UTF-8");
    refused("a=%C3", GR_EINPUT, "UTF-8");
    refused("=1", GR_EINPUT, "empty");
    refused("toolongname=1", GR_EINPUT, "too long");
    refused("a=12345678901", GR_ELIMIT, "at most 10");
    refused("a=%41%41%41%41%41%41%41%41%41%41%41", GR_ELIMIT, "too long");
    refused("a=1&a=2", GR_EINPUT, "twice");
    refused("a=1&b=2&c=3&d=4&e=5", GR_ELIMIT, "more than 4");
    refused("a%=1", GR_EINPUT, "bad %-escape");
}
END_TEST

START_TEST(value_at_the_cap)
{
    form f;
    gr_error err = {0};
    ck_assert_int_eq(parse("a=1234567890&b=%41%41%41%41%41%41%41%41%41%41", &f, &err), 0);
    ck_assert_str_eq(form_get(&f, "b"), "AAAAAAAAAA");
    form_free(&f);
    /* not NUL-terminated input: only len bytes are read */
    char buf[] = {'a', '=', '1', '&', 'b'};
    ck_assert_int_eq(form_parse(buf, 3, &LIM, &f, &err), 0);
    ck_assert_uint_eq(f.n, 1);
    form_free(&f);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("form");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, decodes);
    tcase_add_test(tc, refuses);
    tcase_add_test(tc, value_at_the_cap);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(make_suite)
