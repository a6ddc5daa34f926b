/* serve.h - grader serve's HTTP server on libmicrohttpd: routing, security
 * headers, request limits, and the handlers joining db and serve_pages.
 *
 * Routes (serve_handlers.c; TOKEN: a link token; anything else, or a wrong token, is a 404
 * that says nothing):
 *   GET  /style.css
 *   GET  /r/TOKEN/                 a reviewer's list of reviews
 *   GET  /r/TOKEN/review/N         one review: the post and the form
 *   POST /r/TOKEN/review/N         save a draft or submit (303 when stored)
 *   GET  /r/TOKEN/feedback         the author's reviews, once released
 *   POST /r/TOKEN/feedback/N       "was this review helpful"
 *   GET  /i/TOKEN/                 the instructor's page
 *   GET  /i/TOKEN/reviews.csv      every submitted review, as grader collect reads
 *   POST /i/TOKEN/release          release or withhold feedback to authors */
#ifndef GRADER_SERVE_H
#define GRADER_SERVE_H

#include <stddef.h>

#include "db.h"
#include "error.h"

typedef struct serve_opts {
    const char *listen;    /* "ADDR:PORT" or "[ADDR6]:PORT"; port 0 picks a free one */
    const char *port_file; /* when set, the bound port is written there */
    int threads;           /* worker threads (default 4) */
    size_t max_body;       /* bytes of a request body (default 256 KiB) */
} serve_opts;

/* Serve until SIGINT or SIGTERM. Prints "listening on http://ADDR:PORT/"
 * on stdout once bound. */
int serve_run(db *d, const serve_opts *o, gr_error *err);

/* "127.0.0.1:8080" / "[::1]:0" into a socket address (sockaddr_in or
 * sockaddr_in6 in *ss), for serve_run and for validating --listen early. */
struct sockaddr_storage;
int serve_parse_listen(const char *s, struct sockaddr_storage *ss, gr_error *err);

#endif
