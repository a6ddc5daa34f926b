/* Unit tests for csvtab.c, the one CSV reader: its conventions, the schema
 * (required columns, aliases, types), line-numbered errors, and a table of
 * 100,000 rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvtab.h"
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

static const csv_column cols[] = {
    {"id", {"identifier"}, CSV_REQUIRED | CSV_NONEMPTY, CSV_TEXT, 0, 0, NULL},
    {"n", {NULL}, 0, CSV_INT, 0, 100, NULL},
    {"late", {NULL}, 0, CSV_YESNO, 0, 0, NULL},
    {"x", {NULL}, 0, CSV_NUMBER, 0, 0, NULL},
};
static const csv_schema schema = {.what = "table",
                                  .expect = ": not a test table",
                                  .cols = cols,
                                  .ncols = sizeof cols / sizeof cols[0]};

static int load_text(const char *text, const csv_schema *sc, csvtab **t, gr_error *err)
{
    tu_write(dir, "t.csv", text);
    char *p = path_join(dir, "t.csv");
    gr_error_clear(err);
    int rc = csvtab_read(p, sc, t, err);
    free(p);
    return rc;
}

static void expect_error(const char *text, const csv_schema *sc, int line, const char *want)
{
    csvtab *t = NULL;
    gr_error err;
    int rc = load_text(text, sc, &t, &err);
    ck_assert_msg(rc == GR_EINPUT, "rc %d for %s", rc, text);
    ck_assert_ptr_null(t);
    ck_assert_msg(err.line == line, "line %d, expected %d: %s", err.line, line, err.msg);
    ck_assert_msg(strstr(err.msg, want) != NULL, "message '%s' lacks '%s'", err.msg, want);
    ck_assert(strstr(err.file, "t.csv") != NULL);
}

START_TEST(one_convention)
{
    csvtab *t;
    gr_error err;
    ck_assert_int_eq(load_text("\xEF\xBB\xBF Identifier ,N,Other\r\n"
                               "\r\n"
                               "  a  ,\" 7 \",\"two\r\nlines\"\r\n"
                               ",,\r\n"
                               "b\r\n"
                               "c,3,,,\r\n"
                               "d,4,\"say \"\"hi\"\"\"",
                               &schema, &t, &err),
                     0);
    ck_assert_uint_eq(t->ncols, 3);
    ck_assert_str_eq(t->head[0], "Identifier");
    ck_assert_uint_eq(t->nrows, 4); /* the ",," row is skipped */
    ck_assert_int_eq(t->col[0], 0); /* found by its alias */
    ck_assert_int_eq(t->col[1], 1);
    ck_assert(!csvtab_has(t, 2));
    ck_assert_str_eq(csvtab_get(t, 0, 0), "a");
    ck_assert_str_eq(csvtab_get(t, 0, 1), "7");
    ck_assert_str_eq(csvtab_get(t, 0, 2), ""); /* no such column */
    ck_assert_str_eq(t->rows[0][2], "two\r\nlines");
    ck_assert_int_eq(t->line[0], 3);
    ck_assert_str_eq(t->rows[1][1], ""); /* short row padded */
    ck_assert_int_eq(t->line[1], 6);
    ck_assert_int_eq(t->line[2], 7);
    ck_assert_str_eq(csvtab_cell(t, 3, csvtab_col(t, "OTHER")), "say \"hi\"");
    ck_assert_str_eq(csvtab_cell(t, 3, -1), "");
    char *own = csvtab_strndup(t, "abcdef", 3);
    ck_assert_str_eq(own, "abc");
    csvtab_free(t);
    csvtab_free(NULL);
}
END_TEST

START_TEST(schema_errors)
{
    expect_error("name,n\nx,1\n", &schema, 1, "no id column in the header: not a test table");
    expect_error("id,n,N\na,1,2\n", &schema, 1, "column \"N\" appears twice");
    expect_error("id,n\na,1\n,2\n", &schema, 3, "no value in column id");
    expect_error("id,n\na,1\nb,101\n", &schema, 3,
                 "n \"101\": expected a whole number from 0 to 100");
    expect_error("id,n\na,x1\n", &schema, 2, "whole number");
    expect_error("id,late\na,maybe\n", &schema, 2, "late \"maybe\": expected yes or no");
    expect_error("id,x\na,1.5\nb,inf\n", &schema, 3, "x \"inf\": expected a number");
    expect_error("", &schema, 0, "empty table: expected a header row");
    expect_error("\n\n", NULL, 0, "empty file");
    csv_schema uniq = schema;
    uniq.unique_header = true;
    expect_error("id,a,A\nx,1,2\n", &uniq, 1, "column \"A\" appears twice");
    csv_schema small = schema;
    small.max_field = 4;
    expect_error("id\nabcd\nabcde\n", &small, 3, "a field over 4 bytes");
}
END_TEST

