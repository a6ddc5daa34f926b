/* Unit tests for fetch_args.c: the options of grader fetch, parsed once for
 * fetch and grade --fetch: defaults, values, bad values, the merged table. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fetch_args.h"
#include "testutil.h"
#include "util.h"

typedef struct with_fetch {
    fetch_args fa;
    bool fetch;
} with_fetch;

static const opt_spec table[] = {
    OPT_FLAG_(0, "fetch", with_fetch, fetch, "the command's own"),
    OPT_INCLUDE_(fetch_args_options, offsetof(with_fetch, fa)),
    OPT_END_ENTRY,
};
static const opt_command command = {"test", "", table, "", OPT_ARGS_NONE};

/* Parse argv with the fetch table included, as cmd_grade does. Returns
 * -1 on a bad value, else the number of options not of fetch. */
static int parse(fetch_args *a, int argc, char **argv)
{
    with_fetch w;
    fetch_args_init(&w.fa);
    w.fetch = false;
    opt_result res;
    int code = opts_parse(&command, argc, argv, &w, &res);
    *a = w.fa;
    a->o.token_hosts = a->token_hosts;
    a->fetch_only = res.marked;
    return code == OPTS_CONTINUE ? w.fetch : -1;
}

START_TEST(defaults_in_one_place)
{
    fetch_args a;
    char *argv[] = {"x", "--roster", "r.csv", NULL};
    ck_assert_int_eq(parse(&a, 3, argv), 0);
    ck_assert_str_eq(a.o.into, "submissions");
    ck_assert_int_eq(a.o.jobs, 8);
    ck_assert_int_eq(a.o.timeout, 300);
    ck_assert_int_eq(a.o.retries, 2);
    ck_assert_uint_eq(a.o.max_post, GR_MAX_INPUT);
    ck_assert(!a.o.has_deadline && !a.path && !a.fetch_only);
    ck_assert_ptr_null(fetch_args_document(&a, NULL)); /* the rubric's document decides */
}
END_TEST

START_TEST(every_option)
{
    fetch_args a;
    char *argv[] = {"x",
                    "--roster",
                    "r.csv",
                    "--repo-template",
                    "file:///s/{id}",
                    "--submissions",
                    "subs",
                    "--path",
                    "0x19-postmortem/Blog_Post.md",
                    "--rubric",
                    "my.yml",
                    "--deadline",
                    "2024-04-12T23:59:00+02:00",
                    "-j",
                    "3",
                    "--timeout",
                    "0",
                    "--retries",
                    "5",
                    "--max-size",
                    "4096",
                    "-v",
                    "--fetch",
                    NULL};
    int argc = (int)(sizeof argv / sizeof argv[0]) - 1;
    ck_assert_int_eq(parse(&a, argc, argv), 1); /* --fetch is the command's own */
    ck_assert_str_eq(a.roster_path, "r.csv");
    ck_assert_str_eq(a.o.repo_template, "file:///s/{id}");
    ck_assert_str_eq(a.o.into, "subs");
    ck_assert_str_eq(fetch_args_document(&a, NULL), "0x19-postmortem/Blog_Post.md");
    ck_assert_str_eq(a.rubric_path, "my.yml");
    ck_assert(a.o.has_deadline);
    ck_assert_int_eq(a.o.deadline, 1712959140);
    ck_assert_int_eq(a.o.jobs, 3);
    ck_assert_int_eq(a.o.timeout, 0);
    ck_assert_int_eq(a.o.retries, 5);
    ck_assert_uint_eq(a.o.max_post, 4096);
    ck_assert_int_eq(a.verbosity, 1);
    ck_assert_str_eq(a.fetch_only, "jobs"); /* the first given that needs fetching */
    char *q[] = {"x", "-q", "--roster", "r.csv", NULL};
    ck_assert_int_eq(parse(&a, 4, q), 0);
    ck_assert_int_eq(a.verbosity, -1);
    ck_assert_ptr_null(a.fetch_only);
}
END_TEST

START_TEST(bad_values)
{
    fetch_args a;
    char *v1[] = {"x", "-j", "0", NULL}, *v2[] = {"x", "--timeout", "soon", NULL},
         *v3[] = {"x", "--retries", "11", NULL}, *v4[] = {"x", "--max-size", "0", NULL},
         *v5[] = {"x", "--deadline", "2024-04-12T23:59", NULL},
         *v6[] = {"x", "--path", "p.md", NULL}; /* no --roster */
    char **all[] = {v1, v2, v3, v4, v5, v6};
    /* the messages go to stderr: keep the test's output clean */
    FILE *saved = stderr;
    stderr = fopen("/dev/null", "w");
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        ck_assert_int_eq(parse(&a, 3, all[i]), -1);
    fclose(stderr);
    stderr = saved;
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("fetch_args");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, defaults_in_one_place);
    tcase_add_test(tc, every_option);
    tcase_add_test(tc, bad_values);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(make_suite)
