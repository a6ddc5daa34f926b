/* placeholder replaced below */
#include "cmd.h"
int cmd_collect(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return EXIT_TROUBLE;
}
