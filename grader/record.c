/* record.c - key/length records, written and read in place. */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void record_put(strbuf *sb, const char *key, const void *v, size_t len)
{
    sb_printf(sb, "%s %zu\n", key, len);
    sb_add(sb, v, len);
    sb_putc(sb, '\n');
}

void record_put_s(strbuf *sb, const char *key, const char *v)
{
    record_put(sb, key, v ? v : "", v ? strlen(v) : 0);
}

void record_put_i(strbuf *sb, const char *key, long long v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    record_put_s(sb, key, b);
}

bool record_next_is(const record_reader *r, const char *key)
{
    size_t kl = strlen(key);
    return r->size - r->pos > kl && !memcmp(r->buf + r->pos, key, kl) && r->buf[r->pos + kl] == ' ';
}

int record_bad(record_reader *r, const char *what, gr_error *err)
{
    return gr_error_set(err, GR_EINPUT, r->path, 0, 0,
                        "record %d: %s: not a shard.dat of this version of grader (write it "
                        "again with grader grade --shard)",
                        r->n, what);
}

int record_take(record_reader *r, const char *key, const char **v, size_t *len, gr_error *err)
{
    r->n++;
    size_t kl = strlen(key);
    char *p = r->buf + r->pos, *end = r->buf + r->size, *q;
    size_t n = 0;
    char what[80];
    if ((size_t)(end - p) < kl + 3 || memcmp(p, key, kl) || p[kl] != ' ')
        goto bad;
    /* the length's digits, never read past the end (the buffer need not
     * be NUL-terminated); 19 at most: no overflow */
    for (q = p + kl + 1; q < end && *q >= '0' && *q <= '9' && q - (p + kl + 1) < 19; q++)
        n = n * 10 + (size_t)(*q - '0');
    /* q[0] is the LF before the bytes, q[1 + n] the LF after them */
    if (q == p + kl + 1 || q >= end || *q != '\n' || end - q < 2 || n > (size_t)(end - q) - 2 ||
        q[1 + n] != '\n')
        goto bad;
    q[1 + n] = '\0';
    *v = q + 1;
    if (len)
        *len = n;
    else if (memchr(q + 1, '\0', n))
        goto bad;
    r->pos = (size_t)(q + 2 + n - r->buf);
    return 0;
bad:
    snprintf(what, sizeof what, "expected '%s'", key);
    return record_bad(r, what, err);
}
