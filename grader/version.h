/* version.h - what `grader --version` reports: this program's version and
 * the versions of the libraries it is running with (which may differ from
 * the ones it was built against). */
#ifndef GRADER_VERSION_H
#define GRADER_VERSION_H

#include <stdio.h>

/* grader's own version (the VERSION file, passed in by the Makefile). */
const char *version_grader(void);

/* "grader X\nlibgit2 X\ncmark X\nlibyaml X\nPCRE2 X\n", the library
 * versions asked of the libraries themselves at run time. */
void version_print(FILE *fp);

#endif
