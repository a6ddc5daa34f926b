#include "version.h"

#include <cmark.h>
#include <git2.h>
#include <yaml.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* The one place the version lives is the VERSION file; a build that does
 * not pass it must not invent one. */
#ifndef GRADER_VERSION
#error "GRADER_VERSION must be defined (the Makefile passes the VERSION file)"
#endif

const char *version_grader(void)
{
    return GRADER_VERSION;
}

void version_print(FILE *fp)
{
    int major = 0, minor = 0, rev = 0;
    git_libgit2_version(&major, &minor, &rev);
    /* PCRE2_CONFIG_VERSION wants room for a string like "10.42 2022-12-11". */
    char pcre[64] = "unknown";
    if (pcre2_config(PCRE2_CONFIG_VERSION, NULL) > (int)sizeof pcre ||
        pcre2_config(PCRE2_CONFIG_VERSION, pcre) < 0)
        snprintf(pcre, sizeof pcre, "unknown");
    fprintf(fp, "grader %s\n", version_grader());
    fprintf(fp, "libgit2 %d.%d.%d\n", major, minor, rev);
    fprintf(fp, "cmark %s\n", cmark_version_string());
    fprintf(fp, "libyaml %s\n", yaml_get_version_string());
    fprintf(fp, "PCRE2 %s\n", pcre);
}
