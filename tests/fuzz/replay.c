/* replay.c - run saved inputs through a fuzz target without libFuzzer:
 * `make check` replays tests/fuzz/regress/<target>/ with the normal
 * compiler (and the sanitizers under check-asan), so a fixed crasher
 * stays fixed. Arguments are files or folders of files. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzzutil.h"
#include "util.h"

static int replay_file(const char *path, size_t *count)
{
    char *data;
    size_t len;
    gr_error err = {0};
    if (file_read(path, 64u << 20, &data, &len, &err) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, err.msg);
        return 1;
    }
    /* A copy of exactly len bytes, as libFuzzer gives: an overread shows. */
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        free(data);
        return 1;
    }
    memcpy(copy, data, len);
    free(data);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    (*count)++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int fail = 0;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) != 0) {
            perror(argv[i]);
            fail = 1;
            continue;
        }
        if (!S_ISDIR(sb.st_mode)) {
            fail |= replay_file(argv[i], &count);
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            perror(argv[i]);
            fail = 1;
            continue;
        }
        char **names = NULL;
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d)))
            if (e->d_name[0] != '.') {
                char **v = realloc(names, (n + 1) * sizeof *v);
                char *p = v ? path_join(argv[i], e->d_name) : NULL;
                if (!p) {
                    free(v ? v : names);
                    closedir(d);
                    return 1;
                }
                names = v;
                names[n++] = p;
            }
        closedir(d);
        qsort(names, n, sizeof *names, cmp_str);
        for (size_t k = 0; k < n; k++) {
            fail |= replay_file(names[k], &count);
            free(names[k]);
        }
        free(names);
    }
    printf("replayed %zu input%s\n", count, count == 1 ? "" : "s");
    return fail;
}
