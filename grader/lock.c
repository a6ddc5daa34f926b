/* lock.c - a folder lock: flock(2) on a file that names its holder. */
#include "lock.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util.h"

/* "another grader grade (pid 123)" from the holder's "123 grade\n". */
static void holder(int fd, char *buf, size_t size)
{
    char text[64] = "";
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    long pid = 0;
    char cmd[32] = "";
    if (n > 0) {
        text[n] = '\0';
        if (sscanf(text, "%ld %31[a-z]", &pid, cmd) < 1)
            pid = 0;
    }
    if (pid > 0)
        snprintf(buf, size, "another grader %s (pid %ld)", cmd[0] ? cmd : "run", pid);
    else
        snprintf(buf, size, "another grader run");
}

int lock_take(gr_lock *lk, const char *dir, const char *name, const char *what, gr_error *err)
{
    lk->fd = -1;
    lk->path = lk->made = NULL;
    bool existed = access(dir, F_OK) == 0;
    int rc = mkdir_p(dir, err);
    if (rc)
        return rc;
    if (!existed && !(lk->made = strdup(dir)))
        return gr_error_nomem(err);
    if (!(lk->path = path_join(dir, name)))
        return gr_error_nomem(err);
    /* O_NOFOLLOW: a symbolic link put in its place is not written through. */
    int fd = open(lk->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        rc = gr_error_set(err, GR_EIO, lk->path, 0, 0, "cannot create the lock file: %s",
                          strerror(errno));
        goto fail;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        char who[96];
        if (e == EWOULDBLOCK) {
            holder(fd, who, sizeof who);
            rc = gr_error_set(err, GR_EIO, lk->path, 0, 0,
                              "%s is using %s; run again when it has finished", who, dir);
        } else
            rc = gr_error_set(err, GR_EIO, lk->path, 0, 0, "cannot lock: %s", strerror(e));
        close(fd);
        goto fail;
    }
    char line[64];
    int n = snprintf(line, sizeof line, "%ld %.32s\n", (long)getpid(), what);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)n, 0) != n) {
        /* only the other run's message depends on it: the lock is held */
    }
    lk->fd = fd;
    return 0;
fail:
    free(lk->path);
    lk->path = NULL;
    lock_abandon(lk);
    return rc;
}

char *lock_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    char *d = strdup(path);
    if (d)
        d[slash - path] = '\0';
    return d;
}

void lock_release(gr_lock *lk)
{
    if (lk->path)      /* set only while held */
        close(lk->fd); /* closing drops the flock */
    lk->fd = -1;
    free(lk->path);
    lk->path = NULL;
    free(lk->made);
    lk->made = NULL;
}

void lock_abandon(gr_lock *lk)
{
    if (lk->made && lk->path)
        unlink(lk->path);
    if (lk->made)
        rmdir(lk->made); /* fails, as it should, when anything else is there */
    lock_release(lk);
}
