/* times: lines that begin with a time or a date, as timeline entries do,
 * and runs of them. */
#include <stdlib.h>
#include <string.h>

#include "outline.h"
#include "testutil.h"
#include "times.h"

START_TEST(line_starts)
{
    const char *yes[] = {"10:45 AM - alert",         "- 2024-04-10 09:00 UTC: deploy",
                         "**May 3, 14:05** paged",   "At 9 pm the site fell over",
                         "9/10 7:55 PT - complaint", "1400 hrs: rollback",
                         "| 10:00 | alert |",        "January 10, 7:00 AM: began",
                         "10 p.m. - restored",       "04-12-2022 7:23 AM GMT+1 - ticket"};
    const char *no[] = {"The outage began at 10:45.",
                        "2 engineers joined",
                        "Maybe 3 of us",
                        "Mayhem at 10:00",
                        "",
                        "10.5% of users",
                        "On call: Ada"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        ck_assert_msg(times_line_starts(yes[i]), "\"%s\" should start with a time", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        ck_assert_msg(!times_line_starts(no[i]), "\"%s\" should not", no[i]);
}
END_TEST

START_TEST(line_ends)
{
    const char *yes[] = {"- The deploy goes out to every server (15:02 CET).",
                         "- We restart Apache, no change (~09:40)",
                         "Rollback finished on both web nodes - 10:40",
                         "The pager fires for the on-call engineer \xe2\x80\x94 9:05 PM",
                         "**Support forwards the ticket to us (at 10:05)**"};
    const char *no[] = {
        "Start: May 3 (10:00 UTC)",       "Duration: 2 hours (10:00 - 12:00)",
        "We fixed it (see 10:40)",        "The site was down for many hours (2 of them)",
        "Ten users wrote to us - 10% of", "We restarted it at 10:40"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        ck_assert_msg(times_line_ends(yes[i]), "\"%s\" should end with a time", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        ck_assert_msg(!times_line_ends(no[i]), "\"%s\" should not", no[i]);
}
END_TEST

/* text's outline, and a starts[] with no line naming a section */
static outline *parse_unnamed(const char *text, int **starts)
{
    outline *o = NULL;
    gr_error err = {0};
    ck_assert_int_eq(outline_parse(text, strlen(text), &o, &err), 0);
    *starts = malloc(o->nlines * sizeof **starts);
    ck_assert_ptr_nonnull(*starts);
    for (size_t i = 0; i < o->nlines; i++)
        (*starts)[i] = -1;
    return o;
}

START_TEST(clock_times)
{
    ck_assert_uint_eq(times_count("At 19:40 the alert went red; by 9:05 PM it was over."), 2);
    ck_assert_uint_eq(times_count("07:05 UTC - restarted"), 1);
    /* ratios, seconds, versions and ports are no clock times */
    ck_assert_uint_eq(times_count("a 16:9 screen, 10:30:15, v1:234, host:8080, 25:99"), 0);
    ck_assert_uint_eq(times_count("Note: none"), 0);
    ck_assert_uint_eq(times_count(""), 0);
}
END_TEST

START_TEST(runs)
{
    int *starts;
    outline *o = parse_unnamed("# T\n\nIntro.\n\n10:00 - a\n10:10 - b\nnot a time\n10:20 - c\n"
                               "wrapped on\n\nLater.\n\n11:00 - x\n11:05 - y\n",
                               &starts);
    size_t rf = 0, rt = 0;
    ck_assert(times_run(o, starts, 0, &rf, &rt));
    ck_assert_int_eq(o->lines[rf].line, 5);
    ck_assert_int_eq(o->lines[rt - 1].line, 9); /* the wrapped line belongs to the last entry */
    /* a heading or a section name inside breaks the run */
    starts[rf + 1] = -2;
    ck_assert(!times_run(o, starts, 0, &rf, &rt));
    free(starts);
    outline_free(o);
}
END_TEST

/* entries that carry their times at the end are a run too */
START_TEST(runs_times_last)
{
    int *starts;
    outline *o = parse_unnamed(
        "# T\n\n## How it went\n\n- A customer emails support about checkout (09:15)\n"
        "- Support forwards the email to us on Slack (09:30)\n"
        "- We restart Apache on the web server, no change (09:40)\n",
        &starts);
    size_t rf = 0, rt = 0;
    ck_assert(times_run(o, starts, 0, &rf, &rt));
    ck_assert_int_eq(o->lines[rf].line, 5);
    ck_assert_int_eq(o->lines[rt - 1].line, 7);
    free(starts);
    outline_free(o);
}
END_TEST

static Suite *times_suite(void)
{
    Suite *s = suite_create("times");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, line_starts);
    tcase_add_test(tc, line_ends);
    tcase_add_test(tc, clock_times);
    tcase_add_test(tc, runs);
    tcase_add_test(tc, runs_times_last);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(times_suite)
