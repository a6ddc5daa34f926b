/* score_pool.c - posts scored on several threads, reported in order. */
#include "score_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pattern.h"
#include "util.h"

/* Posts scored ahead of the one to report next, per thread: enough that a
 * slow post rarely holds the threads up, few enough that the results held
 * stay small. */
enum { WINDOW_PER_THREAD = 16 };

/* The threads start once for the batch (a start per window cost 2-3% of
 * the CPU) and take posts one at a time within a window that slides as the
 * calling thread reports them in order; the calling thread scores too
 * while the post it must report next is not done. */
typedef struct pool {
    const rubric *r;
    char *const *files;
    size_t n;
    score_item *slot; /* post k in slot[k % window] */
    bool *done;       /* per slot: scored, not yet reported */
    size_t window;
    size_t next;     /* the next post to take */
    size_t reported; /* posts reported; their slots are free */
    bool stop;       /* the report failed: take no more */
    pthread_mutex_t lock;
    pthread_cond_t moved; /* a post was scored or reported, or the batch stopped */
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

/* Under the lock: take the next post when its slot is free. */
static bool take(pool *p, size_t *k)
{
    if (p->stop || p->next >= p->n || p->next >= p->reported + p->window)
        return false;
    *k = p->next++;
    score_item *it = &p->slot[*k % p->window];
    memset(it, 0, sizeof *it);
    it->file = p->files[*k];
    return true;
}

/* Score post k outside the lock, then mark it done; the lock is held on
 * entry and on return. */
static void score_taken(pool *p, size_t k)
{
    pthread_mutex_unlock(&p->lock);
    score_one(p->r, &p->slot[k % p->window]);
    pthread_mutex_lock(&p->lock);
    p->done[k % p->window] = true;
    pthread_cond_broadcast(&p->moved);
}

static void *thread_main(void *arg)
{
    pool *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stop && p->next < p->n) {
        size_t k;
        if (take(p, &k))
            score_taken(p, k);
        else
            pthread_cond_wait(&p->moved, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    pattern_thread_end();
    return NULL;
}

/* The calling thread: report in order, scoring while it waits. */
static int report_all(pool *p, score_pool_fn fn, void *ctx)
{
    int rc = 0;
    pthread_mutex_lock(&p->lock);
    while (p->reported < p->n && !rc) {
        size_t at = p->reported % p->window, k;
        if (p->done[at]) {
            pthread_mutex_unlock(&p->lock);
            rc = fn(ctx, p->reported, &p->slot[at]);
            score_result_free(p->slot[at].res);
            p->slot[at].res = NULL;
            pthread_mutex_lock(&p->lock);
            p->done[at] = false;
            p->reported++;
            pthread_cond_broadcast(&p->moved);
        } else if (take(p, &k)) {
            score_taken(p, k);
        } else {
            pthread_cond_wait(&p->moved, &p->lock);
        }
    }
    p->stop = true;
    pthread_cond_broadcast(&p->moved);
    pthread_mutex_unlock(&p->lock);
    return rc;
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
    pool p = {.r = r,
              .files = files,
              .n = n,
              .slot = calloc(window, sizeof *p.slot),
              .done = calloc(window, sizeof *p.done),
              .window = window};
    int rc = GR_ENOMEM;
    if (!p.slot || !p.done)
        goto out;
    if (pthread_mutex_init(&p.lock, NULL) != 0)
        goto out;
    if (pthread_cond_init(&p.moved, NULL) != 0) {
        pthread_mutex_destroy(&p.lock);
        goto out;
    }
    pthread_t tid[SCORE_POOL_MAX];
    int started = 0;
    for (int t = 1; t < jobs; t++) {
        if (pthread_create(&tid[started], NULL, thread_main, &p) != 0)
            break; /* the others take its share */
        started++;
    }
    rc = report_all(&p, fn, ctx);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    /* after a stop: what was scored but not reported */
    for (size_t k = 0; k < window; k++)
        score_result_free(p.slot[k].res);
    pthread_cond_destroy(&p.moved);
    pthread_mutex_destroy(&p.lock);
out:
    free(p.slot);
    free(p.done);
    return rc < 0 ? rc : 0;
}

int score_pool_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > SCORE_POOL_MAX ? SCORE_POOL_MAX : (int)n;
}
