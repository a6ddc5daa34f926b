/* libFuzzer target: any bytes as a rubric (YAML from a course repository),
 * parsed from memory; a rubric that loads then scores a small post, so
 * its patterns and section references are used, not only read. */
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "rubric.h"
#include "score.h"
#include "util.h"

static const char post[] = "# Outage of the web tier\n\n"
                           "## Summary\n\nFrom 10:00 to 10:45 UTC the site was down for 80% of "
                           "users. The root cause was a bad config push.\n\n"
                           "## Timeline\n\n- 10:00 alert fires\n- 10:10 rollback\n\n"
                           "## Root cause and resolution\n\nA typo. We reverted it.\n\n"
                           "## Corrective and preventative measures\n\n- add a linter\n"
                           "- [ ] monitor config\n\n![chart](chart.png) [doc](https://x.y/z)\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > GR_MAX_INPUT) /* rubric_load's cap */
        return 0;
    rubric *r = NULL;
    gr_error err = {0};
    if (rubric_parse("fuzz.yml", (const char *)data, size, &r, &err) != 0) {
        if (!r && err.code < 0 && err.msg[0])
            return 0;
        abort(); /* a failure must say why, and hand back nothing */
    }
    int max = 0, bonus = 0;
    for (size_t i = 0; i < r->ncriteria; i++) {
        const criterion *c = &r->criteria[i];
        if (c->section < -1 || c->section >= (int)r->nsections)
            abort();
        *(c->bonus ? &bonus : &max) += c->points;
    }
    if (max != r->max_points || bonus != r->bonus_points)
        abort();
    score_result *res = NULL;
    if (score_post(r, "post.md", post, sizeof post - 1, &res, &err) == 0) {
        if (res->points < 0 || res->points > r->max_points + r->bonus_points)
            abort();
        score_result_free(res);
    }
    rubric_free(r);
    return 0;
}
