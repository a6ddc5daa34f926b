/* serve_handlers.c - grader serve's routes: who is asking (a token),
 * what they may do, and the page or redirect they get. */
#include "serve_handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fetch.h"
#include "form.h"
#include "serve_pages.h"
#include "serve_review.h"
#include "token.h"

void reply_message(reply *r, int status, const char *title, const char *text)
{
    r->status = status;
    sb_reset(&r->body);
    page_message(&r->body, title, text);
}

/* The same answer for every unknown path and every wrong token. */
static void not_found(reply *r)
{
    reply_message(r, MHD_HTTP_NOT_FOUND, "Not found", "There is nothing at this address.");
}

void reply_server_error(reply *r, const gr_error *err)
{
    char buf[1200];
    gr_error_format(err, buf, sizeof buf);
    fprintf(stderr, "grader serve: %s\n", buf);
    reply_message(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "Something went wrong",
                  "The server could not complete this request; nothing was changed. Try again in a "
                  "moment, and tell your instructor if it keeps happening.");
}

/* ---- the person behind a token, and their settings ---- */

typedef struct who {
    db_role role;
    char *id;
    char hash[2 * SHA256_LEN + 1];
    char csrf[33];
    page_ctx pc;
    char deadline[32];
    char *name; /* students */
    bool author;
} who;

static void who_free(who *w)
{
    free(w->id);
    free(w->name);
}

static int setting_int(app *a, const char *key, long long dflt, long long *out, gr_error *err)
{
    char *v;
    int rc = db_get(a->d, key, &v, err);
    *out = dflt;
    if (!rc && v && *v)
        *out = strtoll(v, NULL, 10);
    free(v);
    return rc;
}

static int load_ctx(app *a, who *w, gr_error *err)
{
    long long deadline, released;
    char *anon = NULL;
    int rc = setting_int(a, "deadline", 0, &deadline, err);
    if (!rc)
        rc = setting_int(a, "released", 0, &released, err);
    if (!rc)
        rc = db_get(a->d, "anonymous", &anon, err);
    if (rc)
        return rc;
    w->pc.rb = a->rb;
    w->pc.csrf = w->csrf;
    w->pc.anonymous = !anon || !strcmp(anon, "both") ? ANON_AUTHORS | ANON_REVIEWERS
                      : !strcmp(anon, "authors")     ? ANON_AUTHORS
                                                     : 0;
    free(anon);
    w->pc.released = released != 0;
    w->pc.closed = deadline > 0 && (long long)time(NULL) > deadline;
    w->deadline[0] = 0;
    if (deadline > 0)
        fetch_format_time((int64_t)deadline, w->deadline, sizeof w->deadline);
    w->pc.deadline = w->deadline;
    return 0;
}

/* 0 and w filled, 1 for "no such person here" (reply a 404), <0 error. */
static int authenticate(app *a, const char *tok, size_t len, db_role want, who *w, gr_error *err)
{
    memset(w, 0, sizeof *w);
    if (!token_well_formed(tok, len))
        return 1;
    token_hash_hex(tok, len, w->hash);
    int rc = db_who(a->d, w->hash, &w->role, &w->id, err);
    if (rc)
        return rc;
    if (w->role != want)
        return 1;
    unsigned char mac[SHA256_LEN];
    char msg[80];
    snprintf(msg, sizeof msg, "csrf:%s", w->hash);
    hmac_sha256(a->secret, sizeof a->secret, msg, strlen(msg), mac);
    hex_encode(mac, 16, w->csrf);
    if (want == DB_STUDENT) {
        db_person_row p;
        bool found;
        if ((rc = db_person_get(a->d, w->id, &p, &found, err)))
            return rc;
        w->name = p.name;
        w->author = p.author;
        free(p.id);
        if (!found)
            return 1;
    }
    return load_ctx(a, w, err);
}

static bool csrf_ok(const who *w, const form *f)
{
    const char *t = form_get(f, "csrf");
    return t && strlen(t) == 32 && ct_equal(t, w->csrf, 32);
}

static bool parse_n(const char *s, long *out)
{
    if (!*s || strlen(s) > 15)
        return false;
    long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return true;
}

