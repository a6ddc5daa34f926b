/* libFuzzer target: the similarity pass (copies, pasted task text,
 * link-only posts) over a handful of posts. The input is split at
 * FUZZ_SEP: the first part is a known source (the assignment's format
 * text), the rest are posts; small k-grams and windows so that short
 * inputs still make fingerprints, groups and passages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "similar.h"
#include "util.h"

#define MAX_POSTS 6

static void check(const similar_report *r, size_t n)
{
    if (r->nposts != n)
        abort();
    size_t ntask = 0, nlink = 0;
    for (size_t i = 0; i < n; i++) {
        const similar_result *p = &r->posts[i];
        if (p->group < 0 || (size_t)p->group > r->ngroups || p->share < 0 || p->share > 1.000001 ||
            p->known_share < 0 || p->known_share > 1.000001)
            abort();
        ntask += p->task_text;
        nlink += p->link_only;
        for (size_t k = 0; k < p->npassages; k++) {
            const similar_passage *q = &p->passages[k];
            if (q->other >= n || q->first_line > q->last_line || q->first_line < 0)
                abort();
        }
        (void)similar_status_name(p);
    }
    if (ntask != r->ntask || nlink != r->nlink)
        abort();
    for (size_t g = 0; g < r->ngroups; g++) {
        if (r->groups[g].n < 2)
            abort();
        for (size_t m = 0; m < r->groups[g].n; m++)
            if (r->groups[g].members[m] >= n ||
                r->posts[r->groups[g].members[m]].group != (int)g + 1)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > GR_MAX_INPUT)
        return 0;
    fuzz_part part[MAX_POSTS + 1];
    size_t n = fuzz_split(data, size, part, MAX_POSTS + 1);
    if (n < 2)
        return 0;
    static const char *const ids[] = {"p1", "p2", "p3", "p4", "p5", "p6"};
    similar_doc known = {"format.md", part[0].p, part[0].n, true};
    similar_doc posts[MAX_POSTS];
    for (size_t i = 1; i < n; i++)
        posts[i - 1] = (similar_doc){ids[i - 1], part[i].p, part[i].n, false};
    similar_opts o;
    similar_opts_default(&o);
    o.k = 3;
    o.window = 2;
    o.min_shared = 2;
    o.link_words = 10;
    similar_report *r = NULL;
    gr_error err = {0};
    if (similar_run(posts, n - 1, &known, 1, &o, &r, &err) != 0) {
        if (r || err.code >= 0)
            abort();
        return 0;
    }
    check(r, n - 1);
    const char *csv = fuzz_file("similarity.csv", "", 0);
    if (similar_write_csv(csv, posts, r, &err) != 0)
        abort();
    similar_report_free(r);
    similar_links links;
    if (similar_link_only(part[1].p, part[1].n, NULL, &links) < 0)
        abort();
    similar_links_free(&links);
    return 0;
}
