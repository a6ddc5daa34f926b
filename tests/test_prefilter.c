/* prefilter: where a match can start. A search that tries only the
 * prefilter's candidates must find exactly what a search of every position
 * finds: same first match, same end, for every start offset. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pattern.h"
#include "prefilter.h"
#include "testutil.h"

/* Compare pattern_find with and without the filter on every start offset
 * of text; returns whether the pattern had a filter. */
static bool same_everywhere(const char *ere, bool icase, const char *text)
{
    pattern p, plain;
    char msg[256];
    if (pattern_compile(&p, ere, icase, msg, sizeof msg) != 0)
        return false; /* not a valid pattern: nothing to compare */
    ck_assert_int_eq(pattern_compile_plain(&plain, ere, icase, msg, sizeof msg), 0);
    size_t len = strlen(text);
    for (size_t from = 0; from <= len; from++) {
        size_t so1 = 0, eo1 = 0, so2 = 0, eo2 = 0;
        bool a = pattern_find(&p, text, len, from, &so1, &eo1);
        bool b = pattern_find(&plain, text, len, from, &so2, &eo2);
        ck_assert_msg(a == b && (!a || (so1 == so2 && eo1 == eo2)),
                      "'%s'%s on \"%s\" from %zu: filtered %d [%zu,%zu), plain %d [%zu,%zu)", ere,
                      icase ? " (icase)" : "", text, from, a, so1, eo1, b, so2, eo2);
    }
    bool filtered = p.filter != NULL;
    pattern_free(&p);
    pattern_free(&plain);
    return filtered;
}

/* The forms the rubrics use. */
static const char *const eres[] = {
    "\\<(resolv[a-z]*|restor[a-z]*|fix(ed|es)?|back (up|online)|(is|was|were) (now )?(up|live)\\>|"
    "200 ok)\\>",
    "\\<(r(estart(ed|ing)?|eboot(ed|ing)?)|roll(ed)? ?back)\\>",
    "\\<[0-2]?[0-9](:[0-5][0-9])? "
    "?[AaPp]\\.?[Mm]\\.?|\\<[0-2]?[0-9]:[0-5][0-9]|\\<([0-9]+(\\.[0-9]+)?"
    "|an|one|half an) ?([Hh]ours?|[Mm]inutes?)\\>",
    "[0-9]+(\\.[0-9]+)? ?(%|percent)[^.;]{0,60}(user|customer)",
    "(user|customer|client)[^.;]{0,60}[0-9]+(\\.[0-9]+)? ?(%|percent)",
    "\\<(was|were|is) ?(n't|n’t| not) (the )?(cause|issue)\\>",
    "\\<(investigat[a-z]*|look(ed|ing)? into) (the |this )?(issue|problem)s?( further)?\\.?$",
    "\\<(double-|cross-)?check(s|ed|ing)?\\>",
    "[0-9]Z\\>",
    "[0-9] ?(\\(|\\[)?[+-][01][0-9]:?[03]0\\>",
    "\\<(UTC|GMT) ?[+-] ?[0-9]",
    "(\\<(will|should)\\>)|(\\<(caus(ed|ing)|due to)\\>)",
    "\\.(php[a-z]?|py|conf|ya?ml)\\>",
    "/[a-z0-9_.-]+/[a-z0-9_.-]",
    "\\<v?[0-9]+\\.[0-9]+\\.[0-9]+\\>",
    "\\<from [^ ]*[0-9.][^ ]* to [^ ]*[0-9.]",
    "\\<([0-9]([0-9,.]*[0-9])?|hundreds|all)( [a-z]+){0,3} (users|people)\\>",
    "[[:alpha:]]",
    "failing is (normal|fine)",
    "^[^A-Za-z0-9]{0,3}((At|at) )?[0-2]?[0-9]:[0-5][0-9]",
    "\\<-x",
    "\\<(-|a)b",
    "\\<[-a]b",
    "a\\>b",
    "x{2,}y",
    "(ab|a)(c|bcd)",
    "[]x]y",
    "[\\]z",
    /* ^ in a branch: that branch begins at offset 0 alone */
    "(^(and |then )?(every|each) (request|user)s?\\>)|(\\<(nothing|never)( [a-z]+){0,2} "
    "(removed|deleted)\\>)",
    "(^a)|(\\<b)",
    "x^y|\\<ab",
    "(^)|b",
    "(^a)*b",
    /* lookarounds consume nothing */
    "^(?!.*\\<(will|add)\\>).*\\<(thanks?|learned)\\>",
    "\\<(kept|still) (work|run)[a-z]*(,? (?!but\\>)[a-z]+){0,6},? because\\>(?!.*\\<but\\>)",
    "(?<=a)b|\\<c",
    "(?=ab)a[b)]",
};