/* Parse a POST body, or fill the reply with why not (1). */
static int read_form(req *q, const who *w, size_t nfields, form *f, reply *r, char *msg,
                     size_t msize)
{
    gr_error e = {0};
    form_limits lim = {.max_fields = nfields, .max_name = 32, .max_value = REVIEW_OVERALL_MAX * 2};
    if (q->too_big) {
        r->status = MHD_HTTP_CONTENT_TOO_LARGE;
        snprintf(msg, msize, "The form was too large and was not saved.");
        return 1;
    }
    if (form_parse(q->body.s ? q->body.s : "", q->body.len, &lim, f, &e)) {
        r->status = MHD_HTTP_BAD_REQUEST;
        snprintf(msg, msize, "The form could not be read (%s); nothing was saved.", e.msg);
        return 1;
    }
    if (!csrf_ok(w, f)) {
        form_free(f);
        r->status = MHD_HTTP_FORBIDDEN;
        snprintf(msg, msize,
                 "This form is out of date or did not come from this page; nothing "
                 "was saved. Reload the page and try again.");
        return 1;
    }
    return 0;
}

/* A one-button form: field must be "1" or "0" (*yes). 1 and the reply
 * filled when the form is refused. */
static int read_choice(req *q, const who *w, const char *field, const char *what, reply *r,
                       bool *yes)
{
    form f = {0};
    char msg[1400];
    if (read_form(q, w, 4, &f, r, msg, sizeof msg)) {
        reply_message(r, r->status, "Not saved", msg);
        return 1;
    }
    const char *v = form_get(&f, field);
    int bad = !v || (strcmp(v, "1") && strcmp(v, "0"));
    *yes = !bad && !strcmp(v, "1");
    form_free(&f);
    if (bad)
        reply_message(r, MHD_HTTP_BAD_REQUEST, "Not saved", what);
    return bad;
}

/* ---- reviewer ---- */

static size_t task_number(app *a, const who *w, long n, gr_error *err, int *rc)
{
    db_review *t;
    size_t nt, k = 0;
    if ((*rc = db_tasks(a->d, w->id, &t, &nt, err)))
        return 0;
    for (size_t i = 0; i < nt; i++)
        if (t[i].n == n)
            k = i + 1;
    db_reviews_free(t, nt);
    return k;
}

static void review_page(app *a, who *w, const db_review *rv, const char *error, const char *notice,
                        reply *r, gr_error *err)
{
    char *body, *commit, *path;
    size_t len = 0;
    bool found;
    int rc = db_post_get(a->d, rv->author, &body, &len, &commit, &path, &found, err);
    size_t number = rc ? 0 : task_number(a, w, rv->n, err, &rc);
    if (rc) {
        reply_server_error(r, err);
    } else {
        sb_reset(&r->body);
        page_review(&r->body, &w->pc, rv, number, found ? body : "*The post could not be read.*",
                    found ? len : 29, error, notice);
    }
    free(body);
    free(commit);
    free(path);
}

