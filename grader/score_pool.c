/* score_pool.c - posts scored on several threads, reported in order. */
#include "score_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "util.h"

/* Posts scored ahead of the one to report next, per thread: enough that a
 * slow post rarely holds the threads up, few enough that the results held
 * stay small. */
enum { WINDOW_PER_THREAD = 64 };

/* The threads start once for the batch (a start per window cost 2-3% of
 * the CPU) and take posts one at a time within a window that slides as the
 * calling thread reports them in order; the calling thread scores too
 * while the post it must report next is not done.
 *
 * A result is freed by the thread that made it: a free from another
 * thread goes to that thread's malloc arena under its lock, and the chunk
 * then wanders between the arenas, so that both threads kept waiting on
 * each other's arena (a sixth of the CPU time at -j 2). The calling thread
 * hands a worker's reported results back on its garbage list. */
typedef struct pool {
    const rubric *r;
    char *const *files;
    size_t n;
    score_item *slot; /* post k in slot[k % window] */
    bool *done;       /* per slot: scored, not yet reported */
    int *owner;       /* per slot: the thread that scores it, 0 the calling one */
    size_t window;
    size_t next;            /* the next post to take */
    size_t reported;        /* posts reported; their slots are free */
    bool stop;              /* the report failed: take no more */
    int waiting;            /* threads in wait() */
    score_result **garbage; /* per thread, window entries: its results, reported */
    size_t *ngarbage;
    pthread_mutex_t lock;
    pthread_cond_t moved; /* a post was scored or reported, or the batch stopped */
} pool;

typedef struct worker {
    pool *p;
    int id; /* 1.. */
} worker;

/* Under the lock. A wake-up nobody waits for costs a system call, and the
 * woken thread then contends for the lock: only when one waits. */
static void moved(pool *p)
{
    if (p->waiting)
        pthread_cond_broadcast(&p->moved);
}

static void wait(pool *p)
{
    p->waiting++;
    pthread_cond_wait(&p->moved, &p->lock);
    p->waiting--;
}

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
static bool take(pool *p, int id, size_t *k)
{
    if (p->stop || p->next >= p->n || p->next >= p->reported + p->window)
        return false;
    *k = p->next++;
    score_item *it = &p->slot[*k % p->window];
    memset(it, 0, sizeof *it);
    it->file = p->files[*k];
    p->owner[*k % p->window] = id;
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
    moved(p);
}

/* Free thread id's reported results; the lock is held on entry and on
 * return. */
static void empty_garbage(pool *p, int id)
{
    size_t n = p->ngarbage[id];
    if (!n)
        return;
    score_result **mine = p->garbage + (size_t)id * p->window, *batch[WINDOW_PER_THREAD * 2];
    size_t take_n = n < sizeof batch / sizeof *batch ? n : sizeof batch / sizeof *batch;
    memcpy(batch, mine + n - take_n, take_n * sizeof *batch);
    p->ngarbage[id] = n - take_n;
    pthread_mutex_unlock(&p->lock);
    for (size_t i = 0; i < take_n; i++)
        score_result_free(batch[i]);
    pthread_mutex_lock(&p->lock);
}

static void *thread_main(void *arg)
{
    worker *w = arg;
    pool *p = w->p;
    pthread_mutex_lock(&p->lock);
    while (!p->stop && p->next < p->n) {
        size_t k;
        /* emptying lets go of the lock: look at the state again before
         * waiting, or a stop broadcast meanwhile is missed for ever */
        if (p->ngarbage[w->id]) {
            empty_garbage(p, w->id);
            continue;
        }
        if (take(p, w->id, &k))
            score_taken(p, k);
        else
            wait(p);
    }
    empty_garbage(p, w->id);
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
            score_result *res = p->slot[at].res;
            int id = p->owner[at];
            if (!id)
                score_result_free(res);
            pthread_mutex_lock(&p->lock);
            if (id && res)
                p->garbage[(size_t)id * p->window + p->ngarbage[id]++] = res;
            p->slot[at].res = NULL;
            p->done[at] = false;
            p->reported++;
            moved(p);
        } else if (take(p, 0, &k)) {
            score_taken(p, k);
        } else {
            wait(p);
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
              .owner = calloc(window, sizeof *p.owner),
              .garbage = calloc((size_t)jobs * window, sizeof *p.garbage),
              .ngarbage = calloc((size_t)jobs, sizeof *p.ngarbage),
              .window = window};
    int rc = GR_ENOMEM;
    if (!p.slot || !p.done || !p.owner || !p.garbage || !p.ngarbage)
        goto out;
    if (pthread_mutex_init(&p.lock, NULL) != 0)
        goto out;
    if (pthread_cond_init(&p.moved, NULL) != 0) {
        pthread_mutex_destroy(&p.lock);
        goto out;
    }
    pthread_t tid[SCORE_POOL_MAX];
    worker w[SCORE_POOL_MAX];
    int started = 0;
    for (int t = 1; t < jobs; t++) {
        w[started] = (worker){&p, started + 1};
        if (pthread_create(&tid[started], NULL, thread_main, &w[started]) != 0)
            break; /* the others take its share */
        started++;
    }
    rc = report_all(&p, fn, ctx);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    /* after a stop: what was scored but not reported, or not yet freed */
    for (size_t k = 0; k < window; k++)
        score_result_free(p.slot[k].res);
    for (int t = 0; t <= started; t++)
        for (size_t i = 0; i < p.ngarbage[t]; i++)
            score_result_free(p.garbage[(size_t)t * window + i]);
    pthread_cond_destroy(&p.moved);
    pthread_mutex_destroy(&p.lock);
out:
    free(p.slot);
    free(p.done);
    free(p.owner);
    free(p.garbage);
    free(p.ngarbage);
    return rc < 0 ? rc : 0;
}

int score_pool_cpus(void)
{
    int n = cpus_online();
    return n > SCORE_POOL_MAX ? SCORE_POOL_MAX : n;
}
