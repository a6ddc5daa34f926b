/* util.h - growable strings, capped file reads, atomic file writes. */
#ifndef GRADER_UTIL_H
#define GRADER_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* A growable NUL-terminated string. An allocation failure is sticky:
 * later appends do nothing and sb_failed() says so, so a caller builds a
 * whole string and checks once. sb_init'd to all zero is valid. */
typedef struct strbuf {
    char *s;
    size_t len, cap;
    bool oom;
} strbuf;

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_reset(strbuf *sb); /* length 0, keeps memory */
void sb_add(strbuf *sb, const char *s, size_t n);
void sb_puts(strbuf *sb, const char *s);
void sb_putc(strbuf *sb, char c);
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* tolower() of the C locale grader runs in (it sets no other), inline: the
 * loops that fold text call no function per byte */
static inline unsigned char ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}
static inline bool sb_failed(const strbuf *sb)
{
    return sb->oom;
}
/* The string ("" when empty); never NULL. */
const char *sb_str(const strbuf *sb);
/* Hand the string to the caller (malloc'd, NULL on failure) and reset. */
char *sb_detach(strbuf *sb);

/* Largest post, roster or rubric we read (bytes). Student files are
 * hostile input: a cap bounds time and memory. */
#define GR_MAX_INPUT (1024 * 1024)

/* Read a whole regular file of at most cap bytes into *out (NUL-terminated,
 * caller frees); *len gets the size. Errors name the file: missing, a
 * directory, unreadable, over the cap (GR_ELIMIT). */
int file_read(const char *path, size_t cap, char **out, size_t *len, gr_error *err);
/* Open a regular file of at most cap bytes for reading (the checks and
 * messages of file_read); *size is its size when opened. */
int file_open_regular(const char *path, size_t cap, int *fd, size_t *size, gr_error *err);

/* An output file written to "<path>.tmp.<pid>" and renamed over path only
 * by afile_commit, so a failed run never leaves a half-written file in
 * place of the previous one. */
typedef struct afile {
    FILE *fp;
    char *path;
    char *tmp;
} afile;

int afile_open(afile *af, const char *path, gr_error *err);
/* Flush, fsync, close and rename; on any failure the old file stays and
 * the temporary is removed. */
int afile_commit(afile *af, gr_error *err);
/* Drop the temporary; the old file stays. Safe after commit or on zeroed. */
void afile_abort(afile *af);

/* Write len bytes to path atomically (afile_open + fwrite + commit). */
int write_file_atomic(const char *path, const void *data, size_t len, gr_error *err);

/* mkdir -p; existing directories are fine. */
int mkdir_p(const char *path, gr_error *err);

/* Join dir and name with one '/'. malloc'd, NULL on failure. */
char *path_join(const char *dir, const char *name);

/* The "user:pass" of "scheme://user:pass@host/..." as [*start, *end): the
 * text before the last '@' of the host part. Tokens ride there, so every
 * URL shown to anyone is masked or stripped through this. */
bool url_userinfo(const char *url, const char **start, const char **end);

/* Strings with their index, sorted for lookups by binary search (the
 * strings are borrowed). */
typedef struct str_index {
    const char *key;
    size_t i;
} str_index;
/* Sort by key (strcmp), ties by i: equal keys keep their order. */
void str_index_sort(str_index *v, size_t n);
/* Position in v of the first entry with key, or -1. */
long str_index_find(const str_index *v, size_t n, const char *key);

/* Is s a full commit id: 40 hex digits? */
bool hex_oid_valid(const char *s);

/* strdup that tolerates NULL (returns NULL). */
char *xstrdup_or_null(const char *s);

/* CPUs online, at least 1. */
int cpus_online(void);

/* Is s[0..len) valid UTF-8? On failure *bad_offset is the first bad byte. */
bool utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Where the line starting at s ends, after its "\n", "\r\n" or lone "\r"
 * (the line end of CSV saved by Excel for Mac as "CSV (Macintosh)", which
 * libcsv also reads as a row end), or end. For counting lines of CSV. */
const char *line_next(const char *s, const char *end);

/* The first occurrence of needle (lower-case ASCII) in [s, s + n), in any
 * case; NULL when none. */
const char *find_nocase(const char *s, size_t n, const char *needle);

/* 1-based line and column of byte offset off in s. */
void offset_to_line_col(const char *s, size_t off, int *line, int *col);

#endif
