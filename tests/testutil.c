#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

char *tu_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/grader-test-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    ck_assert_msg(d != NULL, "mkdtemp failed");
    return strdup(d);
}

void tu_rmtree(const char *path)
{
    if (!path || !*path || !strcmp(path, "/"))
        return;
    tu_sh("rm -rf '%s'", path);
}

void tu_write(const char *dir, const char *name, const char *text)
{
    char *p = path_join(dir, name);
    ck_assert_ptr_nonnull(p);
    char *slash = strrchr(p, '/');
    if (slash && slash != p) {
        *slash = '\0';
        gr_error err = {0};
        ck_assert_int_eq(mkdir_p(p, &err), 0);
        *slash = '/';
    }
    FILE *fp = fopen(p, "wb");
    ck_assert_msg(fp != NULL, "cannot write %s", p);
    fwrite(text, 1, strlen(text), fp);
    fclose(fp);
    free(p);
}

char *tu_src(const char *rel)
{
    const char *src = getenv("GRADER_SRCDIR");
    char *p = path_join(src && *src ? src : ".", rel);
    ck_assert_ptr_nonnull(p);
    return p;
}

int tu_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    if (st == -1)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *tu_slurp(const char *path)
{
    char *s = NULL;
    size_t n = 0;
    gr_error err = {0};
    if (file_read(path, 64u << 20, &s, &n, &err) != 0)
        return NULL;
    return s;
}

char *tu_read_src(const char *rel)
{
    char *path = tu_src(rel);
    char *text = tu_slurp(path);
    ck_assert_msg(text != NULL, "missing %s", path);
    free(path);
    return text;
}

const char tu_tiny_rubric[] = "rubric: Tiny\n"
                              "document: Blog_Post.md\n"
                              "pass: 60\n"
                              "sections:\n"
                              "  summary: [Issue Summary, Summary]\n"
                              "  timeline: [Timeline]\n"
                              "criteria:\n"
                              "  - id: title\n"
                              "    points: 2\n"
                              "    check: title\n"
                              "    description: A title\n"
                              "    hint: Start with a title line.\n"
                              "  - id: summary\n"
                              "    points: 3\n"
                              "    check: section\n"
                              "    section: summary\n"
                              "    description: An Issue Summary\n"
                              "    hint: Add an Issue Summary heading.\n"
                              "  - id: timeline\n"
                              "    points: 5\n"
                              "    check: section\n"
                              "    section: timeline\n"
                              "    description: A Timeline\n"
                              "    hint: Add a Timeline heading.\n";
