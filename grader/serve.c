/* serve.c - grader serve's HTTP side: libmicrohttpd, security headers,
 * body limits, the listening socket; the routes are in serve_handlers.c. */
#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "serve_handlers.h"
#include "token.h"
#include "util.h"

/* Every page: no script, no outside resource, no framing, no referrer
 * (a link token is in every private URL). */
#define CSP                                                                                        \
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "                   \
    "frame-ancestors 'none'; base-uri 'none'"

static enum MHD_Result send_reply(struct MHD_Connection *c, reply *r)
{
    size_t len = r->body.len;
    char *data = sb_detach(&r->body);
    if (!data) {
        data = strdup("");
        len = 0;
        if (!data)
            return MHD_NO;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(len, data, free);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/html; charset=utf-8");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control",
                            r->cacheable ? "public, max-age=3600" : "no-store");
    if (r->location || r->own_location)
        MHD_add_response_header(resp, "Location", r->own_location ? r->own_location : r->location);
    if (r->filename) {
        char cd[128];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", r->filename);
        MHD_add_response_header(resp, "Content-Disposition", cd);
    }
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *data,
                               size_t *size, void **con_cls)
{
    (void)version;
    app *a = cls;
    bool post = !strcmp(method, MHD_HTTP_METHOD_POST);
    bool get = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
    req *q = *con_cls;
    reply r = {0};
    if (!q) {
        if (!(q = calloc(1, sizeof *q)))
            return MHD_NO;
        sb_init(&q->body);
        *con_cls = q;
        if (post) {
            /* Refuse an announced oversize body before reading it. */
            const char *cl =
                MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (cl && strtoull(cl, NULL, 10) > a->max_body) {
                reply_message(&r, MHD_HTTP_CONTENT_TOO_LARGE, "Too large",
                              "The form was too large and was not saved.");
                return send_reply(c, &r);
            }
        }
        return MHD_YES;
    }
    if (*size) {
        if (q->body.len + *size > a->max_body) {
            /* chunked, no length: stop reading, close the connection */
            if (!MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH))
                return MHD_NO;
            q->too_big = true;
        } else
            sb_add(&q->body, data, *size);
        *size = 0;
        return MHD_YES;
    }
    if (!post && !get) {
        reply_message(&r, MHD_HTTP_METHOD_NOT_ALLOWED, "Not allowed", "Use GET or POST.");
    } else {
        serve_route(a, c, q, url, post, &r);
    }
    if (sb_failed(&r.body)) {
        sb_free(&r.body);
        gr_error e = {0};
        gr_error_nomem(&e);
        reply_server_error(&r, &e);
    }
    enum MHD_Result ok = send_reply(c, &r);
    free(r.own_location);
    sb_free(&r.body);
    return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    req *q = *con_cls;
    if (q) {
        sb_free(&q->body);
        free(q);
        *con_cls = NULL;
    }
}

int serve_parse_listen(const char *s, struct sockaddr_storage *ss, gr_error *err)
{
    char host[128];
    const char *colon = strrchr(s, ':');
    memset(ss, 0, sizeof *ss);
    if (!colon || colon == s || (size_t)(colon - s) >= sizeof host)
        return gr_error_set(err, GR_EUSAGE, "", 0, 0,
                            "--listen takes ADDR:PORT, e.g. 127.0.0.1:8080, not '%s'", s);
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = 0;
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || port < 0 || port > 65535)
        return gr_error_set(err, GR_EUSAGE, "", 0, 0, "--listen: '%s' is not a port (0 to 65535)",
                            colon + 1);
    size_t hl = strlen(host);
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        host[hl - 1] = 0;
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return gr_error_set(err, GR_EUSAGE, "", 0, 0, "--listen: '%s' is not an IPv6 address",
                                host + 1);
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        return 0;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return gr_error_set(err, GR_EUSAGE, "", 0, 0,
                            "--listen: '%s' is not an IPv4 address (or [IPv6])", host);
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    return 0;
}

static int load_app(db *d, app *a, gr_error *err)
{
    char *rt = NULL, *sec = NULL;
    int rc = db_get(d, "rubric", &rt, err);
    if (rc)
        return rc;
    if (!rt) {
        return gr_error_set(err, GR_EINPUT, "", 0, 0,
                            "the database holds no assignment yet: run grader serve --init "
                            "(or grader assign --db) first");
    }
    rc = rubric_parse("rubric (in the database)", rt, strlen(rt), &a->rb, err);
    free(rt);
    if (rc)
        return rc;
    if ((rc = db_get(d, "secret", &sec, err)))
        return rc;
    if (!sec || strlen(sec) != 64) {
        free(sec);
        if ((rc = token_random(a->secret, sizeof a->secret, err)))
            return rc;
        char hx[65];
        hex_encode(a->secret, sizeof a->secret, hx);
        return db_set(d, "secret", hx, err);
    }
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(sec + 2 * i, "%2x", &v);
        a->secret[i] = (unsigned char)v;
    }
    free(sec);
    return 0;
}

int serve_run(db *d, const serve_opts *o, gr_error *err)
{
    struct sockaddr_storage ss;
    int rc = serve_parse_listen(o->listen ? o->listen : "127.0.0.1:8080", &ss, err);
    if (rc)
        return rc;
    app a = {.d = d, .max_body = o->max_body ? o->max_body : 256 * 1024};
    if ((rc = load_app(d, &a, err)))
        return rc;
    /* Signals go to sigwait below, not to the server's threads. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, handler, &a, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 0 ? o->threads : 4),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        completed, NULL, MHD_OPTION_END);
    if (!mhd) {
        rubric_free(a.rb);
        return gr_error_set(err, GR_EIO, "", 0, 0,
                            "could not listen on %s (in use? another address?)",
                            o->listen ? o->listen : "127.0.0.1:8080");
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(mhd, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    char host[INET6_ADDRSTRLEN] = "";
    if (ss.ss_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
    else
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
    if (o->port_file) {
        char pb[16];
        int pl = snprintf(pb, sizeof pb, "%u\n", port);
        if ((rc = write_file_atomic(o->port_file, pb, (size_t)pl, err))) {
            MHD_stop_daemon(mhd);
            rubric_free(a.rb);
            return rc;
        }
    }
    printf("grader serve: listening on http://%s%s%s:%u/ (Ctrl-C stops)\n",
           ss.ss_family == AF_INET6 ? "[" : "", host, ss.ss_family == AF_INET6 ? "]" : "", port);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    MHD_stop_daemon(mhd);
    rubric_free(a.rb);
    printf("grader serve: stopped (signal %d)\n", sig);
    return 0;
}
