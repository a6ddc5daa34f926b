/* options.h - every command's options, declared once as a table (in the
 * spirit of git's parse-options and tmux's cmd_entry): the parser, the
 * --help text, the error wording and the exit status all come from it, and
 * `grader --dump-options` prints it for the test that holds the man page
 * and the bash completion to it (tests/e2e_options.sh).
 *
 *     typedef struct my_opts { const char *roster; int k; bool quiet; } my_opts;
 *     static const opt_spec my_table[] = {
 *         OPT_ROSTER(my_opts, roster, "class roster"),
 *         OPT_UINT_('k', NULL, my_opts, k, "N", 1, 100, "reviewers per author"),
 *         OPT_FLAG_('q', "quiet", my_opts, quiet, "print less", .alias = "silent"),
 *         OPT_HELP_ENTRY,
 *         OPT_END_ENTRY,
 *     };
 *     const opt_command my_command = {"mine", "usage: grader mine ...\n\n", my_table,
 *                                     "\nexit: ...\n", OPT_ARGS_NONE};
 *     my_opts o = {.k = 3};
 *     opt_result res;
 *     int code = opts_parse(&my_command, argc, argv, &o, &res);
 *     if (code != OPTS_CONTINUE)
 *         return code;            EXIT_PASS after --help, EXIT_BADUSE on a usage error
 *     res.args[0 .. res.nargs-1]  the arguments that are not options
 */
#ifndef GRADER_OPTIONS_H
#define GRADER_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

typedef enum opt_kind {
    OPT_END = 0, /* ends a table */
    OPT_FLAG,    /* bool = true */
    OPT_SET,     /* int = val */
    OPT_UINT,    /* a whole number in [min, max], into an int, size_t or uint64_t */
    OPT_DOUBLE,  /* a number in [dmin, dmax] ((dmin, dmax] with OPTF_OPEN_MIN) */
    OPT_STRING,  /* const char *: the argument itself */
    OPT_PATH,    /* the same, never empty: a file or folder */
    OPT_ENUM,    /* int: the index of the argument in choices */
    OPT_LIST,    /* repeatable: const char *[max] at off, its size_t count at count_off */
    OPT_CALL,    /* call(base, arg, err): a value with its own syntax (K/N, a time) */
    OPT_HELP,    /* print the help, exit 0 */
    OPT_INCLUDE, /* the entries of table, their offsets counted from off */
    OPT_TEXT,    /* only help text: a heading, or the arguments (FILE...) */
} opt_kind;

enum {
    OPTF_OPEN_MIN = 1,  /* OPT_DOUBLE: min itself is refused */
    OPTF_MARK = 2,      /* opt_result.marked names the first of these given */
    OPTF_INDENT = 4,    /* shown under the entry above it (--help) */
    OPTF_HIDDEN = 8,    /* parsed, never shown (nor in the man page or completion) */
    OPTF_OBSOLETE = 16, /* deprecated (instead names what to use); shown as such */
    OPTF_REQUIRED = 32, /* not given: a usage error */
};

typedef struct opt_spec {
    opt_kind kind;
    char letter;      /* the short option, 0: none */
    const char *name; /* the long option without "--", NULL: none */
    const char *arg;  /* the value's name in --help (FILE, text|json); NULL: a flag */
    const char *help; /* its lines in --help, '\n' between them */
    size_t off;       /* where the value goes: offsetof into the parsed struct */
    size_t size;      /* OPT_UINT: the size of that field */
    unsigned long long min, max;
    double dmin, dmax;
    const char *what;           /* the error's "takes WHAT" (default "a number") */
    const char *const *choices; /* OPT_ENUM, NULL-ended */
    int (*call)(void *base, const char *arg, gr_error *err); /* OPT_CALL */
    const struct opt_spec *table;                            /* OPT_INCLUDE */
    size_t count_off;                                        /* OPT_LIST: the count (size_t) */
    int val;                                                 /* OPT_SET */
    const char *alias;   /* an older spelling, still taken with a note */
    const char *instead; /* OPTF_OBSOLETE: the option to use now */
    unsigned flags;
} opt_spec;

typedef enum opt_args {
    OPT_ARGS_NONE, /* a non-option argument is a usage error */
    OPT_ARGS_ANY,  /* handed to the command in opt_result */
} opt_args;

typedef struct opt_command {
    const char *name;     /* "grade": messages read "grader grade: ..." */
    const char *intro;    /* --help before the options: usage lines, what it does */
    const opt_spec *opts; /* ended by OPT_END */
    const char *outro;    /* --help after the options: exit codes */
    opt_args args;
} opt_command;

typedef struct opt_result {
    char **args; /* the non-option arguments, in order (inside argv) */
    size_t nargs;
    const char *marked; /* "--jobs": the first OPTF_MARK option given; NULL: none */
} opt_result;

/* Returned by opts_parse when the command is to go on. */
#define OPTS_CONTINUE (-1)

/* Parse argv[1..argc-1] (argv[0] is the command) into base: long options
 * as --name VALUE or --name=VALUE or any unambiguous prefix, short ones
 * as -x VALUE, -xVALUE or grouped (-qv), "--" ends the options, options
 * and arguments in any order; an OPTF_REQUIRED one missing is an error
 * (after --help). Reorders argv. Returns OPTS_CONTINUE, or
 * the exit code when the command is to stop: EXIT_PASS after --help
 * (printed on stdout), EXIT_BADUSE after a usage error (said on stderr as
 * "grader CMD: ..."). */
