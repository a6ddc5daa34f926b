/* record.h - the key/length records of shard.dat (docs/shards.md):
 *
 *     KEY SP DECIMAL-LENGTH LF BYTES LF
 *
 * BYTES may hold anything, newlines and NULs included. Written to a
 * strbuf; read in place from a buffer the reader does not own, each
 * value NUL-terminated where its closing LF was, so a reader's strings
 * live as long as the buffer. */
#ifndef GRADER_RECORD_H
#define GRADER_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "util.h"

void record_put(strbuf *sb, const char *key, const void *v, size_t len);
/* v NULL: an empty record. */
void record_put_s(strbuf *sb, const char *key, const char *v);
void record_put_i(strbuf *sb, const char *key, long long v);

typedef struct record_reader {
    const char *path; /* for messages */
    char *buf;        /* borrowed; written to (each value's LF becomes NUL) */
    size_t size, pos;
    int n; /* records read, for messages: "record N" */
} record_reader;

/* The next record, which must be key: *v its bytes. len NULL: a text
 * value, refused when it holds a NUL. GR_EINPUT naming path and the
 * record number, else 0. */
int record_take(record_reader *r, const char *key, const char **v, size_t *len, gr_error *err);
/* Is the next record key? (Nothing is read.) */
bool record_next_is(const record_reader *r, const char *key);
/* A record that was read but does not hold what it must: GR_EINPUT
 * "PATH: record N: what". */
int record_bad(record_reader *r, const char *what, gr_error *err);

#endif
