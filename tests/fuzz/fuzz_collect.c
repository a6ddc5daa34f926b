/* libFuzzer target: peer reviews (reviews.csv, filled by students) read,
 * validated and merged into the gradebook by collect_run. The input is up
 * to three files separated by FUZZ_SEP: reviews, then assignments and
 * gradebook (fixed small ones when the input does not give them). Each
 * input runs with and without the rubric's criterion columns. */
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "csvtab.h"
#include "fuzzutil.h"
#include "rubric.h"
#include "util.h"

static const char assign[] = "reviewer,author,repository,post,kept\n"
                             "ann,bob,,,no\nann,cat,,,no\nbob,ann,,,no\n"
                             "bob,cat,,,no\ncat,ann,,,no\ncat,bob,,,no\n";
static const char gradebook[] = "id,name,status,score,max,percent,passed\n"
                                "ann,Ann,ok,80,100,80.00,yes\n"
                                "bob,Bob,ok,60,100,60.00,no\n"
                                "cat,\"Cat, Jr\",ok,40,100,40.00,no\n";

/* csvtab's rows come in file order, each on a line of the file below the
 * header (LF, CRLF or a lone CR ends a line). */
static void check_lines(const char *path, const char *text, size_t len)
{
    csvtab *t = NULL;
    gr_error err = {0};
    int nlines = 1;
    for (size_t i = 0; i < len; i++)
        nlines += text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'));
    if (csvtab_load(path, 64u << 20, &t, &err) != 0) {
        if (err.line < 0 || err.line > nlines || !err.msg[0])
            abort();
        return;
    }
    for (size_t i = 0; i < t->nrows; i++)
        if (t->line[i] < 2 || t->line[i] > nlines || (i && t->line[i] <= t->line[i - 1]))
            abort();
    csvtab_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > GR_MAX_INPUT)
        return 0;
    fuzz_part part[3];
    size_t n = fuzz_split(data, size, part, 3);
    const char *rev = fuzz_file("reviews.csv", part[0].p, part[0].n);
    check_lines(rev, part[0].p, part[0].n);
    const char *as = n > 1 ? fuzz_file("assignments.csv", part[1].p, part[1].n)
                           : fuzz_file("assignments.csv", assign, sizeof assign - 1);
    const char *gbtext = n > 2 ? part[2].p : gradebook;
    size_t gblen = n > 2 ? part[2].n : sizeof gradebook - 1;
    for (int k = 0; k < 2; k++) {
        /* collect rewrites the gradebook: a fresh copy each time */
        const char *gb = fuzz_file("gradebook.csv", gbtext, gblen);
        collect_opts o = {
            .w_auto = 0.6, .w_peer = 0.4, .penalty = 5, .rb = k ? fuzz_rubric() : NULL};
        collect_stats st;
        gr_error err = {0};
        if (collect_run(rev, as, gb, &o, &st, &err) != 0) {
            if (err.code >= 0 || !err.msg[0])
                abort();
            continue;
        }
        if (st.reviewed > st.assigned || st.missing != st.assigned - st.reviewed)
            abort();
        /* what collect wrote, grade and summary read back */
        csvtab *t = NULL;
        if (csvtab_load(gb, 64u << 20, &t, &err) != 0 || t->nrows != st.students)
            abort();
        csvtab_free(t);
    }
    return 0;
}