int opts_parse(const opt_command *c, int argc, char **argv, void *base, opt_result *res);

/* The --help text generated from c. */
void opts_help(const opt_command *c, FILE *fp);

/* One line per option shown:
 * "CMD<TAB>--long<TAB>-x<TAB>ARG<TAB>state<TAB>choices", "-" where there
 * is none, state "ok" or "deprecated" (an alias or an obsolete option),
 * choices an OPT_ENUM's, space-separated; for tests/e2e_options.sh. */
void opts_dump(const opt_command *c, FILE *fp);

/* ---- shared entries: one declaration each, reused by every command ---- */

/* The last argument, the help, may be followed by more designators
 * (", .flags = OPTF_MARK"). */
#define OPT_FIELD_(T, f) .off = offsetof(T, f)
#define OPT_FLAG_(l, n, T, f, ...)                                                                 \
    {                                                                                              \
        .kind = OPT_FLAG, .letter = l, .name = n, OPT_FIELD_(T, f), .help = __VA_ARGS__            \
    }
#define OPT_SET_(l, n, T, f, v, ...)                                                               \
    {                                                                                              \
        .kind = OPT_SET, .letter = l, .name = n, OPT_FIELD_(T, f), .val = v, .help = __VA_ARGS__   \
    }
#define OPT_STRING_(l, n, T, f, a, ...)                                                            \
    {                                                                                              \
        .kind = OPT_STRING, .letter = l, .name = n, .arg = a, OPT_FIELD_(T, f),                    \
        .help = __VA_ARGS__                                                                        \
    }
#define OPT_PATH_(l, n, T, f, a, ...)                                                              \
    {                                                                                              \
        .kind = OPT_PATH, .letter = l, .name = n, .arg = a, OPT_FIELD_(T, f), .help = __VA_ARGS__  \
    }
#define OPT_UINT_(l, n, T, f, a, lo, hi, ...)                                                      \
    {                                                                                              \
        .kind = OPT_UINT, .letter = l, .name = n, .arg = a, OPT_FIELD_(T, f),                      \
        .size = sizeof(((T *)0)->f), .min = lo, .max = hi, .help = __VA_ARGS__                     \
    }
#define OPT_ENUM_(n, T, f, a, ch, ...)                                                             \
    {                                                                                              \
        .kind = OPT_ENUM, .name = n, .arg = a, OPT_FIELD_(T, f), .choices = ch,                    \
        .help = __VA_ARGS__                                                                        \
    }
#define OPT_CALL_(n, a, fn, ...)                                                                   \
    {                                                                                              \
        .kind = OPT_CALL, .name = n, .arg = a, .call = fn, .help = __VA_ARGS__                     \
    }
#define OPT_TEXT_(a, ...)                                                                          \
    {                                                                                              \
        .kind = OPT_TEXT, .arg = a, .help = __VA_ARGS__                                            \
    }
#define OPT_INCLUDE_(tab, offset)                                                                  \
    {                                                                                              \
        .kind = OPT_INCLUDE, .table = tab, .off = offset                                           \
    }
#define OPT_HELP_ENTRY                                                                             \
    {                                                                                              \
        .kind = OPT_HELP, .letter = 'h', .name = "help", .help = "this help"                       \
    }
#define OPT_END_ENTRY                                                                              \
    {                                                                                              \
        .kind = OPT_END                                                                            \
    }

/* The class list. */
#define OPT_ROSTER(T, f, ...) OPT_PATH_(0, "roster", T, f, "FILE", __VA_ARGS__)
/* grader fetch's folder: its repositories and manifest.csv. */
#define OPT_SUBMISSIONS(T, f, ...) OPT_PATH_(0, "submissions", T, f, "DIR", __VA_ARGS__)
#define OPT_RUBRIC(T, f, ...) OPT_PATH_(0, "rubric", T, f, "FILE", __VA_ARGS__)
#define OPT_REPO_TEMPLATE(T, f, ...) OPT_STRING_(0, "repo-template", T, f, "URL", __VA_ARGS__)
#define OPT_OUTPUT(T, f, ...) OPT_PATH_('o', "output", T, f, "DIR", __VA_ARGS__)
#define OPT_KNOWN(T, f)                                                                            \
    OPT_PATH_(0, "known", T, f, "DIR",                                                             \
              "texts that are not the students' own: *.md and *.txt\n"                             \
              "(default: rubrics/known/ here, else the bundled one)")
#define OPT_THRESHOLD(T, f)                                                                        \
    {                                                                                              \
        .kind = OPT_DOUBLE, .name = "threshold", .arg = "X", OPT_FIELD_(T, f), .dmin = 0,          \
        .dmax = 1, .flags = OPTF_OPEN_MIN, .what = "a share in (0, 1]",                            \
        .help = "share of a post found in another that makes them\n"                               \
                "copies, 0 < X <= 1 (default 0.4)"                                                 \
    }
/* --format of the commands that print a summary or JSON: 0 text, 1 json. */
extern const char *const opt_text_json[];
#define OPT_FORMAT_TEXT_JSON(T, f, ...)                                                            \
    OPT_ENUM_("format", T, f, "text|json", opt_text_json, __VA_ARGS__)
#define OPT_DB(T, f, ...) OPT_PATH_(0, "db", T, f, "FILE", __VA_ARGS__)

#endif
