/* pattern: POSIX ERE (with GNU \< \>) run by PCRE2; the translation must
 * keep POSIX meaning where the two syntaxes differ. */
#include <stdio.h>
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

/* Compiled together on several threads, each pattern is what it would be
 * alone, and a bad one says why without spoiling the others. */
START_TEST(compiled_together)
{
    enum { N = 64 };
    static pattern ps[N];
    static pattern_job jobs[N];
    static char eres[N][32];
    for (int i = 0; i < N; i++) {
        snprintf(eres[i], sizeof eres[i], i == 37 ? "(unclosed%d" : "\\<word%d\\>", i);
        jobs[i] = (pattern_job){.out = &ps[i], .ere = eres[i], .icase = true};
    }
    pattern_compile_many(jobs, N, 4);
    for (int i = 0; i < N; i++) {
        char text[32];
        snprintf(text, sizeof text, "a WORD%d here", i);
        if (i == 37) {
            ck_assert_int_eq(jobs[i].rc, -1);
            ck_assert(jobs[i].msg[0] != '\0');
            continue;
        }
        ck_assert_msg(jobs[i].rc == 0, "%s: %s", eres[i], jobs[i].msg);
        size_t so, eo;
        ck_assert(pattern_find(&ps[i], text, strlen(text), 0, &so, &eo));
        ck_assert_uint_eq(so, 2);
        /* word1 is not word10 */
        snprintf(text, sizeof text, "word%d0", i);
        ck_assert(!pattern_find(&ps[i], text, strlen(text), 0, NULL, NULL));
        pattern_free(&ps[i]);
    }
}
END_TEST

static Suite *pattern_suite(void)
{
    Suite *s = suite_create("pattern");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, word_boundaries);
    tcase_add_test(tc, compiled_together);
    tcase_add_test(tc, anchored_at_start);
    tcase_add_test(tc, brackets_are_posix);
    tcase_add_test(tc, case_and_offsets);
    tcase_add_test(tc, bad_patterns_say_why);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(pattern_suite)
