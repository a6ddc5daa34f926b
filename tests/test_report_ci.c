/* report_ci: GitHub workflow-command escaping (a hostile file name or
 * message can neither end a command early nor start another), the
 * annotations' lines and levels, SARIF URIs and Markdown cells. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_ci.h"
#include "rubric.h"
#include "score.h"
#include "testutil.h"
#include "util.h"

static const char rubric_text[] =
    "rubric: Tiny\n"
    "document: post.md\n"
    "pass: 50\n"
    "sections:\n"
    "  summary: {names: [Summary]}\n"
    "criteria:\n"
    "  - {id: title, points: 2, check: title, description: 'A title', hint: 'Add a title'}\n"
    "  - id: summary\n"
    "    points: 3\n"
    "    check: section\n"
    "    section: summary\n"
    "    description: 'A summary'\n"
    "    hint: |\n"
    "      Add a Summary heading.\n"
    "      ::error::this hint is two lines, 100% of them text\n"
    "  - {id: image, points: 1, bonus: true, check: image, description: 'An image', hint: "
    "'Add one'}\n";

static rubric *tiny(void)
{
    rubric *r = NULL;
    gr_error err = {0};
    int rc = rubric_parse("tiny.yml", rubric_text, strlen(rubric_text), &r, &err);
    ck_assert_msg(rc == 0, "%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    return r;
}

static score_result *score(const rubric *r, const char *file, const char *text)
{
    score_result *res = NULL;
    gr_error err = {0};
    ck_assert_int_eq(score_post(r, file, text, strlen(text), &res, &err), 0);
    return res;
}

static char *capture_github(const rubric *r, const score_result *res, bool notices)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(fp);
    report_github(fp, r, res, notices);
    fclose(fp);
    return buf;
}

static size_t count_lines_starting(const char *text, const char *prefix)
{
    size_t n = 0;
    for (const char *p = text; p && *p;) {
        if (!strncmp(p, prefix, strlen(prefix)))
            n++;
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return n;
}

START_TEST(escape_data_and_property)
{
    strbuf sb;
    sb_init(&sb);
    github_escape_data(&sb, "50% done\r\nnext: a, b");
    ck_assert_str_eq(sb_str(&sb), "50%25 done%0D%0Anext: a, b");
    sb_reset(&sb);
    github_escape_property(&sb, "50% done\r\nnext: a, b");
    ck_assert_str_eq(sb_str(&sb), "50%25 done%0D%0Anext%3A a%2C b");
    sb_reset(&sb);
    github_escape_property(&sb, "%0A");
    ck_assert_str_eq(sb_str(&sb), "%250A"); /* not decoded into a newline */
    sb_free(&sb);
}
END_TEST

START_TEST(one_annotation_per_missed_criterion)
{
    rubric *r = tiny();
    /* no title, no summary, no image: two errors and a warning (bonus) */
    score_result *res = score(r, "dir,a:b/evil\n::error::x.md", "- a list\n");
    char *out = capture_github(r, res, false);
    ck_assert_uint_eq(count_lines_starting(out, "::error "), 2);
    ck_assert_uint_eq(count_lines_starting(out, "::warning "), 1);
    ck_assert_uint_eq(count_lines_starting(out, "::notice "), 0);
    /* the file name's newline, ':' and ',' are escaped, so it injects nothing */
    ck_assert_msg(count_lines_starting(out, "::") == 3, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "::error file=dir%2Ca%3Ab/evil%0A%3A%3Aerror%3A%3Ax.md,"));
    /* the hint's own newline and '%' are escaped; its "::error::" stays data */
    ck_assert_ptr_nonnull(strstr(out, "hint: Add a Summary heading.%0A::error::this hint is two "
                                      "lines, 100%25 of them text"));
    ck_assert_ptr_nonnull(strstr(out, "title=grader%3A summary (0/3 pts)::"));
    ck_assert_ptr_nonnull(strstr(out, "title=grader%3A image (0/1 pt%2C bonus)::"));
    ck_assert_ptr_nonnull(strstr(out, "\ngrader: "));
    free(out);
    score_result_free(res);
    rubric_free(r);
}
END_TEST