static void do_review(app *a, struct MHD_Connection *c, req *q, who *w, bool post, long n, reply *r,
                      gr_error *err)
{
    db_review cur, typed = {0};
    bool found;
    size_t nc = a->rb->ncriteria;
    int rc = db_review_get(a->d, n, w->id, nc, &cur, &found, err);
    if (rc) {
        reply_server_error(r, err);
        return;
    }
    if (!found) {
        not_found(r);
        return;
    }
    if (!post) {
        const char *s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "saved");
        const char *notice = !s                    ? NULL
                             : !strcmp(s, "draft") ? "Draft saved."
                             : !strcmp(s, "submitted")
                                 ? "Review submitted. You can still change it until the deadline."
                                 : NULL;
        r->status = MHD_HTTP_OK;
        review_page(a, w, &cur, NULL, notice, r, err);
        db_review_free(&cur);
        return;
    }
    form f = {0};
    char msg[1400];
    gr_error fe = {0};
    if (read_form(q, w, 3 * nc + 8, &f, r, msg, sizeof msg)) {
        review_page(a, w, &cur, msg, NULL, r, err);
        db_review_free(&cur);
        return;
    }
    typed.n = n;
    int vr = review_from_form(&f, a->rb, &typed, &fe);
    const db_review *show = typed.items ? &typed : &cur;
    if (vr == GR_ENOMEM) {
        reply_server_error(r, &fe);
    } else if (w->pc.closed) {
        r->status = MHD_HTTP_FORBIDDEN;
        review_page(a, w, &cur, "The review deadline has passed: nothing was saved.", NULL, r, err);
    } else if (vr) {
        r->status = MHD_HTTP_BAD_REQUEST;
        snprintf(msg, sizeof msg, "Not saved: %s.", fe.msg);
        typed.state = cur.state;
        review_page(a, w, show, msg, NULL, r, err);
    } else if (typed.state == DB_DRAFT && cur.state == DB_SUBMITTED) {
        r->status = MHD_HTTP_BAD_REQUEST;
        typed.state = cur.state;
        review_page(a, w, show, "Not saved: this review is already submitted; use Submit changes.",
                    NULL, r, err);
    } else if ((rc = db_review_save(a->d, &typed, w->id, &found, err))) {
        reply_server_error(r, err);
    } else {
        /* Stored and committed: only now does the browser hear so. */
        r->status = MHD_HTTP_SEE_OTHER;
        r->location = typed.state == DB_SUBMITTED ? "?saved=submitted" : "?saved=draft";
        sb_reset(&r->body);
        sb_puts(&r->body, "Saved.");
    }
    form_free(&f);
    db_review_free(&typed);
    db_review_free(&cur);
}

static void do_home(app *a, who *w, reply *r, gr_error *err)
{
    db_review *t;
    size_t n;
    if (db_tasks(a->d, w->id, &t, &n, err)) {
        reply_server_error(r, err);
        return;
    }
    r->status = MHD_HTTP_OK;
    page_home(&r->body, &w->pc, w->name, t, n, w->author);
    db_reviews_free(t, n);
}

static void do_feedback(app *a, struct MHD_Connection *c, req *q, who *w, bool post, long n,
                        reply *r, gr_error *err)
{
    if (!w->pc.released || !w->author) {
        reply_message(r, MHD_HTTP_NOT_FOUND, "Not yet",
                      "The reviews of your post are not released yet.");
        return;
    }
    const char *notice = NULL;
    if (post) {
        bool found = false, yes;
        if (read_choice(q, w, "helpful", "Choose Yes or No.", r, &yes))
            return;
        int rc = db_helpful_set(a->d, n, w->id, yes, &found, err);
        if (rc) {
            reply_server_error(r, err);
            return;
        }
        if (!found) {
            not_found(r);
            return;
        }
        r->status = MHD_HTTP_SEE_OTHER;
        r->location = "../feedback?voted=1";
        sb_puts(&r->body, "Saved.");
        return;
    }
    if (MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "voted"))
        notice = "Thank you: your answer is saved.";
    db_review *v;
    size_t nv;
    if (db_reviews_of(a->d, w->id, a->rb->ncriteria, &v, &nv, err)) {
        reply_server_error(r, err);
        return;
    }
    r->status = MHD_HTTP_OK;
    page_feedback(&r->body, &w->pc, w->name, v, nv, notice);
    db_reviews_free(v, nv);
}

/* ---- instructor ---- */

static void do_instructor(app *a, struct MHD_Connection *c, who *w, reply *r, gr_error *err)
{
    db_review *v = NULL;
    size_t nv = 0, np = 0, nc = a->rb->ncriteria;
    db_person_row *p = NULL;
    int *ap = NULL;
    int rc = db_reviews_all(a->d, nc, &v, &nv, err);
    if (!rc)
        rc = db_people(a->d, &p, &np, err);
    if (!rc && !(ap = malloc((np * nc + 1) * sizeof *ap)))
        rc = gr_error_nomem(err);
    for (size_t i = 0; !rc && i < np; i++)
        rc = db_auto_points(a->d, p[i].id, nc, ap + i * nc, err);
    if (rc) {
        reply_server_error(r, err);
    } else {
        instructor_data d = {v, nv, p, np, ap};
        const char *notice = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "released")
                                 ? (w->pc.released ? "Feedback released: authors can read "
                                                     "their reviews."
                                                   : "Feedback withheld.")
                                 : NULL;
        r->status = MHD_HTTP_OK;
        page_instructor(&r->body, &w->pc, &d, notice);
    }
    free(ap);
    db_people_free(p, np);
    db_reviews_free(v, nv);
}

