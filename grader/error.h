/* error.h - the error record every module fills and main prints. */
#ifndef GRADER_ERROR_H
#define GRADER_ERROR_H

#include <stddef.h>

/* Error codes: functions return 0 or one of these (always negative). */
enum {
    GR_OK = 0,
    GR_EUSAGE = -1, /* bad command-line use */
    GR_EINPUT = -2, /* bad input file: rubric, roster, post, reviews */
    GR_EIO = -3,    /* could not read or write a file */
    GR_ENOMEM = -4, /* allocation failed */
    GR_EGIT = -5,   /* libgit2 failure */
    GR_ELIMIT = -6, /* input over a size cap */
    GR_EINTERNAL = -7,
};

/* Where an error happened and what to do about it. file/line/col are
 * optional (empty / 0): printed as "file:line:col: message". */
typedef struct gr_error {
    int code;
    int line; /* 1-based, 0 if none */
    int col;  /* 1-based, 0 if none */
    char file[512];
    char msg[1024];
} gr_error;

/* Fill err (may be NULL) and return code, so callers can write
 * `return gr_error_set(err, GR_EINPUT, path, line, 0, "...")`. */
int gr_error_set(gr_error *err, int code, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Shorthand for an out-of-memory error. */
int gr_error_nomem(gr_error *err);

/* Reset to "no error". */
void gr_error_clear(gr_error *err);

/* Format as "file:line:col: message" into buf (always NUL-terminated). */
void gr_error_format(const gr_error *err, char *buf, size_t size);

#endif