START_TEST(notices_and_lines)
{
    rubric *r = tiny();
    score_result *res = score(r, "post.md", "# A title\n\nSome words.\n\n## Summary\n\nText.\n");
    char *out = capture_github(r, res, true);
    ck_assert_uint_eq(count_lines_starting(out, "::notice "), 2);
    ck_assert_uint_eq(count_lines_starting(out, "::warning "), 1);
    ck_assert_uint_eq(count_lines_starting(out, "::error "), 0);
    /* the summary's annotation is on its heading's line, as in the text report */
    int line = -1;
    for (size_t i = 0; i < res->n; i++)
        if (!strcmp(res->items[i].c->id, "summary"))
            line = res->items[i].line;
    ck_assert_int_eq(line, 5);
    ck_assert_ptr_nonnull(
        strstr(out, "::notice file=post.md,line=5,col=1,title=grader%3A summary"));
    free(out);
    out = capture_github(r, res, false);
    ck_assert_uint_eq(count_lines_starting(out, "::notice "), 0);
    free(out);
    score_result_free(res);
    rubric_free(r);
}
END_TEST

START_TEST(sarif_uris_and_structure)
{
    rubric *r = tiny();
    score_result *res = score(r, "my post#1?.md", "- a list\n");
    score_result *abs = score(r, "/tmp/x y/\xc3\xa9.md", "- a list\n");
    sarif_log log;
    sarif_init(&log, r, false);
    sarif_add(&log, res);
    sarif_add(&log, abs);
    strbuf out;
    sb_init(&out);
    ck_assert(sarif_finish(&log, &out));
    const char *s = sb_str(&out);
    ck_assert_ptr_nonnull(strstr(s, "\"uri\":\"my%20post%231%3F.md\""));
    ck_assert_ptr_nonnull(strstr(s, "\"uri\":\"file:///tmp/x%20y/%C3%A9.md\""));
    ck_assert_int_eq(strncmp(s, "{\"version\":\"2.1.0\"", 18), 0);
    ck_assert_ptr_nonnull(strstr(s, "\"executionSuccessful\":true"));
    sb_free(&out);
    sarif_free(&log);

    sarif_init(&log, r, false);
    sarif_add_error(&log, "gone.md", "gone.md: cannot open");
    sb_init(&out);
    ck_assert(sarif_finish(&log, &out));
    ck_assert_ptr_nonnull(strstr(sb_str(&out), "\"executionSuccessful\":false"));
    ck_assert_ptr_nonnull(strstr(sb_str(&out), "\"results\":[]"));
    sb_free(&out);
    sarif_free(&log);
    score_result_free(abs);
    score_result_free(res);
    rubric_free(r);
}
END_TEST

START_TEST(markdown_cells_are_text)
{
    rubric *r = tiny();
    score_result *res = score(r, "a|b <script>@all*.md", "- a list\n");
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    report_markdown(fp, r, res);
    fclose(fp);
    ck_assert_ptr_nonnull(strstr(buf, "a\\|b &lt;script&gt;\\@all\\*.md"));
    ck_assert_ptr_null(strstr(buf, "<script>"));
    /* one row per criterion, a header and its rule */
    ck_assert_uint_eq(count_lines_starting(buf, "| "), r->ncriteria + 1);
    ck_assert_uint_eq(count_lines_starting(buf, "|---"), 1);
    /* the hint's newline does not break its row */
    ck_assert_ptr_nonnull(strstr(buf, "Add a Summary heading. ::error::this hint"));
    free(buf);
    score_result_free(res);
    rubric_free(r);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("report_ci");
    TCase *tc = tcase_create("report_ci");
    tcase_add_test(tc, escape_data_and_property);
    tcase_add_test(tc, one_annotation_per_missed_criterion);
    tcase_add_test(tc, notices_and_lines);
    tcase_add_test(tc, sarif_uris_and_structure);
    tcase_add_test(tc, markdown_cells_are_text);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(make_suite)
