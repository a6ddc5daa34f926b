/* workers.c - the worker processes: fork, hand out jobs, poll, kill at the
 * timeout, replace the dead. */
#include "workers.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

typedef struct slot {
    pid_t pid; /* 0: no worker */
    int to, from;
    bool busy;
    size_t job;
    struct timespec start;
    size_t got;   /* bytes of the report read so far */
    char *report; /* report_size bytes */
} slot;

static double since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void worker_loop(const workers_opts *o, int in, int out, char *report)
{
    size_t job;
    for (;;) {
        ssize_t n = read(in, &job, sizeof job);
        if (n < 0 && errno == EINTR)
            continue;
        if (n != (ssize_t)sizeof job)
            _exit(0);
        memset(report, 0, o->report_size);
        o->work(o->ctx, job, report);
        if (write(out, report, o->report_size) != (ssize_t)o->report_size)
            _exit(1);
    }
}

static int spawn(const workers_opts *o, slot *slots, int k, gr_error *err)
{
    int down[2], up[2];
    if (pipe(down) != 0)
        return gr_error_set(err, GR_EIO, NULL, 0, 0, "pipe: %s", strerror(errno));
    if (pipe(up) != 0) {
        int e = errno;
        close(down[0]);
        close(down[1]);
        return gr_error_set(err, GR_EIO, NULL, 0, 0, "pipe: %s", strerror(e));
    }
    fflush(NULL); /* or a worker could flush the parent's buffers again */
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(down[0]);
        close(down[1]);
        close(up[0]);
        close(up[1]);
        return gr_error_set(err, GR_EIO, NULL, 0, 0, "fork: %s", strerror(e));
    }
    if (pid == 0) {
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* no orphan keeps working */
#endif
        signal(SIGPIPE, SIG_IGN);
        close(down[1]);
        close(up[0]);
        /* The other workers' pipe ends: holding them would hide a dead
         * worker's end-of-file from the parent. */
        for (int j = 0; j < o->jobs; j++)
            if (slots[j].pid) {
                close(slots[j].to);
                close(slots[j].from);
            }
        worker_loop(o, down[0], up[1], slots[k].report);
    }
    close(down[0]);
    close(up[1]);
    slots[k].pid = pid;
    slots[k].to = down[1];
    slots[k].from = up[0];
    slots[k].busy = false;
    return 0;
}

static int assign(slot *s, size_t job)
{
    s->busy = true;
    s->job = job;
    s->got = 0;
    clock_gettime(CLOCK_MONOTONIC, &s->start);
    return write(s->to, &job, sizeof job) == (ssize_t)sizeof job ? 0 : -1;
}

/* Close the worker's pipes and reap it (killed first when kill_it); its
 * wait status. */
static int stop_worker(slot *s, bool kill_it)
{
    int status = 0;
    if (!s->pid)
        return 0;
    close(s->to);
    if (kill_it)
        kill(s->pid, SIGKILL);
    while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
        ;
    close(s->from);
    s->pid = 0;
    s->busy = false;
    return status;
}

static size_t running_job(const slot *slots, int n)
{
    for (int k = 0; k < n; k++)
        if (slots[k].busy)
            return slots[k].job;
    return (size_t)-1;
}

int workers_run(const workers_opts *o, const size_t *jobs, size_t n, gr_error *err)
{
    workers_opts w = *o;
    w.jobs = o->jobs < 1 ? 1 : o->jobs > 256 ? 256 : o->jobs;
    if (w.report_size == 0 || w.report_size > PIPE_BUF)
        return gr_error_set(err, GR_EINTERNAL, NULL, 0, 0, "a worker's report must fit a pipe");
    int rc = 0;
    size_t next = 0, done = 0;
    slot *slots = calloc((size_t)w.jobs, sizeof *slots);
    struct pollfd *pfd = calloc((size_t)w.jobs, sizeof *pfd);
    int *pk = calloc((size_t)w.jobs, sizeof *pk);
    /* A dead worker's pipe must give EPIPE, not kill the batch. */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_pipe;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old_pipe);
    /* Workers are forks: what they inherit of the parent's heap must stay
     * reachable from a root, or valgrind (which follows fork) reports it
     * as lost when a worker exits. */
    static void *inherited[3];
    inherited[0] = slots, inherited[1] = pfd, inherited[2] = pk;
    if (!slots || !pfd || !pk) {
        rc = gr_error_nomem(err);
        goto out;
    }
    for (int k = 0; k < w.jobs; k++)
        if (!(slots[k].report = malloc(w.report_size))) {
            rc = gr_error_nomem(err);
            goto out;
        }
    while (done < n) {
        for (int k = 0; k < w.jobs && next < n; k++) {
            if (slots[k].busy)
                continue;
            size_t job = jobs[next++];
            if (!slots[k].pid && (rc = spawn(&w, slots, k, err)) != 0)
                goto out;
            if (assign(&slots[k], job) != 0) { /* died while idle: a fresh one */
                stop_worker(&slots[k], true);
                if ((rc = spawn(&w, slots, k, err)) != 0)
                    goto out;
                if (assign(&slots[k], job) != 0) {
                    rc = gr_error_set(err, GR_EIO, NULL, 0, 0, "cannot reach a worker: %s",
                                      strerror(errno));
                    goto out;
                }
            }
        }
        int npoll = 0, wait_ms = -1;
        double left = 1e9;
        for (int k = 0; k < w.jobs; k++) {
            if (!slots[k].busy)
                continue;
            pk[npoll] = k;
            pfd[npoll++] = (struct pollfd){.fd = slots[k].from, .events = POLLIN};
            if (w.timeout > 0 && w.timeout - since(&slots[k].start) < left)
                left = w.timeout - since(&slots[k].start);
        }
        if (!npoll)
            continue;
        if (w.timeout > 0)
            wait_ms = left <= 0 ? 0 : (int)(left * 1000) + 1;
        int pn = poll(pfd, (nfds_t)npoll, wait_ms);
        if (pn < 0 && errno != EINTR) {
            rc = gr_error_set(err, GR_EIO, NULL, 0, 0, "poll: %s", strerror(errno));
            goto out;
        }
        for (int q = 0; q < npoll; q++) {
            slot *s = &slots[pk[q]];
            bool over = false, timed_out = false;
            if (pn > 0 && pfd[q].revents) {
                ssize_t got = read(s->from, s->report + s->got, w.report_size - s->got);
                if (got > 0)
                    s->got += (size_t)got;
                else if (got == 0 || errno != EINTR)
                    over = true;
                if (s->got == w.report_size)
                    over = true;
            }
            if (!over && w.timeout > 0 && since(&s->start) >= w.timeout)
                over = timed_out = true;
            if (!over)
                continue;
            worker_end how = WORKER_DONE;
            int status = 0;
            s->busy = false;
            if (timed_out || s->got != w.report_size) {
                status = stop_worker(s, timed_out);
                how = timed_out ? WORKER_TIMEOUT : WORKER_CRASHED;
            }
            done++;
            rc = w.done(w.ctx, s->job, how, status, how == WORKER_DONE ? s->report : NULL,
                        running_job(slots, w.jobs));
            if (rc < 0)
                goto out;
        }
    }
out:
    /* Idle workers exit on end-of-file; busy ones only on a batch failure. */
    for (int k = 0; slots && k < w.jobs; k++) {
        stop_worker(&slots[k], slots[k].busy);
        free(slots[k].report);
    }
    sigaction(SIGPIPE, &old_pipe, NULL);
    free(slots);
    free(pfd);
    free(pk);
    memset(inherited, 0, sizeof inherited);
    return rc;
}
