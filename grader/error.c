#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int gr_error_set(gr_error *err, int code, const char *file, int line, int col, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->line = line;
    err->col = col;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

int gr_error_nomem(gr_error *err)
{
    return gr_error_set(err, GR_ENOMEM, NULL, 0, 0, "out of memory");
}

void gr_error_clear(gr_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void gr_error_format(const gr_error *err, char *buf, size_t size)
{
    if (!size)
        return;
    if (!err->file[0])
        snprintf(buf, size, "%s", err->msg);
    else if (err->line && err->col)
        snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
    else if (err->line)
        snprintf(buf, size, "%s:%d: %s", err->file, err->line, err->msg);
    else
        snprintf(buf, size, "%s: %s", err->file, err->msg);
}
