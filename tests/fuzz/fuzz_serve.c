/* libFuzzer target: what grader serve reads from a browser. A request
 * body through form_parse with the limits the review form uses, the form
 * into a review (review_from_form, against the bundled rubric), and a
 * --listen address. Web requests are hostile input: a parse either
 * succeeds with fields that keep every promise of form.h, or fails with a
 * message and nothing to free. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "form.h"
#include "fuzzutil.h"
#include "rubric.h"
#include "serve.h"
#include "serve_review.h"
#include "util.h"

static void check_form(const form *f, const form_limits *lim)
{
    if (f->n > lim->max_fields)
        abort();
    for (size_t i = 0; i < f->n; i++) {
        const form_field *x = &f->v[i];
        size_t nl = strlen(x->name);
        if (!nl || nl > lim->max_name || x->vlen > lim->max_value || strlen(x->value) != x->vlen ||
            !utf8_valid(x->value, x->vlen, NULL))
            abort();
        for (size_t j = 0; j < i; j++)
            if (!strcmp(f->v[j].name, x->name))
                abort(); /* a name given twice is refused */
        if (form_get(f, x->name) != x->value)
            abort();
    }
}

static void check_review(const db_review *rv, const rubric *rb, bool submitted)
{
    if (rv->nitems != rb->ncriteria)
        abort();
    for (size_t i = 0; i < rv->nitems; i++) {
        const db_item *it = &rv->items[i];
        if (it->met < -1 || it->met > 1 || (submitted && it->met < 0))
            abort(); /* a submitted review judges every criterion */
        if (it->has_points && (it->points < 0 || it->points > rb->criteria[i].points))
            abort();
        if (it->comment && strlen(it->comment) > REVIEW_COMMENT_MAX)
            abort();
    }
    if (rv->overall && strlen(rv->overall) > REVIEW_OVERALL_MAX)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024) /* serve's default body cap */
        return 0;
    fuzz_part part[2];
    size_t np = fuzz_split(data, size, part, 2);
    const rubric *rb = fuzz_rubric();
    form_limits lim = {
        .max_fields = 3 * rb->ncriteria + 8, .max_name = 32, .max_value = 2 * REVIEW_OVERALL_MAX};
    form f;
    gr_error err = {0};
    if (form_parse(part[0].p, part[0].n, &lim, &f, &err) == 0) {
        check_form(&f, &lim);
        db_review rv = {0};
        gr_error rerr = {0};
        int rc = review_from_form(&f, rb, &rv, &rerr);
        if (rc == 0) {
            const char *action = form_get(&f, "action");
            check_review(&rv, rb, action && !strcmp(action, "submit"));
        } else if (!rerr.msg[0]) {
            abort(); /* the page shows why */
        }
        db_review_free(&rv);
        form_free(&f);
    } else if (!err.msg[0] || f.n || f.v) {
        abort();
    }
    if (np == 2 && part[1].n < 512) {
        char *addr = strndup(part[1].p, part[1].n);
        if (!addr)
            abort();
        struct sockaddr_storage ss;
        gr_error lerr = {0};
        if (serve_parse_listen(addr, &ss, &lerr) != 0 && !lerr.msg[0])
            abort();
        free(addr);
    }
    return 0;
}
