/* form.c - urlencoded form bodies, decoded and capped. */
#include "form.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode s[0..n) into a fresh string: 0, GR_ENOMEM, or 1 for a bad escape
 * and 2 for a NUL byte. */
static int decode(const char *s, size_t n, char **out, size_t *olen)
{
    char *d = malloc(n + 1);
    if (!d)
        return GR_ENOMEM;
    size_t o = 0;
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++) {
        char c = s[i];
        if (c == '+')
            c = ' ';
        else if (c == '%') {
            int a = i + 2 < n ? hexval(s[i + 1]) : -1, b = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (a < 0 || b < 0) {
                bad = 1;
                break;
            }
            c = (char)(a * 16 + b);
            i += 2;
        }
        if (!c)
            bad = 2;
        d[o++] = c;
    }
    if (bad) {
        free(d);
        return bad;
    }
    d[o] = 0;
    *out = d;
    *olen = o;
    return 0;
}

void form_free(form *f)
{
    for (size_t i = 0; f && i < f->n; i++) {
        free(f->v[i].name);
        free(f->v[i].value);
    }
    if (f) {
        free(f->v);
        f->v = NULL;
        f->n = 0;
    }
}

const char *form_get(const form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->v[i].name, name))
            return f->v[i].value;
    return NULL;
}

/* The name for a message: printable ASCII only, shortened. */
static void shown(const char *s, char *buf, size_t size)
{
    size_t o = 0;
    for (; *s && o + 4 < size; s++)
        buf[o++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
    if (*s)
        buf[o++] = '.', buf[o++] = '.', buf[o++] = '.';
    buf[o] = 0;
}

int form_parse(const char *body, size_t len, const form_limits *lim, form *out, gr_error *err)
{
    out->v = NULL;
    out->n = 0;
    size_t cap = 0;
    int rc = 0;
    char nm[48];
    for (size_t i = 0; i < len && !rc;) {
        const char *p = body + i;
        const char *amp = memchr(p, '&', len - i);
        size_t seg = amp ? (size_t)(amp - p) : len - i;
        i += seg + 1;
        if (!seg)
            continue;
        const char *eq = memchr(p, '=', seg);
        size_t nlen = eq ? (size_t)(eq - p) : seg;
        if (out->n >= lim->max_fields) {
            rc = gr_error_set(err, GR_ELIMIT, "", 0, 0, "the form has more than %zu fields",
                              lim->max_fields);
            break;
        }
        if (out->n == cap) {
            size_t ncap = cap ? 2 * cap : 16;
            form_field *nv = realloc(out->v, ncap * sizeof *nv);
            if (!nv) {
                rc = gr_error_nomem(err);
                break;
            }
            out->v = nv;
            cap = ncap;
        }
        form_field *f = &out->v[out->n];
        size_t dl, vl = 0;
        int k = decode(p, nlen, &f->name, &dl);
        if (k == GR_ENOMEM) {
            rc = gr_error_nomem(err);
            break;
        }
        if (k) {
            rc = gr_error_set(err, GR_EINPUT, "", 0, 0, "a field name holds %s",
                              k == 1 ? "a bad %-escape" : "a NUL byte");
            break;
        }
        shown(f->name, nm, sizeof nm);
        if (!dl || dl > lim->max_name || !utf8_valid(f->name, dl, NULL)) {
            rc = gr_error_set(err, GR_EINPUT, "", 0, 0, "field name '%s' is %s", nm,
                              !dl                  ? "empty"
                              : dl > lim->max_name ? "too long"
                                                   : "not UTF-8");
            free(f->name);
            break;
        }
        size_t vraw = eq ? seg - nlen - 1 : 0;
        /* An encoded byte takes 1 to 3 bytes: refuse before decoding what
         * cannot fit, so a huge value costs no allocation. */
        if (vraw / 3 > lim->max_value)
            k = 3;
        else
            k = decode(eq ? eq + 1 : "", vraw, &f->value, &vl);
        if (k == GR_ENOMEM) {
            free(f->name);
            rc = gr_error_nomem(err);
            break;
        }
        if (!k && vl > lim->max_value) {
            free(f->value);
            k = 3;
        }
        if (!k && !utf8_valid(f->value, vl, NULL)) {
            free(f->value);
            k = 4;
        }
        if (k) {
            static const char *const why[] = {"", "holds a bad %-escape", "holds a NUL byte",
                                              "is too long", "is not valid UTF-8"};
            if (k == 3)
                rc = gr_error_set(err, GR_ELIMIT, "", 0, 0,
                                  "field '%s' is too long (at most %zu bytes)", nm, lim->max_value);
            else
                rc = gr_error_set(err, GR_EINPUT, "", 0, 0, "field '%s' %s", nm, why[k]);
            free(f->name);
            break;
        }
        f->vlen = vl;
        for (size_t j = 0; j < out->n && !rc; j++)
            if (!strcmp(out->v[j].name, f->name))
                rc = gr_error_set(err, GR_EINPUT, "", 0, 0, "field '%s' is given twice", nm);
        if (rc) {
            free(f->name);
            free(f->value);
            break;
        }
        out->n++;
    }
    if (rc)
        form_free(out);
    return rc;
}
