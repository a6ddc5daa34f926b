/* Tests for serve_review.c and serve_pages.c: a form into a review (the
 * collect validator's messages), and escaping in the pages. */
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "serve_pages.h"
#include "serve_review.h"
#include "testutil.h"
#include "util.h"

static const char RUBRIC[] = "rubric: t\ndocument: B.md\npass: 50\ncriteria:\n"
                             "  - id: title\n    points: 3\n    check: title\n"
                             "    description: d\n    hint: h\n"
                             "  - id: length\n    points: 7\n    check: words\n    min: 1\n"
                             "    description: d\n    hint: h\n";

static rubric *rb;

static void setup(void)
{
    gr_error err = {0};
    ck_assert_msg(!rubric_parse("r.yml", RUBRIC, strlen(RUBRIC), &rb, &err), "%s", err.msg);
}

static void teardown(void)
{
    rubric_free(rb);
}

/* Parse body into a review: the return code, *r filled, msg the error. */
static int review(const char *body, db_review *r, char *msg)
{
    form f;
    gr_error err = {0};
    form_limits lim = {64, 32, 20000};
    ck_assert_int_eq(form_parse(body, strlen(body), &lim, &f, &err), 0);
    memset(r, 0, sizeof *r);
    int rc = review_from_form(&f, rb, r, &err);
    strcpy(msg, err.msg);
    form_free(&f);
    return rc;
}

START_TEST(submit_fills_points)
{
    db_review r;
    char msg[1024];
    ck_assert_int_eq(review("action=submit&m_0=1&m_1=0&c_0=a%0D%0Ab&overall=x", &r, msg), 0);
    ck_assert_int_eq(r.state, DB_SUBMITTED);
    ck_assert(r.items[0].has_points && r.items[0].points == 3);
    ck_assert(r.items[1].has_points && r.items[1].points == 0);
    ck_assert(r.score == 3);
    ck_assert_str_eq(r.items[0].comment, "a\nb"); /* CRLF from the browser stored as LF */
    db_review_free(&r);
    ck_assert_int_eq(review("action=submit&m_0=1&p_0=1.5&m_1=0&p_1=2", &r, msg), 0);
    ck_assert(r.score == 3.5);
    db_review_free(&r);
}
END_TEST

START_TEST(refusals)
{
    db_review r;
    char msg[1024];
    ck_assert_int_eq(review("action=submit&m_0=1", &r, msg), GR_EINPUT);
    ck_assert_str_eq(msg, "length: choose met or not met (every criterion, to submit)");
    ck_assert_str_eq(r.items[0].comment, ""); /* what was typed comes back */
    db_review_free(&r);
    ck_assert_int_eq(review("action=submit&m_0=1&m_1=1&p_1=8", &r, msg), GR_EINPUT);
    ck_assert_str_eq(msg, "criterion length: 8 is out of range 0..7");
    db_review_free(&r);
    ck_assert_int_eq(review("action=submit&m_0=1&m_1=1&p_0=x&c_1=kept", &r, msg), GR_EINPUT);
    ck_assert_str_eq(msg, "criterion title: 'x' is not a number");
    ck_assert_str_eq(r.items[1].comment, "kept");
    db_review_free(&r);
    ck_assert_int_eq(review("action=submit&m_0=yes&m_1=1", &r, msg), GR_EINPUT);
    ck_assert(strstr(msg, "met or not met"));
    db_review_free(&r);
    ck_assert_int_eq(review("m_0=1&m_1=1", &r, msg), GR_EINPUT);
    ck_assert(strstr(msg, "Save draft or Submit"));
    db_review_free(&r);
    ck_assert_int_eq(review("action=draft&p_1=inf", &r, msg), GR_EINPUT);
    db_review_free(&r);
}
END_TEST

START_TEST(drafts_may_be_partial)
{
    db_review r;
    char msg[1024];
    ck_assert_int_eq(review("action=draft&m_0=1&p_1=4", &r, msg), 0);
    ck_assert_int_eq(r.state, DB_DRAFT);
    ck_assert(!r.items[0].has_points); /* a draft leaves empty points empty */
    ck_assert(r.items[1].has_points && r.items[1].points == 4);
    ck_assert_int_eq(r.items[1].met, -1);
    db_review_free(&r);
    ck_assert_int_eq(review("action=draft", &r, msg), 0);
    db_review_free(&r);
}
END_TEST

START_TEST(markdown_is_safe)
{
    strbuf sb;
    sb_init(&sb);
    const char *md = "# T <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
                     "[a](javascript:alert(3)) [b](data:text/html,x) `<b>`\n";
    page_markdown(&sb, md, strlen(md));
    const char *h = sb_str(&sb);
    ck_assert_ptr_null(strstr(h, "<script"));
    ck_assert_ptr_null(strstr(h, "onerror"));
    ck_assert_ptr_null(strstr(h, "javascript:"));
    ck_assert_ptr_null(strstr(h, "data:text"));
    ck_assert_ptr_nonnull(strstr(h, "<code>&lt;b&gt;</code>"));
    sb_free(&sb);
}
END_TEST

START_TEST(pages_escape)
{
    strbuf sb;
    sb_init(&sb);
    db_item items[2] = {{1, 3, true, "</textarea><script>x</script>"}, {-1, 0, false, ""}};
    db_review r = {.n = 7,
                   .author_name = "<b>Al</b>",
                   .reviewer_name = "Zed Quill",
                   .overall = "\"><i>o</i>",
                   .items = items,
                   .nitems = 2,
                   .state = DB_DRAFT};
    page_ctx c = {.rb = rb, .csrf = "0123456789abcdef0123456789abcdef", .anonymous = 0};
    page_review(&sb, &c, &r, 1, "x", 1, "<b>bad</b>", NULL);
    const char *h = sb_str(&sb);
    ck_assert_ptr_nonnull(strstr(h, "&lt;/textarea&gt;&lt;script&gt;"));
    ck_assert_ptr_nonnull(strstr(h, "&lt;b&gt;Al&lt;/b&gt;")); /* anonymous none: shown, escaped */
    ck_assert_ptr_nonnull(strstr(h, "&quot;&gt;&lt;i&gt;o"));
    ck_assert_ptr_nonnull(strstr(h, "&lt;b&gt;bad&lt;/b&gt;"));
    ck_assert_ptr_null(strstr(h, "<script"));
    ck_assert_ptr_nonnull(strstr(h, "value=\"0123456789abcdef0123456789abcdef\""));
    sb_reset(&sb);
    c.anonymous = ANON_AUTHORS | ANON_REVIEWERS;
    page_review(&sb, &c, &r, 1, "x", 1, NULL, NULL);
    ck_assert_ptr_null(strstr(sb_str(&sb), "&lt;b&gt;Al"));
    sb_reset(&sb);
    page_feedback(&sb, &c, "Me", &r, 1, NULL);
    ck_assert_ptr_null(strstr(sb_str(&sb), "Zed Quill"));
    c.anonymous = ANON_AUTHORS;
    sb_reset(&sb);
    page_feedback(&sb, &c, "Me", &r, 1, NULL);
    ck_assert_ptr_nonnull(strstr(sb_str(&sb), "Zed Quill"));
    sb_free(&sb);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("serve");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, submit_fills_points);
    tcase_add_test(tc, refusals);
    tcase_add_test(tc, drafts_may_be_partial);
    tcase_add_test(tc, markdown_is_safe);
    tcase_add_test(tc, pages_escape);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(make_suite)
