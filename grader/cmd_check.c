/* cmd_check.c - placeholder while the scoring engine is written. */
#include <stdio.h>

#include "cmd.h"

int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "grader check: not built yet\n");
    return EXIT_TROUBLE;
}
