/* serve_review.c - a review form into a review. */
#include "serve_review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"

/* Browsers send textarea line ends as CRLF: store LF. */
static char *text_field(const form *f, const char *name)
{
    const char *v = form_get(f, name);
    char *s = strdup(v ? v : ""), *o = s;
    if (!s)
        return NULL;
    for (const char *p = s; *p; p++)
        if (!(p[0] == '\r' && p[1] == '\n'))
            *o++ = *p;
    *o = 0;
    return s;
}

int review_from_form(const form *f, const rubric *rb, db_review *out, gr_error *err)
{
    size_t nc = rb->ncriteria;
    char name[32];
    int rc = 0;
    out->items = calloc(nc ? nc : 1, sizeof *out->items);
    out->nitems = nc;
    out->overall = text_field(f, "overall");
    const char **cells = calloc(nc ? nc : 1, sizeof *cells);
    char(*buf)[32] = calloc(nc ? nc : 1, sizeof *buf);
    if (!out->items || !out->overall || !cells || !buf) {
        rc = gr_error_nomem(err);
        goto out;
    }
    const char *action = form_get(f, "action");
    bool submit = action && !strcmp(action, "submit");
    if (!action || (!submit && strcmp(action, "draft")))
        rc = gr_error_set(err, GR_EINPUT, "", 0, 0,
                          "choose Save draft or Submit review (the form sent neither)");
    out->state = submit ? DB_SUBMITTED : DB_DRAFT;
    if (!rc && strlen(out->overall) > REVIEW_OVERALL_MAX)
        rc = gr_error_set(err, GR_EINPUT, "", 0, 0,
                          "the overall comment is too long (at most %d bytes)", REVIEW_OVERALL_MAX);
    double maxpts = rb->max_points + rb->bonus_points;
    /* First fill every item, so an error still shows all that was typed. */
    for (size_t i = 0; i < nc; i++) {
        db_item *it = &out->items[i];
        snprintf(name, sizeof name, "c_%zu", i);
        if (!(it->comment = text_field(f, name))) {
            rc = gr_error_nomem(err);
            goto out;
        }
        snprintf(name, sizeof name, "m_%zu", i);
        const char *m = form_get(f, name);
        it->met = m && !strcmp(m, "1") ? 1 : m && !strcmp(m, "0") ? 0 : -1;
        snprintf(name, sizeof name, "p_%zu", i);
        const char *p = form_get(f, name);
        const criterion *cr = &rb->criteria[i];
        if (!rc && m && *m && it->met < 0)
            rc = gr_error_set(err, GR_EINPUT, "", 0, 0, "%s: the verdict must be met or not met",
                              cr->id);
        if (!rc && strlen(it->comment) > REVIEW_COMMENT_MAX)
            rc = gr_error_set(err, GR_EINPUT, "", 0, 0,
                              "%s: the comment is too long (at most %d bytes)", cr->id,
                              REVIEW_COMMENT_MAX);
        if (p && *p) {
            snprintf(buf[i], sizeof buf[i], "%.31s", p);
            if (strlen(p) > 24 && !rc)
                rc = gr_error_set(err, GR_EINPUT, "", 0, 0, "%s: '%s' is not a number", cr->id,
                                  buf[i]);
            /* one cell at a time: its own number and range check */
            const char **one = calloc(nc, sizeof *one);
            bool done;
            if (!one) {
                rc = gr_error_nomem(err);
                goto out;
            }
            one[i] = buf[i];
            gr_error e1 = {0};
            if (!collect_check_review(rb, maxpts, one, NULL, "", 0, &done, &it->points, &e1))
                it->has_points = true;
            else if (!rc)
                rc = gr_error_set(err, GR_EINPUT, "", 0, 0, "%s", e1.msg);
            free(one);
        } else if (it->met >= 0 && submit) {
            it->points = it->met ? cr->points : 0;
            it->has_points = true;
        }
        if (!rc && submit && it->met < 0)
            rc = gr_error_set(err, GR_EINPUT, "", 0, 0,
                              "%s: choose met or not met (every criterion, to submit)", cr->id);
    }
    if (rc)
        goto out;
    /* The whole review as a reviews.csv row would be checked. */
    size_t filled = 0;
    for (size_t i = 0; i < nc; i++) {
        if (out->items[i].has_points) {
            snprintf(buf[i], sizeof buf[i], "%.17g", out->items[i].points);
            cells[i] = buf[i];
            filled++;
        } else
            cells[i] = submit ? "" : NULL;
    }
    bool done;
    if (submit || filled)
        rc = collect_check_review(rb, maxpts, cells, NULL, "", 0, &done, &out->score, err);
out:
    free(cells);
    free(buf);
    return rc;
}
