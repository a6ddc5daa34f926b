#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

void sb_init(strbuf *sb)
{
    memset(sb, 0, sizeof *sb);
}

void sb_free(strbuf *sb)
{
    free(sb->s);
    sb_init(sb);
}

void sb_reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->s)
        sb->s[0] = '\0';
}

static bool sb_grow(strbuf *sb, size_t extra)
{
    if (sb->oom)
        return false;
    if (extra > SIZE_MAX - sb->len - 1) {
        sb->oom = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *s = realloc(sb->s, cap);
    if (!s) {
        sb->oom = true;
        return false;
    }
    sb->s = s;
    sb->cap = cap;
    return true;
}

void sb_add(strbuf *sb, const char *s, size_t n)
{
    if (!sb_grow(sb, n))
        return;
    memcpy(sb->s + sb->len, s, n);
    sb->len += n;
    sb->s[sb->len] = '\0';
}

void sb_puts(strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_putc(strbuf *sb, char c)
{
    sb_add(sb, &c, 1);
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->oom = true;
        return;
    }
    if (!sb_grow(sb, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

const char *sb_str(const strbuf *sb)
{
    return sb->s ? sb->s : "";
}

char *sb_detach(strbuf *sb)
{
    char *s = NULL;
    if (!sb->oom)
        s = sb->s ? sb->s : strdup("");
    else
        free(sb->s);
    sb_init(sb);
    return s;
}

int file_open_regular(const char *path, size_t cap, int *fdp, size_t *size, gr_error *err)
{
    *fdp = -1;
    *size = 0;
    /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer
     * forever; it is refused below, and regular files ignore the flag */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return gr_error_set(err, errno == ENOENT ? GR_EINPUT : GR_EIO, path, 0, 0,
                            "cannot open: %s", strerror(errno));
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0)
        rc = gr_error_set(err, GR_EIO, path, 0, 0, "cannot stat: %s", strerror(errno));
    else if (S_ISDIR(st.st_mode))
        rc = gr_error_set(err, GR_EINPUT, path, 0, 0, "is a directory, not a file");
    else if (!S_ISREG(st.st_mode))
        rc = gr_error_set(err, GR_EINPUT, path, 0, 0, "is not a regular file");
    else if ((uintmax_t)st.st_size > cap)
        rc = gr_error_set(err, GR_ELIMIT, path, 0, 0, "file is %jd bytes, over the %zu-byte limit",
                          (intmax_t)st.st_size, cap);
    if (rc) {
        close(fd);
        return rc;
    }
    *fdp = fd;
    *size = (size_t)st.st_size;
    return 0;
}

int file_read(const char *path, size_t cap, char **out, size_t *len, gr_error *err)
{
    *out = NULL;
    *len = 0;
    int fd;
    size_t size, n = 0;
    int rc = file_open_regular(path, cap, &fd, &size, err);
    if (rc)
        return rc;
    /* The size may change under us: read until EOF, never past cap. */
    char *buf = malloc(size + 1);
    if (!buf) {
        close(fd);
        return gr_error_nomem(err);
    }
    for (;;) {
        if (n == size) {
            char probe;
            ssize_t r = read(fd, &probe, 1);
            if (r == 0)
                break;
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                int e = errno;
                free(buf);
                close(fd);
                return gr_error_set(err, GR_EIO, path, 0, 0, "read failed: %s", strerror(e));
            }
            if (size >= cap) {
                free(buf);
                close(fd);
                return gr_error_set(err, GR_ELIMIT, path, 0, 0, "file is over the %zu-byte limit",
                                    cap);
            }
            size_t ncap = size * 2 + 64 < cap ? size * 2 + 64 : cap;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                close(fd);
                return gr_error_nomem(err);
            }
            buf = nb;
            buf[n++] = probe;
            size = ncap;
            continue;
        }
        ssize_t r = read(fd, buf + n, size - n);
        if (r == 0)
            break;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return gr_error_set(err, GR_EIO, path, 0, 0, "read failed: %s", strerror(e));
        }
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int afile_open(afile *af, const char *path, gr_error *err)
{
    memset(af, 0, sizeof *af);
    af->path = strdup(path);
    size_t tlen = strlen(path) + 32;
    af->tmp = malloc(tlen);
    if (!af->path || !af->tmp) {
        afile_abort(af);
        return gr_error_nomem(err);
    }
    snprintf(af->tmp, tlen, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(af->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || !(af->fp = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        gr_error_set(err, GR_EIO, af->tmp, 0, 0, "cannot create: %s", strerror(e));
        afile_abort(af);
        return GR_EIO;
    }
    return 0;
}

int afile_commit(afile *af, gr_error *err)
{
    if (!af->fp) {
        afile_abort(af);
        return gr_error_set(err, GR_EIO, NULL, 0, 0, "output file was not open");
    }
    int bad = ferror(af->fp) || fflush(af->fp) != 0 || fsync(fileno(af->fp)) != 0;
    int e = errno;
    if (fclose(af->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    af->fp = NULL;
    if (bad) {
        gr_error_set(err, GR_EIO, af->path, 0, 0, "write failed (%s); the previous file is kept",
                     strerror(e));
        afile_abort(af);
        return GR_EIO;
    }
    if (rename(af->tmp, af->path) != 0) {
        gr_error_set(err, GR_EIO, af->path, 0, 0, "cannot rename into place: %s", strerror(errno));
        afile_abort(af);
        return GR_EIO;
    }
    free(af->tmp);
    af->tmp = NULL;
    afile_abort(af);
    return 0;
}

void afile_abort(afile *af)
{
    if (af->fp)
        fclose(af->fp);
    if (af->tmp)
        unlink(af->tmp);
    free(af->tmp);
    free(af->path);
    memset(af, 0, sizeof *af);
}

int write_file_atomic(const char *path, const void *data, size_t len, gr_error *err)
{
    afile af;
    int rc = afile_open(&af, path, err);
    if (rc)
        return rc;
    if (len && fwrite(data, 1, len, af.fp) != len) {
        gr_error_set(err, GR_EIO, path, 0, 0, "write failed: %s", strerror(errno));
        afile_abort(&af);
        return GR_EIO;
    }
    return afile_commit(&af, err);
}

int mkdir_p(const char *path, gr_error *err)
{
    char *p = strdup(path);
    if (!p)
        return gr_error_nomem(err);
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            int e = errno;
            gr_error_set(err, GR_EIO, p, 0, 0, "cannot create directory: %s", strerror(e));
            free(p);
            return GR_EIO;
        }
        *s = c;
        if (!c)
            break;
    }
    struct stat st;
    int rc = 0;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        rc = gr_error_set(err, GR_EIO, path, 0, 0, "exists and is not a directory");
    free(p);
    return rc;
}

char *path_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    char *s = malloc(dl + nl + 2);
    if (!s)
        return NULL;
    memcpy(s, dir, dl);
    s[dl] = '/';
    memcpy(s + dl + 1, name, nl + 1);
    return s;
}

bool url_userinfo(const char *url, const char **start, const char **end)
{
    const char *s = strstr(url, "://");
    if (!s)
        return false;
    s += 3;
    size_t hostpart = strcspn(s, "/?#");
    const char *at = NULL;
    for (const char *p = s; p < s + hostpart; p++)
        if (*p == '@')
            at = p;
    if (!at)
        return false;
    *start = s;
    *end = at;
    return true;
}

static int cmp_str_index(const void *a, const void *b)
{
    const str_index *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

void str_index_sort(str_index *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_str_index);
}

long str_index_find(const str_index *v, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the first of equal keys */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && !strcmp(v[lo].key, key) ? (long)lo : -1;
}

bool hex_oid_valid(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n]))
            return false;
    return n == 40;
}

