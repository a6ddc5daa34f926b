/* libFuzzer target: any bytes as a post, scored against the default rubric
 * (or $GRADER_RUBRIC). A crash, a leak, undefined behaviour or a score out
 * of range stops it with the input that caused it. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzzutil.h"
#include "rubric.h"
#include "score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const rubric *r = fuzz_rubric();
    score_result *res = NULL;
    gr_error err = {0};
    if (score_post(r, "fuzz.md", (const char *)data, size, &res, &err) == 0) {
        if (res->points < 0 || res->points > r->max_points + r->bonus_points)
            abort();
        score_result_free(res);
    }
    return 0;
}
