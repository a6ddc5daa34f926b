/* Unit tests for options.c: the one parser of every command's options,
 * its spellings, its errors and exit codes, its help and dump. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "options.h"
#include "testutil.h"

typedef struct t_opts {
    const char *roster, *subs, *old;
    int k, fmt;
    uint64_t seed;
    size_t bytes;
    double share;
    bool quiet, verbose;
    const char *list[2];
    size_t nlist;
} t_opts;

static const char *const fmts[] = {"text", "json", "sarif", NULL};

static const opt_spec inner[] = {
    OPT_FLAG_('v', "verbose", t_opts, verbose, "more", .flags = OPTF_MARK),
    OPT_END_ENTRY,
};

static const opt_spec table[] = {
    OPT_ROSTER(t_opts, roster, "the roster"),
    OPT_SUBMISSIONS(t_opts, subs, "the folder", .alias = "into"),
    OPT_STRING_(0, "manifest", t_opts, old, "FILE", "old", .flags = OPTF_OBSOLETE,
                .instead = "--submissions"),
    OPT_UINT_('k', NULL, t_opts, k, "N", 1, 100, "reviewers"),
    OPT_UINT_(0, "seed", t_opts, seed, "N", 0, UINT64_MAX, "seed"),
    OPT_UINT_(0, "max-size", t_opts, bytes, "BYTES", 1, 1 << 20, "bytes", .flags = OPTF_MARK),
    OPT_ENUM_("format", t_opts, fmt, "FORMAT", fmts, "format"),
    OPT_THRESHOLD(t_opts, share),
    OPT_FLAG_('q', "quiet", t_opts, quiet, "less", .alias = "quietly"),
    {.kind = OPT_LIST,
     .name = "criterion",
     .arg = "ID",
     .help = "repeatable",
     .off = offsetof(t_opts, list),
     .count_off = offsetof(t_opts, nlist),
     .max = 2},
    OPT_INCLUDE_(inner, 0),
    OPT_HELP_ENTRY,
    OPT_END_ENTRY,
};

static const opt_command cmd = {"t", "usage: grader t\n", table, "exit: 0\n", OPT_ARGS_ANY};

static char errbuf[4096];

/* Parse the NULL-ended words; stderr into errbuf. */
static int run(t_opts *o, opt_result *res, char **words)
{
    int argc = 0;
    static char *argv[32];
    argv[argc++] = "t";
    while (*words)
        argv[argc++] = *words++;
    argv[argc] = NULL;
    *o = (t_opts){.k = 3};
    fflush(stderr);
    FILE *saved = stderr;
    stderr = tmpfile();
    int code = opts_parse(&cmd, argc, argv, o, res);
    rewind(stderr);
    size_t n = fread(errbuf, 1, sizeof errbuf - 1, stderr);
    errbuf[n] = 0;
    fclose(stderr);
    stderr = saved;
    return code;
}

#define RUN(o, res, ...) run(o, res, (char *[]){__VA_ARGS__, NULL})

START_TEST(spellings)
{
    t_opts o;
    opt_result res;
    ck_assert_int_eq(
        RUN(&o, &res, "--roster", "r.csv", "a.md", "-k5", "--seed=7", "-qv", "--", "-b.md"),
        OPTS_CONTINUE);
    ck_assert_str_eq(o.roster, "r.csv");
    ck_assert_int_eq(o.k, 5);
    ck_assert_uint_eq(o.seed, 7);
    ck_assert(o.quiet && o.verbose);
    ck_assert_uint_eq(res.nargs, 2); /* options and arguments in any order, -- ends options */
    ck_assert_str_eq(res.args[0], "a.md");
    ck_assert_str_eq(res.args[1], "-b.md");
    ck_assert_str_eq(res.marked, "verbose"); /* from the included table */
    ck_assert_str_eq(errbuf, "");
    /* an unambiguous prefix; a value that looks like an option */
    ck_assert_int_eq(RUN(&o, &res, "--ros", "-x.csv", "-k", "100", "--seed", "18446744073709551615",
                         "--max-size", "1048576", "--format", "sarif"),
                     OPTS_CONTINUE);
    ck_assert_str_eq(o.roster, "-x.csv");
    ck_assert_int_eq(o.k, 100);
    ck_assert_uint_eq(o.seed, UINT64_MAX);
    ck_assert_uint_eq(o.bytes, 1048576);
    ck_assert_int_eq(o.fmt, 2);
    ck_assert_str_eq(res.marked, "max-size");
}
END_TEST

START_TEST(deprecated_spellings)
{
    t_opts o;
    opt_result res;
    ck_assert_int_eq(RUN(&o, &res, "--into", "subs"), OPTS_CONTINUE);
    ck_assert_str_eq(o.subs, "subs");
    ck_assert_str_eq(errbuf, "grader t: --into is deprecated, use --submissions\n");
    ck_assert_int_eq(RUN(&o, &res, "--qui"), OPTS_CONTINUE); /* a prefix of both: the name */
    ck_assert(o.quiet);
    ck_assert_str_eq(errbuf, "");
    ck_assert_int_eq(RUN(&o, &res, "--int", "s3"), OPTS_CONTINUE); /* of the old name only */
    ck_assert_str_eq(errbuf, "grader t: --into is deprecated, use --submissions\n");
    ck_assert_int_eq(RUN(&o, &res, "--manifest=m.csv"), OPTS_CONTINUE);
    ck_assert_str_eq(o.old, "m.csv");
    ck_assert_str_eq(errbuf, "grader t: --manifest is deprecated, use --submissions\n");
}
END_TEST

