/* serve_handlers.h - what grader serve answers: the routes, between the
 * HTTP plumbing (serve.c: libmicrohttpd, headers, limits) and the pages
 * (serve_pages.c). Internal to grader serve. */
#ifndef GRADER_SERVE_HANDLERS_H
#define GRADER_SERVE_HANDLERS_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "db.h"
#include "rubric.h"
#include "util.h"

/* The server's state, shared by every request (read-only after start). */
typedef struct app {
    db *d;
    rubric *rb;
    unsigned char secret[32];
    size_t max_body;
} app;

/* One request's body, gathered up to the cap. */
typedef struct req {
    strbuf body;
    bool too_big;
} req;

/* What a handler answers. */
typedef struct reply {
    int status;
    strbuf body;
    const char *ctype;
    const char *location; /* 303 target, relative */
    char *own_location;   /* the same, malloc'd (freed by the handler) */
    bool cacheable;       /* the stylesheet only */
    const char *filename; /* Content-Disposition: attachment */
} reply;

/* A short page as the reply. */
void reply_message(reply *r, int status, const char *title, const char *text);
/* The reply for a failure of ours (logged without any token). */
void reply_server_error(reply *r, const gr_error *err);

/* Answer a complete request (GET or HEAD when !post) for url into r. */
void serve_route(app *a, struct MHD_Connection *c, req *q, const char *url, bool post, reply *r);

#endif
