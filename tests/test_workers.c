/* Unit tests for workers.c: reports come back whatever the number of
 * workers, a job past the timeout is killed, a crash costs one job, and a
 * worker serves many jobs. */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "workers.h"

typedef struct report {
    size_t job;
    long pid;
} report;

enum { NJOBS = 40, SLOW = 7, CRASH = 11 };

typedef struct seen {
    worker_end how[NJOBS];
    int wait_status[NJOBS];
    long pid[NJOBS];
    int ended;
    bool slow_and_crash; /* job SLOW stalls, job CRASH dies */
} seen;

static void work(void *ctx, size_t job, void *rep)
{
    const seen *s = ctx;
    if (s->slow_and_crash && job == SLOW)
        sleep(30);
    if (s->slow_and_crash && job == CRASH)
        kill(getpid(), SIGKILL); /* not SIGSEGV: ASan would catch it */
    report *r = rep;
    r->job = job;
    r->pid = (long)getpid();
}

static int done(void *ctx, size_t job, worker_end how, int wait_status, const void *rep,
                size_t running)
{
    seen *s = ctx;
    (void)running;
    ck_assert_uint_lt(job, NJOBS);
    s->how[job] = how;
    s->wait_status[job] = wait_status;
    if (how == WORKER_DONE) {
        const report *r = rep;
        ck_assert_uint_eq(r->job, job);
        s->pid[job] = r->pid;
    } else {
        ck_assert_ptr_null(rep);
    }
    s->ended++;
    return 0;
}

static void run(seen *s, int jobs, int timeout)
{
    size_t todo[NJOBS];
    for (size_t i = 0; i < NJOBS; i++)
        todo[i] = i;
    workers_opts o = {.jobs = jobs,
                      .timeout = timeout,
                      .report_size = sizeof(report),
                      .work = work,
                      .done = done,
                      .ctx = s};
    gr_error err = {0};
    ck_assert_int_eq(workers_run(&o, todo, NJOBS, &err), 0);
    ck_assert_int_eq(s->ended, NJOBS);
}

START_TEST(every_job_reports_and_workers_are_reused)
{
    for (int jobs = 1; jobs <= 8; jobs += 7) {
        seen s = {0};
        run(&s, jobs, 0);
        int pids = 0;
        for (size_t i = 0; i < NJOBS; i++) {
            ck_assert_int_eq(s.how[i], WORKER_DONE);
            ck_assert_int_ne(s.pid[i], (long)getpid()); /* in a worker, not here */
            bool first = true;
            for (size_t j = 0; j < i; j++)
                first = first && s.pid[j] != s.pid[i];
            pids += first;
        }
        ck_assert_int_le(pids, jobs); /* one process served many jobs */
    }
}
END_TEST

START_TEST(a_stall_is_killed_and_a_crash_costs_one_job)
{
    seen s = {.slow_and_crash = true};
    run(&s, 3, 1);
    for (size_t i = 0; i < NJOBS; i++) {
        if (i == SLOW)
            ck_assert_int_eq(s.how[i], WORKER_TIMEOUT);
        else if (i == CRASH) {
            ck_assert_int_eq(s.how[i], WORKER_CRASHED);
            ck_assert(WIFSIGNALED(s.wait_status[i]) && WTERMSIG(s.wait_status[i]) == SIGKILL);
        } else
            ck_assert_msg(s.how[i] == WORKER_DONE, "job %zu ended %d", i, s.how[i]);
    }
}
END_TEST

static int stop_at_three(void *ctx, size_t job, worker_end how, int wait_status, const void *rep,
                         size_t running)
{
    (void)job, (void)how, (void)wait_status, (void)rep, (void)running;
    return ++*(int *)ctx == 3 ? GR_EIO : 0;
}

static void work_nothing(void *ctx, size_t job, void *rep)
{
    (void)ctx, (void)job, (void)rep;
}

START_TEST(done_can_stop_the_batch_and_reports_must_fit_a_pipe)
{
    size_t todo[NJOBS];
    for (size_t i = 0; i < NJOBS; i++)
        todo[i] = i;
    int n = 0;
    gr_error err = {0};
    workers_opts o = {
        .jobs = 2, .report_size = 8, .work = work_nothing, .done = stop_at_three, .ctx = &n};
    ck_assert_int_eq(workers_run(&o, todo, NJOBS, &err), GR_EIO);
    ck_assert_int_eq(n, 3);
    o.report_size = 1 << 20;
    ck_assert_int_eq(workers_run(&o, todo, NJOBS, &err), GR_EINTERNAL);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("workers");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, every_job_reports_and_workers_are_reused);
    tcase_add_test(tc, a_stall_is_killed_and_a_crash_costs_one_job);
    tcase_add_test(tc, done_can_stop_the_batch_and_reports_must_fit_a_pipe);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(make_suite)
