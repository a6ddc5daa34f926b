/* testutil.h - what the Check suites share: temporary folders, files, the
 * source tree, running the grader binary. */
#ifndef GRADER_TESTUTIL_H
#define GRADER_TESTUTIL_H

#include <check.h>
#include <stddef.h>

/* A fresh temporary directory (malloc'd path), removed by tu_rmtree. */
char *tu_tmpdir(void);
/* rm -rf path (no symlink following). */
void tu_rmtree(const char *path);
/* Write a file (creating parent folders); aborts the test on failure. */
void tu_write(const char *dir, const char *name, const char *text);
/* Path of a file of the source tree (GRADER_SRCDIR or "."), malloc'd. */
char *tu_src(const char *rel);
/* Run a shell command; returns its exit status (or -1). */
int tu_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Read a whole file into a malloc'd string (NULL if missing). */
char *tu_slurp(const char *path);
/* A file of the source tree, read whole (malloc'd); fails the test when
 * it is missing. */
char *tu_read_src(const char *rel);

/* A rubric of three criteria (title 2, summary 3, timeline 5 points;
 * sections "Issue Summary"/"Summary" and "Timeline"), for rubric_parse. */
extern const char tu_tiny_rubric[];

/* Every suite file ends with TU_MAIN(make_suite). */
#define TU_MAIN(make_suite)                                                                        \
    int main(void)                                                                                 \
    {                                                                                              \
        SRunner *sr = srunner_create(make_suite());                                                \
        srunner_run_all(sr, CK_NORMAL);                                                            \
        int failed = srunner_ntests_failed(sr);                                                    \
        srunner_free(sr);                                                                          \
        return failed ? 1 : 0;                                                                     \
    }

#endif
