/* bench/assign_driver.c - time and peak memory of assign_run on a generated
 * cohort: N students in teams of ~25, 5% without a submission, k reviewers,
 * --avoid-group. Prints one line of figures; built and run by bench/assign.
 * A reference in the same process (sorting N*k random 64-bit keys) makes
 * the time comparable across machines as a ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "assign.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    int k = argc > 2 ? atoi(argv[2]) : 3;
    assign_rng r;
    assign_rng_seed(&r, 2024);
    assign_student *s = malloc(n * sizeof *s);
    uint64_t *ref = malloc(n * (size_t)k * sizeof *ref);
    if (!s || !ref)
        return 3;
    for (size_t i = 0; i < n; i++) {
        s[i].author = assign_rng_below(&r, 100) >= 5;
        s[i].reviewer = true;
        s[i].group = (int)assign_rng_below(&r, n / 25 + 1);
    }
    for (size_t i = 0; i < n * (size_t)k; i++)
        ref[i] = assign_rng_next(&r);
    double t0 = now();
    qsort(ref, n * (size_t)k, sizeof *ref, cmp_u64);
    double tref = now() - t0;
    free(ref);

    assign_opts o = {.k = k, .seed = 1, .avoid_group = true};
    assign_result res;
    gr_error err = {0};
    t0 = now();
    int rc = assign_run(s, n, &o, &res, &err);
    double t = now() - t0;
    if (rc) {
        fprintf(stderr, "assign_driver: %s\n", err.msg);
        return 2;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("n=%zu k=%d pairs=%zu loads=%d..%d same-group=%zu reciprocal=%zu  assign %.3f s  "
           "reference sort %.3f s  ratio %.2f  peak RSS %.1f MiB\n",
           n, k, res.npairs, res.load_min, res.load_max, res.group_conflicts, res.reciprocal, t,
           tref, t / tref, (double)ru.ru_maxrss / 1024.0);
    assign_result_free(&res);
    free(s);
    return 0;
}
