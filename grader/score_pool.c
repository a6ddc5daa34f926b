/* score_pool.c - posts scored on several threads, reported in order. */
#include "score_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pattern.h"
#include "util.h"

/* Posts scored before the first is reported, per thread: enough that the
 * threads rarely wait on each other at a window's end, few enough that a
 * window of results stays small. */
enum { WINDOW_PER_THREAD = 16 };

typedef struct pool {
    const rubric *r;
    score_item *items; /* the window: items[k] is file base + k */
    size_t base, count;
    size_t next; /* the next item to take, under lock */
    pthread_mutex_t lock;
} pool;

static void score_one(const rubric *r, score_item *it)
{
    char *data = NULL;
    size_t len = 0;
    it->rc = file_read(it->file, GR_MAX_INPUT, &data, &len, &it->err);
    if (!it->rc)
        it->rc = score_post(r, it->file, data, len, &it->res, &it->err);
    free(data);
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t k = p->next < p->count ? p->next++ : p->count;
        pthread_mutex_unlock(&p->lock);
        if (k == p->count)
            return NULL;
        score_one(p->r, &p->items[k]);
    }
}

/* A started thread's life: its share, then its match block freed. */
static void *thread_main(void *arg)
{
    worker(arg);
    pattern_thread_end();
    return NULL;
}

/* Score the window [base, base + count) on up to `threads` threads (the
 * calling one among them). */
static void score_window(pool *p, int threads)
{
    pthread_t tid[SCORE_POOL_MAX];
    int started = 0;
    p->next = 0;
    for (int t = 1; t < threads && started < SCORE_POOL_MAX; t++) {
        if (pthread_create(&tid[started], NULL, thread_main, p) != 0)
            break; /* the others take its share */
        started++;
    }
    worker(p);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
}

int score_pool_run(const rubric *r, char *const *files, size_t n, int jobs, score_pool_fn fn,
                   void *ctx)
{
    if (jobs < 1)
        jobs = 1;
    if (jobs > SCORE_POOL_MAX)
        jobs = SCORE_POOL_MAX;
    if ((size_t)jobs > n)
        jobs = n ? (int)n : 1;
    size_t window = (size_t)jobs * WINDOW_PER_THREAD;
    pool p = {.r = r, .items = calloc(window, sizeof *p.items)};
    if (!p.items)
        return GR_ENOMEM;
    if (pthread_mutex_init(&p.lock, NULL) != 0) {
        free(p.items);
        return GR_ENOMEM;
    }
    int rc = 0;
    for (p.base = 0; p.base < n && !rc; p.base += p.count) {
        p.count = n - p.base < window ? n - p.base : window;
        memset(p.items, 0, p.count * sizeof *p.items);
        for (size_t k = 0; k < p.count; k++)
            p.items[k].file = files[p.base + k];
        score_window(&p, jobs);
        for (size_t k = 0; k < p.count; k++) {
            if (!rc)
                rc = fn(ctx, p.base + k, &p.items[k]);
            score_result_free(p.items[k].res);
        }
    }
    pthread_mutex_destroy(&p.lock);
    free(p.items);
    return rc < 0 ? rc : 0;
}

int score_pool_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > SCORE_POOL_MAX ? SCORE_POOL_MAX : (int)n;
}
