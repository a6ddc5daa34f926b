/* libFuzzer target: any bytes as a post, scored against the default rubric.
 * `make fuzz` builds and runs it for FUZZ_SECONDS; a crash, a leak or
 * undefined behaviour stops it with the input that caused it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "rubric.h"
#include "score.h"

static rubric *r;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!r) {
        gr_error err = {0};
        const char *path = getenv("GRADER_RUBRIC");
        if (rubric_load(path ? path : "rubrics/postmortem.yml", &r, &err) != 0) {
            fprintf(stderr, "fuzz: cannot load the rubric: %s\n", err.msg);
            abort();
        }
    }
    score_result *res = NULL;
    gr_error err = {0};
    if (score_post(r, "fuzz.md", (const char *)data, size, &res, &err) == 0) {
        if (res->points < 0 || res->points > r->max_points + r->bonus_points)
            abort();
        score_result_free(res);
    }
    return 0;
}
