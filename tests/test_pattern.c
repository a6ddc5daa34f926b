/* pattern: POSIX ERE (with GNU \< \>) run by PCRE2; the translation must
 * keep POSIX meaning where the two syntaxes differ. */
#include <string.h>

#include "pattern.h"
#include "testutil.h"

static bool find(const char *ere, bool icase, const char *text, size_t *so, size_t *eo)
{
    pattern p;
    char msg[256];
    ck_assert_msg(pattern_compile(&p, ere, icase, msg, sizeof msg) == 0, "%s: %s", ere, msg);
    bool r = pattern_find(&p, text, strlen(text), 0, so, eo);
    pattern_free(&p);
    return r;
}

static bool m(const char *ere, const char *text)
{
    return find(ere, false, text, NULL, NULL);
}

START_TEST(word_boundaries)
{
    ck_assert(m("\\<cat\\>", "a cat sat"));
    ck_assert(!m("\\<cat\\>", "concat"));
    ck_assert(!m("\\<cat\\>", "cats"));
    ck_assert(m("\\<(down|slow)\\>", "it was slow."));
    ck_assert(!m("\\<(down|slow)\\>", "slowly"));
    /* \< before something that may start with a non-word character keeps
     * its meaning: a word must start there */
    ck_assert(!m("\\<-x", "a -x"));
    ck_assert(!m("\\<(-|a)b", "-b"));
    ck_assert(m("\\<(-|a)b", "ab"));
    ck_assert(!m("\\<[-a]b", " -b"));
    ck_assert(!m("\\<(a)?-", " -"));
}
END_TEST

/* a pattern anchored at the start matches there only, from offset 0 */
START_TEST(anchored_at_start)
{
    ck_assert(find("^(to|for) fix", true, "To fix it, we restarted.", NULL, NULL));
    ck_assert(m("^(to|for) fix", "for fix it, Ahmed tested"));
    ck_assert(!m("^(to|for) fix", "We tried to fix it."));
    size_t so = 9, eo = 9;
    ck_assert(find("^for fix", true, "For fix it", &so, &eo));
    ck_assert_uint_eq(so, 0);
    ck_assert_uint_eq(eo, 7);
}
END_TEST

START_TEST(brackets_are_posix)
{
    /* a backslash inside brackets is a literal backslash in POSIX */
    ck_assert(m("[\\]", "a\\b"));
    ck_assert(!m("^[\\d]$", "5"));
    ck_assert(m("^[\\d]$", "d"));
    ck_assert(m("[]x]", "]"));
    ck_assert(m("^[^]x]+$", "abc"));
    ck_assert(m("[[:digit:]]{2}", "a12"));
    ck_assert(!m("[[:digit:]]{2}", "a1b"));
}
END_TEST

START_TEST(case_and_offsets)
{
    size_t so, eo;
    ck_assert(find("utc", true, "at 10:00 UTC", &so, &eo));
    ck_assert_uint_eq(so, 9);
    ck_assert_uint_eq(eo, 12);
    ck_assert(!find("utc", false, "at 10:00 UTC", NULL, NULL));
    pattern p;
    char msg[256];
    ck_assert_int_eq(pattern_compile(&p, "[0-9]+", false, msg, sizeof msg), 0);
    const char *t = "1 22 333";
    ck_assert(pattern_find(&p, t, strlen(t), 1, &so, &eo));
    ck_assert_uint_eq(so, 2);
    ck_assert_uint_eq(eo, 4);
    ck_assert(!pattern_find(&p, t, strlen(t), 9, &so, &eo));
    pattern_free(&p);
    pattern_free(&p); /* twice is fine */
}
END_TEST

START_TEST(bad_patterns_say_why)
{
    pattern p;
    char msg[256] = "";
    ck_assert_int_eq(pattern_compile(&p, "(unclosed", false, msg, sizeof msg), -1);
    ck_assert_ptr_null(p.code);
    ck_assert(strlen(msg) > 0);
    ck_assert_int_eq(pattern_compile(&p, "[abc", false, msg, sizeof msg), -1);
}
END_TEST

static Suite *pattern_suite(void)
{
    Suite *s = suite_create("pattern");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, word_boundaries);
    tcase_add_test(tc, anchored_at_start);
    tcase_add_test(tc, brackets_are_posix);
    tcase_add_test(tc, case_and_offsets);
    tcase_add_test(tc, bad_patterns_say_why);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(pattern_suite)
