/* form.h - application/x-www-form-urlencoded bodies into fields, with caps.
 * A pure function of its bytes (no I/O, no globals), so it can be fuzzed
 * alone: web requests are hostile input.
 *
 *     form f;
 *     form_limits lim = {.max_fields = 200, .max_name = 64, .max_value = 8192};
 *     if (form_parse(body, len, &lim, &f, &err)) -> err.msg says what is wrong
 *     const char *v = form_get(&f, "comment");   // NULL when absent
 *     form_free(&f);
 */
#ifndef GRADER_FORM_H
#define GRADER_FORM_H

#include <stddef.h>

#include "error.h"

typedef struct form_field {
    char *name;  /* decoded, NUL-terminated */
    char *value; /* decoded, NUL-terminated, valid UTF-8 without NUL bytes */
    size_t vlen;
} form_field;

typedef struct form {
    form_field *v;
    size_t n;
} form;

typedef struct form_limits {
    size_t max_fields; /* more fields: GR_ELIMIT */
    size_t max_name;   /* bytes of a decoded name: longer is GR_EINPUT */
    size_t max_value;  /* bytes of a decoded value: longer is GR_ELIMIT */
} form_limits;

/* Parse body[0..len) ('&'-separated name=value pairs, '+' for space, %XX
 * escapes; empty pairs are skipped). Refused, with a message naming the
 * field: a bad %-escape, a NUL byte, invalid UTF-8, an empty or over-long
 * name, a name given twice, a value or a field count over the limits.
 * On error *out is empty (nothing to free). */
int form_parse(const char *body, size_t len, const form_limits *lim, form *out, gr_error *err);
void form_free(form *f);

/* The value of the field called name, or NULL. */
const char *form_get(const form *f, const char *name);

#endif