START_TEST(csv_errors)
{
    expect_error("id,n\na,1,extra\n", &schema, 2, "3 fields, but the header has 2 columns");
    expect_error("id,n\na,1\nb\"c,2\n", &schema, 3, "malformed CSV");
    expect_error("id,n\na,\"x\ny\nz\",1\nb,2,3\n", NULL, 2, "3 fields");
    expect_error("id,n\na,1\nb,\"2\n\nmore\n", &schema, 3, "never closed");
    tu_write(dir, "nul.csv", "");
    char *p = path_join(dir, "nul.csv");
    FILE *fp = fopen(p, "wb");
    fwrite("id\na\0b\n", 1, 7, fp);
    fclose(fp);
    csvtab *t = NULL;
    gr_error err = {0};
    ck_assert_int_eq(csvtab_read(p, &schema, &t, &err), GR_EINPUT);
    ck_assert(strstr(err.msg, "NUL") != NULL);
    ck_assert_int_eq(err.line, 2);
    /* the file cap is the caller's: an instructor's file, not a post */
    ck_assert_int_eq(csvtab_load(p, 3, &t, &err), GR_ELIMIT);
    ck_assert(strstr(err.msg, "limit") != NULL);
    free(p);
    p = path_join(dir, "missing.csv");
    ck_assert_int_eq(csvtab_read(p, NULL, &t, &err), GR_EINPUT);
    ck_assert_str_eq(err.file, p);
    free(p);
}
END_TEST

/* 100,000 rows (about 5 MB, five times the cap of a post): every row read,
 * with its line, in one pass. */
START_TEST(hundred_thousand_rows)
{
    enum { N = 100000 };
    char *p = path_join(dir, "big.csv");
    FILE *fp = fopen(p, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("id,n,late,comment\n", fp);
    for (int i = 0; i < N; i++) {
        if (i == 500)
            fputs("s500,0,no,\"a comment\nover two lines\"\n", fp);
        else
            fprintf(fp, "s%d,%d,%s,some words of a comment for row %d\n", i, i % 101,
                    i % 2 ? "yes" : "no", i);
    }
    fclose(fp);
    csvtab *t = NULL;
    gr_error err = {0};
    ck_assert_msg(csvtab_read(p, &schema, &t, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(t->nrows, N);
    for (size_t i = 0; i < N; i += 997) {
        char want[32];
        snprintf(want, sizeof want, "s%zu", i);
        ck_assert_str_eq(csvtab_get(t, i, 0), want);
        ck_assert_int_eq(t->line[i], (int)i + 2 + (i > 500));
    }
    ck_assert_str_eq(t->rows[500][3], "a comment\nover two lines");
    ck_assert_str_eq(t->rows[N - 1][2], "yes");
    ck_assert_int_eq(t->line[N - 1], N + 2);
    csvtab_free(t);
    free(p);
}
END_TEST

START_TEST(parse_int)
{
    long long v = 0;
    ck_assert(csv_parse_int("42", 0, 100, &v));
    ck_assert_int_eq(v, 42);
    ck_assert(!csv_parse_int("", 0, 100, &v));
    ck_assert(!csv_parse_int("4 2", 0, 100, &v));
    ck_assert(!csv_parse_int("-1", 0, 100, &v));
    ck_assert(!csv_parse_int("99999999999999999999", 0, 100, &v));
}
END_TEST

static Suite *csvtab_suite(void)
{
    Suite *s = suite_create("csvtab");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, one_convention);
    tcase_add_test(tc, schema_errors);
    tcase_add_test(tc, csv_errors);
    tcase_add_test(tc, hundred_thousand_rows);
    tcase_add_test(tc, parse_int);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(csvtab_suite)
