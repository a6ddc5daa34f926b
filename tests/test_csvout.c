/* csvout: quoting and formula neutralisation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "testutil.h"

static char *cell(const char *s)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    ck_assert_ptr_nonnull(fp);
    csv_cell(fp, s);
    fclose(fp);
    return buf;
}

#define CELL_EQ(in, want)                                                                          \
    do {                                                                                           \
        char *got = cell(in);                                                                      \
        ck_assert_str_eq(got, want);                                                               \
        free(got);                                                                                 \
    } while (0)

START_TEST(quotes_only_when_needed)
{
    CELL_EQ("alice", "alice");
    CELL_EQ("", "");
    CELL_EQ(NULL, "");
    CELL_EQ("Doe, Jane", "\"Doe, Jane\"");
    CELL_EQ("say \"hi\"", "\"say \"\"hi\"\"\"");
    CELL_EQ("two\nlines", "\"two\nlines\"");
}
END_TEST

START_TEST(formulas_are_neutralised)
{
    CELL_EQ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CELL_EQ("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\"");
    CELL_EQ("-2+3", "\"'-2+3\"");
    CELL_EQ("@SUM(A1)", "\"'@SUM(A1)\"");
    CELL_EQ("\tx", "\"'\tx\"");
    CELL_EQ("\rx", "\"'\rx\"");
    ck_assert(csv_is_formula("=1"));
    ck_assert(!csv_is_formula("a=1"));
}
END_TEST

START_TEST(numbers_stay_numbers)
{
    CELL_EQ("-3", "-3");
    CELL_EQ("+1.5", "+1.5");
    CELL_EQ("42", "42");
    ck_assert(csv_is_formula("-"));
    ck_assert(csv_is_formula("-1.2.3"));
}
END_TEST

START_TEST(unguard_undoes_the_guard_only)
{
    ck_assert_str_eq(csv_unguard("'=1+1"), "=1+1");
    ck_assert_str_eq(csv_unguard("'@x"), "@x");
    ck_assert_str_eq(csv_unguard("'-3"), "'-3"); /* a number is never guarded */
    ck_assert_str_eq(csv_unguard("'quoted'"), "'quoted'");
    ck_assert_str_eq(csv_unguard("=raw"), "=raw");
    ck_assert_str_eq(csv_unguard(""), "");
}
END_TEST

static Suite *csvout_suite(void)
{
    Suite *s = suite_create("csvout");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, quotes_only_when_needed);
    tcase_add_test(tc, formulas_are_neutralised);
    tcase_add_test(tc, numbers_stay_numbers);
    tcase_add_test(tc, unguard_undoes_the_guard_only);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(csvout_suite)