START_TEST(usage_errors)
{
    t_opts o;
    opt_result res;
    static const struct {
        char *words[4];
        const char *said;
    } bad[] = {
        {{"--bogus"}, "grader t: unknown option '--bogus'; see 'grader t --help'\n"},
        {{"-x"}, "grader t: unknown option '-x'; see 'grader t --help'\n"},
        {{"--s", "1"}, "grader t: ambiguous option '--s'; see 'grader t --help'\n"},
        {{"--roster"}, "grader t: --roster needs a value\n"},
        {{"--roster", ""}, "grader t: --roster takes a file or folder name, not ''\n"},
        {{"--quiet=yes"}, "grader t: --quiet takes no value\n"},
        {{"-k", "0"}, "grader t: -k takes a number from 1 to 100, not '0'\n"},
        {{"-k", "x"}, "grader t: -k takes a number from 1 to 100, not 'x'\n"},
        {{"-k", "-3"}, "grader t: -k takes a number from 1 to 100, not '-3'\n"},
        {{"-k", "5x"}, "grader t: -k takes a number from 1 to 100, not '5x'\n"},
        {{"--seed", "18446744073709551616"},
         "grader t: --seed takes a number from 0 to 18446744073709551615, not "
         "'18446744073709551616'\n"},
        {{"--format", "xml"}, "grader t: --format takes text, json or sarif, not 'xml'\n"},
        {{"--threshold", "0"}, "grader t: --threshold takes a share in (0, 1], not '0'\n"},
        {{"--threshold", "nan"}, "grader t: --threshold takes a share in (0, 1], not 'nan'\n"},
        {{"--criterion", "a", "--criterion", "b"}, NULL}, /* two is the most: fine */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *w[6] = {0};
        memcpy(w, bad[i].words, sizeof bad[i].words);
        int code = run(&o, &res, w);
        if (!bad[i].said) {
            ck_assert_int_eq(code, OPTS_CONTINUE);
            continue;
        }
        ck_assert_msg(code == EXIT_BADUSE, "%s: exit %d", bad[i].words[0], code);
        ck_assert_str_eq(errbuf, bad[i].said);
    }
    ck_assert_int_eq(RUN(&o, &res, "--criterion", "a", "--criterion", "b", "--criterion", "c"),
                     EXIT_BADUSE);
    ck_assert_str_eq(errbuf, "grader t: --criterion given more than 2 times\n");
}
END_TEST

START_TEST(help_and_dump)
{
    t_opts o;
    opt_result res;
    fflush(stdout);
    FILE *saved = stdout;
    stdout = tmpfile();
    int code = RUN(&o, &res, "--roster", "r", "--help", "--bogus");
    char out[4096];
    rewind(stdout);
    out[fread(out, 1, sizeof out - 1, stdout)] = 0;
    fclose(stdout);
    stdout = saved;
    ck_assert_int_eq(code, EXIT_PASS); /* --help stops before --bogus */
    ck_assert_ptr_nonnull(strstr(out, "usage: grader t\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n  --roster FILE          the roster\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n  -k N                   reviewers\n"));
    ck_assert_ptr_nonnull(strstr(out, "(--into: the old name, deprecated)"));
    ck_assert_ptr_nonnull(strstr(out, "\n  -v, --verbose          more\n"));
    ck_assert_ptr_nonnull(strstr(out, "exit: 0\n"));

    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    opts_dump(&cmd, fp);
    fclose(fp);
    ck_assert_ptr_nonnull(strstr(buf, "t\t--roster\t-\tFILE\tok\t-\n"));
    ck_assert_ptr_nonnull(strstr(buf, "t\t--into\t-\tDIR\tdeprecated\t-\n"));
    ck_assert_ptr_nonnull(strstr(buf, "t\t--manifest\t-\tFILE\tdeprecated\t-\n"));
    ck_assert_ptr_nonnull(strstr(buf, "t\t-\t-k\tN\tok\t-\n"));
    ck_assert_ptr_nonnull(strstr(buf, "t\t--help\t-h\t-\tok\t-\n"));
    ck_assert_ptr_nonnull(strstr(buf, "t\t--format\t-\tFORMAT\tok\ttext json sarif\n"));
    free(buf);
}
END_TEST

static const opt_spec req_table[] = {
    OPT_ROSTER(t_opts, roster, "the roster", .flags = OPTF_REQUIRED),
    OPT_HELP_ENTRY,
    OPT_END_ENTRY,
};
static const opt_command req_cmd = {"r", "usage: grader r\n", req_table, "", OPT_ARGS_NONE};

START_TEST(required)
{
    t_opts o = {0};
    opt_result res;
    char *none[] = {"r", NULL}, *given[] = {"r", "--roster", "x.csv", NULL},
         *help[] = {"r", "--help", NULL};
    FILE *saved = stderr, *out = stdout;
    stderr = fopen("/dev/null", "w");
    stdout = fopen("/dev/null", "w");
    ck_assert_int_eq(opts_parse(&req_cmd, 1, none, &o, &res), EXIT_BADUSE);
    ck_assert_int_eq(opts_parse(&req_cmd, 3, given, &o, &res), OPTS_CONTINUE);
    ck_assert_int_eq(opts_parse(&req_cmd, 2, help, &o, &res), EXIT_PASS); /* help first */
    fclose(stderr);
    fclose(stdout);
    stderr = saved;
    stdout = out;
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, spellings);
    tcase_add_test(tc, deprecated_spellings);
    tcase_add_test(tc, usage_errors);
    tcase_add_test(tc, help_and_dump);
    tcase_add_test(tc, required);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(make_suite)