static const char *const texts[] = {
    "The service was restored at 10:45 AM UTC; users saw 502 errors.",
    "Fixed. Was it up? It is now live, back online; roll back, rolled back, rollback.",
    "unresolved prefixes: refix, restoring, restarted, REBOOTED, Restart",
    "About 40% of users, 3.5 percent of customers; customers (12 %)",
    "It wasn't the cause. It was not the issue. were n't the cause",
    "We looked into the issue further. investigating the problem.",
    "double-checked, cross-check, checks, checking, rechecked",
    "at 10Z, 2024-01-01T10:00Z, +01:00 and (+0530) -0300, UTC+1 GMT - 3",
    "edit /etc/nginx/nginx.conf, app.py, config.yaml, v1.2.3, 1.2",
    "from 512MB to 2GB, from v1 to v2.1",
    "hundreds of angry users, all users, 1,200 people, 3 of our people",
    "failing is normal; failing is fine",
    "  10:30 - at 9:05 alert",
    "a -x -b ab -ab a-b ab",
    "ab cd a b xxy xy xxxy ]y x]y \\z",
    "\xE2\x80\x99s caf\xC3\xA9 \xEF\xBF\xBD and_under_score 2024_05",
    "Every request added a key, and nothing ever removed entries; each user deleted",
    "Search kept working because it is cached, but login failed because Redis ran out.",
    "Thanks to all, we learned a lot. We will add it, thanks",
    "ab ba b xab cab a(b",
    "",
};

START_TEST(same_first_match_as_every_position)
{
    int filtered = 0;
    for (size_t i = 0; i < sizeof eres / sizeof *eres; i++)
        for (int icase = 0; icase < 2; icase++) {
            bool f = false;
            for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
                f = same_everywhere(eres[i], icase, texts[t]);
            filtered += f;
        }
    /* the word lists are what the filter is for */
    ck_assert_int_ge(filtered, 30);
}
END_TEST

/* Random patterns over a few bytes, on random texts over the same bytes:
 * what the filter reads must agree with what PCRE2 runs. */
static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 16;
}

static void random_ere(uint32_t *s, char *out, size_t cap, int depth)
{
    static const char *const atoms[] = {"a",    "b",     "A",           "1",   " ",   ".",   "[ab]",
                                        "[^a]", "[a-c]", "[[:digit:]]", "\\.", "\\<", "\\>", "^",
                                        "$",    "_",     "ab",          "ba",  "[ ]", "-"};
    static const char *const quants[] = {"", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,3}"};
    size_t n = 1 + rnd(s) % 4;
    for (size_t i = 0; i < n; i++) {
        char piece[512]; /* room for "(a|b)" of two 200-byte halves */
        if (depth < 2 && rnd(s) % 4 == 0) {
            char a[200] = "", b[200] = "";
            random_ere(s, a, sizeof a, depth + 1);
            random_ere(s, b, sizeof b, depth + 1);
            snprintf(piece, sizeof piece, "(%s|%s)", a, b);
        } else {
            snprintf(piece, sizeof piece, "%s", atoms[rnd(s) % (sizeof atoms / sizeof *atoms)]);
        }
        const char *q = quants[rnd(s) % (sizeof quants / sizeof *quants)];
        /* a quantifier after an anchor means nothing in POSIX */
        if (strchr("^$", piece[0]) || !strcmp(piece, "\\<") || !strcmp(piece, "\\>"))
            q = "";
        if (strlen(out) + strlen(piece) + strlen(q) + 1 < cap) {
            strcat(out, piece);
            strcat(out, q);
        }
    }
    if (depth == 0 && rnd(s) % 3 == 0 && strlen(out) * 2 + 2 < cap) {
        char alt[256];
        snprintf(alt, sizeof alt, "|\\<%s", out);
        strcat(out, alt);
    }
}

