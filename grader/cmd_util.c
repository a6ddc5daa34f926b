/* cmd_util.c - what every subcommand shares: error printing, exit codes. */
#include <stdio.h>

#include "cmd.h"

int exit_code_for(int code)
{
    switch (code) {
    case GR_OK:
        return EXIT_PASS;
    case GR_EUSAGE:
    case GR_EINPUT:
    case GR_ELIMIT:
        return EXIT_BADUSE;
    default:
        return EXIT_TROUBLE;
    }
}

int cmd_fail(const char *cmd, const gr_error *err)
{
    char buf[2048];
    gr_error_format(err, buf, sizeof buf);
    fprintf(stderr, "grader %s: %s\n", cmd, buf);
    return exit_code_for(err->code);
}