char *xstrdup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

bool utf8_valid(const char *str, size_t len, size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned min;
        if (c < 0x80) {
            /* text is mostly ASCII: eight bytes at a time */
            uint64_t w;
            while (i + 8 <= len && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080u)))
                i += 8;
            if (i < len && s[i] < 0x80)
                i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            min = 0x80;
            c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            min = 0x800;
            c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            min = 0x10000;
            c &= 0x07;
        } else {
            goto bad;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                goto bad;
            c = (c << 6) | (s[i + k] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            goto bad;
        i += n + 1;
    }
    return true;
bad:
    if (bad_offset)
        *bad_offset = i;
    return false;
}

const char *line_next(const char *s, const char *end)
{
    for (const char *p = s; p < end; p++)
        if (*p == '\n' || (*p == '\r' && (p + 1 == end || p[1] != '\n')))
            return p + 1;
    return end;
}

void offset_to_line_col(const char *s, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off && s[i]; i++) {
        if (s[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

const char *find_nocase(const char *s, size_t n, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= n; i++)
        if (ascii_lower((unsigned char)s[i]) == (unsigned char)needle[0] &&
            !strncasecmp(s + i, needle, nl))
            return s + i;
    return NULL;
}

int cpus_online(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > INT_MAX ? INT_MAX : (int)n;
}
