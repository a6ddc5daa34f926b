/* libFuzzer target: any bytes as the per-post records of shard.dat (a
 * score and fingerprints, post_result.h), which the merge reads from
 * shards made elsewhere. Parts split at FUZZ_SEP are posts of one cohort:
 * each that reads is written again and must read back to the same bytes,
 * and all that read are joined (similar_join), hostile positions and lines
 * included. */
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "post_result.h"
#include "similar.h"
#include "util.h"

#define MAX_POSTS 8

/* p written, read back with rb, written again: the same bytes. */
static void again(const rubric *rb, const post_result *p, bool printed)
{
    strbuf a, b;
    sb_init(&a);
    sb_init(&b);
    post_result_write(&a, p);
    if (sb_failed(&a))
        abort();
    char *copy = malloc(a.len + 1);
    if (!copy)
        abort();
    memcpy(copy, a.s, a.len);
    record_reader rd = {.path = "shard.dat", .buf = copy, .size = a.len};
    post_result q;
    gr_error err = {0};
    if (post_result_read(&rd, rb, printed, &q, &err) != 0 || rd.pos != a.len)
        abort();
    post_result_write(&b, &q);
    if (sb_failed(&b) || a.len != b.len || memcmp(a.s, b.s, a.len))
        abort();
    post_result_free(&q);
    free(copy);
    sb_free(&a);
    sb_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > GR_MAX_INPUT)
        return 0;
    const rubric *rb = fuzz_rubric();
    fuzz_part parts[MAX_POSTS];
    size_t np = fuzz_split(data, size, parts, MAX_POSTS);
    post_result res[MAX_POSTS];
    fingerprint prints[MAX_POSTS];
    size_t n = 0;
    for (size_t i = 0; i < np; i++) {
        char *buf = malloc(parts[i].n + 1);
        if (!buf)
            abort();
        memcpy(buf, parts[i].p, parts[i].n);
        record_reader rd = {.path = "shard.dat", .buf = buf, .size = parts[i].n};
        gr_error err = {0};
        int rc = post_result_read(&rd, rb, true, &res[n], &err);
        if (rc == 0) {
            again(rb, &res[n], true);
            prints[n] = res[n].print;
            n++;
        } else if (rc != GR_EINPUT || !err.msg[0] || strcmp(err.file, "shard.dat"))
            abort();
        free(buf);
    }
    fingerprint_base *base = NULL;
    gr_error err = {0};
    if (fingerprint_base_new(NULL, 0, NULL, &base, &err))
        abort();
    similar_report *r = NULL;
    if (similar_join(prints, n, base, NULL, &r, &err) != 0 || r->nposts != n)
        abort();
    similar_report_free(r);
    fingerprint_base_free(base);
    for (size_t i = 0; i < n; i++)
        post_result_free(&res[i]);
    return 0;
}
