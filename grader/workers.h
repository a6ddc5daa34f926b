/* workers.h - a pool of worker processes, each serving job after job.
 *
 * Why processes rather than threads: libgit2 1.5.1 has no server timeout,
 * and a stalled server calls no callback, so a thread cannot be stopped; a
 * process can be killed. A worker process also isolates a crash or a
 * runaway allocation on a hostile repository from the batch. The parent
 * stays single-threaded (fork from a multi-threaded process is a
 * minefield) and drives up to `jobs` workers with poll(); each worker takes
 * job numbers through a pipe and answers each with one fixed-size report
 * (one atomic write), until the batch ends. A worker killed at the timeout,
 * or dead, is replaced. Reusing a worker for many jobs saves a fork, its
 * copy-on-write faults and the dynamic linker's lazy binding per job.
 *
 *     workers_opts o = {.jobs = 8, .timeout = 300, .report_size = sizeof(rep),
 *                       .work = do_one, .done = on_end, .ctx = &state};
 *     workers_run(&o, todo, ntodo, &err);
 */
#ifndef GRADER_WORKERS_H
#define GRADER_WORKERS_H

#include <stddef.h>

#include "error.h"

typedef enum worker_end {
    WORKER_DONE,    /* the report came back */
    WORKER_TIMEOUT, /* the timeout passed: the worker was killed */
    WORKER_CRASHED, /* the worker died or exited without a report */
} worker_end;

typedef struct workers_opts {
    int jobs;           /* processes at once, 1 to 256 */
    int timeout;        /* seconds a job may take, 0 = no limit */
    size_t report_size; /* bytes of a report, at most PIPE_BUF (atomic) */
    /* In a worker process: do job `job` and fill `report` (zeroed). */
    void (*work)(void *ctx, size_t job, void *report);
    /* In the parent as each job ends, in any order: the report when
     * WORKER_DONE (else NULL), the wait status when WORKER_CRASHED, and a
     * job still in flight (for a progress line) or (size_t)-1. A negative
     * return stops the batch, and workers_run returns it. */
    int (*done)(void *ctx, size_t job, worker_end how, int wait_status, const void *report,
                size_t running);
    void *ctx;
} workers_opts;

/* Run jobs[0..n) (any numbers the callbacks understand). Returns 0, or a
 * negative code when the batch cannot run (cannot fork, out of memory) or
 * done stopped it. Workers inherit the parent's memory: what they use
 * must be set up before this is called. SIGPIPE is ignored meanwhile. */
int workers_run(const workers_opts *o, const size_t *jobs, size_t n, gr_error *err);

#endif
