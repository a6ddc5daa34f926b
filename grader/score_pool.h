/* score_pool.h - many posts read and scored on several threads, handed
 * back in the order given.
 *
 * `grader check` over a folder of posts is CPU-bound: each post is parsed
 * and scored on its own, so threads share the work with no lock but the
 * index of the next post. Results come back in the order of the files,
 * from a window that slides as they are reported, so the report reads the
 * same as one thread's and the memory held is a window's results, not the
 * batch's. The rubric is shared
 * read-only (its name cache is set once, atomically: sections.c); the
 * pattern matcher keeps its scratch per thread (pattern.c).
 *
 *     score_pool_run(r, files, n, jobs, on_post, &state);
 */
#ifndef GRADER_SCORE_POOL_H
#define GRADER_SCORE_POOL_H

#include <stddef.h>

#include "error.h"
#include "rubric.h"
#include "score.h"

typedef struct score_item {
    const char *file;  /* as given */
    score_result *res; /* NULL when rc < 0 */
    gr_error err;      /* when rc < 0: why the post could not be read or scored */
    int rc;            /* 0 or a negative error code */
} score_item;

/* Called in the order of the files, on the calling thread. The item is
 * freed after it returns; a negative return stops the batch and is
 * returned by score_pool_run. */
typedef int (*score_pool_fn)(void *ctx, size_t i, const score_item *it);

/* The most threads score_pool_run starts. */
#define SCORE_POOL_MAX 64

/* Read each file (at most GR_MAX_INPUT bytes) and score it against r on
 * up to `jobs` threads (1: on this thread alone), calling fn for each in
 * order. Returns 0, fn's negative return, or GR_ENOMEM when no thread
 * could start (a thread that fails to start leaves its share to the
 * others). */
int score_pool_run(const rubric *r, char *const *files, size_t n, int jobs, score_pool_fn fn,
                   void *ctx);

/* The CPUs online, at least 1 and at most SCORE_POOL_MAX. */
int score_pool_cpus(void);

#endif
