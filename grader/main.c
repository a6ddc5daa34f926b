/* main.c - `grader <command> [options]`: the subcommand table. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "version.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const opt_command *options;
};

static const struct command commands[] = {
    {"check", cmd_check, "score posts against a rubric (a student's self-check)",
     &cmd_check_options},
    {"fetch", cmd_fetch, "clone or update every student's repository (bare, at a deadline)",
     &cmd_fetch_options},
    {"similar", cmd_similar, "find copied posts, pasted assignment text, link-only posts",
     &cmd_similar_options},
    {"grade", cmd_grade, "score every fetched post: gradebook, feedback, class summary",
     &cmd_grade_options},
    {"merge", cmd_merge, "join the outputs of grade --shard K/N into one run's reports",
     &cmd_merge_options},
    {"assign", cmd_assign, "assign peer reviewers, write reviewer packets", &cmd_assign_options},
    {"collect", cmd_collect, "collect peer reviews into the gradebook", &cmd_collect_options},
    {"serve", cmd_serve, "peer review in the browser: private links, forms, progress",
     &cmd_serve_options},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *fp)
{
    fprintf(fp, "usage: grader <command> [options]\n"
                "       grader <command> --help\n\n"
                "Grade postmortem blog posts by rubric and by peer review.\n\n"
                "commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\nexit codes: 0 success/passed, 1 below the pass mark or some students failed,\n"
                "            2 usage or input error, 3 could not complete (I/O, memory)\n"
                "See grader(1) for the whole manual.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_BADUSE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            for (size_t i = 0; i < NCOMMANDS; i++)
                if (!strcmp(argv[2], commands[i].name)) {
                    char *hargv[] = {argv[2], "--help", NULL};
                    return commands[i].run(2, hargv);
                }
        }
        usage(stdout);
        return EXIT_PASS;
    }
    if (!strcmp(name, "--dump-options")) { /* hidden: for tests/e2e_options.sh */
        for (size_t i = 0; i < NCOMMANDS; i++)
            opts_dump(commands[i].options, stdout);
        return EXIT_PASS;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        version_print(stdout);
        return EXIT_PASS;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(name, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "grader: '%s' is not a command; see 'grader --help'\n", name);
    return EXIT_BADUSE;
}