START_TEST(random_patterns_agree)
{
    uint32_t seed = 2026;
    static const char bytes[] = "aabbAB1 1._-\n";
    int filtered = 0;
    for (int i = 0; i < 5000; i++) {
        char ere[512] = "";
        if (rnd(&seed) % 2)
            strcat(ere, "\\<");
        random_ere(&seed, ere, sizeof ere, 0);
        char text[64];
        size_t n = rnd(&seed) % (sizeof text - 1);
        for (size_t k = 0; k < n; k++)
            text[k] = bytes[rnd(&seed) % (sizeof bytes - 1)];
        text[n] = '\0';
        filtered += same_everywhere(ere, rnd(&seed) % 2, text);
    }
    ck_assert_int_ge(filtered, 500);
}
END_TEST

START_TEST(what_it_knows)
{
    /* a pattern that matches the empty string, or anything, has no filter */
    ck_assert_ptr_null(prefilter_new("a*"));
    ck_assert_ptr_null(prefilter_new("(a|)"));
    ck_assert_ptr_null(prefilter_new(".x"));
    ck_assert_ptr_null(prefilter_new("\\<[^x]"));
    /* nor one it does not read */
    ck_assert_ptr_null(prefilter_new("(a)\\1"));
    ck_assert_ptr_null(prefilter_new("a\\n"));
    ck_assert_ptr_null(prefilter_new("(?i)a"));
    ck_assert_ptr_null(prefilter_new("a*?b"));

    prefilter *f = prefilter_new("\\<(cat|dog)s?\\>");
    ck_assert_ptr_nonnull(f);
    const char *t = "concat, a Cat. hotdog dogs";
    ck_assert_uint_eq(prefilter_next(f, t, strlen(t), 0), 10);
    ck_assert_uint_eq(prefilter_next(f, t, strlen(t), 11), 22);
    /* a word start depends on the byte before the offset */
    ck_assert_uint_eq(prefilter_next(f, t, strlen(t), 3), 10);
    /* a prefix cut by the end of the text is not there */
    ck_assert_uint_eq(prefilter_next(f, "do", 2, 0), 2);
    prefilter_free(f);

    /* a branch after ^ may begin at offset 0 whatever its bytes, and
     * nowhere else; a lookahead narrows nothing it is told */
    f = prefilter_new("(^every)|(\\<never)");
    ck_assert_ptr_nonnull(f);
    t = "xevery x never";
    ck_assert_uint_eq(prefilter_next(f, t, strlen(t), 0), 0);
    ck_assert_uint_eq(prefilter_next(f, t, strlen(t), 1), 9);
    prefilter_free(f);
    f = prefilter_new("\\<(kept|still) working because\\>(?!.*\\<but\\>)");
    ck_assert_ptr_nonnull(f);
    t = "it kept working because";
    ck_assert_uint_eq(prefilter_next(f, t, strlen(t), 0), 3);
    prefilter_free(f);
    ck_assert_ptr_null(prefilter_new("(?:a)b"));

    f = prefilter_new("[0-9]+%");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(prefilter_next(f, "about 40% of", 12, 0), 6);
    prefilter_free(f);
    prefilter_free(NULL);
}
END_TEST

static Suite *prefilter_suite(void)
{
    Suite *s = suite_create("prefilter");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, same_first_match_as_every_position);
    tcase_add_test(tc, random_patterns_agree);
    tcase_add_test(tc, what_it_knows);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(prefilter_suite)
