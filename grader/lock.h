/* lock.h - one grader run at a time per folder. fetch locks submissions/,
 * grade and collect lock the reports folder, so two runs never interleave
 * their writes. The lock is flock(2) on a file in the folder that holds
 * the holder's pid and command: the kernel drops it when the holder dies,
 * so a lock file left by a killed run is simply taken over. */
#ifndef GRADER_LOCK_H
#define GRADER_LOCK_H

#include "error.h"

typedef struct gr_lock {
    int fd;
    char *path; /* NULL when not held: a zeroed gr_lock is not held */
    char *made; /* the folder, when lock_take created it */
} gr_lock;

/* File names of the two locks. */
#define LOCK_SUBMISSIONS ".grader-fetch.lock"
#define LOCK_REPORTS ".grader-reports.lock"

/* Take dir/name for the command `what` ("fetch", "grade", ...), creating
 * dir as needed; never waits. When another process holds it: GR_EIO with
 * "dir/name: another grader <what> (pid N) is using <dir>: ...". */
int lock_take(gr_lock *lk, const char *dir, const char *name, const char *what, gr_error *err);
/* The folder of file path ("." when it has none), for locking the folder a
 * file is written in. malloc'd, NULL when out of memory. */
char *lock_dir_of(const char *path);
/* Release (the file stays: removing it would race with a process that has
 * just opened it). Safe on a lock not held. */
void lock_release(gr_lock *lk);
/* Release after a run that failed: a folder lock_take created is removed
 * again when it holds nothing else, so a refused run leaves no trace. */
void lock_abandon(gr_lock *lk);

#endif