static void do_csv(app *a, reply *r, gr_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    int rc = fp ? db_export_reviews(a->d, a->rb, fp, err) : gr_error_nomem(err);
    if (fp)
        fclose(fp);
    if (rc) {
        free(buf);
        reply_server_error(r, err);
        return;
    }
    r->status = MHD_HTTP_OK;
    r->ctype = "text/csv; charset=utf-8";
    r->filename = "reviews.csv";
    sb_add(&r->body, buf, len);
    free(buf);
}

static void do_release(app *a, req *q, who *w, reply *r, gr_error *err)
{
    bool yes;
    if (read_choice(q, w, "released", "released must be 1 or 0.", r, &yes))
        return;
    int rc = db_set(a->d, "released", yes ? "1" : "0", err);
    if (rc) {
        reply_server_error(r, err);
        return;
    }
    r->status = MHD_HTTP_SEE_OTHER;
    r->location = "./?released=1";
    sb_puts(&r->body, "Saved.");
}

/* ---- routing ---- */

/* Split "/a/b/c" into at most 5 segments (copied into buf). */
static size_t split(const char *url, char *buf, size_t size, char **seg, size_t max)
{
    size_t n = 0;
    if (strlen(url) >= size || url[0] != '/')
        return 0;
    strcpy(buf, url + 1);
    char *p = buf;
    while (n < max) {
        seg[n++] = p;
        char *s = strchr(p, '/');
        if (!s)
            return n;
        *s = 0;
        p = s + 1;
    }
    return max + 1; /* too many */
}

void serve_route(app *a, struct MHD_Connection *c, req *q, const char *url, bool post, reply *r)
{
    char buf[256], *s[5];
    size_t n = split(url, buf, sizeof buf, s, 4);
    gr_error err = {0};
    who w;
    if (n == 1 && !strcmp(s[0], "style.css") && !post) {
        r->status = MHD_HTTP_OK;
        r->ctype = "text/css; charset=utf-8";
        r->cacheable = true;
        page_css(&r->body);
        return;
    }
    if (n < 2 || n > 4 || (strcmp(s[0], "r") && strcmp(s[0], "i"))) {
        not_found(r);
        return;
    }
    bool instructor = !strcmp(s[0], "i");
    int rc = authenticate(a, s[1], strlen(s[1]), instructor ? DB_INSTRUCTOR : DB_STUDENT, &w, &err);
    if (rc) {
        if (rc < 0)
            reply_server_error(r, &err);
        else
            not_found(r);
        who_free(&w);
        return;
    }
    long num = 0;
    if (n == 2 && !post) { /* "/r/TOKEN": relative links need the slash */
        r->status = MHD_HTTP_SEE_OTHER;
        strbuf loc;
        sb_init(&loc);
        sb_printf(&loc, "%s/", s[1]);
        r->own_location = sb_detach(&loc);
        who_free(&w);
        return;
    }
    if (instructor) {
        if (n == 3 && !*s[2] && !post)
            do_instructor(a, c, &w, r, &err);
        else if (n == 3 && !strcmp(s[2], "reviews.csv") && !post)
            do_csv(a, r, &err);
        else if (n == 3 && !strcmp(s[2], "release") && post)
            do_release(a, q, &w, r, &err);
        else
            not_found(r);
    } else if (n == 3 && !*s[2] && !post) {
        do_home(a, &w, r, &err);
    } else if (n == 4 && !strcmp(s[2], "review") && parse_n(s[3], &num)) {
        do_review(a, c, q, &w, post, num, r, &err);
    } else if (n == 3 && !strcmp(s[2], "feedback") && !post) {
        do_feedback(a, c, q, &w, false, 0, r, &err);
    } else if (n == 4 && !strcmp(s[2], "feedback") && post && parse_n(s[3], &num)) {
        do_feedback(a, c, q, &w, true, num, r, &err);
    } else {
        not_found(r);
    }
    who_free(&w);
}
